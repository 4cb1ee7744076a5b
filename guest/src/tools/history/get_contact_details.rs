//! `get-contact-details`: everything an assistant needs before talking
//! about a person: the contact, what happened last, and what is open.

use std::rc::Rc;
use std::sync::Arc;

use crate::account::Account;
use crate::history::{
    ANSWER_BUDGET_CHARS, ContactBook, ContactRef, Cursor, NoteItem, ReminderItem, gaps_sentence,
    notes_about, page, reminders_about, require_readable,
};
use crate::model::{Contact, ContactId, ToolError};
use crate::tools::related_contacts::{RelatedReader, related_of};

/// How many of the latest notes come with the contact: enough to recall
/// the last conversations; get-contact-notes pages through the rest.
pub const RECENT_NOTES: usize = 5;
/// How many open reminders come with it, soonest due first.
pub const OPEN_REMINDERS: usize = 20;

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactDetails {
    /// The contact.
    pub contact: Arc<Contact>,
    /// The latest notes, newest first.
    pub recent_notes: Vec<NoteItem>,
    /// How many notes the contact has in all.
    pub note_count: usize,
    /// Open reminders, soonest due first.
    pub open_reminders: Vec<ReminderItem>,
    /// How many open reminders the contact has in all.
    pub open_reminder_count: usize,
    /// The contacts it is related to, named; `None` when Dex did not say.
    pub related: Option<Vec<ContactRef>>,
    /// One sentence for the assistant.
    pub summary: String,
}

/// The contact `contact_id` with its latest notes, open reminders and
/// related contacts (read with `read_related` when the account's list
/// left them out). The id is checked before `account` is asked, so bad
/// input costs no Dex request.
pub fn get_contact_details(
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    read_related: RelatedReader,
    contact_id: &str,
) -> Result<ContactDetails, ToolError> {
    let id = ContactId::parse("contact-id", contact_id)?;
    let account = account()?;
    let snapshot = &account.snapshot;
    require_readable(snapshot)?;
    let book = ContactBook::new(snapshot);
    let contact = book.contact(&id)?.clone();
    // Half the budget each, so a long note cannot crowd out the reminders.
    let notes = page(
        notes_about(snapshot, &book, &id),
        Cursor::start("get-contact-notes"),
        RECENT_NOTES,
        ANSWER_BUDGET_CHARS / 2,
    );
    let open: Vec<ReminderItem> = reminders_about(snapshot, &book, &id)
        .into_iter()
        .filter(ReminderItem::is_open)
        .collect();
    let reminders = page(
        open,
        Cursor::start("get-contact-reminders"),
        OPEN_REMINDERS,
        ANSWER_BUDGET_CHARS / 2,
    );
    let mut summary = format!(
        "{}: {} notes ({} latest shown) and {} open reminders ({} shown).",
        contact.full_name,
        notes.total,
        notes.items.len(),
        reminders.total,
        reminders.items.len()
    );
    if notes.next_cursor.is_some() {
        summary.push_str(" Use get_contact_notes or get_contact_history for older notes.");
    }
    if reminders.next_cursor.is_some() {
        summary.push_str(" Use get_contact_reminders for the other reminders.");
    }
    let (related, related_sentence) = related_of(&book, &contact, read_related);
    summary.push_str(&related_sentence);
    summary.push_str(&gaps_sentence(snapshot));
    Ok(ContactDetails {
        related,
        contact,
        note_count: notes.total,
        recent_notes: notes.items,
        open_reminder_count: reminders.total,
        open_reminders: reminders.items,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Note, Reminder};
    use crate::snapshot::Snapshot;
    use crate::tools::history::shared_args::held;

    fn snapshot() -> Snapshot {
        Snapshot {
            contacts: vec![Arc::new(Contact {
                id: "ada".into(),
                full_name: "Ada".into(),
                ..Contact::default()
            })],
            notes: (1..=8)
                .map(|day| {
                    Arc::new(Note {
                        id: format!("n{day}").into(),
                        event_time: Some(format!("2025-01-0{day}T10:00:00Z").into()),
                        contact_ids: vec!["ada".into()],
                        ..Note::default()
                    })
                })
                .collect(),
            reminders: vec![
                Arc::new(Reminder {
                    id: "open".into(),
                    contact_ids: vec!["ada".into()],
                    ..Reminder::default()
                }),
                Arc::new(Reminder {
                    id: "done".into(),
                    complete: true,
                    contact_ids: vec!["ada".into()],
                    ..Reminder::default()
                }),
            ],
            ..Snapshot::default()
        }
    }

    #[test]
    fn the_latest_notes_and_only_open_reminders_come_with_the_contact() {
        let bob = || {
            Ok(Some(vec![crate::model::RelatedContact {
                id: "bob".into(),
                name: Some("Bob".into()),
            }]))
        };
        let details = get_contact_details(&held(snapshot()), &|_| bob(), "ada").unwrap();
        assert_eq!(
            details.related.as_deref(),
            Some(
                &[ContactRef {
                    id: "bob".into(),
                    full_name: Some("Bob".into())
                }][..]
            )
        );
        let notes: Vec<_> = details
            .recent_notes
            .iter()
            .map(|n| n.note.id.as_text())
            .collect();
        assert_eq!(notes, ["n8", "n7", "n6", "n5", "n4"]);
        assert_eq!(details.note_count, 8);
        assert_eq!(details.open_reminders.len(), 1);
        assert_eq!(details.open_reminders[0].reminder.id, "open");
        assert!(
            details.summary.contains("older notes"),
            "{}",
            details.summary
        );
    }

    #[test]
    fn an_unknown_contact_is_not_found() {
        let err = get_contact_details(&held(snapshot()), &|_| Ok(None), "ghost").unwrap_err();
        assert_eq!(err.kind, crate::model::ErrorKind::NotFound);
    }
}
