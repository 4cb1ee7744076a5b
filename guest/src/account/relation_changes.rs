//! Applying a relate or unrelate to the kept [`Account`]. Dex answers the
//! contact written; relations being symmetric (docs/dex-api.md, "Related
//! contacts"), the other contacts of the change gain or lose the link too,
//! as Dex's next read of them would show it.

use std::sync::Arc;

use super::Account;
use crate::model::{Contact, RelatedContact};

/// One relate or unrelate, as Dex confirmed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationChange {
    /// The contact written, as Dex answered it (with what the write
    /// changed filled in when the answer left its relations out).
    pub contact: Contact,
    /// The contacts now related to it.
    pub related: Vec<String>,
    /// The contacts no longer related to it.
    pub unrelated: Vec<String>,
}

impl Account {
    /// Saves the contact written and mirrors the change on the others.
    pub(super) fn apply_relations(&mut self, change: RelationChange) {
        let own = RelatedContact {
            id: change.contact.id.clone(),
            name: Some(change.contact.full_name.clone()).filter(|n| !n.is_empty()),
        };
        let mirrored: Vec<Arc<Contact>> = self
            .snapshot
            .contacts
            .iter()
            .filter_map(|other| {
                let relate = change.related.contains(&other.id);
                let unrelate = change.unrelated.contains(&other.id);
                // A contact whose relations were never read stays unknown.
                let links = other.related.as_ref()?;
                let has = links.iter().any(|r| r.id == own.id);
                let links: Vec<RelatedContact> = match (relate, unrelate, has) {
                    (true, _, false) => links.iter().cloned().chain([own.clone()]).collect(),
                    (_, true, true) => links.iter().filter(|r| r.id != own.id).cloned().collect(),
                    _ => return None,
                };
                Some(Arc::new(Contact {
                    related: Some(links),
                    ..(**other).clone()
                }))
            })
            .collect();
        for other in mirrored {
            self.save_contact(Arc::unwrap_or_clone(other));
        }
        self.save_contact(change.contact);
        self.rebuild_contacts();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::account::AccountChange;
    use crate::snapshot::Snapshot;

    fn person(id: &str, related: Option<&[&str]>) -> Arc<Contact> {
        Arc::new(Contact {
            id: id.into(),
            full_name: id.to_uppercase(),
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

    fn related_of(account: &Account, id: &str) -> Option<Vec<String>> {
        let contact = account.snapshot.contacts.iter().find(|c| c.id == id)?;
        contact
            .related
            .as_ref()
            .map(|r| r.iter().map(|r| r.id.clone()).collect())
    }

    #[test]
    fn the_other_side_gains_and_loses_the_link_unless_its_links_are_unknown() {
        let mut account = Account::index(
            Snapshot {
                contacts: vec![
                    person("ada", Some(&["cy"])),
                    person("bob", Some(&[])),
                    person("cy", Some(&["ada"])),
                    person("dee", None),
                ],
                ..Snapshot::default()
            },
            Duration::ZERO,
        );
        let written = Contact {
            related: Some(vec![
                RelatedContact {
                    id: "bob".into(),
                    name: None,
                },
                RelatedContact {
                    id: "dee".into(),
                    name: None,
                },
            ]),
            ..(*person("ada", None)).clone()
        };
        account.apply(AccountChange::Related(RelationChange {
            contact: written,
            related: vec!["bob".into(), "dee".into()],
            unrelated: vec!["cy".into()],
        }));
        assert_eq!(related_of(&account, "ada").unwrap(), ["bob", "dee"]);
        assert_eq!(related_of(&account, "bob").unwrap(), ["ada"]);
        assert!(related_of(&account, "cy").unwrap().is_empty());
        assert_eq!(related_of(&account, "dee"), None);
        let bob = account.contacts.iter().find(|c| c.id == "bob").unwrap();
        assert_eq!(
            bob.related.as_ref().unwrap()[0].name.as_deref(),
            Some("ADA")
        );
    }
}
