//! The guest toolchain, from Debian's packages only.
//!
//! rustup here has no WebAssembly standard library and its download server
//! is not a registry the project may rely on, so the guest is built by
//! Debian's rustc with the standard library compiled from Debian's sources
//! (`-Zbuild-std`), linked by Debian's wasm-ld against Debian's wasi-libc.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Debian's rustc, which has the matching `rust-src` in `rust-web-src`.
pub const RUSTC: &str = "/usr/bin/rustc";
/// Debian's cargo, able to run `-Zbuild-std`.
pub const CARGO: &str = "/usr/bin/cargo";
/// The WebAssembly linker.
pub const WASM_LD: &str = "/usr/bin/wasm-ld-22";
/// wasi-libc (preview 1) for `wasm32`.
pub const WASI_LIBC_DIR: &str = "/usr/lib/wasm32-wasi";

/// Debian's clippy for that rustc, for `cargo xtask lint`.
pub const CLIPPY: &str = "/usr/bin/cargo-clippy";

/// Each file the build needs, with the Debian package that provides it.
pub const REQUIRED: &[(&str, &str)] = &[
    (RUSTC, "rustc-web"),
    (CARGO, "cargo-web"),
    (
        "/usr/lib/rustlib/src/rust/library/std/Cargo.toml",
        "rust-web-src",
    ),
    (WASM_LD, "lld-22"),
    ("/usr/lib/wasm32-wasi/libc.a", "wasi-libc"),
];

/// What the tests need besides [`REQUIRED`]: services the end-to-end tests
/// start themselves on loopback: `redis-server` for the shared state store
/// (`tests/tests/e2e/state_redis.rs`) and `docker-registry` for the
/// component pulled from an OCI registry (`tests/tests/e2e/oci.rs`); and
/// podman, runc and debootstrap, with which `tests/tests/container.rs`
/// builds and runs the container image. `setup`, `test` and `coverage`
/// install them; the tests fail, saying to run `cargo xtask setup`, when
/// one is missing.
pub const TEST_REQUIRED: &[(&str, &str)] = &[
    ("/usr/bin/redis-server", "redis-server"),
    ("/usr/bin/docker-registry", "docker-registry"),
    ("/usr/bin/podman", "podman"),
    ("/usr/bin/runc", "runc"),
    ("/usr/sbin/debootstrap", "debootstrap"),
    ("/usr/bin/objcopy", "binutils"),
];

/// [`REQUIRED`] and [`TEST_REQUIRED`]: what `setup` installs and the tasks
/// that run the tests need.
pub fn required_for_tests() -> Vec<(&'static str, &'static str)> {
    [REQUIRED, TEST_REQUIRED].concat()
}

/// What `cargo xtask lint` needs besides [`REQUIRED`]: Debian's clippy.
pub const CLIPPY_REQUIRED: &[(&str, &str)] = &[
    (CLIPPY, "rust-web-clippy"),
    ("/usr/bin/clippy-driver", "rust-web-clippy"),
];

/// Installs whatever of `required` ([`REQUIRED`] for a build, plus
/// [`TEST_REQUIRED`] to test or [`CLIPPY_REQUIRED`] to lint) is missing;
/// does nothing when all is there.
pub fn ensure_installed(required: &[(&str, &str)]) -> Result<()> {
    let mut missing: Vec<&str> = required
        .iter()
        .filter(|(file, _)| !Path::new(file).exists())
        .map(|(_, package)| *package)
        .collect();
    missing.dedup();
    if missing.is_empty() {
        return Ok(());
    }
    let command = format!(
        "apt-get update && apt-get install -y --no-install-recommends {}",
        missing.join(" ")
    );
    if !is_root() {
        bail!(
            "Debian packages the build or the tests need are missing ({}); install them as root with:\n  {command}",
            missing.join(", ")
        );
    }
    eprintln!("xtask: installing Debian packages: {}", missing.join(" "));
    apt_get(&command)
}

/// Runs an `apt-get` command line as root, its progress kept off stdout
/// (which `run` leaves to MCP); fails with the command when apt does.
pub(crate) fn apt_get(command: &str) -> Result<()> {
    let status = Command::new("sh")
        .args(["-c", command])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .stdout(std::io::stderr())
        .status()
        .context("running apt-get")?;
    if !status.success() {
        bail!("`{command}` failed ({status})");
    }
    Ok(())
}

/// Runs `command` to its end; fails, naming `what`, unless it succeeds.
pub(crate) fn check(command: &mut Command, what: &str) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("starting {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

/// Whether we run as root, and so may install Debian packages ourselves.
pub(crate) fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}
