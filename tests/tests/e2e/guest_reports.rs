//! What the guest reports on its stderr reaching the client and the
//! operator: progress notifications during a cold read, cancellation of a
//! slow call, and cache hits, misses and read times in the metrics.

use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dex_mcp_tests::{Scratch, component, server_binary};
use rmcp::model::{
    CallToolRequest, CallToolRequestParams, ClientRequest, ProgressNotificationParam,
};
use rmcp::service::{
    ClientLifecycleMode, ClientServiceExt, NotificationContext, PeerRequestOptions, RunningService,
};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{ClientHandler, RoleClient};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const KEY: &str = "dex_test_guest_reports_key";
const SEARCH: &str = "search_contacts_full_text";

/// An MCP client that keeps every progress notification it is sent.
#[derive(Clone, Default)]
struct ProgressRecorder {
    seen: Arc<Mutex<Vec<ProgressNotificationParam>>>,
}

impl ProgressRecorder {
    fn seen(&self) -> Vec<ProgressNotificationParam> {
        self.seen.lock().unwrap().clone()
    }
}

impl ClientHandler for ProgressRecorder {
    async fn on_progress(
        &self,
        params: ProgressNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        self.seen.lock().unwrap().push(params);
    }
}

async fn simulator(contacts: usize) -> dex_sim::RunningSim {
    dex_sim::RunningSim::start(
        dex_sim::SimConfig {
            api_key: KEY.into(),
            contacts,
            ..Default::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .expect("the simulator starts")
}

fn log_path(test: &str) -> Scratch {
    Scratch::new(&format!("{test}.log"))
}

/// `dex-mcp` serving the Dex guest against `simulator` with `extra`
/// flags, metrics on, its stderr in `log`, and a recording client.
async fn start(
    simulator: &dex_sim::RunningSim,
    extra: &[&str],
    log: &Path,
) -> RunningService<RoleClient, ProgressRecorder> {
    let base_url = simulator.v1_base_url();
    let component = component("dex_guest").display().to_string();
    let mut args = vec!["--component", &component, "--metrics", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    let stderr = std::fs::File::create(log).expect("creating the log file");
    let command = tokio::process::Command::new(server_binary()).configure(|cmd| {
        cmd.args(&args);
        for (name, _) in std::env::vars() {
            if name.starts_with("DEX_") {
                cmd.env_remove(name);
            }
        }
        cmd.env("DEX_API_KEY", KEY)
            .env("DEX_API_BASE_URL", &base_url);
    });
    let (transport, _) = TokioChildProcess::builder(command)
        .stderr(Stdio::from(stderr))
        .spawn()
        .expect("spawning dex-mcp");
    ProgressRecorder::default()
        .serve_with_lifecycle(transport, ClientLifecycleMode::Initialize)
        .await
        .expect("the MCP handshake")
}

fn search(query: &str) -> CallToolRequestParams {
    CallToolRequestParams::new(SEARCH).with_arguments(
        json!({ "query": query })
            .as_object()
            .cloned()
            .expect("an object"),
    )
}

/// The metrics text of the server that logged to `log`.
async fn scrape(log: &Path) -> String {
    let addr = std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .filter(|l| l.contains("serving Prometheus metrics"))
        .find_map(|l| {
            l.split_whitespace()
                .find_map(|f| f.strip_prefix("addr="))
                .map(str::to_owned)
        })
        .expect("the metrics address is logged");
    reqwest::get(format!("http://{addr}/metrics"))
        .await
        .expect("the scrape answers")
        .text()
        .await
        .unwrap()
}

/// Waits (up to a generous bound) for `done` to hold.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what} did not happen within 10 s");
}

#[tokio::test]
async fn a_cold_read_sends_increasing_progress_up_to_its_total() {
    let simulator = simulator(1500).await;
    let log = log_path("progress");
    let client = start(&simulator, &[], &log).await;
    let recorder = client.service().clone();

    let result = client
        .call_tool(search("coffee"))
        .await
        .expect("tools/call");
    assert_ne!(result.is_error, Some(true), "{result:?}");
    // The last notification is sent before the result, but the client may
    // hand it to its handler a little later.
    eventually("a notification at the total", || {
        recorder
            .seen()
            .last()
            .is_some_and(|p| p.total == Some(p.progress))
    })
    .await;
    let seen = recorder.seen();
    for pair in seen.windows(2) {
        assert!(pair[1].progress > pair[0].progress, "{seen:?}");
        assert_eq!(pair[1].progress_token, pair[0].progress_token);
    }
    let last = seen.last().unwrap();
    assert!(
        last.progress > 1500.0,
        "contacts, notes and reminders: {last:?}"
    );
    assert!(
        last.message
            .as_deref()
            .is_some_and(|m| m.contains("records")),
        "{last:?}"
    );

    // A warm call reads nothing, so it reports no progress.
    let before = recorder.seen().len();
    client
        .call_tool(search("coffee"))
        .await
        .expect("tools/call");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(recorder.seen().len(), before);
    client.cancel().await.ok();
}

#[tokio::test]
async fn the_number_of_contacts_is_the_total_before_the_first_page() {
    let simulator = simulator(400).await;
    // The first pages take a while, so the report made before them is
    // sent on its own rather than replaced by a later one.
    simulator.set_faults(vec![
        dex_sim::FaultRule::new("GET /v1/contacts").latency(600, 0),
    ]);
    let log = log_path("count");
    let client = start(&simulator, &[], &log).await;
    let recorder = client.service().clone();
    let result = client
        .call_tool(search("coffee"))
        .await
        .expect("tools/call");
    assert_ne!(result.is_error, Some(true), "{result:?}");
    eventually("a notification at the total", || {
        recorder
            .seen()
            .last()
            .is_some_and(|p| p.total == Some(p.progress))
    })
    .await;
    let first = recorder.seen()[0].clone();
    assert_eq!(first.progress, 0.0, "{first:?}");
    assert_eq!(first.total, Some(400.0), "{first:?}");
    assert!(
        first
            .message
            .as_deref()
            .is_some_and(|m| m.contains("contacts")),
        "{first:?}"
    );
    client.cancel().await.ok();
    assert_eq!(simulator.counters().requests("GET /v1/contacts/count"), 1);
}

/// A raw JSON-RPC session over stdio: rmcp's client puts a progress token
/// on every request, so asking without one needs a client that does not.
struct RawSession {
    child: tokio::process::Child,
    stdin: tokio::process::ChildStdin,
    lines: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
}

impl RawSession {
    async fn start(simulator: &dex_sim::RunningSim, extra: &[&str]) -> Self {
        let base_url = simulator.v1_base_url();
        let mut command = tokio::process::Command::new(server_binary());
        command
            .arg("--component")
            .arg(component("dex_guest"))
            .args(extra)
            .env("DEX_API_KEY", KEY)
            .env("DEX_API_BASE_URL", &base_url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        for (name, _) in std::env::vars() {
            if name.starts_with("DEX_") && name != "DEX_API_KEY" && name != "DEX_API_BASE_URL" {
                command.env_remove(name);
            }
        }
        let mut child = command.spawn().expect("spawning dex-mcp");
        let stdin = child.stdin.take().unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut session = Self {
            child,
            stdin,
            lines,
        };
        session
            .request(
                1,
                "initialize",
                json!({
                    "protocolVersion": "2025-11-25",
                    "capabilities": {},
                    "clientInfo": {"name": "raw-test", "version": "0"},
                }),
            )
            .await;
        session
            .send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        session
    }

    async fn send(&mut self, message: Value) {
        let mut line = message.to_string();
        line.push('\n');
        self.stdin.write_all(line.as_bytes()).await.unwrap();
        self.stdin.flush().await.unwrap();
    }

    /// Sends a request and returns the notifications that came before its
    /// answer, and the answer.
    async fn request(&mut self, id: u64, method: &str, params: Value) -> (Vec<Value>, Value) {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        let mut notifications = Vec::new();
        loop {
            let line = tokio::time::timeout(Duration::from_secs(120), self.lines.next_line())
                .await
                .expect("dex-mcp answers")
                .unwrap()
                .expect("dex-mcp's stdout stays open");
            let message: Value = serde_json::from_str(&line).expect("stdout carries JSON-RPC");
            if message["id"] == json!(id) {
                return (notifications, message);
            }
            if message.get("method").is_some() {
                notifications.push(message);
            }
        }
    }
}

#[tokio::test]
async fn progress_goes_only_to_calls_that_ask_for_it() {
    let simulator = simulator(300).await;
    // No cache, so that both calls read the account.
    let mut session = RawSession::start(&simulator, &["--cache-ttl", "0"]).await;
    let arguments = json!({"query": "coffee"});

    let (notifications, answer) = session
        .request(
            2,
            "tools/call",
            json!({"name": SEARCH, "arguments": arguments}),
        )
        .await;
    assert!(answer.get("result").is_some(), "{answer}");
    assert!(
        !notifications
            .iter()
            .any(|n| n["method"] == "notifications/progress"),
        "{notifications:?}"
    );

    let (notifications, answer) = session
        .request(
            3,
            "tools/call",
            json!({"name": SEARCH, "arguments": arguments, "_meta": {"progressToken": "read-3"}}),
        )
        .await;
    assert!(answer.get("result").is_some(), "{answer}");
    let progress: Vec<&Value> = notifications
        .iter()
        .filter(|n| n["method"] == "notifications/progress")
        .collect();
    assert!(!progress.is_empty(), "{notifications:?}");
    assert!(
        progress
            .iter()
            .all(|n| n["params"]["progressToken"] == "read-3"),
        "{progress:?}"
    );
    // Sent before the answer, the last one says the read is complete.
    let last = &progress.last().unwrap()["params"];
    assert_eq!(last["progress"], last["total"], "{last}");
    session.child.kill().await.ok();
}

#[tokio::test]
async fn a_cancelled_slow_read_frees_its_instance_for_the_next_call() {
    let simulator = simulator(50).await;
    // Notes answer after 40 s: a cold read waits on them. Contacts answer
    // at once, which shows the read has started.
    simulator.set_faults(vec![
        dex_sim::FaultRule::new("GET /v1/timeline").latency(40_000, 0),
    ]);
    let log = log_path("cancel");
    // One instance: the next call can only run once the cancelled one has
    // let go of it.
    let client = start(
        &simulator,
        &["--instances", "1", "--call-timeout", "300"],
        &log,
    )
    .await;

    let handle = client
        .send_cancellable_request(
            ClientRequest::CallToolRequest(CallToolRequest::new(search("coffee"))),
            PeerRequestOptions::no_options(),
        )
        .await
        .expect("the request is sent");
    eventually("the account read starting", || {
        simulator.counters().requests("GET /v1/contacts") > 0
    })
    .await;
    handle
        .cancel(Some("the user gave up".into()))
        .await
        .expect("the cancellation is sent");

    simulator.clear_faults();
    // Were the cancelled call still running, it would hold the only
    // instance for the rest of its 40 s wait.
    let next = tokio::time::timeout(Duration::from_secs(20), client.call_tool(search("coffee")))
        .await
        .expect("the next call gets the instance")
        .expect("tools/call answers");
    assert_ne!(next.is_error, Some(true), "{next:?}");

    let text = scrape(&log).await;
    for expected in [
        format!(r#"dex_mcp_tool_calls_total{{tool="{SEARCH}",outcome="cancelled"}} 1"#),
        format!(r#"dex_mcp_tool_calls_total{{tool="{SEARCH}",outcome="ok"}} 1"#),
        "dex_mcp_instances_in_use 0".to_owned(),
    ] {
        assert!(text.contains(&expected), "missing {expected} in:\n{text}");
    }
    client.cancel().await.ok();
}

#[tokio::test]
async fn cache_misses_hits_and_read_times_reach_the_metrics() {
    let simulator = simulator(20).await;
    let log = log_path("guest-metrics");
    let client = start(&simulator, &[], &log).await;

    let before = scrape(&log).await;
    assert!(
        !before.contains(r#"dex_mcp_guest_events_total{"#),
        "{before}"
    );
    for _ in 0..2 {
        let result = client
            .call_tool(search("coffee"))
            .await
            .expect("tools/call");
        assert_ne!(result.is_error, Some(true), "{result:?}");
    }
    let text = scrape(&log).await;
    client.cancel().await.ok();
    for expected in [
        r#"dex_mcp_guest_events_total{name="account_cache",outcome="miss"} 1"#,
        r#"dex_mcp_guest_events_total{name="account_cache",outcome="hit"} 1"#,
        r#"dex_mcp_guest_timing_seconds_count{name="account_read"} 1"#,
    ] {
        assert!(text.contains(expected), "missing {expected} in:\n{text}");
    }
    // Report lines are routed, not logged as the guest's log lines.
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(!logged.contains("mcp-host:"), "{logged}");
}
