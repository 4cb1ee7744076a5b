//! What a destructive write would take away, read from the cached
//! account, for the `confirmation-required` answer.

use crate::account::Account;
use crate::dex::ListKind;
use crate::history::instant_of;
use crate::model::{CompactText, Contact, ContactId, ErrorKind, NoteId, ReminderId, ToolError};
use crate::snapshot::Needs;

/// What a contact deletion or merge counts: the notes and reminders
/// linked to the contacts.
const LINKED_RECORDS: Needs = Needs {
    lists: &[ListKind::Notes, ListKind::Reminders],
    links: &[ListKind::Notes, ListKind::Reminders],
};

/// Appends, to a confirmation built from `needs`, why its counts or names
/// may fall short: a confirmation that said "0 notes" when Dex left the
/// notes' contacts out would let the user lose what they were not told of.
fn with_caveat(mut text: String, account: &Account, needs: &Needs) -> String {
    if let Some(reason) = account.snapshot.incomplete_reason(needs) {
        text.push_str(" This may not be all of it: ");
        text.push_str(&reason);
    }
    text
}

/// The first words of a text, for quoting a note or reminder.
fn quote(text: &str) -> String {
    const WORDS: usize = 12;
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > WORDS {
        format!("\"{} …\"", words[..WORDS].join(" "))
    } else {
        format!("\"{}\"", words.join(" "))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn contact<'a>(account: &'a Account, id: &ContactId) -> Result<&'a Contact, ToolError> {
    account
        .snapshot
        .contacts
        .iter()
        .find(|c| c.id == id.as_str())
        .map(|c| &**c)
        .ok_or_else(|| {
            ToolError::new(
                ErrorKind::NotFound,
                format!("Dex has no contact with id {id}; find it again with find_contact"),
            )
        })
}

fn name(contact: &Contact) -> String {
    if contact.full_name.trim().is_empty() {
        format!("the unnamed contact {}", contact.id)
    } else {
        contact.full_name.clone()
    }
}

/// Counts of the notes and reminders linked to `id`: only to it, and
/// shared with other contacts.
fn linked(account: &Account, id: &str) -> [(usize, usize); 2] {
    let count = |links: &mut dyn Iterator<Item = &Vec<CompactText>>| {
        let mut only = 0;
        let mut shared = 0;
        for ids in links.filter(|ids| ids.iter().any(|i| i == id)) {
            if ids.len() == 1 {
                only += 1;
            } else {
                shared += 1;
            }
        }
        (only, shared)
    };
    [
        count(&mut account.snapshot.notes.iter().map(|n| &n.contact_ids)),
        count(&mut account.snapshot.reminders.iter().map(|r| &r.contact_ids)),
    ]
}

/// What deleting contact `id` loses.
pub fn contact_deletion(account: &Account, id: &ContactId) -> Result<String, ToolError> {
    let contact = contact(account, id)?;
    let [(notes, shared_notes), (reminders, shared_reminders)] = linked(account, id.as_str());
    let mut text = format!(
        "Deleting {} ({id}) also deletes {} and {} linked only to them",
        name(contact),
        plural(notes, "note", "notes"),
        plural(reminders, "reminder", "reminders"),
    );
    if shared_notes + shared_reminders > 0 {
        text.push_str(&format!(
            "; {} and {} shared with other contacts lose the link",
            plural(shared_notes, "note", "notes"),
            plural(shared_reminders, "reminder", "reminders"),
        ));
    }
    text.push('.');
    Ok(with_caveat(text, account, &LINKED_RECORDS))
}

/// What deleting all of `ids` at once loses: a note or reminder linked
/// only to contacts of the batch goes with them, one also linked to a
/// contact that stays only loses its links.
pub fn contacts_deletion(account: &Account, ids: &[ContactId]) -> Result<String, ToolError> {
    const NAMED: usize = 10;
    let mut names = Vec::with_capacity(ids.len().min(NAMED));
    for id in ids {
        let found = contact(account, id)?;
        if names.len() < NAMED {
            names.push(name(found));
        }
    }
    if ids.len() > NAMED {
        names.push(format!("{} more", ids.len() - NAMED));
    }
    let in_batch = |i: &CompactText| ids.iter().any(|id| i == id.as_str());
    let count = |links: &mut dyn Iterator<Item = &Vec<CompactText>>| {
        let (mut lost, mut shared) = (0, 0);
        for linked in links.filter(|l| l.iter().any(in_batch)) {
            if linked.iter().all(in_batch) {
                lost += 1;
            } else {
                shared += 1;
            }
        }
        (lost, shared)
    };
    let snapshot = &account.snapshot;
    let (notes, shared_notes) = count(&mut snapshot.notes.iter().map(|n| &n.contact_ids));
    let (reminders, shared_reminders) =
        count(&mut snapshot.reminders.iter().map(|r| &r.contact_ids));
    let mut text = format!(
        "Deleting {} ({}) also deletes {} and {} linked only to them",
        plural(ids.len(), "contact", "contacts"),
        names.join(", "),
        plural(notes, "note", "notes"),
        plural(reminders, "reminder", "reminders"),
    );
    if shared_notes + shared_reminders > 0 {
        text.push_str(&format!(
            "; {} and {} shared with other contacts lose the link",
            plural(shared_notes, "note", "notes"),
            plural(shared_reminders, "reminder", "reminders"),
        ));
    }
    text.push('.');
    Ok(with_caveat(text, account, &LINKED_RECORDS))
}

/// What merging `duplicates` into `keep` changes.
pub fn merge(
    account: &Account,
    keep: &ContactId,
    duplicates: &[ContactId],
) -> Result<String, ToolError> {
    let kept = contact(account, keep)?;
    let mut gone = Vec::with_capacity(duplicates.len());
    for id in duplicates {
        let dup = contact(account, id)?;
        let [(notes, shared_notes), (reminders, shared_reminders)] = linked(account, id.as_str());
        gone.push(format!(
            "{} ({id}, {} and {})",
            name(dup),
            plural(notes + shared_notes, "note", "notes"),
            plural(reminders + shared_reminders, "reminder", "reminders"),
        ));
    }
    let mut text = format!(
        "Merging keeps {} ({keep}) and deletes {}: their notes and reminders move to {}, their emails and phones are added to it, and its empty fields are filled from them.",
        name(kept),
        gone.join(", "),
        name(kept),
    );
    if let Some(oldest) = oldest(account, keep, duplicates)
        && oldest.id != keep.as_str()
    {
        text.push_str(&format!(
            " Dex may keep the oldest record of the group instead, {} ({}); the answer will say which record it kept.",
            name(oldest),
            oldest.id
        ));
    }
    Ok(with_caveat(text, account, &LINKED_RECORDS))
}

/// The record of the group created first, when every one says when it
/// was created (Dex may keep that one whatever is asked).
fn oldest<'a>(account: &'a Account, keep: &ContactId, others: &[ContactId]) -> Option<&'a Contact> {
    let mut group = Vec::with_capacity(others.len() + 1);
    for id in std::iter::once(keep).chain(others) {
        let contact = contact(account, id).ok()?;
        let created = contact.created_at().as_deref().and_then(instant_of)?;
        group.push((created, contact));
    }
    // The first of equals wins, as the group is in the order asked.
    group
        .into_iter()
        .reduce(|a, b| if b.0 < a.0 { b } else { a })
        .map(|(_, contact)| contact)
}

/// What deleting note `id` loses.
pub fn note_deletion(account: &Account, id: &NoteId) -> Result<String, ToolError> {
    let note = account
        .snapshot
        .notes
        .iter()
        .find(|n| n.id == id.as_str())
        .ok_or_else(|| {
            ToolError::new(ErrorKind::NotFound, format!("Dex has no note with id {id}"))
        })?;
    let about = names(account, &note.contact_ids);
    let text = format!(
        "Deleting note {id} {}loses its text {}{}.",
        note.event_time()
            .as_deref()
            .map(|t| format!("(of {t}) "))
            .unwrap_or_default(),
        quote(&note.text),
        about,
    );
    const NEEDS: Needs = Needs {
        lists: &[],
        links: &[ListKind::Notes],
    };
    Ok(with_caveat(text, account, &NEEDS))
}

/// What deleting reminder `id` loses.
pub fn reminder_deletion(account: &Account, id: &ReminderId) -> Result<String, ToolError> {
    let reminder = account
        .snapshot
        .reminders
        .iter()
        .find(|r| r.id == id.as_str())
        .ok_or_else(|| {
            ToolError::new(
                ErrorKind::NotFound,
                format!("Dex has no reminder with id {id}"),
            )
        })?;
    const NEEDS: Needs = Needs {
        lists: &[],
        links: &[ListKind::Reminders],
    };
    let text = format!(
        "Deleting reminder {id} loses {}{}{}{}.",
        quote(&reminder.text),
        reminder
            .due_date()
            .map(|d| format!(", due {d}"))
            .unwrap_or_default(),
        reminder
            .recurrence
            .as_deref()
            .map(|r| format!(", repeating {r}"))
            .unwrap_or_default(),
        names(account, &reminder.contact_ids),
    );
    Ok(with_caveat(text, account, &NEEDS))
}

/// ` about Ada Lovelace and Bob` for linked contacts, by name when known.
fn names(account: &Account, ids: &[CompactText]) -> String {
    if ids.is_empty() {
        return String::new();
    }
    let names: Vec<String> = ids
        .iter()
        .map(|id| {
            account
                .snapshot
                .contacts
                .iter()
                .find(|c| *id == c.id)
                .map(|c| name(c))
                .unwrap_or_else(|| id.to_string())
        })
        .collect();
    format!(" about {}", names.join(" and "))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::model::{Note, Reminder};
    use crate::snapshot::Snapshot;

    fn account() -> Account {
        let person = |id: &str, name: &str| {
            Arc::new(Contact {
                id: id.into(),
                full_name: name.into(),
                ..Contact::default()
            })
        };
        let note = |id: &str, links: &[&str]| {
            Arc::new(Note {
                id: id.into(),
                text: format!("note {id}").into(),
                contact_ids: links.iter().map(|l| (*l).into()).collect(),
                ..Note::default()
            })
        };
        let snapshot = Snapshot {
            contacts: vec![
                person("c1", "Ada Lovelace"),
                person("c2", "Charles Babbage"),
            ],
            notes: vec![
                note("n1", &["c1"]),
                note("n2", &["c1"]),
                note("n3", &["c1", "c2"]),
            ],
            reminders: vec![Arc::new(Reminder {
                id: "r1".into(),
                text: "Send the paper".into(),
                due_date: Some("2025-01-02".into()),
                contact_ids: vec!["c1".into()],
                ..Reminder::default()
            })],
            ..Snapshot::default()
        };
        Account::index(snapshot, Duration::ZERO)
    }

    fn id(raw: &str) -> ContactId {
        ContactId::parse("contact-id", raw).unwrap()
    }

    #[test]
    fn a_contact_deletion_names_the_contact_and_counts_what_goes_with_it() {
        let text = contact_deletion(&account(), &id("c1")).unwrap();
        assert!(text.contains("Ada Lovelace"), "{text}");
        assert!(
            text.contains("2 notes and 1 reminder linked only"),
            "{text}"
        );
        assert!(text.contains("1 note and 0 reminders shared"), "{text}");
    }

    #[test]
    fn a_batch_deletion_counts_a_note_shared_only_within_it_as_lost() {
        let text = contacts_deletion(&account(), &[id("c1"), id("c2")]).unwrap();
        assert!(
            text.contains("2 contacts (Ada Lovelace, Charles Babbage)"),
            "{text}"
        );
        assert!(
            text.contains("3 notes and 1 reminder linked only"),
            "{text}"
        );
        assert!(!text.contains("shared"), "{text}");
        let one = contacts_deletion(&account(), &[id("c2")]).unwrap();
        assert!(one.contains("0 notes and 0 reminders linked only"), "{one}");
        assert!(one.contains("1 note and 0 reminders shared"), "{one}");
        let unknown = contacts_deletion(&account(), &[id("c1"), id("nobody")]).unwrap_err();
        assert_eq!(unknown.kind, ErrorKind::NotFound);
    }

    #[test]
    fn an_unknown_contact_is_not_found() {
        let err = contact_deletion(&account(), &id("nobody")).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
    }

    #[test]
    fn a_merge_names_who_is_kept_and_who_goes() {
        let text = merge(&account(), &id("c2"), &[id("c1")]).unwrap();
        assert!(
            text.starts_with("Merging keeps Charles Babbage (c2)"),
            "{text}"
        );
        assert!(
            text.contains("Ada Lovelace (c1, 3 notes and 1 reminder)"),
            "{text}"
        );
        assert!(!text.contains("oldest"), "no creation times known: {text}");
    }

    #[test]
    fn a_merge_that_keeps_a_newer_record_warns_dex_may_keep_the_oldest() {
        let mut snapshot = account().snapshot.clone();
        let dated = |c: &Arc<Contact>, at: &str| {
            Arc::new(Contact {
                created_at: Some(at.into()),
                ..(**c).clone()
            })
        };
        snapshot.contacts = vec![
            dated(&snapshot.contacts[0], "2021-05-01T10:00:00Z"),
            dated(&snapshot.contacts[1], "2024-01-01T00:00:00.000Z"),
        ];
        let account = Account::index(snapshot, Duration::ZERO);
        let text = merge(&account, &id("c2"), &[id("c1")]).unwrap();
        assert!(
            text.contains("Dex may keep the oldest record of the group instead, Ada Lovelace (c1)"),
            "{text}"
        );
        let text = merge(&account, &id("c1"), &[id("c2")]).unwrap();
        assert!(!text.contains("oldest"), "{text}");
    }

    #[test]
    fn note_and_reminder_deletions_quote_the_text_and_name_the_contacts() {
        let account = account();
        let note = note_deletion(&account, &NoteId::parse("note-id", "n3").unwrap()).unwrap();
        assert!(note.contains("\"note n3\""), "{note}");
        assert!(
            note.contains("about Ada Lovelace and Charles Babbage"),
            "{note}"
        );
        let reminder =
            reminder_deletion(&account, &ReminderId::parse("reminder-id", "r1").unwrap()).unwrap();
        assert!(
            reminder.contains("\"Send the paper\", due 2025-01-02"),
            "{reminder}"
        );
    }

    #[test]
    fn confirmations_counted_from_missing_links_say_they_may_fall_short() {
        let mut snapshot = account().snapshot.clone();
        snapshot.link_gaps.push(crate::snapshot::LinkGap {
            list: ListKind::Notes,
            reason: "Dex left the notes' contacts out".into(),
        });
        let account = Account::index(snapshot, Duration::ZERO);
        for text in [
            contact_deletion(&account, &id("c1")).unwrap(),
            merge(&account, &id("c2"), &[id("c1")]).unwrap(),
            note_deletion(&account, &NoteId::parse("note-id", "n3").unwrap()).unwrap(),
        ] {
            assert!(
                text.contains("This may not be all of it: Dex left the notes' contacts out."),
                "{text}"
            );
        }
        let reminder =
            reminder_deletion(&account, &ReminderId::parse("reminder-id", "r1").unwrap()).unwrap();
        assert!(
            !reminder.contains("may not be all"),
            "reminders' links are whole: {reminder}"
        );
        let whole = contact_deletion(&self::account(), &id("c1")).unwrap();
        assert!(!whole.contains("may not be all"), "{whole}");
    }
}
