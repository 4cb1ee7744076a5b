//! `upcoming-birthdays`: whose birthday is coming, so the user can reach
//! out in time.

use std::rc::Rc;

use chrono::NaiveDate;

use super::shared_args;
use crate::account::Account;
use crate::history::{
    ANSWER_BUDGET_CHARS, OwnerZone, Page, UpcomingBirthday, WallClock, continuation, gaps_sentence,
    page, require_readable, upcoming_birthdays as celebrated_within,
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
    /// The first day of the window: today for the owner.
    pub today: NaiveDate,
    /// One sentence for the assistant.
    pub summary: String,
}

/// The birthdays celebrated from today (the owner's day at `clock`, see
/// [`OwnerZone::resolve`]) to `days` later. The arguments
/// are checked before `account` is asked, so bad input costs no Dex
/// request.
pub fn upcoming_birthdays(
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    clock: &WallClock,
    args: &UpcomingBirthdaysArgs,
) -> Result<UpcomingBirthdays, ToolError> {
    let days = shared_args::days(args.days, DEFAULT_BIRTHDAY_DAYS, MAX_BIRTHDAY_DAYS)?;
    let start = shared_args::cursor(TOOL, args.cursor.as_deref())?;
    let account = account()?;
    let snapshot = &account.snapshot;
    require_readable(snapshot)?;
    let zone = OwnerZone::resolve(
        snapshot.owner_time_zone.as_deref(),
        clock.zone_setting.as_deref(),
    );
    let today = zone.today(clock.now);
    let birthdays = page(
        celebrated_within(snapshot, today, days),
        start,
        PAGE_LIMIT,
        ANSWER_BUDGET_CHARS,
    );
    let until = today + chrono::Days::new(u64::from(days));
    let summary = format!(
        "{} birthdays from today ({today}, {}) to {until}, soonest first.{}{}",
        birthdays.total,
        zone.describe(),
        continuation(&birthdays, "birthdays"),
        gaps_sentence(snapshot)
    );
    Ok(UpcomingBirthdays {
        birthdays,
        today,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::Contact;
    use crate::snapshot::Snapshot;
    use crate::tools::history::shared_args::{clock_at, held};

    fn born_on(days: &[&str], zone: &str) -> impl Fn() -> Result<Rc<Account>, ToolError> {
        held(Snapshot {
            contacts: days
                .iter()
                .map(|day| {
                    Arc::new(Contact {
                        id: format!("born-{day}"),
                        full_name: format!("Born {day}"),
                        birthday: Some(format!("1990-{day}")),
                        ..Contact::default()
                    })
                })
                .collect(),
            owner_time_zone: Some(zone.into()),
            ..Snapshot::default()
        })
    }

    fn days_until(answer: &UpcomingBirthdays) -> Vec<(String, u32)> {
        answer
            .birthdays
            .items
            .iter()
            .map(|b| (b.contact.id.clone(), b.days_until))
            .collect()
    }

    #[test]
    fn at_eight_in_the_evening_in_california_a_birthday_today_is_still_today() {
        // 20:00 PST (UTC-8) on March 2 is 04:00 UTC on March 3.
        let account = born_on(&["03-02", "03-03"], "America/Los_Angeles");
        let args = UpcomingBirthdaysArgs {
            days: Some(1),
            cursor: None,
        };
        let answer =
            upcoming_birthdays(&account, &clock_at("2026-03-03T04:00:00Z"), &args).unwrap();
        assert_eq!(answer.today, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!(
            days_until(&answer),
            [("born-03-02".to_owned(), 0), ("born-03-03".to_owned(), 1)]
        );
        assert_eq!(answer.birthdays.items[0].turning, Some(36));
    }

    #[test]
    fn just_after_midnight_in_auckland_yesterdays_birthday_is_a_year_away() {
        // 00:05 NZDT (UTC+13) on March 3 is 11:05 UTC on March 2.
        let account = born_on(&["03-02", "03-03"], "Pacific/Auckland");
        let args = UpcomingBirthdaysArgs {
            days: Some(1),
            cursor: None,
        };
        let answer =
            upcoming_birthdays(&account, &clock_at("2026-03-02T11:05:00Z"), &args).unwrap();
        assert_eq!(answer.today, NaiveDate::from_ymd_opt(2026, 3, 3).unwrap());
        assert_eq!(days_until(&answer), [("born-03-03".to_owned(), 0)]);
    }

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
        let today = clock_at("2026-03-01T12:00:00Z");
        let mut cursor = None;
        let mut seen = 0;
        let mut pages = 0;
        loop {
            let answer = upcoming_birthdays(
                &account,
                &today,
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
        let today = clock_at("2026-03-01T12:00:00Z");
        let err = upcoming_birthdays(&held(Snapshot::default()), &today, &args).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("days"));
    }
}
