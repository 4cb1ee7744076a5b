//! v1's request bodies for writes, as `docs/dex-api.md` documents them:
//! `{"contacts": [...]}` to create contacts, the changed fields alone
//! (unwrapped) to update one, `{"note": {...}}` and `{"reminder": {...}}`
//! for notes and reminders (due days as midnight-UTC datetimes),
//! `{"contactIds": [[keep, dup, ...]]}` to merge.
//!
//! Only fields that are set are sent: a `null` would erase what Dex has,
//! and read-only fields (`id`, `created_at`) are refused by Dex. The
//! `null`s sent on purpose stop a reminder repeating and clear a contact's
//! keep-in-touch frequency when it is set to "never".

use serde_json::{Map, Value, json};

use crate::model::{
    ContactFields, ContactId, KeepInTouchChange, NewNote, NewReminder, NoteChanges,
    RecurrenceChange, ReminderChanges,
};

/// The v1 fields of a contact that `fields` sets.
pub fn contact_fields(fields: &ContactFields) -> Map<String, Value> {
    let mut out = Map::new();
    let texts = [
        ("first_name", &fields.first_name),
        ("last_name", &fields.last_name),
        ("job_title", &fields.job_title),
        ("company", &fields.company),
        ("description", &fields.description),
        ("website", &fields.website),
        ("birthday", &fields.birthday),
    ];
    for (key, value) in texts {
        if let Some(value) = value {
            out.insert(key.into(), json!(value));
        }
    }
    if let Some(emails) = &fields.emails {
        let list: Vec<Value> = emails
            .iter()
            .map(|e| json!({"email": e.email, "label": e.label}))
            .collect();
        out.insert("contact_emails".into(), Value::Array(list));
    }
    if let Some(phones) = &fields.phones {
        let list: Vec<Value> = phones
            .iter()
            .map(|p| json!({"phone_number": p.number, "label": p.label}))
            .collect();
        out.insert("contact_phone_numbers".into(), Value::Array(list));
    }
    for link in &fields.social_links {
        out.insert(link.network.field().into(), json!(link.url));
    }
    if let Some(starred) = fields.starred {
        out.insert("starred".into(), json!(starred));
    }
    if let Some(archived) = fields.archived {
        out.insert("is_archived".into(), json!(archived));
    }
    match fields.keep_in_touch {
        Some(KeepInTouchChange::Every(frequency)) => {
            out.insert("frequency".into(), json!(frequency.wire()));
            out.insert("never_keep_in_touch".into(), json!(false));
        }
        // The second `null` sent on purpose: no frequency stays set.
        Some(KeepInTouchChange::Never) => {
            out.insert("frequency".into(), Value::Null);
            out.insert("never_keep_in_touch".into(), json!(true));
        }
        None => {}
    }
    if let Some(seen) = &fields.last_seen_at {
        out.insert("last_seen_at".into(), json!(seen));
    }
    out
}

/// `POST /v1/contacts/`: a batch of one.
pub fn create_contact(fields: &ContactFields) -> Value {
    json!({ "contacts": [Value::Object(contact_fields(fields))] })
}

/// `PUT /v1/contacts/{id}`: the changed fields, unwrapped.
pub fn update_contact(changes: &ContactFields) -> Value {
    Value::Object(contact_fields(changes))
}

/// `POST /v1/contacts/merge`: one group, the kept contact first.
pub fn merge_contacts(keep: &ContactId, duplicates: &[ContactId]) -> Value {
    let group: Vec<&str> = std::iter::once(keep)
        .chain(duplicates)
        .map(ContactId::as_str)
        .collect();
    json!({ "contactIds": [group] })
}

/// `[{contact_id}, ...]`, the links of a note or reminder.
fn links(ids: &[ContactId]) -> Value {
    ids.iter()
        .map(|id| json!({ "contact_id": id.as_str() }))
        .collect()
}

/// `POST /v1/timeline/`.
pub fn create_note(note: &NewNote) -> Value {
    let mut fields = Map::new();
    fields.insert("note".into(), json!(note.text));
    if let Some(time) = &note.event_time {
        fields.insert("event_time".into(), json!(time));
    }
    if let Some(kind) = &note.note_type {
        fields.insert("meeting_type".into(), json!(kind));
    }
    fields.insert("timeline_items_contacts".into(), links(&note.contact_ids));
    json!({ "note": fields })
}

/// `PUT /v1/timeline/{id}`.
pub fn update_note(changes: &NoteChanges) -> Value {
    let mut fields = Map::new();
    if let Some(text) = &changes.text {
        fields.insert("note".into(), json!(text));
    }
    if let Some(time) = &changes.event_time {
        fields.insert("event_time".into(), json!(time));
    }
    if let Some(kind) = &changes.note_type {
        fields.insert("meeting_type".into(), json!(kind));
    }
    json!({ "note": fields })
}

/// A due day (`YYYY-MM-DD`, checked where it came in) as v1 is sent it:
/// midnight UTC of that day, `YYYY-MM-DDT00:00:00.000Z`. The reference's
/// example is a datetime and a public client run against live accounts
/// sends this form; readers take the calendar day back out of it
/// (`wire_records.rs`).
pub fn due_at_date(day: &str) -> String {
    format!("{day}T00:00:00.000Z")
}

/// `POST /v1/reminders/`.
pub fn create_reminder(reminder: &NewReminder) -> Value {
    let mut fields = Map::new();
    fields.insert("text".into(), json!(reminder.text));
    fields.insert("due_at_date".into(), json!(due_at_date(&reminder.due_date)));
    if let Some(time) = &reminder.due_time {
        fields.insert("due_at_time".into(), json!(time));
    }
    fields.insert("is_complete".into(), json!(false));
    if let Some(every) = reminder.recurrence {
        fields.insert("recurrence".into(), json!(every.as_str()));
    }
    fields.insert("reminders_contacts".into(), links(&reminder.contact_ids));
    json!({ "reminder": fields })
}

/// `PUT /v1/reminders/{id}`.
pub fn update_reminder(changes: &ReminderChanges) -> Value {
    let mut fields = Map::new();
    if let Some(text) = &changes.text {
        fields.insert("text".into(), json!(text));
    }
    if let Some(date) = &changes.due_date {
        fields.insert("due_at_date".into(), json!(due_at_date(date)));
    }
    if let Some(time) = &changes.due_time {
        fields.insert("due_at_time".into(), json!(time));
    }
    match changes.recurrence {
        Some(RecurrenceChange::Repeat(every)) => {
            fields.insert("recurrence".into(), json!(every.as_str()));
        }
        // Null is how a partial update clears a field; the reference does
        // not say so for `recurrence` (see docs/dex-api-generations.md).
        Some(RecurrenceChange::Stop) => {
            fields.insert("recurrence".into(), Value::Null);
        }
        None => {}
    }
    if let Some(done) = changes.complete {
        fields.insert("is_complete".into(), json!(done));
    }
    json!({ "reminder": fields })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EmailEntry, PhoneEntry, Recurrence, SocialLink, SocialNetwork};

    fn id(raw: &str) -> ContactId {
        ContactId::parse("id", raw).unwrap()
    }

    #[test]
    fn a_new_contact_is_wrapped_in_a_batch_with_v1_field_names() {
        let fields = ContactFields {
            first_name: Some("Ada".into()),
            company: Some("Engines".into()),
            emails: Some(vec![EmailEntry {
                email: "ada@x.org".into(),
                label: Some("work".into()),
            }]),
            phones: Some(vec![PhoneEntry {
                number: "+44 20 7946 0958".into(),
                label: None,
            }]),
            social_links: vec![SocialLink {
                network: SocialNetwork::Linkedin,
                url: "https://linkedin.com/in/ada".into(),
            }],
            archived: Some(false),
            ..ContactFields::default()
        };
        assert_eq!(
            create_contact(&fields),
            json!({"contacts": [{
                "first_name": "Ada",
                "company": "Engines",
                "contact_emails": [{"email": "ada@x.org", "label": "work"}],
                "contact_phone_numbers": [{"phone_number": "+44 20 7946 0958", "label": null}],
                "linkedin": "https://linkedin.com/in/ada",
                "is_archived": false,
            }]})
        );
    }

    #[test]
    fn a_contact_update_sends_only_the_changed_fields_unwrapped() {
        let changes = ContactFields {
            job_title: Some("CTO".into()),
            ..ContactFields::default()
        };
        assert_eq!(update_contact(&changes), json!({"job_title": "CTO"}));
    }

    #[test]
    fn keep_in_touch_is_sent_as_dex_interval_text_or_never() {
        let monthly = ContactFields {
            keep_in_touch: Some(KeepInTouchChange::Every(crate::model::Frequency::Monthly)),
            last_seen_at: Some("2026-12-07T10:00:00Z".into()),
            ..ContactFields::default()
        };
        assert_eq!(
            update_contact(&monthly),
            json!({"frequency": "1 mon", "never_keep_in_touch": false, "last_seen_at": "2026-12-07T10:00:00Z"})
        );
        let never = ContactFields {
            keep_in_touch: Some(KeepInTouchChange::Never),
            ..ContactFields::default()
        };
        assert_eq!(
            update_contact(&never),
            json!({"frequency": null, "never_keep_in_touch": true})
        );
    }

    #[test]
    fn a_merge_puts_the_kept_contact_first_in_one_group() {
        assert_eq!(
            merge_contacts(&id("keep"), &[id("d1"), id("d2")]),
            json!({"contactIds": [["keep", "d1", "d2"]]})
        );
    }

    #[test]
    fn a_note_links_every_contact_under_the_note_key() {
        let note = NewNote {
            text: "Lunch".into(),
            event_time: Some("2024-05-01".into()),
            note_type: Some("meal".into()),
            contact_ids: vec![id("c1"), id("c2")],
        };
        assert_eq!(
            create_note(&note),
            json!({"note": {
                "note": "Lunch",
                "event_time": "2024-05-01",
                "meeting_type": "meal",
                "timeline_items_contacts": [{"contact_id": "c1"}, {"contact_id": "c2"}],
            }})
        );
        let changes = NoteChanges {
            text: Some("Dinner".into()),
            ..NoteChanges::default()
        };
        assert_eq!(update_note(&changes), json!({"note": {"note": "Dinner"}}));
    }

    #[test]
    fn a_reminder_is_sent_open_under_the_reminder_key() {
        let reminder = NewReminder {
            text: "Call Ada".into(),
            due_date: "2024-06-01".into(),
            due_time: None,
            recurrence: Some(Recurrence::Biannually),
            contact_ids: vec![id("c1")],
        };
        assert_eq!(
            create_reminder(&reminder),
            json!({"reminder": {
                "text": "Call Ada",
                "due_at_date": "2024-06-01T00:00:00.000Z",
                "is_complete": false,
                "recurrence": "biannually",
                "reminders_contacts": [{"contact_id": "c1"}],
            }})
        );
        let done = ReminderChanges {
            complete: Some(true),
            ..ReminderChanges::default()
        };
        assert_eq!(
            update_reminder(&done),
            json!({"reminder": {"is_complete": true}})
        );
    }

    #[test]
    fn a_reminder_update_sets_its_recurrence_or_clears_it_with_null() {
        let monthly = ReminderChanges {
            recurrence: Some(RecurrenceChange::Repeat(Recurrence::Monthly)),
            ..ReminderChanges::default()
        };
        assert_eq!(
            update_reminder(&monthly),
            json!({"reminder": {"recurrence": "monthly"}})
        );
        let one_off = ReminderChanges {
            recurrence: Some(RecurrenceChange::Stop),
            ..ReminderChanges::default()
        };
        assert_eq!(
            update_reminder(&one_off),
            json!({"reminder": {"recurrence": null}})
        );
    }
}
