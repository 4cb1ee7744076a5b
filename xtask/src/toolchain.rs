//! The guest toolchain: rustup's `wasm32-wasip2` target where it is
//! installed, Debian's packages everywhere else.
//!
//! A developer on macOS, Windows or most Linux machines has rustup and can
//! `rustup target add wasm32-wasip2`; then plain `cargo build --target
//! wasm32-wasip2` makes a component and nothing needs installing. Where
//! that target is missing (this project's CI and build machines, whose
//! rustup cannot download it), the guest is built by Debian's rustc with
//! the standard library compiled from Debian's sources (`-Zbuild-std`),
//! linked by Debian's wasm-ld against Debian's wasi-libc.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
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

/// The guest toolchain (if Debian's) and [`TEST_REQUIRED`]: what `setup`
/// installs and the tasks that run the tests need.
pub fn ensure_installed_for_tests() -> Result<()> {
    GuestToolchain::detect().ensure_installed()?;
    ensure_installed(TEST_REQUIRED)
}

/// What `cargo xtask lint` needs besides [`REQUIRED`]: Debian's clippy.
pub const CLIPPY_REQUIRED: &[(&str, &str)] = &[
    (CLIPPY, "rust-web-clippy"),
    ("/usr/bin/clippy-driver", "rust-web-clippy"),
];

/// The toolchain that builds the guests, chosen by [`GuestToolchain::detect`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestToolchain {
    /// rustup's toolchain (the one running `cargo xtask`) with the
    /// `wasm32-wasip2` standard library installed. Its linker,
    /// `wasm-component-ld`, writes a component itself.
    Rustup,
    /// Debian's `rustc-web` with `-Zbuild-std` ([`REQUIRED`]); it writes a
    /// core module that `cargo xtask` wraps as a component.
    Debian,
}

/// The rustup target directory whose presence selects [`GuestToolchain::Rustup`].
const WASM_TARGET: &str = "wasm32-wasip2";

impl GuestToolchain {
    /// rustup's toolchain when the sysroot of the `rustc` that cargo would
    /// run holds the `wasm32-wasip2` standard library, else Debian's.
    pub fn detect() -> Self {
        Self::for_sysroot(host_sysroot().as_deref())
    }

    /// The choice for a host sysroot (`rustc --print sysroot`), `None`
    /// when no rustc answered.
    pub fn for_sysroot(sysroot: Option<&Path>) -> Self {
        match sysroot {
            Some(sysroot) if has_wasm_std(sysroot) => Self::Rustup,
            _ => Self::Debian,
        }
    }

    /// Installs what this toolchain needs from Debian and is missing:
    /// [`REQUIRED`] for Debian's, nothing for rustup's (its target is
    /// there already, or it would not have been chosen).
    pub fn ensure_installed(self) -> Result<()> {
        match self {
            Self::Rustup => Ok(()),
            Self::Debian => ensure_installed(REQUIRED),
        }
    }

    /// For a person: which toolchain and why.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Rustup => "rustup's wasm32-wasip2 target (installed)",
            Self::Debian => {
                "Debian's rustc-web with -Zbuild-std (rustup has no wasm32-wasip2 target here; \
                 `rustup target add wasm32-wasip2` would make this faster)"
            }
        }
    }
}

/// Whether `sysroot` holds a compiled standard library for `wasm32-wasip2`
/// (`lib/rustlib/wasm32-wasip2/lib/libstd-<hash>.rlib`), which is what
/// `rustup target add wasm32-wasip2` installs.
fn has_wasm_std(sysroot: &Path) -> bool {
    let lib = sysroot.join("lib/rustlib").join(WASM_TARGET).join("lib");
    std::fs::read_dir(lib).is_ok_and(|entries| {
        entries.filter_map(|entry| entry.ok()).any(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with("libstd-") && name.ends_with(".rlib")
        })
    })
}

/// The sysroot of the rustc that `cargo` runs here: `$RUSTC` when set,
/// else `rustc` on `PATH` (rustup's proxy, which honours the
/// `RUSTUP_TOOLCHAIN` that rustup's cargo passes to `cargo xtask`).
fn host_sysroot() -> Option<PathBuf> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| OsString::from("rustc"));
    let output = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(PathBuf::from(text.trim()))
}

/// Installs whatever of `required` ([`REQUIRED`] for a build with
/// Debian's toolchain, [`TEST_REQUIRED`] to test or [`CLIPPY_REQUIRED`] to
/// lint) is missing; does nothing when all is there.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch sysroot under the system's temporary directory.
    fn sysroot(name: &str, files: &[&str]) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("xtask-sysroot-{name}-{}", std::process::id()));
        std::fs::remove_dir_all(&root).ok();
        for file in files {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, b"").unwrap();
        }
        std::fs::create_dir_all(&root).unwrap();
        root
    }

    #[test]
    fn rustup_is_chosen_when_its_sysroot_has_the_wasip2_std() {
        let root = sysroot(
            "wasip2",
            &[
                "lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd-0123.rlib",
                "lib/rustlib/wasm32-wasip2/lib/libstd-4567.rlib",
            ],
        );
        assert_eq!(
            GuestToolchain::for_sysroot(Some(&root)),
            GuestToolchain::Rustup
        );
        std::fs::remove_dir_all(root).ok();
    }

    #[test]
    fn debian_is_chosen_without_the_wasip2_std() {
        // Only the native std, as rustup installs by default.
        let native = sysroot(
            "native",
            &["lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd-0123.rlib"],
        );
        // Another WebAssembly target is not the one the guests need.
        let wasip1 = sysroot(
            "wasip1",
            &["lib/rustlib/wasm32-wasip1/lib/libstd-89ab.rlib"],
        );
        // The target's directory without a standard library in it (what a
        // half-finished `rustup target add` or a stub directory leaves).
        let empty = sysroot("empty", &["lib/rustlib/wasm32-wasip2/lib/README"]);
        for root in [&native, &wasip1, &empty] {
            assert_eq!(
                GuestToolchain::for_sysroot(Some(root)),
                GuestToolchain::Debian,
                "{}",
                root.display()
            );
            std::fs::remove_dir_all(root).ok();
        }
        assert_eq!(GuestToolchain::for_sysroot(None), GuestToolchain::Debian);
    }
}
