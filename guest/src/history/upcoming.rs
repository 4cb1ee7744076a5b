//! Open reminders due soon, and those already overdue.
//!
//! "What do I need to do this week?" is answered from every reminder in
//! the account: open ones whose due day falls between today and `days`
//! from now, plus, when asked, open ones whose due day has passed.

use chrono::NaiveDate;

use super::book::ContactBook;
use super::items::{ReminderItem, soonest_first};
use super::paging::JsonSize;
use super::zone::OwnerZone;
use crate::snapshot::Snapshot;

/// An open reminder inside the window.
#[derive(Debug, Clone, PartialEq)]
pub struct UpcomingReminder {
    /// The reminder and its contacts.
    pub item: ReminderItem,
    /// Its due day.
    pub due_day: NaiveDate,
    /// Days from today to the due day; negative when overdue.
    pub days_until_due: i64,
}

impl JsonSize for UpcomingReminder {
    fn json_size(&self) -> usize {
        self.item.json_size() + 40
    }
}

/// The open reminders due from `today` to `days` days later (both
/// included), with the overdue ones before them when `include_overdue`;
/// soonest first, so the most overdue lead. Due days are the owner's
/// (`zone`), like `today`.
pub fn upcoming_reminders(
    snapshot: &Snapshot,
    book: &ContactBook,
    zone: &OwnerZone,
    today: NaiveDate,
    days: u32,
    include_overdue: bool,
) -> Vec<UpcomingReminder> {
    let mut due: Vec<UpcomingReminder> = snapshot
        .reminders
        .iter()
        .filter(|r| !r.complete)
        .filter_map(|r| {
            let item = ReminderItem {
                reminder: r.clone(),
                contacts: book.refs(&r.contact_ids),
            };
            let due_day = item.due_day_in(zone)?;
            let days_until_due = (due_day - today).num_days();
            let inside = (0..=i64::from(days)).contains(&days_until_due)
                || (include_overdue && days_until_due < 0);
            inside.then_some(UpcomingReminder {
                item,
                due_day,
                days_until_due,
            })
        })
        .collect();
    due.sort_by(|a, b| {
        a.due_day
            .cmp(&b.due_day)
            .then_with(|| soonest_first(&a.item, &b.item))
    });
    due
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::Reminder;

    fn utc() -> OwnerZone {
        OwnerZone::resolve(None, None)
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 12, 29).unwrap()
    }

    fn snapshot() -> Snapshot {
        let reminder = |id: &str, due: &str, done: bool| {
            Arc::new(Reminder {
                id: id.into(),
                due_date: Some(due.into()),
                complete: done,
                ..Reminder::default()
            })
        };
        Snapshot {
            reminders: vec![
                reminder("next-year", "2026-01-04", false),
                reminder("too-late", "2026-01-06", false),
                reminder("today", "2025-12-29", false),
                reminder("overdue", "2025-11-01", false),
                reminder("done", "2025-12-30", true),
                Arc::new(Reminder {
                    id: "timed".into(),
                    due_time: Some("2025-12-31T09:00:00Z".into()),
                    ..Reminder::default()
                }),
            ],
            ..Snapshot::default()
        }
    }

    fn ids(found: &[UpcomingReminder]) -> Vec<String> {
        found
            .iter()
            .map(|u| u.item.reminder.id.to_string())
            .collect()
    }

    #[test]
    fn the_window_runs_from_today_through_the_last_day_across_the_year_end() {
        let snapshot = snapshot();
        let book = ContactBook::new(&snapshot);
        let found = upcoming_reminders(&snapshot, &book, &utc(), today(), 6, false);
        assert_eq!(ids(&found), ["today", "timed", "next-year"]);
        assert_eq!(found[2].days_until_due, 6);
    }

    #[test]
    fn overdue_reminders_lead_when_asked_for() {
        let snapshot = snapshot();
        let book = ContactBook::new(&snapshot);
        let found = upcoming_reminders(&snapshot, &book, &utc(), today(), 1, true);
        assert_eq!(ids(&found), ["overdue", "today"]);
        assert_eq!(found[0].days_until_due, -58);
    }

    #[test]
    fn a_due_time_counts_on_the_owners_day() {
        let snapshot = Snapshot {
            reminders: vec![Arc::new(Reminder {
                id: "evening".into(),
                // 19:00 in California on December 29.
                due_time: Some("2025-12-30T03:00:00Z".into()),
                ..Reminder::default()
            })],
            ..Snapshot::default()
        };
        let book = ContactBook::new(&snapshot);
        let california = OwnerZone::resolve(Some("America/Los_Angeles"), None);
        let found = upcoming_reminders(&snapshot, &book, &california, today(), 0, false);
        assert_eq!(found[0].days_until_due, 0);
        let found = upcoming_reminders(&snapshot, &book, &utc(), today(), 0, false);
        assert!(found.is_empty(), "in UTC it is due tomorrow");
    }

    #[test]
    fn done_reminders_are_never_upcoming() {
        let snapshot = snapshot();
        let book = ContactBook::new(&snapshot);
        let found = upcoming_reminders(&snapshot, &book, &utc(), today(), 30, true);
        assert!(!ids(&found).iter().any(|id| id == "done"));
    }
}
