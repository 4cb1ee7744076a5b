//! The control API under `/_sim`: what tests and demos use to steer a
//! running simulator. It needs no Dex key, and answers only peers on the
//! loopback interface, so binding the simulator to a wider address does not
//! expose it.
//!
//! - `GET /_sim/faults`, `PUT /_sim/faults` (`{"rules": [...]}` or a bare
//!   list), `DELETE /_sim/faults`
//! - `GET /_sim/counters`, `DELETE /_sim/counters`
//! - `POST /_sim/reset`: data, faults, answer shape, API access and counters
//!   back to start
//! - `GET /_sim/state`: the dataset; `PUT /_sim/state`: replace it
//! - `PUT /_sim/api-access` with `{"api_access": bool}`
//! - `GET /_sim/shape`, `PUT /_sim/shape` with `{"shape": "reference"}` or
//!   `{"shape": "older"}`: the shape v1 answers take

use std::sync::atomic::Ordering;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use crate::counters::Counters;
use crate::dataset::Dataset;
use crate::faults::FaultRule;
use crate::shape::AnswerShape;
use crate::store::Store;

/// The address of the peer, put on each request by the server, for the
/// control API's loopback check.
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub std::net::SocketAddr);

/// Every control route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/_sim/faults",
            get(get_faults).put(put_faults).delete(delete_faults),
        )
        .route("/_sim/counters", get(get_counters).delete(delete_counters))
        .route("/_sim/reset", post(post_reset))
        .route("/_sim/state", get(get_state).put(put_state))
        .route("/_sim/api-access", put(put_api_access))
        .route("/_sim/shape", get(get_shape).put(put_shape))
        .route_layer(middleware::from_fn(loopback_only))
}

/// Puts the simulator back to its start: the initial (or last loaded)
/// data, the start's fault rules, API access on, counters cleared.
pub fn reset(state: &AppState) {
    let initial = state
        .initial
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    *state.store() = Store::new(initial, state.seed);
    state.faults().set_rules(state.initial_faults.clone());
    state.api_access.store(true, Ordering::Relaxed);
    state.set_shape(state.initial_shape);
    *state.counters() = Counters::default();
}

async fn loopback_only(request: Request, next: Next) -> Response {
    let local = request
        .extensions()
        .get::<PeerAddr>()
        .is_some_and(|peer| peer.0.ip().is_loopback());
    if !local {
        return control_error(
            StatusCode::FORBIDDEN,
            "the control API only answers loopback peers",
        );
    }
    next.run(request).await
}

fn control_error(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        Json(json!({"error": true, "message": message.into()})),
    )
        .into_response()
}

async fn get_faults(State(state): State<AppState>) -> Json<Value> {
    Json(json!({"rules": state.faults().rules()}))
}

/// The rules, wrapped or bare.
#[derive(Deserialize)]
#[serde(untagged)]
enum RulesBody {
    Wrapped { rules: Vec<FaultRule> },
    Bare(Vec<FaultRule>),
}

async fn put_faults(State(state): State<AppState>, bytes: Bytes) -> Response {
    match serde_json::from_slice::<RulesBody>(&bytes) {
        Ok(RulesBody::Wrapped { rules } | RulesBody::Bare(rules)) => {
            state.faults().set_rules(rules.clone());
            Json(json!({"rules": rules})).into_response()
        }
        Err(e) => control_error(StatusCode::BAD_REQUEST, format!("invalid fault rules: {e}")),
    }
}

async fn delete_faults(State(state): State<AppState>) -> Json<Value> {
    state.faults().set_rules(Vec::new());
    Json(json!({"rules": []}))
}

async fn get_counters(State(state): State<AppState>) -> Json<Counters> {
    Json(state.counters().clone())
}

async fn delete_counters(State(state): State<AppState>) -> StatusCode {
    *state.counters() = Counters::default();
    StatusCode::NO_CONTENT
}

async fn post_reset(State(state): State<AppState>) -> StatusCode {
    reset(&state);
    StatusCode::NO_CONTENT
}

async fn get_state(State(state): State<AppState>) -> Json<Dataset> {
    Json(state.store().snapshot())
}

async fn put_state(State(state): State<AppState>, bytes: Bytes) -> Response {
    let text = String::from_utf8_lossy(&bytes);
    match Dataset::from_json(&text) {
        Ok(dataset) => {
            *state.store() = Store::new(dataset.clone(), state.seed);
            *state.initial.lock().unwrap_or_else(|e| e.into_inner()) = dataset;
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => control_error(StatusCode::BAD_REQUEST, e.to_string()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShapeBody {
    shape: AnswerShape,
}

async fn get_shape(State(state): State<AppState>) -> Json<Value> {
    Json(json!({"shape": state.shape()}))
}

async fn put_shape(State(state): State<AppState>, bytes: Bytes) -> Response {
    match serde_json::from_slice::<ShapeBody>(&bytes) {
        Ok(body) => {
            state.set_shape(body.shape);
            Json(json!({"shape": body.shape})).into_response()
        }
        Err(e) => control_error(
            StatusCode::BAD_REQUEST,
            format!("invalid body (expected {{\"shape\": \"reference\" or \"older\"}}): {e}"),
        ),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiAccess {
    api_access: bool,
}

async fn put_api_access(State(state): State<AppState>, bytes: Bytes) -> Response {
    match serde_json::from_slice::<ApiAccess>(&bytes) {
        Ok(body) => {
            state.api_access.store(body.api_access, Ordering::Relaxed);
            Json(json!({"api_access": body.api_access})).into_response()
        }
        Err(e) => control_error(StatusCode::BAD_REQUEST, format!("invalid body: {e}")),
    }
}
