//! `/v1/custom-fields`: the account's custom field definitions and the
//! batch update of contacts' values, in the reference's shapes
//! (`docs/dex-api.md`, "Other v1 endpoints"). A definition is answered as
//! [`crate::shape::AnswerShape::custom_field`] shapes it; a create or
//! update wrapped in `custom_field` (reference) or bare (older); a delete
//! as every delete is.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post, put};
use serde_json::{Map, Value, json};

use super::{object, ok};
use crate::http::AppState;
use crate::http::body;
use crate::http::error::{ApiError, V1Error};
use crate::http::params;
use crate::model::CustomField;
use crate::shape::AnswerShape;
use crate::store::paging;

/// The routes of custom fields.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/custom-fields", get(list).post(create))
        .route(
            "/v1/custom-fields/batch-update-contacts",
            post(batch_update_contacts),
        )
        .route("/v1/custom-fields/{id}", put(update).delete(delete))
}

/// A definition in `shape`.
fn render(field: &CustomField, shape: AnswerShape) -> Value {
    shape.custom_field(object(field))
}

/// The fields of `{"custom_field": {...}}`.
fn wrapped(bytes: &Bytes) -> Result<Map<String, Value>, ApiError> {
    let (inner, _) = body::unwrap_key(body::object(bytes)?, "custom_field", &[])?;
    body::as_object(inner, "custom_field")
}

/// `GET /v1/custom-fields?take=&cursor=`
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let params = params::cursor(&query, shape)?;
    let store = state.store();
    let rows = store
        .custom_fields()
        .iter()
        .enumerate()
        .map(|(i, f)| (i as u64 + 1, f));
    let page = paging::after_cursor(rows, params.after, params.take);
    let items: Vec<Value> = page.items.iter().map(|f| render(f, shape)).collect();
    Ok(ok(json!({
        "items": items,
        "nextCursor": page.next_after.map(|seq| shape.cursor(seq)),
        "count": page.count,
    })))
}

/// `POST /v1/custom-fields` with `{"custom_field": {name, field_type,
/// categories: [{category}]}}`.
pub async fn create(State(state): State<AppState>, bytes: Bytes) -> Result<Json<Value>, V1Error> {
    let fields = wrapped(&bytes)?;
    let field = state.store().create_custom_field(&fields)?;
    let shape = state.shape();
    Ok(ok(shape.record("custom_field", render(&field, shape))))
}

/// `PUT /v1/custom-fields/{id}` with `{"custom_field": {name,
/// categories}}`: `categories` replaces the options.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    let fields = wrapped(&bytes)?;
    let field = state.store().update_custom_field(&id, &fields)?;
    let shape = state.shape();
    Ok(ok(shape.record("custom_field", render(&field, shape))))
}

/// `DELETE /v1/custom-fields/{id}`: every contact's value for it goes too.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, V1Error> {
    let deleted = state.store().delete_custom_field(&id)?;
    Ok(Json(state.shape().deleted("Custom field", &deleted.id)))
}

/// The entries of a batch update. The reference names the entries
/// (`{contact_id, custom_field_id, text_value | date_value | array_value}`)
/// but not what holds them, so a bare list, `{"values": [...]}` and
/// `{"custom_fields": [...]}` are all taken.
fn entries(bytes: &Bytes) -> Result<Vec<Map<String, Value>>, ApiError> {
    let list = match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Array(list)) => list,
        Ok(Value::Object(mut fields)) if fields.len() == 1 => fields
            .remove("values")
            .or_else(|| fields.remove("custom_fields"))
            .and_then(|v| match v {
                Value::Array(list) => Some(list),
                _ => None,
            })
            .ok_or_else(|| {
                ApiError::bad_request("the body must hold a list under `values` or `custom_fields`")
            })?,
        Ok(_) => {
            return Err(ApiError::bad_request(
                "the body must be a list of values or {\"values\": [...]}",
            ));
        }
        Err(e) => return Err(ApiError::bad_request(format!("malformed JSON body: {e}"))),
    };
    list.into_iter()
        .map(|item| body::as_object(item, "each value"))
        .collect()
}

/// `POST /v1/custom-fields/batch-update-contacts`: sets or clears the
/// values of many contacts at once, all or none; answers `data.count`.
pub async fn batch_update_contacts(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    let entries = entries(&bytes)?;
    let count = state.store().update_custom_field_values(&entries)?;
    Ok(ok(json!({ "count": count })))
}
