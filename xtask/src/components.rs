//! Building the WebAssembly components: the Dex guest and the test guests.
//!
//! With rustup's `wasm32-wasip2` target installed, rustup's cargo builds
//! each guest crate and its linker writes the component. Otherwise (see
//! [`GuestToolchain`]) two steps: Debian's cargo compiles each guest crate
//! to a core module for `wasm32-wasip2`, building the standard library from
//! source. Debian's wasi-libc is preview 1, so that module still imports
//! `wasi_snapshot_preview1`; `wit-component` then wraps it with the
//! preview-1 reactor adapter of the same wasmtime release as the host,
//! which turns those imports into WASI 0.2 ones.
//!
//! Either way the component gets a `version` custom section (the
//! convention `wasm-tools metadata` and OCI registries read) with the
//! workspace's version, which `dex-mcp --version` reports.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use wasi_preview1_component_adapter_provider::{
    WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
};

use crate::toolchain::{self, GuestToolchain};

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

/// Builds every guest and writes its component to `target/components/`,
/// with the toolchain [`GuestToolchain::detect`] chooses (installing
/// Debian's when that is the one and it is missing).
pub fn build_all(workspace: &Path) -> Result<Vec<PathBuf>> {
    let toolchain = GuestToolchain::detect();
    eprintln!(
        "xtask: building the components with {}",
        toolchain.describe()
    );
    toolchain.ensure_installed()?;
    let build_dir = build_dir(workspace, toolchain);
    let out_dir = workspace.join("target").join("components");
    std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let (plain, featured): (Vec<&Guest>, Vec<&Guest>) =
        GUESTS.iter().partition(|g| g.features.is_empty());
    let mut built = Vec::new();
    // One cargo run for all plain guests, then one per featured guest;
    // each run's modules are wrapped before the next run can overwrite them.
    for batch in std::iter::once(plain).chain(featured.into_iter().map(|g| vec![g])) {
        compile(toolchain, workspace, &build_dir, &batch)?;
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

/// Where `toolchain` builds: a directory per toolchain, since each
/// rebuilds everything the other built (another compiler).
fn build_dir(workspace: &Path, toolchain: GuestToolchain) -> PathBuf {
    workspace.join("target").join(match toolchain {
        GuestToolchain::Rustup => "guest-build-rustup",
        GuestToolchain::Debian => "guest-build",
    })
}

/// Builds `guests` with `toolchain`: a component each with rustup's, a
/// core module each with Debian's.
fn compile(
    toolchain: GuestToolchain,
    workspace: &Path,
    build_dir: &Path,
    guests: &[&Guest],
) -> Result<()> {
    let mut command = match toolchain {
        GuestToolchain::Rustup => rustup_cargo("build", workspace, build_dir, guests),
        GuestToolchain::Debian => {
            debian_cargo(toolchain::CARGO, "build", workspace, build_dir, guests)
        }
    };
    let status = command
        .args(["--profile", PROFILE])
        .status()
        .context("starting cargo for the guests")?;
    if !status.success() {
        bail!("building the guests failed ({status})");
    }
    Ok(())
}

/// Runs clippy over `guests` as they are built for wasm32, warnings
/// denied (`cargo xtask lint`), with the toolchain that builds them.
pub fn clippy(workspace: &Path, guests: &[&Guest]) -> Result<()> {
    let toolchain = GuestToolchain::detect();
    let build_dir = build_dir(workspace, toolchain);
    let mut command = match toolchain {
        GuestToolchain::Rustup => rustup_cargo("clippy", workspace, &build_dir, guests),
        // Debian's cargo-clippy itself, not `cargo clippy`: cargo looks for
        // subcommands in $CARGO_HOME/bin first, where rustup's clippy is.
        GuestToolchain::Debian => {
            toolchain::ensure_installed(toolchain::CLIPPY_REQUIRED)?;
            debian_cargo(toolchain::CLIPPY, "clippy", workspace, &build_dir, guests)
        }
    };
    command.args(["--", "-D", "warnings"]);
    let status = command
        .status()
        .context("starting cargo clippy for the guests")?;
    if !status.success() {
        let names: Vec<&str> = guests.iter().map(|g| g.package).collect();
        bail!("clippy found problems in {} ({status})", names.join(", "));
    }
    Ok(())
}

/// The cargo running `cargo xtask` (rustup's) running `subcommand` over
/// `guests` for wasm32 (`clippy` is rustup's own, found by cargo in
/// `$CARGO_HOME/bin`).
///
/// It inherits the environment: it is the toolchain `cargo xtask` runs
/// in, so `RUSTUP_TOOLCHAIN` and the like are its own. Only the target
/// directory is set, so that host and guest builds do not evict each
/// other's artifacts, and `RUSTFLAGS` is removed: a user's flags for the
/// host have no business in a wasm32 build.
fn rustup_cargo(
    subcommand: &str,
    workspace: &Path,
    build_dir: &Path,
    guests: &[&Guest],
) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .arg(subcommand)
        .current_dir(workspace)
        .args(["--locked", "--target", TARGET])
        .args(package_args(guests))
        .env("CARGO_TARGET_DIR", build_dir)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .stdout(std::io::stderr());
    command
}

/// `--package` and `--features` for `guests`.
fn package_args(guests: &[&Guest]) -> Vec<String> {
    let packages = guests
        .iter()
        .flat_map(|g| ["--package".to_owned(), g.package.to_owned()]);
    let features = guests.iter().flat_map(|g| {
        g.features
            .iter()
            .flat_map(move |f| ["--features".to_owned(), format!("{}/{f}", g.package)])
    });
    packages.chain(features).collect()
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
        .args(package_args(guests))
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

/// Wraps a core module as a WASI 0.2 component (a component, as rustup's
/// linker writes, is taken as it is), and stamps it with the version.
fn componentize(core: &Path, component: &Path) -> Result<()> {
    let module = std::fs::read(core).with_context(|| format!("reading {}", core.display()))?;
    let mut bytes = if wasmparser::Parser::is_component(&module) {
        module
    } else {
        wit_component::ComponentEncoder::default()
            .module(&module)
            .with_context(|| format!("reading the component type of {}", core.display()))?
            .adapter(
                WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME,
                WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
            )
            .context("adding the preview-1 adapter")?
            .validate(true)
            .encode()
            .with_context(|| format!("making a component of {}", core.display()))?
    };
    stamp_version(&mut bytes);
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

/// The version every component is stamped with: the workspace's, which
/// every guest crate inherits (`version.workspace = true`, checked by
/// `every_guest_has_the_workspace_version`) and so does this crate.
pub const COMPONENT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Appends a `version` custom section holding [`COMPONENT_VERSION`] to
/// the component `bytes`: the section `wasm-tools metadata` shows and OCI
/// tooling (wasm-pkg-tools) turns into the image's version annotation,
/// and that dex-mcp reads for `--version`. A custom section may follow
/// the last section of a component, so nothing else moves.
fn stamp_version(bytes: &mut Vec<u8>) {
    use wasm_encoder::ComponentSection;
    wasm_encoder::CustomSection {
        name: "version".into(),
        data: COMPONENT_VERSION.as_bytes().into(),
    }
    .append_to_component(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_guest_has_the_workspace_version() {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let manifests = [
            "guest",
            "tests/guests/probe",
            "tests/guests/misbehave",
            "tests/guests/fixtures",
        ];
        for dir in manifests {
            let text = std::fs::read_to_string(workspace.join(dir).join("Cargo.toml")).unwrap();
            assert!(
                text.lines()
                    .any(|line| line.trim() == "version.workspace = true"),
                "{dir}/Cargo.toml must inherit the workspace version, which its component is stamped with"
            );
        }
    }

    #[test]
    fn the_version_section_is_read_back_by_wasmparser() {
        // The smallest component: its header alone.
        let mut bytes = wasm_encoder::Component::new().finish();
        stamp_version(&mut bytes);
        let mut found = Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(&bytes) {
            if let wasmparser::Payload::CustomSection(section) = payload.unwrap() {
                found.push((section.name().to_owned(), section.data().to_vec()));
            }
        }
        assert_eq!(
            found,
            vec![("version".to_owned(), COMPONENT_VERSION.as_bytes().to_vec())]
        );
    }
}
