//! The `dex-mcp` binary: flags in, exit code out; [`dex_mcp::serve`] does
//! the work.

use std::process::ExitCode;

use clap::Parser;
use dex_mcp::{cli, serve};

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
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
    match runtime.block_on(serve::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err:#}");
            ExitCode::FAILURE
        }
    }
}
