//! Query-string paging parameters of both generations.

use std::collections::{HashMap, HashSet};

use super::error::ApiError;
use crate::shape::AnswerShape;

/// Page size when a v1 request gives no `take` (older shape).
pub const V1_DEFAULT_TAKE: usize = 50;
/// Largest `take` accepted (older shape).
pub const V1_MAX_TAKE: usize = 1000;
/// Page size when a legacy request gives no `limit`.
pub const LEGACY_DEFAULT_LIMIT: usize = 10;

/// v1 `take` and `cursor`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CursorParams {
    /// Records on the page: `take` in the older shape, 500 whatever `take`
    /// says in the reference shape.
    pub take: usize,
    /// Sequence number after which the page starts.
    pub after: Option<u64>,
}

/// Reads `take` and `cursor` (a previous page's `nextCursor`; empty means
/// the start). `take` is a whole number from 1; the older shape also caps
/// it at 1000 and honours it (default 50), the reference shape serves 500
/// whatever it says. A cursor must be one this shape hands out.
pub fn cursor(
    query: &HashMap<String, String>,
    shape: AnswerShape,
) -> Result<CursorParams, ApiError> {
    let max = match shape {
        AnswerShape::Reference => usize::MAX,
        AnswerShape::Older => V1_MAX_TAKE,
    };
    let take = match query.get("take").map(String::as_str) {
        None | Some("") => V1_DEFAULT_TAKE,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(match shape {
                    AnswerShape::Reference => "`take` must be a whole number from 1".to_owned(),
                    AnswerShape::Older => {
                        format!("`take` must be a number from 1 to {V1_MAX_TAKE}")
                    }
                })
            })?,
    };
    let after =
        match query.get("cursor").map(String::as_str) {
            None | Some("") | Some("null") => None,
            Some(text) => Some(shape.position(text).ok_or_else(|| {
                ApiError::bad_request("`cursor` is not a cursor this API gave out")
            })?),
        };
    Ok(CursorParams {
        take: shape.page_size(take),
        after,
    })
}

/// Largest `take` of the unified timeline in the reference shape, which
/// documents 1 to 100 for it.
pub const UNIFIED_MAX_TAKE: usize = 100;

/// The unified timeline's page size: `take` (default 50), at most 100 in
/// the reference shape and 1000 in the older one.
pub fn unified_take(
    query: &HashMap<String, String>,
    shape: AnswerShape,
) -> Result<usize, ApiError> {
    let max = match shape {
        AnswerShape::Reference => UNIFIED_MAX_TAKE,
        AnswerShape::Older => V1_MAX_TAKE,
    };
    match query.get("take").map(String::as_str) {
        None | Some("") => Ok(V1_DEFAULT_TAKE),
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(format!("`take` must be a number from 1 to {max}"))
            }),
    }
}

/// The relation names a v1 list request's `include` asks for, in either
/// form a client may send: `include[contact_emails]=true` (an object in
/// the query string, as the reference types `include`) or
/// `include=contact_emails,contact_phone_numbers`. A name set to `false`
/// or `0` is not asked for.
pub fn include(query: &HashMap<String, String>) -> HashSet<String> {
    let mut names = HashSet::new();
    for (key, value) in query {
        if key == "include" {
            names.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned),
            );
        } else if let Some(name) = key
            .strip_prefix("include[")
            .and_then(|rest| rest.strip_suffix(']'))
            && !matches!(value.trim(), "false" | "0")
        {
            names.insert(name.to_owned());
        }
    }
    names
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
        let older = cursor(&query(&[]), AnswerShape::Older).unwrap();
        assert_eq!((older.take, older.after), (50, None));
        assert_eq!(limit_offset(&query(&[])).unwrap(), (10, 0));
    }

    #[test]
    fn include_reads_the_object_and_the_list_forms() {
        let asked = include(&query(&[
            ("include[contact_emails]", "true"),
            ("include[contact_phone_numbers]", "false"),
            ("take", "5"),
        ]));
        assert_eq!(asked, HashSet::from(["contact_emails".to_owned()]));
        let listed = include(&query(&[(
            "include",
            "contact_emails, contact_phone_numbers",
        )]));
        assert_eq!(listed.len(), 2);
        assert!(include(&query(&[])).is_empty());
    }

    #[test]
    fn the_reference_shape_serves_500_whatever_take_says() {
        for take in ["1", "50", "1000", "5000"] {
            let params = cursor(&query(&[("take", take)]), AnswerShape::Reference).unwrap();
            assert_eq!(params.take, 500, "take={take}");
        }
        let params = cursor(&query(&[("take", "7")]), AnswerShape::Older).unwrap();
        assert_eq!(params.take, 7);
        assert!(cursor(&query(&[("take", "5000")]), AnswerShape::Older).is_err());
    }

    #[test]
    fn cursors_are_read_in_the_shape_they_were_given_in() {
        let uuid = AnswerShape::Reference.cursor(12);
        let params = cursor(&query(&[("cursor", &uuid)]), AnswerShape::Reference).unwrap();
        assert_eq!(params.after, Some(12));
        assert!(cursor(&query(&[("cursor", "12")]), AnswerShape::Reference).is_err());
        assert!(cursor(&query(&[("cursor", &uuid)]), AnswerShape::Older).is_err());
        let params = cursor(&query(&[("cursor", "12")]), AnswerShape::Older).unwrap();
        assert_eq!(params.after, Some(12));
    }

    #[test]
    fn rejects_bad_numbers() {
        for shape in AnswerShape::ALL {
            assert!(cursor(&query(&[("take", "0")]), shape).is_err());
            assert!(cursor(&query(&[("take", "many")]), shape).is_err());
            assert!(cursor(&query(&[("cursor", "abc")]), shape).is_err());
        }
        assert!(limit_offset(&query(&[("limit", "-1")])).is_err());
    }
}
