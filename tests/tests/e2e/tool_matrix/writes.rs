//! The cases of the tools that write: each makes the records it changes
//! (through the tools, so the server's cached account sees them), checks
//! the simulator's copy, and reads the change back through another tool.

use std::collections::BTreeSet;

use dex_sim::AnswerShape;
use serde_json::{Value, json};

use super::custom_fields::{
    create_custom_field, delete_custom_field, set_custom_field_values, update_custom_field,
};
use super::labels::{
    add_to_group, create_group, create_tag, delete_group, delete_tag, remove_from_group,
    rename_tag, tag_contacts, untag_contacts, update_group,
};
use super::related::{relate_contacts, unrelate_contacts};
use super::{Case, Cx, assert_error, day, ids, refused_on_legacy};

/// The write cases (see the `cases!` macro in `mod.rs`).
pub const CASES: &[Case] = cases![
    create_contact,
    update_contact,
    delete_contact,
    merge_contacts,
    enrich_contact,
    add_contact_note,
    update_note,
    delete_note,
    create_contact_reminder,
    complete_reminder,
    update_reminder,
    delete_reminder,
    set_keep_in_touch,
    mark_kept_in_touch,
    create_tag,
    rename_tag,
    delete_tag,
    tag_contacts,
    untag_contacts,
    create_group,
    update_group,
    delete_group,
    add_to_group,
    remove_from_group,
    create_custom_field,
    update_custom_field,
    delete_custom_field,
    set_custom_field_values,
    archive_contacts,
    unarchive_contacts,
    star_contacts,
    unstar_contacts,
    delete_contacts,
    relate_contacts,
    unrelate_contacts,
];

/// The simulator's copy of a contact, note or reminder, if it still exists.
fn stored_contact(cx: &Cx, id: &str) -> Option<dex_sim::model::Contact> {
    cx.simulator
        .snapshot()
        .contacts
        .into_iter()
        .find(|c| c.id == id)
}

fn stored_note(cx: &Cx, id: &str) -> Option<dex_sim::model::Note> {
    cx.simulator
        .snapshot()
        .notes
        .into_iter()
        .find(|n| n.id == id)
}

fn stored_reminder(cx: &Cx, id: &str) -> Option<dex_sim::model::Reminder> {
    cx.simulator
        .snapshot()
        .reminders
        .into_iter()
        .find(|r| r.id == id)
}

/// Creates a contact through `create_contact` and returns its id.
async fn new_contact(cx: &Cx, fields: Value) -> String {
    let created = cx.ok("create_contact", fields).await;
    created["contact"]["id"].as_str().unwrap().to_owned()
}

/// Adds a note about `contact` through `add_contact_note`; returns its id.
async fn new_note(cx: &Cx, contact: &str, text: &str) -> String {
    let saved = cx
        .ok(
            "add_contact_note",
            json!({ "contact_ids": [contact], "text": text }),
        )
        .await;
    saved["note"]["id"].as_str().unwrap().to_owned()
}

/// Creates a one-off reminder about `contact` due in three days; returns
/// its id.
async fn new_reminder(cx: &Cx, contact: &str, text: &str) -> String {
    let saved = cx
        .ok(
            "create_contact_reminder",
            json!({ "contact_ids": [contact], "text": text, "due_date": day(3) }),
        )
        .await;
    saved["reminder"]["id"].as_str().unwrap().to_owned()
}

async fn create_contact(cx: &Cx) {
    let id = new_contact(
        cx,
        json!({
            "first_name": "Philippa",
            "last_name": "Quennell",
            "job_title": "Curator",
            "emails": [{ "email": "pq@orrery.example" }],
        }),
    )
    .await;
    let stored = stored_contact(cx, &id).expect("the contact is in Dex");
    assert_eq!(stored.last_name.as_deref(), Some("Quennell"));
    assert_eq!(stored.contact_emails[0].email, "pq@orrery.example");
    let found = cx
        .ok("find_contact", json!({ "name": "Philippa Quennell" }))
        .await;
    assert!(
        ids(&found["matches"], "/contact/id").contains(&id),
        "{:?}: {found:#}",
        cx.generation
    );
}

async fn update_contact(cx: &Cx) {
    let id = new_contact(
        cx,
        json!({ "first_name": "Rosalind", "last_name": "Vane", "job_title": "Curator" }),
    )
    .await;
    cx.ok(
        "update_contact",
        json!({ "contact_id": id, "job_title": "Head curator" }),
    )
    .await;
    let stored = stored_contact(cx, &id).unwrap();
    assert_eq!(stored.job_title.as_deref(), Some("Head curator"));
    let details = cx
        .ok("get_contact_details", json!({ "contact_id": id }))
        .await;
    assert_eq!(details["contact"]["job_title"], json!("Head curator"));
}

async fn enrich_contact(cx: &Cx) {
    let id = new_contact(
        cx,
        json!({
            "first_name": "Octavia",
            "last_name": "Lumley",
            "job_title": "Head curator",
            "emails": [{ "email": "ol@orrery.example" }],
        }),
    )
    .await;
    let enriched = cx
        .ok(
            "enrich_contact",
            json!({
                "contact_id": id,
                "emails": ["OL@Orrery.example", "octavia@lumley.example"],
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
        "emails=octavia@lumley.example".to_owned(),
        "description=Met at the orrery".to_owned(),
    ]);
    let mut ignored = BTreeSet::from(["job_title=Archivist".to_owned()]);
    // Legacy contacts have no company: reported, not silently dropped.
    if cx.legacy() {
        ignored.insert("company=Orrery Works".to_owned());
    } else {
        added.insert("company=Orrery Works".to_owned());
    }
    assert_eq!(report("added"), added, "{:?}: {enriched:#}", cx.generation);
    assert_eq!(
        report("already_present"),
        BTreeSet::from(["emails=OL@Orrery.example".to_owned()])
    );
    assert_eq!(
        report("ignored"),
        ignored,
        "{:?}: {enriched:#}",
        cx.generation
    );
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
    if cx.legacy() {
        assert!(
            reason_of("company").contains("legacy"),
            "the reason names the limitation: {enriched:#}"
        );
    }
    let stored = stored_contact(cx, &id).unwrap();
    let emails: BTreeSet<&str> = stored
        .contact_emails
        .iter()
        .map(|e| e.email.as_str())
        .collect();
    assert_eq!(
        emails,
        BTreeSet::from(["ol@orrery.example", "octavia@lumley.example"])
    );
    assert_eq!(stored.description.as_deref(), Some("Met at the orrery"));
    assert_eq!(stored.job_title.as_deref(), Some("Head curator"));
    if !cx.legacy() {
        assert_eq!(stored.company.as_deref(), Some("Orrery Works"));
    }
}

async fn delete_contact(cx: &Cx) {
    let id = new_contact(cx, json!({ "first_name": "Silas", "last_name": "Fenwick" })).await;
    let refused = cx
        .failure("delete_contact", json!({ "contact_id": id }))
        .await;
    assert_error(&refused, "confirmation_required", -32004, None);
    assert!(stored_contact(cx, &id).is_some(), "deleted unasked");
    cx.ok(
        "delete_contact",
        json!({ "contact_id": id, "confirm": true }),
    )
    .await;
    assert!(stored_contact(cx, &id).is_none());
    let found = cx
        .ok("find_contact", json!({ "name": "Silas Fenwick" }))
        .await;
    assert!(
        !ids(&found["matches"], "/contact/id").contains(&id),
        "{:?}: {found:#}",
        cx.generation
    );
}

async fn merge_contacts(cx: &Cx) {
    let older = new_contact(
        cx,
        json!({ "first_name": "Imogen", "last_name": "Thorne", "emails": [{ "email": "imogen@thorne.example" }] }),
    )
    .await;
    let newer = new_contact(
        cx,
        json!({ "first_name": "Immy", "last_name": "Thorne", "emails": [{ "email": "immy@thorne.example" }] }),
    )
    .await;
    // Asking to keep the newer record: the reference shape keeps the oldest
    // of the group whatever was asked, the older shape the first id; the
    // answer names the survivor either way. Legacy has no merge endpoint.
    let merge = json!({ "keep_id": newer, "duplicate_ids": [older], "confirm": true });
    if cx.legacy() {
        let refused = cx.failure("merge_contacts", merge).await;
        assert_error(&refused, "validation", -32004, None);
        assert!(stored_contact(cx, &older).is_some());
        return;
    }
    let merged = cx.ok("merge_contacts", merge).await;
    let (survivor, gone) = match cx.shape {
        AnswerShape::Reference => (older.clone(), newer.clone()),
        AnswerShape::Older => (newer.clone(), older.clone()),
    };
    assert_eq!(
        merged["contact"]["id"],
        json!(survivor),
        "{}: {merged:#}",
        cx.shape
    );
    assert_eq!(
        merged["removed_ids"],
        json!([gone]),
        "{}: {merged:#}",
        cx.shape
    );
    let summary = merged["summary"].as_str().unwrap();
    assert_eq!(
        summary.contains(&format!("not {newer} as asked")),
        cx.shape == AnswerShape::Reference,
        "{}: {summary}",
        cx.shape
    );
    assert!(stored_contact(cx, &gone).is_none());
    let kept = stored_contact(cx, &survivor).unwrap();
    let emails: BTreeSet<&str> = kept
        .contact_emails
        .iter()
        .map(|e| e.email.as_str())
        .collect();
    assert!(
        emails.contains("immy@thorne.example") && emails.contains("imogen@thorne.example"),
        "{}: {kept:?}",
        cx.shape
    );
    // The next reads see the survivor and not the record merged away.
    let details = cx
        .ok("get_contact_details", json!({ "contact_id": survivor }))
        .await;
    assert_eq!(details["contact"]["id"], json!(survivor), "{details:#}");
    let gone_now = cx
        .failure("get_contact_details", json!({ "contact_id": gone }))
        .await;
    assert_error(&gone_now, "not_found", -32001, None);
}

async fn add_contact_note(cx: &Cx) {
    let id = new_contact(cx, json!({ "first_name": "Cressida", "last_name": "Wren" })).await;
    let other = cx.simulator.snapshot().contacts[7].id.clone();
    // The account is read first, so the answer can name the contacts.
    cx.ok("find_contact", json!({ "name": "Cressida Wren" }))
        .await;
    let mut arguments = json!({
        "contact_ids": [id, other],
        "text": "Walked through the orrery collection together",
        "event_time": "2026-01-15",
    });
    if !cx.legacy() {
        arguments["note_type"] = json!("coffee");
    }
    let saved = cx.ok("add_contact_note", arguments).await;
    let note_id = saved["note"]["id"].as_str().unwrap().to_owned();
    // A write answers the same note record as the reads: its contacts by
    // id, named from the account already read.
    assert_eq!(
        ids(&saved["note"]["contacts"], "/id"),
        BTreeSet::from([id.clone(), other.clone()]),
        "{saved:#}"
    );
    let names = ids(&saved["note"]["contacts"], "/full_name");
    assert!(
        names.len() == 2 && names.contains("Cressida Wren"),
        "{saved:#}"
    );
    let stored = stored_note(cx, &note_id).expect("the note is in Dex");
    let linked: BTreeSet<&str> = stored
        .timeline_items_contacts
        .iter()
        .map(|l| l.contact_id.as_str())
        .collect();
    assert_eq!(linked, BTreeSet::from([id.as_str(), other.as_str()]));
    assert!(stored.event_time.starts_with("2026-01-15"), "{stored:?}");
    let notes = cx
        .ok("get_contact_notes", json!({ "contact_id": id }))
        .await;
    assert_eq!(ids(&notes["notes"], "/id"), BTreeSet::from([note_id]));
}

async fn update_note(cx: &Cx) {
    let id = new_contact(
        cx,
        json!({ "first_name": "Bartholomew", "last_name": "Ashe" }),
    )
    .await;
    let note_id = new_note(cx, &id, "Walked through the orrery").await;
    cx.ok(
        "update_note",
        json!({ "note_id": note_id, "text": "Walked through the orrery, then the archive" }),
    )
    .await;
    assert_eq!(
        stored_note(cx, &note_id).unwrap().note,
        "Walked through the orrery, then the archive"
    );
    let notes = cx
        .ok("get_contact_notes", json!({ "contact_id": id }))
        .await;
    assert_eq!(
        notes["notes"][0]["text"],
        json!("Walked through the orrery, then the archive"),
        "{notes:#}"
    );
}

async fn delete_note(cx: &Cx) {
    let id = new_contact(
        cx,
        json!({ "first_name": "Ottoline", "last_name": "Marsh" }),
    )
    .await;
    let note_id = new_note(cx, &id, "Met at the orrery").await;
    let refused = cx
        .failure("delete_note", json!({ "note_id": note_id }))
        .await;
    assert_error(&refused, "confirmation_required", -32004, None);
    assert!(stored_note(cx, &note_id).is_some(), "deleted unasked");
    cx.ok(
        "delete_note",
        json!({ "note_id": note_id, "confirm": true }),
    )
    .await;
    assert!(stored_note(cx, &note_id).is_none());
    let notes = cx
        .ok("get_contact_notes", json!({ "contact_id": id }))
        .await;
    assert_eq!(notes["total"], json!(0), "{notes:#}");
}

async fn create_contact_reminder(cx: &Cx) {
    let id = new_contact(
        cx,
        json!({ "first_name": "Peregrine", "last_name": "Holt" }),
    )
    .await;
    let mut arguments = json!({
        "contact_ids": [id],
        "text": "Send Peregrine the orrery photos",
        "due_date": day(3),
    });
    if !cx.legacy() {
        arguments["recurrence"] = json!("monthly");
    }
    let saved = cx.ok("create_contact_reminder", arguments).await;
    let reminder_id = saved["reminder"]["id"].as_str().unwrap().to_owned();
    if !cx.legacy() {
        assert_eq!(
            saved["reminder"]["recurrence"],
            json!("monthly"),
            "{saved:#}"
        );
    }
    assert_eq!(
        ids(&saved["reminder"]["contacts"], "/id"),
        BTreeSet::from([id.clone()]),
        "{saved:#}"
    );
    let stored = stored_reminder(cx, &reminder_id).expect("the reminder is in Dex");
    assert_eq!(stored.text, "Send Peregrine the orrery photos");
    assert_eq!(stored.recurrence.is_some(), !cx.legacy());
    let coming = cx
        .ok(
            "upcoming_reminders",
            json!({ "days": 7, "include_overdue": false }),
        )
        .await;
    assert!(ids(&coming["reminders"], "/reminder/id").contains(&reminder_id));
}

async fn update_reminder(cx: &Cx) {
    let id = new_contact(cx, json!({ "first_name": "Araminta", "last_name": "Cole" })).await;
    let mut arguments = json!({
        "contact_ids": [id],
        "text": "Send Araminta the photos",
        "due_date": day(3),
    });
    if !cx.legacy() {
        arguments["recurrence"] = json!("monthly");
    }
    let saved = cx.ok("create_contact_reminder", arguments).await;
    let reminder_id = saved["reminder"]["id"].as_str().unwrap().to_owned();
    cx.ok("update_reminder",
        json!({ "reminder_id": reminder_id, "text": "Send Araminta the prints", "due_date": day(5) }),
    )
    .await;
    let stored = stored_reminder(cx, &reminder_id).unwrap();
    assert_eq!(stored.text, "Send Araminta the prints");
    assert_eq!(stored.due_at_date, Some(day(5)));

    // Stopping the repetition: v1 clears it; legacy has none to stop.
    let stop = json!({ "reminder_id": reminder_id, "recurrence": "none" });
    if cx.legacy() {
        let refused = cx.failure("update_reminder", stop).await;
        assert_error(&refused, "validation", -32004, Some("recurrence"));
    } else {
        let saved = cx.ok("update_reminder", stop).await;
        assert!(
            saved["reminder"]
                .get("recurrence")
                .is_none_or(Value::is_null),
            "{saved:#}"
        );
        assert_eq!(stored_reminder(cx, &reminder_id).unwrap().recurrence, None);
    }
}

async fn complete_reminder(cx: &Cx) {
    let id = new_contact(cx, json!({ "first_name": "Leopold", "last_name": "Finch" })).await;
    let reminder_id = new_reminder(cx, &id, "Return Leopold's book").await;
    let done = cx
        .ok("complete_reminder", json!({ "reminder_id": reminder_id }))
        .await;
    assert_eq!(
        done["reminder"]["complete"],
        json!(true),
        "a one-off stays done"
    );
    assert!(stored_reminder(cx, &reminder_id).unwrap().is_complete);
    let open = cx
        .ok("get_contact_reminders", json!({ "contact_id": id }))
        .await;
    assert_eq!(open["total"], json!(0), "{open:#}");
}

async fn delete_reminder(cx: &Cx) {
    let id = new_contact(
        cx,
        json!({ "first_name": "Henrietta", "last_name": "Pike" }),
    )
    .await;
    let reminder_id = new_reminder(cx, &id, "Call Henrietta").await;
    let refused = cx
        .failure("delete_reminder", json!({ "reminder_id": reminder_id }))
        .await;
    assert_error(&refused, "confirmation_required", -32004, None);
    assert!(
        stored_reminder(cx, &reminder_id).is_some(),
        "deleted unasked"
    );
    cx.ok(
        "delete_reminder",
        json!({ "reminder_id": reminder_id, "confirm": true }),
    )
    .await;
    assert!(stored_reminder(cx, &reminder_id).is_none());
    let all = cx
        .ok(
            "get_contact_reminders",
            json!({ "contact_id": id, "status": "all" }),
        )
        .await;
    assert_eq!(all["total"], json!(0), "{all:#}");
}

async fn set_keep_in_touch(cx: &Cx) {
    if refused_on_legacy(
        cx,
        "set_keep_in_touch",
        json!({ "contact_id": "any", "frequency": "monthly" }),
    )
    .await
    {
        return;
    }
    let id = new_contact(cx, json!({ "first_name": "Imogen", "last_name": "Sallow" })).await;
    let set = cx
        .ok(
            "set_keep_in_touch",
            json!({ "contact_id": id, "frequency": "every_six_weeks" }),
        )
        .await;
    assert_eq!(set["keep_in_touch"]["every_days"], json!(42), "{set:#}");
    let stored = stored_contact(cx, &id).unwrap();
    assert_eq!(stored.frequency.as_deref(), Some("42 days"));
    assert!(!stored.never_keep_in_touch);
    let details = cx
        .ok("get_contact_details", json!({ "contact_id": id }))
        .await;
    assert_eq!(
        details["contact"]["keep_in_touch"]["frequency"],
        json!("every_six_weeks"),
        "the cached account saw the write"
    );

    let never = cx
        .ok(
            "set_keep_in_touch",
            json!({ "contact_id": id, "frequency": "never" }),
        )
        .await;
    assert_eq!(never["never_keep_in_touch"], json!(true), "{never:#}");
    assert!(never.get("next_due_on").is_none(), "{never:#}");
    let stored = stored_contact(cx, &id).unwrap();
    assert_eq!(stored.frequency, None);
    assert!(stored.never_keep_in_touch);
}

async fn mark_kept_in_touch(cx: &Cx) {
    if refused_on_legacy(cx, "mark_kept_in_touch", json!({ "contact_id": "any" })).await {
        return;
    }
    let id = new_contact(cx, json!({ "first_name": "Cosmo", "last_name": "Prynne" })).await;
    cx.ok(
        "set_keep_in_touch",
        json!({ "contact_id": id, "frequency": "weekly" }),
    )
    .await;
    let week_ago = dex_guest::history::today_utc() - chrono::Days::new(8);
    let marked = cx
        .ok(
            "mark_kept_in_touch",
            json!({ "contact_id": id, "on": week_ago.to_string() }),
        )
        .await;
    let stored = stored_contact(cx, &id).unwrap();
    assert_eq!(
        stored.last_seen_at.as_deref(),
        Some(format!("{week_ago}T12:00:00Z").as_str())
    );
    assert_eq!(
        marked["next_due_on"],
        json!((week_ago + chrono::Days::new(7)).to_string()),
        "{marked:#}"
    );
    // Seen eight days ago on a weekly frequency: due, and listed.
    let due = cx
        .ok("who_to_reach_out_to", json!({ "max_results": 100 }))
        .await;
    assert!(
        ids(&due["contacts"], "/contact/id").contains(&id),
        "{due:#}"
    );

    // Kept in touch today: no longer due.
    cx.ok("mark_kept_in_touch", json!({ "contact_id": id }))
        .await;
    let due = cx
        .ok("who_to_reach_out_to", json!({ "max_results": 100 }))
        .await;
    assert!(
        !ids(&due["contacts"], "/contact/id").contains(&id),
        "{due:#}"
    );
    let tomorrow = (dex_guest::history::today_utc() + chrono::Days::new(1)).to_string();
    let future = cx
        .failure(
            "mark_kept_in_touch",
            json!({ "contact_id": id, "on": tomorrow }),
        )
        .await;
    assert_error(&future, "validation", -32004, Some("on"));
}

/// Two new contacts of one company (so filter_contacts finds just them),
/// for the batch cases.
async fn new_pair(cx: &Cx, company: &str) -> [String; 2] {
    let mut made = Vec::new();
    for first in ["Ottilie", "Bram"] {
        let mut fields = json!({ "first_name": first, "last_name": "Quarrington" });
        if !cx.legacy() {
            fields["company"] = json!(company);
        }
        made.push(new_contact(cx, fields).await);
    }
    [made[0].clone(), made[1].clone()]
}

/// On legacy, asserts that the batch `tool` is refused before any request
/// to Dex and that nothing changed; says whether it was.
async fn batch_refused_on_legacy(cx: &Cx, tool: &'static str, ids: &[String]) -> bool {
    refused_on_legacy(cx, tool, json!({ "contact_ids": ids, "confirm": true })).await
}

/// The ids filter_contacts lists for `filter`, read back through the
/// server's kept account.
async fn filtered(cx: &Cx, filter: Value) -> BTreeSet<String> {
    let page = cx.ok("filter_contacts", filter).await;
    assert!(page["next_cursor"].is_null(), "{page:#}");
    ids(&page["contacts"], "/id")
}

/// Sets a flag on the pair through `tool` and checks each outcome and the
/// simulator's copy.
async fn flag_pair(
    cx: &Cx,
    tool: &'static str,
    pair: &[String; 2],
    stored: fn(&dex_sim::model::Contact) -> bool,
    expected: bool,
) {
    let done = cx
        .ok(tool, json!({ "contact_ids": [pair[0], pair[1], pair[0]] }))
        .await;
    assert_eq!(done["done"], json!(2), "{done:#}");
    assert_eq!(
        ids(&done["outcomes"], "/contact_id"),
        pair.iter().cloned().collect()
    );
    for id in pair {
        assert_eq!(
            stored(&stored_contact(cx, id).unwrap()),
            expected,
            "{tool} {id}"
        );
    }
}

async fn archive_contacts(cx: &Cx) {
    let pair = new_pair(cx, "Archivale Ltd").await;
    if batch_refused_on_legacy(cx, "archive_contacts", &pair).await {
        return;
    }
    // More than 20 at once needs confirm and the count: refused unasked.
    let many: Vec<String> = cx
        .simulator
        .snapshot()
        .contacts
        .iter()
        .take(21)
        .map(|c| c.id.clone())
        .collect();
    let before = dex_mcp_tests::dex_requests(&cx.simulator);
    let refused = cx
        .failure("archive_contacts", json!({ "contact_ids": many }))
        .await;
    assert_error(&refused, "confirmation_required", -32004, Some("confirm"));
    let miscounted = cx
        .failure(
            "archive_contacts",
            json!({ "contact_ids": many, "confirm": true, "expected_count": 20 }),
        )
        .await;
    assert_error(&miscounted, "validation", -32004, Some("expected_count"));
    assert_eq!(dex_mcp_tests::dex_requests(&cx.simulator), before);

    flag_pair(cx, "archive_contacts", &pair, |c| c.is_archived, true).await;
    let company = json!({ "company": "Archivale" });
    assert!(filtered(cx, company.clone()).await.is_empty());
    let archived = filtered(cx, json!({ "company": "Archivale", "archived": true })).await;
    assert_eq!(archived, pair.iter().cloned().collect());
}

async fn unarchive_contacts(cx: &Cx) {
    let pair = new_pair(cx, "Unarchivale Ltd").await;
    if batch_refused_on_legacy(cx, "unarchive_contacts", &pair).await {
        return;
    }
    flag_pair(cx, "archive_contacts", &pair, |c| c.is_archived, true).await;
    flag_pair(cx, "unarchive_contacts", &pair, |c| c.is_archived, false).await;
    let back = filtered(cx, json!({ "company": "Unarchivale" })).await;
    assert_eq!(back, pair.iter().cloned().collect());
}

async fn star_contacts(cx: &Cx) {
    let pair = new_pair(cx, "Starling Ltd").await;
    if batch_refused_on_legacy(cx, "star_contacts", &pair).await {
        return;
    }
    flag_pair(cx, "star_contacts", &pair, |c| c.starred, true).await;
    let starred = filtered(cx, json!({ "company": "Starling", "starred": true })).await;
    assert_eq!(starred, pair.iter().cloned().collect());
}

async fn unstar_contacts(cx: &Cx) {
    let pair = new_pair(cx, "Unstarling Ltd").await;
    if batch_refused_on_legacy(cx, "unstar_contacts", &pair).await {
        return;
    }
    flag_pair(cx, "star_contacts", &pair, |c| c.starred, true).await;
    flag_pair(cx, "unstar_contacts", &pair, |c| c.starred, false).await;
    let starred = filtered(cx, json!({ "company": "Unstarling", "starred": true })).await;
    assert!(starred.is_empty());
}

async fn delete_contacts(cx: &Cx) {
    let pair = new_pair(cx, "Deletia Ltd").await;
    if batch_refused_on_legacy(cx, "delete_contacts", &pair).await {
        return;
    }
    let shared = cx
        .ok(
            "add_contact_note",
            json!({ "contact_ids": pair, "text": "Met both Quarringtons at the fair" }),
        )
        .await;
    let note = shared["note"]["id"].as_str().unwrap().to_owned();
    let asked = cx
        .failure("delete_contacts", json!({ "contact_ids": pair }))
        .await;
    assert_error(&asked, "confirmation_required", -32004, Some("confirm"));
    assert!(
        asked["message"]
            .as_str()
            .unwrap()
            .contains("1 note and 0 reminders linked only"),
        "{asked:#}"
    );
    assert!(stored_contact(cx, &pair[0]).is_some(), "deleted unasked");
    let done = cx
        .ok(
            "delete_contacts",
            json!({ "contact_ids": pair, "confirm": true }),
        )
        .await;
    assert_eq!(done["done"], json!(2), "{done:#}");
    for id in &pair {
        assert!(stored_contact(cx, id).is_none());
    }
    assert!(stored_note(cx, &note).is_none());
    assert!(
        filtered(cx, json!({ "company": "Deletia" }))
            .await
            .is_empty()
    );
}
