//! `POST /v1/contacts/merge`'s answer, and which record survived.
//!
//! The reference answers `data: {"mergedContactIds": [...]}`, without the
//! records; dex-mcp's first simulator answered the kept records
//! (`data: [contact]`). Which record survives is disputed: Dex's newest
//! skill text says the oldest of the group whatever the order, older ones
//! say the first id. So an answer with records names its survivor, and an
//! answer with ids is followed by reading every id of the group back: the
//! one that still exists survived (see `docs/dex-api.md`, "Merging").

use serde_json::Value;

use super::answers::{self, CONTACT};
use super::wire::WireContact;
use crate::dex::{HttpResponse, MergeOutcome};
use crate::model::{Contact, ContactId, ErrorKind, ToolError};

/// The endpoint, for messages.
pub const ENDPOINT: &str = "POST /v1/contacts/merge";

/// What a merge answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeAnswer {
    /// The kept record (the first, when the answer listed several).
    Survivor(Box<Contact>),
    /// `mergedContactIds`: ids only. What they stand for (the records
    /// merged away, or the whole group) is not documented, so they are not
    /// relied on.
    MergedIds(Vec<String>),
}

/// Reads a 2xx merge answer: `data.mergedContactIds`, or records in any
/// of the shapes a record answer may take.
pub fn read_answer(response: &HttpResponse) -> Result<MergeAnswer, ToolError> {
    let data = answers::data(response, ENDPOINT)?;
    if let Value::Object(fields) = &data
        && let Some(ids) = fields.get("mergedContactIds")
    {
        let ids: Vec<String> = ids
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|id| id.as_str().map(str::to_owned))
                    .collect()
            })
            .ok_or_else(|| {
                ToolError::new(
                    ErrorKind::Upstream,
                    format!("Dex answered {ENDPOINT} with a `mergedContactIds` that is not a list"),
                )
            })?;
        return Ok(MergeAnswer::MergedIds(ids));
    }
    let (fields, _) = answers::record_value(data, CONTACT, ENDPOINT).map_err(|e| ToolError {
        message: format!("{} or `data.mergedContactIds`", e.message),
        ..e
    })?;
    let wire: WireContact = serde_json::from_value(Value::Object(fields)).map_err(|e| {
        ToolError::new(
            ErrorKind::Upstream,
            format!("Dex answered {ENDPOINT} with a contact it could not read: {e}"),
        )
    })?;
    Ok(MergeAnswer::Survivor(Box::new(wire.into())))
}

/// The outcome when Dex named its survivor, which must be of the group.
pub fn named_survivor(group: &[ContactId], survivor: Contact) -> Result<MergeOutcome, ToolError> {
    if !group.iter().any(|id| id.as_str() == survivor.id) {
        return Err(ToolError::new(
            ErrorKind::Upstream,
            format!(
                "Dex answered {ENDPOINT} with contact {}, which is not one of the contacts merged ({}); read them with get_contact_details before merging again",
                survivor.id,
                joined(group)
            ),
        ));
    }
    Ok(MergeOutcome {
        merged: others(group, &survivor.id),
        survivor,
    })
}

/// The outcome from reading every id of `group` back after the merge
/// (`reads` in group order: the contact, or not-found for one merged
/// away). Exactly one must still exist.
pub fn survivor_read_back(
    group: &[ContactId],
    reads: Vec<Result<Contact, ToolError>>,
) -> Result<MergeOutcome, ToolError> {
    let failed = |detail: String| {
        ToolError::new(
            ErrorKind::Upstream,
            format!(
                "Dex accepted the merge of {} but {detail}; read them with get_contact_details before merging again",
                joined(group)
            ),
        )
    };
    let mut left = Vec::new();
    for (id, read) in group.iter().zip(reads) {
        match read {
            Ok(contact) => left.push(contact),
            Err(e) if e.kind == ErrorKind::NotFound => {}
            Err(e) => {
                return Err(failed(format!(
                    "reading contact {id} back, to see which record it kept, failed: {}",
                    e.message
                )));
            }
        }
    }
    match left.len() {
        1 => {
            let survivor = left.remove(0);
            Ok(MergeOutcome {
                merged: others(group, &survivor.id),
                survivor,
            })
        }
        0 => Err(failed("none of them can be read any more".into())),
        _ => Err(failed(format!(
            "{} of them still exist ({}), so the merge has not (yet) happened as asked",
            left.len(),
            left.iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn others(group: &[ContactId], survivor: &str) -> Vec<ContactId> {
    group
        .iter()
        .filter(|id| id.as_str() != survivor)
        .cloned()
        .collect()
}

fn joined(group: &[ContactId]) -> String {
    group
        .iter()
        .map(ContactId::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(raw: &[&str]) -> Vec<ContactId> {
        raw.iter()
            .map(|r| ContactId::parse("id", r).unwrap())
            .collect()
    }

    fn contact(id: &str) -> Contact {
        Contact {
            id: id.into(),
            ..Contact::default()
        }
    }

    fn not_found(id: &str) -> ToolError {
        ToolError::new(ErrorKind::NotFound, format!("Dex has no contact {id}"))
    }

    #[test]
    fn merged_ids_and_records_are_both_read() {
        assert_eq!(
            read_answer(&HttpResponse::ok(
                r#"{"error":false,"data":{"mergedContactIds":["b","c"]}}"#
            ))
            .unwrap(),
            MergeAnswer::MergedIds(vec!["b".into(), "c".into()])
        );
        for body in [
            r#"{"error":false,"data":[{"id":"a","first_name":"Ada"}]}"#,
            r#"{"error":false,"data":{"contacts":[{"id":"a"}]}}"#,
            r#"{"error":false,"data":{"contact":{"id":"a"}}}"#,
            r#"{"error":false,"data":{"id":"a"}}"#,
        ] {
            match read_answer(&HttpResponse::ok(body)).unwrap() {
                MergeAnswer::Survivor(c) => assert_eq!(c.id, "a", "{body}"),
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_merge_answer_in_no_known_shape_names_what_was_looked_for() {
        for body in [
            r#"{"error":false,"data":{"message":"merged"}}"#,
            r#"{"error":false,"data":{"mergedContactIds":"b"}}"#,
            r#"{"error":false,"data":[{"first_name":"no id"}]}"#,
            r#"{"error":false}"#,
        ] {
            let err = read_answer(&HttpResponse::ok(body)).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Upstream, "{body}");
            assert!(err.message.contains(ENDPOINT), "{}", err.message);
        }
        let err = read_answer(&HttpResponse::ok(r#"{"data":{"message":"merged"}}"#)).unwrap_err();
        assert!(err.message.contains("mergedContactIds"), "{}", err.message);
    }

    #[test]
    fn the_one_record_left_is_the_survivor_whichever_it_is() {
        let group = ids(&["new", "old"]);
        let outcome =
            survivor_read_back(&group, vec![Err(not_found("new")), Ok(contact("old"))]).unwrap();
        assert_eq!(outcome.survivor.id, "old");
        assert_eq!(outcome.merged, ids(&["new"]));
        let outcome =
            survivor_read_back(&group, vec![Ok(contact("new")), Err(not_found("old"))]).unwrap();
        assert_eq!(outcome.survivor.id, "new");
        assert_eq!(outcome.merged, ids(&["old"]));
    }

    #[test]
    fn none_or_several_left_or_a_failed_read_is_an_upstream_error() {
        let group = ids(&["a", "b"]);
        let cases = [
            (
                vec![Err(not_found("a")), Err(not_found("b"))],
                "none of them",
            ),
            (
                vec![Ok(contact("a")), Ok(contact("b"))],
                "2 of them still exist (a, b)",
            ),
            (
                vec![
                    Ok(contact("a")),
                    Err(ToolError::new(ErrorKind::RateLimited, "slow down")),
                ],
                "reading contact b back",
            ),
        ];
        for (reads, expected) in cases {
            let err = survivor_read_back(&group, reads).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Upstream);
            assert!(err.message.contains(expected), "{}", err.message);
            assert!(
                err.message.contains("accepted the merge of a, b"),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn a_named_survivor_must_be_of_the_group() {
        let group = ids(&["a", "b"]);
        let outcome = named_survivor(&group, contact("b")).unwrap();
        assert_eq!(outcome.merged, ids(&["a"]));
        let err = named_survivor(&group, contact("z")).unwrap_err();
        assert!(err.message.contains("not one of"), "{}", err.message);
    }
}
