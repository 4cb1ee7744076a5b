//! `POST /v1/contacts/merge`.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::start;

#[tokio::test]
async fn merge_keeps_the_first_id_and_moves_notes_and_reminders() {
    let sim = start().await;
    let snapshot = sim.sim.snapshot();
    let note_owner = |id: &str| {
        snapshot
            .notes
            .iter()
            .filter(|n| n.timeline_items_contacts.iter().any(|l| l.contact_id == id))
            .count()
    };
    let reminder_owner = |id: &str| {
        snapshot
            .reminders
            .iter()
            .filter(|r| r.reminders_contacts.iter().any(|l| l.contact_id == id))
            .count()
    };
    // Pick two contacts that have notes.
    let mut with_notes = snapshot.contacts.iter().filter(|c| note_owner(&c.id) > 0);
    let keep = with_notes.next().unwrap().id.clone();
    let dup = with_notes.next().unwrap().id.clone();
    let (keep2, dup2) = (sim.contact_id(10), sim.contact_id(11));
    assert!(![&keep, &dup].contains(&&keep2) && ![&keep, &dup].contains(&&dup2));

    let body = json!({"contactIds": [[keep, dup], [keep2, dup2]]});
    let (status, answer) = sim.v1(Method::POST, "/v1/contacts/merge", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let kept = answer["data"].as_array().unwrap();
    assert_eq!(kept[0]["id"], keep.as_str());
    assert_eq!(kept[1]["id"], keep2.as_str());

    assert_eq!(
        sim.v1(Method::GET, &format!("/v1/contacts/{dup}"), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let after = sim.sim.snapshot();
    let moved_notes = after
        .notes
        .iter()
        .filter(|n| {
            n.timeline_items_contacts
                .iter()
                .any(|l| l.contact_id == keep)
        })
        .count();
    // A note linked to both counts once after the merge.
    let shared = snapshot
        .notes
        .iter()
        .filter(|n| {
            n.timeline_items_contacts
                .iter()
                .any(|l| l.contact_id == keep)
                && n.timeline_items_contacts
                    .iter()
                    .any(|l| l.contact_id == dup)
        })
        .count();
    assert_eq!(moved_notes, note_owner(&keep) + note_owner(&dup) - shared);
    let moved_reminders = after
        .reminders
        .iter()
        .filter(|r| r.reminders_contacts.iter().any(|l| l.contact_id == keep))
        .count();
    assert!(moved_reminders >= reminder_owner(&keep).max(reminder_owner(&dup)));
    assert!(after.notes.iter().all(|n| {
        n.timeline_items_contacts
            .iter()
            .all(|l| l.contact_id != dup)
    }));
    assert_eq!(after.contacts.len(), snapshot.contacts.len() - 2);
}

#[tokio::test]
async fn merge_joins_emails_without_repeats() {
    let sim = start().await;
    let (_, answer) = sim
        .v1(Method::POST, "/v1/contacts", Some(json!({"contacts": [
            {"first_name": "Robert", "last_name": "Walker", "contact_emails": [{"email": "rob@walker.example"}]},
            {"first_name": "Bob", "last_name": "Walker", "job_title": "Sailor", "contact_emails": [{"email": "ROB@walker.example"}, {"email": "bob@sea.example"}]}
        ]})))
        .await;
    let ids: Vec<_> = answer["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let (status, answer) = sim
        .v1(
            Method::POST,
            "/v1/contacts/merge",
            Some(json!({"contactIds": [ids]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let merged = &answer["data"][0];
    assert_eq!(merged["first_name"], "Robert");
    assert_eq!(merged["job_title"], "Sailor");
    assert_eq!(merged["contact_emails"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn merge_refuses_bad_groups() {
    let sim = start().await;
    let a = sim.contact_id(0);
    for body in [
        json!({"contactIds": [[a]]}),
        json!({"contactIds": [[a, a]]}),
        json!({"contactIds": "nope"}),
        json!({"ids": [[a, "x"]]}),
    ] {
        assert_eq!(
            sim.v1(Method::POST, "/v1/contacts/merge", Some(body.clone()))
                .await
                .0,
            StatusCode::BAD_REQUEST,
            "{body}"
        );
    }
    let body = json!({"contactIds": [[a, "00000000-0000-4000-8000-000000000000"]]});
    assert_eq!(
        sim.v1(Method::POST, "/v1/contacts/merge", Some(body))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // Nothing changed.
    assert_eq!(sim.sim.snapshot().contacts.len(), 60);
}
