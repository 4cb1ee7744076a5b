//! `/v1/users/me`, `/v1/tags`, `/v1/groups`: the account's owner and
//! labels, read-only here (custom fields: [`super::custom_fields`]).

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use serde_json::Value;

use super::{ok, page};
use crate::http::AppState;
use crate::http::error::V1Error;
use crate::http::params;
use crate::store::paging;

/// `GET /v1/users/me`
pub async fn me(State(state): State<AppState>) -> Json<Value> {
    ok(state.store().user())
}

/// `GET /v1/tags?take=&cursor=`
pub async fn tags(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let params = params::cursor(&query, shape)?;
    let store = state.store();
    let rows = store
        .tags()
        .iter()
        .enumerate()
        .map(|(i, t)| (i as u64 + 1, t));
    Ok(page(
        paging::after_cursor(rows, params.after, params.take),
        shape,
    ))
}

/// `GET /v1/groups?take=&cursor=`
pub async fn groups(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let params = params::cursor(&query, shape)?;
    let store = state.store();
    let rows = store
        .groups()
        .iter()
        .enumerate()
        .map(|(i, g)| (i as u64 + 1, g));
    Ok(page(
        paging::after_cursor(rows, params.after, params.take),
        shape,
    ))
}
