//! One loaded component and how a tool call runs in it.
//!
//! The component is compiled and linked once ([`InstancePre`], held by a
//! [`LinkedComponent`], which also answers what the component says about
//! itself before it is configured). Calls run in warm instances from an
//! [`InstancePool`], created from the engine's pooling allocator when none
//! is idle; an instance whose call fails is thrown away, so a guest that
//! traps takes only its own call down.

use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use serde_json::{Map, Value};
use wasmtime::component::{
    Component, ComponentExportIndex, ComponentNamedList, ComponentType, Instance, InstancePre,
    Lift, Linker, Lower, Type, Val,
};
use wasmtime::{Engine, Store};

use super::catalogue::{self, ToolSpec};
use super::guest_log::CallReports;
use super::icon::Icon;
use super::interfaces::{self, MAINTENANCE_INTERFACE, SERVER_INTERFACE};
use super::maintenance::{self, MaintenanceExports, Outcome};
use super::offerings::{
    self, CompleteAnswer, ListAnswer, Pairs, PromptAnswer, PromptExports, ReadAnswer,
    ResourceExports,
};
use super::pool::InstancePool;
use super::server::{self, Description};
use super::store::{GuestContext, GuestState};
use super::wit_json::{self, ArgumentError};
use crate::outbound_http::OutboundPolicy;

/// How often the engine's epoch advances; deadlines are multiples of it.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Seconds before trying again when new instances could not be prepared
/// (the upstream failing, say).
const RETRY_AFTER_FAILED_PREPARATION: u32 = 30;

/// Longest the component may take to say what it is (`server.describe`,
/// `server.upstream`), which are pure and cheap.
const SETUP_DEADLINE: Duration = Duration::from_secs(10);

/// A compiled component linked to the host's imports, before it is given
/// its settings.
pub struct LinkedComponent {
    engine: Engine,
    component: Component,
    pre: InstancePre<GuestState>,
    max_memory_bytes: usize,
}

impl LinkedComponent {
    /// Links `component`; its instances may use `max_memory_bytes`.
    pub fn new(engine: &Engine, component: Component, max_memory_bytes: usize) -> Result<Self> {
        let mut linker = Linker::<GuestState>::new(engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
        crate::state::add_to_linker(&mut linker, GuestState::key_value)?;
        let pre = linker
            .instantiate_pre(&component)
            .map_err(anyhow::Error::from)
            .context("the component imports something this host does not provide")?;
        Ok(Self {
            engine: engine.clone(),
            component,
            pre,
            max_memory_bytes,
        })
    }

    /// What the component says about itself as a server, asked with an
    /// empty environment and no way out; empty when it exports no
    /// `server` interface.
    pub async fn describe_server(&self) -> Result<Description> {
        let Some(index) = self.server_function("describe") else {
            return Ok(Description::default());
        };
        let (mut store, instance) = self.setup_instance(Vec::new()).await?;
        server::describe(&mut store, &instance, index).await
    }

    /// The base URL the component's requests go to when its environment
    /// is `env`; `None` when it names none (or has no `server`), and an
    /// error when it refuses its settings.
    pub async fn upstream(&self, env: Vec<(String, String)>) -> Result<Option<String>> {
        let Some(index) = self.server_function("upstream") else {
            return Ok(None);
        };
        let (mut store, instance) = self.setup_instance(env).await?;
        server::upstream(&mut store, &instance, index).await
    }

    fn server_function(&self, name: &str) -> Option<ComponentExportIndex> {
        interfaces::function_index(&self.component, &self.engine, SERVER_INTERFACE, name)
    }

    /// The component's `maintenance` functions, if it exports them: whether
    /// the host should run maintenance rounds and tell it so.
    pub fn maintenance_exports(&self) -> Option<MaintenanceExports> {
        let function = |name| {
            interfaces::function_index(&self.component, &self.engine, MAINTENANCE_INTERFACE, name)
        };
        Some(MaintenanceExports {
            due: function("due")?,
            prepare: function("prepare")?,
        })
    }

    /// An instance for asking the component about itself: `env`, and no
    /// request may leave.
    async fn setup_instance(
        &self,
        env: Vec<(String, String)>,
    ) -> Result<(Store<GuestState>, Instance)> {
        let context = GuestContext {
            env,
            outbound: std::sync::Arc::new(OutboundPolicy::deny_all()),
            max_memory_bytes: self.max_memory_bytes,
            // What a component says about itself needs no stored state.
            state: crate::state::GuestBucket::off(),
        };
        let (mut store, instance) = self.instantiate(&context, SETUP_DEADLINE).await?;
        store.data_mut().begin_call(None);
        Ok((store, instance))
    }

    /// A new store and instance, from the engine's pooling allocator.
    async fn instantiate(
        &self,
        context: &GuestContext,
        deadline: Duration,
    ) -> Result<(Store<GuestState>, Instance)> {
        let mut store = Store::new(&self.engine, GuestState::new(context));
        store.limiter(|state| state.limiter());
        // Instantiation runs the guest's initialisers: bound them too.
        store.set_epoch_deadline(deadline_ticks(deadline));
        store.epoch_deadline_trap();
        let instance = self
            .pre
            .instantiate_async(&mut store)
            .await
            .map_err(anyhow::Error::from)
            .context("instantiating the component")?;
        Ok((store, instance))
    }
}

/// A component ready to serve calls.
pub struct LoadedComponent {
    linked: LinkedComponent,
    context: GuestContext,
    instructions: Option<String>,
    title: Option<String>,
    icons: Vec<Icon>,
    tools: Vec<ToolSpec>,
    /// The `self-check` interface's `run`, when exported.
    self_check: Option<ComponentExportIndex>,
    /// The `maintenance` interface's functions, when exported.
    maintenance: Option<MaintenanceExports>,
    /// The `prompts` interface's functions and its prompts, when exported.
    prompts: Option<(PromptExports, Vec<offerings::Prompt>)>,
    /// The `resources` interface's functions and its templates, when
    /// exported.
    resources: Option<(ResourceExports, Vec<offerings::ResourceTemplate>)>,
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
    /// Links an already compiled component and reads its instructions
    /// and catalogue.
    pub async fn from_component(
        engine: &Engine,
        component: Component,
        context: GuestContext,
        policy: CallPolicy,
    ) -> Result<Self> {
        let linked = LinkedComponent::new(engine, component, context.max_memory_bytes)?;
        Self::from_linked(linked, context, policy).await
    }

    /// Serves `linked` with `context`, after reading its instructions and
    /// catalogue in a first instance.
    pub async fn from_linked(
        linked: LinkedComponent,
        context: GuestContext,
        policy: CallPolicy,
    ) -> Result<Self> {
        let mut tools = catalogue::exported_tools(&linked.component, &linked.engine)?;
        let server_describe = linked.server_function("describe");
        let catalogue_describe = catalogue::describe_index(&linked.component, &linked.engine);
        let prompt_exports = PromptExports::find(&linked.component, &linked.engine);
        let resource_exports = ResourceExports::find(&linked.component, &linked.engine);
        let mut instructions = None;
        let mut title = None;
        let mut icons = Vec::new();
        let mut prompts = None;
        let mut resources = None;
        if server_describe.is_some()
            || catalogue_describe.is_some()
            || prompt_exports.is_some()
            || resource_exports.is_some()
        {
            let (mut store, instance) = linked.instantiate(&context, policy.deadline).await?;
            if let Some(index) = server_describe {
                store.data_mut().begin_call(None);
                let description = server::describe(&mut store, &instance, index).await?;
                store.data_mut().end_call();
                instructions = Some(description.instructions).filter(|i| !i.trim().is_empty());
                title = Some(description.title).filter(|t| !t.trim().is_empty());
                icons = description.icons;
            }
            if let Some(describe) = catalogue_describe {
                let described =
                    describe_catalogue(&mut store, &instance, describe, policy.deadline)
                        .await
                        .map_err(|e| {
                            anyhow!("the component's catalogue `describe` failed: {e:#}")
                        })?;
                catalogue::apply_descriptions(&mut tools, described);
            }
            // What is listed is read once, like the catalogue: the
            // contract makes the lists pure.
            store.set_epoch_deadline(deadline_ticks(policy.deadline));
            if let Some(exports) = prompt_exports {
                store.data_mut().begin_call(None);
                let listed = exports.check_and_list(&mut store, &instance).await;
                store.data_mut().end_call();
                prompts = Some((exports, listed?));
            }
            if let Some(exports) = resource_exports {
                store.data_mut().begin_call(None);
                let listed = exports.check_and_list(&mut store, &instance).await;
                store.data_mut().end_call();
                resources = Some((exports, listed?));
            }
        }
        let self_check = catalogue::self_check_index(&linked.component, &linked.engine);
        let maintenance = linked.maintenance_exports();
        Ok(Self {
            linked,
            context,
            instructions,
            title,
            icons,
            tools,
            self_check,
            maintenance,
            prompts,
            resources,
            deadline: policy.deadline,
            pool: InstancePool::new(policy.instances),
        })
    }

    /// What the assistant should be told about the server, from the
    /// component's `server.describe`.
    pub fn instructions(&self) -> Option<&str> {
        self.instructions.as_deref()
    }

    /// The server's name for people, from `server.describe`.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The server's pictures, from `server.describe`.
    pub fn icons(&self) -> &[Icon] {
        &self.icons
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
            None => slot.adopt(
                self.linked
                    .instantiate(&self.context, self.deadline)
                    .await
                    .map_err(CallError::Guest)?,
            ),
        };
        let mut instance = warm;
        let (store, guest) = &mut instance.instance;
        let result = invoke(
            store,
            guest,
            tool.index,
            &params,
            tool.result.is_some(),
            reports,
            self.deadline,
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

    /// The component's prompts, when it exports `prompts`.
    pub fn prompts(&self) -> Option<&[offerings::Prompt]> {
        self.prompts.as_ref().map(|(_, listed)| listed.as_slice())
    }

    /// The component's resource templates, when it exports `resources`.
    pub fn resource_templates(&self) -> Option<&[offerings::ResourceTemplate]> {
        self.resources.as_ref().map(|(_, listed)| listed.as_slice())
    }

    /// `prompts.get-prompt`: the prompt `name` rendered with `arguments`;
    /// `None` when the component offers no prompts.
    pub async fn get_prompt(
        &self,
        name: String,
        arguments: Pairs,
    ) -> Option<Result<PromptAnswer, CallError>> {
        let (exports, _) = self.prompts.as_ref()?;
        Some(self.call_typed(exports.get, (name, arguments)).await)
    }

    /// `prompts.complete`; `None` when the component offers no prompts.
    pub async fn complete_prompt(
        &self,
        prompt: String,
        argument: String,
        value: String,
        context: Pairs,
    ) -> Option<Result<CompleteAnswer, CallError>> {
        let (exports, _) = self.prompts.as_ref()?;
        Some(
            self.call_typed(exports.complete, (prompt, argument, value, context))
                .await,
        )
    }

    /// `resources.list-resources`; `None` when the component offers no
    /// resources.
    pub async fn list_resources(
        &self,
        cursor: Option<String>,
    ) -> Option<Result<ListAnswer, CallError>> {
        let (exports, _) = self.resources.as_ref()?;
        Some(self.call_typed(exports.list, (cursor,)).await)
    }

    /// `resources.read-resource`; `None` when the component offers no
    /// resources.
    pub async fn read_resource(&self, uri: String) -> Option<Result<ReadAnswer, CallError>> {
        let (exports, _) = self.resources.as_ref()?;
        Some(self.call_typed(exports.read, (uri,)).await)
    }

    /// `resources.complete`; `None` when the component offers no
    /// resources.
    pub async fn complete_template(
        &self,
        template: String,
        argument: String,
        value: String,
        context: Pairs,
    ) -> Option<Result<CompleteAnswer, CallError>> {
        let (exports, _) = self.resources.as_ref()?;
        Some(
            self.call_typed(exports.complete, (template, argument, value, context))
                .await,
        )
    }

    /// Calls the export at `index` with `params` in a warm or new
    /// instance, as a tool call runs: within the deadline and limits, the
    /// instance thrown away if the call fails, traps or is dropped
    /// (cancelled). Prompts, resources and completions change nothing, so
    /// the instance goes back to the pool as it is.
    async fn call_typed<P, R>(&self, index: ComponentExportIndex, params: P) -> Result<R, CallError>
    where
        P: ComponentNamedList + Lower + Send + Sync + 'static,
        R: ComponentType + Lift + Send + Sync + 'static,
    {
        let slot = self.pool.slot().await;
        let mut warm = match slot.take_warm() {
            Some(warm) => warm,
            None => slot.adopt(
                self.linked
                    .instantiate(&self.context, self.deadline)
                    .await
                    .map_err(CallError::Guest)?,
            ),
        };
        let (store, instance) = &mut warm.instance;
        store.set_epoch_deadline(deadline_ticks(self.deadline));
        store.data_mut().begin_call(None);
        let answer = async {
            let function = instance
                .get_typed_func::<P, (R,)>(&mut *store, index)
                .map_err(anyhow::Error::from)?;
            let (answer,) = function
                .call_async(&mut *store, params)
                .await
                .map_err(anyhow::Error::from)?;
            anyhow::Ok(answer)
        }
        .await;
        store.data_mut().end_call();
        let answer = answer.map_err(CallError::Guest)?;
        slot.give_back(warm, false);
        Ok(answer)
    }

    /// Runs the component's `self-check` (`dex-mcp doctor`) in a fresh
    /// instance and answers its results as JSON (snake_case names, as tool
    /// results are); `None` when the component exports no self-check.
    pub async fn self_check(&self) -> Result<Option<Value>> {
        let Some(index) = self.self_check else {
            return Ok(None);
        };
        let (mut store, instance) = self
            .linked
            .instantiate(&self.context, self.deadline)
            .await?;
        let result = invoke(&mut store, &instance, index, &[], true, None, self.deadline)
            .await?
            .ok_or_else(|| anyhow!("the component's self-check returned nothing"))?;
        Ok(Some(wit_json::to_json(result)))
    }

    /// One maintenance round (`wit/maintenance.wit`): asks an idle instance
    /// whether what it keeps is due for replacing; if so, prepares as many
    /// new instances as exist now (at most the pool's size) (the first may read from the
    /// upstream, the others take up what it stored) and installs them, so
    /// that calls go on meanwhile on the old ones and none waits. Answers
    /// when the next round is worth running, if the component said.
    ///
    /// An instance that fails or traps in `due` or `prepare` is dropped,
    /// as one whose call did; a failed preparation installs nothing.
    pub async fn maintain(&self) -> Option<u32> {
        let exports = self.maintenance?;
        // `due` runs in a slot, like a call: a call that comes meanwhile
        // waits the microseconds `due` takes for this instance, instead of
        // starting a new one from the stored account.
        let slot = self.pool.slot().await;
        let mut warm = slot.take_warm()?;
        let (store, instance) = &mut warm.instance;
        store.set_epoch_deadline(deadline_ticks(self.deadline));
        store.data_mut().begin_call(None);
        let schedule = maintenance::due(store, instance, exports.due).await;
        store.data_mut().end_call();
        let schedule = match schedule {
            Ok(schedule) => {
                slot.give_back(warm, false);
                schedule
            }
            Err(err) => {
                tracing::warn!("maintenance: `due` failed, instance dropped: {err:#}");
                return None;
            }
        };
        drop(slot);
        if !schedule.due {
            tracing::debug!(reason = %schedule.reason, "maintenance: nothing due");
            return schedule.next_in_seconds;
        }
        let started = std::time::Instant::now();
        let since = self.pool.generation();
        let wanted = self.pool.instances().max(1);
        tracing::info!(reason = %schedule.reason, instances = wanted, "maintenance: preparing new instances");
        let mut ready = Vec::with_capacity(wanted);
        for _ in 0..wanted {
            match self.prepared_instance(exports).await {
                Ok(instance) => ready.push(instance),
                Err(err) => {
                    tracing::warn!("maintenance: {err:#}; the serving instances stay");
                    return Some(RETRY_AFTER_FAILED_PREPARATION);
                }
            }
        }
        if self.pool.install(ready, since) {
            tracing::info!(
                instances = wanted,
                ms = started.elapsed().as_millis() as u64,
                "maintenance: new instances serve from now on"
            );
        } else {
            tracing::info!(
                "maintenance: a call changed data while instances were prepared; they were dropped"
            );
        }
        None
    }

    /// A new instance whose `prepare` succeeded.
    async fn prepared_instance(
        &self,
        exports: MaintenanceExports,
    ) -> Result<(Store<GuestState>, Instance)> {
        let (mut store, instance) = self
            .linked
            .instantiate(&self.context, self.deadline)
            .await?;
        store.set_epoch_deadline(deadline_ticks(self.deadline));
        store.data_mut().begin_call(None);
        let prepared = maintenance::prepare(&mut store, &instance, exports.prepare).await;
        store.data_mut().end_call();
        let prepared = prepared?;
        match prepared.outcome {
            Outcome::Failed => Err(anyhow!(
                "preparing an instance failed: {}",
                prepared.summary
            )),
            Outcome::Loaded | Outcome::Refreshed => {
                tracing::info!(summary = %prepared.summary, "maintenance: instance prepared");
                Ok((store, instance))
            }
        }
    }

    /// The origin the component's requests may go to, if any.
    pub fn allowed_origin(&self) -> Option<String> {
        self.context
            .outbound
            .allowed
            .as_ref()
            .map(ToString::to_string)
    }

    /// Calls running now and instances kept warm, for metrics.
    pub fn pool_usage(&self) -> (usize, usize) {
        (self.pool.in_use(), self.pool.idle())
    }
}

/// Calls the export at `index` in `instance`, within `deadline`.
async fn invoke(
    store: &mut Store<GuestState>,
    instance: &Instance,
    index: ComponentExportIndex,
    params: &[Val],
    has_result: bool,
    reports: Option<CallReports>,
    deadline: Duration,
) -> Result<Option<Val>> {
    store.set_epoch_deadline(deadline_ticks(deadline));
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

/// Calls the catalogue's `describe` at `index`, within `deadline`, as
/// typed values: a `describe` of another shape than `wit/catalogue.wit`'s
/// is an error here.
async fn describe_catalogue(
    store: &mut Store<GuestState>,
    instance: &Instance,
    index: ComponentExportIndex,
    deadline: Duration,
) -> Result<Vec<catalogue::ToolDoc>> {
    store.set_epoch_deadline(deadline_ticks(deadline));
    store.data_mut().begin_call(None);
    let described = async {
        let describe = instance
            .get_typed_func::<(), (Vec<catalogue::ToolDoc>,)>(&mut *store, index)
            .map_err(anyhow::Error::from)
            .context("its shape is not that of wit/catalogue.wit")?;
        let (docs,) = describe
            .call_async(&mut *store, ())
            .await
            .map_err(anyhow::Error::from)?;
        Ok(docs)
    }
    .await;
    store.data_mut().end_call();
    described
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
