//! Tags and groups: creating, renaming and deleting them, and putting them
//! on and taking them off contacts. A contact carries a copy of each of its
//! labels (`tags_contacts: [{tag: {id, name}}]`), so a rename or delete is
//! applied to those copies too, as Dex's joined rows would show it.

use serde_json::{Map, Value};

use super::{Store, StoreError, invalid, not_found};
use crate::ids::new_id;
use crate::model::{Contact, Group, GroupLink, Tag, TagLink};
use crate::timestamps::now;

/// A label's name: trimmed text that is not empty.
fn label_name(value: Option<&Value>, what: &str) -> Result<String, StoreError> {
    match value {
        Some(Value::String(name)) if !name.trim().is_empty() => Ok(name.trim().to_owned()),
        _ => Err(invalid(format!("{what} `name` must be non-empty text"))),
    }
}

/// An optional text field of a group: absent keeps, `null` or "" clears.
fn optional_text(
    fields: &Map<String, Value>,
    key: &str,
    current: Option<String>,
) -> Result<Option<String>, StoreError> {
    match fields.get(key) {
        None => Ok(current),
        Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.trim().to_owned()).filter(|t| !t.is_empty())),
        Some(_) => Err(invalid(format!("group `{key}` must be text or null"))),
    }
}

/// Refuses fields other than `allowed`.
fn only(fields: &Map<String, Value>, allowed: &[&str], what: &str) -> Result<(), StoreError> {
    match fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(extra) => Err(invalid(format!("unknown {what} field `{extra}`"))),
        None => Ok(()),
    }
}

impl Store {
    /// One tag.
    pub fn tag(&self, id: &str) -> Result<&Tag, StoreError> {
        self.tags
            .iter()
            .find(|t| t.id == id)
            .ok_or_else(|| not_found("tag", id))
    }

    /// One group.
    pub fn group(&self, id: &str) -> Result<&Group, StoreError> {
        self.groups
            .iter()
            .find(|g| g.id == id)
            .ok_or_else(|| not_found("group", id))
    }

    /// Creates a tag from `{name}`.
    pub fn create_tag(&mut self, fields: &Map<String, Value>) -> Result<Tag, StoreError> {
        only(fields, &["name"], "tag")?;
        let tag = Tag {
            id: new_id(&mut self.rng),
            name: label_name(fields.get("name"), "tag")?,
        };
        self.tags.push(tag.clone());
        Ok(tag)
    }

    /// Renames a tag, on the contacts that carry it too.
    pub fn update_tag(&mut self, id: &str, fields: &Map<String, Value>) -> Result<Tag, StoreError> {
        only(fields, &["name"], "tag")?;
        let name = label_name(fields.get("name"), "tag")?;
        self.tag(id)?;
        let tag = Tag {
            id: id.to_owned(),
            name,
        };
        for slot in self.tags.iter_mut().filter(|t| t.id == id) {
            *slot = tag.clone();
        }
        self.relabel_contacts(|c| {
            let mut changed = false;
            for link in c.tags_contacts.iter_mut().filter(|l| l.tag.id == tag.id) {
                link.tag = tag.clone();
                changed = true;
            }
            changed
        });
        Ok(tag)
    }

    /// Deletes a tag and takes it off every contact.
    pub fn delete_tag(&mut self, id: &str) -> Result<Tag, StoreError> {
        let tag = self.tag(id)?.clone();
        self.tags.retain(|t| t.id != id);
        self.relabel_contacts(|c| {
            let before = c.tags_contacts.len();
            c.tags_contacts.retain(|l| l.tag.id != id);
            c.tags_contacts.len() != before
        });
        Ok(tag)
    }

    /// Puts every tag of `tag_ids` on every contact of `contact_ids`
    /// (`add`), or takes them off; every id is checked before anything
    /// changes. Answers how many contacts changed.
    pub fn tag_contacts(
        &mut self,
        tag_ids: &[String],
        contact_ids: &[String],
        add: bool,
    ) -> Result<usize, StoreError> {
        let tags: Vec<Tag> = tag_ids
            .iter()
            .map(|id| self.tag(id).cloned())
            .collect::<Result<_, _>>()?;
        for id in contact_ids {
            self.contact(id)?;
        }
        Ok(self.relabel_listed(contact_ids, |c| {
            let before = c.tags_contacts.clone();
            for tag in &tags {
                let has = c.tags_contacts.iter().any(|l| l.tag.id == tag.id);
                if add && !has {
                    c.tags_contacts.push(TagLink { tag: tag.clone() });
                } else if !add {
                    c.tags_contacts.retain(|l| l.tag.id != tag.id);
                }
            }
            c.tags_contacts != before
        }))
    }

    /// Creates a group from `{name, emoji, description}`.
    pub fn create_group(&mut self, fields: &Map<String, Value>) -> Result<Group, StoreError> {
        only(fields, &["name", "emoji", "description"], "group")?;
        let group = Group {
            id: new_id(&mut self.rng),
            name: label_name(fields.get("name"), "group")?,
            emoji: optional_text(fields, "emoji", None)?,
            description: optional_text(fields, "description", None)?,
        };
        self.groups.push(group.clone());
        Ok(group)
    }

    /// Changes the fields of a group that `fields` names.
    pub fn update_group(
        &mut self,
        id: &str,
        fields: &Map<String, Value>,
    ) -> Result<Group, StoreError> {
        only(fields, &["name", "emoji", "description"], "group")?;
        let current = self.group(id)?.clone();
        let group = Group {
            name: match fields.get("name") {
                None => current.name.clone(),
                some => label_name(some, "group")?,
            },
            emoji: optional_text(fields, "emoji", current.emoji.clone())?,
            description: optional_text(fields, "description", current.description.clone())?,
            id: current.id,
        };
        for slot in self.groups.iter_mut().filter(|g| g.id == id) {
            *slot = group.clone();
        }
        self.relabel_contacts(|c| {
            let mut changed = false;
            for link in c.groups_contacts.iter_mut().filter(|l| l.group.id == id) {
                link.group = group.clone();
                changed = true;
            }
            changed
        });
        Ok(group)
    }

    /// Deletes a group; its members stay, outside it.
    pub fn delete_group(&mut self, id: &str) -> Result<Group, StoreError> {
        let group = self.group(id)?.clone();
        self.groups.retain(|g| g.id != id);
        self.relabel_contacts(|c| {
            let before = c.groups_contacts.len();
            c.groups_contacts.retain(|l| l.group.id != id);
            c.groups_contacts.len() != before
        });
        Ok(group)
    }

    /// Adds every contact of `contact_ids` to the group (`add`) or takes
    /// them out; every id is checked before anything changes. Answers how
    /// many contacts changed.
    pub fn group_members(
        &mut self,
        group_id: &str,
        contact_ids: &[String],
        add: bool,
    ) -> Result<usize, StoreError> {
        let group = self.group(group_id)?.clone();
        for id in contact_ids {
            self.contact(id)?;
        }
        Ok(self.relabel_listed(contact_ids, |c| {
            let has = c.groups_contacts.iter().any(|l| l.group.id == group.id);
            if add && !has {
                c.groups_contacts.push(GroupLink {
                    group: group.clone(),
                });
            } else if !add && has {
                c.groups_contacts.retain(|l| l.group.id != group.id);
            }
            add != has
        }))
    }

    /// The members of a group, in contact order.
    pub fn group_contacts(&self, group_id: &str) -> Result<Vec<(u64, &Contact)>, StoreError> {
        self.group(group_id)?;
        Ok(self
            .contacts
            .iter()
            .filter(|(_, c)| c.groups_contacts.iter().any(|l| l.group.id == group_id))
            .collect())
    }

    /// Applies `change` to every contact; those it reports changed get a
    /// new `updated_at`.
    pub(super) fn relabel_contacts(&mut self, change: impl Fn(&mut Contact) -> bool) {
        let stamp = now();
        for contact in self.contacts.values_mut() {
            if change(contact) {
                contact.updated_at = stamp.clone();
            }
        }
    }

    /// Applies `change` to the contacts of `ids` (each once); answers how
    /// many it changed.
    pub(super) fn relabel_listed(
        &mut self,
        ids: &[String],
        change: impl Fn(&mut Contact) -> bool,
    ) -> usize {
        let stamp = now();
        let mut changed = 0;
        let mut seen: Vec<&String> = Vec::with_capacity(ids.len());
        for id in ids {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            let Some(mut contact) = self.contacts.get(id).cloned() else {
                continue;
            };
            if change(&mut contact) {
                contact.updated_at = stamp.clone();
                self.contacts.replace(contact);
                changed += 1;
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::dataset::Dataset;
    use crate::store::patch::FieldRules;

    fn fields(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    fn store() -> Store {
        let mut store = Store::new(Dataset::default(), 1);
        store
            .create_contacts(
                &[fields(json!({"first_name": "Ada"}))],
                FieldRules {
                    writable: &["first_name"],
                    read_only: &[],
                },
            )
            .unwrap();
        store
    }

    #[test]
    fn a_renamed_tag_is_renamed_on_its_contacts_and_a_deleted_one_taken_off() {
        let mut store = store();
        let ada = store.contacts().iter().next().unwrap().1.id.clone();
        let tag = store.create_tag(&fields(json!({"name": " vc "}))).unwrap();
        assert_eq!(tag.name, "vc");
        let changed = store
            .tag_contacts(
                std::slice::from_ref(&tag.id),
                &[ada.clone(), ada.clone()],
                true,
            )
            .unwrap();
        assert_eq!(changed, 1);
        store
            .update_tag(&tag.id, &fields(json!({"name": "investors"})))
            .unwrap();
        assert_eq!(
            store.contact(&ada).unwrap().tags_contacts[0].tag.name,
            "investors"
        );
        store.delete_tag(&tag.id).unwrap();
        assert!(store.contact(&ada).unwrap().tags_contacts.is_empty());
        assert!(store.tags().is_empty());
    }

    #[test]
    fn an_unknown_id_changes_nothing() {
        let mut store = store();
        let ada = store.contacts().iter().next().unwrap().1.id.clone();
        let group = store
            .create_group(&fields(json!({"name": "Climbing", "emoji": "🧗"})))
            .unwrap();
        let err = store
            .group_members(&group.id, &[ada.clone(), "nobody".into()], true)
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }));
        assert!(store.group_contacts(&group.id).unwrap().is_empty());
        assert_eq!(store.group_members(&group.id, &[ada], true).unwrap(), 1);
        assert_eq!(store.group_contacts(&group.id).unwrap().len(), 1);
        assert!(store.create_tag(&fields(json!({"name": ""}))).is_err());
        assert!(store.create_group(&fields(json!({"title": "x"}))).is_err());
    }
}
