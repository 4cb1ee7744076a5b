//! `upcoming-birthdays`: whose birthday is coming, so the user can reach
//! out in time.

use std::rc::Rc;

use chrono::NaiveDate;

use super::history_args;
use crate::account::Account;
use crate::history::{
    ANSWER_BUDGET_CHARS, Page, UpcomingBirthday, continuation, gaps_sentence, page,
    require_readable, upcoming_birthdays as celebrated_within,
};
use crate::model::ToolError;

/// The tool's name, also the tag of its cursors.
const TOOL: &str = "upcoming-birthdays";
/// A month ahead when the caller does not say.
pub const DEFAULT_BIRTHDAY_DAYS: u32 = 30;
/// At most a year ahead: beyond it every birthday comes round again.
pub const MAX_BIRTHDAY_DAYS: u32 = 365;
/// Birthdays per page; the character budget usually cuts first.
const PAGE_LIMIT: usize = 200;

/// The arguments of `upcoming-birthdays`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpcomingBirthdaysArgs {
    /// Days ahead (default 30).
    pub days: Option<u32>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct UpcomingBirthdays {
    /// Soonest first.
    pub birthdays: Page<UpcomingBirthday>,
    /// One sentence for the assistant.
    pub summary: String,
}

/// The birthdays celebrated from `today` to `days` later. The arguments
/// are checked before `account` is asked, so bad input costs no Dex
/// request.
pub fn upcoming_birthdays(
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    today: NaiveDate,
    args: &UpcomingBirthdaysArgs,
) -> Result<UpcomingBirthdays, ToolError> {
    let days = history_args::days(args.days, DEFAULT_BIRTHDAY_DAYS, MAX_BIRTHDAY_DAYS)?;
    let start = history_args::cursor(TOOL, args.cursor.as_deref())?;
    let account = account()?;
    let snapshot = &account.snapshot;
    require_readable(snapshot)?;
    let birthdays = page(
        celebrated_within(snapshot, today, days),
        start,
        PAGE_LIMIT,
        ANSWER_BUDGET_CHARS,
    );
    let until = today + chrono::Days::new(u64::from(days));
    let summary = format!(
        "{} birthdays from today ({today}) to {until}, soonest first.{}{}",
        birthdays.total,
        continuation(&birthdays, "birthdays"),
        gaps_sentence(snapshot)
    );
    Ok(UpcomingBirthdays { birthdays, summary })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::Contact;
    use crate::snapshot::Snapshot;
    use crate::tools::history_args::held;

    #[test]
    fn many_birthdays_are_paged_without_loss() {
        let account = held(Snapshot {
            contacts: (0..400)
                .map(|i| {
                    Arc::new(Contact {
                        id: format!("c{i}"),
                        full_name: format!("Person {i}"),
                        birthday: Some(format!("--03-{:02}", 1 + i % 28)),
                        ..Contact::default()
                    })
                })
                .collect(),
            ..Snapshot::default()
        });
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let mut cursor = None;
        let mut seen = 0;
        let mut pages = 0;
        loop {
            let answer = upcoming_birthdays(
                &account,
                today,
                &UpcomingBirthdaysArgs { days: None, cursor },
            )
            .unwrap();
            pages += 1;
            seen += answer.birthdays.items.len();
            match answer.birthdays.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, 400);
        assert!(pages > 1, "400 birthdays fit in one page");
    }

    #[test]
    fn more_than_a_year_ahead_is_refused() {
        let args = UpcomingBirthdaysArgs {
            days: Some(366),
            cursor: None,
        };
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let err = upcoming_birthdays(&held(Snapshot::default()), today, &args).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("days"));
    }
}
