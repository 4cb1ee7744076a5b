//! After a run: did every write land in Dex exactly once? Read straight
//! from the simulator's store, not through the server under test.

use std::collections::HashMap;

use dex_sim::Dataset;

use crate::http_driver::WriteLog;

/// Where a marker starts in a write's text (see `workload`).
const MARKER_PREFIX: &str = "loadmark-";

/// What the store holds of a run's writes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteCheck {
    /// Acknowledged writes found exactly once.
    pub confirmed: usize,
    /// Acknowledged writes not found.
    pub lost: Vec<String>,
    /// Writes found more than once (acknowledged or not).
    pub doubled: Vec<String>,
    /// Failed writes that landed anyway (once): allowed, reported.
    pub failed_but_landed: usize,
}

impl WriteCheck {
    /// Nothing lost, nothing doubled.
    pub fn holds(&self) -> bool {
        self.lost.is_empty() && self.doubled.is_empty()
    }
}

/// Counts each marker of `writes` in the texts of `dataset`'s notes and
/// reminders.
pub fn check(dataset: &Dataset, writes: &WriteLog) -> WriteCheck {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let texts = dataset
        .notes
        .iter()
        .map(|n| n.note.as_str())
        .chain(dataset.reminders.iter().map(|r| r.text.as_str()));
    for text in texts {
        for marker in markers_in(text) {
            *seen.entry(marker).or_default() += 1;
        }
    }
    let mut check = WriteCheck::default();
    for marker in &writes.acknowledged {
        match seen.get(marker.as_str()).copied().unwrap_or(0) {
            0 => check.lost.push(marker.clone()),
            1 => check.confirmed += 1,
            _ => check.doubled.push(marker.clone()),
        }
    }
    for marker in &writes.failed {
        match seen.get(marker.as_str()).copied().unwrap_or(0) {
            0 => {}
            1 => check.failed_but_landed += 1,
            _ => check.doubled.push(marker.clone()),
        }
    }
    check
}

/// The whole markers in `text`: `loadmark-` up to the next character that
/// cannot be part of one, so `...-1` never matches inside `...-10`.
fn markers_in(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices(MARKER_PREFIX).map(move |(start, _)| {
        let rest = &text[start..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        &rest[..end]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset_with(notes: &[&str], reminders: &[&str]) -> Dataset {
        let mut dataset = Dataset::generate(1, 3, dex_sim::default_today());
        let template_note = dataset.notes[0].clone();
        let template_reminder = dataset.reminders[0].clone();
        dataset.notes = notes
            .iter()
            .map(|text| {
                let mut note = template_note.clone();
                note.note = (*text).to_owned();
                note
            })
            .collect();
        dataset.reminders = reminders
            .iter()
            .map(|text| {
                let mut reminder = template_reminder.clone();
                reminder.text = (*text).to_owned();
                reminder
            })
            .collect();
        dataset
    }

    fn log(acknowledged: &[&str], failed: &[&str]) -> WriteLog {
        WriteLog {
            acknowledged: acknowledged.iter().map(|m| (*m).to_owned()).collect(),
            failed: failed.iter().map(|m| (*m).to_owned()).collect(),
        }
    }

    #[test]
    fn found_once_is_confirmed_and_prefix_markers_do_not_count() {
        let dataset = dataset_with(&["Called (loadmark-ab-10)"], &["Send (loadmark-ab-2)"]);
        let check = check(
            &dataset,
            &log(&["loadmark-ab-10", "loadmark-ab-2", "loadmark-ab-1"], &[]),
        );
        assert_eq!(check.confirmed, 2);
        assert_eq!(check.lost, ["loadmark-ab-1"]);
        assert!(!check.holds());
    }

    #[test]
    fn twice_is_doubled_even_for_a_failed_write() {
        let dataset = dataset_with(
            &[
                "x (loadmark-ab-1)",
                "y (loadmark-ab-1)",
                "z (loadmark-ab-3)",
            ],
            &["loadmark-ab-2", "loadmark-ab-2"],
        );
        let check = check(
            &dataset,
            &log(&["loadmark-ab-1"], &["loadmark-ab-2", "loadmark-ab-3"]),
        );
        assert_eq!(check.doubled, ["loadmark-ab-1", "loadmark-ab-2"]);
        assert_eq!(check.failed_but_landed, 1);
        assert!(!check.holds());
    }

    #[test]
    fn clean_run_holds() {
        let dataset = dataset_with(&["a (loadmark-ab-0)"], &["b (loadmark-ab-1)"]);
        let check = check(&dataset, &log(&["loadmark-ab-0", "loadmark-ab-1"], &[]));
        assert!(check.holds());
        assert_eq!(check.confirmed, 2);
    }
}
