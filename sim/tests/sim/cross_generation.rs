//! One store behind both generations.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{start, start_reference};

#[tokio::test]
async fn a_contact_created_in_v1_is_seen_by_legacy() {
    let sim = start_reference().await;
    let (_, answer) = sim
        .v1(Method::POST, "/v1/contacts", Some(json!({"contacts": [{"first_name": "Zoë", "last_name": "Weiß", "company": "Helix Bio",
            "contact_emails": [{"email": "zoe.weiss@helixbio.com"}]}]})))
        .await;
    let id = answer["data"][0]["id"].as_str().unwrap().to_owned();
    let (status, body) = sim
        .legacy(Method::GET, &format!("/contacts/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["contacts"][0]["first_name"], "Zoë");
    assert!(body["contacts"][0].get("company").is_none());
    let (_, body) = sim
        .legacy(
            Method::GET,
            "/search/contacts?email=zoe.weiss@helixbio.com",
            None,
        )
        .await;
    assert_eq!(body["search_contacts_by_exact_email"][0]["id"], id.as_str());
}

#[tokio::test]
async fn a_contact_created_in_legacy_is_seen_by_v1_and_keeps_v1_only_fields_on_legacy_update() {
    let sim = start().await;
    let (_, answer) = sim
        .legacy(
            Method::POST,
            "/contacts",
            Some(json!({"contact": {"first_name": "François", "last_name": "Dupont"}})),
        )
        .await;
    let id = answer["insert_contacts_one"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let data = sim.v1_data(&format!("/v1/contacts/{id}")).await;
    assert_eq!(data["full_name"], "François Dupont");
    sim.v1(
        Method::PUT,
        &format!("/v1/contacts/{id}"),
        Some(json!({"company": "Atelier Bérenger"})),
    )
    .await;
    sim.legacy(
        Method::PUT,
        &format!("/contacts/{id}"),
        Some(json!({"changes": {"job_title": "Baker"}})),
    )
    .await;
    let data = sim.v1_data(&format!("/v1/contacts/{id}")).await;
    assert_eq!(data["company"], "Atelier Bérenger");
    assert_eq!(data["job_title"], "Baker");
}

#[tokio::test]
async fn notes_and_reminders_cross_both_ways() {
    let sim = start().await;
    let a = sim.contact_id(0);
    let (_, answer) = sim
        .v1(Method::POST, "/v1/timeline", Some(json!({"note": {"note": "v1 note", "timeline_items_contacts": [{"contact_id": a}]}})))
        .await;
    let note_id = answer["data"]["id"].as_str().unwrap().to_owned();
    let (_, body) = sim
        .legacy(
            Method::GET,
            &format!("/timeline_items/contacts/{a}?limit=1000"),
            None,
        )
        .await;
    assert!(
        body["timeline_items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == note_id.as_str())
    );

    let (_, answer) = sim
        .legacy(Method::POST, "/reminders", Some(json!({"reminder": {"text": "legacy reminder", "reminders_contacts": {"data": [{"contact_id": a}]}}})))
        .await;
    let reminder_id = answer["insert_reminders_one"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (items, _) = sim.v1_all("/v1/reminders", 1000).await;
    let found = items
        .iter()
        .find(|r| r["id"] == reminder_id.as_str())
        .unwrap();
    assert_eq!(found["text"], "legacy reminder");
}

#[tokio::test]
async fn deleting_in_one_generation_removes_in_the_other() {
    let sim = start().await;
    let id = sim.contact_id(7);
    sim.legacy(Method::DELETE, &format!("/contacts/{id}"), None)
        .await;
    assert_eq!(
        sim.v1(Method::GET, &format!("/v1/contacts/{id}"), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}
