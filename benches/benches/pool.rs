//! What one tool call costs the host before and after the guest's own
//! work: drawing an instance (a warm one from the pool, or a new one from
//! the allocator, store included) and calling an export that does almost
//! nothing.
//!
//! Components (built by `cargo xtask guest`): `probe_guest_plus.wasm`
//! (285 KB, waki, like the 240 KB component of the reference
//! figure), whose `echo` returns its argument, and `dex_guest.wasm`
//! (1.9 MB), whose search refuses an empty query before any I/O.
//!
//! - `warm/*`: `LoadedComponent::call`, the server's own path, with one
//!   instance kept warm: the pool's slot, JSON to WIT values, the call,
//!   WIT values to JSON, the instance given back.
//! - `new-pooling/*`, `new-on-demand/*`: a new store and instance per call,
//!   with the server's engine (pooling allocator) and with the same engine
//!   minus pooling; the store is `dex_mcp_benches::bare_store`'s, which
//!   holds what the server's stores hold; the call is the same, and the
//!   store is dropped inside the measurement.

use std::hint::black_box;
use std::time::Duration;

use anyhow::{Result, anyhow};
use criterion::{Criterion, criterion_group, criterion_main};
use dex_mcp::component::wit_json::params_to_vals;
use dex_mcp::component::{CallOutcome, LoadedComponent, ToolSpec, start_epoch_ticker};
use dex_mcp_benches::bare_store::{BareState, link, new_store};
use dex_mcp_benches::served_component::{
    Serving, built_component, compile_for, on_demand_engine, pooling_engine, serve,
};
use serde_json::{Map, Value, json};
use wasmtime::Engine;
use wasmtime::component::{Component, InstancePre, Val};

/// One component on one engine: linked for fresh instances, and loaded
/// by the server's runner for warm calls.
struct Subject {
    engine: Engine,
    pre: InstancePre<BareState>,
    loaded: LoadedComponent,
    tool: ToolSpec,
    arguments: Map<String, Value>,
}

impl Subject {
    async fn new(engine: Engine, wasm: &str, tool: &str, arguments: Value) -> Result<Self> {
        let component: Component = compile_for(&engine, &built_component(wasm))?;
        let pre = link(&engine, &component)?;
        let serving = Serving {
            // Never contacted: these calls make no request.
            base_url: "http://127.0.0.1:9".into(),
            api_key: "unused".into(),
            cache_ttl_seconds: 300,
            instances: 1,
        };
        let loaded = serve(&engine, component, &serving).await?;
        let tool = loaded
            .tool(tool)
            .ok_or_else(|| anyhow!("{wasm} has no tool {tool}"))?
            .clone();
        let Value::Object(arguments) = arguments else {
            return Err(anyhow!("arguments must be an object"));
        };
        Ok(Self {
            engine,
            pre,
            loaded,
            tool,
            arguments,
        })
    }

    /// The server's path: a warm instance from the pool.
    async fn warm_call(&self) -> CallOutcome {
        self.loaded
            .call(&self.tool, &self.arguments)
            .await
            .expect("the call completes")
    }

    /// A new store and instance, one call, the store dropped.
    async fn fresh_call(&self) -> Val {
        let mut store = new_store(&self.engine, &[]);
        let instance = self
            .pre
            .instantiate_async(&mut store)
            .await
            .expect("instantiates");
        let params = params_to_vals(&self.tool.params, &self.arguments).expect("arguments fit");
        let func = instance
            .get_func(&mut store, self.tool.index)
            .expect("the export exists");
        let mut results = vec![Val::Bool(false)];
        func.call_async(&mut store, &params, &mut results)
            .await
            .expect("the call completes");
        results.pop().expect("one result")
    }
}

fn pool_benches(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let cases = [
        (
            "probe-echo",
            "probe_guest_plus.wasm",
            "echo",
            json!({"text": "ping"}),
        ),
        (
            "dex-refused-search",
            "dex_guest.wasm",
            "search_contacts_full_text",
            json!({"query": ""}),
        ),
    ];
    let mut group = c.benchmark_group("pool");
    for (engine_label, engine) in [
        ("pooling", pooling_engine().expect("engine")),
        ("on-demand", on_demand_engine().expect("engine")),
    ] {
        start_epoch_ticker(&engine);
        for (label, wasm, tool, arguments) in &cases {
            let subject = runtime
                .block_on(Subject::new(engine.clone(), wasm, tool, arguments.clone()))
                .expect("the component loads");
            // Check once that the call does what it is meant to.
            match runtime.block_on(subject.warm_call()) {
                CallOutcome::Success(Some(out)) if *label == "probe-echo" => {
                    assert_eq!(out, json!({"value": "ping"}))
                }
                CallOutcome::Failure(err) if *label == "dex-refused-search" => {
                    assert!(err.to_string().contains("query"), "{err}")
                }
                other => panic!("{label}: unexpected {other:?}"),
            }
            if engine_label == "pooling" {
                group.bench_function(format!("warm/{label}"), |b| {
                    b.iter(|| black_box(runtime.block_on(subject.warm_call())))
                });
            }
            group.bench_function(format!("new-{engine_label}/{label}"), |b| {
                b.iter(|| black_box(runtime.block_on(subject.fresh_call())))
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = pool_benches
}
criterion_main!(benches);
