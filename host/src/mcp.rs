//! MCP over the component: `tools/list` and `tools/call` answered from the
//! loaded component, for current (`server/discover`) and older
//! (`initialize`) clients alike (rmcp handles both handshakes).

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler};
use serde_json::{Value, json};

use crate::component::{CallError, CallOutcome, SharedComponent, ToolSpec};

/// The MCP face of one loaded component.
#[derive(Clone)]
pub struct ComponentServer {
    component: SharedComponent,
    tools: Arc<Vec<Tool>>,
}

impl ComponentServer {
    /// Serves `component`'s tools.
    pub fn new(component: SharedComponent) -> Self {
        let tools = component.tools().iter().map(mcp_tool).collect();
        Self {
            component,
            tools: Arc::new(tools),
        }
    }
}

fn mcp_tool(spec: &ToolSpec) -> Tool {
    let mut tool = Tool::new(
        spec.name.clone(),
        spec.description.clone().unwrap_or_default(),
        Arc::new(spec.input_schema.clone()),
    );
    if spec.description.is_none() {
        tool.description = None;
    }
    tool.title = spec.title.clone();
    tool.output_schema = spec.output_schema.clone().map(Arc::new);
    tool.annotations = spec.hints.map(|hints| {
        let mut annotations = ToolAnnotations::new()
            .read_only(hints.read_only)
            .destructive(hints.destructive)
            .idempotent(hints.idempotent)
            .open_world(hints.open_world);
        annotations.title = spec.title.clone();
        annotations
    });
    tool
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
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("dex-mcp", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Tools over the user's Dex personal CRM. Start with find_contact to turn a name, email or \
                 phone into a contact id; the other tools take that id.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        Ok(ListToolsResult::with_all_items(self.tools.as_ref().clone()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools.iter().find(|t| t.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let Some(spec) = self.component.tool(&request.name) else {
            return Err(McpError::invalid_params(
                format!(
                    "unknown tool `{}`; tools/list shows the available ones",
                    request.name
                ),
                None,
            ));
        };
        let arguments = request.arguments.unwrap_or_default();
        let started = std::time::Instant::now();
        let outcome = self.component.call(spec, &arguments).await;
        let (busy_instances, warm_instances) = self.component.pool_usage();
        tracing::debug!(busy_instances, warm_instances, "instance pool");
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        let result = match outcome {
            Ok(CallOutcome::Success(Some(value))) => {
                tracing::info!(tool = %spec.name, outcome = "ok", elapsed_ms, "tool call");
                CallToolResult::structured(value)
            }
            Ok(CallOutcome::Success(None)) => {
                tracing::info!(tool = %spec.name, outcome = "ok", elapsed_ms, "tool call");
                CallToolResult::success(vec![ContentBlock::text("done")])
            }
            Ok(CallOutcome::Failure(value)) => {
                tracing::info!(tool = %spec.name, outcome = "tool_error", elapsed_ms, "tool call");
                let mut result = CallToolResult::structured_error(value.clone());
                result.content = vec![ContentBlock::text(failure_text(&value))];
                result
            }
            Err(CallError::Arguments(err)) => {
                tracing::info!(tool = %spec.name, outcome = "bad_arguments", elapsed_ms, "tool call");
                return Err(McpError::invalid_params(
                    err.to_string(),
                    Some(json!({ "field": err.path })),
                ));
            }
            Err(CallError::Guest(err)) => {
                tracing::error!(tool = %spec.name, outcome = "guest_failure", elapsed_ms, error = %format!("{err:#}"), "tool call");
                let value = json!({
                    "kind": "internal",
                    "code": -32603,
                    "message": format!("the tool {} failed inside the component and was stopped; other calls are unaffected: {err:#}", spec.name),
                });
                let mut result = CallToolResult::structured_error(value.clone());
                result.content = vec![ContentBlock::text(failure_text(&value))];
                result
            }
        };
        Ok(result.into())
    }
}
