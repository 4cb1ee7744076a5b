//! The one client over stdio: rmcp's client with `dex-mcp` as its child
//! process, as a desktop assistant runs it, speaking the stateless
//! revision (`server/discover`, no `initialize`).

use std::process::Stdio;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rmcp::RoleClient;
use rmcp::model::{CallToolRequestParams, ProtocolVersion};
use rmcp::service::{ClientLifecycleMode, ClientServiceExt, RunningService};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};

use crate::http_driver::{Budget, ClientReport, Plan, record};
use crate::server_process::ServerSpec;

/// A `dex-mcp` over stdio with a connected client.
pub struct StdioServer {
    client: RunningService<RoleClient, ()>,
    /// The child's process id, for its memory.
    pub pid: u32,
}

impl StdioServer {
    /// Starts `dex-mcp` as `spec` says, its log in `log_path`, and
    /// connects.
    pub async fn start(spec: &ServerSpec, log_path: &std::path::Path) -> Result<Self> {
        let log = std::fs::File::create(log_path)
            .with_context(|| format!("creating {}", log_path.display()))?;
        let command = tokio::process::Command::new(&spec.binary).configure(|cmd| {
            cmd.args(spec.args(None));
            spec.clean_env(cmd.as_std_mut());
        });
        let (transport, _) = TokioChildProcess::builder(command)
            .stderr(Stdio::from(log))
            .spawn()
            .with_context(|| format!("spawning {}", spec.binary.display()))?;
        let pid = transport.id().context("the stdio server has a pid")?;
        let lifecycle = ClientLifecycleMode::Discover {
            preferred_versions: vec![ProtocolVersion::V_2026_07_28],
        };
        match ().serve_with_lifecycle(transport, lifecycle).await {
            Ok(client) => Ok(Self { client, pid }),
            Err(err) => bail!(
                "the MCP handshake over stdio failed: {err} (see {})",
                log_path.display()
            ),
        }
    }

    /// One call; `Ok` when the tool succeeded.
    pub async fn call(&self, tool: &str, arguments: &serde_json::Value) -> Result<()> {
        let arguments = arguments
            .as_object()
            .context("arguments are an object")?
            .clone();
        let request = CallToolRequestParams::new(tool.to_owned()).with_arguments(arguments);
        let result = self
            .client
            .call_tool(request)
            .await
            .context("tools/call over stdio")?;
        if result.is_error == Some(true) {
            bail!("tool error: {:?}", result.content);
        }
        Ok(())
    }

    /// Calls tools drawn from `plan` one after another until `budget` runs
    /// out.
    pub async fn run(&self, plan: &Plan, budget: &Budget, seed: u64) -> ClientReport {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut report = ClientReport::default();
        let mut seq = 0u64;
        while budget.take() {
            seq += 1;
            let call = plan.draw(seq, &mut rng);
            let started = Instant::now();
            let outcome = self.call(call.tool, &call.arguments).await;
            record(&mut report, &call, outcome.map(|()| started.elapsed()));
        }
        report
    }

    /// Closes the connection; the child exits with its stdin.
    pub async fn stop(self) {
        self.client.cancel().await.ok();
    }
}
