//! Error answers, in each generation's body shape.
//!
//! No error schema is documented. v1 answers `{"error": true, "message"}`,
//! mirroring its success envelope `{"error": false, "data"}`; legacy answers
//! Hasura's `{"error": "...", "code": "..."}`. Both carry an `error` field,
//! which is what clients have been seen to read.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::store::StoreError;

/// An error with its HTTP status, not yet in a generation's shape.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The status to answer.
    pub status: StatusCode,
    /// What went wrong, for people.
    pub message: String,
}

impl ApiError {
    /// 400 with `message`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// 404 with `message`.
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    /// Any status with `message`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// A Hasura-like code for the legacy body.
    fn legacy_code(&self) -> &'static str {
        match self.status.as_u16() {
            400 => "validation-failed",
            401 | 403 => "access-denied",
            404 => "not-found",
            429 => "rate-limited",
            _ => "unexpected",
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { .. } => ApiError::not_found(error.to_string()),
            StoreError::Invalid(message) => ApiError::bad_request(message),
        }
    }
}

/// Which API generation an answer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    /// `/v1/...`
    V1,
    /// `/api/rest/...`
    Legacy,
}

impl Generation {
    /// The generation a request path belongs to.
    pub fn of_path(path: &str) -> Generation {
        if path.starts_with("/api/rest") {
            Generation::Legacy
        } else {
            Generation::V1
        }
    }

    /// `error` as this generation's answer.
    pub fn respond(self, error: ApiError) -> Response {
        let body = match self {
            Generation::V1 => json!({"error": true, "message": error.message}),
            Generation::Legacy => json!({"error": error.message, "code": error.legacy_code()}),
        };
        (error.status, Json(body)).into_response()
    }
}

/// An error answered in the v1 shape.
#[derive(Debug)]
pub struct V1Error(pub ApiError);

impl<E: Into<ApiError>> From<E> for V1Error {
    fn from(error: E) -> Self {
        V1Error(error.into())
    }
}

impl IntoResponse for V1Error {
    fn into_response(self) -> Response {
        Generation::V1.respond(self.0)
    }
}

/// An error answered in the legacy shape.
#[derive(Debug)]
pub struct LegacyError(pub ApiError);

impl<E: Into<ApiError>> From<E> for LegacyError {
    fn from(error: E) -> Self {
        LegacyError(error.into())
    }
}

impl IntoResponse for LegacyError {
    fn into_response(self) -> Response {
        Generation::Legacy.respond(self.0)
    }
}

/// Status code helper for tests and the fault layer.
pub fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
