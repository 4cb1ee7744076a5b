//! Relating and unrelating contacts: `PUT /v1/contacts/{id}` with
//! `related_contacts: {append: [{destination}], remove: [{source,
//! destination}]}`, the write a public client sends (docs/dex-api.md,
//! "Related contacts").
//!
//! Dex keeps relations symmetric (ref, the skill repository), but which
//! way round it stores a pair, and so which `{source, destination}` a
//! remove must name, is not known from every form a read may take. A
//! remove names each pair both ways; a symmetric Dex holds one of them.
//! Appending a pair Dex holds already changes nothing there (ref), and a
//! remove sets a state too, so the PUT is retried like any update.

use serde_json::{Value, json};

use super::answers::CONTACT;
use super::wire::WireContact;
use super::writes::V1Writer;
use crate::dex::{HttpTransport, Method};
use crate::model::{Contact, ContactId, ToolError};

/// Changing whom a contact is related to, which only v1 can do; a trait so
/// that the tools are tested without a network.
pub trait ContactRelations {
    /// Relates `contact` to each of `append` and unrelates it from each of
    /// `remove`, in one write; answers the contact as Dex stored it.
    fn change_relations(
        &self,
        contact: &ContactId,
        append: &[ContactId],
        remove: &[ContactId],
    ) -> Result<Contact, ToolError>;
}

/// The body of the write: only the lists that have entries.
fn relations_body(contact: &ContactId, append: &[ContactId], remove: &[ContactId]) -> Value {
    let mut change = serde_json::Map::new();
    if !append.is_empty() {
        let rows: Vec<Value> = append
            .iter()
            .map(|id| json!({"destination": id.as_str()}))
            .collect();
        change.insert("append".into(), Value::Array(rows));
    }
    if !remove.is_empty() {
        let rows: Vec<Value> = remove
            .iter()
            .flat_map(|id| {
                [
                    json!({"source": contact.as_str(), "destination": id.as_str()}),
                    json!({"source": id.as_str(), "destination": contact.as_str()}),
                ]
            })
            .collect();
        change.insert("remove".into(), Value::Array(rows));
    }
    json!({ "related_contacts": change })
}

impl<T: HttpTransport> ContactRelations for V1Writer<T> {
    fn change_relations(
        &self,
        contact: &ContactId,
        append: &[ContactId],
        remove: &[ContactId],
    ) -> Result<Contact, ToolError> {
        let what = format!("contact with id {contact}");
        let path = format!("/v1/contacts/{contact}");
        let body = relations_body(contact, append, remove);
        let response = self.send_retried(Method::Put, &path, Some(&body), &what)?;
        super::answers::record::<WireContact>(&response, CONTACT, "PUT /v1/contacts/{id}")
            .map(|(wire, _)| wire.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dex::testing::{Scripted, no_wait};
    use crate::model::ErrorKind;

    fn ids(raw: &[&str]) -> Vec<ContactId> {
        raw.iter()
            .map(|r| ContactId::parse("related-ids", r).unwrap())
            .collect()
    }

    #[test]
    fn appends_name_the_destination_and_removes_name_the_pair_both_ways() {
        let ada = &ids(&["ada"])[0];
        assert_eq!(
            relations_body(ada, &ids(&["bob", "cy"]), &[]),
            json!({"related_contacts": {"append": [{"destination": "bob"}, {"destination": "cy"}]}})
        );
        assert_eq!(
            relations_body(ada, &[], &ids(&["bob"])),
            json!({"related_contacts": {"remove": [
                {"source": "ada", "destination": "bob"},
                {"source": "bob", "destination": "ada"}
            ]}})
        );
    }

    #[test]
    fn one_put_to_the_contact_reads_back_its_relations_wrapped_or_bare() {
        for answer in [
            r#"{"error": false, "data": {"contact": {"id": "ada", "related_contacts": [{"source": "ada", "destination": "bob"}]}}}"#,
            r#"{"error": false, "data": {"id": "ada", "related_contacts": ["bob"]}}"#,
        ] {
            let script = Scripted::new(&[(200, answer)]);
            let writer = V1Writer::new("http://dex.test", &script);
            let ada = &ids(&["ada"])[0];
            let contact = writer.change_relations(ada, &ids(&["bob"]), &[]).unwrap();
            let related: Vec<String> = contact.related.unwrap().into_iter().map(|r| r.id).collect();
            assert_eq!(related, ["bob"]);
            let seen = script.seen();
            assert_eq!(seen.len(), 1);
            assert_eq!(seen[0].method, Method::Put);
            assert_eq!(seen[0].url, "http://dex.test/v1/contacts/ada");
        }
    }

    #[test]
    fn a_failed_put_is_retried_and_an_unknown_contact_is_not_found() {
        let script = Scripted::new(&[
            (503, r#"{"error": true}"#),
            (200, r#"{"error": false, "data": {"id": "ada"}}"#),
        ]);
        let writer = V1Writer::new("http://dex.test", &script).with_retrier(no_wait());
        let ada = &ids(&["ada"])[0];
        let contact = writer.change_relations(ada, &[], &ids(&["bob"])).unwrap();
        assert_eq!(
            contact.related, None,
            "an answer without the field says nothing"
        );
        assert_eq!(script.seen().len(), 2);

        let script = Scripted::new(&[(404, r#"{"error": true, "message": "not found"}"#)]);
        let writer = V1Writer::new("http://dex.test", &script);
        let err = writer
            .change_relations(ada, &ids(&["bob"]), &[])
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
    }
}
