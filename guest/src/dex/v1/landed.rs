//! Whether a create whose answer was lost landed in Dex.
//!
//! A POST whose answer never came (a dropped connection), came as a 5xx, or
//! came unreadable may or may not have created its record. Sending it again
//! blindly may duplicate the record; answering "it may exist" leaves the
//! user to find out. So the writer looks, with reads that cannot create
//! anything:
//!
//! - a contact with emails: Dex's exact lookup by its first email
//!   (`POST /v1/contacts/by-emails`), else the contact search;
//! - a contact without emails: the contact search for its name;
//! - a note or a reminder: the notes or reminders of its first contact
//!   (`GET /v1/timeline?contactId=`, `GET /v1/reminders?contactId=`).
//!
//! A candidate is the record created when it holds what was sent: the same
//! names and emails and a creation time since the POST left (contacts);
//! the same text and contacts, and the same event time, or one since the
//! POST left when none was given (notes); the same text, due day and
//! contacts, still open (reminders). Dex echoes no request key, so content
//! and time are all there is; an identical open reminder due the same day
//! for the same contact counts as the one asked for, which is what the
//! user wanted to exist. Each check answers the record, `None` when it is
//! surely not there, or an error when the reads failed or could not tell.

use super::client::{by_emails_request, contacts_read};
use super::lists::{decode_page, path};
use super::wire::{Envelope, Page, WireContact};
use super::writes::V1Writer;
use crate::dex::{HttpTransport, ListKind, Method, PageAt, PageItems, check_status, decode_json};
use crate::history::{day_of, instant_of};
use crate::model::{
    CompactText, Contact, ContactFields, EmailAddress, ErrorKind, NewNote, NewReminder, Note,
    Reminder, ToolError,
};

/// Seconds a record's creation time may lie before the moment the POST
/// left, for the clocks of the guest and of Dex not to agree exactly.
pub(super) const CLOCK_SLACK_SECS: i64 = 300;

/// Records read per page of a contact's notes or reminders.
const TAKE: usize = 500;

/// Pages of a contact's notes or reminders read before giving up: a
/// contact with more than this many is not searched to the end.
const MAX_PAGES: usize = 4;

/// Contact search hits read per check.
const SEARCH_TAKE: usize = 50;

/// Whether one candidate is the record created: yes, no, or cannot tell
/// (it shows no creation time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Same,
    Other,
    Unknown,
}

fn same_text(a: Option<&str>, b: Option<&str>) -> bool {
    fn clean(t: Option<&str>) -> Option<&str> {
        t.map(str::trim).filter(|t| !t.is_empty())
    }
    clean(a) == clean(b)
}

/// Whether `contact` is the one created with `fields` by a POST sent at
/// `since` (less the clock slack).
fn contact_verdict(contact: &Contact, fields: &ContactFields, since: i64) -> Verdict {
    let names = same_text(contact.first_name.as_deref(), fields.first_name.as_deref())
        && same_text(contact.last_name.as_deref(), fields.last_name.as_deref());
    let has = |wanted: &str| {
        let wanted = EmailAddress::fold(wanted);
        contact
            .emails
            .iter()
            .any(|e| EmailAddress::fold(&e.email) == wanted)
    };
    let emails = contact.emails.is_empty()
        || fields
            .emails
            .iter()
            .flatten()
            .all(|e| has(e.email.as_str()));
    if !names || !emails {
        return Verdict::Other;
    }
    match contact.created_at().as_deref().and_then(instant_of) {
        Some(created) if created >= since - CLOCK_SLACK_SECS => Verdict::Same,
        Some(_) => Verdict::Other,
        None => Verdict::Unknown,
    }
}

fn contains_all(linked: &[CompactText], wanted: &[crate::model::ContactId]) -> bool {
    linked.is_empty()
        || wanted
            .iter()
            .all(|id| linked.iter().any(|l| l == id.as_str()))
}

/// Whether `note` is the one created from `new` by a POST sent at `since`.
fn note_is(note: &Note, new: &NewNote, since: i64) -> bool {
    if note.text.trim() != new.text.trim() || !contains_all(&note.contact_ids, &new.contact_ids) {
        return false;
    }
    let at = note.event_time().as_deref().and_then(instant_of);
    match new.event_time.as_deref() {
        Some(wanted) => at.is_some() && at == instant_of(wanted),
        // Dex dates a note without an event time "now".
        None => at.is_some_and(|at| at >= since - CLOCK_SLACK_SECS),
    }
}

/// Whether `reminder` is the one created from `new`.
fn reminder_is(reminder: &Reminder, new: &NewReminder) -> bool {
    reminder.text.trim() == new.text.trim()
        && !reminder.complete
        && contains_all(&reminder.contact_ids, &new.contact_ids)
        && reminder.due_date().as_deref().and_then(day_of) == day_of(&new.due_date)
}

/// The error of a check whose reads failed.
fn check_failed(what: &str, e: ToolError) -> ToolError {
    ToolError::new(
        ErrorKind::Upstream,
        format!("checking whether {what} was saved failed: {}", e.message),
    )
}

impl<T: HttpTransport> V1Writer<T> {
    /// The contact created with `fields` by a POST sent at `since` (epoch
    /// seconds), if Dex has it.
    pub(super) fn landed_contact(
        &self,
        fields: &ContactFields,
        since: i64,
    ) -> Result<Option<Contact>, ToolError> {
        let what = "the new contact";
        let email = fields
            .emails
            .iter()
            .flatten()
            .next()
            .map(|e| e.email.clone());
        let found = match &email {
            Some(email) => match self.contacts_by_email(email)? {
                Some(found) => found,
                None => self.contact_search(email)?,
            },
            None => {
                let name = [&fields.first_name, &fields.last_name]
                    .into_iter()
                    .flatten()
                    .map(|n| n.trim())
                    .collect::<Vec<_>>()
                    .join(" ");
                self.contact_search(&name)?
            }
        };
        let mut unknown = Vec::new();
        for contact in found {
            match contact_verdict(&contact, fields, since) {
                Verdict::Same => return Ok(Some(contact)),
                Verdict::Unknown => unknown.push(contact.id),
                Verdict::Other => {}
            }
        }
        // A hit without its creation time (a search may leave fields out)
        // is read whole before it is judged.
        let requests: Vec<_> = unknown
            .iter()
            .map(|id| self.request(Method::Get, &format!("/v1/contacts/{id}"), None))
            .collect();
        let answers = self.retrier.send_all(&self.transport, &requests);
        for contact in contacts_read(answers, &unknown) {
            let contact = contact.map_err(|e| check_failed(what, e))?;
            match contact_verdict(&contact, fields, since) {
                Verdict::Same => return Ok(Some(contact)),
                Verdict::Unknown => {
                    return Err(ToolError::new(
                        ErrorKind::Upstream,
                        format!(
                            "checking whether {what} was saved: Dex shows contact {} with the same name but no creation time, so dex-mcp cannot tell whether it is the new one",
                            contact.id
                        ),
                    ));
                }
                Verdict::Other => {}
            }
        }
        Ok(None)
    }

    /// Dex's exact lookup of `email`; `None` when this Dex has no such
    /// route.
    fn contacts_by_email(&self, email: &str) -> Result<Option<Vec<Contact>>, ToolError> {
        let what = "the new contact";
        let request = by_emails_request(&self.base_url, email);
        let response = self
            .retrier
            .send_read(&self.transport, request)
            .map_err(|e| check_failed(what, e.into()))?;
        if matches!(response.status, 404 | 405) {
            return Ok(None);
        }
        let lookup = "the contacts with an email (POST /v1/contacts/by-emails)";
        let response = check_status(response, lookup).map_err(|e| check_failed(what, e))?;
        let page: Envelope<Page<WireContact>> =
            decode_json(&response, lookup).map_err(|e| check_failed(what, e))?;
        Ok(Some(
            page.data.items.into_iter().map(Contact::from).collect(),
        ))
    }

    /// The first page of Dex's contact search for `query`.
    fn contact_search(&self, query: &str) -> Result<Vec<Contact>, ToolError> {
        let what = "the new contact";
        let search = "the contact search (GET /v1/search/contacts)";
        let mut encoder = form_urlencoded::Serializer::new(String::new());
        encoder.append_pair("searchQuery", query);
        encoder.append_pair("take", &SEARCH_TAKE.to_string());
        let request = self.request(
            Method::Get,
            &format!("/v1/search/contacts?{}", encoder.finish()),
            None,
        );
        let response = self
            .retrier
            .send_read(&self.transport, request)
            .map_err(|e| check_failed(what, e.into()))?;
        let response = check_status(response, search).map_err(|e| check_failed(what, e))?;
        let page: Envelope<Page<WireContact>> =
            decode_json(&response, search).map_err(|e| check_failed(what, e))?;
        Ok(page.data.items.into_iter().map(Contact::from).collect())
    }

    /// The note created from `new` by a POST sent at `since`, if Dex has it.
    pub(super) fn landed_note(&self, new: &NewNote, since: i64) -> Result<Option<Note>, ToolError> {
        let found = self.linked(
            ListKind::Notes,
            new.contact_ids.first(),
            "the new note",
            |items| match items {
                PageItems::Notes(notes) => notes.into_iter().find(|n| note_is(n, new, since)),
                _ => None,
            },
        )?;
        Ok(found)
    }

    /// The reminder created from `new`, if Dex has it.
    pub(super) fn landed_reminder(&self, new: &NewReminder) -> Result<Option<Reminder>, ToolError> {
        self.linked(
            ListKind::Reminders,
            new.contact_ids.first(),
            "the new reminder",
            |items| match items {
                PageItems::Reminders(reminders) => {
                    reminders.into_iter().find(|r| reminder_is(r, new))
                }
                _ => None,
            },
        )
    }

    /// Reads the `list` of `contact` page by page until `pick` finds the
    /// record; `None` once the list is read to its end without it.
    fn linked<R>(
        &self,
        list: ListKind,
        contact: Option<&crate::model::ContactId>,
        what: &str,
        pick: impl Fn(PageItems) -> Option<R>,
    ) -> Result<Option<R>, ToolError> {
        let contact = contact.ok_or_else(|| {
            ToolError::new(
                ErrorKind::Upstream,
                format!("checking whether {what} was saved: it names no contact to look under"),
            )
        })?;
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = form_urlencoded::Serializer::new(String::new());
            query.append_pair("contactId", contact.as_str());
            query.append_pair("take", &TAKE.to_string());
            if let Some(cursor) = &cursor {
                query.append_pair("cursor", cursor);
            }
            let request = self.request(
                Method::Get,
                &format!("{}?{}", path(list), query.finish()),
                None,
            );
            let reply = self.retrier.send_read(&self.transport, request);
            let (page, _) = decode_page(list, reply).map_err(|e| check_failed(what, e))?;
            if let Some(found) = pick(page.items) {
                return Ok(Some(found));
            }
            match page.next {
                Some(PageAt::Cursor(next)) => cursor = Some(next),
                _ => return Ok(None),
            }
        }
        Err(ToolError::new(
            ErrorKind::Upstream,
            format!(
                "checking whether {what} was saved: contact {contact} has more than {} {}, too many to look through",
                MAX_PAGES * TAKE,
                list.noun()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContactId, EmailEntry};

    const SENT: i64 = 1_780_000_000; // 2026-05-28T20:26:40Z

    fn stamp(secs: i64) -> String {
        chrono::DateTime::from_timestamp(secs, 0)
            .unwrap()
            .to_rfc3339()
    }

    fn ada(created: Option<i64>) -> Contact {
        Contact {
            id: "c1".into(),
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            emails: vec![EmailEntry {
                email: "Ada@Example.com".into(),
                label: None,
            }],
            created_at: created.map(stamp).map(Into::into),
            ..Contact::default()
        }
    }

    fn fields(email: Option<&str>) -> ContactFields {
        ContactFields {
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace ".into()),
            emails: email.map(|e| {
                vec![EmailEntry {
                    email: e.into(),
                    label: None,
                }]
            }),
            ..ContactFields::default()
        }
    }

    #[test]
    fn a_contact_is_the_new_one_when_names_emails_and_time_agree() {
        let sent = fields(Some("ada@example.com"));
        assert_eq!(
            contact_verdict(&ada(Some(SENT + 1)), &sent, SENT),
            Verdict::Same
        );
        assert_eq!(
            contact_verdict(&ada(Some(SENT - 10)), &sent, SENT),
            Verdict::Same,
            "the clocks may disagree a little"
        );
        assert_eq!(
            contact_verdict(&ada(Some(SENT - 86_400)), &sent, SENT),
            Verdict::Other,
            "an older Ada is someone already there"
        );
        assert_eq!(contact_verdict(&ada(None), &sent, SENT), Verdict::Unknown);
        let other_mail = fields(Some("ada@elsewhere.org"));
        assert_eq!(
            contact_verdict(&ada(Some(SENT)), &other_mail, SENT),
            Verdict::Other
        );
        let mut other_name = fields(None);
        other_name.first_name = Some("Augusta".into());
        assert_eq!(
            contact_verdict(&ada(Some(SENT)), &other_name, SENT),
            Verdict::Other
        );
    }

    #[test]
    fn a_note_is_the_new_one_by_text_contacts_and_time() {
        let new = NewNote {
            text: "Lunch about engines".into(),
            event_time: None,
            note_type: None,
            contact_ids: vec![ContactId::parse("id", "c1").unwrap()],
        };
        let note = |text: &str, at: i64, contacts: &[&str]| Note {
            id: "n1".into(),
            text: text.into(),
            event_time: Some(stamp(at).into()),
            contact_ids: contacts.iter().map(|c| (*c).into()).collect(),
            ..Note::default()
        };
        assert!(note_is(
            &note(" Lunch about engines", SENT + 2, &["c1"]),
            &new,
            SENT
        ));
        assert!(
            note_is(&note("Lunch about engines", SENT, &[]), &new, SENT),
            "links left out"
        );
        assert!(!note_is(
            &note("Lunch about engines", SENT - 3_600, &["c1"]),
            &new,
            SENT
        ));
        assert!(!note_is(&note("Lunch", SENT, &["c1"]), &new, SENT));
        assert!(!note_is(
            &note("Lunch about engines", SENT, &["c2"]),
            &new,
            SENT
        ));
        let dated = NewNote {
            event_time: Some("2024-05-01".into()),
            ..new
        };
        assert!(note_is(
            &Note {
                event_time: Some("2024-05-01T00:00:00Z".into()),
                ..note("Lunch about engines", 0, &["c1"])
            },
            &dated,
            SENT
        ));
        assert!(!note_is(
            &note("Lunch about engines", SENT, &["c1"]),
            &dated,
            SENT
        ));
    }

    #[test]
    fn a_reminder_is_the_new_one_by_text_day_and_contacts_while_open() {
        let new = NewReminder {
            text: "Send the paper".into(),
            due_date: "2026-06-01".into(),
            due_time: None,
            recurrence: None,
            contact_ids: vec![ContactId::parse("id", "c1").unwrap()],
        };
        let reminder = Reminder {
            id: "r1".into(),
            text: "Send the paper".into(),
            due_date: Some("2026-06-01T00:00:00.000Z".into()),
            contact_ids: vec!["c1".into()],
            ..Reminder::default()
        };
        assert!(reminder_is(&reminder, &new));
        assert!(!reminder_is(
            &Reminder {
                complete: true,
                ..reminder.clone()
            },
            &new
        ));
        assert!(!reminder_is(
            &Reminder {
                due_date: Some("2026-06-02".into()),
                ..reminder.clone()
            },
            &new
        ));
    }
}
