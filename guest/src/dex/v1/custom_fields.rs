//! Custom fields through v1 (`docs/dex-api.md`, "Other v1 endpoints"):
//! the definitions, read whole (an account has a handful), their writes,
//! and the batch update of contacts' values.
//!
//! The reference gives the create's body (`{"custom_field": {name,
//! field_type, categories: [{category}]}}`) and the batch update's entries
//! (`{contact_id, custom_field_id, text_value | date_value | array_value}`)
//! but not how a definition is answered nor what holds the entries, so a
//! definition is read with `field_type` or `type` and its options as
//! `[{category}]` records or plain strings, and the entries are sent under
//! `values`. Which value key goes with which field type is a guess too:
//! `text_value` for free text, `date_value` for a day, and `array_value`
//! (a list of one) for an option.
//!
//! A create is sent once; an update, a delete and a batch of values set a
//! state, so each is repeated after a transient failure.

use serde::Deserialize;
use serde_json::{Value, json};

use super::answers::{self, Kind};
use super::writes::V1Writer;
use crate::dex::wire_text::require_ids;
use crate::dex::{HttpResponse, HttpTransport, Method};
use crate::model::{ContactId, CustomField, FieldType, ToolError};

/// Where the definitions are.
const PATH: &str = "/v1/custom-fields";

/// A custom field in a write's answer: `data.custom_field` or bare.
const CUSTOM_FIELD: Kind = Kind {
    singular: "custom_field",
    plural: None,
};

/// A definition as the endpoints answer it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WireCustomField {
    id: String,
    name: Option<String>,
    #[serde(alias = "type")]
    field_type: Option<String>,
    #[serde(alias = "custom_field_categories")]
    categories: Option<Vec<WireCategory>>,
}

/// One option: `{category}` (with an id, or `name`/`value` for the
/// text), or the text itself.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum WireCategory {
    Text(String),
    Record {
        #[serde(default, alias = "name", alias = "value")]
        category: Option<String>,
    },
}

impl WireCategory {
    fn text(self) -> Option<String> {
        match self {
            WireCategory::Text(text) => Some(text),
            WireCategory::Record { category } => category,
        }
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
    }
}

impl From<WireCustomField> for CustomField {
    fn from(w: WireCustomField) -> CustomField {
        let field_type = FieldType::from_wire(w.field_type.as_deref().unwrap_or_default());
        CustomField {
            id: w.id,
            name: w.name.unwrap_or_default().trim().to_owned(),
            field_type,
            options: w
                .categories
                .unwrap_or_default()
                .into_iter()
                .filter_map(WireCategory::text)
                .collect(),
        }
    }
}

/// `[{category}]` of `options`.
fn categories(options: &[String]) -> Value {
    options.iter().map(|o| json!({ "category": o })).collect()
}

/// One entry of a batch update: `value` set on `contact`, or its value
/// cleared when `None`, under the key of the field's type.
fn entry(field: &CustomField, contact: &ContactId, value: Option<&str>) -> Value {
    let mut entry = json!({ "contact_id": contact.as_str(), "custom_field_id": field.id });
    let (key, value) = match field.field_type {
        FieldType::Text => ("text_value", json!(value)),
        FieldType::Date => ("date_value", json!(value)),
        FieldType::Choice => ("array_value", json!(value.into_iter().collect::<Vec<_>>())),
    };
    entry[key] = value;
    entry
}

/// The count in a batch update's answer (`data.count`), when there is one.
fn applied_count(response: &HttpResponse, endpoint: &str) -> Result<Option<u64>, ToolError> {
    Ok(answers::optional_data(response, endpoint)?
        .and_then(|data| data.get("count").and_then(Value::as_u64)))
}

/// The definition in a write's answer, wrapped or bare.
fn field_answer(response: &HttpResponse, endpoint: &str) -> Result<CustomField, ToolError> {
    answers::record::<WireCustomField>(response, CUSTOM_FIELD, endpoint)
        .map(|(wire, _)| wire.into())
}

impl<T: HttpTransport> V1Writer<T> {
    /// Every custom field of the account, in Dex's order.
    pub fn custom_fields(&self) -> Result<Vec<CustomField>, ToolError> {
        let fields: Vec<WireCustomField> = self.read_all(PATH, "custom field")?;
        require_ids(
            fields.iter().map(|f| f.id.as_str()),
            "custom field",
            "GET /v1/custom-fields",
        )?;
        Ok(fields.into_iter().map(CustomField::from).collect())
    }

    /// Creates a custom field (`POST /v1/custom-fields`), sent once;
    /// `options` only for a choice field.
    pub fn create_custom_field(
        &self,
        name: &str,
        field_type: FieldType,
        options: &[String],
    ) -> Result<CustomField, ToolError> {
        let mut field = json!({"name": name, "field_type": field_type.wire()});
        if field_type == FieldType::Choice {
            field["categories"] = categories(options);
        }
        self.post_once(
            PATH,
            &json!({ "custom_field": field }),
            &format!("the custom field {name:?}"),
            "list_custom_fields",
            |r| field_answer(r, "POST /v1/custom-fields"),
        )
    }

    /// Renames custom field `id` or replaces its options
    /// (`PUT /v1/custom-fields/{id}`); what is `None` stays.
    pub fn update_custom_field(
        &self,
        id: &str,
        name: Option<&str>,
        options: Option<&[String]>,
    ) -> Result<CustomField, ToolError> {
        let mut field = serde_json::Map::new();
        if let Some(name) = name {
            field.insert("name".into(), json!(name));
        }
        if let Some(options) = options {
            field.insert("categories".into(), categories(options));
        }
        let response = self.send_retried(
            Method::Put,
            &format!("{PATH}/{id}"),
            Some(&json!({ "custom_field": field })),
            &format!("custom field with id {id}"),
        )?;
        field_answer(&response, "PUT /v1/custom-fields/{id}")
    }

    /// Deletes custom field `id`; Dex drops every contact's value for it.
    pub fn delete_custom_field(&self, id: &str) -> Result<(), ToolError> {
        self.send_retried(
            Method::Delete,
            &format!("{PATH}/{id}"),
            None,
            &format!("custom field with id {id}"),
        )?;
        Ok(())
    }

    /// Sets (or, for `None`, clears) the value of `field` on each contact
    /// of `values`, in one `POST /v1/custom-fields/batch-update-contacts`;
    /// answers the count Dex gives, when it gives one.
    pub fn set_custom_field_values(
        &self,
        field: &CustomField,
        values: &[(ContactId, Option<String>)],
    ) -> Result<Option<u64>, ToolError> {
        let entries: Vec<Value> = values
            .iter()
            .map(|(contact, value)| entry(field, contact, value.as_deref()))
            .collect();
        let path = format!("{PATH}/batch-update-contacts");
        let response = self.send_repeatable(
            Method::Post,
            &path,
            &json!({ "values": entries }),
            &format!(
                "custom field with id {}, or one of the contacts named",
                field.id
            ),
        )?;
        applied_count(&response, "POST /v1/custom-fields/batch-update-contacts")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dex::testing::{Scripted, no_wait};
    use crate::model::ErrorKind;

    fn writer(script: &Scripted) -> V1Writer<&Scripted> {
        V1Writer::new("http://dex.test", script).with_retrier(no_wait())
    }

    fn contact(id: &str) -> ContactId {
        ContactId::parse("contact-ids", id).unwrap()
    }

    #[test]
    fn definitions_are_read_in_either_shape() {
        let script = Scripted::new(&[(
            200,
            r#"{"error":false,"data":{"items":[
                {"id":"f1","name":" Diet ","field_type":"autocomplete","categories":[{"id":"o1","category":"Vegan"},{"category":" "}]},
                {"id":"f2","name":"Met on","type":"datepicker","categories":[]},
                {"id":"f3","name":"Sport","type":"autocomplete","categories":["Rowing","Chess"]},
                {"id":"f4","name":"How we met"}
            ],"nextCursor":null}}"#,
        )]);
        let fields = writer(&script).custom_fields().unwrap();
        let read: Vec<(&str, FieldType, Vec<&str>)> = fields
            .iter()
            .map(|f| {
                (
                    f.name.as_str(),
                    f.field_type,
                    f.options.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                ("Diet", FieldType::Choice, vec!["Vegan"]),
                ("Met on", FieldType::Date, vec![]),
                ("Sport", FieldType::Choice, vec!["Rowing", "Chess"]),
                ("How we met", FieldType::Text, vec![]),
            ]
        );
        assert_eq!(
            script.seen()[0].url,
            "http://dex.test/v1/custom-fields?take=100"
        );
    }

    #[test]
    fn a_create_sends_the_options_of_a_choice_field_and_reads_the_answer_wrapped_or_bare() {
        for body in [
            r#"{"error":false,"data":{"custom_field":{"id":"f9","name":"Diet","field_type":"autocomplete","categories":[{"category":"Vegan"}]}}}"#,
            r#"{"error":false,"data":{"id":"f9","name":"Diet","type":"autocomplete","categories":["Vegan"]}}"#,
        ] {
            let script = Scripted::new(&[(200, body)]);
            let field = writer(&script)
                .create_custom_field("Diet", FieldType::Choice, &["Vegan".into()])
                .unwrap();
            assert_eq!(
                (field.id.as_str(), field.options.len()),
                ("f9", 1),
                "{body}"
            );
            assert_eq!(
                script.body(0),
                json!({"custom_field": {"name": "Diet", "field_type": "autocomplete", "categories": [{"category": "Vegan"}]}})
            );
        }
        let script = Scripted::new(&[(503, "busy")]);
        let err = writer(&script)
            .create_custom_field("Met on", FieldType::Date, &[])
            .unwrap_err();
        assert!(
            err.message.contains("list_custom_fields"),
            "{}",
            err.message
        );
        assert_eq!(script.seen().len(), 1, "a create is sent once");
    }

    #[test]
    fn values_go_under_the_key_of_their_field_type_and_a_batch_is_repeated_after_a_5xx() {
        let field = |field_type| CustomField {
            id: "f1".into(),
            name: "F".into(),
            field_type,
            options: vec!["Vegan".into()],
        };
        let script = Scripted::new(&[
            (502, ""),
            (200, r#"{"error":false,"data":{"count":2}}"#),
            (200, r#"{"error":false,"message":"ok"}"#),
            (200, r#"{"error":false,"data":{"count":1}}"#),
        ]);
        let writer = writer(&script);
        let count = writer
            .set_custom_field_values(
                &field(FieldType::Choice),
                &[(contact("c1"), Some("Vegan".into())), (contact("c2"), None)],
            )
            .unwrap();
        assert_eq!(count, Some(2));
        assert_eq!(
            script.body(1),
            json!({"values": [
                {"contact_id": "c1", "custom_field_id": "f1", "array_value": ["Vegan"]},
                {"contact_id": "c2", "custom_field_id": "f1", "array_value": []},
            ]})
        );
        let count = writer
            .set_custom_field_values(
                &field(FieldType::Date),
                &[(contact("c1"), Some("2024-05-01".into()))],
            )
            .unwrap();
        assert_eq!(count, None, "no count in the answer");
        assert_eq!(script.body(2)["values"][0]["date_value"], "2024-05-01");
        writer
            .set_custom_field_values(&field(FieldType::Text), &[(contact("c1"), None)])
            .unwrap();
        assert_eq!(script.body(3)["values"][0]["text_value"], Value::Null);
    }

    #[test]
    fn an_update_sends_only_what_changes_and_an_unknown_field_is_not_found() {
        let script = Scripted::new(&[
            (
                200,
                r#"{"error":false,"data":{"custom_field":{"id":"f1","name":"Diet","field_type":"autocomplete","categories":[{"category":"Keto"}]}}}"#,
            ),
            (404, r#"{"error":true,"message":"not found"}"#),
        ]);
        let field = writer(&script)
            .update_custom_field("f1", None, Some(&["Keto".into()]))
            .unwrap();
        assert_eq!(field.options, ["Keto"]);
        assert_eq!(
            script.body(0),
            json!({"custom_field": {"categories": [{"category": "Keto"}]}})
        );
        let err = writer(&script).delete_custom_field("f9").unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
    }
}
