//! What a component may see and reach: the probe test guest against a
//! simulated Dex that requires a real-looking key, and against a recording
//! origin that shows exactly what left the host.

use std::io::Read;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use dex_mcp_tests::{Client, Era, Scratch, component, start_server};
use rmcp::model::CallToolRequestParams;
use serde_json::{Value, json};

const KEY: &str = "dex_live_7f3a9c2e_never_leaks";

struct Sandbox {
    client: Client,
    simulator: dex_sim::RunningSim,
    stderr: Scratch,
}

async fn probe_against_simulator(name: &str) -> Sandbox {
    let simulator = dex_sim::RunningSim::start(
        dex_sim::SimConfig {
            api_key: KEY.into(),
            contacts: 5,
            ..Default::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .expect("simulator starts");
    let stderr = Scratch::new(&format!("sandbox-{name}.log"));
    let base_url = simulator.v1_base_url();
    let client = probe_against(&base_url, &stderr).await;
    Sandbox {
        client,
        simulator,
        stderr,
    }
}

/// The probe, allowed to reach `base_url`, with [`KEY`] as its secret
/// `api-key`, logging to `stderr` at debug level.
async fn probe_against(base_url: &str, stderr: &Scratch) -> Client {
    let args = vec![
        "--component".to_owned(),
        component("probe_guest").display().to_string(),
    ];
    let env = [
        ("DEX_API_KEY", KEY),
        ("DEX_API_BASE_URL", base_url),
        ("DEX_MCP_LOG", "debug"),
    ];
    start_server(&args, &env, Era::Legacy, Some(stderr))
        .await
        .expect("dex-mcp starts")
}

/// An origin that answers every request `200 ok` and keeps each request
/// as it arrived (head and body), to see what the host let through.
struct Recorder {
    base_url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

async fn recorder() -> Recorder {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let kept = requests.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let mut raw = Vec::new();
                let mut chunk = [0u8; 4096];
                let complete = |raw: &[u8]| {
                    let text = String::from_utf8_lossy(raw);
                    let Some((head, body)) = text.split_once("\r\n\r\n") else {
                        return false;
                    };
                    let head = head.to_ascii_lowercase();
                    if head.contains("transfer-encoding: chunked") {
                        return body.ends_with("0\r\n\r\n");
                    }
                    let length = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|n| n.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    body.len() >= length
                };
                while !complete(&raw) {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => raw.extend_from_slice(&chunk[..n]),
                    }
                }
                kept.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&raw).into_owned());
                let answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
                socket.write_all(answer).await.ok();
                socket.shutdown().await.ok();
            });
        }
    });
    Recorder { base_url, requests }
}

async fn call(
    client: &Client,
    tool: &'static str,
    arguments: Value,
) -> rmcp::model::CallToolResult {
    let mut request = CallToolRequestParams::new(tool);
    if let Some(object) = arguments.as_object() {
        request = request.with_arguments(object.clone());
    }
    client.call_tool(request).await.expect("tools/call answers")
}

#[tokio::test]
async fn request_to_another_origin_is_refused_and_never_sent() {
    let sandbox = probe_against_simulator("origin").await;
    let elsewhere = TcpListener::bind("127.0.0.1:0").unwrap();
    elsewhere.set_nonblocking(true).unwrap();
    let url = format!("http://{}/v1/contacts", elsewhere.local_addr().unwrap());

    let result = call(&sandbox.client, "fetch", json!({ "url": url })).await;

    assert_eq!(result.is_error, Some(true), "{result:?}");
    let structured = result
        .structured_content
        .clone()
        .unwrap_or_else(|| panic!("{result:?}"));
    let message = structured["message"]
        .as_str()
        .unwrap_or_else(|| panic!("{structured}"))
        .to_owned();
    assert!(message.to_lowercase().contains("denied"), "{message}");
    let mut probe = [0u8; 1];
    match elsewhere.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        Ok((mut stream, _)) => panic!(
            "the host connected to another origin (read {:?})",
            stream.read(&mut probe)
        ),
        Err(e) => panic!("{e}"),
    }
    sandbox.client.cancel().await.ok();
}

#[tokio::test]
async fn dex_origin_is_reached_with_a_key_the_guest_never_sees() {
    let sandbox = probe_against_simulator("key").await;
    let url = format!("{}/v1/contacts?take=1", sandbox.simulator.v1_base_url());

    let fetched = call(&sandbox.client, "fetch", json!({ "url": url })).await;
    let environment = call(&sandbox.client, "environment", json!({})).await;
    sandbox.client.cancel().await.ok();

    // The simulator answers 401 without the key: 200 means the host added it.
    let fetched = fetched.structured_content.expect("fetch returned");
    assert_eq!(fetched["status"], json!(200), "{fetched}");
    let environment = environment
        .structured_content
        .expect("environment returned")
        .to_string();
    assert!(environment.contains("DEX_API_BASE_URL"), "{environment}");
    assert!(
        !environment.contains(KEY),
        "the guest can read the key: {environment}"
    );
    assert!(!environment.contains("DEX_API_KEY"), "{environment}");
    // Only the probe's plain setting, and the machine's zone.
    let names: Vec<String> = serde_json::from_str::<Value>(&environment).unwrap()["value"]
        .as_array()
        .expect("a list of NAME=value")
        .iter()
        .filter_map(|v| v.as_str()?.split_once('=').map(|(n, _)| n.to_owned()))
        .collect();
    assert!(
        names.iter().all(|n| n == "DEX_API_BASE_URL" || n == "TZ"),
        "{names:?}"
    );
    let log = std::fs::read_to_string(&sandbox.stderr).expect("server log");
    assert!(
        log.contains("tool call"),
        "the log is not being written: {log}"
    );
    assert!(!log.contains(KEY), "the key is in the server's log");
}

#[tokio::test]
async fn guest_has_no_filesystem() {
    let sandbox = probe_against_simulator("fs").await;
    let result = call(&sandbox.client, "preopened_directories", json!({})).await;
    assert_eq!(
        result.structured_content.expect("answer")["value"],
        json!([])
    );
    sandbox.client.cancel().await.ok();
}

#[tokio::test]
async fn exports_without_a_catalogue_are_still_tools() {
    let sandbox = probe_against_simulator("catalogue").await;
    let tools = sandbox.client.list_all_tools().await.unwrap();
    let mut names: Vec<_> = tools.iter().map(|t| t.name.to_string()).collect();
    names.sort();
    // `server` (settings, upstream) is read by the host, not served.
    assert_eq!(
        names,
        ["environment", "fetch", "preopened_directories", "send"]
    );
    assert!(
        tools
            .iter()
            .all(|t| t.description.is_none() && t.annotations.is_none())
    );
    sandbox.client.cancel().await.ok();
}

#[tokio::test]
async fn secrets_are_filled_into_header_values_only() {
    let origin = recorder().await;
    let stderr = Scratch::new("sandbox-placeholders.log");
    let client = probe_against(&origin.base_url, &stderr).await;
    // The URL carries the placeholder percent-encoded, as a URL must.
    let url = format!("{}/echo?k=%24%7Bsecret%3Aapi-key%7D", origin.base_url);
    let request = json!({
        "request": {
            "method": "POST",
            "url": url,
            "headers": [["x-key", "Key ${secret:api-key}!"], ["x-plain", "${secret"]],
            "body": "{\"key\":\"${secret:api-key}\"}",
        }
    });

    let result = call(&client, "send", request).await;
    client.cancel().await.ok();

    assert_ne!(result.is_error, Some(true), "{result:?}");
    let requests = origin.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let sent = &requests[0];
    let lower = sent.to_ascii_lowercase();
    assert!(
        lower.contains(&format!("x-key: key {}!", KEY.to_ascii_lowercase())),
        "{sent}"
    );
    assert!(lower.contains("x-plain: ${secret"), "{sent}");
    assert!(
        sent.starts_with("POST /echo?k=%24%7Bsecret%3Aapi-key%7D HTTP/1.1"),
        "the URL was changed: {sent}"
    );
    assert!(
        sent.contains("\r\n{\"key\":\"${secret:api-key}\"}\r\n"),
        "the body was changed: {sent}"
    );
    assert_eq!(sent.matches(KEY).count(), 1, "{sent}");
    let log = std::fs::read_to_string(&stderr).expect("server log");
    assert!(!log.contains(KEY), "the key is in the server's log");
}

#[tokio::test]
async fn a_placeholder_for_an_unknown_secret_is_refused_before_sending() {
    let origin = recorder().await;
    let stderr = Scratch::new("sandbox-unknown-secret.log");
    let client = probe_against(&origin.base_url, &stderr).await;
    let request = json!({
        "request": {
            "method": "GET",
            "url": format!("{}/x", origin.base_url),
            "headers": [
                ["authorization", "Bearer ${secret:api-key}"],
                ["x-other", "${secret:password}"],
            ],
        }
    });

    let result = call(&client, "send", request).await;
    client.cancel().await.ok();

    assert_eq!(result.is_error, Some(true), "{result:?}");
    let message = result.structured_content.expect("an error")["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("${secret:password}"), "{message}");
    assert!(!message.contains(KEY), "{message}");
    assert!(origin.requests.lock().unwrap().is_empty(), "it was sent");
    let log = std::fs::read_to_string(&stderr).expect("server log");
    assert!(
        log.contains("${secret:password}"),
        "the refusal is not logged"
    );
    assert!(!log.contains(KEY), "the key is in the server's log");
}
