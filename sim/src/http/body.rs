//! Reading request bodies strictly: JSON objects only, wrapper keys
//! required, nothing unexpected at the top level.

use axum::body::Bytes;
use serde_json::{Map, Value};

use super::error::ApiError;

/// The body as a JSON object, or a 400 that says why not.
pub fn object(bytes: &Bytes) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("request body is required"));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("request body must be a JSON object")),
        Err(e) => Err(ApiError::bad_request(format!(
            "request body is not valid JSON: {e}"
        ))),
    }
}

/// Takes the value under `key` out of `body`, refusing a body without it
/// (a flat body) and top-level keys other than `key` and `allowed`.
pub fn unwrap_key(
    mut body: Map<String, Value>,
    key: &str,
    allowed: &[&str],
) -> Result<(Value, Map<String, Value>), ApiError> {
    let inner = body
        .remove(key)
        .ok_or_else(|| ApiError::bad_request(format!("request body must be wrapped in `{key}`")))?;
    if let Some(extra) = body.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(ApiError::bad_request(format!("unknown field `{extra}`")));
    }
    Ok((inner, body))
}

/// The value as an object, or a 400 naming `what`.
pub fn as_object(value: Value, what: &str) -> Result<Map<String, Value>, ApiError> {
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::bad_request(format!(
            "`{what}` must be a JSON object"
        ))),
    }
}
