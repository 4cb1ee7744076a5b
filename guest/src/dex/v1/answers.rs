//! Reading the record out of a v1 answer, in whichever shape it came.
//!
//! Dex's v1 reference answers a create with the record wrapped in its
//! kind (`data: {"note": {...}}`), contacts as a list
//! (`data: [created...]`); earlier clients, and the first simulator, read
//! the bare record in `data`. Updates and reads of one record are not
//! documented beyond the envelope. So every record answer is read the same
//! tolerant way (see `docs/dex-api.md`, "Answers to writes"): wrapped, bare
//! or in a list of one, with a non-empty id. Anything else is an upstream
//! error that names the endpoint and what was missing, never a record with
//! an empty id.

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::dex::{HttpResponse, decode_json};
use crate::model::{ErrorKind, ToolError};

/// How a record sat in `data`: what `dex-mcp doctor` reports as the shape
/// an endpoint answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordShape {
    /// `data: {"note": {...}}`: wrapped in its kind.
    Wrapped,
    /// `data: {...}`: the record itself.
    Bare,
    /// `data: [{...}]` or `data: {"contacts": [{...}]}`: a list holding it.
    List,
}

impl RecordShape {
    /// The word `doctor` prints.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordShape::Wrapped => "wrapped",
            RecordShape::Bare => "bare",
            RecordShape::List => "list",
        }
    }
}

impl fmt::Display for RecordShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of record an answer should hold, with the keys it may be
/// wrapped in.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// `note`, `reminder`, `contact`: the wrapper key and the noun in
    /// messages.
    pub singular: &'static str,
    /// `contacts`: a wrapper key holding a list, when the kind has one.
    pub plural: Option<&'static str>,
}

/// A note (timeline item).
pub const NOTE: Kind = Kind {
    singular: "note",
    plural: None,
};
/// A reminder.
pub const REMINDER: Kind = Kind {
    singular: "reminder",
    plural: None,
};
/// A tag.
pub const TAG: Kind = Kind {
    singular: "tag",
    plural: None,
};
/// A group.
pub const GROUP: Kind = Kind {
    singular: "group",
    plural: None,
};
/// The account's owner (`GET /v1/users/me`).
pub const USER: Kind = Kind {
    singular: "user",
    plural: None,
};
/// A contact.
pub const CONTACT: Kind = Kind {
    singular: "contact",
    plural: Some("contacts"),
};

/// What was wrong with an answer, worded to follow "Dex answered
/// `{endpoint}` with ...".
fn unreadable(endpoint: &str, what: impl fmt::Display) -> ToolError {
    ToolError::new(
        ErrorKind::Upstream,
        format!("Dex answered {endpoint} with {what}"),
    )
}

/// The `data` of a 2xx answer; its absence (or `null`) is an error. A
/// delete, whose answer may carry no `data`, never asks for it.
pub fn data(response: &HttpResponse, endpoint: &str) -> Result<Value, ToolError> {
    optional_data(response, endpoint)?.ok_or_else(|| {
        unreadable(
            endpoint,
            "no `data` (expected {\"error\": false, \"data\": ...})",
        )
    })
}

/// The `data` of a 2xx answer, `None` when it is absent or `null` (a read
/// of one record may answer so for "no such record").
pub fn optional_data(response: &HttpResponse, endpoint: &str) -> Result<Option<Value>, ToolError> {
    match decode_json::<Value>(response, endpoint)? {
        Value::Object(mut fields) => Ok(fields.remove("data").filter(|d| !d.is_null())),
        other => Err(unreadable(
            endpoint,
            format!("{} instead of an object with `data`", json_type(&other)),
        )),
    }
}

/// The record of `kind` in `data`, and how it was held.
pub fn record_value(
    data: Value,
    kind: Kind,
    endpoint: &str,
) -> Result<(Map<String, Value>, RecordShape), ToolError> {
    let missing = || {
        let plural = kind
            .plural
            .map(|p| format!(", `data.{p}` with one"))
            .unwrap_or_default();
        format!(
            "no {noun} in `data` (looked for `data.{noun}`{plural}, a list of one, and a {noun} with an `id`)",
            noun = kind.singular
        )
    };
    let (value, shape) = match data {
        Value::Array(items) => (first(items, kind, endpoint)?, RecordShape::List),
        Value::Object(mut fields) => {
            // Looked at before taken: a bare note has a `note` field too
            // (its text), which is not a wrapper.
            let wrapped = fields.get(kind.singular).is_some_and(Value::is_object);
            let listed = kind
                .plural
                .filter(|p| fields.get(*p).is_some_and(Value::is_array));
            if wrapped && let Some(inner) = fields.remove(kind.singular) {
                (inner, RecordShape::Wrapped)
            } else if let Some(Value::Array(items)) = listed.and_then(|p| fields.remove(p)) {
                (first(items, kind, endpoint)?, RecordShape::List)
            } else if fields.contains_key("id") {
                (Value::Object(fields), RecordShape::Bare)
            } else {
                return Err(unreadable(endpoint, missing()));
            }
        }
        other => {
            return Err(unreadable(
                endpoint,
                format!("{} in `data`; {}", json_type(&other), missing()),
            ));
        }
    };
    let Value::Object(fields) = value else {
        return Err(unreadable(
            endpoint,
            format!("a {} that is not an object", kind.singular),
        ));
    };
    require_id(fields.get("id"), kind.singular, endpoint)?;
    Ok((fields, shape))
}

/// The record of `kind` in a 2xx answer, decoded as `W`.
pub fn record<W: DeserializeOwned>(
    response: &HttpResponse,
    kind: Kind,
    endpoint: &str,
) -> Result<(W, RecordShape), ToolError> {
    let (fields, shape) = record_value(data(response, endpoint)?, kind, endpoint)?;
    let record = serde_json::from_value(Value::Object(fields)).map_err(|e| {
        unreadable(
            endpoint,
            format!("a {} it could not read: {e}", kind.singular),
        )
    })?;
    Ok((record, shape))
}

fn first(items: Vec<Value>, kind: Kind, endpoint: &str) -> Result<Value, ToolError> {
    items.into_iter().next().ok_or_else(|| {
        unreadable(
            endpoint,
            format!("an empty list where a {} was expected", kind.singular),
        )
    })
}

/// An id must be a non-blank string.
fn require_id(id: Option<&Value>, noun: &str, endpoint: &str) -> Result<(), ToolError> {
    match id {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(()),
        _ => Err(unreadable(endpoint, format!("a {noun} without an id"))),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_of(body: &str, kind: Kind) -> Result<(String, RecordShape), ToolError> {
        let (fields, shape) = record_value(
            data(&HttpResponse::ok(body), "POST /v1/x")?,
            kind,
            "POST /v1/x",
        )?;
        Ok((fields["id"].as_str().unwrap().to_owned(), shape))
    }

    #[test]
    fn wrapped_bare_and_listed_records_are_all_read() {
        let cases = [
            (
                r#"{"error":false,"data":{"note":{"id":"n1","note":"x"}}}"#,
                NOTE,
                RecordShape::Wrapped,
            ),
            (
                r#"{"error":false,"data":{"id":"n1","note":"x"}}"#,
                NOTE,
                RecordShape::Bare,
            ),
            (
                r#"{"error":false,"data":{"reminder":{"id":"n1"}}}"#,
                REMINDER,
                RecordShape::Wrapped,
            ),
            (
                r#"{"error":false,"data":[{"id":"n1"}]}"#,
                CONTACT,
                RecordShape::List,
            ),
            (
                r#"{"error":false,"data":{"contacts":[{"id":"n1"}]}}"#,
                CONTACT,
                RecordShape::List,
            ),
            (
                r#"{"error":false,"data":{"contact":{"id":"n1"}}}"#,
                CONTACT,
                RecordShape::Wrapped,
            ),
        ];
        for (body, kind, shape) in cases {
            assert_eq!(id_of(body, kind).unwrap(), ("n1".into(), shape), "{body}");
        }
        // A bare note's text is its `note` field, not a wrapper.
        let data = serde_json::json!({"id": "n1", "note": "x"});
        let (fields, _) = record_value(data, NOTE, "PUT /v1/timeline/{id}").unwrap();
        assert_eq!(fields["note"], "x");
    }

    #[test]
    fn a_record_of_another_kind_is_not_taken_for_this_one() {
        // A reminder wrapper where a note was expected has no id at the top.
        let err = id_of(r#"{"data":{"reminder":{"id":"r1"}}}"#, NOTE).unwrap_err();
        assert!(err.message.contains("no note in `data`"), "{}", err.message);
    }

    #[test]
    fn answers_in_no_known_shape_are_upstream_errors_naming_the_endpoint() {
        let cases = [
            (r#"{"error":false}"#, "no `data`"),
            (r#"{"error":false,"data":null}"#, "no `data`"),
            (r#"[1,2]"#, "a list instead of an object"),
            (
                r#"{"data":{"note":{"note":"no id"}}}"#,
                "a note without an id",
            ),
            (r#"{"data":{"note":{"id":"  "}}}"#, "a note without an id"),
            (r#"{"data":{"id":7}}"#, "a note without an id"),
            (r#"{"data":{"message":"saved"}}"#, "no note in `data`"),
            (r#"{"data":[]}"#, "an empty list"),
            (r#"{"data":"ok"}"#, "a string in `data`"),
            (r#"{"data":["n1"]}"#, "not an object"),
        ];
        for (body, expected) in cases {
            let err = id_of(body, NOTE).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Upstream, "{body}");
            assert!(err.message.contains("POST /v1/x"), "{}", err.message);
            assert!(err.message.contains(expected), "{body}: {}", err.message);
        }
    }
}
