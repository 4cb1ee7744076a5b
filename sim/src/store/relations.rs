//! Related contacts: `PUT /v1/contacts/{id}` with `related_contacts:
//! {append: [{destination}], remove: [{source, destination}]}`, the write a
//! public client sends (`docs/dex-api.md`, "Related contacts").
//!
//! Relations are symmetric, as Dex's own MCP server describes them: one
//! row per pair, carried by both contacts, so relating A to B shows on B
//! and removing the pair named either way round removes it from both.
//! Appending a pair that exists and removing one that does not change
//! nothing, as a set would. Every id is checked before anything changes.

use serde_json::Value;

use super::{Store, StoreError, invalid};
use crate::ids::new_id;
use crate::model::RelatedContactRow;

/// A checked `related_contacts` write for one contact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RelationWrite {
    /// The contacts to relate it to.
    append: Vec<String>,
    /// The contacts to unrelate it from.
    remove: Vec<String>,
}

/// The text of `key` in a row, required.
fn end(row: &Value, key: &str, list: &str) -> Result<String, StoreError> {
    match row.get(key) {
        Some(Value::String(id)) if !id.trim().is_empty() => Ok(id.clone()),
        _ => Err(invalid(format!(
            "each `related_contacts.{list}` entry needs `{key}`, a contact id"
        ))),
    }
}

fn rows<'a>(change: &'a Value, list: &str) -> Result<&'a [Value], StoreError> {
    match change.get(list) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(rows)) => Ok(rows),
        Some(_) => Err(invalid(format!("`related_contacts.{list}` must be a list"))),
    }
}

impl Store {
    /// Checks a `related_contacts` write on contact `id`: `{append, remove}`
    /// with known contacts, never `id` itself, each removed pair naming `id`
    /// at one end.
    pub fn check_relations(&self, id: &str, change: &Value) -> Result<RelationWrite, StoreError> {
        let Value::Object(fields) = change else {
            return Err(invalid("`related_contacts` must be {append, remove}"));
        };
        if let Some(extra) = fields.keys().find(|k| *k != "append" && *k != "remove") {
            return Err(invalid(format!(
                "unknown `related_contacts` field `{extra}`"
            )));
        }
        self.contact(id)?;
        let mut write = RelationWrite::default();
        for row in rows(change, "append")? {
            write.append.push(end(row, "destination", "append")?);
        }
        for row in rows(change, "remove")? {
            let (source, destination) = (
                end(row, "source", "remove")?,
                end(row, "destination", "remove")?,
            );
            let other = match (source == id, destination == id) {
                (true, false) => destination,
                (false, true) => source,
                _ => {
                    return Err(invalid(format!(
                        "a `related_contacts.remove` entry must name contact {id} once, as source or destination"
                    )));
                }
            };
            write.remove.push(other);
        }
        for other in write.append.iter().chain(&write.remove) {
            if other == id {
                return Err(invalid("a contact cannot be related to itself"));
            }
            self.contact(other)
                .map_err(|_| invalid(format!("related contact {other} does not exist")))?;
        }
        Ok(write)
    }

    /// Applies a checked write to contact `id` and the contacts it names.
    pub fn relate(&mut self, id: &str, write: RelationWrite) {
        for other in write.remove {
            self.unpair(id, &other);
        }
        for other in write.append {
            let exists = self
                .contact(id)
                .is_ok_and(|c| c.related_contacts.iter().any(|r| r.links(id, &other)));
            if !exists {
                let row = RelatedContactRow {
                    id: new_id(&mut self.rng),
                    source: id.to_owned(),
                    destination: other.clone(),
                };
                for end in [id, other.as_str()] {
                    if let Some(contact) = self.contacts.get_mut(end) {
                        contact.related_contacts.push(row.clone());
                    }
                }
            }
        }
    }

    fn unpair(&mut self, a: &str, b: &str) {
        for end in [a, b] {
            if let Some(contact) = self.contacts.get_mut(end) {
                contact.related_contacts.retain(|r| !r.links(a, b));
            }
        }
    }

    /// Takes contact `id`'s relations off the contacts at their other end
    /// (it is being deleted).
    pub(super) fn forget_relations(&mut self, id: &str, rows: &[RelatedContactRow]) {
        for row in rows {
            if let Some(contact) = self.contacts.get_mut(row.other(id)) {
                contact.related_contacts.retain(|r| r.id != row.id);
            }
        }
    }

    /// Moves the relations of `from` (merged away, already out of the
    /// store) to `to`: each pair becomes one with `to`, unless `to` has it
    /// already or it was between the two.
    pub(super) fn move_relations(&mut self, from: &str, rows: &[RelatedContactRow], to: &str) {
        self.forget_relations(from, rows);
        let others: Vec<String> = rows
            .iter()
            .map(|r| r.other(from).to_owned())
            .filter(|other| other != to)
            .collect();
        self.relate(
            to,
            RelationWrite {
                append: others,
                remove: vec![],
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::dataset::Dataset;
    use crate::model::Contact;

    fn store(ids: &[&str]) -> Store {
        Store::new(
            Dataset {
                contacts: ids
                    .iter()
                    .map(|id| Contact {
                        id: (*id).into(),
                        ..Contact::default()
                    })
                    .collect(),
                ..Dataset::default()
            },
            7,
        )
    }

    fn related(store: &Store, id: &str) -> Vec<String> {
        store
            .contact(id)
            .unwrap()
            .related_contacts
            .iter()
            .map(|r| r.other(id).to_owned())
            .collect()
    }

    fn write(store: &mut Store, id: &str, change: Value) -> Result<(), StoreError> {
        let checked = store.check_relations(id, &change)?;
        store.relate(id, checked);
        Ok(())
    }

    #[test]
    fn a_pair_shows_on_both_sides_once_and_goes_when_named_either_way() {
        let mut store = store(&["a", "b", "c"]);
        write(
            &mut store,
            "a",
            json!({"append": [{"destination": "b"}, {"destination": "c"}]}),
        )
        .unwrap();
        write(&mut store, "b", json!({"append": [{"destination": "a"}]})).unwrap();
        assert_eq!(related(&store, "a"), ["b", "c"]);
        assert_eq!(related(&store, "b"), ["a"]);
        assert_eq!(
            store.contact("b").unwrap().related_contacts,
            store.contact("a").unwrap().related_contacts[..1],
            "the same row on both sides"
        );
        write(
            &mut store,
            "b",
            json!({"remove": [{"source": "a", "destination": "b"}]}),
        )
        .unwrap();
        assert_eq!(related(&store, "a"), ["c"]);
        assert!(related(&store, "b").is_empty());
        write(
            &mut store,
            "b",
            json!({"remove": [{"source": "b", "destination": "c"}]}),
        )
        .unwrap();
        assert_eq!(
            related(&store, "c"),
            ["a"],
            "removing a pair that is not there changes nothing"
        );
    }

    #[test]
    fn bad_writes_are_refused_before_anything_changes() {
        let mut store = store(&["a", "b"]);
        for change in [
            json!({"append": [{"destination": "b"}, {"destination": "ghost"}]}),
            json!({"append": [{"destination": "a"}]}),
            json!({"append": [{"contact": "b"}]}),
            json!({"remove": [{"source": "b", "destination": "b"}]}),
            json!({"add": []}),
            json!(["b"]),
        ] {
            assert!(write(&mut store, "a", change.clone()).is_err(), "{change}");
        }
        assert!(related(&store, "a").is_empty());
        assert!(store.check_relations("ghost", &json!({})).is_err());
    }

    #[test]
    fn deleting_or_merging_a_contact_carries_its_relations_along() {
        let mut store = store(&["a", "b", "c", "d"]);
        write(
            &mut store,
            "a",
            json!({"append": [{"destination": "b"}, {"destination": "c"}]}),
        )
        .unwrap();
        write(&mut store, "d", json!({"append": [{"destination": "b"}]})).unwrap();
        store
            .merge_contacts(
                &[vec!["b".into(), "d".into()]],
                super::super::Survivor::First,
            )
            .unwrap();
        assert_eq!(
            related(&store, "b"),
            ["a"],
            "d's pair with b itself is dropped"
        );
        write(&mut store, "d", json!({})).unwrap_err();
        store.delete_contact("a").unwrap();
        assert!(related(&store, "b").is_empty());
        assert!(related(&store, "c").is_empty());
    }
}
