//! `load`: the load harness of issue #9. Starts the simulated Dex
//! (10,000 contacts by default) in-process and the release `dex-mcp` over
//! Streamable HTTP against it, warms the account cache, then drives it with
//! concurrent MCP clients (plus one over stdio) and reports throughput,
//! latency percentiles per tool, errors and the server's peak memory. The
//! same clients then drive a bare rmcp echo server, the baseline. Every
//! write is checked in the simulator afterwards: none lost, none doubled.
//!
//! ```text
//! cargo build --release -p dex-mcp -p dex-mcp-benches --bin load
//! target/release/load                      # every row, 10 s each, 3 times
//! target/release/load --rows mix --calls 100000 --repeat 1   # the long run
//! target/release/load --smoke              # seconds; what CI runs
//! ```
//!
//! See docs/benchmarks.md, "Load harness".

mod echo_server;
mod http_driver;
mod mcp_wire;
mod report;
mod rows;
mod server_process;
mod stats;
mod stdio_driver;
mod verify;
mod workload;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use crate::rows::Row;

/// Load harness: dex-mcp under concurrent MCP clients, against the echo
/// baseline.
#[derive(Debug, Parser)]
#[command(about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunOptions,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the echo baseline (started by the harness itself).
    EchoServer(echo_server::EchoOptions),
}

/// What a harness run measures and how.
#[derive(Debug, Clone, clap::Args)]
pub struct RunOptions {
    /// The dex-mcp binary (build it with --release).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/release/dex-mcp"))]
    pub server_bin: PathBuf,
    /// The component dex-mcp serves.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/components/dex_guest.wasm"))]
    pub component: PathBuf,
    /// Contacts in the simulated account (about 5 notes and 2 reminders
    /// each).
    #[arg(long, default_value_t = 10_000)]
    pub contacts: usize,
    /// Seed of the simulated account and of the clients' choices.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Concurrent HTTP clients in the mix, search and echo rows.
    #[arg(long, default_value_t = 16)]
    pub clients: usize,
    /// dex-mcp `--instances` values to measure, each with a fresh server
    /// (comma-separated).
    #[arg(long, value_delimiter = ',', default_value = "1")]
    pub instances: Vec<u16>,
    /// Rows to run (comma-separated): latency, mix, search, echo,
    /// echo-no-nodelay, echo-sse, echo-sse-no-nodelay.
    #[arg(long, value_delimiter = ',', value_enum, default_values_t = Row::DEFAULT.to_vec())]
    pub rows: Vec<Row>,
    /// Seconds each row runs (unless --calls is given).
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,
    /// Calls each row makes in all, instead of running for --duration.
    #[arg(long)]
    pub calls: Option<u64>,
    /// Times each row is run; the summary gives the medians.
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// No stdio client in the mix row.
    #[arg(long)]
    pub no_stdio: bool,
    /// Threads of the load generator's runtime (1: it takes one core at
    /// most, leaving the other to the server).
    #[arg(long, default_value_t = 1)]
    pub generator_threads: usize,
    /// dex-mcp `--cache-ttl`: long enough that no run reads the account
    /// again.
    #[arg(long, default_value_t = 86_400)]
    pub cache_ttl: u64,
    /// dex-mcp `--maintenance-interval`, when given: with a short
    /// `--cache-ttl`, how soon a round replaces the expired account while
    /// the clients go on (issue 17's "TTL expiry under load").
    #[arg(long)]
    pub maintenance_interval: Option<u64>,
    /// Where the servers' logs go.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/load"))]
    pub out_dir: PathBuf,
    /// A quick check that the harness works: 300 contacts, 4 clients, a
    /// few hundred calls per row, once (rows: mix, echo, unless --rows).
    #[arg(long)]
    pub smoke: bool,
}

impl RunOptions {
    /// Applies `--smoke`'s sizes to whatever was not set explicitly.
    fn with_smoke_defaults(mut self, rows_given: bool) -> Self {
        if self.smoke {
            self.contacts = self.contacts.min(300);
            self.clients = self.clients.min(4);
            self.calls = Some(self.calls.unwrap_or(300));
            self.repeat = 1;
            if !rows_given {
                self.rows = vec![Row::Mix, Row::Echo];
            }
        }
        self
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Some(Command::EchoServer(options)) => echo_server::run(options).map(|()| true),
        None => {
            let rows_given = std::env::args().any(|a| a == "--rows" || a.starts_with("--rows="));
            run(cli.run.with_smoke_defaults(rows_given))
        }
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(2),
        Err(err) => {
            eprintln!("load: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the harness; `Ok(false)` when a call failed or a write was lost or
/// doubled.
fn run(options: RunOptions) -> Result<bool> {
    let mut builder = if options.generator_threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(options.generator_threads);
        builder
    };
    let runtime = builder
        .enable_all()
        .build()
        .context("starting the load generator's runtime")?;
    std::fs::create_dir_all(&options.out_dir)
        .with_context(|| format!("creating {}", options.out_dir.display()))?;
    let results = runtime.block_on(rows::run_all(&options))?;
    Ok(report::print(&options, &results))
}
