//! `upcoming-reminders`: what the user has to do soon, across every
//! contact, with what is already overdue.

use std::rc::Rc;

use chrono::NaiveDate;

use super::history_args;
use crate::account::Account;
use crate::history::{
    ANSWER_BUDGET_CHARS, ContactBook, Page, UpcomingReminder, continuation, gaps_sentence, page,
    require_readable, upcoming_reminders as due_within,
};
use crate::model::ToolError;

/// The tool's name, also the tag of its cursors.
const TOOL: &str = "upcoming-reminders";
/// A week ahead when the caller does not say.
pub const DEFAULT_REMINDER_DAYS: u32 = 7;
/// At most a year ahead.
pub const MAX_REMINDER_DAYS: u32 = 365;
/// Reminders per page; the character budget usually cuts first.
const PAGE_LIMIT: usize = 100;

/// The arguments of `upcoming-reminders`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpcomingRemindersArgs {
    /// Days ahead (default 7).
    pub days: Option<u32>,
    /// Add open reminders whose due day has passed (default true).
    pub include_overdue: Option<bool>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct UpcomingReminders {
    /// Soonest due first; overdue ones lead.
    pub reminders: Page<UpcomingReminder>,
    /// The last day of the window.
    pub until: NaiveDate,
    /// One sentence for the assistant.
    pub summary: String,
}

/// The open reminders due from `today` to `days` later, and the overdue
/// ones. The arguments are checked before `account` is asked, so bad
/// input costs no Dex request.
pub fn upcoming_reminders(
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    today: NaiveDate,
    args: &UpcomingRemindersArgs,
) -> Result<UpcomingReminders, ToolError> {
    let days = history_args::days(args.days, DEFAULT_REMINDER_DAYS, MAX_REMINDER_DAYS)?;
    let include_overdue = args.include_overdue.unwrap_or(true);
    let start = history_args::cursor(TOOL, args.cursor.as_deref())?;
    let account = account()?;
    let snapshot = &account.snapshot;
    require_readable(snapshot)?;
    let book = ContactBook::new(snapshot);
    let found = due_within(snapshot, &book, today, days, include_overdue);
    let overdue = found.iter().filter(|r| r.days_until_due < 0).count();
    let until = today + chrono::Days::new(u64::from(days));
    let reminders = page(found, start, PAGE_LIMIT, ANSWER_BUDGET_CHARS);
    let summary = format!(
        "{} open reminders due from today ({today}) to {until}{}.{}{}",
        reminders.total - overdue,
        if include_overdue {
            format!(", and {overdue} overdue")
        } else {
            String::new()
        },
        continuation(&reminders, "reminders"),
        gaps_sentence(snapshot)
    );
    Ok(UpcomingReminders {
        reminders,
        until,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::Reminder;
    use crate::snapshot::Snapshot;
    use crate::tools::history_args::held;

    #[test]
    fn the_summary_counts_upcoming_and_overdue_apart() {
        let due = |id: &str, day: &str| {
            Arc::new(Reminder {
                id: id.into(),
                due_date: Some(day.into()),
                ..Reminder::default()
            })
        };
        let account = held(Snapshot {
            reminders: vec![due("late", "2026-02-01"), due("soon", "2026-03-05")],
            ..Snapshot::default()
        });
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let answer =
            upcoming_reminders(&account, today, &UpcomingRemindersArgs::default()).unwrap();
        assert_eq!(answer.reminders.items.len(), 2);
        assert_eq!(answer.until, NaiveDate::from_ymd_opt(2026, 3, 9).unwrap());
        assert!(
            answer.summary.starts_with("1 open reminders due")
                && answer.summary.contains("1 overdue"),
            "{}",
            answer.summary
        );
        let ahead_only = UpcomingRemindersArgs {
            include_overdue: Some(false),
            ..UpcomingRemindersArgs::default()
        };
        let answer = upcoming_reminders(&account, today, &ahead_only).unwrap();
        assert_eq!(answer.reminders.items[0].item.reminder.id, "soon");
        assert_eq!(answer.reminders.total, 1);
    }
}
