//! The write repositories over v1.
//!
//! Creations and merges are POSTs, sent exactly once: when the answer is
//! lost, the record may exist, and sending again could duplicate it, so the
//! error says so and leaves the decision to the user. Updates and deletes
//! go through [`Retrier`], which repeats them on 429 and 5xx.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::wire::{Envelope, WireContact};
use super::wire_records::{WireNote, WireReminder};
use super::wire_writes as body;
use crate::dex::retry::Retrier;
use crate::dex::{
    ContactWrites, HttpRequest, HttpResponse, HttpTransport, Method, NoteWrites, ReminderWrites,
    check_status, decode_json,
};
use crate::model::{
    Contact, ContactFields, ContactId, ErrorKind, NewNote, NewReminder, Note, NoteChanges, NoteId,
    Reminder, ReminderChanges, ReminderId, ToolError,
};

/// Writes contacts, notes and reminders through the v1 API.
pub struct V1Writer<T> {
    base_url: String,
    transport: T,
    retrier: Retrier,
}

impl<T: HttpTransport> V1Writer<T> {
    /// A writer for the API at `base_url`, retrying with the default policy.
    pub fn new(base_url: &str, transport: T) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            transport,
            retrier: Retrier::default(),
        }
    }

    /// The same writer retrying with `retrier` (tests use a fake clock).
    pub fn with_retrier(mut self, retrier: Retrier) -> Self {
        self.retrier = retrier;
        self
    }

    fn request(&self, method: Method, path: &str, body: Option<&Value>) -> HttpRequest {
        HttpRequest {
            method,
            url: format!("{}{}", self.base_url, path),
            headers: vec![("accept", "application/json".into())],
            body: body.map(|b| b.to_string().into_bytes()),
        }
    }

    /// Sends a POST once and decodes its answer. Any failure after the
    /// request left (no answer, an unreadable answer) may hide a record
    /// Dex created, and the error says so.
    fn post<R: DeserializeOwned>(
        &self,
        path: &str,
        body: &Value,
        what: &str,
    ) -> Result<R, ToolError> {
        let unknown_outcome = |reason: String| {
            ToolError::new(
                ErrorKind::Upstream,
                format!(
                    "{reason}. Dex may have saved {what} anyway: look for it (search_contacts_full_text) before trying again, so that it is not saved twice"
                ),
            )
        };
        let response = self
            .transport
            .send(self.request(Method::Post, path, Some(body)))
            .map_err(|e| {
                unknown_outcome(format!("No answer from Dex after sending {what}: {e}"))
            })?;
        let status = response.status;
        let response = check_status(response, what).map_err(|e| {
            if status >= 500 {
                unknown_outcome(e.message)
            } else {
                e
            }
        })?;
        decode_json(&response, what).map_err(|e| unknown_outcome(e.message))
    }

    /// Sends a PUT or DELETE, retrying transient failures, and checks the
    /// status.
    fn send_retried(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        what: &str,
    ) -> Result<HttpResponse, ToolError> {
        let request = self.request(method, path, body);
        let answer = self
            .retrier
            .send_all(&self.transport, std::slice::from_ref(&request))
            .pop()
            .unwrap_or_else(|| {
                Err(crate::dex::TransportError::Failed {
                    url: request.url.clone(),
                    reason: "the transport gave no answer".into(),
                })
            })?;
        check_status(answer, what)
    }
}

/// The one contact of a batch answer.
fn first_contact(answer: Envelope<Vec<WireContact>>, what: &str) -> Result<Contact, ToolError> {
    answer
        .data
        .into_iter()
        .next()
        .map(Contact::from)
        .ok_or_else(|| {
            ToolError::new(
                ErrorKind::Upstream,
                format!("Dex answered {what} with no contact"),
            )
        })
}

impl<T: HttpTransport> ContactWrites for V1Writer<T> {
    fn create_contact(&self, fields: &ContactFields) -> Result<Contact, ToolError> {
        let what = "the new contact";
        let answer = self.post("/v1/contacts/", &body::create_contact(fields), what)?;
        first_contact(answer, what)
    }

    fn update_contact(
        &self,
        id: &ContactId,
        changes: &ContactFields,
    ) -> Result<Contact, ToolError> {
        let what = format!("contact with id {id}");
        let path = format!("/v1/contacts/{id}");
        let body = body::update_contact(changes);
        let response = self.send_retried(Method::Put, &path, Some(&body), &what)?;
        let answer: Envelope<WireContact> = decode_json(&response, &what)?;
        Ok(answer.data.into())
    }

    fn delete_contact(&self, id: &ContactId) -> Result<(), ToolError> {
        let what = format!("contact with id {id}");
        self.send_retried(Method::Delete, &format!("/v1/contacts/{id}"), None, &what)?;
        Ok(())
    }

    fn merge_contacts(
        &self,
        keep: &ContactId,
        duplicates: &[ContactId],
    ) -> Result<Contact, ToolError> {
        // Reads in every message of `check_status`: "Dex has no {what}", ...
        let merged: Vec<&str> = duplicates.iter().map(ContactId::as_str).collect();
        let what = format!(
            "contact {keep} or one of the contacts merged into it ({})",
            merged.join(", ")
        );
        let answer = self.post(
            "/v1/contacts/merge",
            &body::merge_contacts(keep, duplicates),
            &what,
        )?;
        first_contact(answer, &what)
    }
}

impl<T: HttpTransport> NoteWrites for V1Writer<T> {
    fn create_note(&self, note: &NewNote) -> Result<Note, ToolError> {
        let answer: Envelope<WireNote> =
            self.post("/v1/timeline/", &body::create_note(note), "the new note")?;
        Ok(answer.data.into())
    }

    fn update_note(&self, id: &NoteId, changes: &NoteChanges) -> Result<Note, ToolError> {
        let what = format!("note with id {id}");
        let body = body::update_note(changes);
        let response = self.send_retried(
            Method::Put,
            &format!("/v1/timeline/{id}"),
            Some(&body),
            &what,
        )?;
        let answer: Envelope<WireNote> = decode_json(&response, &what)?;
        Ok(answer.data.into())
    }

    fn delete_note(&self, id: &NoteId) -> Result<(), ToolError> {
        let what = format!("note with id {id}");
        self.send_retried(Method::Delete, &format!("/v1/timeline/{id}"), None, &what)?;
        Ok(())
    }
}

impl<T: HttpTransport> ReminderWrites for V1Writer<T> {
    fn create_reminder(&self, reminder: &NewReminder) -> Result<Reminder, ToolError> {
        let answer: Envelope<WireReminder> = self.post(
            "/v1/reminders/",
            &body::create_reminder(reminder),
            "the new reminder",
        )?;
        Ok(answer.data.into())
    }

    fn update_reminder(
        &self,
        id: &ReminderId,
        changes: &ReminderChanges,
    ) -> Result<Reminder, ToolError> {
        let what = format!("reminder with id {id}");
        let body = body::update_reminder(changes);
        let response = self.send_retried(
            Method::Put,
            &format!("/v1/reminders/{id}"),
            Some(&body),
            &what,
        )?;
        let answer: Envelope<WireReminder> = decode_json(&response, &what)?;
        Ok(answer.data.into())
    }

    fn delete_reminder(&self, id: &ReminderId) -> Result<(), ToolError> {
        let what = format!("reminder with id {id}");
        self.send_retried(Method::Delete, &format!("/v1/reminders/{id}"), None, &what)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::time::Duration;

    use super::*;
    use crate::dex::TransportError;
    use crate::dex::retry::{Clock, RetryPolicy};

    /// Answers from a script (status 0: no answer at all) and records
    /// what was asked.
    struct Scripted {
        answers: RefCell<Vec<(u16, &'static str)>>,
        seen: RefCell<Vec<HttpRequest>>,
    }

    impl Scripted {
        fn new(answers: &[(u16, &'static str)]) -> Self {
            Self {
                answers: RefCell::new(answers.iter().rev().copied().collect()),
                seen: RefCell::new(vec![]),
            }
        }
    }

    impl HttpTransport for &Scripted {
        fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            let url = request.url.clone();
            self.seen.borrow_mut().push(request);
            let (status, body) = self.answers.borrow_mut().pop().expect("unscripted request");
            if status == 0 {
                return Err(TransportError::Failed {
                    url,
                    reason: "connection reset".into(),
                });
            }
            Ok(HttpResponse {
                status,
                headers: vec![],
                body: body.as_bytes().to_vec(),
            })
        }
    }

    /// A clock that never waits.
    struct Instant;

    impl Clock for Instant {
        fn now(&self) -> Duration {
            Duration::ZERO
        }
        fn sleep(&self, _: Duration) {}
    }

    fn writer(script: &Scripted) -> V1Writer<&Scripted> {
        V1Writer::new("http://dex.test/", script)
            .with_retrier(Retrier::new(RetryPolicy::default(), Box::new(Instant)))
    }

    fn note() -> NewNote {
        NewNote {
            text: "Coffee".into(),
            event_time: None,
            note_type: None,
            contact_ids: vec![ContactId::parse("c", "c1").unwrap()],
        }
    }

    #[test]
    fn a_created_note_is_posted_to_the_timeline_and_read_back() {
        let script = Scripted::new(&[(
            200,
            r#"{"error":false,"data":{"id":"n1","note":"Coffee","meeting_type":"note","timeline_items_contacts":[{"contact_id":"c1"}]}}"#,
        )]);
        let created = writer(&script).create_note(&note()).unwrap();
        assert_eq!(created.id, "n1");
        assert_eq!(created.contact_ids, ["c1"]);
        let seen = script.seen.borrow();
        assert_eq!(seen[0].method, Method::Post);
        assert_eq!(seen[0].url, "http://dex.test/v1/timeline/");
    }

    #[test]
    fn a_post_that_lost_its_answer_is_not_sent_again_and_says_it_may_exist() {
        for failure in [(0, ""), (503, "busy"), (200, "{\"error\":false,\"da")] {
            let script = Scripted::new(&[failure]);
            let err = writer(&script).create_note(&note()).unwrap_err();
            assert_eq!(script.seen.borrow().len(), 1, "{failure:?}");
            assert_eq!(err.kind, ErrorKind::Upstream);
            assert!(err.message.contains("may have saved"), "{}", err.message);
        }
    }

    #[test]
    fn updates_and_deletes_are_retried_on_server_errors() {
        let script = Scripted::new(&[
            (503, ""),
            (
                200,
                r#"{"error":false,"data":{"id":"r1","text":"Call","is_complete":true}}"#,
            ),
            (429, ""),
            (200, r#"{"error":false,"data":{"id":"r1"}}"#),
        ]);
        let writer = writer(&script);
        let id = ReminderId::parse("reminder-id", "r1").unwrap();
        let done = ReminderChanges {
            complete: Some(true),
            ..ReminderChanges::default()
        };
        assert!(writer.update_reminder(&id, &done).unwrap().complete);
        writer.delete_reminder(&id).unwrap();
        let methods: Vec<_> = script.seen.borrow().iter().map(|r| r.method).collect();
        assert_eq!(
            methods,
            [Method::Put, Method::Put, Method::Delete, Method::Delete]
        );
    }

    #[test]
    fn an_unknown_note_is_not_found() {
        let script = Scripted::new(&[(404, r#"{"error":true,"message":"no such note"}"#)]);
        let err = writer(&script)
            .delete_note(&NoteId::parse("note-id", "n9").unwrap())
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert!(err.message.contains("n9"));
    }
}
