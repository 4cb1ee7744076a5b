//! Arguments the history tools share, checked the same way everywhere so
//! that a bad `limit` or `days` gets the same answer from every tool.

use chrono::NaiveDate;

use crate::history::{Cursor, parse_day_argument};
use crate::model::ToolError;

/// Days between `date-from` and `date-to`, both included; either end may
/// be open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayWindow {
    /// The first day included.
    pub from: Option<NaiveDate>,
    /// The last day included.
    pub to: Option<NaiveDate>,
}

impl DayWindow {
    /// `date-from` and `date-to` read as days, refused when reversed.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, ToolError> {
        let from = from
            .map(|raw| parse_day_argument("date-from", raw))
            .transpose()?;
        let to = to
            .map(|raw| parse_day_argument("date-to", raw))
            .transpose()?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(ToolError::validation(
                "date-to",
                format!("date-to ({to}) is before date-from ({from}); swap them"),
            ));
        }
        Ok(Self { from, to })
    }

    /// Whether either end is set.
    pub fn is_set(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// Whether an entry on `day` falls inside; an undated entry cannot be
    /// placed inside a window, so it is kept only when no end is set.
    pub fn holds(&self, day: Option<NaiveDate>) -> bool {
        match day {
            None => !self.is_set(),
            Some(day) => self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t),
        }
    }

    /// " from 2025-01-01 to 2025-02-01", for a summary; empty when open.
    pub fn phrase(&self) -> String {
        match (self.from, self.to) {
            (None, None) => String::new(),
            (Some(f), None) => format!(" from {f}"),
            (None, Some(t)) => format!(" up to {t}"),
            (Some(f), Some(t)) => format!(" from {f} to {t}"),
        }
    }
}

/// `limit`, defaulted, within `1..=max`.
pub fn limit(value: Option<u32>, default: u32, max: u32) -> Result<usize, ToolError> {
    page_size("limit", value, default, max)
}

/// A page size passed as `parameter` (its WIT name), defaulted, within
/// `1..=max`; the error names it as the assistant wrote it (snake_case).
pub fn page_size(
    parameter: &'static str,
    value: Option<u32>,
    default: u32,
    max: u32,
) -> Result<usize, ToolError> {
    let size = value.unwrap_or(default);
    if !(1..=max).contains(&size) {
        let shown = parameter.replace('-', "_");
        return Err(ToolError::validation(
            parameter,
            format!("{shown} is {size}; pass 1 to {max}, and use the cursor for more"),
        ));
    }
    Ok(size as usize)
}

/// A window length in days, defaulted, within `0..=max`.
pub fn days(value: Option<u32>, default: u32, max: u32) -> Result<u32, ToolError> {
    let days = value.unwrap_or(default);
    if days > max {
        return Err(ToolError::validation(
            "days",
            format!("days is {days}; pass 0 (today only) to {max}"),
        ));
    }
    Ok(days)
}

/// The page to start at: the given cursor of `tool`, or the first page.
pub fn cursor(tool: &'static str, value: Option<&str>) -> Result<Cursor, ToolError> {
    match value {
        None => Ok(Cursor::start(tool)),
        Some(raw) => Cursor::parse(tool, "cursor", raw),
    }
}

/// An account reader over `snapshot` that counts how often it is asked,
/// for tests that check a tool reads the account only when it must.
#[cfg(test)]
pub fn counted(
    snapshot: crate::snapshot::Snapshot,
) -> (
    impl Fn() -> Result<std::rc::Rc<crate::account::Account>, ToolError>,
    std::rc::Rc<std::cell::Cell<usize>>,
) {
    let account = std::rc::Rc::new(crate::account::Account::index(
        snapshot,
        std::time::Duration::ZERO,
    ));
    let reads = std::rc::Rc::new(std::cell::Cell::new(0));
    let counter = reads.clone();
    let read = move || {
        counter.set(counter.get() + 1);
        Ok(account.clone())
    };
    (read, reads)
}

/// An account reader over `snapshot`, for the history tools' tests.
#[cfg(test)]
pub fn held(
    snapshot: crate::snapshot::Snapshot,
) -> impl Fn() -> Result<std::rc::Rc<crate::account::Account>, ToolError> {
    counted(snapshot).0
}

/// A clock at the RFC 3339 moment `now` with no zone setting, for the
/// history tools' tests.
#[cfg(test)]
pub fn clock_at(now: &str) -> crate::history::WallClock {
    crate::history::WallClock {
        now: chrono::DateTime::parse_from_rfc3339(now).unwrap().to_utc(),
        zone_setting: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_days_outside_their_range_are_refused_by_name() {
        assert_eq!(limit(None, 20, 100).unwrap(), 20);
        assert_eq!(
            limit(Some(0), 20, 100).unwrap_err().field.as_deref(),
            Some("limit")
        );
        assert!(limit(Some(101), 20, 100).is_err());
        assert_eq!(days(Some(0), 7, 365).unwrap(), 0);
        assert_eq!(
            days(Some(400), 7, 365).unwrap_err().field.as_deref(),
            Some("days")
        );
    }

    #[test]
    fn bad_arguments_fail_before_the_account_is_read() {
        use crate::snapshot::Snapshot;
        use crate::tools::history::*;
        let (read, reads) = counted(Snapshot::default());
        let today = clock_at("2026-03-01T12:00:00Z");
        let failures = [
            get_contact_details(&read, &|_| Ok(None), "../x").map(drop),
            get_contact_notes(
                &read,
                &ContactNotesArgs {
                    contact_id: "c1".into(),
                    limit: Some(0),
                    cursor: None,
                },
            )
            .map(drop),
            get_contact_history(
                &read,
                &ContactHistoryArgs {
                    contact_id: "c1".into(),
                    date_from: Some("2026-13-01".into()),
                    ..ContactHistoryArgs::default()
                },
            )
            .map(drop),
            get_contact_reminders(
                &read,
                &ContactRemindersArgs {
                    contact_id: "c1".into(),
                    status: None,
                    cursor: Some("get-contact-notes.3".into()),
                },
            )
            .map(drop),
            upcoming_reminders(
                &read,
                &today,
                &UpcomingRemindersArgs {
                    days: Some(366),
                    ..UpcomingRemindersArgs::default()
                },
            )
            .map(drop),
            upcoming_birthdays(
                &read,
                &today,
                &UpcomingBirthdaysArgs {
                    days: Some(400),
                    cursor: None,
                },
            )
            .map(drop),
        ];
        let fields: Vec<_> = failures
            .into_iter()
            .map(|f| f.unwrap_err().field.unwrap_or_default())
            .collect();
        assert_eq!(
            fields,
            ["contact_id", "limit", "date_from", "cursor", "days", "days"]
        );
        assert_eq!(reads.get(), 0, "the account was read for bad arguments");
        get_contact_details(&read, &|_| Ok(None), "nobody").unwrap_err();
        assert_eq!(reads.get(), 1, "a valid call reads the account");
    }

    #[test]
    fn no_cursor_starts_at_the_top() {
        assert_eq!(cursor("notes", None).unwrap(), Cursor::start("notes"));
        assert!(cursor("notes", Some("other.1")).is_err());
    }
}
