//! The legacy API (`/api/rest/...`, Hasura REST): one top-level key per
//! query (`contacts`, `insert_contacts_one`, ...), `limit`/`offset` paging,
//! write bodies wrapped in `contact`/`timeline_event`/`reminder` or
//! `changes`, and its own older record shapes (see [`shapes`]).

mod contacts;
mod reminders;
mod shapes;
mod timeline;

use axum::Router;
use axum::routing::get;

use super::AppState;

/// Every legacy route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/rest/contacts",
            get(contacts::list).post(contacts::create),
        )
        .route(
            "/api/rest/contacts/{id}",
            get(contacts::get_one)
                .put(contacts::update)
                .delete(contacts::delete),
        )
        .route("/api/rest/search/contacts", get(contacts::search_by_email))
        .route(
            "/api/rest/timeline_items",
            get(timeline::list).post(timeline::create),
        )
        .route(
            "/api/rest/timeline_items/contacts/{contact_id}",
            get(timeline::for_contact),
        )
        .route(
            "/api/rest/timeline_items/{id}",
            axum::routing::put(timeline::update).delete(timeline::delete),
        )
        .route(
            "/api/rest/reminders",
            get(reminders::list).post(reminders::create),
        )
        .route(
            "/api/rest/reminders/{id}",
            axum::routing::put(reminders::update).delete(reminders::delete),
        )
}
