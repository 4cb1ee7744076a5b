//! Keep in touch: which contacts are due a catch-up, and why.
//!
//! A contact with a keep-in-touch frequency is due that many days after
//! the user was last in touch (`last_seen_at`, which Dex moves with every
//! note and which marking a contact kept in touch sets), or after the
//! contact was added when no interaction is recorded. Dex's own
//! `next_reminder_at` is not used: public material does not say whether it
//! is the next keep-in-touch date or the next reminder (`docs/dex-api.md`).
//! Days are the owner's, like "today".

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::paging::{JsonSize, field_size};
use super::zone::OwnerZone;
use crate::model::{Contact, Frequency, KeepInTouch};
use crate::snapshot::Snapshot;

/// A contact due (or soon due) a catch-up.
#[derive(Debug, Clone, PartialEq)]
pub struct DueContact {
    /// The contact.
    pub contact: Arc<Contact>,
    /// Its keep-in-touch setting.
    pub keep_in_touch: KeepInTouch,
    /// The day the catch-up falls due.
    pub due_day: NaiveDate,
    /// Days since the due day; negative while it is still ahead.
    pub days_overdue: i64,
    /// The day the user was last in touch, when Dex knows one.
    pub last_seen: Option<NaiveDate>,
    /// Open reminders about the contact.
    pub open_reminders: usize,
}

impl DueContact {
    /// Lateness measured in periods (a weekly contact two weeks late is
    /// further behind than a yearly one a month late), with a small lift
    /// for starred contacts and for open reminders: the ranking's key.
    pub fn urgency(&self) -> f64 {
        let periods = self.days_overdue as f64 / f64::from(self.keep_in_touch.days.max(1));
        let starred = if self.contact.starred { 0.25 } else { 0.0 };
        periods + starred + 0.1 * self.open_reminders.min(3) as f64
    }

    /// Why the contact is listed, one reason a line, for the assistant.
    pub fn reasons(&self, today: NaiveDate) -> Vec<String> {
        let cadence = cadence(self.keep_in_touch);
        let mut reasons = vec![match self.days_overdue {
            0 => format!("{cadence} catch-up due today"),
            late if late > 0 => format!(
                "{cadence} catch-up {late} day{} overdue (due {})",
                plural(late),
                self.due_day
            ),
            early => format!(
                "{cadence} catch-up due in {} day{} ({})",
                -early,
                plural(-early),
                self.due_day
            ),
        }];
        reasons.push(match self.last_seen {
            Some(day) => {
                let ago = (today - day).num_days();
                format!("last in touch {day} ({ago} day{} ago)", plural(ago))
            }
            None => "no interaction recorded".to_owned(),
        });
        if self.contact.starred {
            reasons.push("starred".to_owned());
        }
        if self.open_reminders > 0 {
            reasons.push(format!(
                "{} open reminder{}",
                self.open_reminders,
                plural(self.open_reminders as i64)
            ));
        }
        reasons
    }
}

impl JsonSize for DueContact {
    fn json_size(&self) -> usize {
        // The summary's fields, the numbers and dates, and the reasons
        // (about 150 characters in all).
        const FIXED: usize = 320;
        FIXED
            + field_size("full_name", &self.contact.full_name)
            + self.contact.company.as_deref().map_or(0, |c| c.len() + 12)
            + self
                .contact
                .tags
                .iter()
                .map(|t| t.name.len() + 3)
                .sum::<usize>()
    }
}

/// "monthly", "every 10 days": how often, in words.
pub fn cadence(keep_in_touch: KeepInTouch) -> String {
    match keep_in_touch.frequency {
        Some(Frequency::Weekly) => "weekly".into(),
        Some(Frequency::EveryTwoWeeks) => "every two weeks".into(),
        Some(Frequency::Monthly) => "monthly".into(),
        Some(Frequency::EverySixWeeks) => "every six weeks".into(),
        Some(Frequency::Quarterly) => "quarterly".into(),
        Some(Frequency::EverySixMonths) => "every six months".into(),
        Some(Frequency::Yearly) => "yearly".into(),
        None => format!("every {} days", keep_in_touch.days),
    }
}

fn plural(count: i64) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// The day a contact's next catch-up falls due: its keep-in-touch days
/// after the last interaction, or after it was added when none is
/// recorded; today when Dex gives neither.
pub fn due_day(
    contact: &Contact,
    every: KeepInTouch,
    zone: &OwnerZone,
    today: NaiveDate,
) -> NaiveDate {
    let last_seen = contact
        .last_seen_at()
        .as_deref()
        .and_then(|s| zone.day_of(s));
    let added = contact.created_at().as_deref().and_then(|s| zone.day_of(s));
    match last_seen.or(added) {
        Some(from) => from + chrono::Days::new(u64::from(every.days)),
        None => today,
    }
}

/// Whether `contact` is due a catch-up on the owner's day `today`: it has
/// a frequency, is not set to "never", and [`due_day`] has come. The one
/// rule `filter_contacts` and `who_to_reach_out_to` share.
pub fn is_due(contact: &Contact, zone: &OwnerZone, today: NaiveDate) -> bool {
    match contact.keep_in_touch {
        Some(every) if !contact.never_keep_in_touch => {
            due_day(contact, every, zone, today) <= today
        }
        _ => false,
    }
}

/// The contacts whose catch-up is overdue, due today or due within
/// `within_days`, most urgent first ([`DueContact::urgency`], then the
/// longest overdue, then by name). Archived contacts and those marked
/// "never" are left out.
pub fn due_contacts(
    snapshot: &Snapshot,
    zone: &OwnerZone,
    today: NaiveDate,
    within_days: u32,
) -> Vec<DueContact> {
    let mut open: HashMap<String, usize> = HashMap::new();
    for reminder in snapshot.reminders.iter().filter(|r| !r.complete) {
        for id in &reminder.contact_ids {
            *open.entry(id.to_string()).or_default() += 1;
        }
    }
    let mut due: Vec<DueContact> = snapshot
        .contacts
        .iter()
        .filter(|c| !c.archived && !c.never_keep_in_touch)
        .filter_map(|contact| {
            let every = contact.keep_in_touch?;
            let due_day = due_day(contact, every, zone, today);
            let days_overdue = (today - due_day).num_days();
            (days_overdue >= -i64::from(within_days)).then(|| DueContact {
                contact: contact.clone(),
                keep_in_touch: every,
                due_day,
                days_overdue,
                last_seen: contact
                    .last_seen_at()
                    .as_deref()
                    .and_then(|s| zone.day_of(s)),
                open_reminders: open.get(contact.id.as_str()).copied().unwrap_or(0),
            })
        })
        .collect();
    due.sort_by(|a, b| {
        b.urgency()
            .partial_cmp(&a.urgency())
            .unwrap_or(Ordering::Equal)
            .then_with(|| b.days_overdue.cmp(&a.days_overdue))
            .then_with(|| a.contact.full_name.cmp(&b.contact.full_name))
            .then_with(|| a.contact.id.cmp(&b.contact.id))
    });
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Reminder;

    fn utc() -> OwnerZone {
        OwnerZone::resolve(None, None)
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    fn person(id: &str, every: Frequency, last_seen: Option<&str>) -> Arc<Contact> {
        Arc::new(Contact {
            id: id.into(),
            full_name: id.to_uppercase(),
            keep_in_touch: Some(KeepInTouch::of(every)),
            last_seen_at: last_seen.map(Into::into),
            created_at: Some("2026-01-01T00:00:00Z".into()),
            ..Contact::default()
        })
    }

    fn ids(due: &[DueContact]) -> Vec<&str> {
        due.iter().map(|d| d.contact.id.as_str()).collect()
    }

    #[test]
    fn lateness_is_measured_in_periods_so_a_late_weekly_outranks_a_later_yearly() {
        let snapshot = Snapshot {
            contacts: vec![
                // 30 days late on a year: 0.08 periods.
                person("yearly", Frequency::Yearly, Some("2025-11-07T09:00:00Z")),
                // 14 days late on a week: 2 periods.
                person("weekly", Frequency::Weekly, Some("2026-11-16T09:00:00Z")),
                // Seen yesterday: due in 6 days.
                person("fresh", Frequency::Weekly, Some("2026-12-06T09:00:00Z")),
            ],
            ..Snapshot::default()
        };
        let due = due_contacts(&snapshot, &utc(), today(), 0);
        assert_eq!(ids(&due), ["weekly", "yearly"]);
        assert_eq!(due[0].days_overdue, 14);
        assert_eq!(due[1].days_overdue, 30);
        let soon = due_contacts(&snapshot, &utc(), today(), 6);
        assert_eq!(ids(&soon), ["weekly", "yearly", "fresh"]);
        assert_eq!(soon[2].days_overdue, -6);
    }

    #[test]
    fn archived_never_and_unset_contacts_are_never_due() {
        let mut archived = (*person("archived", Frequency::Weekly, None)).clone();
        archived.archived = true;
        let mut never = (*person("never", Frequency::Weekly, None)).clone();
        never.never_keep_in_touch = true;
        let unset = Contact {
            id: "unset".into(),
            ..Contact::default()
        };
        let snapshot = Snapshot {
            contacts: vec![Arc::new(archived), Arc::new(never), Arc::new(unset)],
            ..Snapshot::default()
        };
        assert!(due_contacts(&snapshot, &utc(), today(), 365).is_empty());
    }

    #[test]
    fn without_an_interaction_the_period_runs_from_when_the_contact_was_added() {
        let snapshot = Snapshot {
            contacts: vec![person("new", Frequency::Monthly, None)],
            ..Snapshot::default()
        };
        let due = due_contacts(&snapshot, &utc(), today(), 0);
        assert_eq!(
            due[0].due_day,
            NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()
        );
        assert_eq!(
            due[0].reasons(today()),
            [
                "monthly catch-up 310 days overdue (due 2026-01-31)",
                "no interaction recorded"
            ]
        );
    }

    #[test]
    fn stars_and_open_reminders_lift_a_contact_and_are_given_as_reasons() {
        let mut starred =
            (*person("starred", Frequency::Monthly, Some("2026-11-01T00:00:00Z"))).clone();
        starred.starred = true;
        let snapshot = Snapshot {
            contacts: vec![
                person("plain", Frequency::Monthly, Some("2026-11-01T00:00:00Z")),
                Arc::new(starred),
            ],
            reminders: vec![
                Arc::new(Reminder {
                    id: "r1".into(),
                    contact_ids: vec!["starred".into()],
                    ..Reminder::default()
                }),
                Arc::new(Reminder {
                    id: "done".into(),
                    complete: true,
                    contact_ids: vec!["plain".into()],
                    ..Reminder::default()
                }),
            ],
            ..Snapshot::default()
        };
        let due = due_contacts(&snapshot, &utc(), today(), 0);
        assert_eq!(ids(&due), ["starred", "plain"]);
        assert_eq!(due[0].open_reminders, 1);
        assert_eq!(due[1].open_reminders, 0, "a done reminder is not open");
        assert_eq!(
            due[0].reasons(today()),
            [
                "monthly catch-up 6 days overdue (due 2026-12-01)",
                "last in touch 2026-11-01 (36 days ago)",
                "starred",
                "1 open reminder"
            ]
        );
    }

    #[test]
    fn is_due_agrees_with_the_due_list() {
        let mut never = (*person("never", Frequency::Weekly, None)).clone();
        never.never_keep_in_touch = true;
        let unset = Contact::default();
        let late = person("late", Frequency::Weekly, Some("2026-11-01T00:00:00Z"));
        let fresh = person("fresh", Frequency::Weekly, Some("2026-12-06T00:00:00Z"));
        assert!(is_due(&late, &utc(), today()));
        assert!(!is_due(&fresh, &utc(), today()));
        assert!(!is_due(&never, &utc(), today()));
        assert!(!is_due(&unset, &utc(), today()));
    }

    #[test]
    fn the_last_interaction_is_the_owners_day() {
        // 02:00 UTC on December 1 is still November 30 in Los Angeles.
        let zone = OwnerZone::resolve(Some("America/Los_Angeles"), None);
        let contact = person("la", Frequency::Weekly, Some("2026-12-01T02:00:00Z"));
        let every = contact.keep_in_touch.unwrap();
        assert_eq!(
            due_day(&contact, every, &zone, today()),
            NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
        );
        assert_eq!(
            due_day(&contact, every, &utc(), today()),
            NaiveDate::from_ymd_opt(2026, 12, 8).unwrap()
        );
    }
}
