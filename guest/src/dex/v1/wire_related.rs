//! A contact's `related_contacts` as v1 may send it.
//!
//! Dex writes related contacts as `related_contacts: {append:
//! [{destination}], remove: [{source, destination}]}` (live) and its hosted
//! MCP shows them under `related_contacts` (ref), but no source shows how
//! the REST API reads them (guess; docs/dex-api.md, "Related contacts").
//! So every plausible entry is read:
//!
//! - a join row `{id, source, destination}`, whose ends are ids or nested
//!   contacts (also as `source_contact` / `destination_contact`, or
//!   `source_id` / `destination_id`): the end that is not the contact
//!   itself is the related one;
//! - a link `{related_contact: {...}}`, `{contact: {...}}`,
//!   `{related_contact_id}` or `{contact_id}`;
//! - the related contact itself, `{id, full_name}`;
//! - its bare id, `"c2"`.
//!
//! An entry in none of these forms, or naming only the contact itself, is
//! skipped rather than failing the contact.

use serde_json::{Map, Value};

use crate::dex::wire_text::present;
use crate::model::RelatedContact;

/// The keys a join row names its two ends by, source first.
const ENDS: [(&str, &str); 3] = [
    ("source", "destination"),
    ("source_contact", "destination_contact"),
    ("source_id", "destination_id"),
];

/// The keys a link names the other contact by.
const LINKS: [&str; 4] = [
    "related_contact",
    "contact",
    "related_contact_id",
    "contact_id",
];

/// The related contacts of contact `own_id` in `entries`, each once, in
/// Dex's order, never the contact itself.
pub fn related_contacts(own_id: &str, entries: Vec<Value>) -> Vec<RelatedContact> {
    let mut related: Vec<RelatedContact> = Vec::new();
    for entry in entries {
        let Some(found) = entry_contact(own_id, entry) else {
            continue;
        };
        if found.id == own_id {
            continue;
        }
        match related.iter_mut().find(|r| r.id == found.id) {
            Some(known) => {
                if known.name.is_none() {
                    known.name = found.name;
                }
            }
            None => related.push(found),
        }
    }
    // Kept as long as the account: no room for four when there is one.
    related.shrink_to_fit();
    related
}

fn entry_contact(own_id: &str, entry: Value) -> Option<RelatedContact> {
    match entry {
        Value::String(id) => reference(Value::String(id)),
        Value::Object(mut row) => {
            for (source, destination) in ENDS {
                let ends = (row.remove(source), row.remove(destination));
                if ends.0.is_some() || ends.1.is_some() {
                    return other_end(own_id, ends);
                }
            }
            for key in LINKS {
                if let Some(link) = row.remove(key) {
                    return reference(link);
                }
            }
            contact(row)
        }
        _ => None,
    }
}

/// The end of a join row that is not `own_id`; the destination when
/// neither is (the write names the contact itself only as the source).
fn other_end(
    own_id: &str,
    (source, destination): (Option<Value>, Option<Value>),
) -> Option<RelatedContact> {
    let source = source.and_then(reference);
    let destination = destination.and_then(reference);
    match (source, destination) {
        (Some(s), Some(d)) if d.id == own_id => Some(s),
        (_, Some(d)) => Some(d),
        (Some(s), None) => Some(s),
        (None, None) => None,
    }
}

/// A contact named by its id or given whole.
fn reference(value: Value) -> Option<RelatedContact> {
    match value {
        Value::String(id) => Some(RelatedContact {
            id: present(Some(id))?,
            name: None,
        }),
        Value::Number(id) => Some(RelatedContact {
            id: id.to_string(),
            name: None,
        }),
        Value::Object(fields) => contact(fields),
        _ => None,
    }
}

/// A nested contact: its id and, when given, its name.
fn contact(mut fields: Map<String, Value>) -> Option<RelatedContact> {
    let mut text = |key: &str| match fields.remove(key) {
        Some(Value::String(text)) => present(Some(text)),
        _ => None,
    };
    let id = text("id")?;
    let full = text("full_name");
    let first = text("first_name");
    let last = text("last_name");
    let name = full.or_else(|| {
        let joined = [first, last]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        present(Some(joined))
    });
    Some(RelatedContact { id, name })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(own: &str, entries: Value) -> Vec<(String, Option<String>)> {
        let Value::Array(entries) = entries else {
            panic!("a list");
        };
        related_contacts(own, entries)
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect()
    }

    fn bare(ids: &[&str]) -> Vec<(String, Option<String>)> {
        ids.iter().map(|id| ((*id).to_owned(), None)).collect()
    }

    #[test]
    fn join_rows_give_the_end_that_is_not_the_contact_whichever_way_they_point() {
        let rows = json!([
            {"id": "row1", "source": "ada", "destination": "bob"},
            {"id": "row2", "source": "cy", "destination": "ada"},
            {"source_id": "ada", "destination_id": "dee"},
            {"source": "ada"},
        ]);
        assert_eq!(read("ada", rows), bare(&["bob", "cy", "dee"]));
    }

    #[test]
    fn nested_contacts_bring_their_names() {
        let rows = json!([
            {"id": "row1", "source": {"id": "ada"}, "destination": {"id": "bob", "full_name": "Bob Ng"}},
            {"source_contact": {"id": "cy", "first_name": "Cy", "last_name": "Lee"},
             "destination_contact": {"id": "ada", "full_name": "Ada"}},
            {"related_contact": {"id": "dee", "full_name": " "}},
            {"contact": {"id": "eve", "full_name": "Eve"}},
            {"related_contact_id": "fay"},
            {"contact_id": "gus"},
            {"id": "hal", "full_name": "Hal"},
            "ivy",
        ]);
        assert_eq!(
            read("ada", rows),
            [
                ("bob".to_owned(), Some("Bob Ng".to_owned())),
                ("cy".into(), Some("Cy Lee".into())),
                ("dee".into(), None),
                ("eve".into(), Some("Eve".into())),
                ("fay".into(), None),
                ("gus".into(), None),
                ("hal".into(), Some("Hal".into())),
                ("ivy".into(), None),
            ]
        );
    }

    #[test]
    fn repeats_the_contact_itself_and_unreadable_entries_are_left_out() {
        let rows = json!([
            "bob",
            {"id": "bob", "full_name": "Bob"},
            "ada",
            {"source": "ada", "destination": "ada"},
            {"note": "no contact here"},
            {"id": ""},
            null,
            true,
            "",
        ]);
        assert_eq!(
            read("ada", rows),
            [("bob".to_owned(), Some("Bob".to_owned()))],
            "the name a later entry gives is kept"
        );
    }
}
