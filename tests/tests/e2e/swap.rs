//! Swapping the component while the server runs (`--watch`).

use std::path::Path;
use std::time::Duration;

use dex_mcp_tests::{component, server_binary};
use rmcp::model::CallToolRequestParams;
use rmcp::service::{NotificationContext, RunningService, ServiceExt};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{ClientHandler, RoleClient};
use serde_json::json;
use tokio::sync::mpsc;

/// A client that reports `notifications/tools/list_changed`.
struct ListChanges(mpsc::UnboundedSender<()>);

impl ClientHandler for ListChanges {
    async fn on_tool_list_changed(&self, _context: NotificationContext<RoleClient>) {
        let _ = self.0.send(());
    }
}

/// Replaces `to` with `from`'s bytes the way a build does: write aside,
/// then rename, so the server never reads half a file.
fn install(bytes: &[u8], to: &Path) {
    let aside = to.with_extension("partial");
    std::fs::write(&aside, bytes).unwrap();
    std::fs::rename(&aside, to).unwrap();
}

async fn tool_names(client: &RunningService<RoleClient, ListChanges>) -> Vec<String> {
    let mut names: Vec<String> = client
        .list_all_tools()
        .await
        .unwrap()
        .iter()
        .map(|t| t.name.to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_changed_component_is_swapped_in_and_a_broken_one_refused() {
    let dir = std::env::temp_dir().join(format!("dex-mcp-swap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let served = dir.join("served.wasm");
    install(&std::fs::read(component("probe_guest")).unwrap(), &served);
    let command = tokio::process::Command::new(server_binary()).configure(|cmd| {
        cmd.arg("--component").arg(&served).arg("--watch");
        for (name, _) in std::env::vars() {
            if name.starts_with("DEX_") {
                cmd.env_remove(name);
            }
        }
    });
    let (changes, mut changed) = mpsc::unbounded_channel();
    let client = ListChanges(changes)
        .serve(TokioChildProcess::new(command).unwrap())
        .await
        .unwrap();
    assert_eq!(
        tool_names(&client).await,
        ["environment", "fetch", "preopened_directories"]
    );

    install(b"\0asm not really a component", &served);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        tool_names(&client).await,
        ["environment", "fetch", "preopened_directories"]
    );
    let still = client
        .call_tool(CallToolRequestParams::new("environment"))
        .await
        .unwrap();
    assert_ne!(
        still.is_error,
        Some(true),
        "the old component stopped serving: {still:?}"
    );
    assert!(
        changed.try_recv().is_err(),
        "a refused component was announced"
    );

    install(
        &std::fs::read(component("probe_guest_plus")).unwrap(),
        &served,
    );
    tokio::time::timeout(Duration::from_secs(60), changed.recv())
        .await
        .expect("notifications/tools/list_changed within a minute")
        .expect("the client is still connected");
    assert_eq!(
        tool_names(&client).await,
        ["echo", "environment", "fetch", "preopened_directories"]
    );
    let echo = CallToolRequestParams::new("echo")
        .with_arguments(json!({ "text": "swapped" }).as_object().unwrap().clone());
    let answer = client.call_tool(echo).await.unwrap();
    assert_eq!(
        answer.structured_content,
        Some(json!({ "value": "swapped" }))
    );
    client.cancel().await.ok();
    std::fs::remove_dir_all(&dir).ok();
}
