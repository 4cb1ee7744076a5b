//! Shared set-up for the end-to-end tests: where the built artifacts are,
//! and how to start the real `dex-mcp` binary under a real MCP client.
#![deny(missing_docs)]

use std::path::PathBuf;
use std::process::Stdio;

use anyhow::{Context, Result, bail};
use rmcp::RoleClient;
use rmcp::service::{ClientLifecycleMode, ClientServiceExt, RunningService};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};

/// The workspace's `target/` directory, found from this test executable
/// (`target/debug/deps/<test>`), so that `CARGO_TARGET_DIR` is honoured.
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable has a path");
    exe.ancestors()
        .nth(3)
        .expect("tests run from target/<profile>/deps")
        .to_path_buf()
}

/// The `dex-mcp` binary that `cargo test --workspace` builds beside the tests.
pub fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable has a path");
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps")
        .join("dex-mcp");
    assert!(
        path.exists(),
        "{} is missing: run the tests with `cargo xtask test`",
        path.display()
    );
    path
}

/// A component built by `cargo xtask guest`, by crate name (`dex_guest`).
pub fn component(name: &str) -> PathBuf {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = workspace
        .join("target")
        .join("components")
        .join(format!("{name}.wasm"));
    assert!(
        path.exists(),
        "{} is missing: run the tests with `cargo xtask test`",
        path.display()
    );
    path
}

/// A running `dex-mcp` with an MCP client connected over stdio.
pub type Client = RunningService<RoleClient, ()>;

/// How the client opens the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    /// `initialize` / `notifications/initialized` (2025-11-25 and earlier).
    Legacy,
    /// `server/discover`, no initialize (2026-07-28).
    Modern,
}

/// Starts `dex-mcp` with `args` and environment `env` (and no inherited
/// `DEX_*` variables), connects rmcp's client, and returns it. The
/// server's stderr goes to `stderr_file` when given.
pub async fn start_server(
    args: &[String],
    env: &[(&str, &str)],
    era: Era,
    stderr_file: Option<&std::path::Path>,
) -> Result<Client> {
    let stderr = match stderr_file {
        Some(path) => Stdio::from(std::fs::File::create(path).context("creating the stderr file")?),
        None => Stdio::inherit(),
    };
    let command = tokio::process::Command::new(server_binary()).configure(|cmd| {
        cmd.args(args);
        for (name, _) in std::env::vars() {
            if name.starts_with("DEX_") {
                cmd.env_remove(name);
            }
        }
        cmd.envs(env.iter().copied());
    });
    let (transport, _) = TokioChildProcess::builder(command)
        .stderr(stderr)
        .spawn()
        .context("spawning dex-mcp")?;
    let lifecycle = match era {
        Era::Legacy => ClientLifecycleMode::Initialize,
        Era::Modern => ClientLifecycleMode::Discover {
            preferred_versions: vec![rmcp::model::ProtocolVersion::V_2026_07_28],
        },
    };
    match ().serve_with_lifecycle(transport, lifecycle).await {
        Ok(client) => Ok(client),
        Err(err) => bail!("the MCP handshake with dex-mcp failed: {err}"),
    }
}
