//! Where memory goes with a warm 10,000-contact account (50,000 notes,
//! 20,000 reminders): the linear memory of one instance holding it, the
//! process's resident memory at each step of serving it, and what the
//! account's parts take natively. Prints a report; no Criterion, since
//! these are sizes, not times.
//!
//! Run: `cargo bench -p dex-mcp-benches --bench memory`.
//!
//! - Resident memory (VmRSS of this process) is read after each step. The
//!   simulator runs in this process, so its share is measured first and
//!   is not the host's.
//! - Linear memory is what the instance's memories have grown to (the
//!   store's resource limiter is told of every growth), read from an
//!   instance made with `dex_mcp_benches::bare_store` on the server's
//!   engine, since the server's own stores are private to its pool. That
//!   instance stores the account it read in a state store (a temporary
//!   directory), as the server does by default; one more instance then
//!   takes the account up from the store, as a pool's further instances
//!   do.
//! - The native breakdown counts live heap bytes (a counting global
//!   allocator) after reading the snapshot, building the search index and
//!   building the matcher, and the most that was live at once during each
//!   step (its peak: what a memory that never shrinks keeps). Native
//!   pointers are 8 bytes, the guest's 4, so native sizes overstate the
//!   guest's for pointer-heavy structures.
//! - Linear memory is also read at the guest's own reports on stderr: at
//!   the last progress report of the account read (every list read, not
//!   indexed yet) and at the read's timing report (indexed). With
//!   `MEMORY_TRACE=1` every report line is printed with the linear memory
//!   when it was written: how memory grew page by page.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use dex_guest::dex::v1::V1Lists;
use dex_guest::matching::ContactMatcher;
use dex_guest::model::Contact;
use dex_guest::search::SearchIndex;
use dex_guest::snapshot::Snapshot;
use dex_mcp::component::wit_json::params_to_vals;
use dex_mcp::component::{CallOutcome, start_epoch_ticker};
use dex_mcp::state::{Backend, BucketName, GuestBucket, LocalStore};
use dex_mcp_benches::bare_store::{BareState, link, store_with};
use dex_mcp_benches::native_http::NativeHttp;
use dex_mcp_benches::queries::{search_args, search_json};
use dex_mcp_benches::served_component::{
    SEED, Serving, built_component, compile_for, pooling_engine, serve,
};
use dex_sim::{RunningSim, SimConfig};
use wasmtime::component::Val;

const CONTACTS: usize = 10_000;

/// The system allocator, counting the bytes live at any moment.
struct Counting;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

/// The most bytes live at once since [`reset_peak`].
static PEAK_BYTES: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE_BYTES.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK_BYTES.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; only a counter is
// updated beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Old and new blocks are both live while the contents move.
        grew(new_size);
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live_bytes() -> usize {
    LIVE_BYTES.load(Ordering::Relaxed)
}

/// Starts a new peak from what is live now.
fn reset_peak() {
    PEAK_BYTES.store(live_bytes(), Ordering::Relaxed);
}

fn peak_bytes() -> usize {
    PEAK_BYTES.load(Ordering::Relaxed)
}

/// This process's resident memory, from `/proc/self/status`.
fn rss_bytes() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .expect("VmRSS in kB")
        * 1024
}

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
}

/// Prints one step: resident memory now and the change since the last.
struct Steps {
    last: usize,
}

impl Steps {
    fn step(&mut self, what: &str) {
        let now = rss_bytes();
        let delta = now as i64 - self.last as i64;
        println!(
            "| {what} | {} | {}{} |",
            mb(now),
            if delta >= 0 { "+" } else { "-" },
            mb(delta.unsigned_abs() as usize)
        );
        self.last = now;
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    println!("\n## Resident memory of this process, step by step\n");
    println!("| step | VmRSS | change |\n|---|---|---|");
    let mut steps = Steps { last: 0 };
    steps.step("start (runtime, no engine)");
    let sim = RunningSim::start_blocking(SimConfig {
        seed: SEED,
        contacts: CONTACTS,
        ..SimConfig::default()
    })
    .expect("the simulator starts");
    steps.step("in-process simulator with 10,000 contacts (not the host's)");

    let engine = pooling_engine().expect("engine");
    start_epoch_ticker(&engine);
    let component =
        compile_for(&engine, &built_component("dex_guest.wasm")).expect("dex_guest.wasm compiles");
    steps.step("engine (pooling allocator reserved) and compiled component loaded");
    let serving = Serving {
        base_url: sim.v1_base_url(),
        api_key: sim.api_key().to_owned(),
        cache_ttl_seconds: 3_600,
        instances: 1,
    };
    let loaded = runtime
        .block_on(serve(&engine, component.clone(), &serving))
        .expect("the component loads");
    steps.step("component linked, catalogue read (one instance, dropped)");
    let search = loaded
        .tool("search_contacts_full_text")
        .expect("search tool")
        .clone();
    let query = search_json(&search_args("Coffee with", 20, 30));
    let started = Instant::now();
    let answer = runtime
        .block_on(loaded.call(&search, &query))
        .expect("the call completes");
    assert!(
        matches!(answer, CallOutcome::Success(Some(_))),
        "{answer:?}"
    );
    let first_ms = started.elapsed().as_millis();
    steps.step("first search: one warm instance holding the account");
    println!("\nFirst search (read, index, answer) took {first_ms} ms.");

    // One more instance, built here so that its memory can be read. It
    // stores the account it read, as the server does with a state
    // directory (its default), so its memory includes the save.
    let pre = link(&engine, &component).expect("links");
    let mut env = serving_env(&serving);
    env.push(("DEX_API_KEY".into(), serving.api_key.clone()));
    let state_dir = std::env::temp_dir().join(format!("dex-mcp-memory-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state_dir);
    let backend: Arc<dyn Backend> =
        Arc::new(LocalStore::open(&state_dir).expect("a state store in the temporary directory"));
    let bucket = GuestBucket::new(
        backend,
        BucketName::for_account(&serving.base_url, &serving.api_key),
    );
    let params = params_to_vals(&search.params, &query).expect("arguments fit");
    let call = |bucket: &GuestBucket| {
        let mut store = store_with(&engine, BareState::new(&env).with_bucket(bucket.clone()));
        let instance = runtime
            .block_on(pre.instantiate_async(&mut store))
            .expect("instantiates");
        let empty = store.data().linear_memory_bytes();
        let func = instance
            .get_func(&mut store, search.index)
            .expect("search export");
        let mut results = vec![Val::Bool(false)];
        runtime
            .block_on(func.call_async(&mut store, &params, &mut results))
            .expect("the search completes");
        (store, empty)
    };
    let (store, empty) = call(&bucket);
    let warm = store.data().linear_memory_bytes();
    let reports = store.data().stderr_lines();
    steps.step("a second instance (bare store), account read and stored");
    drop(store);
    steps.step("that instance dropped (its slot's pages released)");
    let (store, _) = call(&bucket);
    let restored = store.data().linear_memory_bytes();
    steps.step("a third instance (bare store) takes up the stored account");
    drop(store);
    let _ = std::fs::remove_dir_all(&state_dir);

    println!("\n## Linear memory of one instance\n");
    println!("| state | linear memory |\n|---|---|");
    println!("| instantiated, nothing read | {} |", mb(empty));
    if std::env::var_os("MEMORY_TRACE").is_some() {
        for (line, memory) in &reports {
            println!("TRACE {} {line}", mb(*memory));
        }
    }
    let read = reports
        .iter()
        .rfind(|(line, _)| line.starts_with("mcp-host:progress "))
        .expect("the read reports its progress");
    println!(
        "| every list read, not indexed (last progress report) | {} |",
        mb(read.1)
    );
    let indexed = reports
        .iter()
        .find(|(line, _)| line.starts_with("mcp-host:timing ") && line.contains("account_read"))
        .expect("the read reports its time");
    println!("| indexed (the read's timing report) | {} |", mb(indexed.1));
    println!(
        "| holding the 10,000-contact account, read from Dex and stored | {} |",
        mb(warm)
    );
    println!(
        "| holding it, taken up from the store (a further instance) | {} |",
        mb(restored)
    );

    drop(loaded);
    native_breakdown(&sim);
}

/// The guest's environment as the server sets it.
fn serving_env(serving: &Serving) -> Vec<(String, String)> {
    vec![
        ("DEX_API_BASE_URL".into(), serving.base_url.clone()),
        ("DEX_API_GENERATION".into(), "v1".into()),
        (
            "DEX_MCP_CACHE_TTL".into(),
            serving.cache_ttl_seconds.to_string(),
        ),
    ]
}

/// Live heap bytes of each part of the account, natively.
fn native_breakdown(sim: &RunningSim) {
    println!("\n## The account's parts, natively (live heap bytes)\n");
    println!("| part | heap | peak during its step |\n|---|---|---|");
    let before = live_bytes();
    reset_peak();
    let lists = V1Lists::new(&sim.v1_base_url(), NativeHttp::new(sim.api_key()));
    let snapshot = Snapshot::fetch(&lists);
    drop(lists);
    assert!(!snapshot.is_partial());
    let after_snapshot = live_bytes();
    println!(
        "| snapshot: {} contacts, {} notes, {} reminders | {} | {} |",
        snapshot.contacts.len(),
        snapshot.notes.len(),
        snapshot.reminders.len(),
        mb(after_snapshot - before),
        mb(peak_bytes() - before)
    );
    reset_peak();
    let index = SearchIndex::build(&snapshot);
    let after_index = live_bytes();
    println!(
        "| search index: {} records, {} distinct terms | {} | {} |",
        index.len(),
        index.term_count(),
        mb(after_index - after_snapshot),
        mb(peak_bytes() - after_snapshot)
    );
    reset_peak();
    let contacts: Arc<[Arc<Contact>]> = snapshot.contacts.iter().cloned().collect();
    let matcher = ContactMatcher::new(&contacts);
    let after_matcher = live_bytes();
    println!(
        "| contact matcher | {} | {} |",
        mb(after_matcher - after_index),
        mb(peak_bytes() - after_index)
    );
    println!("| total | {} | |", mb(after_matcher - before));
    drop((matcher, index, contacts));
    per_kind(snapshot);
}

/// Live heap bytes of each record kind: what taking each list out of
/// `snapshot` and dropping it gives back. Run once nothing else holds the
/// records.
fn per_kind(mut snapshot: Snapshot) {
    let mut freed = |list: &mut dyn FnMut(&mut Snapshot)| {
        let before = live_bytes();
        list(&mut snapshot);
        mb(before - live_bytes())
    };
    let contacts = freed(&mut |s| drop(std::mem::take(&mut s.contacts)));
    let notes = freed(&mut |s| drop(std::mem::take(&mut s.notes)));
    let reminders = freed(&mut |s| drop(std::mem::take(&mut s.reminders)));
    println!("| of the snapshot: contacts | {contacts} | |");
    println!("| of the snapshot: notes | {notes} | |");
    println!("| of the snapshot: reminders | {reminders} | |");
}
