//! Per-call latency percentiles of `search_contacts_full_text` through the
//! component, one row per query class of `dex_mcp_benches::queries`, at the
//! tool's default limit and confidence: the p50 and p99 issue #18 judges.
//! Criterion reports means and confidence intervals, not a p99, hence this
//! harness.
//!
//! ```text
//! cargo build --release -p dex-mcp-benches --bin search_latency
//! target/release/search_latency --contacts 10000 --rounds 2000 \
//!     [--component before.wasm --component after.wasm]
//! ```
//!
//! Every component given is served on its own warm instance (pooling
//! engine, one instance, account cache filled by a first call) against one
//! in-process simulator (seed 7), and the calls are interleaved: round by
//! round, class by class, component by component, so that the machine's
//! load falls on every candidate alike. Each call is timed alone
//! (`LoadedComponent::call`, JSON in and out, no MCP framing) and its hits
//! are checked to be the same on every component.

use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;
use dex_guest::account::Account;
use dex_guest::dex::v1::V1Lists;
use dex_guest::snapshot::Snapshot;
use dex_mcp::component::{CallOutcome, LoadedComponent, start_epoch_ticker};
use dex_mcp_benches::native_http::NativeHttp;
use dex_mcp_benches::queries::search_texts;
use dex_mcp_benches::served_component::{
    SEED, Serving, built_component, compile_for, pooling_engine, serve,
};
use dex_sim::{RunningSim, SimConfig};
use serde_json::{Map, Value, json};

#[derive(Parser)]
#[command(about = "p50/p99 of each search query class through the Dex component")]
struct Options {
    /// Contacts in the simulated account (about five notes and two
    /// reminders each).
    #[arg(long, default_value_t = 10_000)]
    contacts: usize,
    /// Calls per class and component.
    #[arg(long, default_value_t = 2_000)]
    rounds: usize,
    /// Components to compare; by default the one `cargo xtask guest`
    /// built.
    #[arg(long)]
    component: Vec<std::path::PathBuf>,
}

/// The hits of an answer, as (id, confidence) pairs, to check that every
/// component answers alike.
fn hits(outcome: &CallOutcome) -> Result<Vec<(String, Value)>> {
    let CallOutcome::Success(Some(answer)) = outcome else {
        bail!("the call failed: {outcome:?}");
    };
    let hits = answer["hits"]
        .as_array()
        .context("an answer without hits")?;
    Ok(hits
        .iter()
        .map(|h| (h["id"].to_string(), h["confidence"].clone()))
        .collect())
}

fn percentile(sorted: &[f64], fraction: f64) -> f64 {
    let rank = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn main() -> Result<()> {
    let options = Options::parse();
    let wasm_files = if options.component.is_empty() {
        vec![built_component("dex_guest.wasm")]
    } else {
        options.component.clone()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let engine = pooling_engine()?;
    start_epoch_ticker(&engine);
    let sim = RunningSim::start_blocking(SimConfig {
        seed: SEED,
        contacts: options.contacts,
        ..SimConfig::default()
    })?;
    let lists = V1Lists::new(&sim.v1_base_url(), NativeHttp::new(sim.api_key()));
    let snapshot = Snapshot::fetch(&lists);
    if snapshot.is_partial() {
        bail!("the native read was partial: {:?}", snapshot.failures);
    }
    let account = Account::index(snapshot, Default::default());
    let classes = search_texts(&account.snapshot);
    let serving = Serving {
        base_url: sim.v1_base_url(),
        api_key: sim.api_key().to_owned(),
        cache_ttl_seconds: 3_600,
        instances: 1,
    };

    let mut served: Vec<LoadedComponent> = Vec::new();
    for wasm in &wasm_files {
        let component = compile_for(&engine, wasm)?;
        served.push(runtime.block_on(serve(&engine, component, &serving))?);
    }
    // A tool's spec names the export of its own component.
    let tools = served
        .iter()
        .map(|loaded| {
            loaded
                .tool("search_contacts_full_text")
                .context("the component has no search_contacts_full_text")
                .cloned()
        })
        .collect::<Result<Vec<_>>>()?;
    // Default limit and confidence: only the query is sent.
    let arguments: Vec<Map<String, Value>> = classes
        .iter()
        .map(|(_, text)| match json!({ "query": text }) {
            Value::Object(map) => map,
            _ => unreachable!("a JSON object literal"),
        })
        .collect();
    for (args, (class, _)) in arguments.iter().zip(&classes) {
        let mut first = None;
        for ((loaded, tool), wasm) in served.iter().zip(&tools).zip(&wasm_files) {
            let answer = hits(&runtime.block_on(loaded.call(tool, args))?)?;
            match &first {
                None => first = Some(answer),
                Some(first) if *first != answer => {
                    bail!("{class}: {} answers otherwise", wasm.display())
                }
                Some(_) => {}
            }
        }
    }

    let load_before = load_average();
    // times[component][class]: seconds per call.
    let mut times = vec![vec![Vec::with_capacity(options.rounds); classes.len()]; served.len()];
    for _ in 0..options.rounds {
        for (class, args) in arguments.iter().enumerate() {
            for (which, (loaded, tool)) in served.iter().zip(&tools).enumerate() {
                let started = Instant::now();
                let outcome = runtime.block_on(loaded.call(tool, args))?;
                times[which][class].push(started.elapsed().as_secs_f64());
                if !matches!(outcome, CallOutcome::Success(Some(_))) {
                    bail!("a timed call failed: {outcome:?}");
                }
            }
        }
    }
    println!(
        "{} contacts, {} calls per class and component, load average {} before, {} after",
        options.contacts,
        options.rounds,
        load_before,
        load_average()
    );
    println!("| component | class | query | p50 µs | p90 µs | p99 µs | max µs |");
    println!("|---|---|---|---|---|---|---|");
    for (which, wasm) in wasm_files.iter().enumerate() {
        for (class, (name, text)) in classes.iter().enumerate() {
            let mut sorted = times[which][class].clone();
            sorted.sort_by(f64::total_cmp);
            let us = |s: f64| format!("{:.0}", s * 1e6);
            println!(
                "| {} | {name} | {text} | {} | {} | {} | {} |",
                wasm.file_name().unwrap_or_default().to_string_lossy(),
                us(percentile(&sorted, 0.50)),
                us(percentile(&sorted, 0.90)),
                us(percentile(&sorted, 0.99)),
                us(sorted[sorted.len() - 1]),
            );
        }
    }
    Ok(())
}
