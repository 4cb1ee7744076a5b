//! `cargo xtask`: the project's own build steps.
//!
//! - `setup`: installs the Debian packages the guest build and the tests
//!   need (once): the guest toolchain, and the services and tools the
//!   tests start (`redis-server`, `docker-registry`, podman, ...).
//! - `guest`: builds every WebAssembly component (the Dex guest and the
//!   test guests) into `target/components/`.
//! - `test`: `setup`, `guest`, then the whole workspace's tests, then
//!   `clients`, then `dist --test`.
//! - `clients`: `setup`, `guest`, then dex-mcp under third-party MCP clients
//!   and the component under other WebAssembly runtimes (`tests/clients/`;
//!   installs them from npm and PyPI the first time).
//! - `coverage [ARGS]`: `setup`, `guest`, then every test under
//!   cargo-llvm-cov; prints line coverage of `guest/`, `host/` and `sim/`
//!   (docs/coverage.md). Not part of `test`: an instrumented build of its own.
//! - `lint`: clippy over the guests as built for wasm32 (Debian's
//!   toolchain, warnings denied), the check that the host knows no Dex,
//!   and the check that a host without the `demo` feature links no
//!   simulator (`xtask/src/lint.rs`).
//! - `run [ARGS]`: `setup`, `guest`, then the server with `ARGS`.
//! - `dist [--test]`: the release archive and the Claude Desktop bundle
//!   in `target/dist/` (`xtask/src/dist.rs`); `--test` then unpacks each
//!   and has a real MCP client use the server in it.
//! - `docs [--check]`: the README's tool table and `docs/tools.md`'s tool
//!   reference from the WIT doc comments; `--check` fails when they are
//!   stale instead of writing them.
//!
//! Everything this prints goes to stderr: `run` serves MCP over stdout.

mod clients;
mod components;
mod coverage;
mod dist;
mod docs;
mod host_is_generic;
mod lint;
mod module_cycles;
mod toolchain;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<ExitCode> {
    let workspace = workspace_root();
    let (task, rest) = args
        .split_first()
        .map(|(t, r)| (t.as_str(), r))
        .unwrap_or(("help", &[]));
    match task {
        "setup" => toolchain::ensure_installed_for_tests().map(|_| ExitCode::SUCCESS),
        "guest" => {
            components::build_all(&workspace)?;
            Ok(ExitCode::SUCCESS)
        }
        "test" => {
            toolchain::ensure_installed_for_tests()?;
            components::build_all(&workspace)?;
            // The end-to-end tests start the `dex-mcp` and `dex-sim`
            // binaries, which `cargo test` alone neither builds nor updates
            // (they are other packages' targets).
            let code = host_cargo(
                &workspace,
                [
                    "build",
                    "--locked",
                    "--package",
                    "dex-mcp",
                    "--package",
                    "dex-sim",
                ],
                &[],
            )?;
            if code != ExitCode::SUCCESS {
                return Ok(code);
            }
            let code = host_cargo(&workspace, ["test", "--locked", "--workspace"], rest)?;
            if code != ExitCode::SUCCESS {
                return Ok(code);
            }
            clients::run(&workspace)?;
            let built = dist::build(&workspace)?;
            dist::test(&workspace, &built)?;
            Ok(ExitCode::SUCCESS)
        }
        "dist" => {
            let test = match rest {
                [] => false,
                [flag] if flag == "--test" => true,
                _ => bail!("usage: cargo xtask dist [--test]"),
            };
            let built = dist::build(&workspace)?;
            if test {
                dist::test(&workspace, &built)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        "clients" => {
            components::build_all(&workspace)?;
            clients::run(&workspace)?;
            Ok(ExitCode::SUCCESS)
        }
        "coverage" => {
            toolchain::ensure_installed_for_tests()?;
            components::build_all(&workspace)?;
            coverage::run(&workspace, rest)?;
            Ok(ExitCode::SUCCESS)
        }
        "lint" => {
            lint::run(&workspace)?;
            Ok(ExitCode::SUCCESS)
        }
        "run" => {
            let first_run = !workspace.join("target/release/dex-mcp").exists();
            if first_run {
                eprintln!("{FIRST_RUN}");
            }
            eprintln!("xtask run: building the component (wasm32, guest/)");
            components::build_all(&workspace)?;
            // Built in a step of its own, not by `cargo run --quiet`, so
            // that cargo's progress shows (on stderr: stdout is MCP's).
            eprintln!("xtask run: building the server (release, host/)");
            if host_cargo(&workspace, BUILD_SERVER, &[])? != ExitCode::SUCCESS {
                bail!("building the server failed: see cargo's messages above");
            }
            if first_run {
                eprintln!("xtask run: built; later runs start in seconds");
            }
            host_cargo(
                &workspace,
                [
                    "run",
                    "--quiet",
                    "--release",
                    "--locked",
                    "--package",
                    "dex-mcp",
                    "--",
                ],
                rest,
            )
        }
        "docs" => {
            let check = match rest {
                [] => false,
                [flag] if flag == "--check" => true,
                _ => bail!("usage: cargo xtask docs [--check]"),
            };
            docs::run(&workspace, check)?;
            Ok(ExitCode::SUCCESS)
        }
        "help" | "--help" | "-h" => {
            eprintln!(
                "usage: cargo xtask <setup|guest|test|lint|clients|coverage|run|dist|docs> [ARGS]"
            );
            Ok(ExitCode::SUCCESS)
        }
        other => bail!("unknown task `{other}`; try `cargo xtask help`"),
    }
}

/// What `cargo xtask run` says before its first build, which takes
/// minutes: what it is doing and about how long (the README's figure).
const FIRST_RUN: &str = "xtask run: first run on this machine: installing the WebAssembly \
toolchain from Debian's packages if it is missing, then building the component (Rust's std \
for wasm32 first) and the server (wasmtime and rmcp): 10-15 minutes in all on 2 cores. \
Cargo's progress follows; later runs start in seconds.";

/// `cargo build` of the server `run` starts, with cargo's progress shown.
const BUILD_SERVER: [&str; 5] = ["build", "--release", "--locked", "--package", "dex-mcp"];

/// Runs the cargo that started us (the host toolchain) in the workspace.
/// The tasks pass `--locked`: the lock file is committed, and `cargo
/// xtask` itself (which resolves the workspace first) has already
/// brought it up to date on a developer's machine.
fn host_cargo<const N: usize>(
    workspace: &PathBuf,
    fixed: [&str; N],
    extra: &[String],
) -> Result<ExitCode> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(fixed)
        .args(extra)
        .current_dir(workspace)
        .status()
        .context("starting cargo")?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}
