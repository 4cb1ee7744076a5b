//! The `notes` interface (`wit/notes.wit`): `get-note`, which reads one
//! note from v1 Dex, and `add-contact-note`, `update-note` and
//! `delete-note`, the adapters that check arguments, call a [`NoteWrites`]
//! and word the answer; and the interface's WIT glue.

use std::rc::Rc;

use crate::account::{Account, AccountChange};
use crate::dex::v1::{V1Client, WireNote};
use crate::dex::{Created, HttpTransport, NoteWrites};
use crate::model::{NewNote, Note, NoteChanges, NoteId, ToolError};
use crate::writes::{
    IdempotencyKey, KeyStore, Written, contact_ids, create_once, date_or_time, note_deletion,
    optional_text, require_confirmation, required_text, written_create,
};

/// What `get-note` says it cannot do on the legacy API.
pub const GET_NOTE_NEEDS: &str = "get_note (reading one note by its id)";

/// The note `note_id` as Dex holds it now (`GET /v1/timeline/{id}`), not
/// the cached account's copy; the id is checked before anything is sent.
pub fn get_note<T: HttpTransport>(client: &V1Client<T>, note_id: &str) -> Result<Note, ToolError> {
    let id = NoteId::parse("note-id", note_id)?;
    client
        .get_one::<WireNote>(
            &format!("/v1/timeline/{id}"),
            "note",
            &format!("note with id {id}"),
        )
        .map(Note::from)
}

/// The arguments of `add-contact-note`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddNoteArgs {
    /// The contacts the note is about.
    pub contact_ids: Vec<String>,
    /// The text.
    pub text: String,
    /// The note type's name.
    pub note_type: Option<String>,
    /// When it happened.
    pub event_time: Option<String>,
    /// Names this one write, so that a repeat does not write it again.
    pub idempotency_key: Option<String>,
}

/// A note type name as Dex spells them (lower case).
fn note_type(raw: Option<&str>) -> Result<Option<String>, ToolError> {
    Ok(optional_text("note-type", raw)?.map(|t| t.to_lowercase()))
}

/// Creates one note linked to every contact of `args`, once per
/// idempotency key (kept in `keys`, when the host lends a store).
pub fn add_contact_note(
    notes: &dyn NoteWrites,
    keys: Option<&dyn KeyStore>,
    args: &AddNoteArgs,
    now: std::time::SystemTime,
) -> Result<Written<Created<Note>>, ToolError> {
    let new = NewNote {
        contact_ids: contact_ids("contact-ids", &args.contact_ids)?,
        text: required_text("text", &args.text)?,
        note_type: note_type(args.note_type.as_deref())?,
        event_time: args
            .event_time
            .as_deref()
            .map(|t| date_or_time("event-time", t))
            .transpose()?,
    };
    let key = args
        .idempotency_key
        .as_deref()
        .map(|k| IdempotencyKey::parse("idempotency-key", k))
        .transpose()?;
    let (created, key_note) =
        create_once(keys, key.as_ref(), "add_contact_note", &new, now, || {
            notes.create_note(&new)
        })?;
    let note = &created.record;
    let summary = format!(
        "Added note {} about {} contact{}{}.",
        note.id,
        note.contact_ids.len(),
        if note.contact_ids.len() == 1 { "" } else { "s" },
        note.event_time()
            .as_deref()
            .map(|t| format!(", dated {t}"))
            .unwrap_or_default()
    );
    Ok(written_create(
        created,
        key_note,
        "note",
        summary,
        AccountChange::NoteSaved,
    ))
}

/// The arguments of `update-note`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateNoteArgs {
    /// The note.
    pub note_id: String,
    /// New text.
    pub text: Option<String>,
    /// New note type.
    pub note_type: Option<String>,
    /// New event time.
    pub event_time: Option<String>,
}

/// Changes the fields of a note that `args` sets.
pub fn update_note(
    notes: &dyn NoteWrites,
    args: &UpdateNoteArgs,
) -> Result<Written<Note>, ToolError> {
    let id = NoteId::parse("note-id", &args.note_id)?;
    let changes = NoteChanges {
        text: optional_text("text", args.text.as_deref())?,
        note_type: note_type(args.note_type.as_deref())?,
        event_time: args
            .event_time
            .as_deref()
            .map(|t| date_or_time("event-time", t))
            .transpose()?,
    };
    if changes == NoteChanges::default() {
        return Err(ToolError::validation(
            "text",
            "nothing to change: pass at least one of text, note-type, event-time",
        ));
    }
    let note = notes.update_note(&id, &changes)?;
    Ok(Written {
        summary: format!("Updated note {}.", note.id),
        change: AccountChange::NoteSaved(note.clone()),
        answer: note,
    })
}

/// Deletes a note once `confirm` is true; otherwise says what would be
/// lost, reading the account through `account`.
pub fn delete_note(
    notes: &dyn NoteWrites,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    note_id: &str,
    confirm: Option<bool>,
) -> Result<Written<String>, ToolError> {
    let id = NoteId::parse("note-id", note_id)?;
    require_confirmation(confirm, || note_deletion(&*account()?, &id))?;
    notes.delete_note(&id)?;
    Ok(Written {
        summary: format!("Deleted note {id}."),
        change: AccountChange::NoteDeleted(id.to_string()),
        answer: id.to_string(),
    })
}

/// The `notes` export: WIT values into the adapters above and their
/// answers out; compiled for the component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use crate::component::Component;
    use crate::component::bindings::dex::crm::types as wit;
    use crate::component::bindings::exports::dex::crm::notes;
    use crate::component::convert::{self, tool_error};
    use crate::component::state::{account, contact_refs, record_write};
    use crate::component::transport::WasiHttp;
    use crate::dex;
    use crate::dex::v1::V1Client;
    use crate::model;
    use crate::settings::Settings;

    fn note(n: model::Note) -> wit::Note {
        let contacts = contact_refs(&n.contact_ids);
        convert::note(&n, contacts)
    }

    /// The settings, and the writer of their API generation.
    fn writer() -> Result<(Settings, Box<dyn dex::NoteWrites>), model::ToolError> {
        let settings = Settings::from_env()?;
        let writer = dex::note_writes(&settings, WasiHttp);
        Ok((settings, writer))
    }

    fn saved(
        written: Result<crate::writes::Written<model::Note>, model::ToolError>,
    ) -> Result<notes::SavedNote, wit::ToolError> {
        let (n, summary) = record_write(written).map_err(tool_error)?;
        Ok(notes::SavedNote {
            note: note(n),
            creation: None,
            summary,
        })
    }

    impl notes::Guest for Component {
        fn get_note(note_id: String) -> Result<notes::Note, wit::ToolError> {
            let settings = Settings::from_env().map_err(tool_error)?;
            let client = V1Client::for_v1_only(&settings, WasiHttp, super::GET_NOTE_NEEDS)
                .map_err(tool_error)?;
            super::get_note(&client, &note_id)
                .map(note)
                .map_err(tool_error)
        }

        fn add_contact_note(
            contact_ids: Vec<String>,
            text: String,
            note_type: Option<String>,
            event_time: Option<String>,
            idempotency_key: Option<String>,
        ) -> Result<notes::SavedNote, wit::ToolError> {
            let (_, writer) = writer().map_err(tool_error)?;
            let args = super::AddNoteArgs {
                contact_ids,
                text,
                note_type,
                event_time,
                idempotency_key,
            };
            let keys = crate::component::stored::key_store();
            let written = super::add_contact_note(
                &writer,
                keys.as_ref().map(|k| k as _),
                &args,
                std::time::SystemTime::now(),
            );
            let (created, summary) = record_write(written).map_err(tool_error)?;
            Ok(notes::SavedNote {
                note: note(created.record),
                creation: Some(convert::creation(created.creation)),
                summary,
            })
        }

        fn update_note(
            note_id: String,
            text: Option<String>,
            note_type: Option<String>,
            event_time: Option<String>,
        ) -> Result<notes::SavedNote, wit::ToolError> {
            let (_, writer) = writer().map_err(tool_error)?;
            let args = super::UpdateNoteArgs {
                note_id,
                text,
                note_type,
                event_time,
            };
            saved(super::update_note(&writer, &args))
        }

        fn delete_note(
            note_id: String,
            confirm: Option<bool>,
        ) -> Result<notes::DeletedNote, wit::ToolError> {
            let (settings, writer) = writer().map_err(tool_error)?;
            let read = || account(&settings);
            let written = super::delete_note(&writer, &read, &note_id, confirm);
            let (id, summary) = record_write(written).map_err(tool_error)?;
            Ok(notes::DeletedNote { id, summary })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use std::time::SystemTime;

    use super::*;
    use crate::dex::Creation;
    use crate::model::ErrorKind;
    use crate::writes::MemoryStore;

    /// Records what it was asked and answers like Dex.
    #[derive(Default)]
    struct Recorder {
        created: RefCell<Vec<NewNote>>,
        deleted: RefCell<Vec<NoteId>>,
    }

    impl NoteWrites for Recorder {
        fn create_note(&self, note: &NewNote) -> Result<Created<Note>, ToolError> {
            self.created.borrow_mut().push(note.clone());
            Ok(Created::answered(Note {
                id: format!("n{}", self.created.borrow().len()).into(),
                text: note.text.clone().into(),
                event_time: note.event_time.as_deref().map(Into::into),
                contact_ids: note.contact_ids.iter().map(|c| c.as_str().into()).collect(),
                ..Note::default()
            }))
        }
        fn update_note(&self, id: &NoteId, changes: &NoteChanges) -> Result<Note, ToolError> {
            Ok(Note {
                id: id.to_string().into(),
                text: changes.text.clone().unwrap_or_default().into(),
                ..Note::default()
            })
        }
        fn delete_note(&self, id: &NoteId) -> Result<(), ToolError> {
            self.deleted.borrow_mut().push(id.clone());
            Ok(())
        }
    }

    fn no_account() -> Result<Rc<Account>, ToolError> {
        panic!("the account was read although nothing needed it")
    }

    #[test]
    fn a_note_is_read_from_its_v1_path() {
        use crate::dex::testing::Scripted;
        let dex = Scripted::new(&[
            (
                200,
                r#"{"error":false,"data":{"id":"n7","note":"Coffee","meeting_type":"coffee","timeline_items_contacts":[{"contact_id":"c1"}]}}"#,
            ),
            (404, r#"{"error":true,"message":"not found"}"#),
        ]);
        let client = V1Client::new("http://dex.test", &dex);
        let note = get_note(&client, " n7 ").unwrap();
        assert_eq!((&*note.id.as_text(), &*note.text), ("n7", "Coffee"));
        assert_eq!(note.note_type.as_deref(), Some("coffee"));
        assert_eq!(note.contact_ids, ["c1"]);
        let missing = get_note(&client, "n8").unwrap_err();
        assert_eq!(missing.kind, ErrorKind::NotFound);
        assert!(missing.message.contains("n8"), "{}", missing.message);
        let urls: Vec<String> = dex.seen().into_iter().map(|r| r.url).collect();
        assert_eq!(
            urls,
            [
                "http://dex.test/v1/timeline/n7",
                "http://dex.test/v1/timeline/n8"
            ]
        );
    }

    #[test]
    fn a_bad_note_id_is_refused_before_anything_is_sent() {
        let dex = crate::dex::testing::Scripted::new(&[]);
        let err = get_note(&V1Client::new("http://dex.test", &dex), "../x").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("note_id"));
        assert!(dex.seen().is_empty());
    }

    #[test]
    fn one_note_is_created_for_several_contacts_with_its_date() {
        let repo = Recorder::default();
        let args = AddNoteArgs {
            contact_ids: vec!["c1".into(), "c2".into(), "c1".into()],
            text: "  Lunch at the harbour ".into(),
            note_type: Some("Meal".into()),
            event_time: Some("2024-05-01".into()),
            idempotency_key: None,
        };
        let written = add_contact_note(&repo, None, &args, SystemTime::now()).unwrap();
        let sent = &repo.created.borrow()[0];
        assert_eq!(sent.contact_ids.len(), 2);
        assert_eq!(sent.text, "Lunch at the harbour");
        assert_eq!(sent.note_type.as_deref(), Some("meal"));
        assert_eq!(sent.event_time.as_deref(), Some("2024-05-01"));
        assert!(
            written.summary.contains("2 contacts"),
            "{}",
            written.summary
        );
        assert_eq!(
            written.change,
            AccountChange::NoteSaved(written.answer.record.clone())
        );
    }

    #[test]
    fn a_repeat_with_the_same_key_answers_the_first_note_and_writes_nothing() {
        let repo = Recorder::default();
        let keys = MemoryStore::default();
        let args = AddNoteArgs {
            contact_ids: vec!["c1".into()],
            text: "Lunch at the harbour".into(),
            idempotency_key: Some("note-c1-harbour-lunch".into()),
            ..AddNoteArgs::default()
        };
        let now = SystemTime::now();
        let first = add_contact_note(&repo, Some(&keys), &args, now).unwrap();
        let again = add_contact_note(&repo, Some(&keys), &args, now).unwrap();
        assert_eq!(repo.created.borrow().len(), 1);
        assert_eq!(again.answer.record, first.answer.record);
        assert_eq!(again.answer.creation, Creation::Replayed);
        assert_eq!(again.change, AccountChange::Replayed);
        assert!(
            again.summary.contains("nothing was written"),
            "{}",
            again.summary
        );
        let other = AddNoteArgs {
            text: "Dinner at the harbour".into(),
            ..args
        };
        let err = add_contact_note(&repo, Some(&keys), &other, now).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("idempotency_key"));
        assert_eq!(repo.created.borrow().len(), 1);
    }

    #[test]
    fn bad_arguments_are_refused_before_anything_is_sent() {
        let repo = Recorder::default();
        let base = AddNoteArgs {
            contact_ids: vec!["c1".into()],
            text: "hi".into(),
            ..AddNoteArgs::default()
        };
        let cases = [
            (
                "contact-ids",
                AddNoteArgs {
                    contact_ids: vec![],
                    ..base.clone()
                },
            ),
            (
                "text",
                AddNoteArgs {
                    text: " ".into(),
                    ..base.clone()
                },
            ),
            (
                "event-time",
                AddNoteArgs {
                    event_time: Some("yesterday".into()),
                    ..base.clone()
                },
            ),
        ];
        for (field, args) in cases {
            let err = add_contact_note(&repo, None, &args, SystemTime::now()).unwrap_err();
            assert_eq!(err.field, Some(field.replace('-', "_")));
        }
        assert!(repo.created.borrow().is_empty());
        let err = update_note(
            &repo,
            &UpdateNoteArgs {
                note_id: "n1".into(),
                ..UpdateNoteArgs::default()
            },
        )
        .unwrap_err();
        assert!(err.message.contains("nothing to change"));
    }

    #[test]
    fn a_note_is_deleted_only_with_confirm_true() {
        let repo = Recorder::default();
        let account = || -> Result<Rc<Account>, ToolError> {
            let snapshot = crate::snapshot::Snapshot {
                notes: vec![std::sync::Arc::new(Note {
                    id: "n1".into(),
                    text: "Met at the gym".into(),
                    ..Note::default()
                })],
                ..Default::default()
            };
            Ok(Rc::new(Account::index(snapshot, std::time::Duration::ZERO)))
        };
        let err = delete_note(&repo, &account, "n1", None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::ConfirmationRequired);
        assert!(err.message.contains("Met at the gym"), "{}", err.message);
        assert!(repo.deleted.borrow().is_empty());
        let written = delete_note(&repo, &no_account, "n1", Some(true)).unwrap();
        assert_eq!(written.change, AccountChange::NoteDeleted("n1".into()));
        assert_eq!(repo.deleted.borrow().len(), 1);
    }
}
