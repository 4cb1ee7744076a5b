//! The cases of the tools that change nothing: each answers from the
//! simulator's data as it is when the case runs.

use std::collections::BTreeSet;

use dex_mcp_tests::{Generation, dex_requests};
use dex_sim::model::Contact;
use serde_json::{Value, json};

use super::custom_fields::list_custom_fields;
use super::labels::{get_group, list_groups, list_tags};
use super::{Case, Cx, assert_error, day, ids, refused_on_legacy};

/// The read cases (see the `cases!` macro in `mod.rs`).
pub const CASES: &[Case] = cases![
    find_contact,
    find_duplicates,
    search_contacts_full_text,
    get_contact_details,
    get_contact_history,
    get_contact_notes,
    list_notes,
    get_contact_reminders,
    list_note_types,
    upcoming_reminders,
    upcoming_birthdays,
    get_note,
    get_reminder,
    who_to_reach_out_to,
    list_tags,
    list_groups,
    get_group,
    list_custom_fields,
    list_contacts,
    filter_contacts,
];

/// A contact with reminders and the most notes, with the ids of both.
struct Person {
    contact: Contact,
    notes: BTreeSet<String>,
    reminders: BTreeSet<String>,
}

fn person(cx: &Cx) -> Person {
    let data = cx.simulator.snapshot();
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
    let contact = data
        .contacts
        .iter()
        .filter(|c| !reminders_of(&c.id).is_empty())
        .max_by_key(|c| notes_of(&c.id).len())
        .expect("a contact with notes and reminders")
        .clone();
    Person {
        notes: notes_of(&contact.id),
        reminders: reminders_of(&contact.id),
        contact,
    }
}

async fn find_contact(cx: &Cx) {
    let person = person(cx).contact;
    let name = format!(
        "{} {}",
        person.first_name.clone().unwrap_or_default(),
        person.last_name.clone().unwrap_or_default()
    );
    let found = cx.ok("find_contact", json!({ "name": name })).await;
    assert!(
        ids(&found["matches"], "/contact/id").contains(&person.id),
        "{:?}: {found:#}",
        cx.generation
    );

    // LinkedIn as Dex may store it (a bare slug, a link without scheme),
    // found by the full link a user pastes, in any case.
    let data = cx.simulator.snapshot();
    let stored_as = |scheme_less: bool| {
        data.contacts
            .iter()
            .find(|c| {
                c.linkedin.as_deref().is_some_and(|l| {
                    l.starts_with("linkedin.com/") == scheme_less && !l.starts_with("https://")
                })
            })
            .expect("the seeded data stores LinkedIn both ways")
    };
    for contact in [stored_as(false), stored_as(true)] {
        let link = contact.linkedin.as_deref().unwrap();
        let slug = link.rsplit('/').next().unwrap().to_uppercase();
        let found = cx
            .ok(
                "find_contact",
                json!({ "social_url": format!("https://www.linkedin.com/in/{slug}/") }),
            )
            .await;
        assert_eq!(
            found["matches"][0]["contact"]["id"],
            json!(contact.id),
            "{:?} {}: stored as {link}: {found:#}",
            cx.generation,
            cx.shape
        );
    }
}

async fn search_contacts_full_text(cx: &Cx) {
    let data = cx.simulator.snapshot();
    let notes = person(cx).notes;
    let note = data
        .notes
        .iter()
        .find(|n| notes.contains(&n.id) && n.note.split_whitespace().count() >= 3)
        .expect("a note with some words");
    let hits = cx
        .ok(
            "search_contacts_full_text",
            json!({ "query": note.note, "include_types": ["notes"], "max_results": 50 }),
        )
        .await;
    assert!(
        ids(&hits["hits"], "/id").contains(&note.id),
        "{:?}: {hits:#}",
        cx.generation
    );
}

async fn get_contact_details(cx: &Cx) {
    let person = person(cx);
    let details = cx
        .ok(
            "get_contact_details",
            json!({ "contact_id": person.contact.id }),
        )
        .await;
    assert_eq!(details["contact"]["id"], json!(person.contact.id));
    assert_eq!(
        details["note_count"],
        json!(person.notes.len()),
        "{:?}",
        cx.generation
    );

    super::related::seeded_relations_in_details(cx).await;

    // How the user organised a contact comes with it on v1; legacy has none
    // of it.
    let data = cx.simulator.snapshot();
    let organised = data
        .contacts
        .iter()
        .max_by_key(|c| {
            (c.tags_contacts.len().min(1)
                + c.groups_contacts.len().min(1)
                + c.custom_fields.len().min(1)
                + usize::from(c.frequency.is_some()))
                * 10
                + c.tags_contacts.len()
        })
        .expect("a seeded contact");
    let details = cx
        .ok("get_contact_details", json!({ "contact_id": organised.id }))
        .await;
    let contact = &details["contact"];
    let v1 = cx.generation == Generation::V1;
    let labels = |names: Vec<(&str, &str)>| -> Value {
        let names: Vec<Value> = if v1 {
            names
                .into_iter()
                .map(|(id, name)| json!({ "id": id, "name": name }))
                .collect()
        } else {
            Vec::new()
        };
        json!(names)
    };
    let tags = organised
        .tags_contacts
        .iter()
        .map(|t| (t.tag.id.as_str(), t.tag.name.as_str()))
        .collect();
    let groups = organised
        .groups_contacts
        .iter()
        .map(|g| (g.group.id.as_str(), g.group.name.as_str()))
        .collect();
    assert_eq!(contact["tags"], labels(tags), "{:?}", cx.generation);
    assert_eq!(contact["groups"], labels(groups), "{:?}", cx.generation);
    let values: Vec<Value> = organised
        .custom_fields
        .iter()
        .filter(|_| v1)
        .filter_map(|v| Some(json!({ "field_id": v.id, "values": [v.text_value.clone()?] })))
        .collect();
    assert_eq!(
        contact["custom_fields"],
        json!(values),
        "{:?}",
        cx.generation
    );
    let every_days = match organised.frequency.as_deref() {
        Some("7 days") => Some(7),
        Some("14 days") => Some(14),
        Some("1 mon") => Some(30),
        Some("42 days") => Some(42),
        Some("3 mons") => Some(90),
        Some("6 mons") => Some(180),
        Some("1 year") => Some(365),
        None => None,
        other => panic!("the simulator seeded keep-in-touch {other:?}"),
    };
    assert_eq!(
        contact["keep_in_touch"]
            .get("every_days")
            .and_then(Value::as_u64),
        every_days.filter(|_| v1),
        "{:?}: {contact:#}",
        cx.generation
    );
}

async fn get_contact_history(cx: &Cx) {
    let person = person(cx);
    let history = cx
        .ok(
            "get_contact_history",
            json!({ "contact_id": person.contact.id, "limit": 100 }),
        )
        .await;
    assert_eq!(
        history["total"],
        json!(person.notes.len() + person.reminders.len()),
        "{:?}: {history:#}",
        cx.generation
    );
}

async fn get_contact_notes(cx: &Cx) {
    let person = person(cx);
    let listed = cx
        .ok(
            "get_contact_notes",
            json!({ "contact_id": person.contact.id, "limit": 100 }),
        )
        .await;
    assert_eq!(
        ids(&listed["notes"], "/id"),
        person.notes,
        "{:?}",
        cx.generation
    );
}

async fn list_notes(cx: &Cx) {
    if refused_on_legacy(cx, "list_notes", json!({})).await {
        return;
    }
    let data = cx.simulator.snapshot();
    // Every page, in order, is every note of the account once, newest first.
    let mut listed: Vec<Value> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut arguments = json!({ "limit": 100 });
        if let Some(next) = cursor.take() {
            arguments["cursor"] = json!(next);
        }
        let page = cx.ok("list_notes", arguments).await;
        assert_eq!(
            page["total"],
            json!(data.notes.len()),
            "{:?}",
            cx.generation
        );
        listed.extend(page["notes"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let all: BTreeSet<String> = data.notes.iter().map(|n| n.id.clone()).collect();
    assert_eq!(listed.len(), all.len(), "a note listed twice or missed");
    assert_eq!(ids(&Value::Array(listed.clone()), "/id"), all);
    let times: Vec<i64> = listed
        .iter()
        .map(|n| {
            chrono::DateTime::parse_from_rfc3339(n["event_time"].as_str().unwrap())
                .unwrap()
                .timestamp()
        })
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "not newest first");
    // One contact from the day of their middle note on: exactly the
    // simulator's notes of theirs from that day.
    let person = person(cx);
    let day_of = |id: &String| {
        let note = data.notes.iter().find(|n| &n.id == id).unwrap();
        chrono::DateTime::parse_from_rfc3339(&note.event_time)
            .unwrap()
            .to_utc()
            .date_naive()
    };
    let mut days: Vec<_> = person.notes.iter().map(day_of).collect();
    days.sort();
    let from = days[days.len() / 2];
    let expected: BTreeSet<String> = person
        .notes
        .iter()
        .filter(|id| day_of(id) >= from)
        .cloned()
        .collect();
    let theirs = cx
        .ok(
            "list_notes",
            json!({ "contact_id": person.contact.id, "date_from": from.to_string(), "limit": 100 }),
        )
        .await;
    assert_eq!(ids(&theirs["notes"], "/id"), expected, "{theirs:#}");
    let reversed = cx
        .failure(
            "list_notes",
            json!({ "date_from": "2025-03-01", "date_to": "2025-01-01" }),
        )
        .await;
    assert_error(&reversed, "validation", -32004, Some("date_to"));
}

async fn find_duplicates(cx: &Cx) {
    if refused_on_legacy(cx, "find_duplicates", json!({})).await {
        return;
    }
    let data = cx.simulator.snapshot();
    let present: BTreeSet<&str> = data.contacts.iter().map(|c| c.id.as_str()).collect();
    let config = super::config(cx.shape);
    let planted: Vec<(String, String)> =
        dex_sim::generate(config.seed, config.contacts, config.today)
            .facts
            .near_duplicates
            .into_iter()
            .filter(|(a, b)| present.contains(a.as_str()) && present.contains(b.as_str()))
            .collect();
    assert!(!planted.is_empty(), "the simulator planted no duplicate");
    let found = cx.ok("find_duplicates", json!({ "limit": 100 })).await;
    let groups = found["groups"].as_array().unwrap();
    assert!(found["next_cursor"].is_null(), "{found:#}");
    // Every planted pair is one group, whose merge arguments name both,
    // the kept contact first, with a reason.
    for (original, copy) in &planted {
        let group = groups
            .iter()
            .find(|g| {
                let members = ids(&g["contacts"], "/id");
                members.contains(original) && members.contains(copy)
            })
            .unwrap_or_else(|| panic!("{original} and {copy} not grouped: {found:#}"));
        let keep = group["keep_id"].as_str().unwrap();
        assert_eq!(group["contacts"][0]["id"], json!(keep));
        let mut merged = ids(&group["duplicate_ids"], "");
        merged.insert(keep.to_owned());
        assert_eq!(merged, ids(&group["contacts"], "/id"));
        assert!(!group["reasons"].as_array().unwrap().is_empty());
        assert!(group["confidence"].as_u64().unwrap() >= 60, "{group:#}");
    }
    let refused = cx
        .failure("find_duplicates", json!({ "min_confidence": 101 }))
        .await;
    assert_error(&refused, "validation", -32004, Some("min_confidence"));
}

async fn get_contact_reminders(cx: &Cx) {
    let person = person(cx);
    let all = cx
        .ok(
            "get_contact_reminders",
            json!({ "contact_id": person.contact.id, "status": "all" }),
        )
        .await;
    assert_eq!(
        ids(&all["reminders"], "/id"),
        person.reminders,
        "{:?}",
        cx.generation
    );
}

async fn list_note_types(cx: &Cx) {
    let types = cx.ok("list_note_types", json!({})).await;
    let names: Vec<String> = ids(&types["note_types"], "/name").into_iter().collect();
    let mut expected: Vec<String> = match cx.generation {
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
    assert_eq!(names, expected, "{:?}", cx.generation);
    let says_built_in = types["summary"]
        .as_str()
        .unwrap()
        .contains("no note-types endpoint");
    assert_eq!(says_built_in, cx.legacy(), "{:?}: {types:#}", cx.generation);
}

async fn upcoming_reminders(cx: &Cx) {
    let last_day = day(30);
    let due: BTreeSet<String> = cx
        .simulator
        .snapshot()
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
    let upcoming = cx.ok("upcoming_reminders", json!({ "days": 30 })).await;
    assert_eq!(
        upcoming["total"],
        json!(due.len()),
        "{:?}: overdue and due within 30 days",
        cx.generation
    );
    assert!(ids(&upcoming["reminders"], "/reminder/id").is_subset(&due));
}

async fn upcoming_birthdays(cx: &Cx) {
    // A year ahead, every birthday comes round once. Legacy has no
    // archive flag, so it cannot leave archived contacts out.
    let born: BTreeSet<String> = cx
        .simulator
        .snapshot()
        .contacts
        .iter()
        .filter(|c| cx.legacy() || !c.is_archived)
        .filter(|c| c.birthday.is_some())
        .map(|c| c.id.clone())
        .collect();
    let birthdays = cx.ok("upcoming_birthdays", json!({ "days": 365 })).await;
    assert_eq!(birthdays["total"], json!(born.len()), "{:?}", cx.generation);
    assert!(ids(&birthdays["birthdays"], "/contact/id").is_subset(&born));
    if cx.legacy() {
        let listed = birthdays["birthdays"].as_array().unwrap();
        assert!(
            listed
                .iter()
                .all(|b| b.get("turning").is_none_or(Value::is_null)),
            "legacy gives no year of birth, so no age: {birthdays:#}"
        );
    }
}

async fn get_note(cx: &Cx) {
    let note = cx.simulator.snapshot().notes[5].clone();
    let arguments = json!({ "note_id": note.id });
    if refused_on_legacy(cx, "get_note", arguments.clone()).await {
        return;
    }
    let read = cx.ok("get_note", arguments).await;
    assert_eq!(read["id"], json!(note.id));
    assert_eq!(read["text"], json!(note.note.trim()));
    assert_eq!(read["note_type"], json!(note.meeting_type));
    let linked: BTreeSet<String> = note
        .timeline_items_contacts
        .iter()
        .map(|l| l.contact_id.clone())
        .collect();
    assert_eq!(ids(&read["contacts"], "/id"), linked, "{read:#}");
    let missing = cx
        .failure("get_note", json!({ "note_id": "no-such-note" }))
        .await;
    assert_error(&missing, "not_found", -32001, None);
}

async fn get_reminder(cx: &Cx) {
    let reminder = cx
        .simulator
        .snapshot()
        .reminders
        .into_iter()
        .find(|r| r.recurrence.is_some())
        .expect("a repeating reminder");
    let arguments = json!({ "reminder_id": reminder.id });
    if refused_on_legacy(cx, "get_reminder", arguments.clone()).await {
        return;
    }
    let read = cx.ok("get_reminder", arguments).await;
    assert_eq!(read["id"], json!(reminder.id));
    assert_eq!(read["text"], json!(reminder.text.trim()));
    assert_eq!(read["complete"], json!(reminder.is_complete));
    assert_eq!(read["due_date"], json!(reminder.due_at_date), "{read:#}");
    assert!(read["recurrence"].is_string(), "{read:#}");
    let linked: BTreeSet<String> = reminder
        .reminders_contacts
        .iter()
        .map(|l| l.contact_id.clone())
        .collect();
    assert_eq!(ids(&read["contacts"], "/id"), linked, "{read:#}");
    let missing = cx
        .failure("get_reminder", json!({ "reminder_id": "no-such-reminder" }))
        .await;
    assert_error(&missing, "not_found", -32001, None);
}

/// The contacts the simulator holds that are due a keep-in-touch catch-up
/// today (UTC, the matrix's owner zone), worked out from its records: the
/// frequency's days after the last interaction, or after the contact was
/// added.
fn due_today(cx: &Cx) -> BTreeSet<String> {
    let today = dex_guest::history::today_utc();
    cx.simulator
        .snapshot()
        .contacts
        .into_iter()
        .filter(|c| !c.is_archived && !c.never_keep_in_touch)
        .filter(|c| {
            let Some(every) = c
                .frequency
                .as_deref()
                .and_then(dex_guest::model::KeepInTouch::parse)
            else {
                return false;
            };
            let from = c.last_seen_at.as_deref().unwrap_or(&c.created_at);
            let from = dex_guest::history::day_of(from).expect("a readable day");
            from + chrono::Days::new(u64::from(every.days)) <= today
        })
        .map(|c| c.id)
        .collect()
}

async fn who_to_reach_out_to(cx: &Cx) {
    let arguments = json!({ "max_results": 100 });
    if refused_on_legacy(cx, "who_to_reach_out_to", arguments.clone()).await {
        return;
    }
    let due = cx.ok("who_to_reach_out_to", arguments).await;
    let expected = due_today(cx);
    assert!(!expected.is_empty(), "the seeded data has contacts due");
    assert_eq!(ids(&due["contacts"], "/contact/id"), expected, "{due:#}");
    assert_eq!(due["total"], json!(expected.len()));
    let first = &due["contacts"][0];
    assert!(first["days_overdue"].as_i64().unwrap() >= 0, "{first:#}");
    assert!(
        first["reasons"][0].as_str().unwrap().contains("catch-up"),
        "{first:#}"
    );
    // upcoming_reminders counts the same catch-ups for today.
    let upcoming = cx.ok("upcoming_reminders", json!({ "days": 0 })).await;
    assert_eq!(
        upcoming["keep_in_touch_total"],
        json!(expected.len()),
        "{upcoming:#}"
    );
    let bad = cx
        .failure("who_to_reach_out_to", json!({ "within_days": 400 }))
        .await;
    assert_error(&bad, "validation", -32004, Some("within_days"));
}

/// Every contact id of a paged contact list, following next_cursor.
async fn all_listed(cx: &Cx, tool: &'static str, arguments: Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut arguments = arguments;
    loop {
        let page = cx.ok(tool, arguments.clone()).await;
        let listed = ids(&page["contacts"], "/id");
        assert!(
            found.is_disjoint(&listed),
            "a contact on two pages: {page:#}"
        );
        found.extend(listed);
        match page["next_cursor"].as_str() {
            Some(cursor) => arguments["cursor"] = json!(cursor),
            None => break,
        }
    }
    found
}

async fn list_contacts(cx: &Cx) {
    if refused_on_legacy(cx, "list_contacts", json!({})).await {
        return;
    }
    let unarchived: BTreeSet<String> = cx
        .simulator
        .snapshot()
        .contacts
        .iter()
        .filter(|c| !c.is_archived)
        .map(|c| c.id.clone())
        .collect();
    let first = cx.ok("list_contacts", json!({ "limit": 7 })).await;
    assert_eq!(first["total"], json!(unarchived.len()), "{first:#}");
    assert_eq!(first["contacts"].as_array().unwrap().len(), 7);
    let listed = all_listed(cx, "list_contacts", json!({ "limit": 7 })).await;
    assert_eq!(listed, unarchived);
}

async fn filter_contacts(cx: &Cx) {
    if refused_on_legacy(cx, "filter_contacts", json!({ "starred": true })).await {
        return;
    }
    let data = cx.simulator.snapshot();
    let tag = data
        .contacts
        .iter()
        .find_map(|c| c.tags_contacts.first())
        .expect("a tagged contact")
        .tag
        .clone();
    let tagged: BTreeSet<String> = data
        .contacts
        .iter()
        .filter(|c| !c.is_archived && c.tags_contacts.iter().any(|t| t.tag.id == tag.id))
        .map(|c| c.id.clone())
        .collect();
    let by_name = all_listed(
        cx,
        "filter_contacts",
        json!({ "tag": tag.name.to_uppercase(), "limit": 10 }),
    )
    .await;
    assert_eq!(by_name, tagged, "tag {}", tag.name);
    let starred_born: BTreeSet<String> = data
        .contacts
        .iter()
        .filter(|c| !c.is_archived && c.starred && c.birthday.is_some())
        .map(|c| c.id.clone())
        .collect();
    let found = all_listed(
        cx,
        "filter_contacts",
        json!({ "starred": true, "has_birthday": true }),
    )
    .await;
    assert_eq!(found, starred_born);

    let before = dex_requests(&cx.simulator);
    let refused = cx
        .failure("filter_contacts", json!({ "created_from": "last March" }))
        .await;
    assert_error(&refused, "validation", -32004, Some("created_from"));
    let none = cx.failure("filter_contacts", json!({})).await;
    assert_error(&none, "validation", -32004, None);
    assert_eq!(dex_requests(&cx.simulator), before, "Dex was asked");
}
