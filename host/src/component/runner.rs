//! One loaded component and how a tool call runs in it.
//!
//! The component is compiled and linked once ([`InstancePre`]). Calls run
//! in warm instances from an [`InstancePool`], created from the engine's
//! pooling allocator when none is idle; an instance whose call fails is
//! thrown away, so a guest that traps takes only its own call down.

use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use serde_json::{Map, Value};
use wasmtime::component::{
    Component, ComponentExportIndex, Instance, InstancePre, Linker, Type, Val,
};
use wasmtime::{Engine, Store};

use super::catalogue::{self, ToolSpec};
use super::guest_log::CallReports;
use super::pool::InstancePool;
use super::store::{GuestContext, GuestState};
use super::wit_json::{self, ArgumentError};

/// How often the engine's epoch advances; deadlines are multiples of it.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// A component ready to serve calls.
pub struct LoadedComponent {
    engine: Engine,
    pre: InstancePre<GuestState>,
    context: GuestContext,
    tools: Vec<ToolSpec>,
    deadline: Duration,
    pool: InstancePool<(Store<GuestState>, Instance)>,
}

/// How calls run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallPolicy {
    /// Longest one call may run.
    pub deadline: Duration,
    /// Warm instances kept, and so calls run at once.
    pub instances: usize,
}

/// What a call returned.
#[derive(Debug, Clone, PartialEq)]
pub enum CallOutcome {
    /// The function returned (or returned `ok`) with this structured value.
    Success(Option<Value>),
    /// The function returned `err` with this value.
    Failure(Value),
}

/// Why a call did not return at all.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The arguments do not fit the function's parameters.
    #[error(transparent)]
    Arguments(#[from] ArgumentError),
    /// The guest trapped, ran out of time or memory, or could not start.
    #[error("the component failed: {0:#}")]
    Guest(anyhow::Error),
}

impl LoadedComponent {
    /// Links an already compiled component and reads its catalogue.
    pub async fn from_component(
        engine: &Engine,
        component: Component,
        context: GuestContext,
        policy: CallPolicy,
    ) -> Result<Self> {
        let mut linker = Linker::<GuestState>::new(engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
        let pre = linker
            .instantiate_pre(&component)
            .map_err(anyhow::Error::from)
            .context("the component imports something this host does not provide")?;
        let mut tools = catalogue::exported_tools(&component, engine)?;
        let loaded = Self {
            engine: engine.clone(),
            pre,
            context,
            tools: Vec::new(),
            deadline: policy.deadline,
            pool: InstancePool::new(policy.instances),
        };
        if let Some(describe) = catalogue::describe_index(&component, engine) {
            let (mut store, instance) = loaded.instantiate().await?;
            let described = loaded
                .invoke(&mut store, &instance, describe, &[], true, None)
                .await
                .map_err(|e| anyhow!("the component's catalogue `describe` failed: {e}"))?
                .ok_or_else(|| anyhow!("the component's `describe` returned nothing"))?;
            catalogue::apply_descriptions(&mut tools, &described);
        }
        Ok(Self { tools, ..loaded })
    }

    /// The component's tools.
    pub fn tools(&self) -> &[ToolSpec] {
        &self.tools
    }

    /// The tool called `name`.
    pub fn tool(&self, name: &str) -> Option<&ToolSpec> {
        self.tools.iter().find(|t| t.name == name)
    }

    /// Calls `tool` with JSON `arguments`, in a warm or new instance; what
    /// the guest reports is only logged.
    pub async fn call(
        &self,
        tool: &ToolSpec,
        arguments: &Map<String, Value>,
    ) -> Result<CallOutcome, CallError> {
        self.call_reporting(tool, arguments, None).await
    }

    /// Calls `tool` like [`Self::call`], with what the guest reports
    /// during the call going to `reports`.
    ///
    /// Dropping the returned future stops the call (at the guest's next
    /// wait on the host, such as an HTTP answer) and throws its instance
    /// away: an instance stopped midway is never drawn again.
    pub async fn call_reporting(
        &self,
        tool: &ToolSpec,
        arguments: &Map<String, Value>,
        reports: Option<CallReports>,
    ) -> Result<CallOutcome, CallError> {
        let params = wit_json::params_to_vals(&tool.params, arguments)?;
        let slot = self.pool.slot().await;
        let warm = match slot.take_warm() {
            Some(warm) => warm,
            None => slot.adopt(self.instantiate().await.map_err(CallError::Guest)?),
        };
        let mut instance = warm;
        let (store, guest) = &mut instance.instance;
        let result = self
            .invoke(
                store,
                guest,
                tool.index,
                &params,
                tool.result.is_some(),
                reports,
            )
            .await;
        // A failed call leaves the instance in an unknown state: drop it.
        let result = result.map_err(CallError::Guest)?;
        let wrote = !tool.hints.is_some_and(|h| h.read_only);
        slot.give_back(instance, wrote);
        Ok(match (result, &tool.result) {
            (None, _) => CallOutcome::Success(None),
            (Some(Val::Result(Ok(payload))), Some(Type::Result(_))) => {
                CallOutcome::Success(payload.map(|v| catalogue::wrap_output(wit_json::to_json(*v))))
            }
            (Some(Val::Result(Err(payload))), Some(Type::Result(_))) => CallOutcome::Failure(
                wrap_failure(payload.map_or(Value::Null, |v| wit_json::to_json(*v))),
            ),
            (Some(value), _) => {
                CallOutcome::Success(Some(catalogue::wrap_output(wit_json::to_json(value))))
            }
        })
    }

    /// A new store and instance, from the engine's pooling allocator.
    async fn instantiate(&self) -> Result<(Store<GuestState>, Instance)> {
        let mut store = Store::new(&self.engine, GuestState::new(&self.context));
        store.limiter(|state| state.limiter());
        // Instantiation runs the guest's initialisers: bound them too.
        store.set_epoch_deadline(deadline_ticks(self.deadline));
        store.epoch_deadline_trap();
        let instance = self
            .pre
            .instantiate_async(&mut store)
            .await
            .map_err(anyhow::Error::from)
            .context("instantiating the component")?;
        Ok((store, instance))
    }

    /// Calls the export at `index` in `instance`, within the deadline.
    async fn invoke(
        &self,
        store: &mut Store<GuestState>,
        instance: &Instance,
        index: ComponentExportIndex,
        params: &[Val],
        has_result: bool,
        reports: Option<CallReports>,
    ) -> Result<Option<Val>> {
        store.set_epoch_deadline(deadline_ticks(self.deadline));
        store.data_mut().begin_call(reports);
        let result = async {
            let func = instance
                .get_func(&mut *store, index)
                .ok_or_else(|| anyhow!("the export disappeared from the instance"))?;
            let mut results = if has_result {
                vec![Val::Bool(false)]
            } else {
                vec![]
            };
            func.call_async(&mut *store, params, &mut results).await?;
            Ok(results.pop())
        }
        .await;
        store.data_mut().end_call();
        result
    }

    /// Calls running now and instances kept warm, for metrics.
    pub fn pool_usage(&self) -> (usize, usize) {
        (self.pool.in_use(), self.pool.idle())
    }
}

/// MCP's structured content is an object: an error that is a bare string
/// becomes `{"message": ...}`, any other non-object `{"value": ...}`.
fn wrap_failure(json: Value) -> Value {
    match json {
        Value::Object(_) => json,
        Value::String(message) => serde_json::json!({ "message": message }),
        other => serde_json::json!({ "value": other }),
    }
}

fn deadline_ticks(deadline: Duration) -> u64 {
    (deadline.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64
}

/// Advances `engine`'s epoch every [`EPOCH_TICK`] for as long as the
/// process runs, so that deadlines set on stores come due.
pub fn start_epoch_ticker(engine: &Engine) {
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("epoch-ticker".into())
        .spawn(move || {
            while let Some(engine) = weak.upgrade() {
                engine.increment_epoch();
                drop(engine);
                std::thread::sleep(EPOCH_TICK);
            }
        })
        .expect("spawning the epoch thread");
}
