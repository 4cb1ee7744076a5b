//! Picking the implementations of the API generation the settings name.
//!
//! The generation is a runtime setting (`DEX_API_GENERATION`), so the
//! component cannot name one client type at compile time: it asks here for
//! trait objects and stays the same for v1 and legacy.

use super::legacy::{LegacyClient, LegacyLists, LegacyWriter};
use super::v1::{V1Client, V1Lists, V1Writer};
use super::{
    AccountLists, ContactRepository, ContactWrites, Created, HttpTransport, MergeOutcome,
    NoteWrites, ReminderWrites,
};
use crate::model::{
    Contact, ContactFields, ContactId, EmailAddress, NewNote, NewReminder, Note, NoteChanges,
    NoteId, Reminder, ReminderChanges, ReminderId, ToolError,
};
use crate::settings::{ApiGeneration, Settings};

/// Contact reads (email search, get by id) from the configured generation.
pub fn contact_repository<T: HttpTransport + 'static>(
    settings: &Settings,
    transport: T,
) -> Box<dyn ContactRepository> {
    match settings.generation {
        ApiGeneration::V1 => Box::new(V1Client::new(&settings.base_url, transport)),
        ApiGeneration::Legacy => Box::new(LegacyClient::new(&settings.base_url, transport)),
    }
}

/// The bulk list reader of the configured generation.
pub fn account_lists<T: HttpTransport + 'static>(
    settings: &Settings,
    transport: T,
) -> Box<dyn AccountLists> {
    match settings.generation {
        ApiGeneration::V1 => Box::new(V1Lists::new(&settings.base_url, transport)),
        ApiGeneration::Legacy => Box::new(LegacyLists::new(&settings.base_url, transport)),
    }
}

/// Contact creates, updates, deletes and merges on the configured
/// generation.
pub fn contact_writes<T: HttpTransport + 'static>(
    settings: &Settings,
    transport: T,
) -> Box<dyn ContactWrites> {
    match settings.generation {
        ApiGeneration::V1 => Box::new(V1Writer::new(&settings.base_url, transport)),
        ApiGeneration::Legacy => Box::new(LegacyWriter::new(&settings.base_url, transport)),
    }
}

/// Note writes on the configured generation.
pub fn note_writes<T: HttpTransport + 'static>(
    settings: &Settings,
    transport: T,
) -> Box<dyn NoteWrites> {
    match settings.generation {
        ApiGeneration::V1 => Box::new(V1Writer::new(&settings.base_url, transport)),
        ApiGeneration::Legacy => Box::new(LegacyWriter::new(&settings.base_url, transport)),
    }
}

/// Reminder writes on the configured generation.
pub fn reminder_writes<T: HttpTransport + 'static>(
    settings: &Settings,
    transport: T,
) -> Box<dyn ReminderWrites> {
    match settings.generation {
        ApiGeneration::V1 => Box::new(V1Writer::new(&settings.base_url, transport)),
        ApiGeneration::Legacy => Box::new(LegacyWriter::new(&settings.base_url, transport)),
    }
}

/// A boxed writer is a writer, so a chosen one passes where
/// `&dyn ContactWrites` is taken.
impl<W: ContactWrites + ?Sized> ContactWrites for Box<W> {
    fn create_contact(&self, fields: &ContactFields) -> Result<Created<Contact>, ToolError> {
        (**self).create_contact(fields)
    }

    fn update_contact(
        &self,
        id: &ContactId,
        changes: &ContactFields,
    ) -> Result<Contact, ToolError> {
        (**self).update_contact(id, changes)
    }

    fn delete_contact(&self, id: &ContactId) -> Result<(), ToolError> {
        (**self).delete_contact(id)
    }

    fn merge_contacts(
        &self,
        keep: &ContactId,
        duplicates: &[ContactId],
    ) -> Result<MergeOutcome, ToolError> {
        (**self).merge_contacts(keep, duplicates)
    }
}

/// See the [`ContactWrites`] impl for `Box`.
impl<W: NoteWrites + ?Sized> NoteWrites for Box<W> {
    fn create_note(&self, note: &NewNote) -> Result<Created<Note>, ToolError> {
        (**self).create_note(note)
    }

    fn update_note(&self, id: &NoteId, changes: &NoteChanges) -> Result<Note, ToolError> {
        (**self).update_note(id, changes)
    }

    fn delete_note(&self, id: &NoteId) -> Result<(), ToolError> {
        (**self).delete_note(id)
    }
}

/// See the [`ContactWrites`] impl for `Box`.
impl<W: ReminderWrites + ?Sized> ReminderWrites for Box<W> {
    fn create_reminder(&self, reminder: &NewReminder) -> Result<Created<Reminder>, ToolError> {
        (**self).create_reminder(reminder)
    }

    fn update_reminder(
        &self,
        id: &ReminderId,
        changes: &ReminderChanges,
    ) -> Result<Reminder, ToolError> {
        (**self).update_reminder(id, changes)
    }

    fn delete_reminder(&self, id: &ReminderId) -> Result<(), ToolError> {
        (**self).delete_reminder(id)
    }
}

/// A boxed repository is a repository, so services generic over
/// [`ContactRepository`] take the chosen one as it is.
impl<R: ContactRepository + ?Sized> ContactRepository for Box<R> {
    fn find_by_email(&self, email: &EmailAddress) -> Result<Vec<Contact>, ToolError> {
        (**self).find_by_email(email)
    }

    fn get(&self, id: &ContactId) -> Result<Contact, ToolError> {
        (**self).get(id)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::*;
    use crate::dex::{HttpRequest, HttpResponse, ListKind, PageAt, PageRequest, TransportError};

    /// Records the URLs asked and answers every request with `body`.
    #[derive(Clone)]
    struct Recorder {
        urls: Rc<RefCell<Vec<String>>>,
        body: &'static str,
    }

    impl HttpTransport for Recorder {
        fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.urls.borrow_mut().push(request.url);
            Ok(HttpResponse {
                status: 200,
                headers: vec![],
                body: self.body.as_bytes().to_vec(),
            })
        }
    }

    fn settings(generation: &str, base: &str) -> Settings {
        Settings::from_lookup(|name| match name {
            "DEX_API_GENERATION" => Some(generation.into()),
            "DEX_API_BASE_URL" => Some(base.into()),
            _ => None,
        })
        .unwrap()
    }

    fn recorder(body: &'static str) -> Recorder {
        Recorder {
            urls: Rc::default(),
            body,
        }
    }

    #[test]
    fn legacy_settings_search_emails_through_the_legacy_query() {
        let transport = recorder(r#"{"search_contacts_by_exact_email": []}"#);
        let repository = contact_repository(
            &settings("legacy", "http://dex.test/api/rest"),
            transport.clone(),
        );
        let email = EmailAddress::parse("email", "ada@x.org").unwrap();
        assert!(repository.find_by_email(&email).unwrap().is_empty());
        assert_eq!(
            *transport.urls.borrow(),
            ["http://dex.test/api/rest/search/contacts?email=ada%40x.org"]
        );
    }

    #[test]
    fn v1_settings_look_emails_up_through_v1() {
        let transport = recorder(r#"{"error": false, "data": {"items": [], "nextCursor": null}}"#);
        let repository = contact_repository(&settings("v1", "http://dex.test"), transport.clone());
        let email = EmailAddress::parse("email", "ada@x.org").unwrap();
        assert!(repository.find_by_email(&email).unwrap().is_empty());
        assert_eq!(
            *transport.urls.borrow(),
            ["http://dex.test/v1/contacts/by-emails"]
        );
    }

    #[test]
    fn legacy_settings_write_notes_to_the_legacy_timeline_items() {
        let transport = recorder(r#"{"update_timeline_items_by_pk": {"id": "n1", "note": "x"}}"#);
        let notes = note_writes(
            &settings("legacy", "http://dex.test/api/rest"),
            transport.clone(),
        );
        let changes = NoteChanges {
            text: Some("x".into()),
            ..NoteChanges::default()
        };
        let note = notes
            .update_note(&NoteId::parse("id", "n1").unwrap(), &changes)
            .unwrap();
        assert_eq!(&*note.text, "x");
        assert_eq!(
            *transport.urls.borrow(),
            ["http://dex.test/api/rest/timeline_items/n1"]
        );
        let merge = contact_writes(
            &settings("legacy", "http://dex.test/api/rest"),
            transport.clone(),
        )
        .merge_contacts(
            &ContactId::parse("id", "c1").unwrap(),
            &[ContactId::parse("id", "c2").unwrap()],
        );
        assert_eq!(merge.unwrap_err().kind, crate::model::ErrorKind::Validation);
        assert_eq!(transport.urls.borrow().len(), 1, "a merge sends nothing");
    }

    #[test]
    fn each_generation_reads_contacts_from_its_own_list_path() {
        let first_page = [PageRequest {
            list: ListKind::Contacts,
            at: PageAt::Start,
        }];
        let legacy = recorder(r#"{"contacts": []}"#);
        account_lists(
            &settings("legacy", "http://dex.test/api/rest"),
            legacy.clone(),
        )
        .fetch_pages(&first_page);
        assert_eq!(
            *legacy.urls.borrow(),
            ["http://dex.test/api/rest/contacts?limit=1000&offset=0"]
        );
        let v1 = recorder(r#"{"error": false, "data": {"items": []}}"#);
        account_lists(&settings("v1", "http://dex.test"), v1.clone()).fetch_pages(&first_page);
        assert_eq!(
            *v1.urls.borrow(),
            ["http://dex.test/v1/contacts?take=1000\
              &include%5Bcontact_emails%5D=true&include%5Bcontact_phone_numbers%5D=true"]
        );
    }
}
