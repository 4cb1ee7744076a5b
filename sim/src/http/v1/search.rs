//! `/v1/search/{contacts,reminders,timeline}?searchQuery=`: substring
//! search, ignoring case and accents, paged like the lists.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use serde_json::Value;

use super::{page, reminder_page};
use crate::http::AppState;
use crate::http::error::{ApiError, V1Error};
use crate::http::params;
use crate::search;
use crate::store::paging;

fn search_query(query: &HashMap<String, String>) -> Result<search::Query, ApiError> {
    query
        .get("searchQuery")
        .map(|text| search::Query::new(text))
        .ok_or_else(|| ApiError::bad_request("`searchQuery` is required"))
}

/// `GET /v1/search/contacts`: names, company, job title, emails, phones.
pub async fn contacts(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let params = params::cursor(&query, shape)?;
    let needle = search_query(&query)?;
    let store = state.store();
    let rows = store
        .contacts()
        .iter()
        .filter(|(_, c)| needle.matches_contact(c));
    Ok(page(
        paging::after_cursor(rows, params.after, params.take),
        shape,
    ))
}

/// `GET /v1/search/reminders`: reminder text.
pub async fn reminders(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let params = params::cursor(&query, shape)?;
    let needle = search_query(&query)?;
    let store = state.store();
    let rows = store
        .reminders()
        .iter()
        .filter(|(_, r)| needle.matches_reminder(r));
    Ok(reminder_page(
        paging::after_cursor(rows, params.after, params.take),
        shape,
    ))
}

/// `GET /v1/search/timeline`: note text.
pub async fn timeline(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let params = params::cursor(&query, shape)?;
    let needle = search_query(&query)?;
    let store = state.store();
    let rows = store.notes().iter().filter(|(_, n)| needle.matches_note(n));
    Ok(page(
        paging::after_cursor(rows, params.after, params.take),
        shape,
    ))
}
