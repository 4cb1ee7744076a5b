//! Links a bulk list left out: noticed while reading, filled after.
//!
//! The snapshot needs each contact's emails and phones (to find people by
//! them) and each note's and reminder's contacts (to tell whose history
//! they are). The lists are asked for them (`include`), but a Dex that
//! leaves them out anyway must not give an account that looks complete
//! and is not. So pages that came without links are remembered, and once
//! the lists are read the missing links are filled by the cheapest means
//! that is correct: per-contact reads, which cost one request per contact
//! (`docs/benchmarks.md`, "Links left out of lists", has the counts of
//! each option at 10,000 contacts). Those are affordable for a small
//! account only; above [`FILL_BUDGET`] requests a gap is left as it is,
//! and recorded ([`LinkGap`]) so that every answer that depends on it
//! says so.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::Snapshot;
use crate::dex::{AccountLists, LinkedRecords, ListKind, ListPage, PageItems};
use crate::model::CompactText;

/// Most requests a snapshot spends filling links: with the pages of a
/// small account, well inside the host's default cap on requests per call
/// (500), which a fill that does not fit would hit half-way.
pub const FILL_BUDGET: usize = 300;

/// Links of one list that the snapshot lacks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkGap {
    /// The list whose records lack them.
    pub list: ListKind,
    /// Why, in a sentence for the assistant.
    pub reason: String,
}

/// The records read from pages that came without their links.
#[derive(Debug, Default)]
pub(super) struct Unlinked {
    contacts: HashSet<String>,
    notes: HashSet<String>,
    reminders: HashSet<String>,
}

impl Unlinked {
    /// Remembers the records of `page` when it came without links.
    pub(super) fn note(&mut self, page: &ListPage) {
        if !page.links_missing {
            return;
        }
        match &page.items {
            PageItems::Contacts(c) => self.contacts.extend(c.iter().map(|c| c.id.clone())),
            PageItems::Notes(n) => self.notes.extend(n.iter().map(|n| n.id.to_string())),
            PageItems::Reminders(r) => self.reminders.extend(r.iter().map(|r| r.id.to_string())),
        }
    }

    fn is_empty(&self) -> bool {
        self.contacts.is_empty() && self.notes.is_empty() && self.reminders.is_empty()
    }
}

/// What the links of `list` are, for messages.
fn what(list: ListKind) -> &'static str {
    match list {
        ListKind::Contacts => "contacts' emails and phone numbers",
        ListKind::Notes => "contacts each note is about",
        ListKind::Reminders => "contacts each reminder is about",
    }
}

/// Fills what `unlinked` lacks through `lists`, within [`FILL_BUDGET`]
/// requests, and records in `snapshot.link_gaps` what stays unfilled.
pub(super) fn fill(lists: &dyn AccountLists, snapshot: &mut Snapshot, unlinked: Unlinked) {
    if unlinked.is_empty() {
        return;
    }
    let mut budget = FILL_BUDGET;
    let contact_ids: Vec<String> = snapshot.contacts.iter().map(|c| c.id.clone()).collect();
    let wanted = [
        (ListKind::Contacts, unlinked.contacts),
        (ListKind::Notes, unlinked.notes),
        (ListKind::Reminders, unlinked.reminders),
    ];
    for (list, ids) in wanted {
        if ids.is_empty() {
            continue;
        }
        // Contacts are read one by one; a note's or reminder's contacts by
        // reading each contact's notes or reminders.
        let cost = match list {
            ListKind::Contacts => ids.len(),
            _ => contact_ids.len(),
        };
        let gap = |reason: String| LinkGap { list, reason };
        if !lists.can_fill_links() {
            snapshot.link_gaps.push(gap(format!(
                "Dex's {} list came without the {}",
                list.noun(),
                what(list)
            )));
            continue;
        }
        if cost > budget {
            snapshot.link_gaps.push(gap(format!(
                "Dex's {} list came without the {}, and reading them one contact at a time \
                 would take {cost} requests, more than the {FILL_BUDGET} one answer may spend",
                list.noun(),
                what(list)
            )));
            continue;
        }
        budget -= cost;
        let outcome = match list {
            ListKind::Contacts => fill_contacts(lists, snapshot, &ids),
            _ => fill_records(lists, snapshot, list, &contact_ids, &ids),
        };
        if let Err(why) = outcome {
            snapshot.link_gaps.push(gap(format!(
                "Dex's {} list came without the {}, and reading them one contact at a time \
                 failed: {why}",
                list.noun(),
                what(list)
            )));
        }
    }
}

/// Replaces the contacts of `ids` by their whole records.
fn fill_contacts(
    lists: &dyn AccountLists,
    snapshot: &mut Snapshot,
    ids: &HashSet<String>,
) -> Result<(), String> {
    let asked: Vec<&str> = snapshot
        .contacts
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| ids.contains(*id))
        .collect();
    let mut read: HashMap<String, Arc<crate::model::Contact>> = HashMap::new();
    for (id, answer) in asked.iter().zip(lists.contacts_by_id(&asked)) {
        let contact = answer.map_err(|e| e.message)?;
        read.insert((*id).to_owned(), Arc::new(contact));
    }
    for slot in &mut snapshot.contacts {
        if let Some(whole) = read.remove(&slot.id) {
            *slot = whole;
        }
    }
    Ok(())
}

/// Gives the notes or reminders of `ids` their contacts, from each
/// contact's own list of them.
fn fill_records(
    lists: &dyn AccountLists,
    snapshot: &mut Snapshot,
    list: ListKind,
    contact_ids: &[String],
    ids: &HashSet<String>,
) -> Result<(), String> {
    let asked: Vec<&str> = contact_ids.iter().map(String::as_str).collect();
    let mut about: HashMap<String, Vec<CompactText>> = HashMap::new();
    for (contact, answer) in asked.iter().zip(lists.linked_to(list, &asked)) {
        match answer.map_err(|e| e.message)? {
            LinkedRecords::Ids(records) => {
                for record in records {
                    about
                        .entry(record)
                        .or_default()
                        .push(CompactText::new(contact));
                }
            }
            LinkedRecords::TooMany => {
                return Err(format!(
                    "contact {contact} has more {} than one answer holds",
                    list.noun()
                ));
            }
        }
    }
    let mut linked = |id: &str, contacts: &mut Vec<CompactText>| {
        if ids.contains(id)
            && let Some(found) = about.remove(id)
        {
            *contacts = found;
            contacts.shrink_to_fit();
        }
    };
    match list {
        ListKind::Notes => {
            for note in &mut snapshot.notes {
                if ids.contains(&*note.id.as_text()) {
                    let note = Arc::make_mut(note);
                    linked(&note.id.to_string(), &mut note.contact_ids);
                }
            }
        }
        ListKind::Reminders => {
            for reminder in &mut snapshot.reminders {
                if ids.contains(&*reminder.id.as_text()) {
                    let reminder = Arc::make_mut(reminder);
                    linked(&reminder.id.to_string(), &mut reminder.contact_ids);
                }
            }
        }
        ListKind::Contacts => {}
    }
    Ok(())
}
