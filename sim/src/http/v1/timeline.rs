//! `/v1/timeline`: notes, wrapped in `{"note": {...}}` on writes, and the
//! note types.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};

use super::{contact_filter, list_page, ok};
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

/// `GET /v1/timeline?contactId=&take=&cursor=&include=`: all notes, or one
/// contact's (404 when that contact does not exist).
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let params = params::cursor(&query, shape)?;
    let store = state.store();
    let contact = contact_filter(&store, &query)?;
    let rows = store.notes().iter().filter(|(_, note)| {
        contact.is_none_or(|id| {
            note.timeline_items_contacts
                .iter()
                .any(|l| &l.contact_id == id)
        })
    });
    let page = paging::after_cursor(rows, params.after, params.take);
    Ok(list_page(
        page,
        &state,
        &query,
        &["timeline_items_contacts"],
        shape,
        |note| json!(note),
    ))
}

/// `POST /v1/timeline` with `{"note": {...}}`; answers `data.note`
/// (reference) or the bare note (older).
pub async fn create(State(state): State<AppState>, bytes: Bytes) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "note", &[])?;
    let fields = body::as_object(inner, "note")?;
    let created = state.store().create_note(&fields, NOTE_RULES)?;
    Ok(ok(shape.record("note", json!(created))))
}

/// `GET /v1/timeline/{id}`: as `GET /v1/contacts/{id}` answers, `data.note`
/// in the reference shape and the bare note in the older one (the API
/// reference does not show this route's answer; clients read both).
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let note = json!(state.store().note(&id)?);
    Ok(ok(shape.record("note", note)))
}

/// `PUT /v1/timeline/{id}` with `{"note": {...changes}}`.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let mut store = state.store();
    store.note(&id)?;
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "note", &[])?;
    let fields = body::as_object(inner, "note")?;
    let updated = store.update_note(&id, &fields, NOTE_RULES)?;
    Ok(ok(shape.record("note", json!(updated))))
}

/// `DELETE /v1/timeline/{id}`: a message (reference) or the deleted id
/// (older).
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let note = state.store().delete_note(&id)?;
    Ok(Json(shape.deleted("Note", &note.id)))
}

/// `GET /v1/timeline/note-types`: `data: [{id, name, icon}]`.
pub async fn note_types() -> Json<Value> {
    ok(model::note_types())
}
