//! Reading an account larger than one page, on both API generations: every
//! record arrives once and in its place, in the number of requests the
//! paging plan promises (pages of 1,000; legacy's offset pages asked for
//! together, which the component's transport sends concurrently).

use dex_mcp_tests::{Client, Era, call_ok, component, start_server};
use serde_json::json;

const KEY: &str = "dex_account_read_test_key";

/// 2,500 contacts: three pages of contacts, a dozen of notes.
async fn simulator() -> dex_sim::RunningSim {
    let config = dex_sim::SimConfig {
        api_key: KEY.into(),
        contacts: 2_500,
        // Every answer waits, so requests sent together are seen together
        // (`max_in_flight`) whatever the machine's speed.
        faults: vec![dex_sim::FaultRule {
            endpoint: "all".into(),
            latency_ms: 50,
            ..Default::default()
        }],
        ..Default::default()
    };
    dex_sim::RunningSim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator starts")
}

async fn server(generation: &str, base_url: &str) -> Client {
    let args = vec![
        "--component".to_owned(),
        component("dex_guest").display().to_string(),
    ];
    let env = [
        ("DEX_API_KEY", KEY),
        ("DEX_API_GENERATION", generation),
        ("DEX_API_BASE_URL", base_url),
    ];
    start_server(&args, &env, Era::Legacy, None)
        .await
        .expect("dex-mcp starts")
}

/// Searches for a contact on the third page of contacts by its full name
/// and checks the search saw the whole account.
async fn search_page_three(client: &Client, simulator: &dex_sim::RunningSim) {
    let someone = simulator.snapshot().contacts[2_200].clone();
    let name = format!(
        "{} {}",
        someone.first_name.clone().unwrap_or_default(),
        someone.last_name.clone().unwrap_or_default()
    );
    let found = call_ok(
        client,
        "search_contacts_full_text",
        json!({ "query": name }),
    )
    .await;
    assert_eq!(found["incomplete"], json!([]), "{found:#}");
    assert!(
        found.to_string().contains(&someone.id),
        "contact 2,200 of 2,500 is found: {found:#}"
    );
}

#[tokio::test]
async fn v1_reads_each_list_in_pages_of_a_thousand() {
    let simulator = simulator().await;
    let client = server("v1", &simulator.v1_base_url()).await;
    search_page_three(&client, &simulator).await;
    client.cancel().await.ok();

    let data = simulator.snapshot();
    let pages = |records: usize| records.div_ceil(1000) as u64;
    let counters = simulator.counters();
    assert_eq!(counters.requests("GET /v1/contacts"), 3, "{counters:?}");
    assert_eq!(
        counters.max_in_flight, 3,
        "the three lists are read at once, a page each: {counters:?}"
    );
    assert_eq!(
        counters.requests("GET /v1/timeline"),
        pages(data.notes.len()),
        "{counters:?}"
    );
    assert_eq!(
        counters.requests("GET /v1/reminders"),
        pages(data.reminders.len()),
        "{counters:?}"
    );
}

#[tokio::test]
async fn legacy_asks_for_the_pages_after_the_first_together() {
    let simulator = simulator().await;
    let client = server("legacy", &simulator.legacy_base_url()).await;
    search_page_three(&client, &simulator).await;
    client.cancel().await.ok();

    let data = simulator.snapshot();
    let pages = |records: usize| records.div_ceil(1000) as u64;
    let counters = simulator.counters();
    assert_eq!(
        counters.requests("GET /api/rest/contacts"),
        1 + 8,
        "the first page, then a window of eight (the third is short): {counters:?}"
    );
    assert_eq!(
        counters.requests("GET /api/rest/timeline_items"),
        pages(data.notes.len()),
        "the total on the first page says how many more: {counters:?}"
    );
    assert_eq!(
        counters.requests("GET /api/rest/reminders"),
        pages(data.reminders.len()),
        "{counters:?}"
    );
    assert_eq!(
        counters.max_in_flight, 8,
        "the fanned-out pages go eight at a time, never more: {counters:?}"
    );
}
