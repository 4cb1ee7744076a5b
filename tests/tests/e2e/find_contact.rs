//! `find_contact` through the whole path, in the server's demo mode (no
//! key: the built-in simulator with seeded data), as the README runs it.

use dex_mcp_tests::{Client, Era, start_server};
use rmcp::model::CallToolRequestParams;
use serde_json::{Value, json};

/// The demo simulator's data: seed 42, 200 contacts, dated around today.
fn demo_dataset() -> dex_sim::Dataset {
    dex_sim::Dataset::generate(42, 200, dex_sim::today_utc())
}

async fn demo_server(era: Era) -> Client {
    start_server(&[], &[], era, None)
        .await
        .expect("dex-mcp starts in demo mode")
}

async fn call(client: &Client, arguments: Value) -> rmcp::model::CallToolResult {
    let arguments = arguments
        .as_object()
        .expect("arguments are an object")
        .clone();
    client
        .call_tool(CallToolRequestParams::new("find_contact").with_arguments(arguments))
        .await
        .expect("tools/call answers")
}

#[tokio::test]
async fn seeded_email_finds_its_contact_with_noise_in_case_and_spaces() {
    let dataset = demo_dataset();
    let contact = dataset
        .contacts
        .iter()
        .find(|c| !c.contact_emails.is_empty())
        .expect("a seeded contact with an email");
    let email = &contact.contact_emails[0].email;
    let client = demo_server(Era::Legacy).await;

    let result = call(
        &client,
        json!({ "email": format!("  {}  ", email.to_uppercase()) }),
    )
    .await;

    assert_ne!(result.is_error, Some(true), "{result:?}");
    let structured = result.structured_content.expect("structured content");
    let first = &structured["matches"][0];
    assert_eq!(first["contact"]["id"], json!(contact.id), "{structured:#}");
    assert_eq!(first["confidence"], json!(100));
    assert!(
        first["matched_fields"]
            .as_array()
            .unwrap()
            .contains(&json!("email"))
    );
    client.cancel().await.ok();
}

#[tokio::test]
async fn unknown_email_answers_that_no_contact_has_it() {
    let client = demo_server(Era::Modern).await;
    let result = call(&client, json!({ "email": "nobody-at-all@nowhere.example" })).await;
    assert_ne!(result.is_error, Some(true), "{result:?}");
    let structured = result.structured_content.expect("structured content");
    assert_eq!(structured["matches"], json!([]));
    let summary = structured["summary"].as_str().unwrap();
    assert!(
        summary.contains("nobody-at-all@nowhere.example"),
        "{summary}"
    );
    client.cancel().await.ok();
}

#[tokio::test]
async fn malformed_email_is_a_validation_error_naming_the_field() {
    let client = demo_server(Era::Legacy).await;
    let result = call(&client, json!({ "email": "ada(at)example.com" })).await;
    assert_eq!(result.is_error, Some(true), "{result:?}");
    let structured = result.structured_content.expect("structured error");
    assert_eq!(structured["kind"], json!("validation"));
    assert_eq!(structured["code"], json!(-32004));
    assert_eq!(structured["field"], json!("email"));
    client.cancel().await.ok();
}

#[tokio::test]
async fn no_criterion_at_all_is_a_validation_error() {
    let client = demo_server(Era::Legacy).await;
    let result = call(&client, json!({})).await;
    assert_eq!(result.is_error, Some(true), "{result:?}");
    assert_eq!(
        result.structured_content.unwrap()["kind"],
        json!("validation")
    );
    client.cancel().await.ok();
}

const KEY: &str = "dex_find_contact_test_key";

async fn simulator(config: dex_sim::SimConfig) -> dex_sim::RunningSim {
    let config = dex_sim::SimConfig {
        api_key: KEY.into(),
        contacts: 80,
        ..config
    };
    dex_sim::RunningSim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator starts")
}

async fn server_against(simulator: &dex_sim::RunningSim) -> Client {
    let base_url = simulator.v1_base_url();
    let args = vec![
        "--component".to_owned(),
        dex_mcp_tests::component("dex_guest").display().to_string(),
    ];
    let env = [
        ("DEX_API_KEY", KEY),
        ("DEX_API_BASE_URL", base_url.as_str()),
    ];
    start_server(&args, &env, Era::Legacy, None)
        .await
        .expect("dex-mcp starts")
}

async fn structured(client: &Client, arguments: Value) -> Value {
    let result = call(client, arguments).await;
    assert_ne!(result.is_error, Some(true), "{result:?}");
    result.structured_content.expect("structured content")
}

fn reasons(found: &Value) -> Vec<String> {
    found["matches"][0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect()
}

/// A contact with an email, and one with a phone number.
fn seeded(simulator: &dex_sim::RunningSim) -> (dex_sim::model::Contact, dex_sim::model::Contact) {
    let data = simulator.snapshot();
    let with_email = data
        .contacts
        .iter()
        .find(|c| !c.contact_emails.is_empty())
        .unwrap()
        .clone();
    let with_phone = data
        .contacts
        .iter()
        .find(|c| {
            c.contact_phone_numbers
                .iter()
                .any(|p| p.phone_number.starts_with('+'))
        })
        .unwrap()
        .clone();
    (with_email, with_phone)
}

#[tokio::test]
async fn a_pasted_email_is_looked_up_exactly_with_by_emails_and_what_was_dropped_is_said() {
    let simulator = simulator(dex_sim::SimConfig::default()).await;
    let (contact, _) = seeded(&simulator);
    let email = &contact.contact_emails[0].email;
    let client = server_against(&simulator).await;

    let found = structured(
        &client,
        json!({ "email": format!("\"Ada Lovelace\" <{email}>,") }),
    )
    .await;
    assert_eq!(found["matches"][0]["contact"]["id"], json!(contact.id));
    let reasons = reasons(&found);
    assert!(
        reasons.contains(&"ignored the display name 'Ada Lovelace'".to_owned())
            && reasons.contains(&"ignored ',' after the address".to_owned()),
        "{reasons:?}"
    );
    let mailto = structured(
        &client,
        json!({ "email": format!("mailto:{email}?subject=hi") }),
    )
    .await;
    assert_eq!(mailto["matches"][0]["contact"]["id"], json!(contact.id));
    client.cancel().await.ok();

    let counters = simulator.counters();
    assert_eq!(counters.requests("POST /v1/contacts/by-emails"), 2);
    assert_eq!(counters.requests("GET /v1/search/contacts"), 0);
    assert_eq!(
        counters.requests("GET /v1/contacts"),
        0,
        "no account read for an email"
    );
}

#[tokio::test]
async fn without_by_emails_the_search_is_used_and_the_missing_route_is_asked_once() {
    let simulator = simulator(dex_sim::SimConfig {
        by_emails_route: false,
        ..Default::default()
    })
    .await;
    let (contact, _) = seeded(&simulator);
    let email = &contact.contact_emails[0].email;
    let client = server_against(&simulator).await;
    for _ in 0..2 {
        let found = structured(&client, json!({ "email": format!("<{email}>") })).await;
        assert_eq!(found["matches"][0]["contact"]["id"], json!(contact.id));
        assert_eq!(found["matches"][0]["confidence"], json!(100));
    }
    client.cancel().await.ok();
    let counters = simulator.counters();
    assert_eq!(counters.status("POST /v1/contacts/by-emails", 404), 1);
    assert_eq!(
        counters.requests("POST /v1/contacts/by-emails"),
        1,
        "remembered"
    );
    assert!(counters.requests("GET /v1/search/contacts") >= 2);
}

#[tokio::test]
async fn pasted_phone_numbers_match_with_their_extension_and_prefix_dropped() {
    let simulator = simulator(dex_sim::SimConfig::default()).await;
    let (_, contact) = seeded(&simulator);
    let stored = contact
        .contact_phone_numbers
        .iter()
        .find(|p| p.phone_number.starts_with('+'))
        .unwrap();
    let digits: String = stored
        .phone_number
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let client = server_against(&simulator).await;
    for (pasted, said) in [
        (format!("tel:+{digits};ext=12"), "ignored extension 12"),
        (format!("+{digits} x12"), "ignored extension 12"),
        (format!("00{digits} ext. 12"), "ignored extension 12"),
        (
            format!("011 {digits}"),
            "read the leading 011 as the international call prefix",
        ),
    ] {
        let found = structured(&client, json!({ "phone": pasted })).await;
        assert_eq!(
            found["matches"][0]["contact"]["id"],
            json!(contact.id),
            "{pasted}: {found:#}"
        );
        assert!(
            reasons(&found).contains(&said.to_owned()),
            "{pasted}: {found:#}"
        );
        assert!(found.get("incomplete_reason").is_none(), "{found:#}");
    }
    client.cancel().await.ok();
}
