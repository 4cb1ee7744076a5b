//! Swapping the component while the server runs (`--watch`, SIGHUP).

use std::path::Path;
use std::time::Duration;

use dex_mcp_tests::{Era, Scratch, component, connect_http, server_binary, start_http_server};
use rmcp::model::{CallToolRequestParams, ServerNotification, SubscriptionFilter};
use rmcp::service::{
    ClientLifecycleMode, ClientServiceExt, NotificationContext, RunningService, ServiceExt,
};
use rmcp::transport::{ConfigureCommandExt, StreamableHttpClientTransport, TokioChildProcess};
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
    let dir = Scratch::new("swap");
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
        ["environment", "fetch", "preopened_directories", "send"]
    );

    install(b"\0asm not really a component", &served);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        tool_names(&client).await,
        ["environment", "fetch", "preopened_directories", "send"]
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
        [
            "echo",
            "environment",
            "fetch",
            "preopened_directories",
            "send"
        ]
    );
    let echo = CallToolRequestParams::new("echo")
        .with_arguments(json!({ "text": "swapped" }).as_object().unwrap().clone());
    let answer = client.call_tool(echo).await.unwrap();
    assert_eq!(
        answer.structured_content,
        Some(json!({ "value": "swapped" }))
    );
    client.cancel().await.ok();
}

/// Sends SIGHUP to process `pid`.
fn hang_up(pid: u32) {
    let status = std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -HUP {pid}: {status}");
}

/// Without `--watch`, a replaced file is served only after SIGHUP; then a
/// session client (2025-11-25) gets `notifications/tools/list_changed` on its
/// session, and a 2026-07-28 client on its `subscriptions/listen` stream.
#[tokio::test]
async fn sighup_reloads_the_component_and_both_eras_are_told() {
    let dir = Scratch::new("sighup");
    std::fs::create_dir_all(&dir).unwrap();
    let served = dir.join("served.wasm");
    install(&std::fs::read(component("probe_guest")).unwrap(), &served);
    let server = start_http_server(
        &["--component".to_owned(), served.display().to_string()],
        &[],
    )
    .expect("dex-mcp serves HTTP");

    let (changes, mut changed) = mpsc::unbounded_channel();
    let legacy = ListChanges(changes)
        .serve_with_lifecycle(
            StreamableHttpClientTransport::from_uri(server.url()),
            ClientLifecycleMode::Initialize,
        )
        .await
        .unwrap_or_else(|e| panic!("legacy client: {e}\n{}", server.log()));
    let modern = connect_http(&server.url(), None, Era::Modern)
        .await
        .unwrap_or_else(|e| panic!("modern client: {e:#}\n{}", server.log()));
    let mut subscription = modern
        .listen(SubscriptionFilter::builder().tools_list_changed().build())
        .await
        .unwrap_or_else(|e| panic!("subscriptions/listen: {e}\n{}", server.log()));
    assert_eq!(
        subscription.acknowledged().tools_list_changed,
        Some(true),
        "the server accepts tool-list changes on the stream"
    );
    let before = ["environment", "fetch", "preopened_directories", "send"];
    assert_eq!(tool_names(&legacy).await, before);

    install(
        &std::fs::read(component("probe_guest_plus")).unwrap(),
        &served,
    );
    // Not watched: the new file waits for the signal.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(tool_names(&legacy).await, before);
    assert!(changed.try_recv().is_err(), "announced before SIGHUP");

    hang_up(server.pid());
    tokio::time::timeout(Duration::from_secs(60), changed.recv())
        .await
        .unwrap_or_else(|_| panic!("no list_changed on the session\n{}", server.log()))
        .expect("the legacy client is still connected");
    let notification = tokio::time::timeout(Duration::from_secs(60), subscription.next())
        .await
        .unwrap_or_else(|_| panic!("no list_changed on the stream\n{}", server.log()))
        .expect("a valid stream")
        .expect("the stream is still open");
    assert!(
        matches!(
            notification,
            ServerNotification::ToolListChangedNotification(_)
        ),
        "{notification:?}"
    );
    let after = [
        "echo",
        "environment",
        "fetch",
        "preopened_directories",
        "send",
    ];
    assert_eq!(tool_names(&legacy).await, after);
    let mut modern_names: Vec<String> = modern
        .list_all_tools()
        .await
        .unwrap()
        .iter()
        .map(|t| t.name.to_string())
        .collect();
    modern_names.sort();
    assert_eq!(modern_names, after);
    assert!(server.log().contains("SIGHUP: reloading the component"));

    subscription.cancel().await.ok();
    legacy.cancel().await.ok();
    modern.cancel().await.ok();
}
