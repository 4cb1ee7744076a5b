//! The v1 API (`/v1/...`): `{"error": false, "data": ...}` envelopes,
//! lists as `{items, nextCursor, count}`, cursor paging.

mod account;
mod contacts;
mod reminders;
mod search;
mod timeline;
mod unified;

use axum::Json;
use axum::Router;
use axum::routing::{get, post, put};
use serde::Serialize;
use serde_json::{Value, json};

use super::AppState;
use crate::store::paging::Page;

/// Every v1 route. Paths are registered without a trailing slash: the
/// connection loop strips it, so `/v1/contacts/` and `/v1/contacts` are one
/// route (the API reference writes both forms).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/contacts", get(contacts::list).post(contacts::create))
        .route("/v1/contacts/merge", post(contacts::merge))
        .route(
            "/v1/contacts/{id}",
            get(contacts::get_one)
                .put(contacts::update)
                .delete(contacts::delete),
        )
        .route("/v1/search/contacts", get(search::contacts))
        .route("/v1/search/reminders", get(search::reminders))
        .route("/v1/search/timeline", get(search::timeline))
        .route("/v1/timeline", get(timeline::list).post(timeline::create))
        .route("/v1/timeline/note-types", get(timeline::note_types))
        .route(
            "/v1/timeline/{id}",
            put(timeline::update).delete(timeline::delete),
        )
        .route(
            "/v1/reminders",
            get(reminders::list).post(reminders::create),
        )
        .route(
            "/v1/reminders/{id}",
            put(reminders::update).delete(reminders::delete),
        )
        .route("/v1/unified-timeline", get(unified::list))
        .route("/v1/users/me", get(account::me))
        .route("/v1/tags", get(account::tags))
        .route("/v1/groups", get(account::groups))
        .route("/v1/custom-fields", get(account::custom_fields))
}

/// `{"error": false, "data": data}`.
fn ok(data: impl Serialize) -> Json<Value> {
    Json(json!({"error": false, "data": data}))
}

/// A list page in the v1 envelope.
fn page<T: Serialize>(page: Page<&T>) -> Json<Value> {
    ok(json!({
        "items": page.items,
        "nextCursor": page.next_cursor,
        "count": page.count,
    }))
}
