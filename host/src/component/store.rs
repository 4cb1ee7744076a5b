//! What a guest instance's store holds: its WASI context, its HTTP policy,
//! its key-value bucket and nothing else (no filesystem, no sockets, no
//! stdout).

use std::sync::Arc;

use wasmtime::component::ResourceTable;
use wasmtime::{ResourceLimiter, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

use super::guest_log::{CallReports, GuestStderr, ReportSlot};
use crate::outbound_http::{OutboundPolicy, PolicyHooks};
use crate::state::GuestBucket;
use crate::state::keyvalue::KeyValueView;

/// What every instance of one component is given.
#[derive(Debug, Clone)]
pub struct GuestContext {
    /// The guest's environment variables: its settings, never secrets.
    pub env: Vec<(String, String)>,
    /// Where it may send HTTP requests, and with which credential.
    pub outbound: Arc<OutboundPolicy>,
    /// Linear memory cap per instance, in bytes.
    pub max_memory_bytes: usize,
    /// The key-value bucket it may use (`wasi:keyvalue/store`); off when
    /// the server keeps no state.
    pub state: GuestBucket,
}

/// The data of one store: one call's instance.
pub struct GuestState {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    hooks: PolicyHooks,
    table: ResourceTable,
    limits: StoreLimits,
    reports: ReportSlot,
    state: GuestBucket,
}

impl GuestState {
    /// A fresh state for one call.
    pub fn new(context: &GuestContext) -> Self {
        let reports = ReportSlot::default();
        let wasi = WasiCtx::builder()
            .envs(&context.env)
            // Guest panics and logs are for the operator, as log events of
            // the call that wrote them; stdout is MCP's.
            .stderr(GuestStderr::new(reports.clone()))
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .build();
        Self {
            wasi,
            http: WasiHttpCtx::new(),
            hooks: PolicyHooks::new(context.outbound.clone()),
            table: ResourceTable::new(),
            limits: StoreLimitsBuilder::new()
                .memory_size(context.max_memory_bytes)
                .trap_on_grow_failure(true)
                .build(),
            reports,
            state: context.state.clone(),
        }
    }

    /// The guest's `wasi:keyvalue` view.
    pub fn key_value(&mut self) -> KeyValueView<'_> {
        KeyValueView {
            bucket: &self.state,
            table: &mut self.table,
        }
    }

    /// A call starts in this (possibly warm) instance: per-call budgets
    /// start anew, and what the guest reports goes to `reports`.
    pub fn begin_call(&mut self, reports: Option<CallReports>) {
        self.hooks.begin_call();
        *self.reports.lock().expect("report slot lock") = reports;
    }

    /// The call has ended: its reports (and with them its progress
    /// stream) are closed.
    pub fn end_call(&mut self) {
        self.reports.lock().expect("report slot lock").take();
    }

    /// The store's resource limiter.
    pub fn limiter(&mut self) -> &mut dyn ResourceLimiter {
        &mut self.limits
    }
}

impl WasiView for GuestState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for GuestState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}
