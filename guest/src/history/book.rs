//! The contacts of a snapshot by id, for the history tools.
//!
//! Every history answer names the people its notes and reminders are
//! about, and every tool that takes a contact id must tell an unknown id
//! apart from a contact with no history; both need a lookup by id that the
//! snapshot's list does not give.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::{Contact, ContactId, ErrorKind, ToolError};
use crate::snapshot::Snapshot;

/// A contact named in an answer: its id and, when the account read has
/// it, its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRef {
    /// Dex's id.
    pub id: String,
    /// The contact's full name; `None` when the id is not among the
    /// contacts read (deleted since, or a list that could not be read).
    pub full_name: Option<String>,
}

/// The snapshot's contacts, by id.
pub struct ContactBook<'a> {
    by_id: HashMap<&'a str, &'a Arc<Contact>>,
}

impl<'a> ContactBook<'a> {
    /// Indexes the contacts of `snapshot`.
    pub fn new(snapshot: &'a Snapshot) -> Self {
        Self {
            by_id: snapshot
                .contacts
                .iter()
                .map(|c| (c.id.as_str(), c))
                .collect(),
        }
    }

    /// The contact `id`, or `not-found` naming it.
    pub fn contact(&self, id: &ContactId) -> Result<&'a Arc<Contact>, ToolError> {
        self.by_id.get(id.as_str()).copied().ok_or_else(|| {
            ToolError::new(
                ErrorKind::NotFound,
                format!(
                    "Dex has no contact with id `{id}`; use find_contact to get the id of the person you mean"
                ),
            )
        })
    }

    /// `ids` as references with names.
    pub fn refs(&self, ids: &[impl std::fmt::Display]) -> Vec<ContactRef> {
        ids.iter()
            .map(|id| id.to_string())
            .map(|id| ContactRef {
                full_name: self.by_id.get(id.as_str()).map(|c| c.full_name.clone()),
                id,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot() -> Snapshot {
        Snapshot {
            contacts: vec![Arc::new(Contact {
                id: "c1".into(),
                full_name: "Ada Lovelace".into(),
                ..Contact::default()
            })],
            ..Snapshot::default()
        }
    }

    #[test]
    fn an_unknown_id_is_not_found_and_named() {
        let snapshot = snapshot();
        let book = ContactBook::new(&snapshot);
        let err = book
            .contact(&ContactId::parse("contact-id", "c404").unwrap())
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert!(err.message.contains("`c404`"), "{}", err.message);
    }

    #[test]
    fn references_carry_names_when_the_contact_was_read() {
        let snapshot = snapshot();
        let book = ContactBook::new(&snapshot);
        let refs = book.refs(&["c1", "gone"]);
        assert_eq!(refs[0].full_name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(refs[1].full_name, None);
    }
}
