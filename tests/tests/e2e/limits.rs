//! A misbehaving component (`tests/guests/misbehave`) against the host's
//! limits: each bad call fails alone, with a result that says why, and the
//! server goes on serving.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use dex_mcp_tests::{Client, Era, Scratch, component, start_server};
use rmcp::model::{CallToolRequestParams, CallToolResult};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEY: &str = "dex_test_limits_key";

/// A stand-in for the Dex origin: answers every request with 200, and
/// counts them. `/big/<n>` answers `n` bytes, anything else answers "ok".
struct Origin {
    base_url: String,
    requests: Arc<AtomicUsize>,
}

async fn origin() -> Origin {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let head = String::from_utf8_lossy(&head);
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let size = |prefix: &str| path.strip_prefix(prefix).and_then(|n| n.parse().ok());
                let response = if let Some(n) = size("/big/") {
                    let mut r = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {n}\r\nConnection: close\r\n\r\n"
                    )
                    .into_bytes();
                    r.extend(std::iter::repeat_n(b'x', n));
                    r
                } else {
                    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".to_vec()
                };
                socket.write_all(&response).await.ok();
                socket.shutdown().await.ok();
            });
        }
    });
    Origin { base_url, requests }
}

struct Misbehaving {
    client: Client,
    origin: Origin,
    log: Scratch,
}

async fn misbehaving(name: &str) -> Misbehaving {
    let origin = origin().await;
    let log = Scratch::new(&format!("limits-{name}.log"));
    let args = [
        "--component",
        &component("misbehave_guest").display().to_string(),
        "--call-timeout",
        "1",
        "--max-memory-mb",
        "64",
        "--max-requests-per-call",
        "5",
        "--max-response-mb",
        "1",
    ]
    .map(String::from);
    let env = [
        ("DEX_API_KEY", KEY),
        ("DEX_API_BASE_URL", origin.base_url.as_str()),
        ("DEX_MCP_LOG", "info"),
    ];
    let client = start_server(&args, &env, Era::Legacy, Some(&log))
        .await
        .expect("dex-mcp starts with the misbehaving component");
    Misbehaving {
        client,
        origin,
        log,
    }
}

async fn call(client: &Client, tool: &'static str, arguments: Value) -> CallToolResult {
    let mut request = CallToolRequestParams::new(tool);
    if let Some(object) = arguments.as_object() {
        request = request.with_arguments(object.clone());
    }
    client.call_tool(request).await.expect("tools/call answers")
}

/// The failed call's structured error.
fn failure(result: &CallToolResult) -> Value {
    assert_eq!(result.is_error, Some(true), "{result:?}");
    result
        .structured_content
        .clone()
        .unwrap_or_else(|| panic!("no structured error: {result:?}"))
}

async fn still_serving(client: &Client) {
    let ok = call(client, "ok", json!({})).await;
    assert_ne!(ok.is_error, Some(true), "{ok:?}");
    assert_eq!(ok.structured_content.expect("answer")["value"], json!("ok"));
}

#[tokio::test]
async fn panic_fails_that_call_and_its_message_is_logged_under_the_call() {
    let bad = misbehaving("panic").await;

    let error = failure(&call(&bad.client, "panic_now", json!({})).await);

    assert_eq!(error["reason"], json!("panic"), "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("panicked"),
        "{error}"
    );
    still_serving(&bad.client).await;
    bad.client.cancel().await.ok();
    let log = std::fs::read_to_string(&bad.log).unwrap();
    let guest_line = log
        .lines()
        .find(|l| l.contains("about to panic on purpose"))
        .unwrap_or_else(|| panic!("the guest's stderr is not in the log:\n{log}"));
    assert!(
        guest_line.contains("request_id=") && guest_line.contains("panic_now"),
        "the guest's line does not name its call: {guest_line}"
    );
}

#[tokio::test]
async fn endless_loop_is_stopped_at_the_deadline() {
    let bad = misbehaving("loop").await;

    let error = failure(&call(&bad.client, "spin_forever", json!({})).await);

    assert_eq!(error["reason"], json!("deadline"), "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("--call-timeout"),
        "{error}"
    );
    still_serving(&bad.client).await;
    bad.client.cancel().await.ok();
}

#[tokio::test]
async fn unbounded_allocation_is_stopped_at_the_memory_cap() {
    let bad = misbehaving("memory").await;

    let error = failure(&call(&bad.client, "allocate_without_bound", json!({})).await);

    assert_eq!(error["reason"], json!("memory"), "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("--max-memory-mb"),
        "{error}"
    );
    still_serving(&bad.client).await;
    bad.client.cancel().await.ok();
}

#[tokio::test]
async fn request_flood_is_cut_at_the_per_call_cap_and_the_next_call_has_a_fresh_budget() {
    let bad = misbehaving("flood").await;
    let url = format!("{}/v1/contacts", bad.origin.base_url);

    let flood = call(
        &bad.client,
        "request_flood",
        json!({ "url": url, "count": 50 }),
    )
    .await;
    let sent_by_flood = bad.origin.requests.load(Ordering::SeqCst);
    let modest = call(
        &bad.client,
        "request_flood",
        json!({ "url": url, "count": 5 }),
    )
    .await;

    let error = failure(&flood);
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("request 6 failed"), "{message}");
    assert!(message.contains("limit of 5"), "{message}");
    assert_eq!(sent_by_flood, 5, "requests past the cap left the host");
    assert_ne!(modest.is_error, Some(true), "{modest:?}");
    assert_eq!(modest.structured_content.unwrap()["value"], json!(5));
    still_serving(&bad.client).await;
    bad.client.cancel().await.ok();
}

#[tokio::test]
async fn oversized_answer_is_refused_and_a_small_one_read() {
    let bad = misbehaving("body").await;
    let base = &bad.origin.base_url;
    let two_mib = 2 << 20;

    let announced = call(
        &bad.client,
        "download",
        json!({ "url": format!("{base}/big/{two_mib}") }),
    )
    .await;
    let small = call(
        &bad.client,
        "download",
        json!({ "url": format!("{base}/big/1000") }),
    )
    .await;

    // Announced too large: refused before the guest reads a byte, and the
    // guest's HTTP client reports the size error. (A body that grows past
    // the cap while streaming is cut by the same wrapper; its unit tests
    // are in host/src/outbound_limits.rs.)
    let message = failure(&announced)["message"]
        .as_str()
        .unwrap()
        .to_lowercase();
    assert!(
        message.contains("body") && message.contains("size"),
        "{message}"
    );
    assert_ne!(small.is_error, Some(true), "{small:?}");
    assert_eq!(small.structured_content.unwrap()["value"], json!(1000));
    bad.client.cancel().await.ok();
}
