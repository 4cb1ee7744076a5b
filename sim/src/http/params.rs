//! Query-string paging parameters of both generations.

use std::collections::HashMap;

use super::error::ApiError;

/// Page size when a v1 request gives no `take`.
pub const V1_DEFAULT_TAKE: usize = 50;
/// Largest `take` accepted.
pub const V1_MAX_TAKE: usize = 1000;
/// Page size when a legacy request gives no `limit`.
pub const LEGACY_DEFAULT_LIMIT: usize = 10;

/// v1 `take` and `cursor`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CursorParams {
    /// Page size.
    pub take: usize,
    /// Sequence number after which the page starts.
    pub after: Option<u64>,
}

/// Reads `take` (1..=1000, default 50) and `cursor` (a previous page's
/// `nextCursor`; empty means the start).
pub fn cursor(query: &HashMap<String, String>) -> Result<CursorParams, ApiError> {
    let take = match query.get("take").map(String::as_str) {
        None | Some("") => V1_DEFAULT_TAKE,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=V1_MAX_TAKE).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(format!("`take` must be a number from 1 to {V1_MAX_TAKE}"))
            })?,
    };
    let after = match query.get("cursor").map(String::as_str) {
        None | Some("") | Some("null") => None,
        Some(text) => Some(
            text.parse::<u64>()
                .map_err(|_| ApiError::bad_request("`cursor` is not a cursor this API gave out"))?,
        ),
    };
    Ok(CursorParams { take, after })
}

/// Legacy `limit` (default 10) and `offset` (default 0), sent as strings.
pub fn limit_offset(query: &HashMap<String, String>) -> Result<(usize, usize), ApiError> {
    let number = |name: &str, default: usize| match query.get(name).map(String::as_str) {
        None | Some("") => Ok(default),
        Some(text) => text
            .parse::<usize>()
            .map_err(|_| ApiError::bad_request(format!("`{name}` must be a whole number"))),
    };
    Ok((number("limit", LEGACY_DEFAULT_LIMIT)?, number("offset", 0)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_apply_when_absent() {
        assert_eq!(
            cursor(&query(&[])).unwrap(),
            CursorParams {
                take: 50,
                after: None
            }
        );
        assert_eq!(limit_offset(&query(&[])).unwrap(), (10, 0));
    }

    #[test]
    fn rejects_bad_numbers() {
        assert!(cursor(&query(&[("take", "0")])).is_err());
        assert!(cursor(&query(&[("cursor", "abc")])).is_err());
        assert!(limit_offset(&query(&[("limit", "-1")])).is_err());
    }
}
