//! The baseline: a bare rmcp server whose one tool, `echo`, answers its
//! arguments back. Served the way dex-mcp serves (rmcp's
//! `StreamableHttpService` behind axum, JSON answers, `TCP_NODELAY` on
//! accepted sockets), so the distance between the two is what the
//! component, the pool and the Dex logic cost. `--no-nodelay` and `--sse`
//! show what those two choices are worth.

use std::sync::Arc;

use anyhow::{Context, Result};
use axum::serve::ListenerExt;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler};
use serde_json::json;

/// How the baseline answers.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct EchoOptions {
    /// Leave Nagle's algorithm on for accepted sockets.
    #[arg(long)]
    pub no_nodelay: bool,
    /// Answer every call as an SSE stream instead of one JSON body.
    #[arg(long)]
    pub sse: bool,
}

#[derive(Clone)]
struct EchoServer;

fn echo_tool() -> Tool {
    let schema = json!({
        "type": "object",
        "properties": { "text": { "type": "string" } },
        "required": ["text"]
    });
    Tool::new(
        "echo",
        "Answers its arguments back.",
        Arc::new(schema.as_object().expect("an object").clone()),
    )
}

impl ServerHandler for EchoServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("echo-baseline", "1"))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        Ok(ListToolsResult::with_all_items(vec![echo_tool()]))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        (name == "echo").then(echo_tool)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        if request.name != "echo" {
            return Err(McpError::invalid_params("the only tool is echo", None));
        }
        let arguments = request.arguments.unwrap_or_default();
        Ok(CallToolResult::structured(serde_json::Value::Object(arguments)).into())
    }
}

/// Serves the baseline on an ephemeral loopback port, printing the address
/// on stdout first, until the process is killed.
pub fn run(options: EchoOptions) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("starting the runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding")?;
        let addr = listener.local_addr()?;
        let config = StreamableHttpServerConfig::default()
            .with_legacy_session_mode(true)
            .with_json_response(!options.sse);
        let service = StreamableHttpService::new(
            || Ok(EchoServer),
            Arc::new(LocalSessionManager::default()),
            config,
        );
        let router = axum::Router::new().route_service(crate::mcp_wire::MCP_PATH, service);
        println!("{addr}");
        let nodelay = !options.no_nodelay;
        let listener = listener.tap_io(move |tcp| {
            if nodelay {
                tcp.set_nodelay(true).ok();
            }
        });
        axum::serve(listener, router)
            .await
            .context("serving the echo baseline")
    })
}
