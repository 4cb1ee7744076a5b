//! MCP over Streamable HTTP: both eras through rmcp's client, the bearer
//! token, DNS-rebinding protection, JSON answers, the health endpoint, and
//! the refusal to listen beyond loopback without a token.

use dex_mcp_tests::{Era, HttpServer, connect_http, server_command, start_http_server};
use rmcp::model::CallToolRequestParams;
use serde_json::{Value, json};

const TOKEN: &str = "test-token-5d1f0c";

fn demo_http_server(args: &[&str]) -> HttpServer {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    start_http_server(&args, &[]).expect("dex-mcp serves HTTP")
}

/// A `server/discover` request of the 2026-07-28 revision, as raw JSON.
fn discover_body() -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": 1,
        "method": "server/discover",
        "params": { "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientInfo": { "name": "raw", "version": "1" },
            "io.modelcontextprotocol/clientCapabilities": {}
        }}
    })
}

fn discover(server: &HttpServer) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(server.url())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .header("MCP-Protocol-Version", "2026-07-28")
        .header("Mcp-Method", "server/discover")
        .json(&discover_body())
}

#[tokio::test]
async fn both_eras_list_and_call_tools_over_http() {
    let server = demo_http_server(&[]);
    for era in [Era::Legacy, Era::Modern] {
        let client = connect_http(&server.url(), None, era)
            .await
            .unwrap_or_else(|e| panic!("{era:?}: {e:#}\n{}", server.log()));
        let tools = client.list_all_tools().await.expect("tools/list answers");
        assert!(tools.iter().any(|t| t.name == "find_contact"), "{era:?}");
        let arguments = json!({ "email": "nobody@nowhere.invalid" })
            .as_object()
            .unwrap()
            .clone();
        let result = client
            .call_tool(CallToolRequestParams::new("find_contact").with_arguments(arguments))
            .await
            .expect("tools/call answers");
        assert_ne!(result.is_error, Some(true), "{era:?}: {result:?}");
        assert!(result.structured_content.is_some(), "{era:?}: {result:?}");
        client.cancel().await.ok();
    }
}

#[tokio::test]
async fn modern_requests_get_json_not_sse_and_only_what_the_component_offers_is_advertised() {
    let server = demo_http_server(&[]);
    let response = discover(&server).send().await.expect("answered");
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let body: Value = response.json().await.unwrap();
    let capabilities = body["result"]["capabilities"]
        .as_object()
        .expect("capabilities");
    // The component exports tools, prompts and resources (with their
    // completions); nothing the server does not serve (logging) is
    // advertised.
    let advertised: Vec<&String> = capabilities.keys().collect();
    assert_eq!(
        advertised,
        ["completions", "prompts", "resources", "tools"],
        "{body}"
    );
}

#[tokio::test]
async fn with_a_token_requests_without_it_get_401() {
    let server = demo_http_server(&["--http-token", TOKEN]);

    let missing = discover(&server).send().await.unwrap();
    let wrong = discover(&server)
        .bearer_auth("not-the-token")
        .send()
        .await
        .unwrap();
    let right = discover(&server).bearer_auth(TOKEN).send().await.unwrap();

    assert_eq!(missing.status(), 401);
    assert!(missing.headers().contains_key("www-authenticate"));
    assert_eq!(wrong.status(), 401);
    assert_eq!(right.status(), 200);
    let client = connect_http(&server.url(), Some(TOKEN), Era::Modern)
        .await
        .expect("rmcp's client with the token connects");
    assert!(!client.list_all_tools().await.unwrap().is_empty());
    client.cancel().await.ok();
    assert!(
        !server.log().contains(TOKEN),
        "the token is in the server's log"
    );
}

#[tokio::test]
async fn the_health_endpoint_answers_probes_without_the_token() {
    let server = demo_http_server(&["--http-token", TOKEN]);
    let health = format!("http://{}/healthz", server.addr);
    let http = reqwest::Client::new();

    let probe = http.get(&health).send().await.unwrap();
    let post = http.post(&health).send().await.unwrap();
    let mcp_without_token = discover(&server).send().await.unwrap();

    assert_eq!(probe.status(), 200);
    assert_eq!(probe.text().await.unwrap(), "ok\n");
    assert_eq!(post.status(), 405, "only GET is a probe");
    assert_eq!(
        mcp_without_token.status(),
        401,
        "the token still guards /mcp"
    );
}

#[tokio::test]
async fn foreign_origin_gets_403_and_loopback_origin_is_served() {
    let server = demo_http_server(&[]);

    let foreign = discover(&server)
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    let local = discover(&server)
        .header("Origin", format!("http://localhost:{}", server.addr.port()))
        .send()
        .await
        .unwrap();

    assert_eq!(foreign.status(), 403);
    assert_eq!(local.status(), 200);
}

#[tokio::test]
async fn configured_origin_is_served() {
    let server = demo_http_server(&["--allowed-origin", "https://app.example.com:443"]);
    let allowed = discover(&server)
        .header("Origin", "https://app.example.com")
        .send()
        .await
        .unwrap();
    let other_port = discover(&server)
        .header("Origin", "https://app.example.com:8443")
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.status(), 200);
    assert_eq!(other_port.status(), 403);
}

#[tokio::test]
async fn foreign_host_header_gets_403() {
    let server = demo_http_server(&[]);
    let rebound = discover(&server)
        .header("Host", format!("attacker.example:{}", server.addr.port()))
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), 403);
}

#[test]
fn listening_beyond_loopback_without_a_token_is_refused_at_start() {
    let args = ["--transport", "http", "--listen", "0.0.0.0:0"].map(String::from);
    let output = server_command(&args, &[]).output().expect("dex-mcp runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("DEX_MCP_HTTP_TOKEN"), "{stderr}");
    assert!(!stderr.contains("serving MCP"), "{stderr}");
}
