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
