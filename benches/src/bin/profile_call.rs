//! Repeats one tool call on one warm instance of the Dex component, so that
//! a profiler sees that call and nothing else (no Criterion analysis, no
//! account read in the profile's bulk).
//!
//! ```text
//! cargo build --release -p dex-mcp-benches --bin profile_call
//! DEX_MCP_PERFMAP=1 perf record -g target/release/profile_call \
//!     --tool search_contacts_full_text --arguments '{"query":"Robert Smith","max_results":100}'
//! perf report --no-children --sort symbol
//! ```
//!
//! `DEX_MCP_PERFMAP` makes the engine write `/tmp/perf-<pid>.map`, which
//! names the component's compiled functions in perf's report. The account
//! is the benchmarks' (seed 7) in an in-process simulator; the first call,
//! which reads and indexes it, is made before the repeated ones and timed
//! apart.

use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;
use dex_mcp::component::{CallOutcome, start_epoch_ticker};
use dex_mcp_benches::served_component::{
    SEED, Serving, built_component, compile_for, pooling_engine, serve,
};
use dex_sim::{RunningSim, SimConfig};
use serde_json::{Map, Value};

#[derive(Parser)]
#[command(about = "Repeat one tool call on a warm Dex component, for profilers")]
struct Options {
    /// Contacts in the simulated account (about five notes and two
    /// reminders each).
    #[arg(long, default_value_t = 10_000)]
    contacts: usize,
    /// The tool to call.
    #[arg(long, default_value = "search_contacts_full_text")]
    tool: String,
    /// Its arguments, a JSON object.
    #[arg(long, default_value = r#"{"query":"Robert Smith","max_results":100}"#)]
    arguments: String,
    /// The component to serve; by default the one `cargo xtask guest`
    /// built.
    #[arg(long)]
    component: Option<std::path::PathBuf>,
    /// How many times to repeat the call after the first one.
    #[arg(long, default_value_t = 2_000)]
    calls: u32,
}

fn main() -> Result<()> {
    let options = Options::parse();
    let arguments: Map<String, Value> =
        serde_json::from_str(&options.arguments).context("--arguments is not a JSON object")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let engine = pooling_engine()?;
    start_epoch_ticker(&engine);
    let wasm = options
        .component
        .clone()
        .unwrap_or_else(|| built_component("dex_guest.wasm"));
    let component = compile_for(&engine, &wasm)?;
    let sim = RunningSim::start_blocking(SimConfig {
        seed: SEED,
        contacts: options.contacts,
        ..SimConfig::default()
    })?;
    let serving = Serving {
        base_url: sim.v1_base_url(),
        api_key: sim.api_key().to_owned(),
        cache_ttl_seconds: 3_600,
        instances: 1,
    };
    let loaded = runtime.block_on(serve(&engine, component, &serving))?;
    let tool = loaded
        .tool(&options.tool)
        .with_context(|| format!("the component has no tool {:?}", options.tool))?
        .clone();

    let started = Instant::now();
    let first = runtime.block_on(loaded.call(&tool, &arguments))?;
    let CallOutcome::Success(Some(answer)) = &first else {
        bail!("the first call did not succeed: {first:?}");
    };
    eprintln!(
        "first call (read, index, answer): {:.1} ms; answer {} bytes of JSON",
        started.elapsed().as_secs_f64() * 1e3,
        answer.to_string().len()
    );

    let started = Instant::now();
    for _ in 0..options.calls {
        let outcome = runtime.block_on(loaded.call(&tool, &arguments))?;
        if !matches!(outcome, CallOutcome::Success(_)) {
            bail!("a repeated call failed: {outcome:?}");
        }
    }
    let each = started.elapsed() / options.calls.max(1);
    eprintln!(
        "{} warm calls: {:.1} µs each",
        options.calls,
        each.as_secs_f64() * 1e6
    );
    Ok(())
}
