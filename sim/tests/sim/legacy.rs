//! The legacy API: shapes, limit/offset paging, writes, errors, and its
//! view of the shared store.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::start;

#[tokio::test]
async fn contacts_page_by_string_limit_and_offset_with_default_ten() {
    let sim = start().await;
    let (status, body) = sim.legacy(Method::GET, "/contacts", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["contacts"].as_array().unwrap().len(), 10);
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let (_, page) = sim
            .legacy(
                Method::GET,
                &format!("/contacts?limit=25&offset={offset}"),
                None,
            )
            .await;
        let items = page["contacts"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        seen.extend(items);
        offset += 25;
    }
    assert_eq!(seen.len(), 60);
    let first = &seen[0];
    assert!(first.get("company").is_none());
    for field in [
        "id",
        "first_name",
        "emails",
        "phones",
        "birthday_current_year",
        "next_reminder_at",
    ] {
        assert!(first.get(field).is_some(), "{field}");
    }
}

#[tokio::test]
async fn get_one_is_an_array_of_one_and_unknown_is_404() {
    let sim = start().await;
    let id = sim.contact_id(4);
    let (_, body) = sim
        .legacy(Method::GET, &format!("/contacts/{id}"), None)
        .await;
    assert_eq!(body["contacts"].as_array().unwrap().len(), 1);
    assert_eq!(body["contacts"][0]["id"], id.as_str());
    let (status, body) = sim
        .legacy(
            Method::GET,
            "/contacts/00000000-0000-4000-8000-000000000000",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].is_string());
}

#[tokio::test]
async fn search_by_exact_email_ignores_case_only() {
    let sim = start().await;
    let snapshot = sim.sim.snapshot();
    let contact = snapshot
        .contacts
        .iter()
        .find(|c| !c.contact_emails.is_empty())
        .unwrap();
    let email = contact.contact_emails[0].email.to_uppercase();
    let (_, body) = sim
        .legacy(
            Method::GET,
            &format!("/search/contacts?email={email}"),
            None,
        )
        .await;
    let found = body["search_contacts_by_exact_email"].as_array().unwrap();
    assert!(found.iter().any(|c| c["id"] == contact.id.as_str()));
    let partial = &email[..email.len() - 2];
    let (_, body) = sim
        .legacy(
            Method::GET,
            &format!("/search/contacts?email={partial}"),
            None,
        )
        .await;
    assert!(
        body["search_contacts_by_exact_email"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn contact_insert_update_and_delete() {
    let sim = start().await;
    let body = json!({"contact": {
        "first_name": "Søren", "last_name": "Kierkegaard", "job_title": "Philosopher",
        "contact_emails": {"data": {"email": "soren@example.dk"}},
        "contact_phone_numbers": {"data": {"phone_number": "+45 32 12 34 56", "label": "mobile"}}
    }});
    let (status, answer) = sim.legacy(Method::POST, "/contacts", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let created = &answer["insert_contacts_one"];
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["emails"][0]["email"], "soren@example.dk");
    assert_eq!(created["phones"][0]["phone_number"], "+45 32 12 34 56");

    let update = json!({
        "contactId": id,
        "changes": {"job_title": "Author"},
        "update_contact_emails": true,
        "contact_emails": [{"contact_id": id, "email": "s.k@example.dk"}, {"contact_id": id, "email": "sk@example.com"}],
        "update_contact_phone_numbers": false,
        "contact_phone_numbers": []
    });
    let (status, answer) = sim
        .legacy(Method::PUT, &format!("/contacts/{id}"), Some(update))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let updated = &answer["update_contacts_by_pk"];
    assert_eq!(updated["job_title"], "Author");
    assert_eq!(updated["emails"].as_array().unwrap().len(), 2);
    assert_eq!(
        updated["phones"].as_array().unwrap().len(),
        1,
        "flag false keeps phones"
    );

    let (status, answer) = sim
        .legacy(Method::DELETE, &format!("/contacts/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["delete_contacts_by_pk"]["id"], id.as_str());
    assert_eq!(
        sim.legacy(Method::DELETE, &format!("/contacts/{id}"), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn legacy_write_rules_are_enforced() {
    let sim = start().await;
    let id = sim.contact_id(0);
    let cases = [
        (
            Method::POST,
            "/contacts".to_owned(),
            json!({"first_name": "Flat"}),
        ),
        (
            Method::POST,
            "/contacts".to_owned(),
            json!({"contact": {"first_name": "A", "company": "no company in legacy"}}),
        ),
        (
            Method::PUT,
            format!("/contacts/{id}"),
            json!({"changes": {"id": "x"}}),
        ),
        (
            Method::PUT,
            format!("/contacts/{id}"),
            json!({"changes": {"created_at": "2020-01-01"}}),
        ),
        (
            Method::PUT,
            format!("/contacts/{id}"),
            json!({"job_title": "flat update"}),
        ),
        (
            Method::POST,
            "/reminders".to_owned(),
            json!({"reminder": {"title": "t", "text": "x"}}),
        ),
        (
            Method::POST,
            "/reminders".to_owned(),
            json!({"text": "flat"}),
        ),
        (
            Method::POST,
            "/timeline_items".to_owned(),
            json!({"note": "flat"}),
        ),
    ];
    for (method, path, body) in cases {
        let (status, answer) = sim.legacy(method.clone(), &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {path} {body}");
        assert!(answer["error"].is_string(), "{answer}");
    }
}

#[tokio::test]
async fn timeline_items_list_with_total_count_and_per_contact() {
    let sim = start().await;
    let snapshot = sim.sim.snapshot();
    let (_, body) = sim
        .legacy(Method::GET, "/timeline_items?limit=5&offset=3", None)
        .await;
    assert_eq!(body["timeline_items"].as_array().unwrap().len(), 5);
    assert_eq!(body["pagination"]["total"]["count"], snapshot.notes.len());
    assert_eq!(
        body["timeline_items"][0]["id"],
        snapshot.notes[3].id.as_str()
    );
    assert!(body["timeline_items"][0]["contacts"][0]["contact_id"].is_string());
    let contact = &snapshot.notes[0].timeline_items_contacts[0].contact_id;
    let (_, body) = sim
        .legacy(
            Method::GET,
            &format!("/timeline_items/contacts/{contact}?limit=100"),
            None,
        )
        .await;
    let items = body["timeline_items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|n| {
        n["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["contact_id"] == contact.as_str())
    }));
}

#[tokio::test]
async fn timeline_item_insert_update_delete_with_several_contacts() {
    let sim = start().await;
    let (a, b) = (sim.contact_id(0), sim.contact_id(5));
    let body = json!({"timeline_event": {
        "note": "Call about the Müller account", "event_time": "2026-02-01T10:00:00.000Z", "meeting_type": "note",
        "timeline_items_contacts": {"data": [{"contact_id": a}, {"contact_id": b}]}
    }});
    let (status, answer) = sim
        .legacy(Method::POST, "/timeline_items", Some(body))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let note = &answer["insert_timeline_items_one"];
    assert_eq!(note["contacts"].as_array().unwrap().len(), 2);
    let id = note["id"].as_str().unwrap().to_owned();
    let (status, answer) = sim
        .legacy(
            Method::PUT,
            &format!("/timeline_items/{id}"),
            Some(json!({"changes": {"note": "Edited"}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["update_timeline_items_by_pk"]["note"], "Edited");
    let (_, answer) = sim
        .legacy(Method::DELETE, &format!("/timeline_items/{id}"), None)
        .await;
    assert_eq!(answer["delete_timeline_items_by_pk"]["id"], id.as_str());
    let (status, _) = sim
        .legacy(
            Method::PUT,
            &format!("/timeline_items/{id}"),
            Some(json!({"changes": {"note": "x"}})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn reminders_read_body_write_text_and_count_total() {
    let sim = start().await;
    let total = sim.sim.snapshot().reminders.len();
    let (_, body) = sim.legacy(Method::GET, "/reminders", None).await;
    assert_eq!(body["reminders"].as_array().unwrap().len(), 10);
    assert_eq!(body["total"]["aggregate"]["count"], total);
    assert!(body["reminders"][0]["body"].is_string());
    assert!(body["reminders"][0]["contact_ids"].is_array());

    let a = sim.contact_id(1);
    let create = json!({"reminder": {"text": "Book flights", "is_complete": false, "due_at_date": "2026-04-04",
        "reminders_contacts": {"data": [{"contact_id": a}]}}});
    let (status, answer) = sim.legacy(Method::POST, "/reminders", Some(create)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let created = &answer["insert_reminders_one"];
    assert_eq!(created["body"], "Book flights");
    let id = created["id"].as_str().unwrap().to_owned();
    let (_, answer) = sim
        .legacy(
            Method::PUT,
            &format!("/reminders/{id}"),
            Some(json!({"changes": {"text": "Book trains", "is_complete": true}})),
        )
        .await;
    assert_eq!(answer["update_reminders_by_pk"]["body"], "Book trains");
    assert_eq!(answer["update_reminders_by_pk"]["is_complete"], true);
    let (_, answer) = sim
        .legacy(Method::DELETE, &format!("/reminders/{id}"), None)
        .await;
    assert_eq!(answer["delete_reminders_by_pk"]["id"], id.as_str());
}

#[tokio::test]
async fn bad_limit_is_400() {
    let sim = start().await;
    assert_eq!(
        sim.legacy(Method::GET, "/contacts?limit=ten", None).await.0,
        StatusCode::BAD_REQUEST
    );
}
