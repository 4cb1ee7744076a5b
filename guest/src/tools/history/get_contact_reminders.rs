//! `get-contact-reminders`: what the user means to do about one person,
//! including reminders shared with other contacts.

use std::rc::Rc;

use super::shared_args;
use crate::account::Account;
use crate::history::{
    ANSWER_BUDGET_CHARS, ContactBook, Page, ReminderItem, continuation, gaps_sentence, page,
    reminders_about, require_readable,
};
use crate::model::{ContactId, ToolError};

/// The tool's name, also the tag of its cursors.
const TOOL: &str = "get-contact-reminders";
/// Reminders per page; the character budget usually cuts first.
const PAGE_LIMIT: usize = 100;

/// Which reminders to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReminderStatus {
    /// Not yet done (the default).
    #[default]
    Active,
    /// Marked done.
    Completed,
    /// Both.
    All,
}

impl ReminderStatus {
    fn admits(self, item: &ReminderItem) -> bool {
        match self {
            ReminderStatus::Active => item.is_open(),
            ReminderStatus::Completed => !item.is_open(),
            ReminderStatus::All => true,
        }
    }

    fn adjective(self) -> &'static str {
        match self {
            ReminderStatus::Active => "open ",
            ReminderStatus::Completed => "completed ",
            ReminderStatus::All => "",
        }
    }
}

/// The arguments of `get-contact-reminders`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactRemindersArgs {
    /// The contact.
    pub contact_id: String,
    /// Which reminders (default: active).
    pub status: Option<ReminderStatus>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactReminders {
    /// Open ones soonest due first, then completed ones most recent first.
    pub reminders: Page<ReminderItem>,
    /// One sentence for the assistant.
    pub summary: String,
}

/// The contact's reminders of the asked status. The arguments are checked
/// before `account` is asked, so bad input costs no Dex request.
pub fn get_contact_reminders(
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    args: &ContactRemindersArgs,
) -> Result<ContactReminders, ToolError> {
    let id = ContactId::parse("contact-id", &args.contact_id)?;
    let status = args.status.unwrap_or_default();
    let start = shared_args::cursor(TOOL, args.cursor.as_deref())?;
    let account = account()?;
    let snapshot = &account.snapshot;
    require_readable(snapshot)?;
    let book = ContactBook::new(snapshot);
    let contact = book.contact(&id)?;
    let chosen: Vec<ReminderItem> = reminders_about(snapshot, &book, &id)
        .into_iter()
        .filter(|r| status.admits(r))
        .collect();
    let reminders = page(chosen, start, PAGE_LIMIT, ANSWER_BUDGET_CHARS);
    let summary = format!(
        "{} has {} {}reminders.{}{}",
        contact.full_name,
        reminders.total,
        status.adjective(),
        continuation(&reminders, "reminders"),
        gaps_sentence(snapshot)
    );
    Ok(ContactReminders { reminders, summary })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Contact, Reminder};
    use crate::snapshot::Snapshot;
    use crate::tools::history::shared_args::held;

    fn snapshot() -> Snapshot {
        let reminder = |id: &str, done: bool, who: &[&str]| {
            Arc::new(Reminder {
                id: id.into(),
                due_date: Some("2025-06-01".into()),
                complete: done,
                contact_ids: who.iter().map(|w| (*w).into()).collect(),
                ..Reminder::default()
            })
        };
        Snapshot {
            contacts: ["ada", "bob"]
                .iter()
                .map(|id| {
                    Arc::new(Contact {
                        id: (*id).into(),
                        full_name: id.to_uppercase(),
                        ..Contact::default()
                    })
                })
                .collect(),
            reminders: vec![
                reminder("open", false, &["ada"]),
                reminder("shared", false, &["bob", "ada"]),
                reminder("done", true, &["ada"]),
            ],
            ..Snapshot::default()
        }
    }

    fn ids(snapshot: &Snapshot, who: &str, status: Option<ReminderStatus>) -> Vec<String> {
        get_contact_reminders(
            &held(snapshot.clone()),
            &ContactRemindersArgs {
                contact_id: who.into(),
                status,
                cursor: None,
            },
        )
        .unwrap()
        .reminders
        .items
        .into_iter()
        .map(|r| r.reminder.id.to_string())
        .collect()
    }

    #[test]
    fn the_status_chooses_open_done_or_both() {
        let snapshot = snapshot();
        assert_eq!(ids(&snapshot, "ada", None), ["open", "shared"]);
        assert_eq!(
            ids(&snapshot, "ada", Some(ReminderStatus::Completed)),
            ["done"]
        );
        assert_eq!(ids(&snapshot, "ada", Some(ReminderStatus::All)).len(), 3);
    }

    #[test]
    fn a_shared_reminder_is_listed_for_each_of_its_contacts() {
        let snapshot = snapshot();
        assert_eq!(ids(&snapshot, "bob", Some(ReminderStatus::All)), ["shared"]);
    }
}
