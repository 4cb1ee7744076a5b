//! Applying a client's JSON fields to a record, with the API's rules:
//! unknown fields and read-only fields are refused, values must have the
//! field's type.
//!
//! A record is turned into a JSON object, the accepted fields are laid over
//! it and the result is read back into the record type, so every record kind
//! shares one implementation and type errors come from serde.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::StoreError;

/// Which fields a client may send for one kind of write.
#[derive(Debug, Clone, Copy)]
pub struct FieldRules {
    /// Fields the client may set.
    pub writable: &'static [&'static str],
    /// Fields the API owns; sending one is an error that names it.
    pub read_only: &'static [&'static str],
}

/// `current` with `fields` applied, or why the fields are refused.
pub fn apply<T: Serialize + DeserializeOwned>(
    current: &T,
    fields: &Map<String, Value>,
    rules: FieldRules,
) -> Result<T, StoreError> {
    check_fields(fields, rules)?;
    let mut object = match serde_json::to_value(current) {
        Ok(Value::Object(object)) => object,
        _ => unreachable!("records serialise to JSON objects"),
    };
    for (key, value) in fields {
        object.insert(key.clone(), value.clone());
    }
    serde_json::from_value(Value::Object(object))
        .map_err(|e| StoreError::Invalid(format!("invalid field value: {e}")))
}

/// Refuses read-only and unknown fields.
pub fn check_fields(fields: &Map<String, Value>, rules: FieldRules) -> Result<(), StoreError> {
    for key in fields.keys() {
        if rules.read_only.contains(&key.as_str()) {
            return Err(StoreError::Invalid(format!(
                "field `{key}` is read-only and cannot be sent"
            )));
        }
        if !rules.writable.contains(&key.as_str()) {
            return Err(StoreError::Invalid(format!("unknown field `{key}`")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Contact;
    use serde_json::json;

    const RULES: FieldRules = FieldRules {
        writable: &["first_name", "starred"],
        read_only: &["id", "created_at"],
    };

    fn fields(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn sets_only_the_given_fields() {
        let contact = Contact {
            id: "c1".into(),
            last_name: Some("Weiß".into()),
            ..Contact::default()
        };
        let patched = apply(&contact, &fields(json!({"first_name": "Jörg"})), RULES).unwrap();
        assert_eq!(patched.first_name.as_deref(), Some("Jörg"));
        assert_eq!(patched.last_name.as_deref(), Some("Weiß"));
        assert_eq!(patched.id, "c1");
    }

    #[test]
    fn refuses_read_only_fields_by_name() {
        let err = apply(&Contact::default(), &fields(json!({"id": "x"})), RULES).unwrap_err();
        assert!(err.to_string().contains("`id` is read-only"), "{err}");
    }

    #[test]
    fn refuses_unknown_fields_by_name() {
        let err = apply(&Contact::default(), &fields(json!({"nick": "x"})), RULES).unwrap_err();
        assert!(err.to_string().contains("unknown field `nick`"), "{err}");
    }

    #[test]
    fn refuses_values_of_the_wrong_type() {
        let err = apply(
            &Contact::default(),
            &fields(json!({"starred": "yes"})),
            RULES,
        );
        assert!(err.is_err());
    }
}
