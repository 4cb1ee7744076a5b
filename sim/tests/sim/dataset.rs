//! Seeded generation, the dataset file, and the state API.

use std::time::Instant;

use dex_sim::{Dataset, SimConfig, default_today, generate};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{start, start_reference, start_with};

#[test]
fn same_seed_gives_the_same_dataset_and_another_seed_another() {
    let a = Dataset::generate(7, 150, default_today());
    let b = Dataset::generate(7, 150, default_today());
    let c = Dataset::generate(8, 150, default_today());
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn generated_people_are_varied_like_a_real_address_book() {
    let generated = generate(42, 200, default_today());
    let data = &generated.dataset;
    let names: Vec<&str> = data
        .contacts
        .iter()
        .filter_map(|c| c.full_name.as_deref())
        .collect();
    assert!(names.iter().any(|n| !n.is_ascii()), "names with diacritics");
    let mut surnames: Vec<&str> = data
        .contacts
        .iter()
        .filter_map(|c| c.last_name.as_deref())
        .collect();
    surnames.sort();
    let distinct = {
        let mut d = surnames.clone();
        d.dedup();
        d.len()
    };
    assert!(distinct < surnames.len(), "shared surnames");
    assert!(data.contacts.iter().any(|c| c.contact_emails.is_empty()));
    assert!(data.contacts.iter().any(|c| c.contact_emails.len() == 2));
    assert!(data.contacts.iter().any(|c| c.birthday_year.is_some()));
    assert!(
        data.contacts
            .iter()
            .any(|c| c.birthday.as_deref().is_some_and(|b| b.starts_with("--")))
    );
    assert!(data.contacts.iter().any(|c| c.linkedin.is_some()));
    assert!(
        data.notes
            .iter()
            .any(|n| n.timeline_items_contacts.len() > 1)
    );
    assert!(data.reminders.iter().any(|r| r.recurrence.is_some()));
    assert!(data.reminders.iter().any(|r| r.is_complete));
    let today = "2026-03-02".to_owned();
    assert!(
        data.reminders
            .iter()
            .any(|r| r.due_at_date.as_ref().is_some_and(|d| *d < today))
    );
    assert!(
        data.reminders
            .iter()
            .any(|r| r.due_at_date.as_ref().is_some_and(|d| *d > today))
    );
    assert!(!generated.facts.near_duplicates.is_empty());
    // Someone with a nickname is called by it in a note.
    assert!(
        generated
            .facts
            .nicknames
            .iter()
            .any(|(id, nick)| data.notes.iter().any(|n| {
                n.note.contains(nick.as_str())
                    && n.timeline_items_contacts
                        .iter()
                        .any(|l| &l.contact_id == id)
            }))
    );
}

#[test]
fn ten_thousand_contacts_generate_quickly() {
    let started = Instant::now();
    let data = Dataset::generate(1, 10_000, default_today());
    assert_eq!(data.contacts.len(), 10_000);
    assert!(data.notes.len() > 40_000);
    // Loose bound for a debug build on a small machine.
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}

#[test]
fn save_then_load_loses_nothing() {
    let data = Dataset::generate(5, 80, default_today());
    let path = std::env::temp_dir().join(format!("dex-sim-roundtrip-{}.json", std::process::id()));
    data.save(&path).unwrap();
    let loaded = Dataset::load(&path).unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(loaded, data);
}

#[test]
fn a_minimal_file_with_three_lists_loads() {
    let text = json!({
        "contacts": [{"id": "c1", "first_name": "Ana", "contact_emails": [{"email": "ana@example.com"}]}],
        "notes": [{"id": "n1", "note": "hi", "event_time": "2026-01-01T00:00:00.000Z", "meeting_type": "note",
                   "timeline_items_contacts": [{"contact_id": "c1"}]}],
        "reminders": [{"id": "r1", "text": "call", "reminders_contacts": [{"contact_id": "c1"}]}]
    })
    .to_string();
    let data = Dataset::from_json(&text).unwrap();
    assert_eq!(data.contacts[0].first_name.as_deref(), Some("Ana"));
}

#[test]
fn inconsistent_files_are_refused() {
    let dangling = json!({"contacts": [], "notes": [{"id": "n1", "timeline_items_contacts": [{"contact_id": "ghost"}]}]});
    assert!(Dataset::from_json(&dangling.to_string()).is_err());
    let twice = json!({"contacts": [{"id": "c"}, {"id": "c"}]});
    assert!(Dataset::from_json(&twice.to_string()).is_err());
    assert!(Dataset::from_json("{\"contacts\": [{\"id\": \"c\", \"nickname\": 1}]}").is_err());
}

#[tokio::test]
async fn state_written_through_the_api_survives_a_save_and_reload() {
    let sim = start_reference().await;
    let (_, answer) = sim
        .v1(
            Method::POST,
            "/v1/contacts",
            Some(json!({"contacts": [{"first_name": "Åsa", "last_name": "Åberg"}]})),
        )
        .await;
    let id = answer["data"][0]["id"].as_str().unwrap().to_owned();
    let saved = sim.sim.snapshot();
    let text = saved.to_json();
    let again = start_with(SimConfig {
        dataset: Some(Dataset::from_json(&text).unwrap()),
        ..SimConfig::default()
    })
    .await;
    assert_eq!(again.sim.snapshot(), saved);
    assert_eq!(
        again.v1_data(&format!("/v1/contacts/{id}")).await["contact"]["first_name"],
        "Åsa"
    );
}

#[tokio::test]
async fn control_api_serves_and_replaces_state_and_resets_it() {
    let sim = start().await;
    let url = format!("{}/state", sim.sim.control_url());
    let state: Dataset = sim
        .http
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state, sim.sim.snapshot());
    let small = Dataset::generate(3, 4, default_today());
    let put = sim
        .http
        .put(&url)
        .body(small.to_json())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), StatusCode::NO_CONTENT);
    assert_eq!(sim.v1_data("/v1/contacts").await["count"], 4);
    sim.v1(
        Method::DELETE,
        &format!("/v1/contacts/{}", small.contacts[0].id),
        None,
    )
    .await;
    assert_eq!(sim.v1_data("/v1/contacts").await["count"], 3);
    let reset = sim
        .http
        .post(format!("{}/reset", sim.sim.control_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), StatusCode::NO_CONTENT);
    assert_eq!(sim.v1_data("/v1/contacts").await["count"], 4);
}
