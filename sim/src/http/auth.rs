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
        return generation.respond(ApiError::new(StatusCode::UNAUTHORIZED, message));
    }
    if !state.api_access.load(Ordering::Relaxed) {
        return generation.respond(ApiError::new(
            StatusCode::FORBIDDEN,
            "your plan does not include API access",
        ));
    }
    next.run(request).await
}
