//! `upcoming-reminders`: what the user has to do soon, across every
//! contact, with what is already overdue.

use std::rc::Rc;

use chrono::NaiveDate;

use super::shared_args;
use crate::account::Account;
use crate::history::{
    ANSWER_BUDGET_CHARS, ContactBook, DueContact, OwnerZone, Page, UpcomingReminder, WallClock,
    continuation, due_contacts, gaps_sentence, page, require_readable,
    upcoming_reminders as due_within,
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
/// Keep-in-touch catch-ups shown beside the first page's reminders.
pub const KEEP_IN_TOUCH_SHOWN: usize = 10;

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
    /// The most urgent catch-ups due in the window, on the first page.
    pub keep_in_touch: Vec<DueContact>,
    /// Every catch-up due in the window.
    pub keep_in_touch_total: usize,
    /// The first day of the window: today for the owner.
    pub today: NaiveDate,
    /// The last day of the window.
    pub until: NaiveDate,
    /// One sentence for the assistant.
    pub summary: String,
}

/// The open reminders due from today to `days` later, and the overdue
/// ones, "today" being the owner's day at `clock` (see
/// [`OwnerZone::resolve`]). The arguments are checked before `account` is asked, so bad
/// input costs no Dex request.
pub fn upcoming_reminders(
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    clock: &WallClock,
    args: &UpcomingRemindersArgs,
) -> Result<UpcomingReminders, ToolError> {
    let days = shared_args::days(args.days, DEFAULT_REMINDER_DAYS, MAX_REMINDER_DAYS)?;
    let include_overdue = args.include_overdue.unwrap_or(true);
    let start = shared_args::cursor(TOOL, args.cursor.as_deref())?;
    let account = account()?;
    let snapshot = &account.snapshot;
    require_readable(snapshot)?;
    let zone = OwnerZone::resolve(
        snapshot.owner_time_zone.as_deref(),
        clock.zone_setting.as_deref(),
    );
    let today = zone.today(clock.now);
    let book = ContactBook::new(snapshot);
    let found = due_within(snapshot, &book, &zone, today, days, include_overdue);
    let overdue = found.iter().filter(|r| r.days_until_due < 0).count();
    let until = today + chrono::Days::new(u64::from(days));
    let first_page = start.offset() == 0;
    let reminders = page(found, start, PAGE_LIMIT, ANSWER_BUDGET_CHARS);
    let mut catch_ups = due_contacts(snapshot, &zone, today, days);
    if !include_overdue {
        catch_ups.retain(|d| d.days_overdue <= 0);
    }
    let keep_in_touch_total = catch_ups.len();
    let keep_in_touch = if first_page {
        catch_ups.truncate(KEEP_IN_TOUCH_SHOWN);
        catch_ups
    } else {
        Vec::new()
    };
    let catch_up_sentence = match keep_in_touch_total {
        0 => String::new(),
        n if n > keep_in_touch.len() && first_page => format!(
            " {n} keep-in-touch catch-ups are due too; the {} most urgent are listed, who_to_reach_out_to lists them all.",
            keep_in_touch.len()
        ),
        n if first_page => format!(" {n} keep-in-touch catch-ups are due too."),
        _ => String::new(),
    };
    let summary = format!(
        "{} open reminders due from today ({today}, {}) to {until}{}.{}{catch_up_sentence}{}",
        reminders.total - overdue,
        zone.describe(),
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
        keep_in_touch,
        keep_in_touch_total,
        today,
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
    use crate::tools::history::shared_args::{clock_at, held};

    fn due(id: &str, day: &str) -> Arc<Reminder> {
        Arc::new(Reminder {
            id: id.into(),
            due_date: Some(day.into()),
            ..Reminder::default()
        })
    }

    /// An account whose owner lives in `zone`, with reminders due on the
    /// days around March 2 and 3, 2026, and one due at a moment.
    fn owner_in(zone: &str) -> impl Fn() -> Result<Rc<Account>, ToolError> {
        held(Snapshot {
            reminders: vec![
                due("mar-1", "2026-03-01"),
                due("mar-2", "2026-03-02"),
                due("mar-3", "2026-03-03"),
                due("mar-4", "2026-03-04"),
                Arc::new(Reminder {
                    id: "at-0400z-mar-3".into(),
                    due_time: Some("2026-03-03T04:00:00Z".into()),
                    ..Reminder::default()
                }),
            ],
            owner_time_zone: Some(zone.into()),
            ..Snapshot::default()
        })
    }

    fn days_until(answer: &UpcomingReminders) -> Vec<(String, i64)> {
        answer
            .reminders
            .items
            .iter()
            .map(|r| (r.item.reminder.id.to_string(), r.days_until_due))
            .collect()
    }

    #[test]
    fn at_eight_in_the_evening_in_california_today_is_not_yet_utcs_tomorrow() {
        // 20:00 PST (UTC-8) on March 2 is 04:00 UTC on March 3.
        let account = owner_in("America/Los_Angeles");
        let clock = clock_at("2026-03-03T04:00:00Z");
        let args = UpcomingRemindersArgs {
            days: Some(1),
            ..UpcomingRemindersArgs::default()
        };
        let answer = upcoming_reminders(&account, &clock, &args).unwrap();
        assert_eq!(answer.today, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!(
            days_until(&answer),
            [
                ("mar-1".to_owned(), -1),
                ("mar-2".to_owned(), 0),
                ("at-0400z-mar-3".to_owned(), 0),
                ("mar-3".to_owned(), 1),
            ],
            "March 1 is overdue, March 2 and 20:00 tonight are today, March 3 is tomorrow"
        );
        assert!(
            answer
                .summary
                .contains("(2026-03-02, America/Los_Angeles, the owner's time zone in Dex)")
                && answer.summary.contains("and 1 overdue"),
            "{}",
            answer.summary
        );
    }

    #[test]
    fn just_after_midnight_in_auckland_today_is_already_utcs_tomorrow() {
        // 00:05 NZDT (UTC+13) on March 3 is 11:05 UTC on March 2.
        let account = owner_in("Pacific/Auckland");
        let clock = clock_at("2026-03-02T11:05:00Z");
        let args = UpcomingRemindersArgs {
            days: Some(1),
            ..UpcomingRemindersArgs::default()
        };
        let answer = upcoming_reminders(&account, &clock, &args).unwrap();
        assert_eq!(answer.today, NaiveDate::from_ymd_opt(2026, 3, 3).unwrap());
        assert_eq!(
            days_until(&answer),
            [
                ("mar-1".to_owned(), -2),
                ("mar-2".to_owned(), -1),
                ("mar-3".to_owned(), 0),
                ("at-0400z-mar-3".to_owned(), 0),
                ("mar-4".to_owned(), 1),
            ],
            "March 2 is overdue there already; 17:00 on March 3 in Auckland is today"
        );
    }

    #[test]
    fn without_the_owners_zone_the_setting_then_utc_decide() {
        let account = held(Snapshot {
            reminders: vec![due("mar-3", "2026-03-03")],
            ..Snapshot::default()
        });
        let args = UpcomingRemindersArgs {
            days: Some(0),
            include_overdue: Some(false),
            ..UpcomingRemindersArgs::default()
        };
        let mut clock = clock_at("2026-03-03T04:00:00Z");
        assert_eq!(
            upcoming_reminders(&account, &clock, &args)
                .unwrap()
                .reminders
                .total,
            1,
            "UTC: it is March 3"
        );
        clock.zone_setting = Some("America/Los_Angeles".into());
        let answer = upcoming_reminders(&account, &clock, &args).unwrap();
        assert_eq!(answer.reminders.total, 0, "California: still March 2");
        assert!(
            answer.summary.contains("from DEX_TIME_ZONE"),
            "{}",
            answer.summary
        );
    }

    #[test]
    fn the_summary_counts_upcoming_and_overdue_apart() {
        let account = held(Snapshot {
            reminders: vec![due("late", "2026-02-01"), due("soon", "2026-03-05")],
            ..Snapshot::default()
        });
        let today = clock_at("2026-03-02T12:00:00Z");
        let answer =
            upcoming_reminders(&account, &today, &UpcomingRemindersArgs::default()).unwrap();
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
        let answer = upcoming_reminders(&account, &today, &ahead_only).unwrap();
        assert_eq!(answer.reminders.items[0].item.reminder.id, "soon");
        assert_eq!(answer.reminders.total, 1);
    }

    #[test]
    fn keep_in_touch_catch_ups_due_in_the_window_come_on_the_first_page() {
        use crate::model::{Contact, Frequency, KeepInTouch};
        let weekly = |id: &str, seen: &str| {
            Arc::new(Contact {
                id: id.into(),
                full_name: id.into(),
                keep_in_touch: Some(KeepInTouch::of(Frequency::Weekly)),
                last_seen_at: Some(seen.into()),
                ..Contact::default()
            })
        };
        let mut contacts: Vec<Arc<Contact>> = (0..12)
            .map(|i| weekly(&format!("late-{i:02}"), "2026-02-01T09:00:00Z"))
            .collect();
        // Due on March 5, inside the week; and on March 20, outside it.
        contacts.push(weekly("soon", "2026-02-26T09:00:00Z"));
        contacts.push(weekly("later", "2026-03-13T09:00:00Z"));
        let reminders = (0..150)
            .map(|i| due(&format!("r{i}"), "2026-03-04"))
            .collect();
        let account = held(Snapshot {
            contacts,
            reminders,
            ..Snapshot::default()
        });
        let today = clock_at("2026-03-02T12:00:00Z");
        let first =
            upcoming_reminders(&account, &today, &UpcomingRemindersArgs::default()).unwrap();
        assert_eq!(first.keep_in_touch_total, 13);
        assert_eq!(first.keep_in_touch.len(), KEEP_IN_TOUCH_SHOWN);
        assert!(first.keep_in_touch.iter().all(|d| d.contact.id != "later"));
        assert!(
            first
                .summary
                .contains("13 keep-in-touch catch-ups are due too; the 10 most urgent"),
            "{}",
            first.summary
        );
        let next = UpcomingRemindersArgs {
            cursor: first.reminders.next_cursor.clone(),
            ..UpcomingRemindersArgs::default()
        };
        let second = upcoming_reminders(&account, &today, &next).unwrap();
        assert!(second.keep_in_touch.is_empty(), "the first page has them");
        assert_eq!(second.keep_in_touch_total, 13);

        let ahead_only = UpcomingRemindersArgs {
            include_overdue: Some(false),
            ..UpcomingRemindersArgs::default()
        };
        let ahead = upcoming_reminders(&account, &today, &ahead_only).unwrap();
        let ids: Vec<&str> = ahead
            .keep_in_touch
            .iter()
            .map(|d| d.contact.id.as_str())
            .collect();
        assert_eq!(ids, ["soon"]);
    }
}
