//! The v1 API (`/v1/...`): `{"error": false, "data": ...}` envelopes,
//! lists as `{items, nextCursor, count}`, cursor paging.

mod account;
mod contacts;
mod custom_fields;
mod labels;
mod reminders;
mod search;
mod timeline;
mod unified;

use axum::Json;
use axum::Router;
use axum::routing::{get, post};
use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::AppState;
use super::params;
use crate::config::ListLinks;
use crate::model::Reminder;
use crate::shape::AnswerShape;
use crate::store::paging::Page;

/// Every v1 route. Paths are registered without a trailing slash: the
/// connection loop strips it, so `/v1/contacts/` and `/v1/contacts` are one
/// route (the API reference writes both forms).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/contacts",
            get(contacts::list)
                .post(contacts::create)
                .delete(contacts::delete_many),
        )
        .route("/v1/contacts/merge", post(contacts::merge))
        .route("/v1/contacts/count", get(contacts::count))
        .route("/v1/contacts/by-emails", post(contacts::by_emails))
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
            get(timeline::get_one)
                .put(timeline::update)
                .delete(timeline::delete),
        )
        .route(
            "/v1/reminders",
            get(reminders::list).post(reminders::create),
        )
        .route(
            "/v1/reminders/{id}",
            get(reminders::get_one)
                .put(reminders::update)
                .delete(reminders::delete),
        )
        .route("/v1/unified-timeline", get(unified::list))
        .route("/v1/users/me", get(account::me))
        .merge(custom_fields::routes())
        .merge(labels::routes())
}

/// `{"error": false, "data": data}`.
fn ok(data: impl Serialize) -> Json<Value> {
    Json(json!({"error": false, "data": data}))
}

/// A list page in the v1 envelope, its cursor written in `shape`.
fn page<T: Serialize>(page: Page<&T>, shape: AnswerShape) -> Json<Value> {
    ok(json!({
        "items": page.items,
        "nextCursor": page.next_after.map(|seq| shape.cursor(seq)),
        "count": page.count,
    }))
}

/// A record as JSON: the store's rows always serialise to objects.
fn object(record: &impl Serialize) -> Map<String, Value> {
    match serde_json::to_value(record) {
        Ok(Value::Object(fields)) => fields,
        _ => unreachable!("records serialise to JSON objects"),
    }
}

/// A reminder in `shape` (its due date a day or a datetime).
fn reminder(record: &Reminder, shape: AnswerShape) -> Value {
    shape.reminder(object(record))
}

/// A page of reminders in `shape`.
fn reminder_page(page: Page<&Reminder>, shape: AnswerShape) -> Json<Value> {
    let items: Vec<Value> = page.items.iter().map(|r| reminder(r, shape)).collect();
    ok(json!({
        "items": items,
        "nextCursor": page.next_after.map(|seq| shape.cursor(seq)),
        "count": page.count,
    }))
}

/// A bulk list page in the v1 envelope, its cursor written in `shape`,
/// each item as `render` makes it and without the link fields (of `links`)
/// that the request's `include` did not ask for, or that the simulator is
/// set to leave out (see [`ListLinks`]).
fn list_page<T>(
    page: Page<&T>,
    state: &AppState,
    query: &HashMap<String, String>,
    links: &[&str],
    shape: AnswerShape,
    render: impl Fn(&T) -> Value,
) -> Json<Value> {
    let asked = params::include(query);
    let left_out: Vec<&str> = links
        .iter()
        .copied()
        .filter(|field| match state.list_links {
            ListLinks::Always => false,
            ListLinks::Never => true,
            ListLinks::OnInclude => !asked.contains(*field),
        })
        .collect();
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|item| {
            let mut value = render(item);
            if let Value::Object(fields) = &mut value {
                for field in &left_out {
                    fields.remove(*field);
                }
            }
            value
        })
        .collect();
    ok(json!({
        "items": items,
        "nextCursor": page.next_after.map(|seq| shape.cursor(seq)),
        "count": page.count,
    }))
}
