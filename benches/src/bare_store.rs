//! A store built by the benchmark itself rather than by the server's
//! runner, for what the runner does not expose: a new instance per call
//! (the runner keeps instances warm) and the size of an instance's linear
//! memories (the runner's stores are private to its pool).
//!
//! It holds what the server's store holds (`host/src/component/store.rs`):
//! a WASI context without sockets or files, a `wasi:http` context, a
//! resource table and the memory cap; but `wasi:http`'s default hooks, with
//! no origin check and no key added. A guest that must reach the API is
//! given the key in its environment (`DEX_API_KEY`), which the Dex
//! component honours outside the server.

use anyhow::Result;
use wasmtime::component::{Component, InstancePre, Linker, ResourceTable};
use wasmtime::{Engine, ResourceLimiter, Store, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

/// The memory cap of the server's default limits.
const MAX_MEMORY_BYTES: usize = 512 << 20;

/// A store's data.
pub struct BareState {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
    limits: RecordingLimits,
}

/// The server's memory cap, plus a tally of how far the store's linear
/// memories have grown.
struct RecordingLimits {
    limits: StoreLimits,
    linear_memory_bytes: usize,
}

impl ResourceLimiter for RecordingLimits {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = self.limits.memory_growing(current, desired, maximum)?;
        if allowed {
            // Creating a memory is reported as growing it from 0.
            self.linear_memory_bytes += desired - current;
        }
        Ok(allowed)
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }
}

impl BareState {
    /// Fresh data for one store, with `env` as the guest's environment.
    pub fn new(env: &[(String, String)]) -> Self {
        Self {
            wasi: WasiCtx::builder()
                .envs(env)
                .allow_tcp(false)
                .allow_udp(false)
                .allow_ip_name_lookup(false)
                .build(),
            http: WasiHttpCtx::new(),
            table: ResourceTable::new(),
            limits: RecordingLimits {
                limits: StoreLimitsBuilder::new()
                    .memory_size(MAX_MEMORY_BYTES)
                    .trap_on_grow_failure(true)
                    .build(),
                linear_memory_bytes: 0,
            },
        }
    }

    /// Bytes of linear memory the store's instances hold now (memories
    /// only grow).
    pub fn linear_memory_bytes(&self) -> usize {
        self.limits.linear_memory_bytes
    }
}

impl WasiView for BareState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for BareState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: wasmtime_wasi_http::default_hooks(),
        }
    }
}

/// Links `component` against WASI and `wasi:http`, as the server does.
pub fn link(engine: &Engine, component: &Component) -> Result<InstancePre<BareState>> {
    let mut linker = Linker::<BareState>::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
    Ok(linker.instantiate_pre(component)?)
}

/// A new store, set up as the server sets up its stores: memory cap and a
/// deadline (here 10 s, in epochs of the server's 10 ms ticker).
pub fn new_store(engine: &Engine, env: &[(String, String)]) -> Store<BareState> {
    let mut store = Store::new(engine, BareState::new(env));
    store.limiter(|state| &mut state.limits);
    store.set_epoch_deadline(1_000);
    store.epoch_deadline_trap();
    store
}
