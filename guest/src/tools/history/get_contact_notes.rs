//! `get-contact-notes`: what the user wrote about one person, newest
//! first, a page at a time.

use std::rc::Rc;

use super::shared_args;
use crate::account::Account;
use crate::history::{
    ANSWER_BUDGET_CHARS, ContactBook, NoteItem, Page, continuation, gaps_sentence, notes_about,
    page, require_readable,
};
use crate::model::{ContactId, ToolError};

/// The tool's name, also the tag of its cursors.
const TOOL: &str = "get-contact-notes";
/// Notes per page when the caller does not say.
pub const DEFAULT_NOTES_LIMIT: u32 = 20;
/// The most notes one page may ask for.
pub const MAX_NOTES_LIMIT: u32 = 100;

/// The arguments of `get-contact-notes`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactNotesArgs {
    /// The contact.
    pub contact_id: String,
    /// Notes per page.
    pub limit: Option<u32>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactNotes {
    /// This page of the contact's notes, newest first.
    pub notes: Page<NoteItem>,
    /// One sentence for the assistant.
    pub summary: String,
}

/// One page of the notes about the contact. The arguments are checked
/// before `account` is asked, so bad input costs no Dex request.
pub fn get_contact_notes(
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    args: &ContactNotesArgs,
) -> Result<ContactNotes, ToolError> {
    let id = ContactId::parse("contact-id", &args.contact_id)?;
    let limit = shared_args::limit(args.limit, DEFAULT_NOTES_LIMIT, MAX_NOTES_LIMIT)?;
    let start = shared_args::cursor(TOOL, args.cursor.as_deref())?;
    let account = account()?;
    let snapshot = &account.snapshot;
    require_readable(snapshot)?;
    let book = ContactBook::new(snapshot);
    let contact = book.contact(&id)?;
    let notes = page(
        notes_about(snapshot, &book, &id),
        start,
        limit,
        ANSWER_BUDGET_CHARS,
    );
    let summary = format!(
        "{} has {} notes; this page holds {}, newest first.{}{}",
        contact.full_name,
        notes.total,
        notes.items.len(),
        continuation(&notes, "notes"),
        gaps_sentence(snapshot)
    );
    Ok(ContactNotes { notes, summary })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Contact, ErrorKind, Note};
    use crate::snapshot::Snapshot;
    use crate::tools::history::shared_args::held;

    fn snapshot(notes: usize) -> Snapshot {
        Snapshot {
            contacts: vec![Arc::new(Contact {
                id: "ada".into(),
                full_name: "Ada Lovelace".into(),
                ..Contact::default()
            })],
            notes: (0..notes)
                .map(|i| {
                    Arc::new(Note {
                        id: format!("n{i:03}").into(),
                        text: "x".repeat(900).into(),
                        event_time: Some(format!("2025-01-{:02}T10:00:00Z", 1 + i % 28).into()),
                        contact_ids: vec!["ada".into()],
                        ..Note::default()
                    })
                })
                .collect(),
            ..Snapshot::default()
        }
    }

    fn args(cursor: Option<String>) -> ContactNotesArgs {
        ContactNotesArgs {
            contact_id: "ada".into(),
            limit: Some(100),
            cursor,
        }
    }

    #[test]
    fn long_histories_are_cut_near_the_budget_and_the_cursor_reaches_every_note() {
        let account = held(snapshot(60));
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let answer = get_contact_notes(&account, &args(cursor)).unwrap();
            assert!(answer.notes.items.len() < 60, "one page held every note");
            seen.extend(answer.notes.items.iter().map(|n| n.note.id.clone()));
            match answer.notes.next_cursor {
                Some(next) => {
                    assert!(answer.summary.contains("more notes follow"));
                    cursor = Some(next);
                }
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (60, 60));
    }

    #[test]
    fn an_unknown_contact_is_not_found() {
        let err = get_contact_notes(
            &held(snapshot(1)),
            &ContactNotesArgs {
                contact_id: "nobody".into(),
                ..ContactNotesArgs::default()
            },
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert!(err.message.contains("nobody"));
    }

    #[test]
    fn a_malformed_id_is_a_validation_error() {
        let err = get_contact_notes(
            &held(snapshot(1)),
            &ContactNotesArgs {
                contact_id: "../x".into(),
                ..ContactNotesArgs::default()
            },
        )
        .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("contact_id"));
    }
}
