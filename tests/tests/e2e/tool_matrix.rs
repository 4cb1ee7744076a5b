//! Every tool through the real server on both API generations: each one
//! called with a realistic input and its structured answer checked against
//! the simulator's state; every error kind with its code; bad arguments
//! refused before any request reaches Dex. Where the legacy API cannot do
//! something (`shared/dex-api.md` says so), the test expects the clear
//! validation error instead.

use std::collections::BTreeSet;

use dex_mcp_tests::{
    AgainstSimulator, Generation, call, call_ok as ok, dex_requests,
    serve_generation_against_simulator,
};
use dex_sim::FaultRule;
use serde_json::{Value, json};

const KEY: &str = "dex_matrix_test_key";

/// Every tool the component exports; a tool added without a row here
/// fails `the_matrix_names_every_tool`.
const TOOLS: [&str; 21] = [
    "find_contact",
    "search_contacts_full_text",
    "get_contact_details",
    "get_contact_history",
    "get_contact_notes",
    "get_contact_reminders",
    "list_note_types",
    "upcoming_reminders",
    "upcoming_birthdays",
    "create_contact",
    "update_contact",
    "enrich_contact",
    "merge_contacts",
    "delete_contact",
    "add_contact_note",
    "update_note",
    "delete_note",
    "create_contact_reminder",
    "update_reminder",
    "complete_reminder",
    "delete_reminder",
];

fn config() -> dex_sim::SimConfig {
    dex_sim::SimConfig {
        api_key: KEY.into(),
        contacts: 80,
        // Upcoming reminders and birthdays are reckoned from the guest's
        // wall clock, in UTC.
        today: dex_guest::history::today_utc(),
        ..Default::default()
    }
}

async fn serve(generation: Generation) -> AgainstSimulator {
    serve_generation_against_simulator(config(), generation, &[]).await
}

/// The structured content of a failed call, which must have failed.
async fn failure(client: &dex_mcp_tests::Client, tool: &'static str, arguments: Value) -> Value {
    let result = call(client, tool, arguments).await;
    assert_eq!(result.is_error, Some(true), "{tool} succeeded: {result:?}");
    result
        .structured_content
        .expect("an error's structured content")
}

/// Asserts an error's kind and code (and field, when given).
fn assert_error(error: &Value, kind: &str, code: i64, field: Option<&str>) {
    assert_eq!(error["kind"], json!(kind), "{error:#}");
    assert_eq!(error["code"], json!(code), "{error:#}");
    if let Some(field) = field {
        assert_eq!(error["field"], json!(field), "{error:#}");
    }
}

fn ids(list: &Value, pointer: &str) -> BTreeSet<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list:#}"))
        .iter()
        .map(|item| {
            item.pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("no {pointer} in {item:#}"))
                .to_owned()
        })
        .collect()
}

/// The day `offset` days after today (UTC), `YYYY-MM-DD`.
fn day(offset: usize) -> String {
    dex_guest::history::today_utc()
        .iter_days()
        .nth(offset)
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn the_matrix_names_every_tool() {
    let AgainstSimulator { client, .. } = serve(Generation::V1).await;
    let listed: BTreeSet<String> = client
        .list_all_tools()
        .await
        .expect("tools/list answers")
        .into_iter()
        .map(|t| t.name.to_string())
        .collect();
    client.cancel().await.ok();
    let matrix: BTreeSet<String> = TOOLS.iter().map(|t| (*t).to_owned()).collect();
    assert_eq!(listed, matrix);
}

#[tokio::test]
async fn every_read_tool_answers_from_the_simulators_data_on_both_generations() {
    for generation in Generation::BOTH {
        let AgainstSimulator { client, simulator } = serve(generation).await;
        let data = simulator.snapshot();
        let notes_of = |id: &str| -> BTreeSet<String> {
            data.notes
                .iter()
                .filter(|n| n.timeline_items_contacts.iter().any(|c| c.contact_id == id))
                .map(|n| n.id.clone())
                .collect()
        };
        let reminders_of = |id: &str| -> BTreeSet<String> {
            data.reminders
                .iter()
                .filter(|r| r.reminders_contacts.iter().any(|c| c.contact_id == id))
                .map(|r| r.id.clone())
                .collect()
        };
        let person = data
            .contacts
            .iter()
            .filter(|c| !reminders_of(&c.id).is_empty())
            .max_by_key(|c| notes_of(&c.id).len())
            .expect("a contact with notes and reminders");
        let (notes, reminders) = (notes_of(&person.id), reminders_of(&person.id));
        let name = format!(
            "{} {}",
            person.first_name.clone().unwrap_or_default(),
            person.last_name.clone().unwrap_or_default()
        );
        let note = data
            .notes
            .iter()
            .find(|n| notes.contains(&n.id) && n.note.split_whitespace().count() >= 3)
            .expect("a note with some words");

        let found = ok(&client, "find_contact", json!({ "name": name })).await;
        assert!(
            ids(&found["matches"], "/contact/id").contains(&person.id),
            "{generation:?}: {found:#}"
        );

        let hits = ok(
            &client,
            "search_contacts_full_text",
            json!({ "query": note.note, "include_types": ["notes"], "max_results": 50 }),
        )
        .await;
        assert!(
            ids(&hits["hits"], "/id").contains(&note.id),
            "{generation:?}: {hits:#}"
        );

        let details = ok(
            &client,
            "get_contact_details",
            json!({ "contact_id": person.id }),
        )
        .await;
        assert_eq!(details["contact"]["id"], json!(person.id));
        assert_eq!(details["note_count"], json!(notes.len()), "{generation:?}");

        let listed = ok(
            &client,
            "get_contact_notes",
            json!({ "contact_id": person.id, "limit": 100 }),
        )
        .await;
        assert_eq!(ids(&listed["notes"], "/id"), notes, "{generation:?}");

        let history = ok(
            &client,
            "get_contact_history",
            json!({ "contact_id": person.id, "limit": 100 }),
        )
        .await;
        assert_eq!(
            history["total"],
            json!(notes.len() + reminders.len()),
            "{generation:?}: {history:#}"
        );

        let all = ok(
            &client,
            "get_contact_reminders",
            json!({ "contact_id": person.id, "status": "all" }),
        )
        .await;
        assert_eq!(ids(&all["reminders"], "/id"), reminders, "{generation:?}");

        let types = ok(&client, "list_note_types", json!({})).await;
        let names: Vec<String> = ids(&types["note_types"], "/name").into_iter().collect();
        let mut expected: Vec<String> = match generation {
            Generation::V1 => dex_sim::model::note_types()
                .into_iter()
                .map(|t| t.name)
                .collect(),
            // No endpoint: the built-in set the API reference lists.
            Generation::Legacy => [
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
            ]
            .map(String::from)
            .to_vec(),
        };
        expected.sort();
        assert_eq!(names, expected, "{generation:?}");
        let says_built_in = types["summary"]
            .as_str()
            .unwrap()
            .contains("no note-types endpoint");
        assert_eq!(
            says_built_in,
            generation == Generation::Legacy,
            "{generation:?}: {types:#}"
        );

        let last_day = day(30);
        let due: BTreeSet<String> = data
            .reminders
            .iter()
            .filter(|r| !r.is_complete)
            .filter(|r| {
                r.due_at_date
                    .as_deref()
                    .is_some_and(|d| d <= last_day.as_str())
            })
            .map(|r| r.id.clone())
            .collect();
        let upcoming = ok(&client, "upcoming_reminders", json!({ "days": 30 })).await;
        assert_eq!(
            upcoming["total"],
            json!(due.len()),
            "{generation:?}: overdue and due within 30 days"
        );
        assert!(ids(&upcoming["reminders"], "/reminder/id").is_subset(&due));

        // A year ahead, every birthday comes round once. Legacy has no
        // archive flag, so it cannot leave archived contacts out.
        let born: BTreeSet<String> = data
            .contacts
            .iter()
            .filter(|c| generation == Generation::Legacy || !c.is_archived)
            .filter(|c| c.birthday.is_some())
            .map(|c| c.id.clone())
            .collect();
        let birthdays = ok(&client, "upcoming_birthdays", json!({ "days": 365 })).await;
        assert_eq!(birthdays["total"], json!(born.len()), "{generation:?}");
        let listed = birthdays["birthdays"].as_array().unwrap();
        assert!(ids(&birthdays["birthdays"], "/contact/id").is_subset(&born));
        if generation == Generation::Legacy {
            assert!(
                listed
                    .iter()
                    .all(|b| b.get("turning").is_none_or(Value::is_null)),
                "legacy gives no year of birth, so no age: {birthdays:#}"
            );
        }
        client.cancel().await.ok();
    }
}

/// The simulator's copy of a contact, note or reminder, if it still exists.
fn stored_contact(simulator: &dex_sim::RunningSim, id: &str) -> Option<dex_sim::model::Contact> {
    simulator
        .snapshot()
        .contacts
        .into_iter()
        .find(|c| c.id == id)
}

fn stored_note(simulator: &dex_sim::RunningSim, id: &str) -> Option<dex_sim::model::Note> {
    simulator.snapshot().notes.into_iter().find(|n| n.id == id)
}

fn stored_reminder(simulator: &dex_sim::RunningSim, id: &str) -> Option<dex_sim::model::Reminder> {
    simulator
        .snapshot()
        .reminders
        .into_iter()
        .find(|r| r.id == id)
}

#[tokio::test]
async fn every_write_tool_changes_the_simulator_and_the_next_read_on_both_generations() {
    for generation in Generation::BOTH {
        let legacy = generation == Generation::Legacy;
        let AgainstSimulator { client, simulator } = serve(generation).await;
        let other = simulator.snapshot().contacts[7].clone();

        // Contacts: create, update, enrich.
        let created = ok(
            &client,
            "create_contact",
            json!({
                "first_name": "Philippa",
                "last_name": "Quennell",
                "job_title": "Curator",
                "emails": [{ "email": "pq@orrery.example" }],
            }),
        )
        .await;
        let id = created["contact"]["id"].as_str().unwrap().to_owned();
        let stored = stored_contact(&simulator, &id).expect("the contact is in Dex");
        assert_eq!(stored.last_name.as_deref(), Some("Quennell"));
        assert_eq!(stored.contact_emails[0].email, "pq@orrery.example");

        ok(
            &client,
            "update_contact",
            json!({ "contact_id": id, "job_title": "Head curator" }),
        )
        .await;
        let stored = stored_contact(&simulator, &id).unwrap();
        assert_eq!(stored.job_title.as_deref(), Some("Head curator"));

        let enriched = ok(
            &client,
            "enrich_contact",
            json!({
                "contact_id": id,
                "emails": ["PQ@Orrery.example", "philippa@quennell.example"],
                "job_title": "Archivist",
                "description": "Met at the orrery",
                "company": "Orrery Works",
            }),
        )
        .await;
        let report = |list: &str| -> BTreeSet<String> {
            enriched[list]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    format!(
                        "{}={}",
                        i["field"].as_str().unwrap(),
                        i["value"].as_str().unwrap()
                    )
                })
                .collect()
        };
        let mut added = BTreeSet::from([
            "emails=philippa@quennell.example".to_owned(),
            "description=Met at the orrery".to_owned(),
        ]);
        let mut ignored = BTreeSet::from(["job_title=Archivist".to_owned()]);
        // Legacy contacts have no company: reported, not silently dropped.
        if legacy {
            ignored.insert("company=Orrery Works".to_owned());
        } else {
            added.insert("company=Orrery Works".to_owned());
        }
        assert_eq!(report("added"), added, "{generation:?}: {enriched:#}");
        assert_eq!(
            report("already_present"),
            BTreeSet::from(["emails=PQ@Orrery.example".to_owned()])
        );
        assert_eq!(report("ignored"), ignored, "{generation:?}: {enriched:#}");
        let reason_of = |field: &str| -> String {
            enriched["ignored"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["field"] == json!(field))
                .and_then(|i| i["reason"].as_str())
                .unwrap_or_default()
                .to_owned()
        };
        assert!(
            reason_of("job_title").contains("Head curator"),
            "the reason names the value kept: {enriched:#}"
        );
        if legacy {
            assert!(
                reason_of("company").contains("legacy"),
                "the reason names the limitation: {enriched:#}"
            );
        }
        let stored = stored_contact(&simulator, &id).unwrap();
        let emails: BTreeSet<&str> = stored
            .contact_emails
            .iter()
            .map(|e| e.email.as_str())
            .collect();
        assert_eq!(
            emails,
            BTreeSet::from(["pq@orrery.example", "philippa@quennell.example"])
        );
        assert_eq!(stored.description.as_deref(), Some("Met at the orrery"));
        assert_eq!(stored.job_title.as_deref(), Some("Head curator"));
        if !legacy {
            assert_eq!(stored.company.as_deref(), Some("Orrery Works"));
        }

        // Notes: add (about two people), read back, update, delete.
        let mut note_args = json!({
            "contact_ids": [id, other.id],
            "text": "Walked through the orrery collection together",
            "event_time": "2026-01-15",
        });
        if !legacy {
            note_args["note_type"] = json!("coffee");
        }
        let saved = ok(&client, "add_contact_note", note_args).await;
        let note_id = saved["note"]["id"].as_str().unwrap().to_owned();
        let stored = stored_note(&simulator, &note_id).expect("the note is in Dex");
        let linked: BTreeSet<&str> = stored
            .timeline_items_contacts
            .iter()
            .map(|l| l.contact_id.as_str())
            .collect();
        assert_eq!(linked, BTreeSet::from([id.as_str(), other.id.as_str()]));
        assert!(stored.event_time.starts_with("2026-01-15"), "{stored:?}");
        let notes = ok(&client, "get_contact_notes", json!({ "contact_id": id })).await;
        assert_eq!(
            ids(&notes["notes"], "/id"),
            BTreeSet::from([note_id.clone()])
        );

        ok(
            &client,
            "update_note",
            json!({ "note_id": note_id, "text": "Walked through the orrery, then the archive" }),
        )
        .await;
        assert_eq!(
            stored_note(&simulator, &note_id).unwrap().note,
            "Walked through the orrery, then the archive"
        );

        let refused = failure(&client, "delete_note", json!({ "note_id": note_id })).await;
        assert_error(&refused, "confirmation_required", -32004, None);
        assert!(
            stored_note(&simulator, &note_id).is_some(),
            "deleted unasked"
        );
        ok(
            &client,
            "delete_note",
            json!({ "note_id": note_id, "confirm": true }),
        )
        .await;
        assert!(stored_note(&simulator, &note_id).is_none());
        let notes = ok(&client, "get_contact_notes", json!({ "contact_id": id })).await;
        assert_eq!(notes["total"], json!(0), "{notes:#}");

        // Reminders: create, see it coming, update, complete, delete.
        let mut reminder_args = json!({
            "contact_ids": [id],
            "text": "Send Philippa the orrery photos",
            "due_date": day(3),
        });
        if !legacy {
            reminder_args["recurrence"] = json!("monthly");
        }
        let saved = ok(&client, "create_contact_reminder", reminder_args).await;
        let reminder_id = saved["reminder"]["id"].as_str().unwrap().to_owned();
        let stored = stored_reminder(&simulator, &reminder_id).expect("the reminder is in Dex");
        assert_eq!(stored.text, "Send Philippa the orrery photos");
        assert_eq!(stored.recurrence.is_some(), !legacy);
        let coming = ok(
            &client,
            "upcoming_reminders",
            json!({ "days": 7, "include_overdue": false }),
        )
        .await;
        assert!(ids(&coming["reminders"], "/reminder/id").contains(&reminder_id));

        ok(
            &client,
            "update_reminder",
            json!({ "reminder_id": reminder_id, "text": "Send Philippa the photos", "due_date": day(5) }),
        )
        .await;
        let stored = stored_reminder(&simulator, &reminder_id).unwrap();
        assert_eq!(stored.text, "Send Philippa the photos");
        assert_eq!(stored.due_at_date, Some(day(5)));

        // Stopping the repetition: v1 clears it; legacy has none to stop.
        let stop = json!({ "reminder_id": reminder_id, "recurrence": "none" });
        if legacy {
            let refused = failure(&client, "update_reminder", stop).await;
            assert_error(&refused, "validation", -32004, Some("recurrence"));
        } else {
            let saved = ok(&client, "update_reminder", stop).await;
            assert!(
                saved["reminder"]
                    .get("recurrence")
                    .is_none_or(Value::is_null),
                "{saved:#}"
            );
            assert_eq!(
                stored_reminder(&simulator, &reminder_id)
                    .unwrap()
                    .recurrence,
                None
            );
        }

        let done = ok(
            &client,
            "complete_reminder",
            json!({ "reminder_id": reminder_id }),
        )
        .await;
        assert_eq!(
            done["reminder"]["complete"],
            json!(true),
            "a one-off stays done"
        );
        assert!(
            stored_reminder(&simulator, &reminder_id)
                .unwrap()
                .is_complete
        );
        let open = ok(
            &client,
            "get_contact_reminders",
            json!({ "contact_id": id }),
        )
        .await;
        assert_eq!(open["total"], json!(0), "{open:#}");

        ok(
            &client,
            "delete_reminder",
            json!({ "reminder_id": reminder_id, "confirm": true }),
        )
        .await;
        assert!(stored_reminder(&simulator, &reminder_id).is_none());

        // Merging: v1 merges; legacy has no merge endpoint.
        let duplicate = ok(
            &client,
            "create_contact",
            json!({ "first_name": "Pippa", "last_name": "Quennell", "emails": [{ "email": "pippa@quennell.example" }] }),
        )
        .await;
        let duplicate_id = duplicate["contact"]["id"].as_str().unwrap().to_owned();
        let merge = json!({ "keep_id": id, "duplicate_ids": [duplicate_id], "confirm": true });
        if legacy {
            let refused = failure(&client, "merge_contacts", merge).await;
            assert_error(&refused, "validation", -32004, None);
            assert!(stored_contact(&simulator, &duplicate_id).is_some());
            ok(
                &client,
                "delete_contact",
                json!({ "contact_id": duplicate_id, "confirm": true }),
            )
            .await;
        } else {
            let merged = ok(&client, "merge_contacts", merge).await;
            assert_eq!(merged["removed_ids"], json!([duplicate_id]));
            assert!(stored_contact(&simulator, &duplicate_id).is_none());
            let kept = stored_contact(&simulator, &id).unwrap();
            assert!(
                kept.contact_emails
                    .iter()
                    .any(|e| e.email == "pippa@quennell.example"),
                "{kept:?}"
            );
        }

        ok(
            &client,
            "delete_contact",
            json!({ "contact_id": id, "confirm": true }),
        )
        .await;
        assert!(stored_contact(&simulator, &id).is_none());
        let found = ok(
            &client,
            "find_contact",
            json!({ "name": "Philippa Quennell" }),
        )
        .await;
        assert!(
            !ids(&found["matches"], "/contact/id").contains(&id),
            "{generation:?}: {found:#}"
        );
        client.cancel().await.ok();
    }
}

/// The write endpoints faults are injected on, per generation.
fn post_note(generation: Generation) -> &'static str {
    match generation {
        Generation::V1 => "POST /v1/timeline",
        Generation::Legacy => "POST /api/rest/timeline_items",
    }
}

fn post_reminder(generation: Generation) -> &'static str {
    match generation {
        Generation::V1 => "POST /v1/reminders",
        Generation::Legacy => "POST /api/rest/reminders",
    }
}

#[tokio::test]
async fn every_error_kind_comes_with_its_code_on_both_generations() {
    for generation in Generation::BOTH {
        let AgainstSimulator { client, simulator } = serve(generation).await;
        let contact = simulator.snapshot().contacts[2].id.clone();

        let missing = failure(
            &client,
            "get_contact_details",
            json!({ "contact_id": "no-such-contact" }),
        )
        .await;
        assert_error(&missing, "not_found", -32001, None);
        let missing = failure(
            &client,
            "update_note",
            json!({ "note_id": "no-such-note", "text": "x" }),
        )
        .await;
        assert_error(&missing, "not_found", -32001, None);

        let invalid = failure(
            &client,
            "create_contact_reminder",
            json!({ "contact_ids": [contact], "text": "Call", "due_date": "next friday" }),
        )
        .await;
        assert_error(&invalid, "validation", -32004, Some("due_date"));

        // A create is never retried, so the 429 comes straight back.
        simulator.set_faults(vec![
            FaultRule::new(post_note(generation)).rate_limited(1.0, 60),
        ]);
        let limited = failure(
            &client,
            "add_contact_note",
            json!({ "contact_ids": [contact], "text": "Slow down" }),
        )
        .await;
        assert_error(&limited, "rate_limited", -32003, None);
        assert_eq!(limited["retry_after_seconds"], json!(60), "{limited:#}");

        simulator.set_faults(vec![
            FaultRule::new(post_reminder(generation)).errors(1.0, 500),
        ]);
        let broken = failure(
            &client,
            "create_contact_reminder",
            json!({ "contact_ids": [contact], "text": "Call", "due_date": day(2) }),
        )
        .await;
        assert_error(&broken, "upstream", -32000, None);
        simulator.set_faults(vec![]);
        client.cancel().await.ok();

        let wrong_key = serve_generation_against_simulator(
            config(),
            generation,
            &[("DEX_API_KEY", "dex_not_the_key")],
        )
        .await;
        let refused = failure(
            &wrong_key.client,
            "get_contact_notes",
            json!({ "contact_id": contact }),
        )
        .await;
        wrong_key.client.cancel().await.ok();
        assert_error(&refused, "unauthorized", -32002, None);
        assert!(
            !refused["message"]
                .as_str()
                .unwrap()
                .contains("dex_not_the_key"),
            "the key leaked: {refused:#}"
        );

        let no_plan = serve_generation_against_simulator(
            dex_sim::SimConfig {
                api_access: false,
                ..config()
            },
            generation,
            &[],
        )
        .await;
        let forbidden = failure(&no_plan.client, "upcoming_reminders", json!({})).await;
        no_plan.client.cancel().await.ok();
        assert_error(&forbidden, "forbidden", -32002, None);
    }
}

#[tokio::test]
async fn bad_arguments_are_refused_before_any_request_to_dex_on_both_generations() {
    let bad: [(&str, Value, &str); 10] = [
        (
            "get_contact_details",
            json!({ "contact_id": "../etc" }),
            "contact_id",
        ),
        (
            "get_contact_history",
            json!({ "contact_id": "c1", "date_from": "2026-02-30" }),
            "date_from",
        ),
        (
            "get_contact_notes",
            json!({ "contact_id": "c1", "limit": 0 }),
            "limit",
        ),
        (
            "get_contact_reminders",
            json!({ "contact_id": "c1", "cursor": "someone-elses.3" }),
            "cursor",
        ),
        ("upcoming_reminders", json!({ "days": 400 }), "days"),
        ("upcoming_birthdays", json!({ "days": 400 }), "days"),
        (
            "add_contact_note",
            json!({ "contact_ids": [], "text": "Lunch" }),
            "contact_ids",
        ),
        ("update_reminder", json!({ "reminder_id": "r1" }), ""),
        ("find_contact", json!({}), ""),
        (
            "search_contacts_full_text",
            json!({ "query": "coffee", "cursor": "get-contact-notes.3" }),
            "cursor",
        ),
    ];
    for generation in Generation::BOTH {
        let AgainstSimulator { client, simulator } = serve(generation).await;
        for (tool, arguments, field) in &bad {
            let error = failure(&client, tool, arguments.clone()).await;
            assert_eq!(error["kind"], json!("validation"), "{tool}: {error:#}");
            if !field.is_empty() {
                assert_eq!(error["field"], json!(field), "{tool}: {error:#}");
            }
        }
        client.cancel().await.ok();
        assert_eq!(
            dex_requests(&simulator),
            0,
            "{generation:?}: {:?}",
            simulator.counters()
        );
    }
}
