//! Applying custom field writes to the kept [`Account`]: contacts carry
//! their values (`Contact::custom_fields`), so values set or cleared, and a
//! field renamed or deleted, change the contacts that hold them, and the
//! next `get_contact_details`, `list_custom_fields` or search sees it.

use std::sync::Arc;

use super::Account;
use crate::model::{Contact, CustomFieldValue};

/// One custom field write, as Dex confirmed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomFieldChange {
    /// A field created, or its options changed: no value changes (the
    /// account keeps no list of definitions; `list_custom_fields` reads
    /// Dex's).
    Defined,
    /// A field renamed: the values that carry its name take the new one.
    Renamed {
        /// The field's id.
        field_id: String,
        /// Its new name.
        name: String,
    },
    /// A field deleted: every contact's value for it goes.
    Deleted {
        /// The field's id.
        field_id: String,
    },
    /// Values of one field set or cleared on contacts.
    ValuesSet {
        /// The field's id.
        field_id: String,
        /// Each contact's id and its new value; `None` cleared it.
        values: Vec<(String, Option<String>)>,
    },
}

/// How many contacts of `contacts` hold a value for each custom field, by
/// the field's id.
pub fn custom_field_counts(contacts: &[Arc<Contact>]) -> std::collections::HashMap<String, usize> {
    let mut counts = std::collections::HashMap::new();
    for contact in contacts {
        let mut held: Vec<&str> = contact
            .custom_fields
            .iter()
            .map(|v| v.field_id.as_str())
            .collect();
        held.sort_unstable();
        held.dedup();
        for id in held {
            *counts.entry(id.to_owned()).or_insert(0) += 1;
        }
    }
    counts
}

/// Sets `value` as contact's value of `field_id`, or clears it.
fn set_value(values: &mut Vec<CustomFieldValue>, field_id: &str, value: Option<&str>) {
    match value {
        None => values.retain(|v| v.field_id != field_id),
        Some(text) => match values.iter_mut().find(|v| v.field_id == field_id) {
            Some(held) => held.values = vec![text.to_owned()],
            None => values.push(CustomFieldValue {
                field_id: field_id.into(),
                // A read of the contact carries no name with its values
                // (the reference's `{id, type, text_value}`): neither does
                // the kept copy.
                name: None,
                values: vec![text.to_owned()],
            }),
        },
    }
}

impl Account {
    /// Applies `change` to the contacts it touches.
    pub(super) fn apply_custom_fields(&mut self, change: CustomFieldChange) {
        let changed: Vec<Contact> = self
            .snapshot
            .contacts
            .iter()
            .filter_map(|c| {
                let mut contact = (**c).clone();
                match &change {
                    CustomFieldChange::Defined => return None,
                    CustomFieldChange::Renamed { field_id, name } => {
                        for held in contact
                            .custom_fields
                            .iter_mut()
                            .filter(|v| v.field_id == *field_id && v.name.is_some())
                        {
                            held.name = Some(name.into());
                        }
                    }
                    CustomFieldChange::Deleted { field_id } => {
                        contact.custom_fields.retain(|v| v.field_id != *field_id);
                    }
                    CustomFieldChange::ValuesSet { field_id, values } => {
                        let value = values.iter().find(|(id, _)| *id == contact.id)?;
                        set_value(&mut contact.custom_fields, field_id, value.1.as_deref());
                    }
                }
                (contact != **c).then_some(contact)
            })
            .collect();
        self.save_contacts(changed);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::account::AccountChange;
    use crate::search::{RecordKind, SearchQuery};
    use crate::snapshot::Snapshot;

    fn value(field_id: &str, name: Option<&str>, text: &str) -> CustomFieldValue {
        CustomFieldValue {
            field_id: field_id.into(),
            name: name.map(Into::into),
            values: vec![text.into()],
        }
    }

    fn account() -> Account {
        let contact = |id: &str, name: &str, values: Vec<CustomFieldValue>| Contact {
            id: id.into(),
            full_name: name.into(),
            first_name: Some(name.into()),
            custom_fields: values,
            ..Contact::default()
        };
        let snapshot = Snapshot {
            contacts: vec![
                Arc::new(contact(
                    "c1",
                    "Ada",
                    vec![value("f1", Some("Diet"), "Vegan")],
                )),
                Arc::new(contact("c2", "Grace", vec![])),
            ],
            ..Snapshot::default()
        };
        let account = Account::index(snapshot, Duration::ZERO);
        account.build_search_index();
        account
    }

    fn held(account: &Account, id: &str) -> Vec<CustomFieldValue> {
        account
            .contacts
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .custom_fields
            .clone()
    }

    #[test]
    fn values_set_cleared_renamed_and_deleted_reach_the_contacts_and_the_index() {
        let mut account = account();
        account.apply(AccountChange::CustomFields(CustomFieldChange::ValuesSet {
            field_id: "f1".into(),
            values: vec![
                ("c1".into(), Some("Pescatarian".into())),
                ("c2".into(), Some("Vegan".into())),
            ],
        }));
        assert_eq!(
            held(&account, "c1"),
            [value("f1", Some("Diet"), "Pescatarian")]
        );
        assert_eq!(held(&account, "c2"), [value("f1", None, "Vegan")]);
        let hits = account.search_index().search(&SearchQuery {
            text: "pescatarian",
            max_results: 5,
            skip: 0,
            min_confidence: 0,
            kinds: &RecordKind::ALL,
        });
        let found: Vec<&str> = hits
            .iter()
            .flat_map(|h| &h.contacts)
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(found, ["c1"], "the index sees the value");
        assert_eq!(custom_field_counts(&account.contacts)["f1"], 2);
        account.apply(AccountChange::CustomFields(CustomFieldChange::Renamed {
            field_id: "f1".into(),
            name: "Food".into(),
        }));
        assert_eq!(held(&account, "c1")[0].name.as_deref(), Some("Food"));
        account.apply(AccountChange::CustomFields(CustomFieldChange::ValuesSet {
            field_id: "f1".into(),
            values: vec![("c2".into(), None)],
        }));
        assert!(held(&account, "c2").is_empty());
        account.apply(AccountChange::CustomFields(CustomFieldChange::Deleted {
            field_id: "f1".into(),
        }));
        assert!(held(&account, "c1").is_empty());
        assert!(custom_field_counts(&account.contacts).is_empty());
    }
}
