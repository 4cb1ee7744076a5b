//! Legacy `/timeline_items`: notes.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};

use super::shapes;
use crate::http::AppState;
use crate::http::body;
use crate::http::error::LegacyError;
use crate::http::params;
use crate::model::Note;
use crate::store::paging;
use crate::store::patch::FieldRules;

/// What a `timeline_event` insert may hold (after unwrapping
/// `timeline_items_contacts.data`).
const INSERT_RULES: FieldRules = FieldRules {
    writable: &[
        "note",
        "event_time",
        "meeting_type",
        "timeline_items_contacts",
    ],
    read_only: &["id", "created_at", "updated_at"],
};

/// What a note's `changes` may hold.
const CHANGE_RULES: FieldRules = FieldRules {
    writable: &["note", "event_time", "meeting_type"],
    read_only: &["id", "created_at", "updated_at"],
};

fn listing<'a>(
    notes: impl Iterator<Item = &'a Note>,
    query: &HashMap<String, String>,
) -> Result<Json<Value>, LegacyError> {
    let (limit, offset) = params::limit_offset(query)?;
    let page = paging::by_offset(notes, offset, limit);
    let items: Vec<Value> = page.items.iter().map(|n| shapes::note(n)).collect();
    Ok(Json(json!({
        "timeline_items": items,
        "pagination": {"total": {"count": page.count}},
    })))
}

/// `GET /timeline_items?limit=&offset=` -> `{"timeline_items", "pagination": {"total": {"count"}}}`
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, LegacyError> {
    let store = state.store();
    listing(store.notes().iter().map(|(_, n)| n), &query)
}

/// `GET /timeline_items/contacts/{contactId}`: one contact's notes, same
/// shape (404 for an unknown contact).
pub async fn for_contact(
    State(state): State<AppState>,
    Path(contact_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, LegacyError> {
    let store = state.store();
    store.contact(&contact_id)?;
    let notes = store.notes().iter().map(|(_, n)| n).filter(|n| {
        n.timeline_items_contacts
            .iter()
            .any(|l| l.contact_id == contact_id)
    });
    listing(notes, &query)
}

/// `POST /timeline_items` with `{"timeline_event": {note, event_time,
/// meeting_type, timeline_items_contacts: {"data": [{contact_id}]}}}`
/// -> `insert_timeline_items_one`.
pub async fn create(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Json<Value>, LegacyError> {
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "timeline_event", &[])?;
    let mut fields = body::as_object(inner, "timeline_event")?;
    if let Some(links) = fields.remove("timeline_items_contacts") {
        let rows = shapes::nested_rows(links, "timeline_items_contacts")?;
        fields.insert(
            "timeline_items_contacts".into(),
            shapes::links(rows, "timeline_items_contacts")?,
        );
    }
    let note = state.store().create_note(&fields, INSERT_RULES)?;
    Ok(Json(
        json!({"insert_timeline_items_one": shapes::note(&note)}),
    ))
}

/// `PUT /timeline_items/{id}` with `{"changes": {...}}` -> `update_timeline_items_by_pk`.
/// An id beside `changes` (`timelineItemId`, `noteId`) is accepted.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, LegacyError> {
    let (changes, _) = body::unwrap_key(
        body::object(&bytes)?,
        "changes",
        &["timelineItemId", "timeline_item_id", "noteId", "note_id"],
    )?;
    let changes = body::as_object(changes, "changes")?;
    let mut store = state.store();
    store.note(&id)?;
    let note = store.update_note(&id, &changes, CHANGE_RULES)?;
    Ok(Json(
        json!({"update_timeline_items_by_pk": shapes::note(&note)}),
    ))
}

/// `DELETE /timeline_items/{id}` -> `delete_timeline_items_by_pk`.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, LegacyError> {
    let note = state.store().delete_note(&id)?;
    Ok(Json(
        json!({"delete_timeline_items_by_pk": {"id": note.id}}),
    ))
}
