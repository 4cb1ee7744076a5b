//! Reading the dates Dex stores, and knowing what day it is.
//!
//! Dex gives days as `YYYY-MM-DD` and moments as RFC 3339; the history
//! tools compare both on one scale (seconds since the epoch, a date-only
//! value counting as midnight UTC) and bucket them into UTC days for date
//! windows. "Today" is the only input from the wall clock, read once per
//! call by [`today_utc`] and passed down, so every rule is tested with a
//! fixed day.

use chrono::{DateTime, NaiveDate};

use crate::model::ToolError;

/// Today's date in UTC, from the wall clock (`wasi:clocks` in the
/// component).
pub fn today_utc() -> NaiveDate {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or(0);
    DateTime::from_timestamp(seconds, 0)
        .map(|moment| moment.date_naive())
        .unwrap_or_default()
}

/// Seconds since the epoch of a Dex date or moment; a bare day is its
/// midnight UTC. `None` when the text is neither.
pub fn instant_of(stamp: &str) -> Option<i64> {
    let stamp = stamp.trim();
    if let Ok(moment) = DateTime::parse_from_rfc3339(stamp) {
        return Some(moment.timestamp());
    }
    day_only(stamp).map(|day| day.and_time(chrono::NaiveTime::MIN).and_utc().timestamp())
}

/// The UTC day of a Dex date or moment.
pub fn day_of(stamp: &str) -> Option<NaiveDate> {
    let stamp = stamp.trim();
    if let Ok(moment) = DateTime::parse_from_rfc3339(stamp) {
        return Some(moment.to_utc().date_naive());
    }
    day_only(stamp)
}

/// `YYYY-MM-DD`, also when Dex appends a time without a zone
/// (`2024-06-01T00:00:00`).
fn day_only(stamp: &str) -> Option<NaiveDate> {
    let day = stamp.split('T').next()?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// A day argument from the assistant, `YYYY-MM-DD`.
pub fn parse_day_argument(field: &str, raw: &str) -> Result<NaiveDate, ToolError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
        ToolError::validation(
            field,
            format!("{field} is `{raw}`; pass a calendar date as YYYY-MM-DD, like 2025-01-31"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_moment_falls_on_its_utc_day() {
        assert_eq!(day_of("2025-03-01T23:30:00-02:00"), Some(date(2025, 3, 2)));
        assert_eq!(day_of("2025-03-01T10:00:00Z"), Some(date(2025, 3, 1)));
        assert_eq!(day_of("2025-03-01"), Some(date(2025, 3, 1)));
        assert_eq!(day_of("someday"), None);
    }

    #[test]
    fn a_bare_day_counts_as_its_midnight() {
        assert_eq!(instant_of("2025-03-01"), instant_of("2025-03-01T00:00:00Z"));
        assert!(instant_of("2025-03-01T00:00:01Z") > instant_of("2025-03-01"));
    }

    #[test]
    fn day_arguments_must_be_calendar_dates() {
        assert_eq!(
            parse_day_argument("date-from", " 2024-02-29 ").unwrap(),
            date(2024, 2, 29)
        );
        let err = parse_day_argument("date-from", "2023-02-29").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("date_from"));
        assert!(parse_day_argument("date-to", "03/01/2025").is_err());
    }

    #[test]
    fn the_wall_clock_gives_a_day_after_this_code_was_written() {
        assert!(today_utc() > date(2025, 1, 1));
    }
}
