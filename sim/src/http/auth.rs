//! API keys: v1 reads `Authorization: Bearer <key>`, legacy reads
//! `x-hasura-dex-api-key: <key>`. A missing or wrong key is 401; a right
//! key while API access is switched off is 403.

use std::sync::atomic::Ordering;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;
use super::error::{ApiError, Generation};

/// Guards the v1 routes.
pub async fn require_v1_key(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let key = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|k| k.trim().to_owned());
    check(&state, key.as_deref(), Generation::V1, request, next).await
}

/// Guards the legacy routes.
pub async fn require_legacy_key(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let key = request
        .headers()
        .get("x-hasura-dex-api-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| k.trim().to_owned());
    check(&state, key.as_deref(), Generation::Legacy, request, next).await
}

async fn check(
    state: &AppState,
    key: Option<&str>,
    generation: Generation,
    request: Request,
    next: Next,
) -> Response {
    if key != Some(state.api_key.as_str()) {
        let message = if key.is_none() {
            "missing API key"
        } else {
            "invalid API key"
        };
        drain(request).await;
        return generation.respond(ApiError::new(StatusCode::UNAUTHORIZED, message));
    }
    if !state.api_access.load(Ordering::Relaxed) {
        drain(request).await;
        return generation.respond(ApiError::new(
            StatusCode::FORBIDDEN,
            "your plan does not include API access",
        ));
    }
    next.run(request).await
}

/// Reads a refused request's body to its end before the refusal is sent.
/// Answering first makes hyper close the connection while the client may
/// still be writing the body, and the client then sees a broken
/// connection instead of the 401 (a `POST /v1/contacts/by-emails` with a
/// wrong key did, now and then).
async fn drain(request: Request) {
    // At most a megabyte: a refusal need not read a flood.
    let _ = axum::body::to_bytes(request.into_body(), 1 << 20).await;
}
