//! Building the WebAssembly components: the Dex guest and the test guests.
//!
//! Two steps. Debian's cargo compiles each guest crate to a core module for
//! `wasm32-wasip2`, building the standard library from source. Debian's
//! wasi-libc is preview 1, so that module still imports
//! `wasi_snapshot_preview1`; `wit-component` then wraps it with the
//! preview-1 reactor adapter of the same wasmtime release as the host,
//! which turns those imports into WASI 0.2 ones.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use wasi_preview1_component_adapter_provider::{
    WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
};

use crate::toolchain;

/// One component to build: a guest crate, the cargo features to build it
/// with, and its file name in `target/components/`.
pub struct Guest {
    /// Cargo package.
    pub package: &'static str,
    /// Features; a guest with features is built in a cargo run of its own,
    /// since cargo unifies features within one run.
    pub features: &'static [&'static str],
    /// Output file, without `.wasm`.
    pub output: &'static str,
}

impl Guest {
    const fn plain(package: &'static str, output: &'static str) -> Self {
        Self {
            package,
            features: &[],
            output,
        }
    }
}

/// Every component. The Dex guest first; the rest are test guests.
pub const GUESTS: &[Guest] = &[
    Guest::plain("dex-guest", "dex_guest"),
    Guest::plain("probe-guest", "probe_guest"),
    Guest::plain("misbehave-guest", "misbehave_guest"),
    // The conformance suite's fixture prompts and resources.
    Guest::plain("fixtures-guest", "fixtures_guest"),
    // The probe with one more tool, for the component swap test.
    Guest {
        package: "probe-guest",
        features: &["extra"],
        output: "probe_guest_plus",
    },
];

const TARGET: &str = "wasm32-wasip2";
/// The cargo profile for guests (see the workspace's Cargo.toml).
const PROFILE: &str = "guest";

/// Builds every guest and writes its component to `target/components/`.
pub fn build_all(workspace: &Path) -> Result<Vec<PathBuf>> {
    let build_dir = workspace.join("target").join("guest-build");
    let out_dir = workspace.join("target").join("components");
    std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let (plain, featured): (Vec<&Guest>, Vec<&Guest>) =
        GUESTS.iter().partition(|g| g.features.is_empty());
    let mut built = Vec::new();
    // One cargo run for all plain guests, then one per featured guest;
    // each run's modules are wrapped before the next run can overwrite them.
    for batch in std::iter::once(plain).chain(featured.into_iter().map(|g| vec![g])) {
        compile_core_modules(workspace, &build_dir, &batch)?;
        for guest in batch {
            let core = build_dir
                .join(TARGET)
                .join(PROFILE)
                .join(format!("{}.wasm", guest.package.replace('-', "_")));
            let component = out_dir.join(format!("{}.wasm", guest.output));
            componentize(&core, &component)?;
            built.push(component);
        }
    }
    Ok(built)
}

/// Builds the core modules of `guests` with Debian's cargo.
fn compile_core_modules(workspace: &Path, build_dir: &Path, guests: &[&Guest]) -> Result<()> {
    let status = debian_cargo(toolchain::CARGO, "build", workspace, build_dir, guests)
        .args(["--profile", PROFILE])
        .status()
        .context("starting Debian's cargo")?;
    if !status.success() {
        bail!("building the guests failed ({status})");
    }
    Ok(())
}

/// Runs clippy over `guests` as they are built for wasm32, warnings
/// denied (`cargo xtask lint`).
pub fn clippy(workspace: &Path, guests: &[&Guest]) -> Result<()> {
    let build_dir = workspace.join("target").join("guest-build");
    // Debian's cargo-clippy itself, not `cargo clippy`: cargo looks for
    // subcommands in $CARGO_HOME/bin first, where rustup's clippy is.
    let mut command = debian_cargo(toolchain::CLIPPY, "clippy", workspace, &build_dir, guests);
    command.args(["--", "-D", "warnings"]);
    let status = command.status().context("starting Debian's cargo clippy")?;
    if !status.success() {
        let names: Vec<&str> = guests.iter().map(|g| g.package).collect();
        bail!("clippy found problems in {} ({status})", names.join(", "));
    }
    Ok(())
}

/// Debian's `program` (cargo, or its clippy) running `subcommand` over
/// `guests` for wasm32, with an environment of its own.
///
/// `cargo xtask` runs inside rustup's cargo, which exports `CARGO`,
/// `RUSTC`, `RUSTUP_TOOLCHAIN`, `CARGO_TARGET_DIR` and friends; inherited,
/// they would send the guest build to the wrong compiler or directory. So
/// the environment starts empty and gets exactly what the build needs.
fn debian_cargo(
    program: &str,
    subcommand: &str,
    workspace: &Path,
    build_dir: &Path,
    guests: &[&Guest],
) -> Command {
    let mut command = Command::new(program);
    command
        .env_clear()
        .current_dir(workspace)
        .args([subcommand, "--locked", "--target", TARGET])
        .args(["-Zbuild-std=std,panic_abort"])
        .args(guests.iter().flat_map(|g| ["--package", g.package]))
        .args(guests.iter().flat_map(|g| {
            g.features
                .iter()
                .flat_map(move |f| ["--features".to_owned(), format!("{}/{f}", g.package)])
        }))
        .env("PATH", "/usr/bin:/bin")
        .env("RUSTC", toolchain::RUSTC)
        .env("CARGO", toolchain::CARGO)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", build_dir)
        .env("CARGO_TARGET_WASM32_WASIP2_LINKER", toolchain::WASM_LD)
        .env(
            "RUSTFLAGS",
            format!("-C link-self-contained=no -L {}", toolchain::WASI_LIBC_DIR),
        )
        // Cargo's output is progress for a person: stderr, never stdout.
        .stdout(std::io::stderr());
    for passed in ["HOME", "CARGO_HOME", "TERM", "CARGO_TERM_COLOR"] {
        if let Some(value) = std::env::var_os(passed) {
            command.env(passed, value);
        }
    }
    command
}

/// Wraps a core module as a WASI 0.2 component.
fn componentize(core: &Path, component: &Path) -> Result<()> {
    let module = std::fs::read(core).with_context(|| format!("reading {}", core.display()))?;
    let bytes = wit_component::ComponentEncoder::default()
        .module(&module)
        .with_context(|| format!("reading the component type of {}", core.display()))?
        .adapter(
            WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME,
            WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        )
        .context("adding the preview-1 adapter")?
        .validate(true)
        .encode()
        .with_context(|| format!("making a component of {}", core.display()))?;
    // Write then rename, so a running server watching the file never reads
    // half a component.
    let partial = component.with_extension("wasm.partial");
    std::fs::write(&partial, &bytes).with_context(|| format!("writing {}", partial.display()))?;
    std::fs::rename(&partial, component)
        .with_context(|| format!("writing {}", component.display()))?;
    eprintln!(
        "xtask: built {} ({} KiB)",
        component.display(),
        bytes.len() / 1024
    );
    Ok(())
}
