//! The `dex-mcp` binary: logging set up, exit code out. [`dex_mcp::serve`]
//! reads the flags (which depend on the component) and serves;
//! [`dex_mcp::doctor`] and `forget` are the subcommands.

use std::process::ExitCode;

use dex_mcp::cli::Command;
use dex_mcp::state::StateConfig;
use dex_mcp::{doctor, serve};

/// mimalloc rather than glibc's allocator: a tool call allocates and frees
/// hundreds of small values on the way from the guest's answer to the
/// HTTP body, and glibc's `malloc`/`free` were 13% of the server's CPU
/// under load, mimalloc's 6% (docs/benchmarks.md, "Throughput: the
/// answer path", which also gives what it costs in RSS).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // stdout carries MCP messages only; every log line goes to stderr,
    // without colour codes since it is usually captured by the client.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DEX_MCP_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            tracing::error!("cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let start = match runtime.block_on(serve::start(std::env::args_os().collect())) {
        Ok(start) => start,
        Err(err) => {
            tracing::error!("{err:#}");
            return ExitCode::FAILURE;
        }
    };
    match start.cli.command {
        Some(Command::Forget) => {
            // --no-state says what a server keeps, not what to remove.
            let state = StateConfig::from_flags(
                false,
                start.cli.state_dir.clone(),
                start.cli.state_url.clone(),
            );
            match state.forget() {
                Ok(done) => {
                    // `forget` serves no MCP: what it removed is its
                    // answer to the person who ran it, so it goes to
                    // stdout like `doctor`'s table.
                    println!("dex-mcp: {done}");
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    tracing::error!("cannot remove the stored state: {err}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::Doctor) => match runtime.block_on(doctor::run(start)) {
            Ok(code) => code,
            Err(err) => {
                tracing::error!("{err:#}");
                ExitCode::from(2)
            }
        },
        None => match runtime.block_on(serve::run(start)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                tracing::error!("{err:#}");
                ExitCode::FAILURE
            }
        },
    }
}
