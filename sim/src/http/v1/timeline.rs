//! `/v1/timeline`: notes, wrapped in `{"note": {...}}` on writes, and the
//! note types.

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
use crate::model;
use crate::store::paging;
use crate::store::patch::FieldRules;

/// The note fields a v1 client may send.
pub const NOTE_RULES: FieldRules = FieldRules {
    writable: &[
        "note",
        "event_time",
        "meeting_type",
        "meeting_type_id",
        "timeline_items_contacts",
    ],
    read_only: &["id", "created_at", "updated_at"],
};

/// `GET /v1/timeline?contactId=&take=&cursor=`: all notes, or one
/// contact's (404 when that contact does not exist).
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
    let rows = store.notes().iter().filter(|(_, note)| {
        contact.is_none_or(|id| {
            note.timeline_items_contacts
                .iter()
                .any(|l| &l.contact_id == id)
        })
    });
    Ok(page(paging::after_cursor(rows, params.after, params.take)))
}

/// `POST /v1/timeline` with `{"note": {...}}`.
pub async fn create(State(state): State<AppState>, bytes: Bytes) -> Result<Json<Value>, V1Error> {
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "note", &[])?;
    let fields = body::as_object(inner, "note")?;
    Ok(ok(state.store().create_note(&fields, NOTE_RULES)?))
}

/// `PUT /v1/timeline/{id}` with `{"note": {...changes}}`.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    let mut store = state.store();
    store.note(&id)?;
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "note", &[])?;
    let fields = body::as_object(inner, "note")?;
    Ok(ok(store.update_note(&id, &fields, NOTE_RULES)?))
}

/// `DELETE /v1/timeline/{id}`; answers the deleted id.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, V1Error> {
    let note = state.store().delete_note(&id)?;
    Ok(ok(json!({"id": note.id})))
}

/// `GET /v1/timeline/note-types`: `data: [{id, name, icon}]`.
pub async fn note_types() -> Json<Value> {
    ok(model::note_types())
}
