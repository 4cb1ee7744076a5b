//! The server configured for Dex's legacy API (`DEX_API_GENERATION=legacy`)
//! against the simulator's `/api/rest` routes: the same tools answer the
//! same way, and only legacy endpoints are asked.

use dex_mcp_tests::{Client, Era, component, start_server};
use rmcp::model::CallToolRequestParams;
use serde_json::{Value, json};

const KEY: &str = "dex_legacy_test_key";

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

async fn legacy_server(simulator: &dex_sim::RunningSim) -> Client {
    let base_url = simulator.legacy_base_url();
    let args = vec![
        "--component".to_owned(),
        component("dex_guest").display().to_string(),
    ];
    let env = [
        ("DEX_API_KEY", KEY),
        ("DEX_API_GENERATION", "legacy"),
        ("DEX_API_BASE_URL", base_url.as_str()),
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

/// Requests the simulator served on any v1 route.
fn v1_requests(simulator: &dex_sim::RunningSim) -> u64 {
    simulator
        .counters()
        .endpoints
        .iter()
        .filter(|(endpoint, _)| endpoint.contains(" /v1/"))
        .map(|(_, counts)| counts.requests)
        .sum()
}

fn ids_of_matches(found: &Value) -> Vec<Value> {
    found["matches"]
        .as_array()
        .expect("matches is a list")
        .iter()
        .map(|m| m["contact"]["id"].clone())
        .collect()
}

#[tokio::test]
async fn find_contact_by_email_uses_the_legacy_exact_email_search() {
    let simulator = simulator().await;
    let contact = simulator
        .snapshot()
        .contacts
        .into_iter()
        .find(|c| !c.contact_emails.is_empty())
        .expect("a seeded contact with an email");
    let email = contact.contact_emails[0].email.to_uppercase();
    let client = legacy_server(&simulator).await;

    let found = call(&client, "find_contact", json!({ "email": email })).await;
    client.cancel().await.ok();

    assert_eq!(
        found["matches"][0]["contact"]["id"],
        json!(contact.id),
        "{found:#}"
    );
    assert_eq!(found["matches"][0]["confidence"], json!(100));
    let counters = simulator.counters();
    assert_eq!(
        counters.requests("GET /api/rest/search/contacts"),
        1,
        "{counters:?}"
    );
    assert_eq!(
        counters.requests("GET /api/rest/contacts"),
        0,
        "an email alone needs no listing"
    );
    assert_eq!(v1_requests(&simulator), 0, "{counters:?}");
}

#[tokio::test]
async fn find_contact_by_name_reads_the_legacy_lists_page_by_page() {
    let simulator = simulator().await;
    let someone = simulator.snapshot().contacts[120].clone();
    let name = format!(
        "{} {}",
        someone.first_name.clone().unwrap_or_default(),
        someone.last_name.clone().unwrap_or_default()
    );
    let client = legacy_server(&simulator).await;

    let found = call(&client, "find_contact", json!({ "name": name })).await;
    client.cancel().await.ok();

    assert!(
        ids_of_matches(&found).contains(&json!(someone.id)),
        "contact 120 of 150 is found: {found:#}"
    );
    let counters = simulator.counters();
    assert_eq!(
        counters.requests("GET /api/rest/contacts"),
        1,
        "150 contacts fit one page of 1,000, which is short, so the list ends: {counters:?}"
    );
    assert!(counters.requests("GET /api/rest/timeline_items") >= 1);
    assert!(counters.requests("GET /api/rest/reminders") >= 1);
    assert_eq!(v1_requests(&simulator), 0, "{counters:?}");
}

#[tokio::test]
async fn full_text_search_finds_reminders_by_their_legacy_body() {
    let simulator = simulator().await;
    let dataset = simulator.snapshot();
    let reminder = dataset
        .reminders
        .iter()
        .find(|r| r.text.split_whitespace().count() >= 3)
        .expect("a seeded reminder with some words")
        .clone();
    let client = legacy_server(&simulator).await;

    let found = call(
        &client,
        "search_contacts_full_text",
        json!({ "query": reminder.text, "include_types": ["reminders"], "max_results": 50 }),
    )
    .await;
    client.cancel().await.ok();

    let hits = found["hits"].as_array().expect("hits is a list");
    let hit = hits
        .iter()
        .find(|h| h["id"] == json!(reminder.id))
        .unwrap_or_else(|| panic!("reminder {} not found: {found:#}", reminder.id));
    assert_eq!(hit["kind"], json!("reminders"));
    let linked: Vec<Value> = reminder
        .reminders_contacts
        .iter()
        .map(|l| json!(l.contact_id))
        .collect();
    let returned: Vec<Value> = hit["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].clone())
        .collect();
    assert_eq!(
        returned, linked,
        "the reminder's contacts come from contact_ids"
    );
    assert!(
        found["incomplete"].as_array().unwrap().is_empty(),
        "{found:#}"
    );
    assert_eq!(v1_requests(&simulator), 0);
}

#[tokio::test]
async fn a_reminder_created_through_legacy_is_stored_with_its_text_and_contact() {
    let simulator = simulator().await;
    let contact = simulator.snapshot().contacts[3].clone();
    let client = legacy_server(&simulator).await;

    let saved = call(
        &client,
        "create_contact_reminder",
        json!({
            "contact_ids": [contact.id],
            "text": "Send the legacy migration notes",
            "due_date": "2031-05-04",
        }),
    )
    .await;
    client.cancel().await.ok();

    let counters = simulator.counters();
    assert_eq!(
        counters.requests("POST /api/rest/reminders"),
        1,
        "{counters:?}"
    );
    assert_eq!(v1_requests(&simulator), 0, "{counters:?}");
    let stored = simulator
        .snapshot()
        .reminders
        .into_iter()
        .find(|r| r.text == "Send the legacy migration notes")
        .unwrap_or_else(|| panic!("the reminder is not in the simulator: {saved:#}"));
    assert_eq!(stored.due_at_date.as_deref(), Some("2031-05-04"));
    let linked: Vec<&str> = stored
        .reminders_contacts
        .iter()
        .map(|l| l.contact_id.as_str())
        .collect();
    assert_eq!(linked, [contact.id.as_str()]);
}
