//! The write repositories over v1.
//!
//! Creations and merges are POSTs, never sent again blindly: sending again
//! after a lost answer could duplicate the record. A contact, note or
//! reminder whose answer was lost is looked for in Dex first
//! ([`super::landed`]): found, it is the answer; surely absent, the POST is
//! sent once more; only when the check itself fails does the error say
//! that it may exist and how to look. A merge's or a tag's lost answer
//! says so at once. Updates and deletes
//! go through [`Retrier`], which repeats them on 429 and 5xx. Answers are
//! read in every shape Dex is known to use ([`super::answers`]); a
//! delete's body is not read at all, since Dex may answer one without
//! `data`.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::answers::{self, CONTACT, Kind, NOTE, REMINDER};
use super::client::contacts_read;
use super::merge::{self, MergeAnswer};
use super::wire::WireContact;
use super::wire_records::{WireNote, WireReminder};
use super::wire_writes as body;
use crate::dex::retry::Retrier;
use crate::dex::{
    ContactWrites, Created, Creation, HttpRequest, HttpResponse, HttpTransport, MergeOutcome,
    Method, NoteWrites, ReminderWrites, TransportError, check_status,
};
use crate::model::{
    Contact, ContactFields, ContactId, ErrorKind, NewNote, NewReminder, Note, NoteChanges, NoteId,
    Reminder, ReminderChanges, ReminderId, ToolError,
};

/// Writes contacts, notes and reminders through the v1 API (and tags and
/// groups, in [`super::labels`]).
pub struct V1Writer<T> {
    pub(super) base_url: String,
    pub(super) transport: T,
    pub(super) retrier: Retrier,
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

    pub(super) fn request(&self, method: Method, path: &str, body: Option<&Value>) -> HttpRequest {
        HttpRequest {
            method,
            url: format!("{}{}", self.base_url, path),
            headers: vec![("accept", "application/json".into())],
            body: body.map(|b| b.to_string().into_bytes()),
        }
    }

    /// The transport requests go through (the batch writes of
    /// [`super::contact_batches`] send on it too).
    pub(super) fn transport(&self) -> &T {
        &self.transport
    }

    /// Sends a POST once and reads its answer with `read`. Any failure
    /// after the request left (no answer, an unreadable answer) may hide a
    /// record Dex created, and the error says so.
    fn post<R>(
        &self,
        path: &str,
        body: &Value,
        what: &str,
        read: impl FnOnce(&HttpResponse) -> Result<R, ToolError>,
    ) -> Result<R, ToolError> {
        self.post_once(path, body, what, "search_contacts_full_text", read)
    }

    /// [`Self::post`] for a record the assistant looks for with the tool
    /// `look_with` (`list_tags` for a tag).
    pub(super) fn post_once<R>(
        &self,
        path: &str,
        body: &Value,
        what: &str,
        look_with: &str,
        read: impl FnOnce(&HttpResponse) -> Result<R, ToolError>,
    ) -> Result<R, ToolError> {
        let unknown_outcome = |reason: String| {
            ToolError::new(
                ErrorKind::Upstream,
                format!(
                    "{reason}. Dex may have saved {what} anyway: look for it ({look_with}) before trying again, so that it is not saved twice"
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
        read(&response).map_err(|e| unknown_outcome(e.message))
    }

    /// Sends a create's POST, and when its answer is lost (no answer, a
    /// 5xx, an unreadable body) asks `landed` (given when the POST left,
    /// in epoch seconds) whether the record is in Dex anyway: found, it is
    /// the answer; surely absent, the POST is sent once more (and checked
    /// the same way); a check that fails is the "may have saved" error,
    /// naming what to look for with `look_with`.
    fn create_checked<R>(
        &self,
        path: &str,
        body: &Value,
        what: &str,
        look_with: &str,
        read: impl Fn(&HttpResponse) -> Result<R, ToolError>,
        landed: impl Fn(i64) -> Result<Option<R>, ToolError>,
    ) -> Result<Created<R>, ToolError> {
        let since = epoch_seconds();
        let mut lost_before = None;
        for attempt in [Creation::Answered, Creation::Resent] {
            let reason = match self.send_create(path, body, what, &read) {
                CreateReply::Created(record) => {
                    return Ok(Created {
                        record,
                        creation: attempt,
                    });
                }
                CreateReply::Refused(error) => return Err(error),
                CreateReply::Lost(reason) => reason,
            };
            match landed(since) {
                Ok(Some(record)) => {
                    let creation = match attempt {
                        Creation::Answered => Creation::Recovered,
                        other => other,
                    };
                    return Ok(Created { record, creation });
                }
                Ok(None) => lost_before = Some(reason),
                Err(check) => {
                    return Err(ToolError::new(
                        ErrorKind::Upstream,
                        format!(
                            "{reason}. Dex may have saved {what} anyway, and {}: look for it ({look_with}) before trying again, so that it is not saved twice",
                            check.message
                        ),
                    ));
                }
            }
        }
        let reason = lost_before.unwrap_or_default();
        Err(ToolError::new(
            ErrorKind::Upstream,
            format!(
                "{reason}. Dex did not save {what}: it was sent twice, each answer was lost, and it is not in Dex. Nothing was written; try again in a moment"
            ),
        ))
    }

    /// Sends one create's POST: the record, a refusal that says nothing
    /// was created, or the reason its outcome is unknown.
    fn send_create<R>(
        &self,
        path: &str,
        body: &Value,
        what: &str,
        read: &impl Fn(&HttpResponse) -> Result<R, ToolError>,
    ) -> CreateReply<R> {
        let response = match self
            .transport
            .send(self.request(Method::Post, path, Some(body)))
        {
            Ok(response) => response,
            // The host refused to send it: nothing reached Dex.
            Err(e @ TransportError::Denied { .. }) => return CreateReply::Refused(e.into()),
            Err(e) => {
                return CreateReply::Lost(format!("No answer from Dex after sending {what}: {e}"));
            }
        };
        let status = response.status;
        match check_status(response, what) {
            Ok(response) => match read(&response) {
                Ok(record) => CreateReply::Created(record),
                Err(e) => CreateReply::Lost(e.message),
            },
            Err(e) if status >= 500 => CreateReply::Lost(e.message),
            Err(e) => CreateReply::Refused(e),
        }
    }

    /// Sends independent GET, PUT or DELETE requests, retrying transient
    /// failures; answers each in order.
    fn send_all_retried(
        &self,
        requests: &[HttpRequest],
    ) -> Vec<Result<HttpResponse, crate::dex::TransportError>> {
        let mut answers = self.retrier.send_all(&self.transport, requests);
        // A transport owes one answer per request; one that gave fewer
        // leaves the rest failed rather than unanswered.
        for request in requests.iter().skip(answers.len()) {
            answers.push(Err(crate::dex::TransportError::Failed {
                url: request.url.clone(),
                reason: "the transport gave no answer".into(),
            }));
        }
        answers
    }

    /// Sends a PUT or DELETE, retrying transient failures, and checks the
    /// status.
    pub(super) fn send_retried(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        what: &str,
    ) -> Result<HttpResponse, ToolError> {
        let request = self.request(method, path, body);
        let answer = self
            .send_all_retried(std::slice::from_ref(&request))
            .swap_remove(0)?;
        check_status(answer, what)
    }

    /// Reads every contact of a merged group back: each one's contact, or
    /// not-found for the ones merged away.
    fn read_back(&self, group: &[ContactId]) -> Vec<Result<Contact, ToolError>> {
        let requests: Vec<HttpRequest> = group
            .iter()
            .map(|id| self.request(Method::Get, &format!("/v1/contacts/{id}"), None))
            .collect();
        contacts_read(self.send_all_retried(&requests), group)
    }
}

/// What one create's POST came to.
enum CreateReply<R> {
    /// Dex answered the record.
    Created(R),
    /// Dex refused it (a 4xx, a request the host would not send): nothing
    /// was created.
    Refused(ToolError),
    /// The answer was lost; why, for the user.
    Lost(String),
}

/// Now, in seconds since the epoch (0 for a clock before it).
fn epoch_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The record of `kind` in a write's answer, wrapped or bare.
fn written<W: DeserializeOwned, R: From<W>>(
    response: &HttpResponse,
    kind: Kind,
    endpoint: &str,
) -> Result<R, ToolError> {
    answers::record::<W>(response, kind, endpoint).map(|(wire, _)| wire.into())
}

impl<T: HttpTransport> ContactWrites for V1Writer<T> {
    fn create_contact(&self, fields: &ContactFields) -> Result<Created<Contact>, ToolError> {
        self.create_checked(
            "/v1/contacts/",
            &body::create_contact(fields),
            "the new contact",
            "find_contact",
            |r| written::<WireContact, _>(r, CONTACT, "POST /v1/contacts"),
            |since| self.landed_contact(fields, since),
        )
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
        written::<WireContact, _>(&response, CONTACT, "PUT /v1/contacts/{id}")
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
    ) -> Result<MergeOutcome, ToolError> {
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
            merge::read_answer,
        )?;
        let group: Vec<ContactId> = std::iter::once(keep).chain(duplicates).cloned().collect();
        match answer {
            MergeAnswer::Survivor(contact) => merge::named_survivor(&group, *contact),
            MergeAnswer::MergedIds(_) => merge::survivor_read_back(&group, self.read_back(&group)),
        }
    }
}

impl<T: HttpTransport> NoteWrites for V1Writer<T> {
    fn create_note(&self, note: &NewNote) -> Result<Created<Note>, ToolError> {
        self.create_checked(
            "/v1/timeline/",
            &body::create_note(note),
            "the new note",
            "get_contact_notes",
            |r| written::<WireNote, _>(r, NOTE, "POST /v1/timeline"),
            |since| self.landed_note(note, since),
        )
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
        written::<WireNote, _>(&response, NOTE, "PUT /v1/timeline/{id}")
    }

    fn delete_note(&self, id: &NoteId) -> Result<(), ToolError> {
        let what = format!("note with id {id}");
        self.send_retried(Method::Delete, &format!("/v1/timeline/{id}"), None, &what)?;
        Ok(())
    }
}

impl<T: HttpTransport> ReminderWrites for V1Writer<T> {
    fn create_reminder(&self, reminder: &NewReminder) -> Result<Created<Reminder>, ToolError> {
        self.create_checked(
            "/v1/reminders/",
            &body::create_reminder(reminder),
            "the new reminder",
            "get_contact_reminders",
            |r| written::<WireReminder, _>(r, REMINDER, "POST /v1/reminders"),
            |_| self.landed_reminder(reminder),
        )
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
        written::<WireReminder, _>(&response, REMINDER, "PUT /v1/reminders/{id}")
    }

    fn delete_reminder(&self, id: &ReminderId) -> Result<(), ToolError> {
        let what = format!("reminder with id {id}");
        self.send_retried(Method::Delete, &format!("/v1/reminders/{id}"), None, &what)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dex::testing::{Scripted, no_wait};

    fn writer(script: &Scripted) -> V1Writer<&Scripted> {
        V1Writer::new("http://dex.test/", script).with_retrier(no_wait())
    }

    /// A `'static` copy of a body built at run time, for [`Scripted`].
    fn leak(body: String) -> &'static str {
        Box::leak(body.into_boxed_str())
    }

    /// A page of contact c1's notes, dated now.
    fn notes_page(notes: &[(&str, &str)]) -> &'static str {
        let now = chrono::DateTime::from_timestamp(epoch_seconds(), 0)
            .unwrap()
            .to_rfc3339();
        let items: Vec<String> = notes
            .iter()
            .map(|(id, text)| {
                format!(
                    r#"{{"id":"{id}","note":"{text}","event_time":"{now}","timeline_items_contacts":[{{"contact_id":"c1"}}]}}"#
                )
            })
            .collect();
        leak(format!(
            r#"{{"error":false,"data":{{"items":[{}],"nextCursor":null}}}}"#,
            items.join(",")
        ))
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
        assert_eq!(created.record.id, "n1");
        assert_eq!(created.record.contact_ids, ["c1"]);
        let seen = script.seen();
        assert_eq!(seen[0].method, Method::Post);
        assert_eq!(seen[0].url, "http://dex.test/v1/timeline/");
    }

    #[test]
    fn a_create_whose_answer_was_lost_is_found_in_dex_and_not_sent_again() {
        for failure in [(0, ""), (503, "busy"), (200, "{\"error\":false,\"da")] {
            let script = Scripted::new(&[failure, (200, notes_page(&[("n7", "Coffee")]))]);
            let created = writer(&script).create_note(&note()).unwrap();
            assert_eq!(created.record.id, "n7", "{failure:?}");
            assert_eq!(created.creation, Creation::Recovered);
            let seen = script.seen();
            assert_eq!(seen.len(), 2, "{failure:?}");
            assert_eq!(seen[1].method, Method::Get);
            assert!(
                seen[1].url.contains("/v1/timeline/?contactId=c1"),
                "{}",
                seen[1].url
            );
        }
    }

    #[test]
    fn a_create_that_surely_did_not_land_is_sent_once_more() {
        let script = Scripted::new(&[
            (503, "busy"),
            (200, notes_page(&[("n1", "Tea")])),
            (
                200,
                r#"{"error":false,"data":{"note":{"id":"n2","note":"Coffee"}}}"#,
            ),
        ]);
        let created = writer(&script).create_note(&note()).unwrap();
        assert_eq!(
            (&*created.record.id.as_text(), created.creation),
            ("n2", Creation::Resent)
        );
        let methods: Vec<_> = script.seen().iter().map(|r| r.method).collect();
        assert_eq!(methods, [Method::Post, Method::Get, Method::Post]);
        // Lost twice and absent twice: said not to have happened.
        let empty = notes_page(&[]);
        let script = Scripted::new(&[(0, ""), (200, empty), (502, ""), (200, empty)]);
        let err = writer(&script).create_note(&note()).unwrap_err();
        assert!(
            err.message.contains("Dex did not save the new note"),
            "{}",
            err.message
        );
        assert!(!err.message.contains("may have"), "{}", err.message);
        assert_eq!(script.seen().len(), 4);
    }

    #[test]
    fn only_a_check_that_fails_says_the_record_may_exist() {
        let script = Scripted::new(&[(0, ""), (500, ""), (500, ""), (500, "")]);
        let err = writer(&script).create_note(&note()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Upstream);
        assert!(err.message.contains("may have saved"), "{}", err.message);
        assert!(err.message.contains("get_contact_notes"), "{}", err.message);
        let posts = script.sent(Method::Post);
        assert_eq!(posts, 1, "not sent twice");
    }

    #[test]
    fn a_lost_contact_is_found_by_its_email_and_a_reminder_among_the_contacts() {
        let now = epoch_seconds();
        let stamp = chrono::DateTime::from_timestamp(now, 0)
            .unwrap()
            .to_rfc3339();
        let found = format!(
            r#"{{"error":false,"data":[{{"id":"c9","first_name":"Ada","created_at":"{stamp}","contact_emails":[{{"email":"ada@example.com"}}]}}]}}"#
        );
        let script = Scripted::new(&[(0, ""), (200, leak(found))]);
        let fields = ContactFields {
            first_name: Some("Ada".into()),
            emails: Some(vec![crate::model::EmailEntry {
                email: "ada@example.com".into(),
                label: None,
            }]),
            ..ContactFields::default()
        };
        let created = writer(&script).create_contact(&fields).unwrap();
        assert_eq!(
            (created.record.id.as_str(), created.creation),
            ("c9", Creation::Recovered)
        );
        assert!(script.seen()[1].url.ends_with("/v1/contacts/by-emails"));

        let script = Scripted::new(&[
            (504, ""),
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"r4","text":"Call","due_at_date":"2026-04-01T00:00:00.000Z","is_complete":false}],"nextCursor":null}}"#,
            ),
        ]);
        let created = writer(&script).create_reminder(&reminder()).unwrap();
        assert_eq!(
            (&*created.record.id.as_text(), created.creation),
            ("r4", Creation::Recovered)
        );
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
        let methods: Vec<_> = script.seen().iter().map(|r| r.method).collect();
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

    fn reminder() -> NewReminder {
        NewReminder {
            text: "Call".into(),
            due_date: "2026-04-01".into(),
            due_time: None,
            recurrence: None,
            contact_ids: vec![ContactId::parse("c", "c1").unwrap()],
        }
    }

    fn contact_id(raw: &str) -> ContactId {
        ContactId::parse("id", raw).unwrap()
    }

    #[test]
    fn created_records_are_read_wrapped_in_their_kind_or_bare() {
        for body in [
            r#"{"error":false,"data":{"note":{"id":"n1","note":"Coffee"}}}"#,
            r#"{"error":false,"data":{"id":"n1","note":"Coffee"}}"#,
        ] {
            let script = Scripted::new(&[(200, body)]);
            assert_eq!(
                writer(&script).create_note(&note()).unwrap().record.id,
                "n1",
                "{body}"
            );
        }
        for body in [
            r#"{"error":false,"data":{"reminder":{"id":"r1","text":"Call","due_at_date":"2026-04-01T00:00:00.000Z"}}}"#,
            r#"{"error":false,"data":{"id":"r1","text":"Call","due_at_date":"2026-04-01"}}"#,
        ] {
            let script = Scripted::new(&[(200, body)]);
            let created = writer(&script).create_reminder(&reminder()).unwrap();
            assert_eq!(created.record.id, "r1", "{body}");
            assert_eq!(
                created.record.due_date().as_deref(),
                Some("2026-04-01"),
                "{body}"
            );
        }
        for body in [
            r#"{"error":false,"data":[{"id":"c7","first_name":"Ada"}]}"#,
            r#"{"error":false,"data":{"id":"c7","first_name":"Ada"}}"#,
            r#"{"error":false,"data":{"contact":{"id":"c7","first_name":"Ada"}}}"#,
        ] {
            let script = Scripted::new(&[(200, body)]);
            let created = writer(&script)
                .create_contact(&ContactFields::default())
                .unwrap();
            assert_eq!(
                (
                    created.record.id.as_str(),
                    created.record.full_name.as_str()
                ),
                ("c7", "Ada")
            );
        }
    }

    #[test]
    fn a_create_answer_in_no_known_shape_is_checked_in_dex() {
        for body in [
            r#"{"error":false,"data":{"note":{"note":"Coffee"}}}"#,
            r#"{"error":false,"data":{"reminder":{"id":"r1"}}}"#,
            r#"{"error":false,"message":"created"}"#,
            r#"{"error":false,"data":[]}"#,
        ] {
            let script = Scripted::new(&[(200, body), (200, notes_page(&[("n3", "Coffee")]))]);
            let created = writer(&script).create_note(&note()).unwrap();
            assert_eq!(created.creation, Creation::Recovered, "{body}");
            assert_eq!(created.record.id, "n3");
            let posts = script.sent(Method::Post);
            assert_eq!(posts, 1, "not sent twice");
        }
    }

    #[test]
    fn updates_are_read_wrapped_or_bare_and_refused_without_an_id() {
        let id = NoteId::parse("note-id", "n1").unwrap();
        let changes = NoteChanges {
            text: Some("x".into()),
            ..NoteChanges::default()
        };
        let script = Scripted::new(&[
            (
                200,
                r#"{"error":false,"data":{"note":{"id":"n1","note":"x"}}}"#,
            ),
            (200, r#"{"error":false,"data":{"id":"n1","note":"x"}}"#),
            (200, r#"{"error":false,"data":{"note":{"note":"x"}}}"#),
        ]);
        let notes = writer(&script);
        assert_eq!(&*notes.update_note(&id, &changes).unwrap().text, "x");
        assert_eq!(&*notes.update_note(&id, &changes).unwrap().text, "x");
        let err = notes.update_note(&id, &changes).unwrap_err();
        assert!(
            err.message.contains("PUT /v1/timeline/{id}"),
            "{}",
            err.message
        );
        assert!(
            err.message.contains("a note without an id"),
            "{}",
            err.message
        );
        let contact = Scripted::new(&[
            (
                200,
                r#"{"error":false,"data":{"contact":{"id":"c1","job_title":"CTO"}}}"#,
            ),
            (
                200,
                r#"{"error":false,"data":{"id":"c1","job_title":"CTO"}}"#,
            ),
        ]);
        for _ in 0..2 {
            let updated = writer(&contact)
                .update_contact(&contact_id("c1"), &ContactFields::default())
                .unwrap();
            assert_eq!(updated.job_title.as_deref(), Some("CTO"));
        }
    }

    #[test]
    fn deletes_read_no_body_so_answers_without_data_succeed() {
        let script = Scripted::new(&[
            (
                200,
                r#"{"error":false,"message":"Contact deleted successfully"}"#,
            ),
            (200, r#"{"error":false,"data":{"id":"n1"}}"#),
            (204, ""),
        ]);
        let writer = writer(&script);
        writer.delete_contact(&contact_id("c1")).unwrap();
        writer
            .delete_note(&NoteId::parse("note-id", "n1").unwrap())
            .unwrap();
        writer
            .delete_reminder(&ReminderId::parse("reminder-id", "r1").unwrap())
            .unwrap();
    }

    #[test]
    fn a_due_date_is_sent_as_midnight_utc_on_create_and_update() {
        let script = Scripted::new(&[
            (200, r#"{"error":false,"data":{"reminder":{"id":"r1"}}}"#),
            (200, r#"{"error":false,"data":{"reminder":{"id":"r1"}}}"#),
        ]);
        let writer = writer(&script);
        writer.create_reminder(&reminder()).unwrap();
        let changes = ReminderChanges {
            due_date: Some("2026-05-05".into()),
            ..ReminderChanges::default()
        };
        writer
            .update_reminder(&ReminderId::parse("reminder-id", "r1").unwrap(), &changes)
            .unwrap();
        let bodies: Vec<Value> = script
            .seen()
            .iter()
            .map(|r| serde_json::from_slice(r.body.as_deref().unwrap()).unwrap())
            .collect();
        assert_eq!(
            bodies[0]["reminder"]["due_at_date"],
            "2026-04-01T00:00:00.000Z"
        );
        assert_eq!(
            bodies[1]["reminder"]["due_at_date"],
            "2026-05-05T00:00:00.000Z"
        );
    }

    #[test]
    fn a_merge_answering_ids_reads_the_group_back_and_names_the_oldest_survivor() {
        let script = Scripted::new(&[
            (
                200,
                r#"{"error":false,"data":{"mergedContactIds":["new"]}}"#,
            ),
            (404, r#"{"error":true,"message":"Contact not found"}"#),
            (
                200,
                r#"{"error":false,"data":{"contact":{"id":"old","first_name":"Ada"}}}"#,
            ),
        ]);
        let outcome = writer(&script)
            .merge_contacts(&contact_id("new"), &[contact_id("old")])
            .unwrap();
        assert_eq!(outcome.survivor.id, "old");
        assert_eq!(outcome.merged, [contact_id("new")]);
        let seen = script.seen();
        let asked: Vec<String> = seen
            .iter()
            .map(|r| format!("{} {}", r.method, r.url))
            .collect();
        assert_eq!(
            asked,
            [
                "POST http://dex.test/v1/contacts/merge",
                "GET http://dex.test/v1/contacts/new",
                "GET http://dex.test/v1/contacts/old",
            ]
        );
    }

    #[test]
    fn a_merge_answering_records_names_their_first_as_the_survivor() {
        let script = Scripted::new(&[(
            200,
            r#"{"error":false,"data":[{"id":"keep","first_name":"Ada"}]}"#,
        )]);
        let outcome = writer(&script)
            .merge_contacts(&contact_id("keep"), &[contact_id("d1"), contact_id("d2")])
            .unwrap();
        assert_eq!(outcome.survivor.id, "keep");
        assert_eq!(outcome.merged, [contact_id("d1"), contact_id("d2")]);
        assert_eq!(script.seen().len(), 1, "nothing to read back");
    }

    #[test]
    fn a_merge_whose_group_all_remains_is_an_upstream_error_sent_once() {
        let script = Scripted::new(&[
            (200, r#"{"error":false,"data":{"mergedContactIds":[]}}"#),
            (200, r#"{"error":false,"data":{"id":"a"}}"#),
            (200, r#"{"error":false,"data":{"id":"b"}}"#),
        ]);
        let err = writer(&script)
            .merge_contacts(&contact_id("a"), &[contact_id("b")])
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Upstream);
        assert!(
            err.message.contains("2 of them still exist"),
            "{}",
            err.message
        );
        let posts = script.sent(Method::Post);
        assert_eq!(posts, 1);
    }
}
