//! A contact's notes and reminders as the history tools list them: each
//! with the people it is about and the moment it is placed at.
//!
//! A note sits at its event time; a reminder at its due time, else its due
//! day, else its next occurrence. Lists are newest first for notes and the
//! merged timeline, and soonest first for open reminders, because that is
//! the order an assistant reads them in ("what happened last", "what is
//! due next").

use std::cmp::Ordering;
use std::sync::Arc;

use chrono::NaiveDate;

use super::book::{ContactBook, ContactRef};
use super::dates::{day_of, instant_of};
use super::paging::{JsonSize, optional_size, text_size};
use crate::model::{ContactId, Note, Reminder, TextRef};
use crate::snapshot::Snapshot;

/// Characters of JSON a record spends on keys, braces and flags beyond
/// its texts.
const RECORD_FRAME_CHARS: usize = 80;

/// A note with the contacts it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteItem {
    /// The note.
    pub note: Arc<Note>,
    /// Its contacts, with names.
    pub contacts: Vec<ContactRef>,
}

impl NoteItem {
    /// When the note's event happened, in seconds since the epoch.
    pub fn instant(&self) -> Option<i64> {
        self.note.event_time().as_deref().and_then(instant_of)
    }

    /// The UTC day of the event.
    pub fn day(&self) -> Option<NaiveDate> {
        self.note.event_time().as_deref().and_then(day_of)
    }
}

/// A reminder with the contacts it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderItem {
    /// The reminder.
    pub reminder: Arc<Reminder>,
    /// Its contacts, with names.
    pub contacts: Vec<ContactRef>,
}

impl ReminderItem {
    /// The text the reminder is placed by: due time, due day, or next
    /// occurrence.
    fn due_stamp(&self) -> Option<TextRef<'_>> {
        let r = &self.reminder;
        r.due_time()
            .or_else(|| r.due_date())
            .or_else(|| r.next_occurrence_at())
    }

    /// When it is due, in seconds since the epoch.
    pub fn instant(&self) -> Option<i64> {
        self.due_stamp().as_deref().and_then(instant_of)
    }

    /// The day it is due. The due day wins over the due time's UTC day:
    /// it is the day the user picked in their own time zone.
    pub fn due_day(&self) -> Option<NaiveDate> {
        let r = &self.reminder;
        r.due_date()
            .as_deref()
            .and_then(day_of)
            .or_else(|| self.due_stamp().as_deref().and_then(day_of))
    }

    /// The day it is due on the owner's calendar: the due day as stored,
    /// else the owner's day of its due time or next occurrence (a moment
    /// late in the evening in California is the next day in UTC).
    pub fn due_day_in(&self, zone: &super::zone::OwnerZone) -> Option<NaiveDate> {
        let r = &self.reminder;
        r.due_date().as_deref().and_then(day_of).or_else(|| {
            self.due_stamp()
                .as_deref()
                .and_then(|stamp| zone.day_of(stamp))
        })
    }

    /// Not yet done.
    pub fn is_open(&self) -> bool {
        !self.reminder.complete
    }
}

/// One entry of the merged timeline.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryItem {
    /// A note.
    Note(NoteItem),
    /// A reminder.
    Reminder(ReminderItem),
}

impl HistoryItem {
    /// Where it sits on the timeline.
    pub fn instant(&self) -> Option<i64> {
        match self {
            HistoryItem::Note(n) => n.instant(),
            HistoryItem::Reminder(r) => r.instant(),
        }
    }

    /// The day it sits on.
    pub fn day(&self) -> Option<NaiveDate> {
        match self {
            HistoryItem::Note(n) => n.day(),
            HistoryItem::Reminder(r) => r.due_day(),
        }
    }

    fn id(&self) -> TextRef<'_> {
        match self {
            HistoryItem::Note(n) => n.note.id.as_text(),
            HistoryItem::Reminder(r) => r.reminder.id.as_text(),
        }
    }
}

fn refs_size(refs: &[ContactRef]) -> usize {
    refs.iter()
        .map(|r| text_size(&r.id) + optional_size(&r.full_name))
        .sum()
}

impl JsonSize for NoteItem {
    fn json_size(&self) -> usize {
        let n = &self.note;
        RECORD_FRAME_CHARS
            + text_size(&n.id.as_text())
            + text_size(&n.text)
            + n.event_time().as_deref().map_or(0, text_size)
            + n.note_type.as_deref().map_or(0, text_size)
            + refs_size(&self.contacts)
    }
}

impl JsonSize for ReminderItem {
    fn json_size(&self) -> usize {
        let r = &self.reminder;
        RECORD_FRAME_CHARS
            + text_size(&r.id.as_text())
            + text_size(&r.text)
            + r.due_date().as_deref().map_or(0, text_size)
            + r.due_time().as_deref().map_or(0, text_size)
            + optional_size(&r.recurrence)
            + r.last_completed_at().as_deref().map_or(0, text_size)
            + r.next_occurrence_at().as_deref().map_or(0, text_size)
            + refs_size(&self.contacts)
    }
}

impl JsonSize for HistoryItem {
    fn json_size(&self) -> usize {
        match self {
            HistoryItem::Note(n) => n.json_size(),
            HistoryItem::Reminder(r) => r.json_size(),
        }
    }
}

/// Latest first; undated last; ties by id so pages never shuffle. Each
/// side is a record's instant (seconds since the epoch) and id; every list
/// shown newest first orders by it, so pages cut from any of them stay put.
pub fn newest_first(a: (Option<i64>, &str), b: (Option<i64>, &str)) -> Ordering {
    match (a.0, b.0) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| a.1.cmp(b.1))
}

/// Every note about `id`, newest first.
pub fn notes_about(snapshot: &Snapshot, book: &ContactBook, id: &ContactId) -> Vec<NoteItem> {
    let mut notes: Vec<NoteItem> = snapshot
        .notes
        .iter()
        .filter(|n| n.is_about(id.as_str()))
        .map(|n| NoteItem {
            note: n.clone(),
            contacts: book.refs(&n.contact_ids),
        })
        .collect();
    notes.sort_by(|a, b| {
        newest_first(
            (a.instant(), &a.note.id.as_text()),
            (b.instant(), &b.note.id.as_text()),
        )
    });
    notes
}

/// Every reminder about `id` (also those shared with other contacts):
/// open ones soonest due first, then done ones most recent first.
pub fn reminders_about(
    snapshot: &Snapshot,
    book: &ContactBook,
    id: &ContactId,
) -> Vec<ReminderItem> {
    let mut reminders: Vec<ReminderItem> = snapshot
        .reminders
        .iter()
        .filter(|r| r.is_about(id.as_str()))
        .map(|r| ReminderItem {
            reminder: r.clone(),
            contacts: book.refs(&r.contact_ids),
        })
        .collect();
    reminders.sort_by(|a, b| {
        b.is_open().cmp(&a.is_open()).then_with(|| {
            if a.is_open() {
                soonest_first(a, b)
            } else {
                newest_first(
                    (a.instant(), &a.reminder.id.as_text()),
                    (b.instant(), &b.reminder.id.as_text()),
                )
            }
        })
    });
    reminders
}

/// Earliest due first; undated last; ties by id.
pub fn soonest_first(a: &ReminderItem, b: &ReminderItem) -> Ordering {
    match (a.instant(), b.instant()) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| a.reminder.id.cmp(&b.reminder.id))
}

/// Notes and reminders merged, newest first.
pub fn merged_newest_first(notes: Vec<NoteItem>, reminders: Vec<ReminderItem>) -> Vec<HistoryItem> {
    let mut items: Vec<HistoryItem> = notes
        .into_iter()
        .map(HistoryItem::Note)
        .chain(reminders.into_iter().map(HistoryItem::Reminder))
        .collect();
    items.sort_by(|a, b| newest_first((a.instant(), &a.id()), (b.instant(), &b.id())));
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Contact;

    fn snapshot() -> Snapshot {
        let note = |id: &str, at: Option<&str>, who: &[&str]| {
            Arc::new(Note {
                id: id.into(),
                text: format!("note {id}").into(),
                event_time: at.map(Into::into),
                contact_ids: who.iter().map(|w| (*w).into()).collect(),
                ..Note::default()
            })
        };
        let reminder = |id: &str, due: &str, done: bool, who: &[&str]| {
            Arc::new(Reminder {
                id: id.into(),
                text: format!("reminder {id}").into(),
                due_date: Some(due.into()),
                complete: done,
                contact_ids: who.iter().map(|w| (*w).into()).collect(),
                ..Reminder::default()
            })
        };
        Snapshot {
            contacts: ["a", "b"]
                .iter()
                .map(|id| {
                    Arc::new(Contact {
                        id: (*id).into(),
                        full_name: format!("Person {id}"),
                        ..Contact::default()
                    })
                })
                .collect(),
            notes: vec![
                note("n1", Some("2025-01-10T09:00:00Z"), &["a"]),
                note("n2", None, &["a"]),
                note("n3", Some("2025-03-01T09:00:00Z"), &["a", "b"]),
                note("n4", Some("2025-04-01T09:00:00Z"), &["b"]),
            ],
            reminders: vec![
                reminder("r1", "2025-05-01", false, &["a"]),
                reminder("r2", "2025-02-01", false, &["a", "b"]),
                reminder("r3", "2024-12-01", true, &["a"]),
                reminder("r4", "2025-01-01", true, &["a"]),
            ],
            ..Snapshot::default()
        }
    }

    fn id(raw: &str) -> ContactId {
        ContactId::parse("contact-id", raw).unwrap()
    }

    #[test]
    fn notes_are_newest_first_with_undated_ones_last() {
        let snapshot = snapshot();
        let book = ContactBook::new(&snapshot);
        let ids: Vec<_> = notes_about(&snapshot, &book, &id("a"))
            .into_iter()
            .map(|n| n.note.id.clone())
            .collect();
        assert_eq!(ids, ["n3", "n1", "n2"]);
    }

    #[test]
    fn a_reminder_shared_by_two_contacts_is_in_both_histories_naming_both() {
        let snapshot = snapshot();
        let book = ContactBook::new(&snapshot);
        let of_b = reminders_about(&snapshot, &book, &id("b"));
        assert_eq!(of_b.len(), 1);
        assert_eq!(of_b[0].reminder.id, "r2");
        let names: Vec<_> = of_b[0]
            .contacts
            .iter()
            .map(|c| c.full_name.clone().unwrap())
            .collect();
        assert_eq!(names, ["Person a", "Person b"]);
        assert!(
            reminders_about(&snapshot, &book, &id("a"))
                .iter()
                .any(|r| r.reminder.id == "r2")
        );
    }

    #[test]
    fn open_reminders_come_soonest_first_before_done_ones_newest_first() {
        let snapshot = snapshot();
        let book = ContactBook::new(&snapshot);
        let ids: Vec<_> = reminders_about(&snapshot, &book, &id("a"))
            .into_iter()
            .map(|r| r.reminder.id.clone())
            .collect();
        assert_eq!(ids, ["r2", "r1", "r4", "r3"]);
    }

    #[test]
    fn the_merged_timeline_interleaves_notes_and_reminders_by_date() {
        let snapshot = snapshot();
        let book = ContactBook::new(&snapshot);
        let a = id("a");
        let merged = merged_newest_first(
            notes_about(&snapshot, &book, &a),
            reminders_about(&snapshot, &book, &a),
        );
        let ids: Vec<_> = merged
            .iter()
            .map(|item| match item {
                HistoryItem::Note(n) => n.note.id.clone(),
                HistoryItem::Reminder(r) => r.reminder.id.clone(),
            })
            .collect();
        assert_eq!(ids, ["r1", "n3", "r2", "n1", "r4", "r3", "n2"]);
    }

    #[test]
    fn a_due_time_places_a_reminder_within_its_day() {
        let at = |time: &str| ReminderItem {
            reminder: Arc::new(Reminder {
                id: "r".into(),
                due_date: Some("2025-02-01".into()),
                due_time: Some(time.into()),
                ..Reminder::default()
            }),
            contacts: vec![],
        };
        assert!(at("2025-02-01T08:00:00Z").instant() < at("2025-02-01T17:00:00Z").instant());
        assert_eq!(
            at("2025-02-01T23:30:00-05:00").due_day(),
            NaiveDate::from_ymd_opt(2025, 2, 1)
        );
    }
}
