//! The same search and find_contact queries natively and through the
//! component, at 1,000 and 10,000 contacts, to show what the sandbox costs.
//!
//! Both sides read their account from one in-process simulator
//! (`dex_sim::RunningSim`, seed 7, about five notes and two reminders per
//! contact). The native side calls the guest's tool functions
//! (`dex_guest::tools`) on an account it read once through the guest's
//! own v1 list reader over HTTP. The component side is the server's path
//! minus MCP framing: `LoadedComponent::call` with JSON arguments, on one
//! warm instance whose account cache was filled by a first call, so the
//! difference is the sandbox: the call, the JSON/WIT conversions both ways,
//! and the guest code as compiled by Cranelift instead of LLVM.
//!
//! `cache-miss` (1,000 contacts only, a read costs tens of milliseconds):
//! every call reads and indexes the whole account again (the component
//! with a cache lifetime of 0; natively, read + index + search).

use std::hint::black_box;
use std::rc::Rc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use dex_guest::account::{Account, AccountDirectory};
use dex_guest::dex::v1::{V1Client, V1Lists};
use dex_guest::model::ToolError;
use dex_guest::snapshot::Snapshot;
use dex_guest::tools::contacts::{FindContactArgs, find_contact};
use dex_guest::tools::search::{FullTextArgs, search_contacts_full_text};
use dex_mcp::component::{CallOutcome, LoadedComponent, ToolSpec, start_epoch_ticker};
use dex_mcp_benches::native_http::NativeHttp;
use dex_mcp_benches::queries::{
    SEARCH_CONFIDENCES, SEARCH_LIMITS, find_contact_cases, find_contact_json, search_args,
    search_json, search_texts,
};
use dex_mcp_benches::served_component::{
    SEED, Serving, built_component, compile_for, pooling_engine, serve,
};
use dex_sim::{RunningSim, SimConfig};
use serde_json::{Map, Value};
use tokio::runtime::Runtime;
use wasmtime::component::Component;

/// The account read natively, the way the component reads it.
fn read_natively(sim: &RunningSim) -> Account {
    let started = Instant::now();
    let lists = V1Lists::new(&sim.v1_base_url(), NativeHttp::new(sim.api_key()));
    let snapshot = Snapshot::fetch(&lists);
    assert!(!snapshot.is_partial(), "{:?}", snapshot.failures);
    Account::index(snapshot, started.elapsed())
}

fn native_search(account: &Account, args: &FullTextArgs) -> Vec<String> {
    search_contacts_full_text(account.search_index(), &account.snapshot.failures, args)
        .expect("the search runs")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

/// `find_contact` over the kept account, as the component's export builds
/// it on every call.
fn native_find(account: &Rc<Account>, sim: &RunningSim, args: &FindContactArgs) -> Vec<String> {
    let read = || -> Result<Rc<Account>, ToolError> { Ok(account.clone()) };
    let directory = AccountDirectory::new(
        Some(account.clone()),
        &read,
        V1Client::new(&sim.v1_base_url(), NativeHttp::new(sim.api_key())),
    );
    find_contact(&directory, args)
        .expect("the query runs")
        .matches
        .iter()
        .map(|m| m.contact.id.clone())
        .collect()
}

/// Ids of the hits (`hits[].id`) or matches (`matches[].contact.id`) of a
/// component answer.
fn answer_ids(outcome: &CallOutcome) -> Vec<String> {
    let CallOutcome::Success(Some(json)) = outcome else {
        panic!("the call failed: {outcome:?}");
    };
    let id = |v: &Value| v.as_str().expect("ids are strings").to_owned();
    if let Some(hits) = json["hits"].as_array() {
        hits.iter().map(|h| id(&h["id"])).collect()
    } else {
        json["matches"]
            .as_array()
            .expect("hits or matches")
            .iter()
            .map(|m| id(&m["contact"]["id"]))
            .collect()
    }
}

/// The component side of one account.
struct Served<'a> {
    runtime: &'a Runtime,
    loaded: LoadedComponent,
}

impl Served<'_> {
    fn tool(&self, name: &str) -> &ToolSpec {
        self.loaded.tool(name).expect("the component has the tool")
    }

    fn call(&self, tool: &ToolSpec, arguments: &Map<String, Value>) -> CallOutcome {
        self.runtime
            .block_on(self.loaded.call(tool, arguments))
            .expect("the call completes")
    }
}

fn serve_on(
    runtime: &Runtime,
    engine: &wasmtime::Engine,
    component: &Component,
    sim: &RunningSim,
    cache_ttl_seconds: u64,
) -> LoadedComponent {
    let serving = Serving {
        base_url: sim.v1_base_url(),
        api_key: sim.api_key().to_owned(),
        cache_ttl_seconds,
        instances: 1,
    };
    runtime
        .block_on(serve(engine, component.clone(), &serving))
        .expect("the component loads")
}

/// Warns when the two sides answered differently (ties may be ordered
/// differently; the number of answers must agree).
fn compare(label: &str, native: &[String], component: &[String]) {
    assert_eq!(
        native.len(),
        component.len(),
        "{label}: native and component disagree on the number of answers"
    );
    if native != component {
        eprintln!("{label}: same number of answers, in another order (ties)");
    }
}

fn component_benches(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let engine = pooling_engine().expect("engine");
    start_epoch_ticker(&engine);
    let component =
        compile_for(&engine, &built_component("dex_guest.wasm")).expect("dex_guest.wasm compiles");

    for contacts in [1_000, 10_000] {
        let sim = RunningSim::start_blocking(SimConfig {
            seed: SEED,
            contacts,
            ..SimConfig::default()
        })
        .expect("the simulator starts");
        let account = Rc::new(read_natively(&sim));
        let label = format!(
            "{contacts}c-{}n-{}r",
            account.snapshot.notes.len(),
            account.snapshot.reminders.len()
        );
        eprintln!(
            "{label}: native read and index {} ms",
            account.build_time.as_millis()
        );
        let served = Served {
            runtime: &runtime,
            loaded: serve_on(&runtime, &engine, &component, &sim, 3_600),
        };
        let search = served.tool("search_contacts_full_text").clone();
        let find = served.tool("find_contact").clone();

        let texts = search_texts(&account.snapshot);
        let started = Instant::now();
        let first = served.call(&search, &search_json(&search_args(&texts[0].1, 5, 30)));
        eprintln!(
            "{label}: component's first call (read, index, search) {} ms",
            started.elapsed().as_millis()
        );
        answer_ids(&first);

        let mut group = c.benchmark_group(format!("component-search/{label}"));
        for (kind, text) in &texts {
            let cases = SEARCH_LIMITS
                .iter()
                .map(|&limit| {
                    (
                        format!("{kind}/limit-{limit}"),
                        search_args(text, limit, 30),
                    )
                })
                .chain(SEARCH_CONFIDENCES.iter().map(|&confidence| {
                    (
                        format!("{kind}/min-confidence-{confidence}"),
                        search_args(text, 20, confidence),
                    )
                }));
            for (case, args) in cases {
                let json = search_json(&args);
                compare(
                    &case,
                    &native_search(&account, &args),
                    &answer_ids(&served.call(&search, &json)),
                );
                group.bench_function(format!("{case}/native"), |b| {
                    b.iter(|| native_search(&account, black_box(&args)))
                });
                group.bench_function(format!("{case}/component"), |b| {
                    b.iter(|| served.call(&search, black_box(&json)))
                });
            }
        }
        group.finish();

        let mut group = c.benchmark_group(format!("component-find-contact/{label}"));
        for (case, args) in find_contact_cases(&account.contacts) {
            let json = find_contact_json(&args);
            compare(
                case,
                &native_find(&account, &sim, &args),
                &answer_ids(&served.call(&find, &json)),
            );
            group.bench_function(format!("{case}/native"), |b| {
                b.iter(|| native_find(&account, &sim, black_box(&args)))
            });
            group.bench_function(format!("{case}/component"), |b| {
                b.iter(|| served.call(&find, black_box(&json)))
            });
        }
        group.finish();

        if contacts == 1_000 {
            let cold = Served {
                runtime: &runtime,
                loaded: serve_on(&runtime, &engine, &component, &sim, 0),
            };
            let args = search_args(&texts[0].1, 20, 30);
            let json = search_json(&args);
            let mut group = c.benchmark_group(format!("component-cache-miss/{label}"));
            group.sample_size(10);
            group.bench_function("exact-name/native", |b| {
                b.iter(|| native_search(&read_natively(&sim), black_box(&args)))
            });
            group.bench_function("exact-name/component", |b| {
                b.iter(|| cold.call(&search, black_box(&json)))
            });
            group.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = component_benches
}
criterion_main!(benches);
