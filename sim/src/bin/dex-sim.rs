//! `dex-sim`: the simulated Dex API as a standalone server.
//!
//! Prints the base URLs on stderr (stdout stays empty so the binary can sit
//! under tools that own stdout) and serves until Ctrl-C; with
//! `--save-on-exit FILE` the state is written there on the way out.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Parser;
use dex_sim::{AnswerShape, Dataset, FaultRule, ListLinks, RunningSim, SimConfig};

/// Command-line flags.
#[derive(Debug, Parser)]
#[command(
    name = "dex-sim",
    about = "A simulated Dex API (v1 and legacy) for demos and tests"
)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Address to bind. The control API answers loopback peers only.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Seed of the generated data and of the fault dice.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Number of contacts to generate.
    #[arg(long, default_value_t = 200)]
    contacts: usize,
    /// The "today" generated data is dated around (YYYY-MM-DD).
    #[arg(long)]
    today: Option<NaiveDate>,
    /// API key to accept (not printed).
    #[arg(long, env = "DEX_SIM_API_KEY", default_value = dex_sim::DEFAULT_API_KEY, hide_env_values = true)]
    api_key: String,
    /// Serve this dataset file instead of generating data.
    #[arg(long)]
    dataset: Option<PathBuf>,
    /// Write the state to this file when stopped with Ctrl-C.
    #[arg(long)]
    save_on_exit: Option<PathBuf>,
    /// Answer 403 to valid keys, like a plan without API access.
    #[arg(long)]
    no_api_access: bool,
    /// Shape of v1 answers: `reference` (Dex's v1 reference: wrapped
    /// creates, mergedContactIds, UUID cursors, pages of 500, datetime due
    /// dates) or `older` (bare records, integer cursors, `take` honoured,
    /// plain due dates). See docs/simulator.md.
    #[arg(long, default_value = "reference")]
    shape: AnswerShape,
    /// Fault rules from a JSON file: a list of rules (see docs/simulator.md).
    #[arg(long)]
    faults: Option<PathBuf>,
    /// Endpoint the fault flags below apply to: `all`, `/v1/contacts`,
    /// `GET /v1/contacts/{id}`, `/api/rest/*`.
    #[arg(long, default_value = "all")]
    fault_endpoint: String,
    /// Fixed added latency in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Random extra latency, up to this many milliseconds.
    #[arg(long, default_value_t = 0)]
    jitter_ms: u64,
    /// Share (0..1) of requests answered with --error-status.
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// The 5xx status used by --error-rate.
    #[arg(long, default_value_t = 503)]
    error_status: u16,
    /// Share of requests answered 429.
    #[arg(long, default_value_t = 0.0)]
    rate_limit_rate: f64,
    /// Seconds sent in Retry-After with a 429.
    #[arg(long, default_value_t = 1)]
    retry_after: u64,
    /// Share of answers with a malformed JSON body.
    #[arg(long, default_value_t = 0.0)]
    malformed_rate: f64,
    /// Share of connections dropped without an answer.
    #[arg(long, default_value_t = 0.0)]
    reset_rate: f64,
    /// Share of answers whose body is trickled out slowly.
    #[arg(long, default_value_t = 0.0)]
    slow_body_rate: f64,
    /// When list pages carry links between records (emails and phones of
    /// contacts, contacts of notes and reminders): `on-include` (when the
    /// request's `include` asks), `always`, or `never`.
    #[arg(long, value_parser = parse_links, default_value = "on-include")]
    list_links: ListLinks,
    /// Answer `POST /v1/contacts/by-emails` with 404, like a Dex without
    /// the route.
    #[arg(long)]
    no_by_emails: bool,
    /// The account owner's time zone (IANA name) in `GET /v1/users/me`.
    #[arg(long)]
    owner_time_zone: Option<String>,
}

fn parse_links(text: &str) -> Result<ListLinks, String> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| format!("`{text}` is not one of on-include, always, never"))
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("dex-sim: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    let config = config(&args)?;
    let runtime = tokio::runtime::Runtime::new().context("starting the runtime")?;
    runtime.block_on(async {
        let sim = RunningSim::start(config, SocketAddr::new(args.bind, args.port))
            .await
            .context("starting the server")?;
        eprintln!("dex-sim v1 base URL:     {}", sim.v1_base_url());
        eprintln!("dex-sim legacy base URL: {}", sim.legacy_base_url());
        eprintln!("dex-sim control API:     {}", sim.control_url());
        tokio::signal::ctrl_c()
            .await
            .context("waiting for Ctrl-C")?;
        if let Some(path) = &args.save_on_exit {
            sim.snapshot()
                .save(path)
                .with_context(|| format!("saving state to {}", path.display()))?;
            eprintln!("dex-sim: state saved to {}", path.display());
        }
        sim.shutdown().await;
        Ok(())
    })
}

/// The library config the flags describe.
fn config(args: &Args) -> anyhow::Result<SimConfig> {
    let dataset = match &args.dataset {
        Some(path) => Some(Dataset::load(path)?),
        None => None,
    };
    let mut faults: Vec<FaultRule> = match &args.faults {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?
        }
        None => Vec::new(),
    };
    let flagged = FaultRule::new(args.fault_endpoint.clone())
        .latency(args.latency_ms, args.jitter_ms)
        .errors(args.error_rate, args.error_status)
        .rate_limited(args.rate_limit_rate, args.retry_after)
        .malformed(args.malformed_rate)
        .resets(args.reset_rate)
        .slow_body(args.slow_body_rate, 16, 20);
    if flagged != FaultRule::new(args.fault_endpoint.clone()).slow_body(0.0, 16, 20) {
        faults.push(flagged);
    }
    Ok(SimConfig {
        api_key: args.api_key.clone(),
        seed: args.seed,
        contacts: args.contacts,
        dataset,
        today: args.today.unwrap_or_else(dex_sim::default_today),
        faults,
        api_access: !args.no_api_access,
        list_links: args.list_links,
        by_emails_route: !args.no_by_emails,
        owner_time_zone: args.owner_time_zone.clone(),
        shape: args.shape,
    })
}
