//! Writes to many contacts in one request: `DELETE /v1/contacts` with
//! `contactIds[]` (docs/dex-api.md, "Contacts").
//!
//! The batch delete is sent once, never retried: a retry after a lost
//! answer would find the contacts gone and answer that none were deleted,
//! which is false. A lost answer is an upstream error saying the contacts
//! may be gone, so the user looks before deleting again.

use serde::Deserialize;

use super::answers;
use super::writes::V1Writer;
use crate::dex::{HttpTransport, Method, check_status};
use crate::model::{ContactId, ErrorKind, ToolError};

/// What a batch delete did, as Dex answered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedContacts {
    /// The contacts Dex deleted, in the order asked.
    pub deleted: Vec<ContactId>,
    /// The contacts asked for that Dex did not delete (it had none such).
    pub kept: Vec<ContactId>,
}

/// `data` of the batch delete's answer: `{count, contact_ids}` (ref).
#[derive(Deserialize)]
struct WireDeleted {
    count: Option<u64>,
    contact_ids: Option<Vec<String>>,
}

const ENDPOINT: &str = "DELETE /v1/contacts";

/// Deleting many contacts in one request, which only v1 can do; a trait so
/// that `delete-contacts` is tested without a network.
pub trait ContactBatchDeletes {
    /// Deletes `ids` (at least one) in one request. Dex deletes the notes
    /// and reminders only about them too.
    fn delete_contacts(&self, ids: &[ContactId]) -> Result<DeletedContacts, ToolError>;
}

impl<T: HttpTransport> ContactBatchDeletes for V1Writer<T> {
    fn delete_contacts(&self, ids: &[ContactId]) -> Result<DeletedContacts, ToolError> {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for id in ids {
            query.append_pair("contactIds[]", id.as_str());
        }
        let path = format!("/v1/contacts?{}", query.finish());
        let listed: Vec<&str> = ids.iter().map(ContactId::as_str).collect();
        let what = format!("the contacts {}", listed.join(", "));
        let may_be_gone = |reason: String| {
            ToolError::new(
                ErrorKind::Upstream,
                format!(
                    "{reason}. Dex may have deleted some or all of {what} anyway: check with find_contact before deleting again"
                ),
            )
        };
        let response = self
            .transport()
            .send(self.request(Method::Delete, &path, None))
            .map_err(|e| may_be_gone(format!("No answer from Dex to the delete: {e}")))?;
        let status = response.status;
        let response = check_status(response, &what).map_err(|e| {
            if status >= 500 {
                may_be_gone(e.message)
            } else {
                e
            }
        })?;
        let data = answers::data(&response, ENDPOINT).map_err(|e| may_be_gone(e.message))?;
        let wire: WireDeleted = serde_json::from_value(data)
            .map_err(|e| may_be_gone(format!("Dex answered {ENDPOINT} with {e}")))?;
        let deleted: Vec<ContactId> = match (wire.contact_ids, wire.count) {
            (Some(named), _) => ids
                .iter()
                .filter(|id| named.iter().any(|n| n == id.as_str()))
                .cloned()
                .collect(),
            // Without names, a count of all of them still says which.
            (None, Some(count)) if count == ids.len() as u64 => ids.to_vec(),
            (None, count) => {
                return Err(may_be_gone(format!(
                    "Dex answered {ENDPOINT} with {} deleted but did not say which",
                    count.map_or("an unknown number".to_owned(), |c| c.to_string())
                )));
            }
        };
        let kept = ids
            .iter()
            .filter(|id| !deleted.contains(id))
            .cloned()
            .collect();
        Ok(DeletedContacts { deleted, kept })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dex::testing::Scripted;

    fn ids(raw: &[&str]) -> Vec<ContactId> {
        raw.iter()
            .map(|r| ContactId::parse("contact-ids", r).unwrap())
            .collect()
    }

    #[test]
    fn one_delete_names_every_id_and_reads_which_were_deleted() {
        let script = Scripted::new(&[(
            200,
            r#"{"error": false, "data": {"count": 1, "contact_ids": ["c2"]}}"#,
        )]);
        let writer = V1Writer::new("http://dex.test", &script);
        let outcome = writer.delete_contacts(&ids(&["c1", "c2"])).unwrap();
        assert_eq!(outcome.deleted, ids(&["c2"]));
        assert_eq!(outcome.kept, ids(&["c1"]));
        let seen = script.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].method, Method::Delete);
        assert_eq!(
            seen[0].url,
            "http://dex.test/v1/contacts?contactIds%5B%5D=c1&contactIds%5B%5D=c2"
        );
    }

    #[test]
    fn a_count_of_all_without_names_means_all() {
        let script = Scripted::new(&[(200, r#"{"error": false, "data": {"count": 2}}"#)]);
        let writer = V1Writer::new("http://dex.test", &script);
        let outcome = writer.delete_contacts(&ids(&["c1", "c2"])).unwrap();
        assert_eq!(outcome.deleted, ids(&["c1", "c2"]));
        assert!(outcome.kept.is_empty());
    }

    #[test]
    fn a_lost_or_vague_answer_is_sent_once_and_says_they_may_be_gone() {
        for answer in [
            (503, r#"{"error": true, "message": "down"}"#),
            (200, r#"{"error": false, "data": {"count": 1}}"#),
            (200, r#"{"error": false, "message": "ok"}"#),
        ] {
            let script = Scripted::new(&[answer]);
            let writer = V1Writer::new("http://dex.test", &script);
            let err = writer.delete_contacts(&ids(&["c1", "c2"])).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Upstream, "{answer:?}");
            assert!(err.message.contains("may have deleted"), "{}", err.message);
            assert_eq!(script.seen().len(), 1, "retried: {answer:?}");
        }
    }

    #[test]
    fn a_refusal_is_its_own_error() {
        let script = Scripted::new(&[(401, r#"{"error": true}"#)]);
        let writer = V1Writer::new("http://dex.test", &script);
        let err = writer.delete_contacts(&ids(&["c1"])).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Unauthorized);
    }
}
