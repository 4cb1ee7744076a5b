//! Legacy `/reminders`: reads call the text `body`, writes call it `text`,
//! and a `title` is refused.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use serde_json::{Map, Value, json};

use super::shapes;
use crate::http::AppState;
use crate::http::body;
use crate::http::error::{ApiError, LegacyError};
use crate::http::params;
use crate::store::paging;
use crate::store::patch::FieldRules;

/// What a reminder insert may hold (after unwrapping
/// `reminders_contacts.data`).
const INSERT_RULES: FieldRules = FieldRules {
    writable: &[
        "text",
        "is_complete",
        "due_at_date",
        "due_at_time",
        "reminders_contacts",
    ],
    read_only: &["id", "created_at", "updated_at"],
};

/// What a reminder's `changes` may hold.
const CHANGE_RULES: FieldRules = FieldRules {
    writable: &["text", "is_complete", "due_at_time", "due_at_date"],
    read_only: &["id", "created_at", "updated_at"],
};

/// Legacy reminders have no title; clients that send one expect a refusal.
fn refuse_title_and_body(fields: &Map<String, Value>) -> Result<(), ApiError> {
    if fields.contains_key("title") {
        return Err(ApiError::bad_request(
            "reminders have no `title`; send `text`",
        ));
    }
    if fields.contains_key("body") {
        return Err(ApiError::bad_request(
            "write a reminder's text as `text`, not `body`",
        ));
    }
    Ok(())
}

/// `GET /reminders?limit=&offset=` -> `{"reminders", "total": {"aggregate": {"count"}}}`
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, LegacyError> {
    let (limit, offset) = params::limit_offset(&query)?;
    let store = state.store();
    let page = paging::by_offset(store.reminders().iter().map(|(_, r)| r), offset, limit);
    let items: Vec<Value> = page.items.iter().map(|r| shapes::reminder(r)).collect();
    Ok(Json(json!({
        "reminders": items,
        "total": {"aggregate": {"count": page.count}},
    })))
}

/// `POST /reminders` with `{"reminder": {text, is_complete, due_at_date,
/// reminders_contacts: {"data": [{contact_id}]}}}` -> `insert_reminders_one`.
pub async fn create(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Json<Value>, LegacyError> {
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "reminder", &[])?;
    let mut fields = body::as_object(inner, "reminder")?;
    refuse_title_and_body(&fields)?;
    if let Some(links) = fields.remove("reminders_contacts") {
        let rows = shapes::nested_rows(links, "reminders_contacts")?;
        fields.insert(
            "reminders_contacts".into(),
            shapes::links(rows, "reminders_contacts")?,
        );
    }
    let reminder = state.store().create_reminder(&fields, INSERT_RULES)?;
    Ok(Json(
        json!({"insert_reminders_one": shapes::reminder(&reminder)}),
    ))
}

/// `PUT /reminders/{id}` with `{"changes": {text, is_complete, due_at_time,
/// due_at_date}}` -> `update_reminders_by_pk`.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, LegacyError> {
    let (changes, _) = body::unwrap_key(
        body::object(&bytes)?,
        "changes",
        &["reminderId", "reminder_id"],
    )?;
    let changes = body::as_object(changes, "changes")?;
    refuse_title_and_body(&changes)?;
    let mut store = state.store();
    store.reminder(&id)?;
    let reminder = store.update_reminder(&id, &changes, CHANGE_RULES)?;
    Ok(Json(
        json!({"update_reminders_by_pk": shapes::reminder(&reminder)}),
    ))
}

/// `DELETE /reminders/{id}` -> `delete_reminders_by_pk`.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, LegacyError> {
    let reminder = state.store().delete_reminder(&id)?;
    Ok(Json(json!({"delete_reminders_by_pk": {"id": reminder.id}})))
}
