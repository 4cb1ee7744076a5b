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
//!
//! The guest's stderr is kept, line by line, each line with the linear
//! memory at the moment it was written: the Dex component reports the
//! progress of an account read and its end there, so the log says how
//! much memory the read took before indexing began.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use anyhow::Result;
use dex_mcp::state::GuestBucket;
use dex_mcp::state::keyvalue::KeyValueView;
use tokio::io::AsyncWrite;
use wasmtime::component::{Component, InstancePre, Linker, ResourceTable};
use wasmtime::{Engine, ResourceLimiter, Store, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
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
    stderr: StderrLog,
    /// `wasi:keyvalue`: off unless [`BareState::with_bucket`] lends one.
    bucket: GuestBucket,
}

/// The server's memory cap, plus a tally of how far the store's linear
/// memories have grown.
struct RecordingLimits {
    limits: StoreLimits,
    /// Shared with the stderr log, which reads it when a line is written.
    linear_memory_bytes: Arc<AtomicUsize>,
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
            self.linear_memory_bytes
                .fetch_add(desired - current, Ordering::Relaxed);
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
        let linear_memory_bytes = Arc::new(AtomicUsize::new(0));
        let stderr = StderrLog {
            linear_memory_bytes: linear_memory_bytes.clone(),
            lines: Arc::default(),
        };
        Self {
            wasi: WasiCtx::builder()
                .envs(env)
                .stderr(stderr.clone())
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
                linear_memory_bytes,
            },
            stderr,
            bucket: GuestBucket::off(),
        }
    }

    /// The same, with `bucket` lent to the guest as the server lends its
    /// state store (`--state-dir`).
    pub fn with_bucket(mut self, bucket: GuestBucket) -> Self {
        self.bucket = bucket;
        self
    }

    /// Bytes of linear memory the store's instances hold now (memories
    /// only grow).
    pub fn linear_memory_bytes(&self) -> usize {
        self.limits.linear_memory_bytes.load(Ordering::Relaxed)
    }

    /// Every complete line the guest wrote to stderr so far, with the
    /// linear memory when its end was written.
    pub fn stderr_lines(&self) -> Vec<(String, usize)> {
        self.stderr.lines.lock().expect("stderr log").done.clone()
    }
}

/// The guest's stderr: lines, each with the linear memory at its end.
#[derive(Clone)]
struct StderrLog {
    linear_memory_bytes: Arc<AtomicUsize>,
    lines: Arc<Mutex<Lines>>,
}

#[derive(Default)]
struct Lines {
    done: Vec<(String, usize)>,
    partial: Vec<u8>,
}

impl IsTerminal for StderrLog {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for StderrLog {
    fn async_stream(&self) -> Box<dyn AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

impl AsyncWrite for StderrLog {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        bytes: &[u8],
    ) -> Poll<io::Result<usize>> {
        // The guest waits for its write to be flushed, so the memory read
        // here is the memory when it wrote.
        let memory = self.linear_memory_bytes.load(Ordering::Relaxed);
        let mut lines = self.lines.lock().expect("stderr log");
        for &byte in bytes {
            if byte == b'\n' {
                let line = String::from_utf8_lossy(&lines.partial).into_owned();
                lines.partial.clear();
                lines.done.push((line, memory));
            } else {
                lines.partial.push(byte);
            }
        }
        Poll::Ready(Ok(bytes.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
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

/// Links `component` against WASI, `wasi:http` and `wasi:keyvalue`, as
/// the server does.
pub fn link(engine: &Engine, component: &Component) -> Result<InstancePre<BareState>> {
    let mut linker = Linker::<BareState>::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
    dex_mcp::state::add_to_linker(&mut linker, |state: &mut BareState| KeyValueView {
        bucket: &state.bucket,
        table: &mut state.table,
    })?;
    Ok(linker.instantiate_pre(component)?)
}

/// A new store, set up as the server sets up its stores: memory cap and a
/// deadline (here 10 s, in epochs of the server's 10 ms ticker).
pub fn new_store(engine: &Engine, env: &[(String, String)]) -> Store<BareState> {
    store_with(engine, BareState::new(env))
}

/// A store as [`new_store`] makes it, around `state`.
pub fn store_with(engine: &Engine, state: BareState) -> Store<BareState> {
    let mut store = Store::new(engine, state);
    store.limiter(|state| &mut state.limits);
    store.set_epoch_deadline(1_000);
    store.epoch_deadline_trap();
    store
}
