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

/// mimalloc's `mi_option_purge_delay`, which libmimalloc-sys 0.1.49 does
/// not name: its place in `mi_option_e` of the mimalloc v3 it builds
/// (c_src/mimalloc/v3/include/mimalloc.h). The test below catches it
/// moving on an upgrade.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc keeps freed pages for its purge delay (1 s by default) before
/// giving them back to the OS, which cost the server ~7 MiB of warm RSS
/// against glibc's allocator; purging at once takes 2-3 MiB of that back
/// and the peak down to glibc's, and keeps 94% of mimalloc's CPU gain
/// (docs/benchmarks.md, "mimalloc's purge delay set to 0").
fn return_freed_memory_at_once() {
    // SAFETY: sets a process-wide integer option, which mimalloc reads
    // atomically; any value is valid for this option.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

fn main() -> ExitCode {
    // First, so that memory freed from here on is purged without delay.
    return_freed_memory_at_once();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The option's index is ours, not the crate's: if a mimalloc upgrade
    /// moves it, its default (1000 ms, mimalloc's src/options.c) no longer
    /// reads back there and the setting would change another option.
    #[test]
    fn purge_delay_index_names_the_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reads a process-wide integer option.
        let default = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(default, 1000);
        return_freed_memory_at_once();
        // SAFETY: as above.
        let set = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(set, 0);
    }
}
