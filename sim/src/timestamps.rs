//! The one text format for instants and dates, so that every record the
//! simulator writes reads the same way (`2026-03-02T09:30:00.000Z`,
//! `2026-03-02`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};

/// Formats an instant as RFC 3339 with milliseconds and a `Z`.
pub fn format_instant(instant: NaiveDateTime) -> String {
    instant
        .and_utc()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Midnight (UTC) of `date`, formatted.
pub fn format_midnight(date: NaiveDate) -> String {
    format_instant(date.and_time(NaiveTime::MIN))
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The current wall-clock time, formatted. Used for `created_at`,
/// `updated_at` and `last_completed_at` of writes made while running.
pub fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses an RFC 3339 instant, or a bare `YYYY-MM-DD` date read as midnight
/// UTC (clients send both for `event_time`).
pub fn parse_instant(text: &str) -> Option<NaiveDateTime> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Some(instant.naive_utc());
    }
    parse_date(text).map(|date| date.and_time(NaiveTime::MIN))
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The day of a due date as a client sent it: `YYYY-MM-DD`, or a datetime
/// whose calendar day is taken as written (`2026-04-01T00:00:00.000Z` is
/// the 1st, whatever its offset).
pub fn parse_due_day(text: &str) -> Option<NaiveDate> {
    if let Some(day) = parse_date(text) {
        return Some(day);
    }
    DateTime::parse_from_rfc3339(text).ok()?;
    parse_date(text.get(..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_round_trip() {
        let instant = parse_instant("2026-03-02T09:30:00.000Z").unwrap();
        assert_eq!(format_instant(instant), "2026-03-02T09:30:00.000Z");
    }

    #[test]
    fn bare_dates_read_as_midnight() {
        let instant = parse_instant("2026-03-02").unwrap();
        assert_eq!(format_instant(instant), "2026-03-02T00:00:00.000Z");
    }

    #[test]
    fn due_days_are_read_from_dates_and_datetimes_as_written() {
        let day = |text| parse_due_day(text).map(format_date);
        assert_eq!(day("2026-04-01").as_deref(), Some("2026-04-01"));
        assert_eq!(
            day("2026-04-01T00:00:00.000Z").as_deref(),
            Some("2026-04-01")
        );
        assert_eq!(
            day("2026-04-01T00:00:00+13:00").as_deref(),
            Some("2026-04-01")
        );
        assert_eq!(day("next tuesday"), None);
        assert_eq!(day("2026-04-01T25:00:00Z"), None);
    }

    #[test]
    fn offsets_are_normalised_to_utc() {
        let instant = parse_instant("2026-03-02T10:30:00+01:00").unwrap();
        assert_eq!(format_instant(instant), "2026-03-02T09:30:00.000Z");
    }
}
