//! v1's JSON shapes of notes (timeline items) and reminders.
//!
//! Like contacts (see `wire.rs`), every field is optional and unknown fields
//! are ignored. Field names follow `docs/dex-api.md`; where public
//! material is unsure, an alias accepts the other spelling seen:
//! - a note's contacts come as `timeline_items_contacts: [{contact_id}]`
//!   (what v1 writes take); the legacy read shape `contacts: [{contact_id}]`
//!   is accepted too, since no v1 list answer was observed directly;
//! - a reminder's text is `text` on v1 and `body` on legacy reads; its
//!   contacts are `reminders_contacts` (v1 writes) or `contact_ids` (legacy
//!   reads), both as `[{contact_id}]`.

use serde::Deserialize;

use crate::dex::wire_text::{distinct_ids, present, present_compact};
use crate::model::{CompactText, Note, Reminder, SharedName};

/// `{contact_id}`: one link from a note or reminder to a contact.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WireContactLink {
    contact_id: Option<String>,
}

/// A v1 timeline item.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WireNote {
    id: String,
    note: Option<String>,
    event_time: Option<String>,
    meeting_type: Option<String>,
    meeting_type_id: Option<String>,
    #[serde(alias = "contacts")]
    timeline_items_contacts: Option<Vec<WireContactLink>>,
}

/// A v1 reminder.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WireReminder {
    id: String,
    #[serde(alias = "body")]
    text: Option<String>,
    due_at_date: Option<String>,
    due_at_time: Option<String>,
    is_complete: Option<bool>,
    recurrence: Option<String>,
    last_completed_at: Option<String>,
    next_occurrence_at: Option<String>,
    #[serde(alias = "contact_ids")]
    reminders_contacts: Option<Vec<WireContactLink>>,
}

impl WireNote {
    /// Whether Dex sent the note's contacts at all.
    pub fn carries_links(&self) -> bool {
        self.timeline_items_contacts.is_some()
    }
}

impl WireReminder {
    /// Whether Dex sent the reminder's contacts at all.
    pub fn carries_links(&self) -> bool {
        self.reminders_contacts.is_some()
    }
}

fn contact_ids(links: Option<Vec<WireContactLink>>) -> Vec<CompactText> {
    distinct_ids(links.unwrap_or_default().into_iter().map(|l| l.contact_id))
}

impl From<WireNote> for Note {
    fn from(w: WireNote) -> Self {
        Note {
            id: w.id.into(),
            // The text keeps its inner layout; only the ends are trimmed.
            text: w.note.map(|t| t.trim().into()).unwrap_or_default(),
            event_time: present_compact(w.event_time),
            note_type: present(w.meeting_type).map(SharedName::from),
            note_type_id: present(w.meeting_type_id).map(SharedName::from),
            contact_ids: contact_ids(w.timeline_items_contacts),
        }
    }
}

/// A due day as Dex sent it, `YYYY-MM-DD` or a datetime (the reference's
/// example is `2023-11-07T05:31:56Z`; this client sends midnight UTC), as
/// the calendar day written in it: `2023-11-07`. The day is taken as
/// written rather than moved to UTC, since it is the day the user picked.
/// Text that starts with no date is kept as it came, so it is shown rather
/// than lost; the history tools then find no due day in it.
fn due_day(value: String) -> String {
    let day = value.get(..10).unwrap_or_default();
    let rest = value.get(10..).unwrap_or_default();
    let is_day = day.len() == 10
        && day.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if is_day && (rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
        day.to_owned()
    } else {
        value
    }
}

impl From<WireReminder> for Reminder {
    fn from(w: WireReminder) -> Self {
        Reminder {
            id: w.id.into(),
            text: w.text.map(|t| t.trim().into()).unwrap_or_default(),
            due_date: present(w.due_at_date).map(due_day).map(CompactText::from),
            due_time: present_compact(w.due_at_time),
            complete: w.is_complete.unwrap_or(false),
            recurrence: present(w.recurrence).map(|r| r.to_lowercase()),
            last_completed_at: present_compact(w.last_completed_at),
            next_occurrence_at: present_compact(w.next_occurrence_at),
            contact_ids: contact_ids(w.reminders_contacts),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_maps_documented_fields_and_ignores_unknown_ones() {
        let json = r#"{
            "id": "n1", "note": "  Coffee with Ada about engines ", "event_time": "2024-05-01T10:00:00Z",
            "meeting_type": "coffee", "meeting_type_id": "t3",
            "timeline_items_contacts": [{"contact_id": "c1"}, {"contact_id": "c2"}, {"contact_id": "c1"}],
            "created_at": "2024-05-01T11:00:00Z", "brand_new": [1, 2]
        }"#;
        let note: Note = serde_json::from_str::<WireNote>(json).unwrap().into();
        assert_eq!(&*note.text, "Coffee with Ada about engines");
        assert_eq!(note.note_type.as_deref(), Some("coffee"));
        assert_eq!(note.event_time().as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!(note.contact_ids, ["c1", "c2"]);
    }

    #[test]
    fn notes_decoded_from_dex_share_their_kind() {
        let decode =
            |json: &str| -> Note { serde_json::from_str::<WireNote>(json).unwrap().into() };
        let first = decode(r#"{"id":"n1","meeting_type":"coffee","meeting_type_id":"t3"}"#);
        let second = decode(r#"{"id":"n2","meeting_type":"coffee","meeting_type_id":"t3"}"#);
        let (a, b) = (first.note_type.unwrap(), second.note_type.unwrap());
        assert!(a.same_copy(&b), "one copy of `coffee`");
        assert!(
            first
                .note_type_id
                .unwrap()
                .same_copy(&second.note_type_id.unwrap())
        );
    }

    #[test]
    fn note_with_only_an_id_still_reads() {
        let note: Note = serde_json::from_str::<WireNote>(r#"{"id":"n2","note":null}"#)
            .unwrap()
            .into();
        assert_eq!(&*note.text, "");
        assert!(note.contact_ids.is_empty());
        assert_eq!(note.note_type, None);
    }

    #[test]
    fn reminder_maps_documented_fields() {
        let json = r#"{
            "id": "r1", "text": "Send Ada the paper", "due_at_date": "2024-06-01", "due_at_time": null,
            "is_complete": false, "recurrence": "Monthly", "last_completed_at": "2024-05-01T09:00:00Z",
            "next_occurrence_at": "2024-06-01T09:00:00Z", "reminders_contacts": [{"contact_id": "c1"}]
        }"#;
        let reminder: Reminder = serde_json::from_str::<WireReminder>(json).unwrap().into();
        assert_eq!(&*reminder.text, "Send Ada the paper");
        assert_eq!(reminder.due_date().as_deref(), Some("2024-06-01"));
        assert_eq!(reminder.due_time, None);
        assert_eq!(reminder.recurrence.as_deref(), Some("monthly"));
        assert_eq!(reminder.contact_ids, ["c1"]);
        assert!(!reminder.complete);
    }

    #[test]
    fn a_due_date_reads_as_its_day_whether_date_or_datetime() {
        let due = |raw: &str| {
            let json = serde_json::json!({"id": "r", "due_at_date": raw});
            Reminder::from(serde_json::from_value::<WireReminder>(json).unwrap())
                .due_date
                .map(String::from)
        };
        assert_eq!(due("2024-06-01").as_deref(), Some("2024-06-01"));
        assert_eq!(
            due("2024-06-01T00:00:00.000Z").as_deref(),
            Some("2024-06-01")
        );
        assert_eq!(due("2023-11-07T05:31:56Z").as_deref(), Some("2023-11-07"));
        assert_eq!(
            due("2026-03-05T00:00:00+13:00").as_deref(),
            Some("2026-03-05"),
            "the day as written, not its UTC day (the 4th)"
        );
        assert_eq!(due("2024-06-01 09:00").as_deref(), Some("2024-06-01"));
        assert_eq!(due("  ").as_deref(), None);
        assert_eq!(
            due("next week").as_deref(),
            Some("next week"),
            "kept, not lost"
        );
        assert_eq!(due("2024-6-1").as_deref(), Some("2024-6-1"));
    }

    #[test]
    fn reminder_accepts_the_legacy_read_spellings() {
        let json = r#"{"id": "r2", "body": "Call Bob", "is_complete": true, "contact_ids": [{"contact_id": "c9"}]}"#;
        let reminder: Reminder = serde_json::from_str::<WireReminder>(json).unwrap().into();
        assert_eq!(&*reminder.text, "Call Bob");
        assert!(reminder.complete);
        assert_eq!(reminder.contact_ids, ["c9"]);
    }
}
