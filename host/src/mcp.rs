//! MCP over the component: `tools/list` and `tools/call` answered from the
//! loaded component, for current (`server/discover`) and older
//! (`initialize`) clients alike (rmcp handles both handshakes); prompts,
//! resources and completions from its `prompts` and `resources` exports,
//! when it has them ([`offerings`]).
//!
//! A call whose request carries a progress token gets the guest's progress
//! reports as `notifications/progress` ([`progress`]); a call the client
//! cancels (`notifications/cancelled`) is stopped and its instance thrown
//! away. A call the component refuses for want of the user's consent is
//! put to the user through the client when it can answer forms
//! ([`consent`]).

mod consent;
pub mod icons;
mod offerings;
mod progress;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, CompleteRequestParams, CompleteResult,
    ContentBlock, ErrorCode, GetPromptRequestParams, GetPromptResponse, Implementation, JsonObject,
    ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult, ListToolsResult,
    PaginatedRequestParams, ProgressToken, PromptsCapability, ProtocolVersion,
    ReadResourceRequestParams, ReadResourceResponse, ResourcesCapability, ServerCapabilities,
    ServerConfig, SubscriptionFilter, Tool, ToolAnnotations,
};
use rmcp::service::{NotificationContext, RequestContext, SubscriptionContext};
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler};
use serde_json::{Value, json};
use tracing::Instrument;

use self::consent::{Answer, ConsentRequest};
use crate::cli::OutputSchemas;
use crate::component::{
    CallError, CallOutcome, CallReports, GuestFailure, LoadedComponent, ToolHints, ToolSpec,
};
use crate::exposure::ToolExposure;
use crate::metrics::Metrics;
use crate::swap::ComponentSlot;

/// The MCP face of the served component (which may be replaced while
/// serving; see [`crate::swap`]).
#[derive(Clone)]
pub struct ComponentServer {
    slot: Arc<ComponentSlot>,
    metrics: Arc<Metrics>,
    exposure: Arc<ToolExposure>,
    output_schemas: OutputSchemas,
}

/// The JSON-RPC error code answered to a cancelled call, should the client
/// still read it (MCP defines none; this is LSP's `RequestCancelled`).
const REQUEST_CANCELLED: i32 = -32800;

/// Numbers tool calls across the process's sessions, for the logs.
static NEXT_REQUEST_ID: AtomicU64 = AtomicU64::new(1);

impl ComponentServer {
    /// Serves the tools of the component in `slot` that `exposure`
    /// offers, with or without their output schemas, counting calls in
    /// `metrics`.
    pub fn new(
        slot: Arc<ComponentSlot>,
        metrics: Arc<Metrics>,
        exposure: ToolExposure,
        output_schemas: OutputSchemas,
    ) -> Self {
        Self {
            slot,
            metrics,
            exposure: Arc::new(exposure),
            output_schemas,
        }
    }

    fn tools(&self) -> Vec<Tool> {
        self.slot
            .current()
            .tools()
            .iter()
            .filter(|spec| self.exposure.offers(*spec))
            .map(|spec| mcp_tool(spec, self.output_schemas))
            .collect()
    }
}

/// `spec` as MCP lists it: the catalogue's title (at the top level and,
/// for clients of revisions before titles moved there, in the
/// annotations), description, icons and hints, and the output schema
/// when `output_schemas` asks for it.
fn mcp_tool(spec: &ToolSpec, output_schemas: OutputSchemas) -> Tool {
    let mut tool = Tool::new(
        spec.name.clone(),
        spec.description.clone().unwrap_or_default(),
        spec.input_schema.clone(),
    );
    if spec.description.is_none() {
        tool.description = None;
    }
    tool.title = spec.title.clone();
    tool.icons = icons::to_mcp(&spec.icons);
    tool.output_schema = match output_schemas {
        OutputSchemas::Full => spec
            .described_output_schema
            .as_ref()
            .or(spec.output_schema.as_ref())
            .cloned(),
        OutputSchemas::Compact => spec.output_schema.clone(),
        OutputSchemas::Shallow => spec.shallow_output_schema.clone(),
        OutputSchemas::None => None,
    };
    tool.annotations = spec.hints.map(|hints| {
        let mut annotations = annotations(hints);
        annotations.title = spec.title.clone();
        annotations
    });
    tool
}

/// MCP's annotations for `hints`, each hint given only where it differs
/// from the default MCP defines for it (`readOnlyHint` false,
/// `destructiveHint` true, `idempotentHint` false, `openWorldHint` true):
/// a client reads the same, and every listing is some 40 bytes a tool
/// shorter.
fn annotations(hints: ToolHints) -> ToolAnnotations {
    let mut annotations = ToolAnnotations::new();
    annotations.read_only_hint = hints.read_only.then_some(true);
    annotations.destructive_hint = (!hints.destructive).then_some(false);
    annotations.idempotent_hint = hints.idempotent.then_some(true);
    annotations.open_world_hint = (!hints.open_world).then_some(false);
    annotations
}

/// Who is serving: this program and its version, with the served
/// component's title and icons (`server.describe`), so that a client's
/// list of servers shows what the component is rather than the host's
/// name.
fn server_info(component: &LoadedComponent) -> Implementation {
    let mut info = Implementation::new("dex-mcp", env!("CARGO_PKG_VERSION"));
    info.title = component.title().map(str::to_owned);
    info.icons = icons::to_mcp(component.icons());
    info
}

/// The text block of a failed call: the error's `message` when it has one,
/// which is what an assistant should read, else the whole JSON.
fn failure_text(failure: &Value) -> String {
    failure
        .get("message")
        .and_then(Value::as_str)
        .map_or_else(|| failure.to_string(), str::to_owned)
}

impl ServerHandler for ComponentServer {
    /// The instructions are the served component's (`server.describe`),
    /// so a session opened after a swap gets the new component's.
    ///
    /// Prompts, resources and completions are declared only when the
    /// component exports `prompts` or `resources`.
    fn get_info(&self) -> ServerConfig {
        let component = self.slot.current();
        let mut capabilities = ServerCapabilities::builder()
            .enable_tools()
            .enable_tool_list_changed()
            .build();
        if component.prompts().is_some() {
            capabilities.prompts = Some(PromptsCapability::default());
        }
        if component.resource_templates().is_some() {
            capabilities.resources = Some(ResourcesCapability::default());
        }
        if component.prompts().is_some() || component.resource_templates().is_some() {
            capabilities.completions = Some(JsonObject::new());
        }
        let config = ServerConfig::new(capabilities).with_server_info(server_info(&component));
        match component.instructions() {
            Some(instructions) => config.with_instructions(instructions),
            None => config,
        }
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        Ok(ListToolsResult::with_all_items(self.tools()))
    }

    /// Tells this client when the tool list changes (a component swap),
    /// for as long as it is connected.
    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        let mut swaps = self.slot.subscribe();
        let peer = context.peer;
        tokio::spawn(async move {
            while swaps.changed().await.is_ok() {
                if peer.notify_tool_list_changed().await.is_err() {
                    break;
                }
            }
        });
    }

    /// Clients of 2026-07-28 have no session to be told on: they open a
    /// `subscriptions/listen` stream instead. Only tool-list changes exist
    /// here (a component swap), so that is all a stream can carry.
    fn accepted_subscription_filter(
        &self,
        _requested: &SubscriptionFilter,
    ) -> Option<SubscriptionFilter> {
        // rmcp narrows this to what the client asked for.
        Some(SubscriptionFilter::builder().tools_list_changed().build())
    }

    /// Sends `notifications/tools/list_changed` on the stream after every
    /// swap, until the client closes it.
    async fn listen(&self, context: SubscriptionContext) -> Result<(), McpError> {
        let mut swaps = self.slot.subscribe();
        loop {
            tokio::select! {
                () = context.cancelled() => return Ok(()),
                changed = swaps.changed() => {
                    if changed.is_err() || context.sink().notify_tool_list_changed().await.is_err() {
                        return Ok(());
                    }
                }
            }
        }
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, McpError> {
        self.list_component_prompts()
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, McpError> {
        Ok(self.get_component_prompt(request, &context).await?.into())
    }

    async fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        let cursor = request.and_then(|r| r.cursor);
        self.list_component_resources(cursor, &context).await
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, McpError> {
        self.list_component_templates()
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        Ok(self
            .read_component_resource(request, &context)
            .await?
            .into())
    }

    async fn complete(
        &self,
        request: CompleteRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CompleteResult, McpError> {
        self.complete_for_component(request, &context).await
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.slot
            .current()
            .tool(name)
            .filter(|spec| self.exposure.offers(*spec))
            .map(|spec| mcp_tool(spec, self.output_schemas))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        // The call runs to its end on the component it started with, even
        // if another is swapped in meanwhile.
        let component = self.slot.current();
        let Some(spec) = component.tool(&request.name) else {
            return Err(McpError::invalid_params(
                format!(
                    "unknown tool `{}`; tools/list shows the available ones",
                    request.name
                ),
                None,
            ));
        };
        // Refused here, before any instance runs: --read-only is a
        // guarantee, not a hint.
        if let Some(refusal) = self.exposure.refusal(spec) {
            return Err(McpError::invalid_params(refusal, None));
        }
        let arguments = request.arguments.clone().unwrap_or_default();
        let progress_token = context.meta.get_progress_token().or_else(|| {
            request
                .meta
                .as_ref()
                .and_then(|meta| meta.get_progress_token())
        });
        let result = self
            .run(&component, spec, &arguments, &context, progress_token)
            .await?;
        let Some(consent) = ConsentRequest::of(&result, &spec.input_schema, &arguments) else {
            return Ok(result.into());
        };
        if !consent::can_answer_forms(context.client_capabilities().as_ref()) {
            return Ok(result.into());
        }
        let stateless = context
            .protocol_version()
            .is_some_and(|version| version >= ProtocolVersion::V_2026_07_28);
        let answer = if stateless {
            match consent.answer_in_retry(&request, &arguments) {
                Some(answer) => answer,
                None => {
                    tracing::info!(tool = %spec.name, "consent asked as input_required");
                    return Ok(consent.input_required(&spec.name, &arguments).into());
                }
            }
        } else {
            match consent::ask(&consent, &context).await? {
                Ok(answer) => answer,
                Err(err) => {
                    // The refusal stands: the assistant can still ask.
                    tracing::warn!(tool = %spec.name, error = %err, "could not ask the user through the client");
                    return Ok(result.into());
                }
            }
        };
        tracing::info!(tool = %spec.name, ?answer, "consent answered");
        match answer {
            // A fresh call: the component checks again, and acts.
            // Progress is not reported for it: it would start again from 0.
            Answer::Yes => Ok(self
                .run(
                    &component,
                    spec,
                    &consent.consented(&arguments),
                    &context,
                    None,
                )
                .await?
                .into()),
            Answer::No(how) => Ok(consent.declined(&result, &spec.name, how).into()),
        }
    }
}

impl ComponentServer {
    /// Runs one call of `spec` on `component`, reporting progress to
    /// `progress_token` and stopping when the client cancels it; counts
    /// and logs it.
    async fn run(
        &self,
        component: &LoadedComponent,
        spec: &ToolSpec,
        arguments: &JsonObject,
        context: &RequestContext<RoleServer>,
        progress_token: Option<ProgressToken>,
    ) -> Result<CallToolResult, McpError> {
        // One id per call, on every line logged during it (the guest's
        // stderr and its upstream requests included).
        let request_id = NEXT_REQUEST_ID.fetch_add(1, Ordering::Relaxed);
        let span = tracing::info_span!("tool_call", request_id, tool = %spec.name);
        let started = std::time::Instant::now();
        let mut reports = CallReports::new(self.metrics.guest.clone());
        let progress = progress_token.map(|token| {
            let latest = reports.forward_progress();
            tokio::spawn(progress::notify(latest, context.peer.clone(), token))
        });
        let call = component
            .call_reporting(spec, arguments, Some(reports))
            .instrument(span.clone());
        // Dropping the call on cancellation stops the guest and throws its
        // instance away (see `LoadedComponent::call_reporting`).
        let outcome = tokio::select! {
            biased;
            () = context.ct.cancelled() => None,
            outcome = call => Some(outcome),
        };
        let Some(outcome) = outcome else {
            let _in_call = span.enter();
            if let Some(progress) = progress {
                progress.abort();
            }
            let elapsed = started.elapsed().as_secs_f64();
            tracing::info!(
                outcome = "cancelled",
                elapsed_ms = elapsed * 1000.0,
                "tool call"
            );
            self.metrics.tool_call(&spec.name, "cancelled", elapsed);
            return Err(McpError::new(
                ErrorCode(REQUEST_CANCELLED),
                format!("the call to {} was cancelled by the client", spec.name),
                None,
            ));
        };
        // The last progress notification goes before the result.
        if let Some(progress) = progress {
            progress.await.ok();
        }
        let _in_call = span.enter();
        let (busy_instances, warm_instances) = component.pool_usage();
        tracing::debug!(busy_instances, warm_instances, "instance pool");
        let elapsed = started.elapsed().as_secs_f64();
        let elapsed_ms = elapsed * 1000.0;
        let (result, outcome_label) = match outcome {
            Ok(CallOutcome::Success(Some(value))) => (CallToolResult::structured(value), "ok"),
            Ok(CallOutcome::Success(None)) => (
                CallToolResult::success(vec![ContentBlock::text("done")]),
                "ok",
            ),
            Ok(CallOutcome::Failure(value)) => {
                let mut result = CallToolResult::structured_error(value.clone());
                result.content = vec![ContentBlock::text(failure_text(&value))];
                (result, "tool_error")
            }
            Err(CallError::Arguments(err)) => {
                tracing::info!(outcome = "bad_arguments", elapsed_ms, "tool call");
                self.metrics.tool_call(&spec.name, "bad_arguments", elapsed);
                return Err(McpError::invalid_params(
                    err.to_string(),
                    Some(json!({ "field": err.path })),
                ));
            }
            Err(CallError::Guest(err)) => {
                let failure = GuestFailure::of(&err);
                tracing::error!(outcome = "guest_failure", failure = failure.label(), elapsed_ms, error = %format!("{err:#}"), "tool call");
                self.metrics.guest_trap(failure.label());
                let value = json!({
                    "kind": "internal",
                    "code": -32603,
                    "reason": failure.label(),
                    "message": format!(
                        "the tool {} was stopped because {}; other calls are unaffected (request {request_id})",
                        spec.name,
                        failure.explanation(),
                    ),
                });
                let mut result = CallToolResult::structured_error(value.clone());
                result.content = vec![ContentBlock::text(failure_text(&value))];
                (result, "guest_failure")
            }
        };
        if outcome_label != "guest_failure" {
            tracing::info!(outcome = outcome_label, elapsed_ms, "tool call");
        }
        self.metrics.tool_call(&spec.name, outcome_label, elapsed);
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hint's value as a client reads it: given, or MCP's default.
    fn as_read(annotations: &ToolAnnotations) -> [bool; 4] {
        [
            annotations.read_only_hint.unwrap_or(false),
            annotations.destructive_hint.unwrap_or(true),
            annotations.idempotent_hint.unwrap_or(false),
            annotations.open_world_hint.unwrap_or(true),
        ]
    }

    #[test]
    fn hints_read_the_same_with_defaults_left_out() {
        for bits in 0..16u8 {
            let hints = ToolHints {
                read_only: bits & 1 != 0,
                destructive: bits & 2 != 0,
                idempotent: bits & 4 != 0,
                open_world: bits & 8 != 0,
            };
            let annotations = annotations(hints);
            assert_eq!(
                as_read(&annotations),
                [
                    hints.read_only,
                    hints.destructive,
                    hints.idempotent,
                    hints.open_world
                ],
                "{hints:?}"
            );
        }
        let changes_and_destroys = ToolHints {
            read_only: false,
            destructive: true,
            idempotent: false,
            open_world: true,
        };
        let json = serde_json::to_value(annotations(changes_and_destroys)).unwrap();
        assert_eq!(json, json!({}), "every hint is MCP's default");
    }
}
