//! `GET /v1/unified-timeline`: notes and reminders in one dated list.
//!
//! Items are `{type: "NOTE"|"REMINDER", date, data}`. Newest first; with
//! `upcoming=true` only items dated today or later, soonest first. The
//! cursor here stands for an offset into that order (the list is sorted by
//! date, not by creation), written in the answer shape's cursor form; an
//! assumption about an opaque value. `take` is 1 to 100 in the reference
//! shape, as the reference documents.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use serde_json::{Value, json};

use super::ok;
use crate::http::AppState;
use crate::http::error::{ApiError, V1Error};
use crate::http::params;
use crate::search;
use crate::timestamps::{format_midnight, parse_instant};

/// The handler.
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let params = params::cursor(&query, shape)?;
    let take = params::unified_take(&query, shape)?;
    let contact = query.get("contactId").filter(|id| !id.is_empty());
    let start = date_param(&query, "startDate")?;
    let end = date_param(&query, "endDate")?;
    let upcoming = query
        .get("upcoming")
        .is_some_and(|v| v == "true" || v == "1");
    let needle = query
        .get("searchQuery")
        .filter(|q| !q.is_empty())
        .map(|q| search::Query::new(q));
    let store = state.store();
    if let Some(id) = contact {
        store.contact(id)?;
    }
    let linked = |links: &[crate::model::ContactRef]| {
        contact.is_none_or(|id| links.iter().any(|l| &l.contact_id == id))
    };

    let mut items: Vec<(String, Value)> = Vec::new();
    for (_, note) in store.notes().iter() {
        if linked(&note.timeline_items_contacts)
            && needle.as_ref().is_none_or(|q| q.matches_note(note))
        {
            items.push((
                note.event_time.clone(),
                json!({"type": "NOTE", "date": note.event_time, "data": note}),
            ));
        }
    }
    for (_, reminder) in store.reminders().iter() {
        let Some(date) = reminder.due_at_time.clone().or_else(|| {
            reminder
                .due_at_date
                .as_deref()
                .and_then(parse_instant)
                .map(|d| format_midnight(d.date()))
        }) else {
            continue;
        };
        if linked(&reminder.reminders_contacts)
            && needle.as_ref().is_none_or(|q| q.matches_reminder(reminder))
            && !(upcoming && reminder.is_complete)
        {
            items.push((
                date.clone(),
                json!({"type": "REMINDER", "date": date, "data": super::reminder(reminder, shape)}),
            ));
        }
    }
    let today = format_midnight(state.today);
    items.retain(|(date, _)| {
        let day = parse_instant(date).map(|d| d.date());
        (!upcoming || date.as_str() >= today.as_str())
            && start.is_none_or(|s| day.is_some_and(|d| d >= s))
            && end.is_none_or(|e| day.is_some_and(|d| d <= e))
    });
    // RFC 3339 strings in one format sort as their instants do.
    if upcoming {
        items.sort_by(|a, b| a.0.cmp(&b.0));
    } else {
        items.sort_by(|a, b| b.0.cmp(&a.0));
    }
    let count = items.len();
    let offset = params.after.unwrap_or(0) as usize;
    let page: Vec<Value> = items
        .into_iter()
        .skip(offset)
        .take(take)
        .map(|(_, item)| item)
        .collect();
    let next = offset + page.len();
    let has_more = next < count;
    Ok(ok(json!({
        "items": page,
        "nextCursor": has_more.then(|| shape.cursor(next as u64)),
        "hasMore": has_more,
        "count": count,
    })))
}

fn date_param(query: &HashMap<String, String>, name: &str) -> Result<Option<NaiveDate>, ApiError> {
    match query.get(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => parse_instant(text)
            .map(|d| Some(d.date()))
            .ok_or_else(|| ApiError::bad_request(format!("`{name}` must be an ISO 8601 date"))),
    }
}
