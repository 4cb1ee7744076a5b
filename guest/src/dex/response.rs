//! Turning Dex's answers into values or [`ToolError`]s.

use serde::de::DeserializeOwned;

use super::{HttpResponse, TransportError};
use crate::model::{ErrorKind, ToolError};

fn upstream(message: String) -> ToolError {
    ToolError::new(ErrorKind::Upstream, message)
}

/// Maps a non-2xx status to the error kind a caller can act on; passes a
/// 2xx response through. `what` names the thing asked for ("contact abc").
pub fn check_status(response: HttpResponse, what: &str) -> Result<HttpResponse, ToolError> {
    let status = response.status;
    if (200..300).contains(&status) {
        return Ok(response);
    }
    let detail = error_detail(&response.body);
    Err(match status {
        401 => ToolError::new(
            ErrorKind::Unauthorized,
            "Dex refused the API key; check DEX_API_KEY (Dex > Settings > API)",
        ),
        403 => ToolError::new(
            ErrorKind::Forbidden,
            "Dex accepted the key but this plan has no API access; an upgrade is needed",
        ),
        404 => ToolError::new(ErrorKind::NotFound, format!("Dex has no {what}")),
        429 => {
            let retry = response
                .header("retry-after")
                .and_then(|v| v.trim().parse::<u32>().ok());
            ToolError {
                retry_after_seconds: retry,
                ..ToolError::new(
                    ErrorKind::RateLimited,
                    format!(
                        "Dex is rate limiting requests; try again in {} seconds",
                        retry.unwrap_or(1)
                    ),
                )
            }
        }
        400 | 422 => ToolError::new(
            ErrorKind::Validation,
            format!("Dex rejected the request for {what}: {detail}"),
        ),
        _ => upstream(format!("Dex answered {status} for {what}: {detail}")),
    })
}

/// Decodes a 2xx body, reporting a malformed one as an upstream failure.
pub fn decode_json<T: DeserializeOwned>(
    response: &HttpResponse,
    what: &str,
) -> Result<T, ToolError> {
    serde_json::from_slice(&response.body)
        .map_err(|e| upstream(format!("Dex sent a malformed answer for {what}: {e}")))
}

impl From<TransportError> for ToolError {
    fn from(err: TransportError) -> Self {
        upstream(err.to_string())
    }
}

/// The most useful short text in an error body: its `message` or `error`
/// string, or the start of the body.
fn error_detail(body: &[u8]) -> String {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        for key in ["message", "error"] {
            if let Some(text) = value.get(key).and_then(|v| v.as_str()) {
                return text.to_owned();
            }
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        "no details given".to_owned()
    } else {
        text.chars().take(200).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn statuses_map_to_error_kinds() {
        let kind = |status| {
            check_status(response(status, &[], ""), "x")
                .unwrap_err()
                .kind
        };
        assert_eq!(kind(401), ErrorKind::Unauthorized);
        assert_eq!(kind(403), ErrorKind::Forbidden);
        assert_eq!(kind(404), ErrorKind::NotFound);
        assert_eq!(kind(400), ErrorKind::Validation);
        assert_eq!(kind(503), ErrorKind::Upstream);
        assert!(check_status(response(201, &[], ""), "x").is_ok());
    }

    #[test]
    fn rate_limit_carries_retry_after() {
        let err = check_status(response(429, &[("retry-after", "7")], ""), "x").unwrap_err();
        assert_eq!(err.retry_after_seconds, Some(7));
        assert!(err.message.contains("7 seconds"));
    }

    #[test]
    fn bad_request_quotes_dexs_message() {
        let err = check_status(
            response(400, &[], r#"{"error":true,"message":"unknown field foo"}"#),
            "the new contact",
        )
        .unwrap_err();
        assert!(err.message.contains("unknown field foo"), "{}", err.message);
    }

    #[test]
    fn malformed_body_is_an_upstream_error() {
        let err =
            decode_json::<serde_json::Value>(&response(200, &[], "{oops"), "the contact list")
                .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Upstream);
    }
}
