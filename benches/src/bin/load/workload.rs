//! What the simulated assistants ask: the mix of tools and their
//! arguments, drawn from the served account so that searches find
//! something, and writes whose text carries a marker no other write has.

use std::sync::atomic::{AtomicU64, Ordering};

use dex_sim::Dataset;
use rand::Rng;
use rand::seq::IndexedRandom;
use serde_json::{Value, json};

/// The tools the load calls, in report order.
pub const SEARCH: &str = "search_contacts_full_text";
/// See [`SEARCH`].
pub const FIND: &str = "find_contact";
/// See [`SEARCH`].
pub const ADD_NOTE: &str = "add_contact_note";
/// See [`SEARCH`].
pub const CREATE_REMINDER: &str = "create_contact_reminder";
/// The echo baseline's only tool.
pub const ECHO: &str = "echo";

/// Shares of the calls, in percent, per kind; the rest are writes.
#[derive(Debug, Clone, Copy)]
pub struct Mix {
    /// `search_contacts_full_text`.
    pub search: u32,
    /// `find_contact`.
    pub find: u32,
}

impl Mix {
    /// The realistic mix: 70% search, 20% find, 10% writes.
    pub const REALISTIC: Self = Self {
        search: 70,
        find: 20,
    };
    /// Cached search only: the throughput row.
    pub const SEARCH_ONLY: Self = Self {
        search: 100,
        find: 0,
    };
}

/// One call to make.
#[derive(Debug, Clone)]
pub struct PlannedCall {
    /// The tool.
    pub tool: &'static str,
    /// Its arguments (a JSON object).
    pub arguments: Value,
    /// The marker in a write's text, to be found exactly once afterwards.
    pub marker: Option<String>,
}

/// Draws calls against one account.
pub struct Workload {
    search_queries: Vec<String>,
    find_names: Vec<String>,
    contact_ids: Vec<String>,
    /// Tags this run's markers, so a rerun against a kept account never
    /// counts an older run's writes.
    run_tag: String,
    next_marker: AtomicU64,
}

impl Workload {
    /// Queries drawn from `dataset` with `rng`: full names, last names,
    /// companies, and the leading words of notes for search; full names,
    /// half of them with two letters swapped, for `find_contact`.
    pub fn from_dataset(dataset: &Dataset, rng: &mut impl Rng) -> Self {
        const SAMPLES: usize = 400;
        let mut search_queries = Vec::new();
        let mut find_names = Vec::new();
        let with_names: Vec<_> = dataset
            .contacts
            .iter()
            .filter(|c| c.full_name.as_deref().is_some_and(|n| n.contains(' ')))
            .collect();
        for _ in 0..SAMPLES {
            let Some(contact) = with_names.choose(rng) else {
                break;
            };
            let full_name = contact.full_name.clone().unwrap_or_default();
            let last_name = full_name.rsplit(' ').next().unwrap_or_default().to_owned();
            search_queries.push(full_name.clone());
            search_queries.push(last_name);
            if let Some(company) = contact.company.as_deref().filter(|c| !c.is_empty()) {
                search_queries.push(company.to_owned());
            }
            find_names.push(if rng.random_bool(0.5) {
                swap_two_letters(&full_name, rng)
            } else {
                full_name
            });
        }
        for _ in 0..SAMPLES / 2 {
            let Some(note) = dataset.notes.choose(rng) else {
                break;
            };
            let words: Vec<&str> = note.note.split_whitespace().take(3).collect();
            if !words.is_empty() {
                search_queries.push(words.join(" "));
            }
        }
        if search_queries.is_empty() {
            search_queries.push("coffee".to_owned());
        }
        if find_names.is_empty() {
            find_names.push("Robert Smith".to_owned());
        }
        Self {
            search_queries,
            find_names,
            contact_ids: dataset.contacts.iter().map(|c| c.id.clone()).collect(),
            run_tag: format!("{:08x}", rng.random::<u32>()),
            next_marker: AtomicU64::new(0),
        }
    }

    /// The next call under `mix`.
    pub fn draw(&self, mix: Mix, rng: &mut impl Rng) -> PlannedCall {
        let roll = rng.random_range(0..100);
        if roll < mix.search {
            return self.search(rng);
        }
        if roll < mix.search + mix.find {
            let name = self.find_names.choose(rng).expect("at least one name");
            return PlannedCall {
                tool: FIND,
                arguments: json!({ "name": name }),
                marker: None,
            };
        }
        self.write(rng)
    }

    /// A cached search (what the warm-up and the search row call).
    pub fn search(&self, rng: &mut impl Rng) -> PlannedCall {
        let query = self.search_queries.choose(rng).expect("at least one query");
        PlannedCall {
            tool: SEARCH,
            arguments: json!({ "query": query }),
            marker: None,
        }
    }

    fn write(&self, rng: &mut impl Rng) -> PlannedCall {
        let seq = self.next_marker.fetch_add(1, Ordering::Relaxed);
        let marker = format!("loadmark-{}-{seq}", self.run_tag);
        let contact = self.contact_ids.choose(rng).cloned().unwrap_or_default();
        let (tool, arguments) = if seq.is_multiple_of(2) {
            (
                ADD_NOTE,
                json!({
                    "contact_ids": [contact],
                    "text": format!("Called about the offsite ({marker})"),
                    "note_type": "call",
                }),
            )
        } else {
            (
                CREATE_REMINDER,
                json!({
                    "contact_ids": [contact],
                    "text": format!("Send the slides ({marker})"),
                    "due_date": "2026-06-01",
                }),
            )
        };
        PlannedCall {
            tool,
            arguments,
            marker: Some(marker),
        }
    }
}

/// `name` with two neighbouring letters of one word swapped: a typo
/// `find_contact` has to forgive.
fn swap_two_letters(name: &str, rng: &mut impl Rng) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let candidates: Vec<usize> = (0..chars.len().saturating_sub(1))
        .filter(|&i| chars[i].is_alphabetic() && chars[i + 1].is_alphabetic() && i > 0)
        .collect();
    if let Some(&i) = candidates.choose(rng) {
        chars.swap(i, i + 1);
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn workload() -> Workload {
        let dataset = Dataset::generate(7, 50, dex_sim::default_today());
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        Workload::from_dataset(&dataset, &mut rng)
    }

    #[test]
    fn mix_shares_are_roughly_kept() {
        let workload = workload();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
        let calls: Vec<_> = (0..10_000)
            .map(|_| workload.draw(Mix::REALISTIC, &mut rng))
            .collect();
        let share = |tools: &[&str]| {
            calls.iter().filter(|c| tools.contains(&c.tool)).count() as f64 / calls.len() as f64
        };
        assert!((share(&[SEARCH]) - 0.7).abs() < 0.03);
        assert!((share(&[FIND]) - 0.2).abs() < 0.03);
        assert!((share(&[ADD_NOTE, CREATE_REMINDER]) - 0.1).abs() < 0.03);
    }

    #[test]
    fn every_write_has_its_own_marker_in_its_text() {
        let workload = workload();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let writes: Vec<_> = (0..100).map(|_| workload.write(&mut rng)).collect();
        let mut markers: Vec<_> = writes.iter().map(|w| w.marker.clone().unwrap()).collect();
        for write in &writes {
            let text = write.arguments["text"].as_str().unwrap();
            assert!(text.contains(write.marker.as_deref().unwrap()));
        }
        markers.sort();
        markers.dedup();
        assert_eq!(markers.len(), 100);
        assert!(writes.iter().any(|w| w.tool == ADD_NOTE));
        assert!(writes.iter().any(|w| w.tool == CREATE_REMINDER));
    }
}
