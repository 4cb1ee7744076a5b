//! The `contact-batches` interface (`wit/contact-batches.wit`):
//! `archive-contacts`, `unarchive-contacts`, `star-contacts`,
//! `unstar-contacts` and `delete-contacts`, changing many contacts in one
//! call with an outcome for each.
//!
//! Archiving and starring send one `PUT /v1/contacts/{id}` per contact
//! rather than Dex's batch `PUT /v1/contacts`: each answer is the stored
//! record (so the kept account is updated exactly, with no re-read), a
//! failure touches one contact and is reported for it, and a PUT may be
//! retried safely. The batch PUT's answer is not documented
//! (docs/dex-api.md, "Contacts"). Deleting uses Dex's batch delete, whose
//! answer names the contacts deleted.

use std::rc::Rc;

use crate::account::{Account, AccountChange};
use crate::dex::ContactWrites;
use crate::dex::v1::ContactBatchDeletes;
use crate::model::{ContactFields, ContactId, ErrorKind, ToolError};
use crate::writes::{Written, contacts_deletion, require_confirmation};

/// The most contacts one call may name.
pub const MAX_BATCH: usize = 100;
/// Above this many contacts a call needs `confirm` and `expected-count`,
/// the rule Dex's own tools follow for bulk changes.
pub const CONFIRM_ABOVE: usize = 20;

/// What became of one contact of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The contact's id.
    pub contact_id: String,
    /// Whether Dex made the change.
    pub done: bool,
    /// Why not, when it did not.
    pub error: Option<String>,
}

/// The outcomes of a batch, in the order the ids were given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOutcome {
    /// One per distinct contact.
    pub outcomes: Vec<Outcome>,
    /// How many were changed.
    pub done: usize,
}

/// The flag a batch sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// `is_archived`.
    Archived(bool),
    /// `starred`.
    Starred(bool),
}

impl Flag {
    fn verb(self) -> &'static str {
        match self {
            Flag::Archived(true) => "archive",
            Flag::Archived(false) => "unarchive",
            Flag::Starred(true) => "star",
            Flag::Starred(false) => "unstar",
        }
    }

    fn fields(self) -> ContactFields {
        match self {
            Flag::Archived(on) => ContactFields {
                archived: Some(on),
                ..ContactFields::default()
            },
            Flag::Starred(on) => ContactFields {
                starred: Some(on),
                ..ContactFields::default()
            },
        }
    }
}

/// The distinct ids of `raw`, in order: 1 to [`MAX_BATCH`] of them.
fn batch_ids(raw: &[String]) -> Result<Vec<ContactId>, ToolError> {
    let mut ids: Vec<ContactId> = Vec::with_capacity(raw.len());
    for text in raw {
        let id = ContactId::parse("contact-ids", text)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    match ids.len() {
        0 => Err(ToolError::validation(
            "contact-ids",
            "contact_ids is empty; pass the ids of the contacts, from find_contact or filter_contacts",
        )),
        n if n > MAX_BATCH => Err(ToolError::validation(
            "contact-ids",
            format!(
                "{n} contacts given; pass at most {MAX_BATCH} per call and call again for the rest"
            ),
        )),
        _ => Ok(ids),
    }
}

/// Above [`CONFIRM_ABOVE`] contacts, `expected-count` must be the number
/// of distinct contacts named, so that a list the user did not see grow
/// is not changed whole.
fn require_expected_count(
    count: usize,
    expected: Option<u32>,
    verb: &str,
) -> Result<(), ToolError> {
    if count <= CONFIRM_ABOVE || expected.is_some_and(|e| e as usize == count) {
        return Ok(());
    }
    let given = expected.map_or("not given".to_owned(), |e| format!("{e}"));
    Err(ToolError::validation(
        "expected-count",
        format!(
            "the call names {count} distinct contacts and expected_count is {given}; to {verb} more than {CONFIRM_ABOVE} at once, tell the user how many and pass confirm true with expected_count {count}"
        ),
    ))
}

/// Sets `flag` on each contact of `contact_ids`, one write each; above
/// [`CONFIRM_ABOVE`] only with `confirm` and the expected count.
pub fn set_flag(
    contacts: &dyn ContactWrites,
    flag: Flag,
    contact_ids: &[String],
    confirm: Option<bool>,
    expected_count: Option<u32>,
) -> Result<Written<BatchOutcome>, ToolError> {
    let ids = batch_ids(contact_ids)?;
    let verb = flag.verb();
    if ids.len() > CONFIRM_ABOVE {
        if confirm != Some(true) {
            return Err(ToolError {
                field: Some("confirm".into()),
                ..ToolError::new(
                    ErrorKind::ConfirmationRequired,
                    format!(
                        "Nothing was changed. This would {verb} {} contacts: ask the user, and call again with confirm true and expected_count {} if they agree.",
                        ids.len(),
                        ids.len()
                    ),
                )
            });
        }
        require_expected_count(ids.len(), expected_count, verb)?;
    }
    let changes = flag.fields();
    let mut saved = Vec::with_capacity(ids.len());
    let mut outcomes = Vec::with_capacity(ids.len());
    let mut unsettled = false;
    let mut stopped: Option<String> = None;
    for id in &ids {
        if let Some(reason) = &stopped {
            outcomes.push(failed(id, format!("not sent: stopped after {reason}")));
            continue;
        }
        match contacts.update_contact(id, &changes) {
            Ok(contact) => {
                saved.push(contact);
                outcomes.push(Outcome {
                    contact_id: id.to_string(),
                    done: true,
                    error: None,
                });
            }
            Err(e) => {
                // The contact may have changed anyway: the kept account
                // can no longer be trusted for it.
                unsettled |= e.kind == ErrorKind::Upstream;
                if matches!(
                    e.kind,
                    ErrorKind::Unauthorized | ErrorKind::Forbidden | ErrorKind::RateLimited
                ) {
                    stopped = Some(e.message.clone());
                }
                outcomes.push(failed(id, e.message));
            }
        }
    }
    let done = saved.len();
    let summary = match ids.len() - done {
        0 => format!("{}d {done} contacts.", capitalised(verb)),
        failures => format!(
            "{}d {done} of {} contacts; {failures} failed, each with why in outcomes.",
            capitalised(verb),
            ids.len()
        ),
    };
    Ok(Written {
        summary,
        change: if unsettled {
            AccountChange::Unsettled
        } else {
            AccountChange::ContactsSaved(saved)
        },
        answer: BatchOutcome { outcomes, done },
    })
}

fn failed(id: &ContactId, error: String) -> Outcome {
    Outcome {
        contact_id: id.to_string(),
        done: false,
        error: Some(error),
    }
}

fn capitalised(verb: &str) -> String {
    let mut chars = verb.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Deletes the contacts of `contact_ids` in one request once `confirm` is
/// true; otherwise says what would be lost, reading the account.
pub fn delete_contacts(
    deletes: &dyn ContactBatchDeletes,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    contact_ids: &[String],
    confirm: Option<bool>,
    expected_count: Option<u32>,
) -> Result<Written<BatchOutcome>, ToolError> {
    let ids = batch_ids(contact_ids)?;
    require_confirmation(confirm, || contacts_deletion(&*account()?, &ids))?;
    require_expected_count(ids.len(), expected_count, "delete")?;
    let outcome = deletes.delete_contacts(&ids)?;
    let outcomes = ids
        .iter()
        .map(|id| {
            if outcome.deleted.contains(id) {
                Outcome {
                    contact_id: id.to_string(),
                    done: true,
                    error: None,
                }
            } else {
                failed(id, format!("Dex did not delete it: it has no contact {id}"))
            }
        })
        .collect();
    let done = outcome.deleted.len();
    let summary = format!(
        "Deleted {done} of {} contacts, with the notes and reminders that were only about them.",
        ids.len()
    );
    Ok(Written {
        summary,
        change: AccountChange::ContactsDeleted(
            outcome.deleted.iter().map(ContactId::to_string).collect(),
        ),
        answer: BatchOutcome { outcomes, done },
    })
}

/// The `contact-batches` export: WIT values into the adapters above and
/// their answers out; compiled for the component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use super::{BatchOutcome, Flag};
    use crate::component::Component;
    use crate::component::bindings::dex::crm::types as wit;
    use crate::component::bindings::exports::dex::crm::contact_batches as cb;
    use crate::component::convert::tool_error;
    use crate::component::state::{account, record_write};
    use crate::component::transport::WasiHttp;
    use crate::dex::v1::V1Writer;
    use crate::model;
    use crate::settings::Settings;
    use crate::writes::Written;

    /// The settings and a v1 writer; on legacy, the error saying these
    /// tools need v1, before any request.
    fn writer() -> Result<(Settings, V1Writer<WasiHttp>), model::ToolError> {
        let settings = Settings::from_env_on_v1("changing or deleting many contacts at once")?;
        let writer = V1Writer::new(&settings.base_url, WasiHttp);
        Ok((settings, writer))
    }

    fn answered(
        written: Result<Written<BatchOutcome>, model::ToolError>,
    ) -> Result<cb::BatchOutcome, wit::ToolError> {
        let (batch, summary) = record_write(written).map_err(tool_error)?;
        Ok(cb::BatchOutcome {
            outcomes: batch
                .outcomes
                .into_iter()
                .map(|o| cb::ContactOutcome {
                    contact_id: o.contact_id,
                    done: o.done,
                    error: o.error,
                })
                .collect(),
            done: u32::try_from(batch.done).unwrap_or(u32::MAX),
            summary,
        })
    }

    fn flagged(
        flag: Flag,
        contact_ids: Vec<String>,
        confirm: Option<bool>,
        expected_count: Option<u32>,
    ) -> Result<cb::BatchOutcome, wit::ToolError> {
        let (_, writer) = writer().map_err(tool_error)?;
        answered(super::set_flag(
            &writer,
            flag,
            &contact_ids,
            confirm,
            expected_count,
        ))
    }

    impl cb::Guest for Component {
        fn archive_contacts(
            contact_ids: Vec<String>,
            confirm: Option<bool>,
            expected_count: Option<u32>,
        ) -> Result<cb::BatchOutcome, wit::ToolError> {
            flagged(Flag::Archived(true), contact_ids, confirm, expected_count)
        }

        fn unarchive_contacts(
            contact_ids: Vec<String>,
            confirm: Option<bool>,
            expected_count: Option<u32>,
        ) -> Result<cb::BatchOutcome, wit::ToolError> {
            flagged(Flag::Archived(false), contact_ids, confirm, expected_count)
        }

        fn star_contacts(
            contact_ids: Vec<String>,
            confirm: Option<bool>,
            expected_count: Option<u32>,
        ) -> Result<cb::BatchOutcome, wit::ToolError> {
            flagged(Flag::Starred(true), contact_ids, confirm, expected_count)
        }

        fn unstar_contacts(
            contact_ids: Vec<String>,
            confirm: Option<bool>,
            expected_count: Option<u32>,
        ) -> Result<cb::BatchOutcome, wit::ToolError> {
            flagged(Flag::Starred(false), contact_ids, confirm, expected_count)
        }

        fn delete_contacts(
            contact_ids: Vec<String>,
            confirm: Option<bool>,
            expected_count: Option<u32>,
        ) -> Result<cb::BatchOutcome, wit::ToolError> {
            let (settings, writer) = writer().map_err(tool_error)?;
            let read = || account(&settings);
            answered(super::delete_contacts(
                &writer,
                &read,
                &contact_ids,
                confirm,
                expected_count,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::dex::MergeOutcome;
    use crate::dex::v1::DeletedContacts;
    use crate::model::{Contact, Note};
    use crate::snapshot::Snapshot;

    /// Answers each update with the contact changed, except the ids it is
    /// told to fail, and records what was sent.
    #[derive(Default)]
    struct Dex {
        failing: Vec<(&'static str, ErrorKind)>,
        updates: RefCell<Vec<(String, ContactFields)>>,
        deletes: RefCell<Vec<Vec<String>>>,
    }

    impl ContactWrites for Dex {
        fn create_contact(
            &self,
            _: &ContactFields,
        ) -> Result<crate::dex::Created<Contact>, ToolError> {
            unreachable!("batches create nothing")
        }

        fn update_contact(
            &self,
            id: &ContactId,
            changes: &ContactFields,
        ) -> Result<Contact, ToolError> {
            self.updates
                .borrow_mut()
                .push((id.to_string(), changes.clone()));
            if let Some((_, kind)) = self.failing.iter().find(|(f, _)| *f == id.as_str()) {
                return Err(ToolError::new(*kind, format!("failed {id}")));
            }
            Ok(Contact {
                id: id.to_string(),
                archived: changes.archived.unwrap_or(false),
                starred: changes.starred.unwrap_or(false),
                ..Contact::default()
            })
        }

        fn delete_contact(&self, _: &ContactId) -> Result<(), ToolError> {
            unreachable!("batches delete in one request")
        }

        fn merge_contacts(
            &self,
            _: &ContactId,
            _: &[ContactId],
        ) -> Result<MergeOutcome, ToolError> {
            unreachable!("batches merge nothing")
        }
    }

    impl ContactBatchDeletes for Dex {
        fn delete_contacts(&self, ids: &[ContactId]) -> Result<DeletedContacts, ToolError> {
            self.deletes
                .borrow_mut()
                .push(ids.iter().map(ContactId::to_string).collect());
            let (deleted, kept) = ids
                .iter()
                .cloned()
                .partition(|id| !self.failing.iter().any(|(f, _)| *f == id.as_str()));
            Ok(DeletedContacts { deleted, kept })
        }
    }

    fn many(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("c{i}")).collect()
    }

    #[test]
    fn each_contact_gets_its_own_write_and_outcome() {
        let dex = Dex {
            failing: vec![("c1", ErrorKind::NotFound)],
            ..Dex::default()
        };
        let ids = vec!["c0".into(), "c1".into(), "c0".into(), "c2".into()];
        let written = set_flag(&dex, Flag::Archived(true), &ids, None, None).unwrap();
        let sent: Vec<String> = dex
            .updates
            .borrow()
            .iter()
            .map(|(id, _)| id.clone())
            .collect();
        assert_eq!(sent, ["c0", "c1", "c2"]);
        assert!(
            dex.updates
                .borrow()
                .iter()
                .all(|(_, f)| f.archived == Some(true) && f.starred.is_none())
        );
        assert_eq!(written.answer.done, 2);
        let outcomes = &written.answer.outcomes;
        assert!(outcomes[0].done && !outcomes[1].done && outcomes[2].done);
        assert_eq!(outcomes[1].error.as_deref(), Some("failed c1"));
        assert!(
            written.summary.contains("Archived 2 of 3"),
            "{}",
            written.summary
        );
        match written.change {
            AccountChange::ContactsSaved(saved) => assert_eq!(saved.len(), 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_lost_answer_unsettles_and_a_refused_key_stops_the_batch() {
        let dex = Dex {
            failing: vec![("c0", ErrorKind::Upstream), ("c1", ErrorKind::Unauthorized)],
            ..Dex::default()
        };
        let written = set_flag(&dex, Flag::Starred(true), &many(3), None, None).unwrap();
        assert_eq!(written.change, AccountChange::Unsettled);
        assert_eq!(
            dex.updates.borrow().len(),
            2,
            "sent after the key was refused"
        );
        let last = &written.answer.outcomes[2];
        assert!(!last.done);
        assert!(
            last.error.as_deref().unwrap().starts_with("not sent"),
            "{last:?}"
        );
    }

    #[test]
    fn more_than_twenty_need_confirm_and_the_exact_count_before_any_write() {
        let dex = Dex::default();
        let ids = many(21);
        let unconfirmed = set_flag(&dex, Flag::Archived(true), &ids, None, Some(21)).unwrap_err();
        assert_eq!(unconfirmed.kind, ErrorKind::ConfirmationRequired);
        assert!(
            unconfirmed.message.contains("expected_count 21"),
            "{}",
            unconfirmed.message
        );
        let miscounted =
            set_flag(&dex, Flag::Archived(true), &ids, Some(true), Some(20)).unwrap_err();
        assert_eq!(miscounted.field.as_deref(), Some("expected_count"));
        let uncounted = set_flag(&dex, Flag::Archived(true), &ids, Some(true), None).unwrap_err();
        assert_eq!(uncounted.kind, ErrorKind::Validation);
        assert!(dex.updates.borrow().is_empty());
        let done = set_flag(&dex, Flag::Archived(true), &ids, Some(true), Some(21)).unwrap();
        assert_eq!(done.answer.done, 21);
    }

    #[test]
    fn bad_ids_and_oversized_batches_are_refused() {
        let dex = Dex::default();
        for ids in [vec![], many(MAX_BATCH + 1), vec![" ".into()]] {
            let err = set_flag(&dex, Flag::Starred(false), &ids, Some(true), None).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("contact_ids"), "{}", err.message);
        }
        assert!(dex.updates.borrow().is_empty());
    }

    fn account() -> impl Fn() -> Result<Rc<Account>, ToolError> {
        let person = |id: &str| {
            Arc::new(Contact {
                id: id.into(),
                full_name: format!("Person {id}"),
                ..Contact::default()
            })
        };
        let account = Rc::new(Account::index(
            Snapshot {
                contacts: vec![person("c0"), person("c1"), person("c2")],
                notes: vec![Arc::new(Note {
                    id: "n1".into(),
                    contact_ids: vec!["c0".into(), "c1".into()],
                    ..Note::default()
                })],
                ..Snapshot::default()
            },
            Duration::ZERO,
        ));
        move || Ok(account.clone())
    }

    #[test]
    fn deleting_asks_first_then_sends_one_request_and_reports_each() {
        let dex = Dex {
            failing: vec![("c1", ErrorKind::NotFound)],
            ..Dex::default()
        };
        let ids = vec!["c0".to_owned(), "c1".to_owned()];
        let asked = delete_contacts(&dex, &account(), &ids, None, None).unwrap_err();
        assert_eq!(asked.kind, ErrorKind::ConfirmationRequired);
        assert!(
            asked.message.contains("1 note and 0 reminders linked only"),
            "{}",
            asked.message
        );
        assert!(dex.deletes.borrow().is_empty());
        let written = delete_contacts(&dex, &account(), &ids, Some(true), None).unwrap();
        assert_eq!(*dex.deletes.borrow(), std::slice::from_ref(&ids));
        assert_eq!(written.answer.done, 1);
        assert!(!written.answer.outcomes[1].done);
        assert_eq!(
            written.change,
            AccountChange::ContactsDeleted(vec!["c0".into()])
        );
    }
}
