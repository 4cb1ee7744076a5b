//! `/v1/reminders`, wrapped in `{"reminder": {...}}` on writes.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};

use super::{ok, page};
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

/// `GET /v1/reminders?take=&cursor=` (also `contactId=` to narrow to one
/// contact, an assumption).
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, V1Error> {
    let params = params::cursor(&query)?;
    let store = state.store();
    let contact = query.get("contactId").filter(|id| !id.is_empty());
    if let Some(id) = contact {
        store.contact(id)?;
    }
    let rows = store.reminders().iter().filter(|(_, r)| {
        contact.is_none_or(|id| r.reminders_contacts.iter().any(|l| &l.contact_id == id))
    });
    Ok(page(paging::after_cursor(rows, params.after, params.take)))
}

/// `POST /v1/reminders` with `{"reminder": {...}}`.
pub async fn create(State(state): State<AppState>, bytes: Bytes) -> Result<Json<Value>, V1Error> {
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "reminder", &[])?;
    let fields = body::as_object(inner, "reminder")?;
    Ok(ok(state
        .store()
        .create_reminder(&fields, REMINDER_RULES)?))
}

/// `PUT /v1/reminders/{id}` with `{"reminder": {...changes}}`.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    let mut store = state.store();
    store.reminder(&id)?;
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "reminder", &[])?;
    let fields = body::as_object(inner, "reminder")?;
    Ok(ok(store.update_reminder(&id, &fields, REMINDER_RULES)?))
}

/// `DELETE /v1/reminders/{id}`; answers the deleted id.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, V1Error> {
    let reminder = state.store().delete_reminder(&id)?;
    Ok(ok(json!({"id": reminder.id})))
}
