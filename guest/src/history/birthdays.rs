//! Whose birthday is coming up, and how old they turn.
//!
//! Dex stores a birthday as `YYYY-MM-DD`, or `--MM-DD` when the user did
//! not give the year. A birthday on February 29 is celebrated on February
//! 28 in other years, as Dex's own "birthday this year" field does.

use chrono::{Datelike, NaiveDate};

use super::book::ContactRef;
use super::paging::{JsonSize, text_size};
use crate::snapshot::Snapshot;

/// A stored birthday, read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Birthday {
    /// Year of birth, when known.
    pub year: Option<i32>,
    /// 1-12.
    pub month: u32,
    /// 1-31, valid for the month in a leap year.
    pub day: u32,
}

impl Birthday {
    /// Reads `YYYY-MM-DD`, `--MM-DD` or `MM-DD`; `None` for anything else
    /// or a day no calendar has.
    pub fn parse(stored: &str) -> Option<Self> {
        let stored = stored.trim();
        let (year, month_day) = match stored.strip_prefix("--") {
            Some(rest) => (None, rest),
            None if stored.len() == 5 => (None, stored),
            None => {
                let (year, rest) = stored.split_once('-')?;
                (Some(year.parse().ok()?), rest)
            }
        };
        let (month, day) = month_day.get(..5)?.split_once('-')?;
        let birthday = Self {
            year,
            month: month.parse().ok()?,
            day: day.parse().ok()?,
        };
        // 2000 is a leap year, so February 29 is accepted without a year.
        NaiveDate::from_ymd_opt(year.unwrap_or(2000), birthday.month, birthday.day)?;
        Some(birthday)
    }

    /// The day it is celebrated in `year`.
    fn in_year(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
            .or_else(|| NaiveDate::from_ymd_opt(year, self.month, self.day - 1))
    }

    /// The first celebration on or after `today`.
    pub fn next_after(self, today: NaiveDate) -> Option<NaiveDate> {
        match self.in_year(today.year())? {
            this_year if this_year >= today => Some(this_year),
            _ => self.in_year(today.year() + 1),
        }
    }
}

/// A contact whose birthday falls inside the window.
#[derive(Debug, Clone, PartialEq)]
pub struct UpcomingBirthday {
    /// Who.
    pub contact: ContactRef,
    /// The birthday as Dex stores it.
    pub birthday: String,
    /// The day it is celebrated next.
    pub date: NaiveDate,
    /// Days from today; 0 for today.
    pub days_until: u32,
    /// The age turned on that day, when the year of birth is known.
    pub turning: Option<u32>,
}

impl JsonSize for UpcomingBirthday {
    fn json_size(&self) -> usize {
        80 + text_size(&self.contact.id)
            + self.contact.full_name.as_deref().map_or(0, text_size)
            + text_size(&self.birthday)
    }
}

/// The contacts (archived ones left out) whose birthday is celebrated
/// from `today` to `days` days later, soonest first, then by name.
pub fn upcoming_birthdays(
    snapshot: &Snapshot,
    today: NaiveDate,
    days: u32,
) -> Vec<UpcomingBirthday> {
    let mut found: Vec<UpcomingBirthday> = snapshot
        .contacts
        .iter()
        .filter(|c| !c.archived)
        .filter_map(|c| {
            let stored = c.birthday.as_deref()?;
            let birthday = Birthday::parse(stored)?;
            let date = birthday.next_after(today)?;
            let days_until = u32::try_from((date - today).num_days()).ok()?;
            (days_until <= days).then(|| UpcomingBirthday {
                contact: ContactRef {
                    id: c.id.clone(),
                    full_name: Some(c.full_name.clone()),
                },
                birthday: stored.to_owned(),
                date,
                days_until,
                turning: birthday
                    .year
                    .and_then(|born| u32::try_from(date.year() - born).ok()),
            })
        })
        .collect();
    found.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.contact.full_name.cmp(&b.contact.full_name))
            .then_with(|| a.contact.id.cmp(&b.contact.id))
    });
    found
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::Contact;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn snapshot(birthdays: &[(&str, &str)]) -> Snapshot {
        Snapshot {
            contacts: birthdays
                .iter()
                .map(|(name, birthday)| {
                    Arc::new(Contact {
                        id: format!("id-{name}"),
                        full_name: (*name).into(),
                        birthday: Some((*birthday).into()),
                        ..Contact::default()
                    })
                })
                .collect(),
            ..Snapshot::default()
        }
    }

    fn names(found: &[UpcomingBirthday]) -> Vec<String> {
        found
            .iter()
            .map(|b| b.contact.full_name.clone().unwrap())
            .collect()
    }

    #[test]
    fn stored_forms_with_and_without_year_are_read() {
        assert_eq!(
            Birthday::parse("1815-12-10"),
            Some(Birthday {
                year: Some(1815),
                month: 12,
                day: 10
            })
        );
        assert_eq!(Birthday::parse("--02-29").unwrap().year, None);
        assert_eq!(Birthday::parse("07-14").unwrap().month, 7);
        assert_eq!(Birthday::parse("1990-02-30"), None);
        assert_eq!(Birthday::parse("soon"), None);
    }

    #[test]
    fn the_window_crosses_the_year_end_and_ages_count_the_next_year() {
        let snapshot = snapshot(&[
            ("Ada", "1815-12-10"),
            ("Bob", "1990-01-03"),
            ("Cy", "--12-31"),
            ("Dee", "1980-01-20"),
        ]);
        let found = upcoming_birthdays(&snapshot, date(2025, 12, 28), 10);
        assert_eq!(names(&found), ["Cy", "Bob"]);
        assert_eq!(found[0].turning, None);
        assert_eq!(found[0].days_until, 3);
        assert_eq!(found[1].date, date(2026, 1, 3));
        assert_eq!(found[1].turning, Some(36));
    }

    #[test]
    fn a_leap_day_birthday_is_kept_on_february_28_in_other_years() {
        let snapshot = snapshot(&[("Leo", "2000-02-29")]);
        let found = upcoming_birthdays(&snapshot, date(2025, 2, 20), 30);
        assert_eq!(found[0].date, date(2025, 2, 28));
        assert_eq!(found[0].turning, Some(25));
        let leap = upcoming_birthdays(&snapshot, date(2028, 2, 20), 30);
        assert_eq!(leap[0].date, date(2028, 2, 29));
    }

    #[test]
    fn a_birthday_today_counts_and_yesterdays_waits_a_year() {
        let snapshot = snapshot(&[("Today", "--03-02"), ("Yesterday", "--03-01")]);
        let found = upcoming_birthdays(&snapshot, date(2026, 3, 2), 30);
        assert_eq!(names(&found), ["Today"]);
        assert_eq!(found[0].days_until, 0);
    }

    #[test]
    fn archived_contacts_are_left_out() {
        let mut snapshot = snapshot(&[("Gone", "--03-03")]);
        Arc::make_mut(&mut snapshot.contacts[0]).archived = true;
        assert!(upcoming_birthdays(&snapshot, date(2026, 3, 2), 30).is_empty());
    }
}
