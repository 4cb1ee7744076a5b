//! `/v1/tags` and `/v1/groups` writes and a group's members, in the
//! reference's shapes (`docs/dex-api.md`, "Other v1 endpoints"): creates
//! and updates answer the record wrapped in its kind (`data: {"tag": ...}`)
//! in the reference shape and bare in the older one; deletes answer a
//! message without `data` in the reference shape. The lists themselves are
//! in [`super::account`].

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post, put};
use serde_json::{Map, Value, json};

use super::{account, ok, page};
use crate::http::AppState;
use crate::http::body;
use crate::http::error::{ApiError, V1Error};
use crate::http::params;
use crate::store::paging;

/// The routes of tags and groups, their lists included.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/tags", get(account::tags).post(create_tag))
        .route("/v1/tags/{id}", put(update_tag).delete(delete_tag))
        .route("/v1/tags/contacts/add", post(add_tags))
        .route("/v1/tags/contacts/remove", post(remove_tags))
        .route("/v1/groups", get(account::groups).post(create_group))
        .route("/v1/groups/{id}", put(update_group).delete(delete_group))
        .route(
            "/v1/groups/{id}/contacts",
            get(group_contacts).put(add_members).post(remove_members),
        )
}

/// The fields of `{"<key>": {...}}`.
fn wrapped(bytes: &Bytes, key: &str) -> Result<Map<String, Value>, ApiError> {
    let (inner, _) = body::unwrap_key(body::object(bytes)?, key, &[])?;
    body::as_object(inner, key)
}

/// A list of ids under `key` of a flat body; none at all is refused.
fn ids(fields: &Map<String, Value>, key: &str) -> Result<Vec<String>, ApiError> {
    let list = fields
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::bad_request(format!("`{key}` must be a list of ids")))?;
    let ids: Vec<String> = list
        .iter()
        .map(|v| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned))
        .collect::<Option<_>>()
        .ok_or_else(|| ApiError::bad_request(format!("`{key}` must hold non-empty text ids")))?;
    if ids.is_empty() {
        return Err(ApiError::bad_request(format!("`{key}` must not be empty")));
    }
    Ok(ids)
}

/// A flat body holding exactly `keys`.
fn flat(bytes: &Bytes, keys: &[&str]) -> Result<Map<String, Value>, ApiError> {
    let fields = body::object(bytes)?;
    if let Some(extra) = fields.keys().find(|k| !keys.contains(&k.as_str())) {
        return Err(ApiError::bad_request(format!("unknown field `{extra}`")));
    }
    Ok(fields)
}

/// `POST /v1/tags` with `{"tag": {name}}`.
pub async fn create_tag(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    let fields = wrapped(&bytes, "tag")?;
    let tag = state.store().create_tag(&fields)?;
    Ok(ok(state.shape().record("tag", json!(tag))))
}

/// `PUT /v1/tags/{id}` with `{"tag": {name}}`.
pub async fn update_tag(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    let fields = wrapped(&bytes, "tag")?;
    let tag = state.store().update_tag(&id, &fields)?;
    Ok(ok(state.shape().record("tag", json!(tag))))
}

/// `DELETE /v1/tags/{id}`: takes the tag off every contact.
pub async fn delete_tag(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, V1Error> {
    let deleted = state.store().delete_tag(&id)?;
    Ok(Json(state.shape().deleted("Tag", &deleted.id)))
}

async fn tag_links(state: AppState, bytes: Bytes, add: bool) -> Result<Json<Value>, V1Error> {
    let fields = flat(&bytes, &["contactIds", "tagIds"])?;
    let contacts = ids(&fields, "contactIds")?;
    let tags = ids(&fields, "tagIds")?;
    let changed = state.store().tag_contacts(&tags, &contacts, add)?;
    let verb = if add { "added to" } else { "removed from" };
    Ok(Json(json!({
        "error": false,
        "message": format!("Tags {verb} {changed} contacts"),
    })))
}

/// `POST /v1/tags/contacts/add` with `{contactIds, tagIds}`: every tag on
/// every contact; an unknown id refuses the whole request.
pub async fn add_tags(State(state): State<AppState>, bytes: Bytes) -> Result<Json<Value>, V1Error> {
    tag_links(state, bytes, true).await
}

/// `POST /v1/tags/contacts/remove` with `{contactIds, tagIds}`.
pub async fn remove_tags(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    tag_links(state, bytes, false).await
}

/// `POST /v1/groups` with `{"group": {name, emoji, description}}`.
pub async fn create_group(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    let fields = wrapped(&bytes, "group")?;
    let group = state.store().create_group(&fields)?;
    Ok(ok(state.shape().record("group", json!(group))))
}

/// `PUT /v1/groups/{id}` with `{"group": {...changes}}`.
pub async fn update_group(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    let fields = wrapped(&bytes, "group")?;
    let group = state.store().update_group(&id, &fields)?;
    Ok(ok(state.shape().record("group", json!(group))))
}

/// `DELETE /v1/groups/{id}`: its members stay, outside it.
pub async fn delete_group(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, V1Error> {
    let deleted = state.store().delete_group(&id)?;
    Ok(Json(state.shape().deleted("Group", &deleted.id)))
}

async fn members(
    state: AppState,
    id: String,
    bytes: Bytes,
    add: bool,
) -> Result<Json<Value>, V1Error> {
    let fields = flat(&bytes, &["contactIds"])?;
    let contacts = ids(&fields, "contactIds")?;
    let changed = state.store().group_members(&id, &contacts, add)?;
    let verb = if add { "added to" } else { "removed from" };
    Ok(Json(json!({
        "error": false,
        "message": format!("{changed} contacts {verb} the group"),
    })))
}

/// `PUT /v1/groups/{id}/contacts` with `{contactIds}`: adds members.
pub async fn add_members(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    members(state, id, bytes, true).await
}

/// `POST /v1/groups/{id}/contacts` with `{contactIds}`: removes members.
pub async fn remove_members(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    members(state, id, bytes, false).await
}

/// `GET /v1/groups/{id}/contacts?take=&cursor=`: the members, paged.
pub async fn group_contacts(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let params = params::cursor(&query, shape)?;
    let store = state.store();
    let rows = store.group_contacts(&id)?;
    Ok(page(
        paging::after_cursor(rows.into_iter(), params.after, params.take),
        shape,
    ))
}
