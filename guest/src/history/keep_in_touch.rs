//! Whether a contact is due for a catch-up: the one rule every
//! keep-in-touch reader (filter_contacts, reach-out suggestions) shares.
//!
//! A contact with a keep-in-touch interval is due once the interval has
//! passed since the day the user last saw them, reckoned on the owner's
//! calendar: `last_seen_at + keep_in_touch.days <= today`. A contact never
//! seen is due at once; one without an interval, or marked "never keep in
//! touch", never is.

use chrono::NaiveDate;

use super::OwnerZone;
use crate::model::Contact;

/// The owner's day on which `contact` falls due (`None`: it never does).
/// Never seen: due since forever, so the earliest day there is.
pub fn due_day(contact: &Contact, zone: &OwnerZone) -> Option<NaiveDate> {
    if contact.never_keep_in_touch {
        return None;
    }
    let keep = contact.keep_in_touch?;
    let Some(seen) = contact.last_seen_at.as_deref() else {
        return Some(NaiveDate::MIN);
    };
    // A last-seen time Dex sent in no form we read counts as never seen:
    // reminding too early beats never reminding.
    let Some(day) = zone.day_of(seen) else {
        return Some(NaiveDate::MIN);
    };
    Some(
        day.checked_add_days(chrono::Days::new(u64::from(keep.days)))
            .unwrap_or(NaiveDate::MAX),
    )
}

/// Whether `contact` is due on the owner's day `today`.
pub fn is_due(contact: &Contact, zone: &OwnerZone, today: NaiveDate) -> bool {
    due_day(contact, zone).is_some_and(|due| due <= today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Frequency, KeepInTouch};

    fn contact(every: Option<Frequency>, seen: Option<&str>) -> Contact {
        Contact {
            keep_in_touch: every.map(KeepInTouch::of),
            last_seen_at: seen.map(str::to_owned),
            ..Contact::default()
        }
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn due_once_the_interval_has_passed_since_last_seen() {
        let zone = OwnerZone::resolve(Some("UTC"), None);
        let weekly = contact(Some(Frequency::Weekly), Some("2026-03-01T10:00:00Z"));
        assert!(!is_due(&weekly, &zone, day("2026-03-07")));
        assert!(is_due(&weekly, &zone, day("2026-03-08")));
        assert_eq!(due_day(&weekly, &zone), Some(day("2026-03-08")));
    }

    #[test]
    fn last_seen_is_a_day_of_the_owner_zone() {
        // 03:00 UTC on March 2 is still March 1 in California.
        let zone = OwnerZone::resolve(Some("America/Los_Angeles"), None);
        let weekly = contact(Some(Frequency::Weekly), Some("2026-03-02T03:00:00Z"));
        assert!(is_due(&weekly, &zone, day("2026-03-08")));
    }

    #[test]
    fn never_seen_is_due_and_no_interval_or_never_is_not() {
        let zone = OwnerZone::resolve(None, None);
        let today = day("2026-03-08");
        assert!(is_due(
            &contact(Some(Frequency::Monthly), None),
            &zone,
            today
        ));
        assert!(!is_due(&contact(None, None), &zone, today));
        let never = Contact {
            never_keep_in_touch: true,
            ..contact(Some(Frequency::Monthly), None)
        };
        assert!(!is_due(&never, &zone, today));
    }
}
