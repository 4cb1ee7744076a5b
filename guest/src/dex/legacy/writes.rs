//! The write repositories over the legacy API.
//!
//! Creations are POSTs, sent exactly once: when the answer is lost the
//! record may exist, so the error says so instead of sending it again.
//! Updates and deletes are retried on transient failures. Every answer is
//! read under the key of its Hasura mutation (`insert_contacts_one`,
//! `update_reminders_by_pk`, ...); a null there means Dex has no such
//! record.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::api::{Answer, LegacyApi};
use super::wire::{LegacyContact, LegacyNote, LegacyReminder};
use super::wire_writes as body;
use crate::dex::retry::Retrier;
use crate::dex::wire_text::require_id;
use crate::dex::{
    ContactWrites, Created, HttpTransport, MergeOutcome, Method, NoteWrites, ReminderWrites,
};
use crate::model::{
    Contact, ContactFields, ContactId, ErrorKind, NewNote, NewReminder, Note, NoteChanges, NoteId,
    Reminder, ReminderChanges, ReminderId, ToolError,
};

/// Writes contacts, notes and reminders through the legacy API.
pub struct LegacyWriter<T> {
    api: LegacyApi<T>,
}

impl<T: HttpTransport> LegacyWriter<T> {
    /// A writer for the API at `base_url`, retrying with the default policy.
    pub fn new(base_url: &str, transport: T) -> Self {
        Self::with_retrier(base_url, transport, Retrier::default())
    }

    /// A writer for the API at `base_url`, retrying as `retrier` does.
    pub fn with_retrier(base_url: &str, transport: T, retrier: Retrier) -> Self {
        Self {
            api: LegacyApi::new(base_url, transport, retrier),
        }
    }

    /// POSTs `payload` once and reads the record under `key`. A failure
    /// after the request left may hide a record Dex created, and the error
    /// says so.
    fn create<W: DeserializeOwned>(
        &self,
        path: &str,
        payload: &Value,
        key: &str,
        what: &str,
    ) -> Result<W, ToolError> {
        let unknown_outcome = |reason: String| {
            ToolError::new(
                ErrorKind::Upstream,
                format!(
                    "{reason}. Dex may have saved {what} anyway: look for it (search_contacts_full_text) before trying again, so that it is not saved twice"
                ),
            )
        };
        let request = self.api.request(Method::Post, path, &[], Some(payload));
        let response = match self.api.send_all(std::slice::from_ref(&request)).pop() {
            Some(Ok(response)) => response,
            Some(Err(e)) => {
                return Err(unknown_outcome(format!(
                    "No answer from Dex after sending {what}: {e}"
                )));
            }
            None => {
                return Err(unknown_outcome(format!(
                    "No answer from Dex after sending {what}"
                )));
            }
        };
        let status = response.status;
        let read =
            Answer::read(Ok(response), what).and_then(|mut answer| answer.take_optional(key));
        match read {
            Ok(Some(record)) => Ok(record),
            Ok(None) => Err(unknown_outcome(format!(
                "Dex answered {what} without the saved record"
            ))),
            Err(e) if e.kind == ErrorKind::Upstream || status >= 500 => {
                Err(unknown_outcome(e.message))
            }
            Err(e) => Err(e),
        }
    }

    /// PUTs or DELETEs (retried), reading the record under `key`; a null
    /// or missing record means Dex has no `what`.
    fn change<W: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        payload: Option<&Value>,
        key: &str,
        what: &str,
    ) -> Result<W, ToolError> {
        let request = self.api.request(method, path, &[], payload);
        self.api
            .exchange(request, what)?
            .take_optional(key)?
            .ok_or_else(|| ToolError::new(ErrorKind::NotFound, format!("Dex has no {what}")))
    }
}

impl<T: HttpTransport> ContactWrites for LegacyWriter<T> {
    fn create_contact(&self, fields: &ContactFields) -> Result<Created<Contact>, ToolError> {
        body::check_contact_fields(fields)?;
        let created: LegacyContact = self.create(
            "/contacts",
            &body::create_contact(fields),
            "insert_contacts_one",
            "the new contact",
        )?;
        let created: Contact = created.into();
        require_id(&created.id, "contact", "insert_contacts_one")?;
        Ok(Created::answered(created))
    }

    fn update_contact(
        &self,
        id: &ContactId,
        changes: &ContactFields,
    ) -> Result<Contact, ToolError> {
        body::check_contact_fields(changes)?;
        let updated: LegacyContact = self.change(
            Method::Put,
            &format!("/contacts/{id}"),
            Some(&body::update_contact(id, changes)),
            "update_contacts_by_pk",
            &format!("contact with id {id}"),
        )?;
        let updated: Contact = updated.into();
        require_id(&updated.id, "contact", "update_contacts_by_pk")?;
        Ok(updated)
    }

    fn delete_contact(&self, id: &ContactId) -> Result<(), ToolError> {
        let _deleted: Value = self.change(
            Method::Delete,
            &format!("/contacts/{id}"),
            None,
            "delete_contacts_by_pk",
            &format!("contact with id {id}"),
        )?;
        Ok(())
    }

    fn merge_contacts(&self, _: &ContactId, _: &[ContactId]) -> Result<MergeOutcome, ToolError> {
        Err(ToolError::new(
            ErrorKind::Validation,
            "the legacy Dex API (DEX_API_GENERATION=legacy) cannot merge contacts; merge them in Dex's app, or use the v1 API",
        ))
    }
}

impl<T: HttpTransport> NoteWrites for LegacyWriter<T> {
    fn create_note(&self, note: &NewNote) -> Result<Created<Note>, ToolError> {
        let created: LegacyNote = self.create(
            "/timeline_items",
            &body::create_note(note)?,
            "insert_timeline_items_one",
            "the new note",
        )?;
        let created: Note = created.into();
        require_id(&created.id.as_text(), "note", "insert_timeline_items_one")?;
        Ok(Created::answered(created))
    }

    fn update_note(&self, id: &NoteId, changes: &NoteChanges) -> Result<Note, ToolError> {
        let updated: LegacyNote = self.change(
            Method::Put,
            &format!("/timeline_items/{id}"),
            Some(&body::update_note(changes)?),
            "update_timeline_items_by_pk",
            &format!("note with id {id}"),
        )?;
        let updated: Note = updated.into();
        require_id(&updated.id.as_text(), "note", "update_timeline_items_by_pk")?;
        Ok(updated)
    }

    fn delete_note(&self, id: &NoteId) -> Result<(), ToolError> {
        let _deleted: Value = self.change(
            Method::Delete,
            &format!("/timeline_items/{id}"),
            None,
            "delete_timeline_items_by_pk",
            &format!("note with id {id}"),
        )?;
        Ok(())
    }
}

impl<T: HttpTransport> ReminderWrites for LegacyWriter<T> {
    fn create_reminder(&self, reminder: &NewReminder) -> Result<Created<Reminder>, ToolError> {
        let created: LegacyReminder = self.create(
            "/reminders",
            &body::create_reminder(reminder)?,
            "insert_reminders_one",
            "the new reminder",
        )?;
        let created: Reminder = created.into();
        require_id(&created.id.as_text(), "reminder", "insert_reminders_one")?;
        Ok(Created::answered(created))
    }

    fn update_reminder(
        &self,
        id: &ReminderId,
        changes: &ReminderChanges,
    ) -> Result<Reminder, ToolError> {
        let updated: LegacyReminder = self.change(
            Method::Put,
            &format!("/reminders/{id}"),
            Some(&body::update_reminder(changes)?),
            "update_reminders_by_pk",
            &format!("reminder with id {id}"),
        )?;
        let updated: Reminder = updated.into();
        require_id(&updated.id.as_text(), "reminder", "update_reminders_by_pk")?;
        Ok(updated)
    }

    fn delete_reminder(&self, id: &ReminderId) -> Result<(), ToolError> {
        let _deleted: Value = self.change(
            Method::Delete,
            &format!("/reminders/{id}"),
            None,
            "delete_reminders_by_pk",
            &format!("reminder with id {id}"),
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::dex::testing::{Scripted, no_wait};
    use crate::model::EmailEntry;

    fn writer(script: &Scripted) -> LegacyWriter<&Scripted> {
        LegacyWriter::with_retrier("http://dex.test/api/rest", script, no_wait())
    }

    fn contact_id(raw: &str) -> ContactId {
        ContactId::parse("id", raw).unwrap()
    }

    #[test]
    fn creating_a_contact_posts_the_wrapped_insert_and_reads_insert_contacts_one() {
        let script = Scripted::new(&[(
            200,
            r#"{"insert_contacts_one": {"id": "c9", "first_name": "Ada", "emails": [{"email": "ada@x.org"}]}}"#,
        )]);
        let fields = ContactFields {
            first_name: Some("Ada".into()),
            emails: Some(vec![EmailEntry {
                email: "ada@x.org".into(),
                label: None,
            }]),
            ..ContactFields::default()
        };
        let contact = writer(&script).create_contact(&fields).unwrap().record;
        assert_eq!(
            (contact.id.as_str(), contact.full_name.as_str()),
            ("c9", "Ada")
        );
        let seen = script.seen();
        assert_eq!(seen[0].method, Method::Post);
        assert_eq!(script.paths(), ["/contacts"]);
        assert_eq!(
            script.body(0),
            json!({"contact": {"first_name": "Ada", "contact_emails": {"data": [{"email": "ada@x.org"}]}}})
        );
    }

    #[test]
    fn a_create_that_failed_on_the_server_is_not_sent_again_and_says_it_may_exist() {
        let script = Scripted::new(&[(503, "busy")]);
        let err = writer(&script)
            .create_note(&NewNote {
                text: "Lunch".into(),
                event_time: None,
                note_type: None,
                contact_ids: vec![contact_id("c1")],
            })
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Upstream);
        assert!(err.message.contains("may have saved"), "{}", err.message);
        assert_eq!(script.seen().len(), 1);
    }

    #[test]
    fn updating_a_contact_puts_changes_and_reads_update_contacts_by_pk() {
        let script = Scripted::new(&[(
            200,
            r#"{"update_contacts_by_pk": {"id": "c1", "first_name": "Ada", "job_title": "Countess"}}"#,
        )]);
        let changes = ContactFields {
            job_title: Some("Countess".into()),
            ..ContactFields::default()
        };
        let contact = writer(&script)
            .update_contact(&contact_id("c1"), &changes)
            .unwrap();
        assert_eq!(contact.job_title.as_deref(), Some("Countess"));
        assert_eq!(script.seen()[0].method, Method::Put);
        assert_eq!(script.paths(), ["/contacts/c1"]);
        assert_eq!(script.body(0)["changes"], json!({"job_title": "Countess"}));
        assert_eq!(script.body(0)["contactId"], json!("c1"));
    }

    #[test]
    fn a_company_is_refused_before_anything_is_sent() {
        let script = Scripted::new(&[]);
        let changes = ContactFields {
            company: Some("Engines Ltd".into()),
            ..ContactFields::default()
        };
        let err = writer(&script)
            .update_contact(&contact_id("c1"), &changes)
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation);
        assert!(script.seen().is_empty());
    }

    #[test]
    fn merging_is_a_validation_error_naming_the_limitation() {
        let script = Scripted::new(&[]);
        let err = writer(&script)
            .merge_contacts(&contact_id("c1"), &[contact_id("c2")])
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation);
        assert!(err.message.contains("cannot merge"), "{}", err.message);
        assert!(script.seen().is_empty());
    }

    #[test]
    fn deletes_use_each_records_path_and_a_null_answer_is_not_found() {
        let script = Scripted::new(&[
            (200, r#"{"delete_contacts_by_pk": {"id": "c1"}}"#),
            (200, r#"{"delete_timeline_items_by_pk": {"id": "n1"}}"#),
            (200, r#"{"delete_reminders_by_pk": null}"#),
        ]);
        let writer = writer(&script);
        writer.delete_contact(&contact_id("c1")).unwrap();
        writer
            .delete_note(&NoteId::parse("id", "n1").unwrap())
            .unwrap();
        let err = writer
            .delete_reminder(&ReminderId::parse("id", "r1").unwrap())
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert!(script.seen().iter().all(|r| r.method == Method::Delete));
        assert_eq!(
            script.paths(),
            ["/contacts/c1", "/timeline_items/n1", "/reminders/r1"]
        );
    }

    #[test]
    fn a_reminder_is_created_with_text_and_read_back_from_body() {
        let script = Scripted::new(&[(
            200,
            r#"{"insert_reminders_one": {"id": "r5", "body": "Call Ada", "is_complete": false,
                "due_at_date": "2024-06-01", "contact_ids": [{"contact_id": "c1"}]}}"#,
        )]);
        let reminder = writer(&script)
            .create_reminder(&NewReminder {
                text: "Call Ada".into(),
                due_date: "2024-06-01".into(),
                due_time: None,
                recurrence: None,
                contact_ids: vec![contact_id("c1")],
            })
            .unwrap()
            .record;
        assert_eq!(&*reminder.text, "Call Ada");
        assert_eq!(reminder.contact_ids, ["c1"]);
        assert_eq!(script.paths(), ["/reminders"]);
        let sent = script.body(0);
        assert_eq!(sent["reminder"]["text"], json!("Call Ada"));
        assert!(sent["reminder"].get("title").is_none());
    }

    #[test]
    fn a_reminder_update_is_retried_after_a_rate_limit() {
        let script = Scripted::new(&[
            (429, ""),
            (
                200,
                r#"{"update_reminders_by_pk": {"id": "r1", "body": "Call", "is_complete": true}}"#,
            ),
        ]);
        let reminder = writer(&script)
            .update_reminder(
                &ReminderId::parse("id", "r1").unwrap(),
                &ReminderChanges {
                    complete: Some(true),
                    ..ReminderChanges::default()
                },
            )
            .unwrap();
        assert!(reminder.complete);
        assert_eq!(script.seen().len(), 2);
        assert_eq!(script.body(1), json!({"changes": {"is_complete": true}}));
    }
}
