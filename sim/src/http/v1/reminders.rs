//! `/v1/reminders`, wrapped in `{"reminder": {...}}` on writes.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use serde_json::Value;

use super::{contact_filter, list_page, ok, reminder};
use crate::http::AppState;
use crate::http::body;
use crate::http::error::V1Error;
use crate::http::params;
use crate::store::paging;
use crate::store::patch::FieldRules;

/// The reminder fields a v1 client may send.
pub const REMINDER_RULES: FieldRules = FieldRules {
    writable: &[
        "text",
        "due_at_date",
        "due_at_time",
        "is_complete",
        "recurrence",
        "reminders_contacts",
    ],
    read_only: &[
        "id",
        "created_at",
        "updated_at",
        "last_completed_at",
        "next_occurrence_at",
    ],
};

/// `GET /v1/reminders?take=&cursor=&include=` (also `contactId=` to narrow to one
/// contact, an assumption).
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let params = params::cursor(&query, shape)?;
    let store = state.store();
    let contact = contact_filter(&store, &query)?;
    let rows = store.reminders().iter().filter(|(_, r)| {
        contact.is_none_or(|id| r.reminders_contacts.iter().any(|l| &l.contact_id == id))
    });
    let page = paging::after_cursor(rows, params.after, params.take);
    Ok(list_page(
        page,
        &state,
        &query,
        &["reminders_contacts"],
        shape,
        |r| reminder(r, shape),
    ))
}

/// `POST /v1/reminders` with `{"reminder": {...}}`; answers `data.reminder`
/// (reference) or the bare reminder (older).
pub async fn create(State(state): State<AppState>, bytes: Bytes) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "reminder", &[])?;
    let fields = body::as_object(inner, "reminder")?;
    let created = state.store().create_reminder(&fields, REMINDER_RULES)?;
    Ok(ok(shape.record("reminder", reminder(&created, shape))))
}

/// `GET /v1/reminders/{id}`: as `GET /v1/contacts/{id}` answers,
/// `data.reminder` in the reference shape and the bare reminder in the
/// older one (the API reference does not show this route's answer;
/// clients read both).
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let found = reminder(state.store().reminder(&id)?, shape);
    Ok(ok(shape.record("reminder", found)))
}

/// `PUT /v1/reminders/{id}` with `{"reminder": {...changes}}`.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let mut store = state.store();
    store.reminder(&id)?;
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "reminder", &[])?;
    let fields = body::as_object(inner, "reminder")?;
    let updated = store.update_reminder(&id, &fields, REMINDER_RULES)?;
    Ok(ok(shape.record("reminder", reminder(&updated, shape))))
}

/// `DELETE /v1/reminders/{id}`: a message (reference) or the deleted id
/// (older).
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let deleted = state.store().delete_reminder(&id)?;
    Ok(Json(shape.deleted("Reminder", &deleted.id)))
}
