//! Applying a write the tools made to the kept [`Account`], so the next
//! read sees it without reading the account again.
//!
//! Dex's answer to a write is the record as stored, so applying it is
//! exact for the record itself. Side effects Dex applies to other records
//! (a deleted contact's notes, a merge moving notes and reminders) are
//! mirrored here as `docs/dex-api.md` and the simulator describe them.

use std::sync::Arc;

use super::Account;
use super::label_changes::LabelChange;
use super::relation_changes::RelationChange;
use crate::matching::ContactMatcher;
use crate::model::{CompactText, Contact, Note, Reminder};
use crate::search::{Record, RecordKind};

/// One write, as Dex confirmed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountChange {
    /// A contact created or changed: Dex's record after the write.
    ContactSaved(Contact),
    /// A contact deleted, with the notes and reminders only about it.
    ContactDeleted(String),
    /// Duplicates merged into `kept`; their notes and reminders move to it.
    ContactsMerged {
        /// The kept contact after the merge.
        kept: Contact,
        /// The ids of the duplicates, now deleted.
        removed: Vec<String>,
    },
    /// Several contacts changed at once (archived, starred): Dex's
    /// records after the writes.
    ContactsSaved(Vec<Contact>),
    /// Several contacts deleted at once, with the notes and reminders
    /// only about them (a note about two deleted contacts goes too).
    ContactsDeleted(Vec<String>),
    /// A batch write whose outcome is unknown for some of its records (a
    /// lost answer): nothing can be applied with certainty, so the kept
    /// account is dropped and the next read asks Dex
    /// (`component::state::record_write`). Applying it changes nothing.
    Unsettled,
    /// A create answered from its idempotency key: it was applied when it
    /// was first made, and applying its old record again could undo a
    /// later change, so nothing changes.
    Replayed,
    /// A note created or changed.
    NoteSaved(Note),
    /// A note deleted.
    NoteDeleted(String),
    /// A reminder created or changed.
    ReminderSaved(Reminder),
    /// A reminder deleted.
    ReminderDeleted(String),
    /// A tag or group written: put on or taken off contacts, renamed,
    /// deleted or created.
    Labels(LabelChange),
    /// A custom field written: values set or cleared, renamed, deleted or
    /// defined.
    CustomFields(super::CustomFieldChange),
    /// A contact related to or unrelated from others.
    Related(RelationChange),
}

/// Replaces the item with `id` in `items` or appends `item`.
fn put<T, Id: PartialEq + ?Sized>(items: &mut Vec<Arc<T>>, id: impl Fn(&T) -> &Id, item: Arc<T>) {
    match items.iter_mut().find(|i| id(i) == id(&item)) {
        Some(slot) => *slot = item,
        None => items.push(item),
    }
}

impl Account {
    /// Applies `change` to the snapshot, the search index and the matcher.
    pub fn apply(&mut self, change: AccountChange) {
        match change {
            AccountChange::ContactSaved(contact) => {
                self.save_contact(contact);
                self.rebuild_contacts();
            }
            AccountChange::ContactDeleted(id) => {
                self.forget_contact(&id, None);
                self.rebuild_contacts();
            }
            AccountChange::ContactsMerged { kept, removed } => {
                for id in &removed {
                    self.forget_contact(id, Some(&kept.id));
                }
                self.save_contact(kept);
                self.rebuild_contacts();
            }
            AccountChange::ContactsSaved(contacts) => {
                for contact in contacts {
                    self.save_contact(contact);
                }
                self.rebuild_contacts();
            }
            AccountChange::ContactsDeleted(ids) => {
                for id in &ids {
                    self.forget_contact(id, None);
                }
                self.rebuild_contacts();
            }
            AccountChange::Unsettled | AccountChange::Replayed => {}
            AccountChange::NoteSaved(note) => {
                let note = Arc::new(note);
                put(&mut self.snapshot.notes, |n| &n.id, note.clone());
                if let Some(index) = self.built_search_index() {
                    index.upsert(Record::Note(note));
                }
            }
            AccountChange::NoteDeleted(id) => self.remove_note(&id),
            AccountChange::ReminderSaved(reminder) => {
                let reminder = Arc::new(reminder);
                put(&mut self.snapshot.reminders, |r| &r.id, reminder.clone());
                if let Some(index) = self.built_search_index() {
                    index.upsert(Record::Reminder(reminder));
                }
            }
            AccountChange::ReminderDeleted(id) => self.remove_reminder(&id),
            AccountChange::Labels(change) => self.apply_labels(change),
            AccountChange::CustomFields(change) => self.apply_custom_fields(change),
            AccountChange::Related(change) => self.apply_relations(change),
        }
    }

    /// Saves each of `changed` (contacts a batch edit changed), then
    /// rebuilds the contact list and matcher once for all of them.
    pub(super) fn save_contacts(&mut self, changed: Vec<Contact>) {
        if changed.is_empty() {
            return;
        }
        for contact in changed {
            self.save_contact(contact);
        }
        self.rebuild_contacts();
    }

    pub(super) fn save_contact(&mut self, contact: Contact) {
        let contact = Arc::new(contact);
        put(&mut self.snapshot.contacts, |c| &c.id, contact.clone());
        if let Some(index) = self.built_search_index() {
            index.upsert(Record::Contact(contact));
        }
    }

    /// Takes contact `id` out, with the notes and reminders only about it;
    /// shared ones lose the link, or are moved to `moved_to` (a merge).
    fn forget_contact(&mut self, id: &str, moved_to: Option<&str>) {
        self.snapshot.contacts.retain(|c| c.id != id);
        if let Some(index) = self.built_search_index() {
            index.remove(RecordKind::Contact, id);
        }
        let relink = |ids: &[CompactText]| -> Option<Vec<CompactText>> {
            if !ids.iter().any(|i| i == id) {
                return None;
            }
            let mut out: Vec<CompactText> = Vec::with_capacity(ids.len());
            for i in ids {
                let i = if i == id {
                    moved_to.map(CompactText::new)
                } else {
                    Some(i.clone())
                };
                if let Some(i) = i
                    && !out.contains(&i)
                {
                    out.push(i);
                }
            }
            Some(out)
        };
        let notes: Vec<(CompactText, Option<Vec<CompactText>>)> = self
            .snapshot
            .notes
            .iter()
            .map(|n| (n.id.clone(), relink(&n.contact_ids)))
            .collect();
        for (note_id, links) in notes {
            match links {
                Some(links) if links.is_empty() => self.remove_note(&note_id.as_text()),
                Some(links) => {
                    if let Some(note) = self.snapshot.notes.iter().find(|n| n.id == note_id) {
                        let note = Arc::new(Note {
                            contact_ids: links,
                            ..(**note).clone()
                        });
                        put(&mut self.snapshot.notes, |n| &n.id, note.clone());
                        if let Some(index) = self.built_search_index() {
                            index.upsert(Record::Note(note));
                        }
                    }
                }
                None => {}
            }
        }
        let reminders: Vec<(CompactText, Option<Vec<CompactText>>)> = self
            .snapshot
            .reminders
            .iter()
            .map(|r| (r.id.clone(), relink(&r.contact_ids)))
            .collect();
        for (reminder_id, links) in reminders {
            match links {
                Some(links) if links.is_empty() => self.remove_reminder(&reminder_id.as_text()),
                Some(links) => {
                    if let Some(r) = self.snapshot.reminders.iter().find(|r| r.id == reminder_id) {
                        let reminder = Arc::new(Reminder {
                            contact_ids: links,
                            ..(**r).clone()
                        });
                        put(&mut self.snapshot.reminders, |r| &r.id, reminder.clone());
                        if let Some(index) = self.built_search_index() {
                            index.upsert(Record::Reminder(reminder));
                        }
                    }
                }
                None => {}
            }
        }
    }

    fn remove_note(&mut self, id: &str) {
        self.snapshot.notes.retain(|n| n.id != id);
        if let Some(index) = self.built_search_index() {
            index.remove(RecordKind::Note, id);
        }
    }

    fn remove_reminder(&mut self, id: &str) {
        self.snapshot.reminders.retain(|r| r.id != id);
        if let Some(index) = self.built_search_index() {
            index.remove(RecordKind::Reminder, id);
        }
    }

    /// The shared contact list and the matcher, which has no single-record
    /// update, rebuilt from the snapshot's contacts.
    pub(super) fn rebuild_contacts(&mut self) {
        self.contacts = self.snapshot.contacts.iter().cloned().collect();
        self.matcher = Arc::new(ContactMatcher::new(&self.contacts));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::matching::MatchQuery;
    use crate::snapshot::Snapshot;

    fn contact(id: &str, first: &str, last: &str) -> Contact {
        Contact {
            id: id.into(),
            full_name: format!("{first} {last}"),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            ..Contact::default()
        }
    }

    fn note(id: &str, text: &str, contacts: &[&str]) -> Note {
        Note {
            id: id.into(),
            text: text.into(),
            contact_ids: contacts.iter().map(|c| (*c).into()).collect(),
            ..Note::default()
        }
    }

    fn account() -> Account {
        let snapshot = Snapshot {
            contacts: vec![
                Arc::new(contact("c1", "Ada", "Lovelace")),
                Arc::new(contact("c2", "Charles", "Babbage")),
            ],
            notes: vec![
                Arc::new(note("n1", "engine plans", &["c1"])),
                Arc::new(note("n2", "shared dinner", &["c1", "c2"])),
            ],
            ..Snapshot::default()
        };
        let account = Account::index(snapshot, Duration::ZERO);
        // Built now, so that the tests see each change applied to it.
        account.build_search_index();
        account
    }

    fn names_found(account: &Account, name: &str) -> Vec<String> {
        let query = MatchQuery {
            name: Some(name.into()),
            ..MatchQuery::default()
        };
        account
            .matcher
            .find(&query)
            .into_iter()
            .map(|s| s.contact.id.clone())
            .collect()
    }

    #[test]
    fn a_created_contact_is_found_by_name_and_by_search() {
        let mut account = account();
        account.apply(AccountChange::ContactSaved(contact(
            "c3", "Grace", "Hopper",
        )));
        assert_eq!(names_found(&account, "Grace Hopper"), ["c3"]);
        assert!(
            account
                .search_index()
                .get(RecordKind::Contact, "c3")
                .is_some()
        );
        assert_eq!(account.snapshot.contacts.len(), 3);
    }

    #[test]
    fn an_index_built_after_a_change_has_the_change() {
        let mut account = Account::index(account().snapshot.clone(), Duration::ZERO);
        account.apply(AccountChange::ContactSaved(contact(
            "c3", "Grace", "Hopper",
        )));
        account.apply(AccountChange::NoteDeleted("n1".into()));
        let index = account.search_index();
        assert!(index.get(RecordKind::Contact, "c3").is_some());
        assert!(index.get(RecordKind::Note, "n1").is_none());
    }

    #[test]
    fn a_deleted_contact_takes_its_own_notes_and_unlinks_shared_ones() {
        let mut account = account();
        account.apply(AccountChange::ContactDeleted("c1".into()));
        assert!(names_found(&account, "Ada Lovelace").is_empty());
        assert!(account.search_index().get(RecordKind::Note, "n1").is_none());
        let shared = account
            .snapshot
            .notes
            .iter()
            .find(|n| n.id == "n2")
            .unwrap();
        assert_eq!(shared.contact_ids, ["c2"]);
    }

    #[test]
    fn contacts_deleted_together_take_the_notes_they_alone_shared() {
        let mut account = account();
        account.apply(AccountChange::ContactsDeleted(vec![
            "c1".into(),
            "c2".into(),
        ]));
        assert!(account.snapshot.contacts.is_empty());
        assert!(account.snapshot.notes.is_empty());
        assert!(names_found(&account, "Charles Babbage").is_empty());
    }

    #[test]
    fn contacts_saved_together_are_each_replaced() {
        let mut account = account();
        let mut ada = contact("c1", "Ada", "Lovelace");
        ada.archived = true;
        let mut charles = contact("c2", "Charles", "Babbage");
        charles.starred = true;
        account.apply(AccountChange::ContactsSaved(vec![ada, charles]));
        let flags: Vec<(bool, bool)> = account
            .snapshot
            .contacts
            .iter()
            .map(|c| (c.archived, c.starred))
            .collect();
        assert_eq!(flags, [(true, false), (false, true)]);
        assert_eq!(account.contacts.len(), 2);
    }

    #[test]
    fn a_merge_moves_notes_to_the_kept_contact_without_linking_it_twice() {
        let mut account = account();
        account.apply(AccountChange::ContactsMerged {
            kept: contact("c2", "Charles", "Babbage"),
            removed: vec!["c1".into()],
        });
        assert_eq!(account.snapshot.contacts.len(), 1);
        let links: Vec<_> = account
            .snapshot
            .notes
            .iter()
            .map(|n| n.contact_ids.clone())
            .collect();
        assert_eq!(links, [vec!["c2".to_owned()], vec!["c2".to_owned()]]);
    }

    #[test]
    fn notes_and_reminders_are_upserted_and_removed() {
        let mut account = account();
        account.apply(AccountChange::NoteSaved(note("n1", "new plans", &["c1"])));
        account.apply(AccountChange::ReminderSaved(Reminder {
            id: "r1".into(),
            text: "call".into(),
            ..Reminder::default()
        }));
        assert_eq!(account.snapshot.notes.len(), 2);
        assert!(matches!(
            account.search_index().get(RecordKind::Note, "n1"),
            Some(Record::Note(n)) if &*n.text == "new plans"
        ));
        account.apply(AccountChange::NoteDeleted("n2".into()));
        account.apply(AccountChange::ReminderDeleted("r1".into()));
        assert_eq!(account.snapshot.notes.len(), 1);
        assert!(account.snapshot.reminders.is_empty());
        assert!(
            account
                .search_index()
                .get(RecordKind::Reminder, "r1")
                .is_none()
        );
    }
}
