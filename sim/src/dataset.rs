//! A whole account's data, and its JSON file format.
//!
//! The file is the v1 objects grouped by kind:
//! `{"contacts": [...], "notes": [...], "reminders": [...]}`, plus the
//! optional `tags`, `groups`, `custom_fields` and `user`. Every record keeps
//! its v1 field names, so a file saved from a running simulator loads back
//! to the same state.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{Contact, CustomField, Group, Note, Reminder, Tag, User};

/// Everything the simulated account holds.
///
/// Public fields so that tests (and the evaluation sets of other crates) can
/// look at the generated people and build queries from them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Dataset {
    /// Contacts, in listing order.
    pub contacts: Vec<Contact>,
    /// Notes (timeline items), in listing order.
    pub notes: Vec<Note>,
    /// Reminders, in listing order.
    pub reminders: Vec<Reminder>,
    /// The account's tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    /// The account's groups.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    /// The account's custom field definitions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub custom_fields: Vec<CustomField>,
    /// The account owner; a fixed one is served when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
}

/// Why a dataset could not be read, written or accepted.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// The file could not be read or written.
    #[error("cannot access dataset file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The text is not a dataset.
    #[error("dataset is not valid JSON of the expected shape: {0}")]
    Format(#[from] serde_json::Error),
    /// The records contradict each other (duplicate or dangling ids).
    #[error("dataset is inconsistent: {0}")]
    Inconsistent(String),
}

impl Dataset {
    /// Parses a dataset from JSON text and checks it.
    pub fn from_json(text: &str) -> Result<Dataset, DatasetError> {
        let dataset: Dataset = serde_json::from_str(text)?;
        dataset.validate()?;
        Ok(dataset)
    }

    /// The dataset as pretty JSON text.
    pub fn to_json(&self) -> String {
        // Serialising these plain structs cannot fail: no maps with
        // non-string keys, no custom serialisers.
        serde_json::to_string_pretty(self).expect("dataset serialises")
    }

    /// Reads and checks a dataset file.
    pub fn load(path: impl AsRef<Path>) -> Result<Dataset, DatasetError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| DatasetError::Io {
            path: path.to_owned(),
            source,
        })?;
        Dataset::from_json(&text)
    }

    /// Writes the dataset to a file, replacing it.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), DatasetError> {
        let path = path.as_ref();
        std::fs::write(path, self.to_json()).map_err(|source| DatasetError::Io {
            path: path.to_owned(),
            source,
        })
    }

    /// Checks that ids are present and unique, that notes and reminders
    /// only link contacts that exist, and that each relation is carried by
    /// both its contacts.
    pub fn validate(&self) -> Result<(), DatasetError> {
        let contact_ids = unique_ids("contact", self.contacts.iter().map(|c| c.id.as_str()))?;
        unique_ids("note", self.notes.iter().map(|n| n.id.as_str()))?;
        unique_ids("reminder", self.reminders.iter().map(|r| r.id.as_str()))?;
        let linked = self
            .notes
            .iter()
            .flat_map(|n| {
                n.timeline_items_contacts
                    .iter()
                    .map(move |l| ("note", &n.id, l))
            })
            .chain(self.reminders.iter().flat_map(|r| {
                r.reminders_contacts
                    .iter()
                    .map(move |l| ("reminder", &r.id, l))
            }));
        for contact in &self.contacts {
            for row in &contact.related_contacts {
                let other = row.other(&contact.id);
                let pair_at_other = self
                    .contacts
                    .iter()
                    .find(|c| c.id == other)
                    .is_some_and(|c| c.related_contacts.contains(row));
                if !row.links(&contact.id, other) || other == contact.id || !pair_at_other {
                    return Err(DatasetError::Inconsistent(format!(
                        "contact {} has relation {} that is not between it and another contact carrying the same row",
                        contact.id, row.id
                    )));
                }
            }
        }
        for (kind, id, link) in linked {
            if !contact_ids.contains(link.contact_id.as_str()) {
                return Err(DatasetError::Inconsistent(format!(
                    "{kind} {id} links unknown contact {}",
                    link.contact_id
                )));
            }
        }
        Ok(())
    }
}

fn unique_ids<'a>(
    kind: &str,
    ids: impl Iterator<Item = &'a str>,
) -> Result<HashSet<&'a str>, DatasetError> {
    let mut seen = HashSet::new();
    for id in ids {
        if id.is_empty() {
            return Err(DatasetError::Inconsistent(format!("a {kind} has no id")));
        }
        if !seen.insert(id) {
            return Err(DatasetError::Inconsistent(format!(
                "{kind} id {id} appears twice"
            )));
        }
    }
    Ok(seen)
}
