//! The account read from Dex is kept between calls (in the warm instance)
//! and read again only when it expires.

use dex_mcp_tests::{AgainstSimulator, account_reads, call_ok, serve_against_simulator};
use serde_json::json;

fn config() -> dex_sim::SimConfig {
    dex_sim::SimConfig {
        api_key: "dex_cache_test_key".into(),
        contacts: 150,
        ..Default::default()
    }
}

#[tokio::test]
async fn the_account_is_read_once_for_many_calls() {
    let AgainstSimulator { client, simulator } =
        serve_against_simulator(config(), &[("DEX_MCP_CACHE_TTL", "300")]).await;
    let someone = simulator.snapshot().contacts[7].clone();
    let last = someone.last_name.clone().unwrap_or_default();
    let name = format!("{} {last}", someone.first_name.clone().unwrap_or_default());

    let first = call_ok(&client, "find_contact", json!({ "name": name })).await;
    let after_first = account_reads(&simulator);
    let again = call_ok(&client, "find_contact", json!({ "name": name })).await;
    call_ok(
        &client,
        "search_contacts_full_text",
        json!({ "query": last }),
    )
    .await;
    client.cancel().await.ok();

    assert!(
        after_first >= 3,
        "the first call read the three lists ({after_first} requests): {:?}",
        simulator.counters()
    );
    assert_eq!(
        account_reads(&simulator),
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
    let AgainstSimulator { client, simulator } =
        serve_against_simulator(config(), &[("DEX_MCP_CACHE_TTL", "0")]).await;
    call_ok(
        &client,
        "search_contacts_full_text",
        json!({ "query": "coffee" }),
    )
    .await;
    let after_first = account_reads(&simulator);
    call_ok(
        &client,
        "search_contacts_full_text",
        json!({ "query": "coffee" }),
    )
    .await;
    client.cancel().await.ok();
    assert!(
        after_first >= 3,
        "the first call read the three lists ({after_first} requests): {:?}",
        simulator.counters()
    );
    assert_eq!(
        account_reads(&simulator),
        2 * after_first,
        "the second call read the whole account again"
    );
}
