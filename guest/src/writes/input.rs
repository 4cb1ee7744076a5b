//! Checks of the writing tools' arguments, made before anything is sent,
//! each naming the argument at fault and why.

use crate::model::{ContactId, ToolError};

/// A text that must say something: trimmed, non-empty.
pub fn required_text(field: &str, raw: &str) -> Result<String, ToolError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(ToolError::validation(
            field,
            format!("{field} is empty; pass the text to save"),
        ));
    }
    Ok(text.to_owned())
}

/// An optional text; a blank one is refused rather than silently erasing
/// the field, since clearing is not what a blank argument usually means.
pub fn optional_text(field: &str, raw: Option<&str>) -> Result<Option<String>, ToolError> {
    raw.map(|r| required_text(field, r)).transpose()
}

/// At least one valid contact id, repeats dropped, order kept.
pub fn contact_ids(field: &str, raws: &[String]) -> Result<Vec<ContactId>, ToolError> {
    if raws.is_empty() {
        return Err(ToolError::validation(
            field,
            format!("{field} is empty; pass the id of at least one contact (from find_contact)"),
        ));
    }
    let mut ids: Vec<ContactId> = Vec::with_capacity(raws.len());
    for raw in raws {
        let id = ContactId::parse(field, raw)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// A calendar date, `YYYY-MM-DD`.
pub fn date(field: &str, raw: &str) -> Result<String, ToolError> {
    let text = raw.trim();
    if is_date(text) {
        Ok(text.to_owned())
    } else {
        Err(ToolError::validation(
            field,
            format!("`{text}` is not a date; pass YYYY-MM-DD, like 2025-03-14"),
        ))
    }
}

/// A moment, RFC 3339 with a time zone (`2025-03-14T09:30:00Z`).
pub fn time(field: &str, raw: &str) -> Result<String, ToolError> {
    let text = raw.trim();
    if is_time(text) {
        Ok(text.to_owned())
    } else {
        Err(ToolError::validation(
            field,
            format!(
                "`{text}` is not a time; pass RFC 3339 with a time zone, like 2025-03-14T09:30:00Z"
            ),
        ))
    }
}

/// A date or a moment.
pub fn date_or_time(field: &str, raw: &str) -> Result<String, ToolError> {
    let text = raw.trim();
    if is_date(text) || is_time(text) {
        Ok(text.to_owned())
    } else {
        Err(ToolError::validation(
            field,
            format!(
                "`{text}` is not a date or time; pass YYYY-MM-DD (2025-03-14) or RFC 3339 (2025-03-14T09:30:00Z)"
            ),
        ))
    }
}

fn number(text: &str, digits: usize, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
    if text.len() != digits || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|n| range.contains(n))
}

fn is_date(text: &str) -> bool {
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(year), Some(month)) = (number(y, 4, 1..=9999), number(m, 2, 1..=12)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    number(d, 2, 1..=days).is_some()
}

fn is_time(text: &str) -> bool {
    let Some((day, rest)) = text.split_once(['T', 't']) else {
        return false;
    };
    if !is_date(day) {
        return false;
    }
    let (clock, zone) = if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        (clock, None)
    } else if let Some(at) = rest.rfind(['+', '-']) {
        (&rest[..at], Some(&rest[at + 1..]))
    } else {
        return false;
    };
    let zone_ok = zone.is_none_or(|z| {
        matches!(z.split_once(':'), Some((h, m)) if number(h, 2, 0..=23).is_some() && number(m, 2, 0..=59).is_some())
    });
    let clock = clock.split_once('.').map_or(clock, |(whole, fraction)| {
        if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) {
            whole
        } else {
            "invalid"
        }
    });
    let mut parts = clock.split(':');
    let ok = matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(h), Some(m), s, None)
            if number(h, 2, 0..=23).is_some()
                && number(m, 2, 0..=59).is_some()
                && s.is_none_or(|s| number(s, 2, 0..=60).is_some())
    );
    ok && zone_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist_on_the_calendar() {
        assert!(date("due-date", "2024-02-29").is_ok());
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "24-01-01",
            "2024-1-01",
            "tomorrow",
        ] {
            let err = date("due-date", bad).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("due_date"), "{bad}");
            assert!(err.message.contains("YYYY-MM-DD"), "{}", err.message);
        }
    }

    #[test]
    fn times_need_a_time_zone() {
        for good in [
            "2025-03-14T09:30:00Z",
            "2025-03-14T09:30Z",
            "2025-03-14T09:30:00.123+02:00",
        ] {
            assert!(time("due-time", good).is_ok(), "{good}");
        }
        for bad in [
            "2025-03-14T09:30:00",
            "2025-03-14 09:30Z",
            "2025-03-14T25:00Z",
        ] {
            assert!(time("due-time", bad).is_err(), "{bad}");
        }
        assert!(date_or_time("event-time", "2025-03-14").is_ok());
        assert!(date_or_time("event-time", "last week").is_err());
    }

    #[test]
    fn contact_ids_are_required_and_deduplicated() {
        let err = contact_ids("contact-ids", &[]).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("contact_ids"));
        let ids = contact_ids("contact-ids", &["c1".into(), " c1 ".into(), "c2".into()]).unwrap();
        assert_eq!(ids.len(), 2);
        assert!(contact_ids("contact-ids", &["a b".into()]).is_err());
    }

    #[test]
    fn blank_texts_are_refused_by_name() {
        let err = required_text("text", "   ").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("text"));
        assert_eq!(optional_text("text", None).unwrap(), None);
        assert!(optional_text("company", Some(" ")).is_err());
    }
}
