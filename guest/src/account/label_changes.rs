//! Applying tag and group writes to the kept [`Account`]: contacts carry
//! their labels (`Contact::tags`, `Contact::groups`), so a label put on,
//! taken off, renamed or deleted changes the contacts that carry it, and
//! the next `find_contact`, `list_tags` or search sees it.

use std::sync::Arc;

use super::Account;
use crate::model::{Contact, Label};

/// Which of a contact's label lists a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelList {
    /// `Contact::tags`.
    Tags,
    /// `Contact::groups`.
    Groups,
}

impl LabelList {
    fn of(self, contact: &mut Contact) -> &mut Vec<Label> {
        match self {
            LabelList::Tags => &mut contact.tags,
            LabelList::Groups => &mut contact.groups,
        }
    }
}

/// One tag or group write, as Dex confirmed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelChange {
    /// A label created: no contact carries it yet, so nothing kept changes
    /// (the account keeps no list of labels; `list_tags` reads Dex's).
    Created,
    /// Labels put on contacts (those already carrying one keep one copy).
    Added {
        /// Tags or groups.
        list: LabelList,
        /// The labels.
        labels: Vec<Label>,
        /// The contacts' ids.
        contact_ids: Vec<String>,
    },
    /// Labels taken off contacts.
    Removed {
        /// Tags or groups.
        list: LabelList,
        /// The labels' ids.
        label_ids: Vec<String>,
        /// The contacts' ids.
        contact_ids: Vec<String>,
    },
    /// A label renamed: every contact's copy takes the new name.
    Renamed {
        /// Tags or groups.
        list: LabelList,
        /// The label after the rename.
        label: Label,
    },
    /// A label deleted: taken off every contact.
    Deleted {
        /// Tags or groups.
        list: LabelList,
        /// The label's id.
        id: String,
    },
}

/// What a change does to the labels one contact carries.
type LabelEdit = Box<dyn Fn(&mut Vec<Label>)>;

impl Account {
    /// Applies `change` to the contacts it touches.
    pub(super) fn apply_labels(&mut self, change: LabelChange) {
        let (list, only, edit): (LabelList, Option<Vec<String>>, LabelEdit) = match change {
            LabelChange::Created => return,
            LabelChange::Added {
                list,
                labels,
                contact_ids,
            } => (
                list,
                Some(contact_ids),
                Box::new(move |carried: &mut Vec<Label>| {
                    for label in &labels {
                        if !carried.iter().any(|c| c.id == label.id) {
                            carried.push(label.clone());
                        }
                    }
                }),
            ),
            LabelChange::Removed {
                list,
                label_ids,
                contact_ids,
            } => (
                list,
                Some(contact_ids),
                Box::new(move |carried: &mut Vec<Label>| {
                    carried.retain(|c| !label_ids.iter().any(|id| *id == c.id));
                }),
            ),
            LabelChange::Renamed { list, label } => (
                list,
                None,
                Box::new(move |carried: &mut Vec<Label>| {
                    for c in carried.iter_mut().filter(|c| c.id == label.id) {
                        c.name = label.name.clone();
                    }
                }),
            ),
            LabelChange::Deleted { list, id } => (
                list,
                None,
                Box::new(move |carried: &mut Vec<Label>| carried.retain(|c| c.id != id)),
            ),
        };
        let changed: Vec<Contact> = self
            .snapshot
            .contacts
            .iter()
            .filter(|c| only.as_ref().is_none_or(|ids| ids.contains(&c.id)))
            .filter_map(|c| {
                let mut contact = (**c).clone();
                edit(list.of(&mut contact));
                (contact != **c).then_some(contact)
            })
            .collect();
        self.save_contacts(changed);
    }
}

/// How many contacts of `contacts` carry each label of `list`, by id.
pub fn label_counts(
    contacts: &[Arc<Contact>],
    list: LabelList,
) -> std::collections::HashMap<String, usize> {
    let mut counts = std::collections::HashMap::new();
    for contact in contacts {
        let mut contact_labels = match list {
            LabelList::Tags => contact.tags.iter(),
            LabelList::Groups => contact.groups.iter(),
        }
        .map(|l| l.id.as_str())
        .collect::<Vec<_>>();
        contact_labels.sort_unstable();
        contact_labels.dedup();
        for id in contact_labels {
            *counts.entry(id.to_owned()).or_insert(0) += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::account::AccountChange;
    use crate::matching::MatchQuery;
    use crate::snapshot::Snapshot;

    fn label(id: &str, name: &str) -> Label {
        Label {
            id: id.into(),
            name: name.into(),
        }
    }

    fn account() -> Account {
        let contact = |id: &str, name: &str, tags: Vec<Label>| Contact {
            id: id.into(),
            full_name: name.into(),
            first_name: Some(name.into()),
            tags,
            ..Contact::default()
        };
        let snapshot = Snapshot {
            contacts: vec![
                Arc::new(contact("c1", "Ada", vec![label("t1", "VC")])),
                Arc::new(contact("c2", "Grace", vec![])),
            ],
            ..Snapshot::default()
        };
        let account = Account::index(snapshot, Duration::ZERO);
        account.build_search_index();
        account
    }

    fn tags_of(account: &Account, id: &str) -> Vec<String> {
        let query = MatchQuery {
            name: Some(
                account
                    .contacts
                    .iter()
                    .find(|c| c.id == id)
                    .unwrap()
                    .full_name
                    .clone(),
            ),
            ..MatchQuery::default()
        };
        let found = account.matcher.find(&query);
        found[0]
            .contact
            .tags
            .iter()
            .map(|t| t.name.to_string())
            .collect()
    }

    #[test]
    fn labels_put_on_renamed_and_deleted_reach_the_matcher() {
        let mut account = account();
        account.apply(AccountChange::Labels(LabelChange::Added {
            list: LabelList::Tags,
            labels: vec![label("t1", "VC"), label("t2", "Rowing")],
            contact_ids: vec!["c1".into(), "c2".into()],
        }));
        assert_eq!(tags_of(&account, "c1"), ["VC", "Rowing"]);
        assert_eq!(tags_of(&account, "c2"), ["VC", "Rowing"]);
        let counts = label_counts(&account.contacts, LabelList::Tags);
        assert_eq!((counts["t1"], counts["t2"]), (2, 2));
        account.apply(AccountChange::Labels(LabelChange::Renamed {
            list: LabelList::Tags,
            label: label("t1", "Investors"),
        }));
        account.apply(AccountChange::Labels(LabelChange::Removed {
            list: LabelList::Tags,
            label_ids: vec!["t2".into()],
            contact_ids: vec!["c2".into()],
        }));
        assert_eq!(tags_of(&account, "c1"), ["Investors", "Rowing"]);
        assert_eq!(tags_of(&account, "c2"), ["Investors"]);
        account.apply(AccountChange::Labels(LabelChange::Deleted {
            list: LabelList::Tags,
            id: "t1".into(),
        }));
        assert_eq!(tags_of(&account, "c1"), ["Rowing"]);
        assert!(tags_of(&account, "c2").is_empty());
        assert!(!label_counts(&account.contacts, LabelList::Tags).contains_key("t1"));
    }
}
