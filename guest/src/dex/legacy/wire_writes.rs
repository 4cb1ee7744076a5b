//! The legacy API's write bodies, and the refusals for what it cannot
//! store.
//!
//! Hasura wants each insert wrapped in its object's key (`contact`,
//! `timeline_event`, `reminder`) with related rows as nested inserts
//! (`{"data": [...]}`), and each update as `{"changes": {...}}`; flat bodies
//! are rejected. A reminder's text is written as `text`, never `title`.
//! Legacy contacts have no company, website, birthday, star, archive flag,
//! TikTok or YouTube link; reminders have no recurrence; notes have one
//! type, `note`. Asking for any of these is a validation error that names
//! the limitation, checked before anything is sent.

use serde_json::{Map, Value, json};

use crate::model::{
    ContactFields, ContactId, NewNote, NewReminder, NoteChanges, ReminderChanges, SocialNetwork,
    ToolError,
};

/// The only note type legacy writes.
const LEGACY_NOTE_TYPE: &str = "note";

fn unsupported(field: &str, what: &str) -> ToolError {
    ToolError::validation(
        field,
        format!(
            "the legacy Dex API (DEX_API_GENERATION=legacy) has no {what}; leave `{field}` out, or use the v1 API"
        ),
    )
}

/// Refuses the contact fields legacy cannot store.
pub fn check_contact_fields(fields: &ContactFields) -> Result<(), ToolError> {
    let absent = [
        ("company", fields.company.is_some(), "company field"),
        ("website", fields.website.is_some(), "website field"),
        (
            "birthday",
            fields.birthday.is_some(),
            "writable birthday (it only reads one back)",
        ),
        ("starred", fields.starred.is_some(), "starred flag"),
        ("archived", fields.archived.is_some(), "archived flag"),
        (
            "keep-in-touch",
            fields.keep_in_touch.is_some(),
            "keep-in-touch setting",
        ),
        (
            "last-seen-at",
            fields.last_seen_at.is_some(),
            "writable last-seen time",
        ),
    ];
    if let Some((field, _, what)) = absent.into_iter().find(|(_, set, _)| *set) {
        return Err(unsupported(field, what));
    }
    if let Some(link) = fields
        .social_links
        .iter()
        .find(|l| matches!(l.network, SocialNetwork::Tiktok | SocialNetwork::Youtube))
    {
        let field = format!("social-links.{}", link.network.field());
        return Err(unsupported(
            &field,
            &format!("{} link field", link.network.field()),
        ));
    }
    Ok(())
}

/// Refuses a note type other than legacy's one.
fn check_note_type(note_type: Option<&str>) -> Result<(), ToolError> {
    match note_type.map(str::trim) {
        None => Ok(()),
        Some(kind) if kind.eq_ignore_ascii_case(LEGACY_NOTE_TYPE) => Ok(()),
        Some(kind) => Err(unsupported(
            "note-type",
            &format!("note types other than `note` (asked for `{kind}`)"),
        )),
    }
}

/// Refuses a recurrence, which legacy reminders cannot have. Stopping one
/// is refused too: there is no field to clear, and every legacy reminder
/// is a one-off already.
fn check_no_recurrence(set: bool) -> Result<(), ToolError> {
    if set {
        return Err(unsupported(
            "recurrence",
            "recurring reminders (every reminder there is a one-off, so there is no recurrence to set or stop)",
        ));
    }
    Ok(())
}

/// The scalar contact fields, under legacy's names (the same as v1's).
fn contact_scalars(fields: &ContactFields) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in [
        ("first_name", &fields.first_name),
        ("last_name", &fields.last_name),
        ("job_title", &fields.job_title),
        ("description", &fields.description),
    ] {
        if let Some(value) = value {
            out.insert(key.into(), json!(value));
        }
    }
    for link in &fields.social_links {
        out.insert(link.network.field().into(), json!(link.url));
    }
    out
}

/// `{"contact": {..., contact_emails: {"data": [...]}, contact_phone_numbers:
/// {"data": [...]}}}`; call [`check_contact_fields`] first.
pub fn create_contact(fields: &ContactFields) -> Value {
    let mut contact = contact_scalars(fields);
    if let Some(emails) = fields.emails.as_ref().filter(|e| !e.is_empty()) {
        let rows: Vec<Value> = emails.iter().map(|e| json!({"email": e.email})).collect();
        contact.insert("contact_emails".into(), json!({ "data": rows }));
    }
    if let Some(phones) = fields.phones.as_ref().filter(|p| !p.is_empty()) {
        let rows: Vec<Value> = phones
            .iter()
            .map(|p| json!({"phone_number": p.number, "label": p.label}))
            .collect();
        contact.insert("contact_phone_numbers".into(), json!({ "data": rows }));
    }
    json!({ "contact": contact })
}

/// `{"contactId", "changes", "update_contact_emails", "contact_emails",
/// "update_contact_phone_numbers", "contact_phone_numbers"}`: a list is
/// replaced only when its flag is true, so lists the changes leave alone
/// are kept. Call [`check_contact_fields`] first.
pub fn update_contact(id: &ContactId, changes: &ContactFields) -> Value {
    let emails: Vec<Value> = changes
        .emails
        .iter()
        .flatten()
        .map(|e| json!({"contact_id": id.as_str(), "email": e.email}))
        .collect();
    let phones: Vec<Value> = changes
        .phones
        .iter()
        .flatten()
        .map(|p| json!({"contact_id": id.as_str(), "phone_number": p.number, "label": p.label}))
        .collect();
    json!({
        "contactId": id.as_str(),
        "changes": contact_scalars(changes),
        "update_contact_emails": changes.emails.is_some(),
        "contact_emails": emails,
        "update_contact_phone_numbers": changes.phones.is_some(),
        "contact_phone_numbers": phones,
    })
}

fn contact_links(ids: &[ContactId]) -> Value {
    let rows: Vec<Value> = ids
        .iter()
        .map(|id| json!({ "contact_id": id.as_str() }))
        .collect();
    json!({ "data": rows })
}

/// `{"timeline_event": {note, event_time, meeting_type: "note",
/// timeline_items_contacts: {"data": [{contact_id}]}}}`.
pub fn create_note(note: &NewNote) -> Result<Value, ToolError> {
    check_note_type(note.note_type.as_deref())?;
    let mut event = Map::new();
    event.insert("note".into(), json!(note.text));
    if let Some(time) = &note.event_time {
        event.insert("event_time".into(), json!(time));
    }
    event.insert("meeting_type".into(), json!(LEGACY_NOTE_TYPE));
    event.insert(
        "timeline_items_contacts".into(),
        contact_links(&note.contact_ids),
    );
    Ok(json!({ "timeline_event": event }))
}

/// `{"changes": {note, event_time}}`.
pub fn update_note(changes: &NoteChanges) -> Result<Value, ToolError> {
    check_note_type(changes.note_type.as_deref())?;
    let mut fields = Map::new();
    if let Some(text) = &changes.text {
        fields.insert("note".into(), json!(text));
    }
    if let Some(time) = &changes.event_time {
        fields.insert("event_time".into(), json!(time));
    }
    Ok(json!({ "changes": fields }))
}

/// `{"reminder": {text, is_complete, due_at_date, due_at_time,
/// reminders_contacts: {"data": [{contact_id}]}}}`.
pub fn create_reminder(reminder: &NewReminder) -> Result<Value, ToolError> {
    check_no_recurrence(reminder.recurrence.is_some())?;
    let mut fields = Map::new();
    fields.insert("text".into(), json!(reminder.text));
    fields.insert("is_complete".into(), json!(false));
    fields.insert("due_at_date".into(), json!(reminder.due_date));
    if let Some(time) = &reminder.due_time {
        fields.insert("due_at_time".into(), json!(time));
    }
    fields.insert(
        "reminders_contacts".into(),
        contact_links(&reminder.contact_ids),
    );
    Ok(json!({ "reminder": fields }))
}

/// `{"changes": {text, is_complete, due_at_date, due_at_time}}`.
pub fn update_reminder(changes: &ReminderChanges) -> Result<Value, ToolError> {
    check_no_recurrence(changes.recurrence.is_some())?;
    let mut fields = Map::new();
    if let Some(text) = &changes.text {
        fields.insert("text".into(), json!(text));
    }
    if let Some(done) = changes.complete {
        fields.insert("is_complete".into(), json!(done));
    }
    if let Some(date) = &changes.due_date {
        fields.insert("due_at_date".into(), json!(date));
    }
    if let Some(time) = &changes.due_time {
        fields.insert("due_at_time".into(), json!(time));
    }
    Ok(json!({ "changes": fields }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EmailEntry, PhoneEntry, Recurrence, RecurrenceChange, SocialLink};

    fn id(raw: &str) -> ContactId {
        ContactId::parse("id", raw).unwrap()
    }

    #[test]
    fn a_new_contact_nests_its_emails_and_phones_as_hasura_inserts() {
        let fields = ContactFields {
            first_name: Some("Ada".into()),
            emails: Some(vec![EmailEntry {
                email: "ada@x.org".into(),
                label: Some("work".into()),
            }]),
            phones: Some(vec![PhoneEntry {
                number: "+44 20".into(),
                label: None,
            }]),
            social_links: vec![SocialLink {
                network: SocialNetwork::Linkedin,
                url: "https://linkedin.com/in/ada".into(),
            }],
            ..ContactFields::default()
        };
        assert_eq!(
            create_contact(&fields),
            json!({"contact": {
                "first_name": "Ada",
                "linkedin": "https://linkedin.com/in/ada",
                "contact_emails": {"data": [{"email": "ada@x.org"}]},
                "contact_phone_numbers": {"data": [{"phone_number": "+44 20", "label": null}]},
            }})
        );
    }

    #[test]
    fn an_update_replaces_only_the_lists_it_sets() {
        let changes = ContactFields {
            job_title: Some("Analyst".into()),
            emails: Some(vec![EmailEntry {
                email: "new@x.org".into(),
                label: None,
            }]),
            ..ContactFields::default()
        };
        assert_eq!(
            update_contact(&id("c1"), &changes),
            json!({
                "contactId": "c1",
                "changes": {"job_title": "Analyst"},
                "update_contact_emails": true,
                "contact_emails": [{"contact_id": "c1", "email": "new@x.org"}],
                "update_contact_phone_numbers": false,
                "contact_phone_numbers": [],
            })
        );
    }

    #[test]
    fn fields_legacy_cannot_store_are_refused_by_name() {
        let company = ContactFields {
            company: Some("Engines Ltd".into()),
            ..ContactFields::default()
        };
        let err = check_contact_fields(&company).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("company"));
        assert!(err.message.contains("legacy"), "{}", err.message);
        let tiktok = ContactFields {
            social_links: vec![SocialLink {
                network: SocialNetwork::Tiktok,
                url: "@ada".into(),
            }],
            ..ContactFields::default()
        };
        assert_eq!(
            check_contact_fields(&tiktok).unwrap_err().field.as_deref(),
            Some("social_links.tiktok")
        );
        let starred = ContactFields {
            starred: Some(true),
            ..ContactFields::default()
        };
        assert!(check_contact_fields(&starred).is_err());
        assert!(
            check_contact_fields(&ContactFields {
                description: Some("ok".into()),
                ..ContactFields::default()
            })
            .is_ok()
        );
    }

    #[test]
    fn a_note_is_a_timeline_event_of_type_note_linked_by_nested_rows() {
        let note = NewNote {
            text: "Lunch".into(),
            event_time: None,
            note_type: Some("Note".into()),
            contact_ids: vec![id("c1"), id("c2")],
        };
        assert_eq!(
            create_note(&note).unwrap(),
            json!({"timeline_event": {
                "note": "Lunch",
                "meeting_type": "note",
                "timeline_items_contacts": {"data": [{"contact_id": "c1"}, {"contact_id": "c2"}]},
            }})
        );
        let coffee = NewNote {
            note_type: Some("coffee".into()),
            ..note
        };
        let err = create_note(&coffee).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("note_type"));
        assert!(err.message.contains("coffee"), "{}", err.message);
    }

    #[test]
    fn note_changes_are_wrapped_in_changes() {
        let changes = NoteChanges {
            text: Some("Dinner".into()),
            event_time: Some("2024-05-01".into()),
            note_type: None,
        };
        assert_eq!(
            update_note(&changes).unwrap(),
            json!({"changes": {"note": "Dinner", "event_time": "2024-05-01"}})
        );
    }

    #[test]
    fn a_reminder_is_written_with_text_never_title_or_body() {
        let reminder = NewReminder {
            text: "Call Ada".into(),
            due_date: "2024-06-01".into(),
            due_time: None,
            recurrence: None,
            contact_ids: vec![id("c1")],
        };
        assert_eq!(
            create_reminder(&reminder).unwrap(),
            json!({"reminder": {
                "text": "Call Ada",
                "is_complete": false,
                "due_at_date": "2024-06-01",
                "reminders_contacts": {"data": [{"contact_id": "c1"}]},
            }})
        );
        let monthly = NewReminder {
            recurrence: Some(Recurrence::Monthly),
            ..reminder
        };
        assert_eq!(
            create_reminder(&monthly).unwrap_err().field.as_deref(),
            Some("recurrence")
        );
    }

    #[test]
    fn reminder_changes_use_the_legacy_names() {
        let changes = ReminderChanges {
            complete: Some(true),
            due_date: Some("2024-07-01".into()),
            ..ReminderChanges::default()
        };
        assert_eq!(
            update_reminder(&changes).unwrap(),
            json!({"changes": {"is_complete": true, "due_at_date": "2024-07-01"}})
        );
        for recurrence in [
            RecurrenceChange::Repeat(Recurrence::Weekly),
            RecurrenceChange::Stop,
        ] {
            let changes = ReminderChanges {
                recurrence: Some(recurrence),
                ..ReminderChanges::default()
            };
            let err = update_reminder(&changes).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("recurrence"));
            assert!(err.message.contains("one-off"), "{}", err.message);
        }
    }
}
