//! tantivy compiled to WebAssembly, timed on the query classes of
//! `search_latency` over the same records: the other candidate of issue
//! #18, item 1 (see `benches/tantivy-guest`, which is not part of the
//! product).
//!
//! ```text
//! cargo build --release -p dex-mcp-benches --bin tantivy_latency
//! target/release/tantivy_latency --module benches/tantivy-guest/target/wasm32-wasip1/release/tantivy-guest.wasm
//! ```
//!
//! Reads the benchmarks' account (seed 7) the way the component does,
//! writes each contact, note and reminder as one line of our index's ten
//! field texts into a temporary directory, and runs the module as a WASI
//! command under wasmtime (the host's engine settings, epoch interruption
//! on) with that directory preopened. The module builds its index and
//! prints the p50/p99 of each query, timed inside the sandbox, and its
//! hits.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Parser;
use dex_guest::search::{Field, Record};
use dex_mcp_benches::generated_account::snapshot;
use dex_mcp_benches::queries::search_texts;
use dex_mcp_benches::served_component::on_demand_engine;
use wasmtime::{Linker, Module, Store};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::{FsPerms, WasiCtxBuilder};

#[derive(Parser)]
#[command(about = "p50/p99 of the search query classes in tantivy compiled to wasm")]
struct Options {
    /// The tantivy guest, built for wasm32-wasip1.
    #[arg(long)]
    module: PathBuf,
    /// Contacts in the generated account.
    #[arg(long, default_value_t = 10_000)]
    contacts: usize,
    /// Calls per class.
    #[arg(long, default_value_t = 2_000)]
    rounds: usize,
    /// Hits per query (the search tool's default).
    #[arg(long, default_value_t = 10)]
    limit: usize,
}

/// A record's field texts as one line: id, then the ten fields, tabs and
/// line breaks in them made spaces.
fn record_line(record: &Record) -> String {
    let mut line = record.id().to_owned();
    for field in Field::ALL {
        line.push('\t');
        if let Some(text) = record.field_text(field) {
            line.extend(
                text.chars()
                    .map(|c| if c == '\t' || c == '\n' { ' ' } else { c }),
            );
        }
    }
    line.push('\n');
    line
}

fn main() -> Result<()> {
    let options = Options::parse();
    let snapshot = snapshot(options.contacts);
    let dir = std::env::temp_dir().join(format!("tantivy-latency-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let records: String = Record::all_of(&snapshot).map(|r| record_line(&r)).collect();
    std::fs::write(dir.join("records.tsv"), records)?;

    let mut args = vec![
        "tantivy-guest".to_owned(),
        "/data/records.tsv".to_owned(),
        options.rounds.to_string(),
        options.limit.to_string(),
    ];
    args.extend(
        search_texts(&snapshot)
            .into_iter()
            .map(|(class, text)| format!("{class}={text}")),
    );
    let engine = on_demand_engine()?;
    let module = Module::from_file(&engine, &options.module)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("compiling {}", options.module.display()))?;
    let mut linker: Linker<WasiP1Ctx> = Linker::new(&engine);
    p1::add_to_linker_sync(&mut linker, |ctx| ctx)?;
    let wasi = WasiCtxBuilder::new()
        .inherit_stdout()
        .inherit_stderr()
        .args(&args)
        .preopened_dir(&dir, "/data", FsPerms::ReadOnly)?
        .build_p1();
    let mut store = Store::new(&engine, wasi);
    store.set_epoch_deadline(u64::MAX / 2);
    println!(
        "load average {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    let instance = linker.instantiate(&mut store, &module)?;
    let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
    let ran = start.call(&mut store, ());
    std::fs::remove_dir_all(&dir)?;
    match ran {
        Ok(()) => Ok(()),
        Err(e) => match e.downcast_ref::<wasmtime_wasi::I32Exit>() {
            Some(exit) if exit.0 == 0 => Ok(()),
            _ => Err(anyhow::Error::from(e)).context("the tantivy guest failed"),
        },
    }
    .inspect(|()| {
        println!(
            "load average {}",
            std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .trim()
        )
    })
}
