//! Custom fields: their definitions (a name, a field type and, for an
//! `autocomplete` field, its options) and the values contacts hold for
//! them. A contact carries its values as `custom_fields: [{id, type,
//! text_value}]` (the reference's shape), whatever the field type: the
//! text, the chosen option, or the `YYYY-MM-DD` day. Deleting a field
//! takes its values off every contact, as Dex's cascade would.

use serde_json::{Map, Value};

use super::{Store, StoreError, invalid, not_found};
use crate::ids::new_id;
use crate::model::{Contact, CustomField, CustomFieldCategory, CustomFieldValue};
use crate::timestamps::{parse_date, parse_instant};

/// The field types Dex's reference names.
const FIELD_TYPES: [&str; 3] = ["input", "autocomplete", "datepicker"];

/// A definition's name: trimmed text that is not empty.
fn field_name(value: Option<&Value>) -> Result<String, StoreError> {
    match value {
        Some(Value::String(name)) if !name.trim().is_empty() => Ok(name.trim().to_owned()),
        _ => Err(invalid("custom field `name` must be non-empty text")),
    }
}

/// The option texts of `categories`: `[{category}]` (the reference), or
/// plain strings; blank or repeated options are refused.
fn category_texts(value: &Value) -> Result<Vec<String>, StoreError> {
    let list = value
        .as_array()
        .ok_or_else(|| invalid("custom field `categories` must be a list"))?;
    let mut texts: Vec<String> = Vec::with_capacity(list.len());
    for item in list {
        let text = match item {
            Value::String(text) => Some(text.as_str()),
            Value::Object(fields) => fields.get("category").and_then(Value::as_str),
            _ => None,
        }
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            invalid("each of `categories` must be {\"category\": \"non-empty text\"}")
        })?;
        if texts.iter().any(|t| t.eq_ignore_ascii_case(text)) {
            return Err(invalid(format!("category `{text}` is given twice")));
        }
        texts.push(text.to_owned());
    }
    Ok(texts)
}

/// Refuses fields other than `allowed`.
fn only(fields: &Map<String, Value>, allowed: &[&str]) -> Result<(), StoreError> {
    match fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(extra) => Err(invalid(format!("unknown custom field field `{extra}`"))),
        None => Ok(()),
    }
}

/// One value of a batch update, checked against its field.
struct Assignment {
    contact_id: String,
    field_id: String,
    kind: String,
    /// `None` clears the contact's value.
    value: Option<String>,
}

impl Store {
    /// One custom field definition.
    pub fn custom_field(&self, id: &str) -> Result<&CustomField, StoreError> {
        self.custom_fields
            .iter()
            .find(|f| f.id == id)
            .ok_or_else(|| not_found("custom field", id))
    }

    /// The options of `texts`, keeping the ids of those `current` has.
    fn categories(
        &mut self,
        texts: Vec<String>,
        current: &[CustomFieldCategory],
    ) -> Vec<CustomFieldCategory> {
        texts
            .into_iter()
            .map(|category| {
                let id = current
                    .iter()
                    .find(|c| c.category == category)
                    .map(|c| c.id.clone())
                    .unwrap_or_else(|| new_id(&mut self.rng));
                CustomFieldCategory { id, category }
            })
            .collect()
    }

    /// Creates a custom field from `{name, field_type, categories}`;
    /// `categories` only for an `autocomplete` field.
    pub fn create_custom_field(
        &mut self,
        fields: &Map<String, Value>,
    ) -> Result<CustomField, StoreError> {
        only(fields, &["name", "field_type", "categories"])?;
        let name = field_name(fields.get("name"))?;
        let field_type = match fields.get("field_type") {
            Some(Value::String(t)) if FIELD_TYPES.contains(&t.as_str()) => t.clone(),
            _ => {
                return Err(invalid(format!(
                    "custom field `field_type` must be one of {}",
                    FIELD_TYPES.join(", ")
                )));
            }
        };
        let texts = match fields.get("categories") {
            None | Some(Value::Null) => Vec::new(),
            Some(value) => category_texts(value)?,
        };
        if field_type != "autocomplete" && !texts.is_empty() {
            return Err(invalid(
                "only an autocomplete custom field has `categories`",
            ));
        }
        let field = CustomField {
            id: new_id(&mut self.rng),
            name,
            field_type,
            categories: self.categories(texts, &[]),
        };
        self.custom_fields.push(field.clone());
        Ok(field)
    }

    /// Changes a custom field's name or options (`categories` replaces
    /// them); its field type stays.
    pub fn update_custom_field(
        &mut self,
        id: &str,
        fields: &Map<String, Value>,
    ) -> Result<CustomField, StoreError> {
        only(fields, &["name", "field_type", "categories"])?;
        let current = self.custom_field(id)?.clone();
        if let Some(field_type) = fields.get("field_type")
            && field_type.as_str() != Some(current.field_type.as_str())
        {
            return Err(invalid("a custom field's `field_type` cannot change"));
        }
        let name = match fields.get("name") {
            None => current.name.clone(),
            some => field_name(some)?,
        };
        let categories = match fields.get("categories") {
            None => current.categories.clone(),
            Some(value) => {
                let texts = category_texts(value)?;
                if current.field_type != "autocomplete" && !texts.is_empty() {
                    return Err(invalid(
                        "only an autocomplete custom field has `categories`",
                    ));
                }
                self.categories(texts, &current.categories)
            }
        };
        let field = CustomField {
            name,
            categories,
            ..current
        };
        for slot in self.custom_fields.iter_mut().filter(|f| f.id == id) {
            *slot = field.clone();
        }
        Ok(field)
    }

    /// Deletes a custom field and every contact's value for it.
    pub fn delete_custom_field(&mut self, id: &str) -> Result<CustomField, StoreError> {
        let field = self.custom_field(id)?.clone();
        self.custom_fields.retain(|f| f.id != id);
        self.relabel_contacts(|c| {
            let before = c.custom_fields.len();
            c.custom_fields.retain(|v| v.id != id);
            c.custom_fields.len() != before
        });
        Ok(field)
    }

    /// Applies a batch of values, each `{contact_id, custom_field_id}` with
    /// the value key of its field's type (`text_value` for `input`,
    /// `array_value` for `autocomplete`, `date_value` for `datepicker`);
    /// a `null`, empty text or empty list clears. Every entry is checked
    /// before anything changes. Answers how many entries were applied.
    pub fn update_custom_field_values(
        &mut self,
        batch: &[Map<String, Value>],
    ) -> Result<usize, StoreError> {
        if batch.is_empty() {
            return Err(invalid("no custom field values given"));
        }
        let assignments: Vec<Assignment> = batch
            .iter()
            .map(|entry| self.assignment(entry))
            .collect::<Result<_, _>>()?;
        for assignment in &assignments {
            let Assignment {
                contact_id,
                field_id,
                kind,
                value,
            } = assignment;
            self.relabel_listed(std::slice::from_ref(contact_id), |c: &mut Contact| {
                let before = c.custom_fields.clone();
                match value {
                    None => c.custom_fields.retain(|v| v.id != *field_id),
                    Some(text) => match c.custom_fields.iter_mut().find(|v| v.id == *field_id) {
                        Some(slot) => slot.text_value = Some(text.clone()),
                        None => c.custom_fields.push(CustomFieldValue {
                            id: field_id.clone(),
                            kind: kind.clone(),
                            text_value: Some(text.clone()),
                        }),
                    },
                }
                c.custom_fields != before
            });
        }
        Ok(assignments.len())
    }

    /// One entry of a batch update, checked: the contact and field exist,
    /// and the value suits the field.
    fn assignment(&self, entry: &Map<String, Value>) -> Result<Assignment, StoreError> {
        only(
            entry,
            &[
                "contact_id",
                "custom_field_id",
                "text_value",
                "date_value",
                "array_value",
            ],
        )?;
        let id_of = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| invalid(format!("each value needs `{key}`")))
        };
        let contact_id = id_of("contact_id")?;
        let field_id = id_of("custom_field_id")?;
        self.contact(&contact_id)?;
        let field = self.custom_field(&field_id)?;
        let key = match field.field_type.as_str() {
            "autocomplete" => "array_value",
            "datepicker" => "date_value",
            _ => "text_value",
        };
        if let Some(wrong) = ["text_value", "date_value", "array_value"]
            .into_iter()
            .find(|k| *k != key && entry.contains_key(*k))
        {
            return Err(invalid(format!(
                "custom field {} is {}: send `{key}`, not `{wrong}`",
                field.id, field.field_type
            )));
        }
        let malformed = || invalid(format!("`{key}` of custom field {} is malformed", field.id));
        let value = match (key, entry.get(key)) {
            (_, None | Some(Value::Null)) => None,
            ("array_value", Some(Value::Array(items))) => match items.as_slice() {
                [] => None,
                [Value::String(option)] => {
                    if !field.categories.iter().any(|c| c.category == *option) {
                        return Err(invalid(format!(
                            "`{option}` is not a category of custom field {}",
                            field.id
                        )));
                    }
                    Some(option.clone())
                }
                _ => return Err(malformed()),
            },
            ("date_value", Some(Value::String(text))) => {
                let day = parse_date(text)
                    .or_else(|| parse_instant(text).map(|t| t.date()))
                    .ok_or_else(malformed)?;
                Some(day.format("%Y-%m-%d").to_string())
            }
            ("text_value", Some(Value::String(text))) => {
                Some(text.trim().to_owned()).filter(|t| !t.is_empty())
            }
            _ => return Err(malformed()),
        };
        Ok(Assignment {
            contact_id,
            kind: field.field_type.clone(),
            field_id,
            value,
        })
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

    fn store() -> (Store, String) {
        let mut store = Store::new(Dataset::default(), 1);
        let ada = store
            .create_contacts(
                &[fields(json!({"first_name": "Ada"}))],
                FieldRules {
                    writable: &["first_name"],
                    read_only: &[],
                },
            )
            .unwrap()
            .remove(0)
            .id;
        (store, ada)
    }

    fn values(store: &Store, id: &str) -> Vec<(String, Option<String>)> {
        store
            .contact(id)
            .unwrap()
            .custom_fields
            .iter()
            .map(|v| (v.id.clone(), v.text_value.clone()))
            .collect()
    }

    #[test]
    fn values_of_each_type_are_set_cleared_and_gone_with_their_field() {
        let (mut store, ada) = store();
        let diet = store
            .create_custom_field(&fields(json!({
                "name": " Diet ", "field_type": "autocomplete",
                "categories": [{"category": "Vegan"}, {"category": "Vegetarian"}]
            })))
            .unwrap();
        assert_eq!(diet.name, "Diet");
        let met = store
            .create_custom_field(&fields(
                json!({"name": "Met on", "field_type": "datepicker"}),
            ))
            .unwrap();
        let applied = store
            .update_custom_field_values(&[
                fields(json!({"contact_id": ada, "custom_field_id": diet.id, "array_value": ["Vegan"]})),
                fields(json!({"contact_id": ada, "custom_field_id": met.id, "date_value": "2024-05-01T00:00:00Z"})),
            ])
            .unwrap();
        assert_eq!(applied, 2);
        assert_eq!(
            values(&store, &ada),
            [
                (diet.id.clone(), Some("Vegan".into())),
                (met.id.clone(), Some("2024-05-01".into()))
            ]
        );
        store
            .update_custom_field_values(&[fields(
                json!({"contact_id": ada, "custom_field_id": met.id, "date_value": null}),
            )])
            .unwrap();
        assert_eq!(values(&store, &ada).len(), 1);
        let renamed = store
            .update_custom_field(
                &diet.id,
                &fields(json!({"categories": [{"category": "Vegan"}, {"category": "Keto"}]})),
            )
            .unwrap();
        assert_eq!(
            renamed.categories[0].id, diet.categories[0].id,
            "kept option keeps its id"
        );
        store.delete_custom_field(&diet.id).unwrap();
        assert!(values(&store, &ada).is_empty());
        assert_eq!(store.custom_fields().len(), 1);
    }

    #[test]
    fn a_bad_entry_refuses_the_whole_batch() {
        let (mut store, ada) = store();
        let diet = store
            .create_custom_field(&fields(json!({
                "name": "Diet", "field_type": "autocomplete", "categories": ["Vegan"]
            })))
            .unwrap();
        let how = store
            .create_custom_field(&fields(
                json!({"name": "How we met", "field_type": "input"}),
            ))
            .unwrap();
        for bad in [
            json!({"contact_id": ada, "custom_field_id": diet.id, "array_value": ["Keto"]}),
            json!({"contact_id": ada, "custom_field_id": diet.id, "text_value": "Vegan"}),
            json!({"contact_id": "nobody", "custom_field_id": how.id, "text_value": "x"}),
            json!({"contact_id": ada, "custom_field_id": "nothing", "text_value": "x"}),
        ] {
            let batch = [
                fields(json!({"contact_id": ada, "custom_field_id": how.id, "text_value": "Work"})),
                fields(bad.clone()),
            ];
            assert!(store.update_custom_field_values(&batch).is_err(), "{bad}");
            assert!(values(&store, &ada).is_empty(), "{bad} changed something");
        }
        assert!(
            store
                .create_custom_field(&fields(
                    json!({"name": "X", "field_type": "input", "categories": ["a"]})
                ))
                .is_err()
        );
        assert!(
            store
                .create_custom_field(&fields(json!({"name": "X", "field_type": "number"})))
                .is_err()
        );
    }
}
