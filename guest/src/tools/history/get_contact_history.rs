//! `get-contact-history`: one person's notes and reminders as a single
//! timeline, newest first, optionally within dates, a page at a time.

use std::rc::Rc;

use super::shared_args;
use crate::account::Account;
use crate::history::{
    ANSWER_BUDGET_CHARS, ContactBook, HistoryItem, Page, continuation, gaps_sentence,
    merged_newest_first, notes_about, page, reminders_about, require_readable,
};
use crate::model::{ContactId, ToolError};

/// The tool's name, also the tag of its cursors.
const TOOL: &str = "get-contact-history";
/// Entries per page when the caller does not say.
pub const DEFAULT_HISTORY_LIMIT: u32 = 20;
/// The most entries one page may ask for.
pub const MAX_HISTORY_LIMIT: u32 = 100;

/// The arguments of `get-contact-history`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactHistoryArgs {
    /// The contact.
    pub contact_id: String,
    /// First day included, `YYYY-MM-DD`.
    pub date_from: Option<String>,
    /// Last day included, `YYYY-MM-DD`.
    pub date_to: Option<String>,
    /// List notes (default true).
    pub include_notes: Option<bool>,
    /// List reminders (default true).
    pub include_reminders: Option<bool>,
    /// Entries per page.
    pub limit: Option<u32>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactHistory {
    /// This page of the timeline, newest first.
    pub entries: Page<HistoryItem>,
    /// One sentence for the assistant.
    pub summary: String,
}

/// One page of the contact's timeline. The arguments are checked before
/// `account` is asked, so bad input costs no Dex request.
pub fn get_contact_history(
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    args: &ContactHistoryArgs,
) -> Result<ContactHistory, ToolError> {
    let id = ContactId::parse("contact-id", &args.contact_id)?;
    let window = shared_args::DayWindow::parse(args.date_from.as_deref(), args.date_to.as_deref())?;
    let with_notes = args.include_notes.unwrap_or(true);
    let with_reminders = args.include_reminders.unwrap_or(true);
    if !with_notes && !with_reminders {
        return Err(ToolError::validation(
            "include-notes",
            "include-notes and include-reminders are both false, so nothing would be listed; leave them out for both",
        ));
    }
    let limit = shared_args::limit(args.limit, DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT)?;
    let start = shared_args::cursor(TOOL, args.cursor.as_deref())?;
    let account = account()?;
    let snapshot = &account.snapshot;
    require_readable(snapshot)?;
    let book = ContactBook::new(snapshot);
    let contact = book.contact(&id)?;
    let notes = if with_notes {
        notes_about(snapshot, &book, &id)
    } else {
        Vec::new()
    };
    let reminders = if with_reminders {
        reminders_about(snapshot, &book, &id)
    } else {
        Vec::new()
    };
    let timeline: Vec<HistoryItem> = merged_newest_first(notes, reminders)
        .into_iter()
        .filter(|item| window.holds(item.day()))
        .collect();
    let entries = page(timeline, start, limit, ANSWER_BUDGET_CHARS);
    let window = window.phrase();
    let summary = format!(
        "{} has {} history entries{window}; this page holds {}, newest first.{}{}",
        contact.full_name,
        entries.total,
        entries.items.len(),
        continuation(&entries, "entries"),
        gaps_sentence(snapshot)
    );
    Ok(ContactHistory { entries, summary })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Contact, Note, Reminder};
    use crate::snapshot::Snapshot;
    use crate::tools::history::shared_args::held;

    fn snapshot() -> Snapshot {
        let note = |id: &str, at: Option<&str>| {
            Arc::new(Note {
                id: id.into(),
                event_time: at.map(Into::into),
                contact_ids: vec!["ada".into()],
                ..Note::default()
            })
        };
        Snapshot {
            contacts: vec![Arc::new(Contact {
                id: "ada".into(),
                full_name: "Ada".into(),
                ..Contact::default()
            })],
            notes: vec![
                note("jan", Some("2025-01-15T12:00:00Z")),
                note("mar", Some("2025-03-31T23:59:00Z")),
                note("undated", None),
            ],
            reminders: vec![Arc::new(Reminder {
                id: "feb".into(),
                due_date: Some("2025-02-10".into()),
                contact_ids: vec!["ada".into()],
                ..Reminder::default()
            })],
            ..Snapshot::default()
        }
    }

    fn ids(args: ContactHistoryArgs) -> Vec<String> {
        get_contact_history(&held(snapshot()), &args)
            .unwrap()
            .entries
            .items
            .iter()
            .map(|item| match item {
                HistoryItem::Note(n) => n.note.id.to_string(),
                HistoryItem::Reminder(r) => r.reminder.id.to_string(),
            })
            .collect()
    }

    fn of_ada() -> ContactHistoryArgs {
        ContactHistoryArgs {
            contact_id: "ada".into(),
            ..ContactHistoryArgs::default()
        }
    }

    #[test]
    fn notes_and_reminders_merge_newest_first() {
        assert_eq!(ids(of_ada()), ["mar", "feb", "jan", "undated"]);
    }

    #[test]
    fn the_date_window_includes_both_ends_and_drops_undated_entries() {
        let window = ContactHistoryArgs {
            date_from: Some("2025-02-10".into()),
            date_to: Some("2025-03-31".into()),
            ..of_ada()
        };
        assert_eq!(ids(window), ["mar", "feb"]);
    }

    #[test]
    fn either_kind_can_be_left_out_but_not_both() {
        let notes_only = ContactHistoryArgs {
            include_reminders: Some(false),
            ..of_ada()
        };
        assert_eq!(ids(notes_only), ["mar", "jan", "undated"]);
        let neither = ContactHistoryArgs {
            include_notes: Some(false),
            include_reminders: Some(false),
            ..of_ada()
        };
        assert!(get_contact_history(&held(snapshot()), &neither).is_err());
    }

    #[test]
    fn a_reversed_window_is_refused() {
        let reversed = ContactHistoryArgs {
            date_from: Some("2025-03-01".into()),
            date_to: Some("2025-01-01".into()),
            ..of_ada()
        };
        let err = get_contact_history(&held(snapshot()), &reversed).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("date_to"));
    }

    #[test]
    fn paging_walks_the_timeline_in_order() {
        let first = get_contact_history(
            &held(snapshot()),
            &ContactHistoryArgs {
                limit: Some(3),
                ..of_ada()
            },
        )
        .unwrap();
        assert_eq!(first.entries.items.len(), 3);
        let rest = ids(ContactHistoryArgs {
            limit: Some(3),
            cursor: first.entries.next_cursor,
            ..of_ada()
        });
        assert_eq!(rest, ["undated"]);
    }
}
