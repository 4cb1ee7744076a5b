//! Deterministic synthetic accounts.
//!
//! Everything is drawn from one ChaCha generator seeded with the caller's
//! seed and dated relative to the caller's "today", so the same arguments
//! give the same dataset on every machine and every run.

mod people;
mod phones;
mod timeline;
mod vocab;

use std::collections::HashMap;

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use phones::sanitize as sanitize_phone;

use crate::dataset::Dataset;
use crate::model::{Note, Reminder, User};
use people::Person;

/// A generated dataset with the facts the generator planted in it, so that
/// tests and evaluation sets can ask about them without re-deriving them.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The data.
    pub dataset: Dataset,
    /// What was planted.
    pub facts: SeedFacts,
}

/// Planted facts about a generated dataset.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeedFacts {
    /// Pairs of (original contact id, near-duplicate contact id): the same
    /// person entered twice, with an unaccented spelling, a nickname, or a
    /// different email.
    pub near_duplicates: Vec<(String, String)>,
    /// Contacts who go by a nickname, and the nickname their notes and
    /// reminders often use instead of the first name.
    pub nicknames: Vec<(String, String)>,
    /// Pairs of related contacts (source, destination): people sharing a
    /// surname, as family members would.
    pub related: Vec<(String, String)>,
}

// The generator is what makes a synthetic dataset, so the constructor
// lives here: `dataset` knows the data's shape and nothing of how it is
// generated.
impl Dataset {
    /// A deterministic synthetic account: `contacts` people with about five
    /// notes and two reminders each, dated around `today`.
    ///
    /// The same arguments always give the same dataset. See
    /// [`generate`] for the facts the generator planted
    /// (nicknames, near-duplicates) alongside the data.
    pub fn generate(seed: u64, contacts: usize, today: NaiveDate) -> Dataset {
        generate(seed, contacts, today).dataset
    }
}

/// Generates `contacts` people (plus about 1% near-duplicates among them,
/// counted in `contacts`), about 5 notes and 2 reminders per person.
pub fn generate(seed: u64, contacts: usize, today: NaiveDate) -> Generated {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let labels = people::labels(&mut rng);
    let duplicates = if contacts >= 20 {
        contacts / 100 + 1
    } else {
        0
    };
    let originals = contacts - duplicates;

    let mut persons: Vec<Person> = (0..originals)
        .map(|serial| people::person(&mut rng, serial, today, &labels))
        .collect();
    let mut facts = SeedFacts::default();
    for _ in 0..duplicates {
        let source = rng.random_range(0..originals);
        let copy = people::near_duplicate(&mut rng, &persons[source], today);
        facts
            .near_duplicates
            .push((persons[source].contact.id.clone(), copy.contact.id.clone()));
        // Somewhere in the list rather than at its end, as real duplicates are.
        let at = rng.random_range(0..=persons.len());
        persons.insert(at, copy);
    }
    for person in &persons {
        if let Some(nick) = person.nickname {
            facts
                .nicknames
                .push((person.contact.id.clone(), nick.to_owned()));
        }
    }

    let mut notes = Vec::with_capacity(contacts * 5);
    let mut reminders = Vec::with_capacity(contacts * 2);
    if !persons.is_empty() {
        for subject in 0..persons.len() {
            for _ in 0..rng.random_range(0..=10) {
                notes.push(timeline::note(&mut rng, &persons, subject, today));
            }
            for _ in 0..rng.random_range(0..=4) {
                reminders.push(timeline::reminder(&mut rng, &persons, subject, today));
            }
        }
    }

    let mut contacts: Vec<_> = persons.into_iter().map(|p| p.contact).collect();
    derive_contact_dates(&mut contacts, &notes, &reminders);
    facts.related = relate_families(seed, &mut contacts, &facts.near_duplicates);
    Generated {
        dataset: Dataset {
            contacts,
            notes,
            reminders,
            tags: labels.tags,
            groups: labels.groups,
            custom_fields: labels.custom_fields,
            user: Some(User {
                id: crate::ids::new_id(&mut rng),
                email: "avery.quinn@example.com".to_owned(),
                first_name: "Avery".to_owned(),
                last_name: "Quinn".to_owned(),
                time_zone: "Europe/Berlin".to_owned(),
            }),
        },
        facts,
    }
}

/// Relates contacts that share a surname, each to the next one of that
/// surname, up to one pair per 25 contacts, leaving out near-duplicates
/// (one person twice is no family). Row ids come from a generator of
/// their own, so the rest of the dataset is what it was before relations
/// were seeded.
fn relate_families(
    seed: u64,
    contacts: &mut [crate::model::Contact],
    near_duplicates: &[(String, String)],
) -> Vec<(String, String)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7e1a_7ed5);
    let mut last_of: HashMap<String, usize> = HashMap::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (i, contact) in contacts.iter().enumerate() {
        if pairs.len() >= contacts.len() / 25 {
            break;
        }
        let Some(surname) = contact.last_name.clone() else {
            continue;
        };
        if let Some(&j) = last_of.get(&surname) {
            let (a, b) = (&contacts[j].id, &contact.id);
            let twice = near_duplicates
                .iter()
                .any(|(x, y)| (x == a && y == b) || (x == b && y == a));
            if !twice {
                pairs.push((j, i));
            }
        }
        last_of.insert(surname, i);
    }
    pairs
        .into_iter()
        .map(|(source, destination)| {
            let row = crate::model::RelatedContactRow {
                id: crate::ids::new_id(&mut rng),
                source: contacts[source].id.clone(),
                destination: contacts[destination].id.clone(),
            };
            contacts[source].related_contacts.push(row.clone());
            contacts[destination].related_contacts.push(row.clone());
            (row.source, row.destination)
        })
        .collect()
}

/// Sets `last_seen_at` from each contact's latest note and
/// `next_reminder_at` from its earliest open reminder, as Dex shows them.
fn derive_contact_dates(
    contacts: &mut [crate::model::Contact],
    notes: &[Note],
    reminders: &[Reminder],
) {
    let mut last_seen: HashMap<&str, &str> = HashMap::new();
    for note in notes {
        for link in &note.timeline_items_contacts {
            let entry = last_seen
                .entry(&link.contact_id)
                .or_insert(&note.event_time);
            if note.event_time.as_str() > *entry {
                *entry = &note.event_time;
            }
        }
    }
    let mut next_due: HashMap<&str, &str> = HashMap::new();
    for reminder in reminders {
        let Some(due) = reminder.next_occurrence_at.as_deref() else {
            continue;
        };
        for link in &reminder.reminders_contacts {
            let entry = next_due.entry(&link.contact_id).or_insert(due);
            if due < *entry {
                *entry = due;
            }
        }
    }
    for contact in contacts {
        contact.last_seen_at = last_seen.get(contact.id.as_str()).map(|s| s.to_string());
        contact.next_reminder_at = next_due.get(contact.id.as_str()).map(|s| s.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    #[test]
    fn generates_the_requested_number_of_contacts() {
        let generated = generate(1, 200, today());
        assert_eq!(generated.dataset.contacts.len(), 200);
        assert!(!generated.facts.near_duplicates.is_empty());
    }

    #[test]
    fn averages_about_five_notes_and_two_reminders_per_contact() {
        let data = generate(2, 500, today()).dataset;
        let notes = data.notes.len() as f64 / 500.0;
        let reminders = data.reminders.len() as f64 / 500.0;
        assert!((4.0..6.0).contains(&notes), "{notes}");
        assert!((1.5..2.5).contains(&reminders), "{reminders}");
    }

    #[test]
    fn generated_dataset_is_consistent() {
        generate(3, 300, today()).dataset.validate().unwrap();
    }

    #[test]
    fn family_members_are_related_on_both_sides() {
        let generated = generate(5, 200, today());
        let related = &generated.facts.related;
        assert!((2..=8).contains(&related.len()), "{related:?}");
        let contact = |id: &str| {
            generated
                .dataset
                .contacts
                .iter()
                .find(|c| c.id == id)
                .unwrap()
        };
        for (a, b) in related {
            assert_eq!(contact(a).last_name, contact(b).last_name);
            let row = |id: &str| {
                contact(id)
                    .related_contacts
                    .iter()
                    .find(|r| r.links(a, b))
                    .cloned()
            };
            assert!(row(a).is_some());
            assert_eq!(row(a), row(b), "the same row on both sides");
        }
    }

    #[test]
    fn tiny_datasets_work() {
        assert!(generate(4, 0, today()).dataset.contacts.is_empty());
        assert_eq!(generate(4, 1, today()).dataset.contacts.len(), 1);
    }
}
