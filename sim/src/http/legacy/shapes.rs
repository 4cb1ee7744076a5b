//! The legacy read shapes, derived from the shared v1 records, and the
//! unwrapping of legacy write bodies into v1 field maps.

use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value, json};

use crate::http::error::ApiError;
use crate::model::{Contact, ContactRef, Note, Reminder};

/// A contact as legacy reads it: no company, `emails`/`phones` lists, the
/// birthday in the current year.
pub fn contact(contact: &Contact, today: NaiveDate) -> Value {
    json!({
        "id": contact.id,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "job_title": contact.job_title,
        "description": contact.description,
        "education": contact.education,
        "image_url": contact.image_url,
        "emails": contact.contact_emails.iter().map(|e| json!({"email": e.email})).collect::<Vec<_>>(),
        "phones": contact.contact_phone_numbers.iter().map(|p| json!({"phone_number": p.phone_number})).collect::<Vec<_>>(),
        "linkedin": contact.linkedin,
        "facebook": contact.facebook,
        "twitter": contact.twitter,
        "instagram": contact.instagram,
        "telegram": contact.telegram,
        "birthday_current_year": birthday_this_year(contact.birthday.as_deref(), today),
        "last_seen_at": contact.last_seen_at,
        "next_reminder_at": contact.next_reminder_at,
    })
}

/// `YYYY-MM-DD` or `--MM-DD` moved into `today`'s year (Feb 29 becomes
/// Feb 28 in other years).
fn birthday_this_year(birthday: Option<&str>, today: NaiveDate) -> Option<String> {
    let text = birthday?;
    let month_day = text.get(text.len().checked_sub(5)?..)?;
    let (month, day) = month_day.split_once('-')?;
    let (month, day): (u32, u32) = (month.parse().ok()?, day.parse().ok()?);
    let date = NaiveDate::from_ymd_opt(today.year(), month, day)
        .or_else(|| NaiveDate::from_ymd_opt(today.year(), month, day - 1))?;
    Some(date.format("%Y-%m-%d").to_string())
}

fn refs(links: &[ContactRef]) -> Vec<Value> {
    links
        .iter()
        .map(|l| json!({"contact_id": l.contact_id}))
        .collect()
}

/// A note as legacy reads it.
pub fn note(note: &Note) -> Value {
    json!({
        "id": note.id,
        "note": note.note,
        "event_time": note.event_time,
        "contacts": refs(&note.timeline_items_contacts),
    })
}

/// A reminder as legacy reads it: the text is `body`.
pub fn reminder(reminder: &Reminder) -> Value {
    json!({
        "id": reminder.id,
        "body": reminder.text,
        "is_complete": reminder.is_complete,
        "due_at_time": reminder.due_at_time,
        "due_at_date": reminder.due_at_date,
        "contact_ids": refs(&reminder.reminders_contacts),
    })
}

/// Reads Hasura's nested insert `{"data": x}` (an object or a list) as a
/// list of objects.
pub fn nested_rows(value: Value, what: &str) -> Result<Vec<Map<String, Value>>, ApiError> {
    let bad = || ApiError::bad_request(format!("`{what}` must be {{\"data\": ...}}"));
    let Value::Object(mut wrapper) = value else {
        return Err(bad());
    };
    let data = wrapper.remove("data").ok_or_else(bad)?;
    if let Some(extra) = wrapper.keys().next() {
        return Err(ApiError::bad_request(format!(
            "unknown field `{what}.{extra}`"
        )));
    }
    let rows = match data {
        Value::Array(rows) => rows,
        Value::Object(_) => vec![data],
        _ => return Err(bad()),
    };
    rows.into_iter()
        .map(|row| match row {
            Value::Object(map) => Ok(map),
            _ => Err(bad()),
        })
        .collect()
}

/// Only these keys may be in `row`.
pub fn only_keys(row: &Map<String, Value>, allowed: &[&str], what: &str) -> Result<(), ApiError> {
    match row.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => Err(ApiError::bad_request(format!(
            "unknown field `{what}.{key}`"
        ))),
        None => Ok(()),
    }
}

/// `[{contact_id}]` rows as v1 links (`timeline_items_contacts` /
/// `reminders_contacts`).
pub fn links(rows: Vec<Map<String, Value>>, what: &str) -> Result<Value, ApiError> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        only_keys(&row, &["contact_id"], what)?;
        let id = row
            .get("contact_id")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::bad_request(format!("`{what}` rows need a contact_id")))?;
        out.push(json!(ContactRef::new(id)));
    }
    Ok(Value::Array(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthday_moves_to_the_current_year_with_or_without_a_year() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(
            birthday_this_year(Some("1985-07-14"), today).as_deref(),
            Some("2026-07-14")
        );
        assert_eq!(
            birthday_this_year(Some("--12-01"), today).as_deref(),
            Some("2026-12-01")
        );
        assert_eq!(
            birthday_this_year(Some("2000-02-29"), today).as_deref(),
            Some("2026-02-28")
        );
        assert_eq!(birthday_this_year(None, today), None);
    }
}
