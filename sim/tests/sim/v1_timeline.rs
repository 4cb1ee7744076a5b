//! `/v1/timeline` (notes), note types and the unified timeline.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::start;

#[tokio::test]
async fn note_types_are_listed_with_id_name_and_icon() {
    let sim = start().await;
    let data = sim.v1_data("/v1/timeline/note-types").await;
    let names: Vec<_> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for name in [
        "call",
        "coffee",
        "email",
        "meal",
        "meeting",
        "networking",
        "note",
        "other",
        "party",
        "text",
    ] {
        assert!(names.contains(&name), "{name}");
    }
    assert!(data[0]["id"].is_string() && data[0]["icon"].is_string());
}

#[tokio::test]
async fn notes_page_to_the_end_with_cursors() {
    let sim = start().await;
    let total = sim.sim.snapshot().notes.len();
    let (items, _) = sim.v1_all("/v1/timeline", 40).await;
    assert_eq!(items.len(), total);
}

#[tokio::test]
async fn notes_filter_by_contact() {
    let sim = start().await;
    let snapshot = sim.sim.snapshot();
    let id = &snapshot.notes[0].timeline_items_contacts[0].contact_id;
    let (items, _) = sim
        .v1_all(
            &format!("/v1/timeline?contactId={id}&include[timeline_items_contacts]=true"),
            3,
        )
        .await;
    let expected = snapshot
        .notes
        .iter()
        .filter(|n| {
            n.timeline_items_contacts
                .iter()
                .any(|l| &l.contact_id == id)
        })
        .count();
    assert_eq!(items.len(), expected);
    assert!(items.iter().all(|n| {
        n["timeline_items_contacts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["contact_id"] == id.as_str())
    }));
}

#[tokio::test]
async fn create_update_and_delete_a_note_linked_to_two_contacts() {
    let sim = start().await;
    let (a, b) = (sim.contact_id(0), sim.contact_id(1));
    let body = json!({"note": {
        "note": "Lunch with both in Kraków",
        "event_time": "2026-02-20T12:00:00Z",
        "meeting_type": "meal",
        "timeline_items_contacts": [{"contact_id": a}, {"contact_id": b}]
    }});
    let (status, answer) = sim.v1(Method::POST, "/v1/timeline/", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let note = &answer["data"];
    let id = note["id"].as_str().unwrap().to_owned();
    assert_eq!(note["timeline_items_contacts"].as_array().unwrap().len(), 2);
    assert!(note["meeting_type_id"].is_string());
    for contact in [&a, &b] {
        let (items, _) = sim
            .v1_all(&format!("/v1/timeline?contactId={contact}"), 100)
            .await;
        assert!(items.iter().any(|n| n["id"] == id.as_str()));
    }

    let (status, answer) = sim
        .v1(
            Method::PUT,
            &format!("/v1/timeline/{id}"),
            Some(json!({"note": {"note": "Lunch (edited)"}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["data"]["note"], "Lunch (edited)");
    assert_eq!(answer["data"]["meeting_type"], "meal");

    let (status, _) = sim
        .v1(Method::DELETE, &format!("/v1/timeline/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = sim
        .v1(Method::DELETE, &format!("/v1/timeline/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn flat_note_bodies_and_unknown_fields_are_400() {
    let sim = start().await;
    let a = sim.contact_id(0);
    let flat = json!({"note": "x", "timeline_items_contacts": [{"contact_id": a}]});
    let (status, _) = sim.v1(Method::POST, "/v1/timeline", Some(flat)).await;
    // `note` is present but is the text, not the wrapper object.
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let flat = json!({"event_time": "2026-01-01", "timeline_items_contacts": [{"contact_id": a}]});
    assert_eq!(
        sim.v1(Method::POST, "/v1/timeline", Some(flat)).await.0,
        StatusCode::BAD_REQUEST
    );
    let unknown = json!({"note": {"note": "x", "mood": "happy", "timeline_items_contacts": [{"contact_id": a}]}});
    assert_eq!(
        sim.v1(Method::POST, "/v1/timeline", Some(unknown)).await.0,
        StatusCode::BAD_REQUEST
    );
    let id = sim.sim.snapshot().notes[0].id.clone();
    let read_only = json!({"note": {"id": "other"}});
    assert_eq!(
        sim.v1(Method::PUT, &format!("/v1/timeline/{id}"), Some(read_only))
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn unknown_note_ids_and_contacts_are_refused() {
    let sim = start().await;
    let missing = "/v1/timeline/00000000-0000-4000-8000-000000000000";
    let (status, _) = sim
        .v1(Method::PUT, missing, Some(json!({"note": {"note": "x"}})))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for list in ["/v1/timeline", "/v1/reminders"] {
        let (status, _) = sim
            .v1(Method::GET, &format!("{list}?contactId=nope"), None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{list}");
    }
    let body = json!({"note": {"note": "x", "timeline_items_contacts": [{"contact_id": "nope"}]}});
    assert_eq!(
        sim.v1(Method::POST, "/v1/timeline", Some(body)).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn unified_timeline_mixes_notes_and_reminders_newest_first() {
    let sim = start().await;
    let snapshot = sim.sim.snapshot();
    let id = &snapshot.reminders[0].reminders_contacts[0].contact_id;
    let data = sim
        .v1_data(&format!("/v1/unified-timeline/?contactId={id}&take=500"))
        .await;
    let items = data["items"].as_array().unwrap();
    assert!(items.iter().any(|i| i["type"] == "REMINDER"));
    assert_eq!(data["hasMore"], false);
    let dates: Vec<_> = items
        .iter()
        .map(|i| i["date"].as_str().unwrap().to_owned())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
}

#[tokio::test]
async fn unified_timeline_upcoming_pages_and_filters() {
    let sim = start().await;
    let data = sim
        .v1_data("/v1/unified-timeline?upcoming=true&take=5")
        .await;
    assert_eq!(data["hasMore"], true);
    let items = data["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .all(|i| i["date"].as_str().unwrap() >= "2026-03-02")
    );
    let next = data["nextCursor"].as_str().unwrap();
    let second = sim
        .v1_data(&format!(
            "/v1/unified-timeline?upcoming=true&take=5&cursor={next}"
        ))
        .await;
    assert_ne!(second["items"][0], items[0]);
    let ranged = sim
        .v1_data("/v1/unified-timeline?startDate=2025-01-01&endDate=2025-01-31&take=1000")
        .await;
    assert!(
        ranged["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["date"].as_str().unwrap().starts_with("2025-01"))
    );
}

#[tokio::test]
async fn one_note_is_read_by_id_and_an_unknown_id_is_404() {
    let sim = start().await;
    let note = sim.sim.snapshot().notes[3].clone();
    let data = sim.v1_data(&format!("/v1/timeline/{}", note.id)).await;
    assert_eq!(data["id"], json!(note.id));
    assert_eq!(data["note"], json!(note.note));
    let (status, _) = sim.v1(Method::GET, "/v1/timeline/no-such-note", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
