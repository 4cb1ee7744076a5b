//! The `related-contacts` interface (`wit/related-contacts.wit`):
//! `relate-contacts` and `unrelate-contacts`, and [`related_refs`], which
//! `get-contact-details` uses to name a contact's related contacts.
//!
//! Every id is checked, and looked up in the account, before the one
//! write: a contact that does not exist costs Dex nothing. The write sends
//! every contact asked for, including those the account shows as already
//! related (or already not): the account may be minutes old, and sending
//! them sets the state the user asked for whatever happened meanwhile,
//! which Dex does without change for a pair it holds (docs/dex-api.md,
//! "Related contacts"). The answer tells them apart by the account read
//! before the write.

use std::rc::Rc;

use crate::account::{Account, AccountChange, RelationChange};
use crate::dex::v1::ContactRelations;
use crate::history::{ContactBook, ContactRef, require_readable};
use crate::model::{Contact, ContactId, ErrorKind, RelatedContact, ToolError};
use crate::writes::{Written, contact_ids};

/// The most contacts one call relates a contact to.
pub const MAX_RELATED: usize = 50;
/// The most related contacts `get-contact-details` names in its summary.
const NAMED_IN_SUMMARY: usize = 5;

/// Which way a call changes relations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `relate-contacts`: the pairs are appended.
    Relate,
    /// `unrelate-contacts`: the pairs are removed.
    Unrelate,
}

/// The answer of both tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationAnswer {
    /// The contact written.
    pub contact: ContactRef,
    /// The contacts the call related it to, or unrelated it from.
    pub changed: Vec<ContactRef>,
    /// The contacts that already were as asked, by the account read before.
    pub unchanged: Vec<ContactRef>,
    /// Every contact related to it after the write, when known.
    pub related_now: Option<Vec<ContactRef>>,
}

/// `related` as references, named from the account where it has the
/// contact, else by the name Dex sent with the link.
pub fn related_refs(book: &ContactBook, related: &[RelatedContact]) -> Vec<ContactRef> {
    related
        .iter()
        .map(|r| {
            let mut named = book.refs(std::slice::from_ref(&r.id)).remove(0);
            if named.full_name.is_none() {
                named.full_name = r.name.clone();
            }
            named
        })
        .collect()
}

/// Reads one contact's related contacts from Dex, for a contact whose
/// relations the account read does not have: `None` where the API has
/// none to give (legacy).
pub type RelatedReader<'a> =
    &'a dyn Fn(&ContactId) -> Result<Option<Vec<RelatedContact>>, ToolError>;

/// The related contacts of `contact`, named, for `get-contact-details`:
/// from the account read, else (its list left them out) from `read`;
/// with a sentence for the summary.
pub fn related_of(
    book: &ContactBook,
    contact: &Contact,
    read: RelatedReader,
) -> (Option<Vec<ContactRef>>, String) {
    let read_now;
    let related = match &contact.related {
        Some(kept) => Some(kept),
        None => {
            let id = ContactId::parse("contact-id", &contact.id);
            read_now = id.and_then(|id| read(&id));
            match &read_now {
                Ok(found) => found.as_ref(),
                Err(e) => {
                    return (
                        None,
                        format!(
                            " Its related contacts could not be read ({}).",
                            e.message.trim_end_matches('.')
                        ),
                    );
                }
            }
        }
    };
    let Some(related) = related else {
        return (None, String::new());
    };
    let refs = related_refs(book, related);
    let sentence = match refs.len() {
        0 => String::new(),
        n if n > NAMED_IN_SUMMARY => format!(
            " Related to {n}: {} and {} more (related_contacts lists them all).",
            names(&refs[..NAMED_IN_SUMMARY]),
            n - NAMED_IN_SUMMARY
        ),
        n => format!(" Related to {n}: {}.", names(&refs)),
    };
    (Some(refs), sentence)
}

/// The other contacts of a call: distinct, 1 to [`MAX_RELATED`], never
/// the contact itself.
fn others(own: &ContactId, related_ids: &[String]) -> Result<Vec<ContactId>, ToolError> {
    let ids = contact_ids("related-ids", related_ids)?;
    if ids.len() > MAX_RELATED {
        return Err(ToolError::validation(
            "related-ids",
            format!(
                "{} contacts given; pass at most {MAX_RELATED} per call and call again for the rest",
                ids.len()
            ),
        ));
    }
    if ids.contains(own) {
        return Err(ToolError::validation(
            "related-ids",
            format!(
                "related_ids names contact_id `{own}` itself; a contact cannot be related to itself"
            ),
        ));
    }
    Ok(ids)
}

fn names(refs: &[ContactRef]) -> String {
    refs.iter()
        .map(|r| r.full_name.clone().unwrap_or_else(|| r.id.clone()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Relates (or unrelates) `contact_id` to each of `related_ids` in one
/// write, once every id is known to the account.
pub fn change_relations(
    dex: &dyn ContactRelations,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    direction: Direction,
    contact_id: &str,
    related_ids: &[String],
) -> Result<Written<RelationAnswer>, ToolError> {
    let own = ContactId::parse("contact-id", contact_id)?;
    let others = others(&own, related_ids)?;
    let account = account()?;
    require_readable(&account.snapshot)?;
    let book = ContactBook::new(&account.snapshot);
    let contact = book.contact(&own)?;
    let unknown: Vec<&str> = others
        .iter()
        .filter(|id| book.contact(id).is_err())
        .map(ContactId::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(ToolError {
            field: Some("related_ids".into()),
            ..ToolError::new(
                ErrorKind::NotFound,
                format!(
                    "Nothing was changed: Dex has no contact with id {}; use find_contact to get the ids of the people you mean",
                    unknown.join(", ")
                ),
            )
        });
    }
    let before: Option<Vec<String>> = contact
        .related
        .as_ref()
        .map(|r| r.iter().map(|r| r.id.clone()).collect());
    let wanted = |id: &ContactId| match (direction, &before) {
        (_, None) => true,
        (Direction::Relate, Some(b)) => !b.iter().any(|r| r == id.as_str()),
        (Direction::Unrelate, Some(b)) => b.iter().any(|r| r == id.as_str()),
    };
    let (changed, unchanged): (Vec<ContactId>, Vec<ContactId>) =
        others.iter().cloned().partition(|id| wanted(id));
    let (append, remove): (&[ContactId], &[ContactId]) = match direction {
        Direction::Relate => (&others, &[]),
        Direction::Unrelate => (&[], &others),
    };
    let mut saved = dex.change_relations(&own, append, remove)?;
    if saved.related.is_none() {
        // Dex's answer left its relations out: the account's, changed.
        saved.related = contact.related.as_ref().map(|kept| {
            let mut now: Vec<RelatedContact> = kept
                .iter()
                .filter(|r| {
                    direction == Direction::Relate || !others.iter().any(|o| o.as_str() == r.id)
                })
                .cloned()
                .collect();
            if direction == Direction::Relate {
                now.extend(changed.iter().map(|id| RelatedContact {
                    id: id.to_string(),
                    name: None,
                }));
            }
            now
        });
    }
    let is_related = |id: &ContactId| match &saved.related {
        Some(now) => now.iter().any(|r| r.id == id.as_str()),
        None => direction == Direction::Relate,
    };
    let (related, unrelated): (Vec<ContactId>, Vec<ContactId>) =
        others.iter().cloned().partition(|id| is_related(id));
    let refs =
        |ids: &[ContactId]| book.refs(&ids.iter().map(ContactId::to_string).collect::<Vec<_>>());
    let answer = RelationAnswer {
        contact: book.refs(std::slice::from_ref(&contact.id)).remove(0),
        changed: refs(&changed),
        unchanged: refs(&unchanged),
        related_now: saved.related.as_deref().map(|now| related_refs(&book, now)),
    };
    let summary = summary(
        direction,
        &contact.full_name,
        &answer,
        match direction {
            Direction::Relate => refs(&unrelated),
            Direction::Unrelate => refs(&related),
        },
    );
    Ok(Written {
        summary,
        change: AccountChange::Related(RelationChange {
            contact: saved,
            related: related.iter().map(ContactId::to_string).collect(),
            unrelated: unrelated.iter().map(ContactId::to_string).collect(),
        }),
        answer,
    })
}

/// One sentence: what changed, what already was so, and any contact
/// Dex's answer shows otherwise than asked (`contrary`).
fn summary(
    direction: Direction,
    own: &str,
    answer: &RelationAnswer,
    contrary: Vec<ContactRef>,
) -> String {
    let (verb, preposition, already) = match direction {
        Direction::Relate => ("Related", "to", "was already related to"),
        Direction::Unrelate => ("Unrelated", "from", "was not related to"),
    };
    let mut sentence = match (answer.changed.is_empty(), answer.unchanged.is_empty()) {
        (true, _) => format!(
            "{own} {already} {}: nothing changed.",
            names(&answer.unchanged)
        ),
        (false, true) => format!("{verb} {own} {preposition} {}.", names(&answer.changed)),
        (false, false) => format!(
            "{verb} {own} {preposition} {}; {own} {already} {}.",
            names(&answer.changed),
            names(&answer.unchanged)
        ),
    };
    if !contrary.is_empty() {
        sentence.push_str(&format!(
            " Dex's answer does not show the change for {}: check with get_contact_details.",
            names(&contrary)
        ));
    }
    sentence
}

/// The `related-contacts` export: WIT values into the adapter above and
/// its answer out; compiled for the component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use super::{Direction, RelationAnswer};
    use crate::component::Component;
    use crate::component::bindings::dex::crm::types as wit;
    use crate::component::bindings::exports::dex::crm::related_contacts as rc;
    use crate::component::convert::{contact_ref, tool_error};
    use crate::component::state::{account, record_write};
    use crate::component::transport::WasiHttp;
    use crate::dex::v1::V1Writer;
    use crate::settings::Settings;

    fn changed(
        direction: Direction,
        contact_id: String,
        related_ids: Vec<String>,
    ) -> Result<rc::RelationChange, wit::ToolError> {
        let settings = Settings::from_env_on_v1("relating contacts").map_err(tool_error)?;
        let writer = V1Writer::new(&settings.base_url, WasiHttp);
        let read = || account(&settings);
        let (answer, summary): (RelationAnswer, String) = record_write(super::change_relations(
            &writer,
            &read,
            direction,
            &contact_id,
            &related_ids,
        ))
        .map_err(tool_error)?;
        Ok(rc::RelationChange {
            contact: contact_ref(answer.contact),
            changed: answer.changed.into_iter().map(contact_ref).collect(),
            unchanged: answer.unchanged.into_iter().map(contact_ref).collect(),
            related_now: answer
                .related_now
                .map(|now| now.into_iter().map(contact_ref).collect()),
            summary,
        })
    }

    impl rc::Guest for Component {
        fn relate_contacts(
            contact_id: String,
            related_ids: Vec<String>,
        ) -> Result<rc::RelationChange, wit::ToolError> {
            changed(Direction::Relate, contact_id, related_ids)
        }

        fn unrelate_contacts(
            contact_id: String,
            related_ids: Vec<String>,
        ) -> Result<rc::RelationChange, wit::ToolError> {
            changed(Direction::Unrelate, contact_id, related_ids)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::model::Contact;
    use crate::snapshot::Snapshot;

    /// One write as sent: the contact, the ids appended, the ids removed.
    type Sent = (String, Vec<String>, Vec<String>);

    /// Answers each write with the contact holding what it asked, unless
    /// told to leave relations out, and records what was sent.
    #[derive(Default)]
    struct Dex {
        /// The contact's relations as Dex holds them before the write.
        held: Vec<&'static str>,
        /// Answer without `related_contacts`.
        silent: bool,
        sent: RefCell<Vec<Sent>>,
    }

    impl ContactRelations for Dex {
        fn change_relations(
            &self,
            contact: &ContactId,
            append: &[ContactId],
            remove: &[ContactId],
        ) -> Result<Contact, ToolError> {
            let strings =
                |ids: &[ContactId]| ids.iter().map(ContactId::to_string).collect::<Vec<_>>();
            self.sent
                .borrow_mut()
                .push((contact.to_string(), strings(append), strings(remove)));
            let mut now: Vec<String> = self.held.iter().map(|h| h.to_string()).collect();
            now.retain(|id| !remove.iter().any(|r| r.as_str() == id));
            for id in append {
                if !now.contains(&id.to_string()) {
                    now.push(id.to_string());
                }
            }
            Ok(Contact {
                id: contact.to_string(),
                full_name: "Ada".into(),
                related: (!self.silent).then(|| {
                    now.into_iter()
                        .map(|id| RelatedContact { id, name: None })
                        .collect()
                }),
                ..Contact::default()
            })
        }
    }

    fn person(id: &str, name: &str, related: Option<&[&str]>) -> Arc<Contact> {
        Arc::new(Contact {
            id: id.into(),
            full_name: name.into(),
            related: related.map(|ids| {
                ids.iter()
                    .map(|id| RelatedContact {
                        id: (*id).into(),
                        name: None,
                    })
                    .collect()
            }),
            ..Contact::default()
        })
    }

    fn account(ada_related: Option<&[&str]>) -> impl Fn() -> Result<Rc<Account>, ToolError> {
        let account = Rc::new(Account::index(
            Snapshot {
                contacts: vec![
                    person("ada", "Ada", ada_related),
                    person("bob", "Bob", Some(&["ada"])),
                    person("cy", "Cy", Some(&[])),
                ],
                ..Snapshot::default()
            },
            Duration::ZERO,
        ));
        move || Ok(account.clone())
    }

    fn ids(refs: &[ContactRef]) -> Vec<&str> {
        refs.iter().map(|r| r.id.as_str()).collect()
    }

    fn strings(raw: &[&str]) -> Vec<String> {
        raw.iter().map(|r| r.to_string()).collect()
    }

    #[test]
    fn relating_sends_every_contact_once_and_tells_new_from_already_related() {
        let dex = Dex {
            held: vec!["bob"],
            ..Dex::default()
        };
        let written = change_relations(
            &dex,
            &account(Some(&["bob"])),
            Direction::Relate,
            "ada",
            &strings(&["cy", "bob", "cy"]),
        )
        .unwrap();
        assert_eq!(
            *dex.sent.borrow(),
            [("ada".to_owned(), strings(&["cy", "bob"]), vec![])]
        );
        let answer = &written.answer;
        assert_eq!(ids(&answer.changed), ["cy"]);
        assert_eq!(ids(&answer.unchanged), ["bob"]);
        assert_eq!(ids(answer.related_now.as_ref().unwrap()), ["bob", "cy"]);
        assert_eq!(
            answer.related_now.as_ref().unwrap()[1].full_name.as_deref(),
            Some("Cy")
        );
        assert_eq!(
            written.summary,
            "Related Ada to Cy; Ada was already related to Bob."
        );
        match written.change {
            AccountChange::Related(change) => {
                assert_eq!(change.related, ["cy", "bob"]);
                assert!(change.unrelated.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unrelating_removes_and_says_which_were_not_related() {
        let dex = Dex {
            held: vec!["bob"],
            ..Dex::default()
        };
        let written = change_relations(
            &dex,
            &account(Some(&["bob"])),
            Direction::Unrelate,
            "ada",
            &strings(&["bob", "cy"]),
        )
        .unwrap();
        assert_eq!(
            *dex.sent.borrow(),
            [("ada".to_owned(), vec![], strings(&["bob", "cy"]))]
        );
        assert_eq!(ids(&written.answer.changed), ["bob"]);
        assert_eq!(ids(&written.answer.unchanged), ["cy"]);
        assert!(written.answer.related_now.as_ref().unwrap().is_empty());
        assert_eq!(
            written.summary,
            "Unrelated Ada from Bob; Ada was not related to Cy."
        );
        let again = change_relations(
            &Dex::default(),
            &account(Some(&[])),
            Direction::Unrelate,
            "ada",
            &strings(&["bob"]),
        )
        .unwrap();
        assert_eq!(
            again.summary,
            "Ada was not related to Bob: nothing changed."
        );
    }

    #[test]
    fn an_answer_without_relations_is_completed_from_the_account_or_left_unknown() {
        let dex = Dex {
            silent: true,
            ..Dex::default()
        };
        let written = change_relations(
            &dex,
            &account(Some(&["bob"])),
            Direction::Relate,
            "ada",
            &strings(&["cy"]),
        )
        .unwrap();
        assert_eq!(
            ids(written.answer.related_now.as_ref().unwrap()),
            ["bob", "cy"]
        );
        let unknown = change_relations(
            &dex,
            &account(None),
            Direction::Relate,
            "ada",
            &strings(&["cy"]),
        )
        .unwrap();
        assert_eq!(unknown.answer.related_now, None);
        assert_eq!(ids(&unknown.answer.changed), ["cy"]);
        assert_eq!(unknown.summary, "Related Ada to Cy.");
    }

    #[test]
    fn an_answer_contrary_to_the_request_is_said() {
        // Dex answers with relations that still hold bob after removing it.
        struct Stubborn;
        impl ContactRelations for Stubborn {
            fn change_relations(
                &self,
                contact: &ContactId,
                _: &[ContactId],
                _: &[ContactId],
            ) -> Result<Contact, ToolError> {
                Ok(Contact {
                    id: contact.to_string(),
                    related: Some(vec![RelatedContact {
                        id: "bob".into(),
                        name: None,
                    }]),
                    ..Contact::default()
                })
            }
        }
        let written = change_relations(
            &Stubborn,
            &account(Some(&["bob"])),
            Direction::Unrelate,
            "ada",
            &strings(&["bob"]),
        )
        .unwrap();
        assert!(
            written.summary.contains("does not show the change for Bob"),
            "{}",
            written.summary
        );
        match written.change {
            AccountChange::Related(change) => assert_eq!(change.related, ["bob"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn details_name_related_contacts_from_the_account_and_read_them_only_when_unknown() {
        let account = account(Some(&["bob"]))().unwrap();
        let book = ContactBook::new(&account.snapshot);
        let asked = RefCell::new(Vec::new());
        let read = |id: &ContactId| {
            asked.borrow_mut().push(id.to_string());
            Ok(Some(vec![
                RelatedContact {
                    id: "cy".into(),
                    name: None,
                },
                RelatedContact {
                    id: "zed".into(),
                    name: Some("Zed".into()),
                },
            ]))
        };
        let (kept, sentence) = related_of(&book, &person("ada", "Ada", Some(&["bob"])), &read);
        assert_eq!(ids(&kept.unwrap()), ["bob"]);
        assert_eq!(sentence, " Related to 1: Bob.");
        assert!(
            asked.borrow().is_empty(),
            "read though the account had them"
        );
        let (fetched, sentence) = related_of(&book, &person("ada", "Ada", None), &read);
        let fetched = fetched.unwrap();
        assert_eq!(
            fetched
                .iter()
                .map(|r| r.full_name.as_deref())
                .collect::<Vec<_>>(),
            [Some("Cy"), Some("Zed")],
            "named from the account, else as Dex sent it"
        );
        assert_eq!(sentence, " Related to 2: Cy, Zed.");
        assert_eq!(*asked.borrow(), ["ada"]);
        let failing = |_: &ContactId| Err(ToolError::new(ErrorKind::Upstream, "Dex is down"));
        let (none, sentence) = related_of(&book, &person("ada", "Ada", None), &failing);
        assert_eq!(none, None);
        assert_eq!(
            sentence,
            " Its related contacts could not be read (Dex is down)."
        );
        let many: Vec<&str> = vec!["bob"; 7];
        let (_, sentence) = related_of(&book, &person("ada", "Ada", Some(&many)), &failing);
        assert_eq!(
            sentence,
            " Related to 7: Bob, Bob, Bob, Bob, Bob and 2 more (related_contacts lists them all)."
        );
        let legacy = |_: &ContactId| Ok(None);
        assert_eq!(
            related_of(&book, &person("ada", "Ada", None), &legacy),
            (None, String::new())
        );
    }

    #[test]
    fn bad_ids_itself_and_unknown_contacts_are_refused_before_any_write() {
        let dex = Dex::default();
        let refused = |contact: &str, related: &[&str]| {
            change_relations(
                &dex,
                &account(Some(&[])),
                Direction::Relate,
                contact,
                &strings(related),
            )
            .unwrap_err()
        };
        assert_eq!(refused("ada", &[]).field.as_deref(), Some("related_ids"));
        assert_eq!(refused(" ", &["bob"]).field.as_deref(), Some("contact_id"));
        let itself = refused("ada", &["bob", "ada"]);
        assert!(itself.message.contains("itself"), "{}", itself.message);
        let many: Vec<String> = (0..=MAX_RELATED).map(|i| format!("c{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(refused("ada", &many).message.contains("at most 50"));
        let unknown = refused("ada", &["bob", "ghost", "nobody"]);
        assert_eq!(unknown.kind, ErrorKind::NotFound);
        assert!(
            unknown.message.contains("ghost, nobody"),
            "{}",
            unknown.message
        );
        assert_eq!(refused("ghost", &["bob"]).kind, ErrorKind::NotFound);
        assert!(dex.sent.borrow().is_empty());
    }
}
