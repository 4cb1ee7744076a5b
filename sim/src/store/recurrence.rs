//! Reminder recurrence: when the next occurrence of a repeating reminder
//! falls, and what `next_occurrence_at` reads.

use chrono::{Duration, Months, NaiveDate};

use crate::model::Recurrence;
use crate::timestamps::{format_midnight, parse_date, parse_instant};

/// The occurrence after `date`. Month steps keep the day of the month,
/// clamped to the month's last day (Jan 31 + 1 month = Feb 28/29).
pub fn advance(date: NaiveDate, every: Recurrence) -> NaiveDate {
    let months = match every {
        Recurrence::Weekly => return date + Duration::days(7),
        Recurrence::Biweekly => return date + Duration::days(14),
        Recurrence::Monthly => 1,
        Recurrence::Quarterly => 3,
        Recurrence::Biannually => 6,
        Recurrence::Yearly => 12,
    };
    date.checked_add_months(Months::new(months)).unwrap_or(date)
}

/// `next_occurrence_at` for a reminder: its due instant while it is open
/// (the due time when it has one, else midnight UTC of the due date), null
/// once complete or when it has no due date.
pub fn next_occurrence(
    is_complete: bool,
    due_at_date: Option<&str>,
    due_at_time: Option<&str>,
) -> Option<String> {
    if is_complete {
        return None;
    }
    if let Some(instant) = due_at_time.and_then(parse_instant) {
        return Some(crate::timestamps::format_instant(instant));
    }
    due_at_date.and_then(parse_date).map(format_midnight)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn each_recurrence_advances_by_its_period() {
        let start = date(2026, 1, 15);
        assert_eq!(advance(start, Recurrence::Weekly), date(2026, 1, 22));
        assert_eq!(advance(start, Recurrence::Biweekly), date(2026, 1, 29));
        assert_eq!(advance(start, Recurrence::Monthly), date(2026, 2, 15));
        assert_eq!(advance(start, Recurrence::Quarterly), date(2026, 4, 15));
        assert_eq!(advance(start, Recurrence::Biannually), date(2026, 7, 15));
        assert_eq!(advance(start, Recurrence::Yearly), date(2027, 1, 15));
    }

    #[test]
    fn month_steps_clamp_to_the_end_of_short_months() {
        assert_eq!(
            advance(date(2026, 1, 31), Recurrence::Monthly),
            date(2026, 2, 28)
        );
    }

    #[test]
    fn completed_reminders_have_no_next_occurrence() {
        assert_eq!(next_occurrence(true, Some("2026-01-01"), None), None);
        assert_eq!(
            next_occurrence(false, Some("2026-01-01"), None).as_deref(),
            Some("2026-01-01T00:00:00.000Z")
        );
        assert_eq!(
            next_occurrence(false, Some("2026-01-01"), Some("2026-01-01T09:00:00Z")).as_deref(),
            Some("2026-01-01T09:00:00.000Z")
        );
    }
}
