//! `/v1/reminders`: CRUD, multi-contact links, recurring completion.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Sim, start};

async fn create(sim: &Sim, reminder: Value) -> Value {
    let (status, answer) = sim
        .v1(
            Method::POST,
            "/v1/reminders/",
            Some(json!({"reminder": reminder})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer["data"].clone()
}

async fn complete(sim: &Sim, id: &str) -> Value {
    let (status, answer) = sim
        .v1(
            Method::PUT,
            &format!("/v1/reminders/{id}"),
            Some(json!({"reminder": {"is_complete": true}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer["data"].clone()
}

#[tokio::test]
async fn reminders_page_to_the_end() {
    let sim = start().await;
    let total = sim.sim.snapshot().reminders.len();
    let (items, _) = sim.v1_all("/v1/reminders", 25).await;
    assert_eq!(items.len(), total);
    assert!(items[0].get("last_completed_at").is_some());
    assert!(items[0].get("next_occurrence_at").is_some());
}

#[tokio::test]
async fn a_reminder_can_link_several_contacts() {
    let sim = start().await;
    let (a, b) = (sim.contact_id(2), sim.contact_id(3));
    let created = create(
        &sim,
        json!({
            "text": "Introduce Søren to Zoë",
            "due_at_date": "2026-04-01",
            "reminders_contacts": [{"contact_id": a}, {"contact_id": b}]
        }),
    )
    .await;
    assert_eq!(created["reminders_contacts"].as_array().unwrap().len(), 2);
    assert_eq!(created["is_complete"], false);
    assert_eq!(created["next_occurrence_at"], "2026-04-01T00:00:00.000Z");
}

#[tokio::test]
async fn completing_a_one_off_reminder_records_it() {
    let sim = start().await;
    let created = create(
        &sim,
        json!({"text": "Send the deck", "due_at_date": "2026-03-10"}),
    )
    .await;
    let done = complete(&sim, created["id"].as_str().unwrap()).await;
    assert_eq!(done["is_complete"], true);
    assert!(done["last_completed_at"].is_string());
    assert!(done["next_occurrence_at"].is_null());
    assert_eq!(done["due_at_date"], "2026-03-10");
}

#[tokio::test]
async fn completing_a_recurring_reminder_moves_it_one_period_on() {
    let sim = start().await;
    let cases = [
        ("weekly", "2026-03-08"),
        ("biweekly", "2026-03-15"),
        ("monthly", "2026-04-01"),
        ("quarterly", "2026-06-01"),
        ("biannually", "2026-09-01"),
        ("yearly", "2027-03-01"),
    ];
    for (recurrence, next) in cases {
        let created = create(
            &sim,
            json!({
                "text": format!("{recurrence} call with Bob"),
                "due_at_date": "2026-03-01",
                "recurrence": recurrence
            }),
        )
        .await;
        let done = complete(&sim, created["id"].as_str().unwrap()).await;
        assert_eq!(done["is_complete"], false, "{recurrence}");
        assert_eq!(done["due_at_date"], next, "{recurrence}");
        assert_eq!(done["next_occurrence_at"], format!("{next}T00:00:00.000Z"));
        assert!(done["last_completed_at"].is_string());
    }
}

#[tokio::test]
async fn update_and_delete_reminders_and_404_unknown_ones() {
    let sim = start().await;
    let created = create(&sim, json!({"text": "Old text"})).await;
    let id = created["id"].as_str().unwrap();
    let (status, answer) = sim
        .v1(
            Method::PUT,
            &format!("/v1/reminders/{id}"),
            Some(json!({"reminder": {"text": "New text", "due_at_date": "2026-05-05"}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["data"]["text"], "New text");
    assert_eq!(answer["data"]["due_at_date"], "2026-05-05");
    assert_eq!(
        sim.v1(Method::DELETE, &format!("/v1/reminders/{id}"), None)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        sim.v1(Method::DELETE, &format!("/v1/reminders/{id}"), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn invalid_reminder_bodies_are_400() {
    let sim = start().await;
    for body in [
        json!({"text": "flat, no wrapper"}),
        json!({"reminder": {"text": "x", "title": "no titles in v1 either"}}),
        json!({"reminder": {"text": "x", "recurrence": "fortnightly"}}),
        json!({"reminder": {"text": "x", "due_at_date": "next tuesday"}}),
        json!({"reminder": {"text": "x", "last_completed_at": "2026-01-01"}}),
    ] {
        let (status, answer) = sim
            .v1(Method::POST, "/v1/reminders", Some(body.clone()))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(answer["error"], true);
    }
}

#[tokio::test]
async fn one_reminder_is_read_by_id_and_an_unknown_id_is_404() {
    let sim = start().await;
    let reminder = sim.sim.snapshot().reminders[2].clone();
    let data = sim.v1_data(&format!("/v1/reminders/{}", reminder.id)).await;
    assert_eq!(data["id"], json!(reminder.id));
    assert_eq!(data["text"], json!(reminder.text));
    let (status, _) = sim
        .v1(Method::GET, "/v1/reminders/no-such-reminder", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
