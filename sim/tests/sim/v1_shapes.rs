//! The two v1 answer shapes: Dex's reference (the default) and the older
//! one, and the switch between them (`SimConfig::shape`, `/_sim/shape`).

use std::collections::HashSet;

use dex_sim::{AnswerShape, SimConfig};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Sim, start, start_reference, start_with};

/// Every item of a list in the reference shape, following cursors, with
/// the size of each page.
async fn pages_of(sim: &Sim, path: &str, take: usize) -> (Vec<Value>, Vec<usize>) {
    let mut items = Vec::new();
    let mut sizes = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}?take={take}&cursor={c}"),
            None => format!("{path}?take={take}"),
        };
        let data = sim.v1_data(&url).await;
        let page = data["items"].as_array().expect("items").clone();
        sizes.push(page.len());
        items.extend(page);
        match data["nextCursor"].as_str() {
            Some(next) => {
                assert_eq!(next.len(), 36, "UUID-looking: {next}");
                assert_eq!(next.matches('-').count(), 4, "{next}");
                assert!(next.parse::<u64>().is_err(), "{next}");
                cursor = Some(next.to_owned());
            }
            None => break,
        }
        assert!(sizes.len() < 1_000, "cursor chain does not end");
    }
    (items, sizes)
}

#[tokio::test]
async fn reference_pages_hold_500_whatever_take_says_under_uuid_cursors() {
    let sim = start_with(SimConfig {
        contacts: 1_200,
        ..SimConfig::default()
    })
    .await;
    for take in [5, 1_000] {
        let (items, sizes) = pages_of(&sim, "/v1/contacts", take).await;
        assert_eq!(sizes, [500, 500, 200], "take={take}");
        let ids: HashSet<&str> = items.iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 1_200, "every contact once");
    }
    let (notes, sizes) = pages_of(&sim, "/v1/timeline", 50).await;
    assert!(
        sizes[..sizes.len() - 1].iter().all(|&s| s == 500),
        "{sizes:?}"
    );
    assert_eq!(notes.len(), sim.sim.snapshot().notes.len());
    let (status, body) = sim.v1(Method::GET, "/v1/contacts?cursor=500", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an integer cursor: {body}");
}

#[tokio::test]
async fn reference_writes_answer_wrapped_records_and_deletes_a_message() {
    let sim = start_reference().await;
    let (a, b) = (sim.contact_id(1), sim.contact_id(2));

    let (status, created) = sim
        .v1(
            Method::POST,
            "/v1/contacts",
            Some(json!({"contacts": [{"first_name": "Zoë"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let contact = created["data"][0]["id"].as_str().unwrap().to_owned();
    let read = sim.v1_data(&format!("/v1/contacts/{contact}")).await;
    assert_eq!(read["contact"]["first_name"], "Zoë");
    let (_, updated) = sim
        .v1(
            Method::PUT,
            &format!("/v1/contacts/{contact}"),
            Some(json!({"job_title": "Cellist"})),
        )
        .await;
    assert_eq!(updated["data"]["contact"]["job_title"], "Cellist");

    let (_, note) = sim
        .v1(
            Method::POST,
            "/v1/timeline",
            Some(json!({"note": {"note": "Rehearsal", "timeline_items_contacts": [{"contact_id": a}]}})),
        )
        .await;
    let note_id = note["data"]["note"]["id"].as_str().unwrap().to_owned();
    assert!(note["data"].get("id").is_none(), "{note}");
    let (_, changed) = sim
        .v1(
            Method::PUT,
            &format!("/v1/timeline/{note_id}"),
            Some(json!({"note": {"note": "Concert"}})),
        )
        .await;
    assert_eq!(changed["data"]["note"]["note"], "Concert");
    let read = sim.v1_data(&format!("/v1/timeline/{note_id}")).await;
    assert_eq!(read["note"]["note"], "Concert", "{read}");

    let (_, reminder) = sim
        .v1(
            Method::POST,
            "/v1/reminders",
            Some(
                json!({"reminder": {"text": "Tickets", "due_at_date": "2026-04-01T00:00:00.000Z",
                "reminders_contacts": [{"contact_id": b}]}}),
            ),
        )
        .await;
    let wrapped = &reminder["data"]["reminder"];
    assert_eq!(
        wrapped["due_at_date"], "2026-04-01T00:00:00.000Z",
        "{reminder}"
    );
    let reminder_id = wrapped["id"].as_str().unwrap().to_owned();
    let read = sim.v1_data(&format!("/v1/reminders/{reminder_id}")).await;
    assert_eq!(
        read["reminder"]["due_at_date"], "2026-04-01T00:00:00.000Z",
        "{read}"
    );
    let stored = sim.sim.snapshot();
    let stored = stored
        .reminders
        .iter()
        .find(|r| r.id == reminder_id)
        .unwrap();
    assert_eq!(
        stored.due_at_date.as_deref(),
        Some("2026-04-01"),
        "kept as a day"
    );

    for path in [
        format!("/v1/timeline/{note_id}"),
        format!("/v1/reminders/{reminder_id}"),
        format!("/v1/contacts/{contact}"),
    ] {
        let (status, body) = sim.v1(Method::DELETE, &path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(body["error"], false);
        assert!(body.get("data").is_none(), "{path}: {body}");
        assert!(
            body["message"].as_str().unwrap().contains("deleted"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn reference_lists_and_searches_show_due_dates_as_datetimes() {
    let sim = start_reference().await;
    let data = sim.v1_data("/v1/reminders?take=5").await;
    let due: Vec<&str> = data["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["due_at_date"].as_str())
        .collect();
    assert!(!due.is_empty());
    assert!(due.iter().all(|d| d.ends_with("T00:00:00.000Z")), "{due:?}");
    let older = start().await;
    let data = older.v1_data("/v1/reminders?take=5").await;
    assert!(
        data["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["due_at_date"].as_str())
            .all(|d| d.len() == 10),
        "{data}"
    );
}

#[tokio::test]
async fn a_reference_merge_keeps_the_oldest_whatever_the_order_and_answers_ids() {
    let sim = start_reference().await;
    let snapshot = sim.sim.snapshot();
    // Seeded contacts are dated in creation order; ask to keep a younger one.
    let (old, young) = (&snapshot.contacts[3], &snapshot.contacts[9]);
    assert!(old.created_at < young.created_at);
    let notes_of_young = snapshot
        .notes
        .iter()
        .filter(|n| {
            n.timeline_items_contacts
                .iter()
                .any(|l| l.contact_id == young.id)
        })
        .count();
    let (status, answer) = sim
        .v1(
            Method::POST,
            "/v1/contacts/merge",
            Some(json!({"contactIds": [[young.id, old.id]]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["data"], json!({"mergedContactIds": [young.id]}));
    let after = sim.sim.snapshot();
    assert!(after.contacts.iter().any(|c| c.id == old.id));
    assert!(!after.contacts.iter().any(|c| c.id == young.id));
    let moved = after
        .notes
        .iter()
        .filter(|n| {
            n.timeline_items_contacts
                .iter()
                .any(|l| l.contact_id == old.id)
        })
        .count();
    assert!(
        moved >= notes_of_young,
        "the young one's notes moved to the survivor"
    );

    let older = start().await;
    let (young, old) = (older.contact_id(9), older.contact_id(3));
    let (_, answer) = older
        .v1(
            Method::POST,
            "/v1/contacts/merge",
            Some(json!({"contactIds": [[young, old]]})),
        )
        .await;
    assert_eq!(
        answer["data"][0]["id"],
        json!(young),
        "the first id survives"
    );
}

#[tokio::test]
async fn the_shape_switches_at_run_time_and_resets_to_the_start() {
    let sim = start_reference().await;
    let url = format!("{}/shape", sim.sim.control_url());
    let shape = |body: Value| body["shape"].as_str().unwrap_or_default().to_owned();
    let got = sim.http.get(&url).send().await.unwrap();
    assert_eq!(shape(got.json().await.unwrap()), "reference");

    let put = sim
        .http
        .put(&url)
        .json(&json!({"shape": "older"}))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), StatusCode::OK);
    assert_eq!(sim.sim.shape(), AnswerShape::Older);
    let data = sim.v1_data("/v1/contacts?take=2").await;
    assert_eq!(data["items"].as_array().unwrap().len(), 2, "take honoured");
    assert!(data["nextCursor"].as_str().unwrap().parse::<u64>().is_ok());

    let bad = sim
        .http
        .put(&url)
        .json(&json!({"shape": "wrapped"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        sim.sim.shape(),
        AnswerShape::Older,
        "a refused body changes nothing"
    );

    sim.sim.reset();
    assert_eq!(sim.sim.shape(), AnswerShape::Reference);
    sim.sim.set_shape(AnswerShape::Older);
    assert_eq!(sim.sim.shape(), AnswerShape::Older);
}

#[tokio::test]
async fn the_unified_timeline_pages_under_the_shapes_cursor_and_range() {
    let sim = start_reference().await;
    let data = sim.v1_data("/v1/unified-timeline?take=100").await;
    assert_eq!(data["items"].as_array().unwrap().len(), 100);
    let next = data["nextCursor"].as_str().unwrap().to_owned();
    assert!(next.parse::<u64>().is_err(), "{next}");
    let again = sim
        .v1_data(&format!("/v1/unified-timeline?take=100&cursor={next}"))
        .await;
    assert_ne!(again["items"][0], data["items"][0]);
    let (status, _) = sim
        .v1(Method::GET, "/v1/unified-timeline?take=101", None)
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "the reference documents 1 to 100"
    );
}
