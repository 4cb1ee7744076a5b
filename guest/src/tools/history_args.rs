//! Arguments the history tools share, checked the same way everywhere so
//! that a bad `limit` or `days` gets the same answer from every tool.

use crate::history::Cursor;
use crate::model::ToolError;

/// `limit`, defaulted, within `1..=max`.
pub fn limit(value: Option<u32>, default: u32, max: u32) -> Result<usize, ToolError> {
    let limit = value.unwrap_or(default);
    if !(1..=max).contains(&limit) {
        return Err(ToolError::validation(
            "limit",
            format!("limit is {limit}; pass 1 to {max}, and use the cursor for more"),
        ));
    }
    Ok(limit as usize)
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
    fn no_cursor_starts_at_the_top() {
        assert_eq!(cursor("notes", None).unwrap(), Cursor::start("notes"));
        assert!(cursor("notes", Some("other.1")).is_err());
    }
}
