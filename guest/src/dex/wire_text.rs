//! Reading Dex's loosely filled fields, the same way for both generations.

use crate::model::{CompactText, ErrorKind, ToolError};

/// Empty or blank strings from Dex mean "not set".
pub(crate) fn present(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The items of `items` in a vector without spare capacity. A collected
/// `filter_map` reserves room for four; ten thousand contacts kept that
/// room for their emails, phones, links and labels for as long as the
/// account was held (docs/benchmarks.md, "Contacts in compact form").
pub(crate) fn exact<T>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut kept: Vec<T> = items.collect();
    kept.shrink_to_fit();
    kept
}

/// [`present`], kept as a [`CompactText`] (ids and times of records).
pub(crate) fn present_compact(value: Option<String>) -> Option<CompactText> {
    present(value).map(CompactText::from)
}

/// Linked contact ids without blanks or repeats, in Dex's order.
///
/// Without spare capacity: a vector's first push reserves room for four,
/// and most records link one contact, so across an account's 70,000 notes
/// and reminders the slack was as large as the ids themselves.
pub(crate) fn distinct_ids(ids: impl IntoIterator<Item = Option<String>>) -> Vec<CompactText> {
    let mut distinct: Vec<CompactText> = Vec::new();
    for id in ids.into_iter().filter_map(present_compact) {
        if !distinct.contains(&id) {
            distinct.push(id);
        }
    }
    distinct.shrink_to_fit();
    distinct
}

/// Checks that a record decoded from `endpoint` has an id: decoders
/// default a missing id to empty so that serde's message stays out of the
/// way, and no record may leave this module without one.
pub(crate) fn require_id(id: &str, noun: &str, endpoint: &str) -> Result<(), ToolError> {
    if id.trim().is_empty() {
        return Err(ToolError::new(
            ErrorKind::Upstream,
            format!("Dex answered {endpoint} with a {noun} without an id"),
        ));
    }
    Ok(())
}

/// [`require_id`] for every record of a page; the message names the
/// first one without an id by its place (counted from 1).
pub(crate) fn require_ids(
    ids: impl IntoIterator<Item = impl AsRef<str>>,
    noun: &str,
    endpoint: &str,
) -> Result<(), ToolError> {
    match ids.into_iter().position(|id| id.as_ref().trim().is_empty()) {
        None => Ok(()),
        Some(i) => Err(ToolError::new(
            ErrorKind::Upstream,
            format!(
                "Dex answered {endpoint} with a {noun} without an id (item {} of the page)",
                i + 1
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_are_unset_and_repeats_dropped() {
        assert_eq!(present(Some("  ".into())), None);
        assert_eq!(present(Some(" a ".into())).as_deref(), Some("a"));
        let ids = distinct_ids([
            Some("b".into()),
            None,
            Some(" ".into()),
            Some("a".into()),
            Some("b ".into()),
        ]);
        assert_eq!(ids, ["b", "a"]);
        assert_eq!(ids.capacity(), 2, "no spare room kept");
    }

    #[test]
    fn a_record_without_an_id_is_refused_and_named_by_its_place() {
        let err = require_ids(["a", "b", " "], "contact", "GET /v1/contacts").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Upstream);
        assert!(err.message.contains("GET /v1/contacts"), "{}", err.message);
        assert!(err.message.contains("item 3"), "{}", err.message);
        assert!(require_ids(["a"], "contact", "GET /v1/contacts").is_ok());
        let err = require_id("", "note", "insert_timeline_items_one").unwrap_err();
        assert!(
            err.message.contains("a note without an id"),
            "{}",
            err.message
        );
    }
}
