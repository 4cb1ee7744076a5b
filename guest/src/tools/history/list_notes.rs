//! `list-notes`: every note of the account, newest first, optionally of
//! one contact and within dates, a page at a time. It answers "what did I
//! write down last week" without knowing whom about.

use std::rc::Rc;

use super::shared_args::{self, DayWindow};
use crate::account::Account;
use crate::history::{
    ANSWER_BUDGET_CHARS, ContactBook, NoteItem, Page, continuation, gaps_sentence, newest_first,
    page, require_readable,
};
use crate::model::{ContactId, ToolError};

/// The tool's name, also the tag of its cursors.
const TOOL: &str = "list-notes";
/// Notes per page when the caller does not say.
pub const DEFAULT_LIST_NOTES_LIMIT: u32 = 20;
/// The most notes one page may ask for.
pub const MAX_LIST_NOTES_LIMIT: u32 = 100;
/// What `list-notes` says it cannot do on the legacy API.
pub const LIST_NOTES_NEEDS: &str = "list_notes (listing the notes of the whole account)";

/// The arguments of `list-notes`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListNotesArgs {
    /// Only notes about this contact.
    pub contact_id: Option<String>,
    /// First day included, `YYYY-MM-DD`.
    pub date_from: Option<String>,
    /// Last day included, `YYYY-MM-DD`.
    pub date_to: Option<String>,
    /// Notes per page.
    pub limit: Option<u32>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteList {
    /// This page of the notes, newest first.
    pub notes: Page<NoteItem>,
    /// One sentence for the assistant.
    pub summary: String,
}

/// One page of the account's notes that pass the filters. The arguments
/// are checked before `account` is asked, so bad input costs no request.
pub fn list_notes(
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    args: &ListNotesArgs,
) -> Result<NoteList, ToolError> {
    let contact_id = args
        .contact_id
        .as_deref()
        .map(|raw| ContactId::parse("contact-id", raw))
        .transpose()?;
    let window = DayWindow::parse(args.date_from.as_deref(), args.date_to.as_deref())?;
    let limit = shared_args::limit(args.limit, DEFAULT_LIST_NOTES_LIMIT, MAX_LIST_NOTES_LIMIT)?;
    let start = shared_args::cursor(TOOL, args.cursor.as_deref())?;
    let account = account()?;
    let snapshot = &account.snapshot;
    require_readable(snapshot)?;
    let book = ContactBook::new(snapshot);
    let about = contact_id
        .as_ref()
        .map(|id| book.contact(id))
        .transpose()?
        .map(|c| format!(" about {}", c.full_name))
        .unwrap_or_default();
    let mut notes: Vec<NoteItem> = snapshot
        .notes
        .iter()
        .filter(|n| contact_id.as_ref().is_none_or(|id| n.is_about(id.as_str())))
        .map(|n| NoteItem {
            note: n.clone(),
            contacts: book.refs(&n.contact_ids),
        })
        .filter(|item| window.holds(item.day()))
        .collect();
    notes.sort_by(|a, b| {
        newest_first(
            (a.instant(), &a.note.id.as_text()),
            (b.instant(), &b.note.id.as_text()),
        )
    });
    let notes = page(notes, start, limit, ANSWER_BUDGET_CHARS);
    let summary = format!(
        "{} notes{about}{}; this page holds {}, newest first.{}{}",
        notes.total,
        window.phrase(),
        notes.items.len(),
        continuation(&notes, "notes"),
        gaps_sentence(snapshot)
    );
    Ok(NoteList { notes, summary })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Contact, ErrorKind, Note};
    use crate::snapshot::Snapshot;
    use crate::tools::history::shared_args::{counted, held};

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
        Snapshot {
            contacts: [("ada", "Ada Lovelace"), ("bob", "Bob Babbage")]
                .iter()
                .map(|(id, name)| {
                    Arc::new(Contact {
                        id: (*id).into(),
                        full_name: (*name).into(),
                        ..Contact::default()
                    })
                })
                .collect(),
            notes: vec![
                note("jan", Some("2025-01-10T09:00:00Z"), &["ada"]),
                note("undated", None, &["bob"]),
                note("mar", Some("2025-03-01T09:00:00Z"), &["ada", "bob"]),
                note("apr", Some("2025-04-01T09:00:00Z"), &["bob"]),
            ],
            ..Snapshot::default()
        }
    }

    fn ids(args: ListNotesArgs) -> Vec<String> {
        list_notes(&held(snapshot()), &args)
            .unwrap()
            .notes
            .items
            .into_iter()
            .map(|n| n.note.id.to_string())
            .collect()
    }

    #[test]
    fn every_note_of_the_account_comes_newest_first_with_undated_ones_last() {
        assert_eq!(
            ids(ListNotesArgs::default()),
            ["apr", "mar", "jan", "undated"]
        );
    }

    #[test]
    fn a_contact_keeps_the_notes_about_them_shared_ones_included() {
        let of_ada = ListNotesArgs {
            contact_id: Some("ada".into()),
            ..ListNotesArgs::default()
        };
        assert_eq!(ids(of_ada.clone()), ["mar", "jan"]);
        let answer = list_notes(&held(snapshot()), &of_ada).unwrap();
        assert!(
            answer.summary.contains("about Ada Lovelace"),
            "{}",
            answer.summary
        );
    }

    #[test]
    fn dates_include_both_ends_and_drop_undated_notes() {
        let window = ListNotesArgs {
            date_from: Some("2025-01-10".into()),
            date_to: Some("2025-03-01".into()),
            ..ListNotesArgs::default()
        };
        assert_eq!(ids(window), ["mar", "jan"]);
        let of_bob_since_march = ListNotesArgs {
            contact_id: Some("bob".into()),
            date_from: Some("2025-03-02".into()),
            ..ListNotesArgs::default()
        };
        assert_eq!(ids(of_bob_since_march), ["apr"]);
    }

    #[test]
    fn the_cursor_walks_every_note_once_in_order() {
        let account = held(snapshot());
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let answer = list_notes(
                &account,
                &ListNotesArgs {
                    limit: Some(1),
                    cursor: cursor.take(),
                    ..ListNotesArgs::default()
                },
            )
            .unwrap();
            assert_eq!(answer.notes.total, 4);
            seen.extend(answer.notes.items.iter().map(|n| n.note.id.to_string()));
            match answer.notes.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, ["apr", "mar", "jan", "undated"]);
    }

    #[test]
    fn bad_arguments_are_refused_by_name_before_the_account_is_read() {
        let (read, reads) = counted(snapshot());
        let bad = [
            ListNotesArgs {
                contact_id: Some("../x".into()),
                ..ListNotesArgs::default()
            },
            ListNotesArgs {
                date_from: Some("2025-03-01".into()),
                date_to: Some("2025-01-01".into()),
                ..ListNotesArgs::default()
            },
            ListNotesArgs {
                limit: Some(101),
                ..ListNotesArgs::default()
            },
            ListNotesArgs {
                cursor: Some("get-contact-notes.3".into()),
                ..ListNotesArgs::default()
            },
        ];
        let fields: Vec<_> = bad
            .iter()
            .map(|args| {
                list_notes(&read, args)
                    .unwrap_err()
                    .field
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(fields, ["contact_id", "date_to", "limit", "cursor"]);
        assert_eq!(reads.get(), 0);
        let unknown = list_notes(
            &read,
            &ListNotesArgs {
                contact_id: Some("nobody".into()),
                ..ListNotesArgs::default()
            },
        )
        .unwrap_err();
        assert_eq!(unknown.kind, ErrorKind::NotFound);
    }
}
