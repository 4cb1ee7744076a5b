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

/// The guest crates, by package name. The output of `dex-guest` is
/// `target/components/dex_guest.wasm`, and so on.
pub const GUESTS: &[&str] = &["dex-guest", "probe-guest"];

const TARGET: &str = "wasm32-wasip2";
/// The cargo profile for guests (see the workspace's Cargo.toml).
const PROFILE: &str = "guest";

/// Builds every guest and writes its component to `target/components/`.
pub fn build_all(workspace: &Path) -> Result<Vec<PathBuf>> {
    let build_dir = workspace.join("target").join("guest-build");
    compile_core_modules(workspace, &build_dir)?;
    let out_dir = workspace.join("target").join("components");
    std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    GUESTS
        .iter()
        .map(|package| {
            let file = format!("{}.wasm", package.replace('-', "_"));
            let core = build_dir.join(TARGET).join(PROFILE).join(&file);
            let component = out_dir.join(&file);
            componentize(&core, &component)?;
            Ok(component)
        })
        .collect()
}

/// Runs Debian's cargo with an environment of its own.
///
/// `cargo xtask` runs inside rustup's cargo, which exports `CARGO`,
/// `RUSTC`, `RUSTUP_TOOLCHAIN`, `CARGO_TARGET_DIR` and friends; inherited,
/// they would send the guest build to the wrong compiler or directory. So
/// the environment starts empty and gets exactly what the build needs.
fn compile_core_modules(workspace: &Path, build_dir: &Path) -> Result<()> {
    let mut command = Command::new(toolchain::CARGO);
    command
        .env_clear()
        .current_dir(workspace)
        .args(["build", "--target", TARGET, "--profile", PROFILE])
        .args(["-Zbuild-std=std,panic_abort"])
        .args(GUESTS.iter().flat_map(|p| ["--package", p]))
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
    let status = command.status().context("starting Debian's cargo")?;
    if !status.success() {
        bail!("building the guests failed ({status})");
    }
    Ok(())
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
