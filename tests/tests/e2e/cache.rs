//! The account read from Dex is kept between calls (in the warm instance)
//! and read again only when it expires.

use dex_mcp_tests::{Client, Era, component, start_server};
use rmcp::model::CallToolRequestParams;
use serde_json::{Value, json};

const KEY: &str = "dex_cache_test_key";

async fn server_against(simulator: &dex_sim::RunningSim, ttl_seconds: &str) -> Client {
    let base_url = simulator.v1_base_url();
    let args = vec![
        "--component".to_owned(),
        component("dex_guest").display().to_string(),
    ];
    let env = [
        ("DEX_API_KEY", KEY),
        ("DEX_API_BASE_URL", base_url.as_str()),
        ("DEX_MCP_CACHE_TTL", ttl_seconds),
    ];
    start_server(&args, &env, Era::Legacy, None)
        .await
        .expect("dex-mcp starts")
}

async fn call(client: &Client, tool: &'static str, arguments: Value) -> Value {
    let request =
        CallToolRequestParams::new(tool).with_arguments(arguments.as_object().unwrap().clone());
    let result = client.call_tool(request).await.expect("tools/call answers");
    assert_ne!(result.is_error, Some(true), "{result:?}");
    result.structured_content.expect("structured content")
}

async fn simulator() -> dex_sim::RunningSim {
    let config = dex_sim::SimConfig {
        api_key: KEY.into(),
        contacts: 150,
        ..Default::default()
    };
    dex_sim::RunningSim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator starts")
}

/// Requests the simulator served for the bulk lists.
fn list_requests(simulator: &dex_sim::RunningSim) -> u64 {
    let counters = simulator.counters();
    ["GET /v1/contacts", "GET /v1/timeline", "GET /v1/reminders"]
        .iter()
        .map(|e| counters.requests(e))
        .sum()
}

#[tokio::test]
async fn the_account_is_read_once_for_many_calls() {
    let simulator = simulator().await;
    let someone = simulator.snapshot().contacts[7].clone();
    let name = format!(
        "{} {}",
        someone.first_name.clone().unwrap_or_default(),
        someone.last_name.clone().unwrap_or_default()
    );
    let client = server_against(&simulator, "300").await;

    let first = call(&client, "find_contact", json!({ "name": name })).await;
    let after_first = list_requests(&simulator);
    let again = call(&client, "find_contact", json!({ "name": name })).await;
    call(
        &client,
        "search_contacts_full_text",
        json!({ "query": someone.last_name.clone().unwrap_or_default() }),
    )
    .await;
    client.cancel().await.ok();

    assert!(
        after_first >= 3,
        "the first call read the three lists ({after_first} requests): {:?}",
        simulator.counters()
    );
    assert_eq!(
        list_requests(&simulator),
        after_first,
        "later calls read the account again"
    );
    assert_eq!(first, again);
    assert!(
        first["matches"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["contact"]["id"] == json!(someone.id)),
        "{first:#}"
    );
}

#[tokio::test]
async fn with_no_time_to_live_every_call_reads_the_account() {
    let simulator = simulator().await;
    let client = server_against(&simulator, "0").await;
    call(
        &client,
        "search_contacts_full_text",
        json!({ "query": "coffee" }),
    )
    .await;
    let after_first = list_requests(&simulator);
    call(
        &client,
        "search_contacts_full_text",
        json!({ "query": "coffee" }),
    )
    .await;
    client.cancel().await.ok();
    assert_eq!(list_requests(&simulator), 2 * after_first);
}
