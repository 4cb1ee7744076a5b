//! What a component may see and reach: the probe test guest against a
//! simulated Dex that requires a real-looking key.

use std::io::Read;
use std::net::TcpListener;

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
    let args = vec![
        "--component".to_owned(),
        component("probe_guest").display().to_string(),
    ];
    let base_url = simulator.v1_base_url();
    let env = [
        ("DEX_API_KEY", KEY),
        ("DEX_API_BASE_URL", base_url.as_str()),
        ("DEX_MCP_LOG", "debug"),
    ];
    let client = start_server(&args, &env, Era::Legacy, Some(&stderr))
        .await
        .expect("dex-mcp starts");
    Sandbox {
        client,
        simulator,
        stderr,
    }
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
    assert_eq!(names, ["environment", "fetch", "preopened_directories"]);
    assert!(
        tools
            .iter()
            .all(|t| t.description.is_none() && t.annotations.is_none())
    );
    sandbox.client.cancel().await.ok();
}
