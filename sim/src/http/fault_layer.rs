//! Applies the fault plan to each Dex request and counts what was served.
//!
//! Runs around every v1 and legacy route (after routing, so it knows the
//! route pattern the rules and counters are keyed by). A dropped connection
//! cannot be expressed as a response, so the layer marks the response with
//! [`DropConnection`] and the connection loop (`crate::server`) closes the
//! connection instead of writing it.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::stream;

use super::AppState;
use super::error::{ApiError, Generation, status};
use crate::counters::Outcome;

/// Marks a response that must not be sent: the connection is closed
/// instead.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// The middleware.
pub async fn apply_faults(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| request.uri().path().to_owned());
    let endpoint = format!("{method} {route}");
    let agent = request
        .headers()
        .get(header::USER_AGENT)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    state.counters().user_agent(agent.as_deref());
    let _serving = Serving::start(&state);
    let generation = Generation::of_path(&route);
    let plan = state.faults().plan(&method, &route);

    if !plan.delay.is_zero() {
        tokio::time::sleep(plan.delay).await;
    }
    let delayed = !plan.delay.is_zero();
    if plan.reset {
        state.counters().record(&endpoint, Outcome::Reset).delayed += u64::from(delayed);
        let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
        response.extensions_mut().insert(DropConnection);
        return response;
    }
    let mut response = if let Some(retry_after) = plan.rate_limit {
        let mut response = generation.respond(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate limit exceeded",
        ));
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        response
    } else if let Some(code) = plan.error_status {
        generation.respond(ApiError::new(status(code), "simulated server error"))
    } else {
        next.run(request).await
    };
    // The request was handled (a write is done); its answer is lost.
    if plan.applied_reset {
        state.counters().record(&endpoint, Outcome::Reset).delayed += u64::from(delayed);
        let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
        response.extensions_mut().insert(DropConnection);
        return response;
    }
    if let Some(code) = plan.applied_error_status {
        response = generation.respond(ApiError::new(status(code), "simulated server error"));
    }

    if plan.malformed {
        response = cut_short(response).await;
    }
    if let Some((chunk, pause)) = plan.slow_body {
        response = trickle(response, chunk, pause).await;
    }
    let mut counters = state.counters();
    let entry = counters.record(&endpoint, Outcome::Answered(response.status().as_u16()));
    entry.delayed += u64::from(delayed);
    entry.malformed += u64::from(plan.malformed);
    entry.slow += u64::from(plan.slow_body.is_some());
    response
}

/// One request while it is served, for the in-flight counters; leaves on
/// drop, so an abandoned request leaves too.
struct Serving<'a>(&'a AppState);

impl<'a> Serving<'a> {
    fn start(state: &'a AppState) -> Self {
        state.counters().enter();
        Serving(state)
    }
}

impl Drop for Serving<'_> {
    fn drop(&mut self) {
        self.0.counters().leave();
    }
}

/// The response with the first half of its body and a dangling fragment,
/// which no JSON parser accepts.
async fn cut_short(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let mut broken = bytes[..bytes.len() / 2].to_vec();
    broken.extend_from_slice(b"{\"");
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(broken))
}

/// The response with its body sent `chunk` bytes at a time, `pause` apart.
async fn trickle(response: Response, chunk: usize, pause: Duration) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let pieces = stream::unfold((bytes, 0usize), move |(bytes, at)| async move {
        if at >= bytes.len() {
            return None;
        }
        tokio::time::sleep(pause).await;
        let end = (at + chunk).min(bytes.len());
        let piece: Bytes = bytes.slice(at..end);
        Some((Ok::<_, std::io::Error>(piece), (bytes, end)))
    });
    Response::from_parts(parts, Body::from_stream(pieces))
}
