//! The legacy API's JSON shapes (reads), as `docs/dex-api.md` documents
//! them, decoded into the same [`crate::model`] types as v1's.
//!
//! Legacy records are older and thinner than v1's: a contact has no
//! company, no full name and no website; its addresses come as
//! `emails: [{email}]` and `phones: [{phone_number}]`; a reminder's text is
//! `body`; notes link contacts as `contacts: [{contact_id}]` and reminders
//! as `contact_ids: [{contact_id}]`. Every field is optional and unknown
//! fields are ignored, as on v1.

use serde::Deserialize;

use crate::dex::wire_text::{distinct_ids, exact, present, present_compact};
use crate::model::{
    CompactText, Contact, EmailEntry, Note, PhoneEntry, Reminder, SharedName, SocialLink,
    SocialNetwork,
};

/// `{email}` in a contact's `emails`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LegacyEmail {
    email: Option<String>,
}

/// `{phone_number}` in a contact's `phones`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LegacyPhone {
    phone_number: Option<String>,
}

/// `{contact_id}`: a note's or reminder's link to a contact.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LegacyContactLink {
    contact_id: Option<String>,
}

/// A legacy contact.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LegacyContact {
    id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    job_title: Option<String>,
    description: Option<String>,
    emails: Option<Vec<LegacyEmail>>,
    phones: Option<Vec<LegacyPhone>>,
    linkedin: Option<String>,
    twitter: Option<String>,
    facebook: Option<String>,
    instagram: Option<String>,
    telegram: Option<String>,
    birthday_current_year: Option<String>,
    last_seen_at: Option<String>,
    next_reminder_at: Option<String>,
}

/// A legacy timeline item (note).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LegacyNote {
    id: String,
    note: Option<String>,
    event_time: Option<String>,
    meeting_type: Option<String>,
    contacts: Option<Vec<LegacyContactLink>>,
}

/// A legacy reminder.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LegacyReminder {
    id: String,
    body: Option<String>,
    is_complete: Option<bool>,
    due_at_time: Option<String>,
    due_at_date: Option<String>,
    contact_ids: Option<Vec<LegacyContactLink>>,
}

fn linked_ids(links: Option<Vec<LegacyContactLink>>) -> Vec<CompactText> {
    distinct_ids(links.unwrap_or_default().into_iter().map(|l| l.contact_id))
}

/// Legacy gives the birthday moved into the current year
/// (`birthday_current_year`), so its year says nothing about the person:
/// only month and day are kept, as `--MM-DD`.
fn birthday(current_year: Option<String>) -> Option<String> {
    let text = present(current_year)?;
    let date = text.split('T').next().unwrap_or(&text);
    let month_day = date.get(date.len().checked_sub(5)?..)?;
    let well_formed = month_day.len() == 5
        && month_day.as_bytes()[2] == b'-'
        && month_day
            .bytes()
            .enumerate()
            .all(|(i, b)| i == 2 || b.is_ascii_digit());
    well_formed.then(|| format!("--{month_day}"))
}

impl From<LegacyContact> for Contact {
    fn from(w: LegacyContact) -> Self {
        let first_name = present(w.first_name);
        let last_name = present(w.last_name);
        let full_name = [first_name.as_deref(), last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let links = [
            (SocialNetwork::Linkedin, w.linkedin),
            (SocialNetwork::Twitter, w.twitter),
            (SocialNetwork::Facebook, w.facebook),
            (SocialNetwork::Instagram, w.instagram),
            (SocialNetwork::Telegram, w.telegram),
        ];
        Contact {
            id: w.id,
            full_name,
            first_name,
            last_name,
            job_title: present(w.job_title),
            company: None,
            description: present(w.description),
            emails: exact(w.emails.unwrap_or_default().into_iter().filter_map(|e| {
                Some(EmailEntry {
                    email: present(e.email)?,
                    label: None,
                })
            })),
            phones: exact(w.phones.unwrap_or_default().into_iter().filter_map(|p| {
                Some(PhoneEntry {
                    number: present(p.phone_number)?,
                    label: None,
                })
            })),
            social_links: exact(links.into_iter().filter_map(|(network, url)| {
                Some(SocialLink {
                    network,
                    url: present(url)?,
                })
            })),
            website: None,
            birthday: birthday(w.birthday_current_year),
            starred: false,
            archived: false,
            last_seen_at: present_compact(w.last_seen_at),
            next_reminder_at: present_compact(w.next_reminder_at),
            created_at: None,
            updated_at: None,
            // Legacy has no tags, groups, custom fields or keep-in-touch.
            ..Contact::default()
        }
    }
}

impl From<LegacyNote> for Note {
    fn from(w: LegacyNote) -> Self {
        Note {
            id: w.id.into(),
            text: w.note.map(|t| t.trim().into()).unwrap_or_default(),
            event_time: present_compact(w.event_time),
            note_type: present(w.meeting_type).map(SharedName::from),
            note_type_id: None,
            contact_ids: linked_ids(w.contacts),
        }
    }
}

impl From<LegacyReminder> for Reminder {
    fn from(w: LegacyReminder) -> Self {
        Reminder {
            id: w.id.into(),
            text: w.body.map(|t| t.trim().into()).unwrap_or_default(),
            due_date: present_compact(w.due_at_date),
            due_time: present_compact(w.due_at_time),
            complete: w.is_complete.unwrap_or(false),
            recurrence: None,
            last_completed_at: None,
            next_occurrence_at: None,
            contact_ids: linked_ids(w.contact_ids),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_reads_legacy_lists_and_has_no_company() {
        let json = r#"{
            "id": "c1", "first_name": "Ada", "last_name": " Lovelace ", "job_title": "Analyst",
            "description": "", "education": "Home", "image_url": null,
            "emails": [{"email": "ada@x.org"}, {"email": " "}, {"email": "a@y.org"}],
            "phones": [{"phone_number": "+44 20 7946 0958"}],
            "linkedin": "https://linkedin.com/in/ada", "twitter": "", "facebook": null,
            "birthday_current_year": "2026-12-10", "last_seen_at": "2025-01-02T00:00:00Z",
            "company": "ignored: legacy has none", "something_new": [1]
        }"#;
        let contact: Contact = serde_json::from_str::<LegacyContact>(json).unwrap().into();
        assert_eq!(contact.full_name, "Ada Lovelace");
        assert_eq!(contact.last_name.as_deref(), Some("Lovelace"));
        assert_eq!(contact.description, None);
        assert_eq!(contact.company, None);
        let emails: Vec<_> = contact.emails.iter().map(|e| e.email.as_str()).collect();
        assert_eq!(emails, ["ada@x.org", "a@y.org"]);
        assert_eq!(contact.phones[0].number, "+44 20 7946 0958");
        assert_eq!(contact.social_links.len(), 1);
        assert_eq!(contact.social_links[0].network, SocialNetwork::Linkedin);
        assert_eq!(contact.birthday.as_deref(), Some("--12-10"));
        assert_eq!(
            contact.last_seen_at().as_deref(),
            Some("2025-01-02T00:00:00Z")
        );
    }

    #[test]
    fn birthday_keeps_month_and_day_only_and_drops_nonsense() {
        assert_eq!(
            birthday(Some("2026-02-28T00:00:00Z".into())).as_deref(),
            Some("--02-28")
        );
        assert_eq!(birthday(Some("soon".into())), None);
        assert_eq!(birthday(Some("".into())), None);
        assert_eq!(birthday(None), None);
    }

    #[test]
    fn note_reads_its_contacts_from_the_contacts_links() {
        let json = r#"{"id": "n1", "note": " Lunch with Ada ", "event_time": "2024-05-01T10:00:00Z",
            "contacts": [{"contact_id": "c1"}, {"contact_id": "c1"}, {"contact_id": "c2"}]}"#;
        let note: Note = serde_json::from_str::<LegacyNote>(json).unwrap().into();
        assert_eq!(&*note.text, "Lunch with Ada");
        assert_eq!(note.event_time().as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!(note.contact_ids, ["c1", "c2"]);
        assert_eq!(note.note_type_id, None);
    }

    #[test]
    fn reminder_reads_its_text_from_body() {
        let json = r#"{"id": "r1", "body": "Send Ada the paper", "is_complete": true,
            "due_at_date": "2024-06-01", "due_at_time": null,
            "contact_ids": [{"contact_id": "c1"}], "text": "not the read field"}"#;
        let reminder: Reminder = serde_json::from_str::<LegacyReminder>(json).unwrap().into();
        assert_eq!(&*reminder.text, "Send Ada the paper");
        assert!(reminder.complete);
        assert_eq!(reminder.due_date().as_deref(), Some("2024-06-01"));
        assert_eq!(reminder.due_time, None);
        assert_eq!(reminder.contact_ids, ["c1"]);
    }
}
