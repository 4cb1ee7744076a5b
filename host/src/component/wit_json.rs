//! WIT values as JSON, both ways, guided by the component's own types.
//!
//! The mapping (also in `docs/architecture.md`):
//! - names: WIT kebab-case becomes snake_case (`full-name` → `full_name`);
//! - `record` → object, `option` fields omitted when `none`;
//! - `variant` → object with `"kind"`, plus the payload's fields when the
//!   payload is a record, or `"value"` otherwise;
//! - `enum` → string, `flags` → array of strings, `tuple` → array;
//! - `result` nested inside a value → `{"ok": ..}` or `{"err": ..}`.

use serde_json::{Map, Value};
use wasmtime::component::{Type, Val};

/// Why JSON arguments do not fit the WIT types, with the path to the value
/// at fault (`contact.emails[2]`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("argument `{path}`: {message}")]
pub struct ArgumentError {
    /// Where in the arguments.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

fn mismatch(path: &str, message: impl Into<String>) -> ArgumentError {
    ArgumentError {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// The JSON name of a WIT identifier.
pub fn json_name(wit_name: &str) -> String {
    wit_name.replace('-', "_")
}

/// Field name that carries a variant's case.
pub const VARIANT_TAG: &str = "kind";
/// Field name that carries a variant's non-record payload.
pub const VARIANT_VALUE: &str = "value";

/// Converts `json`, found at `path`, into a value of type `ty`.
pub fn to_val(ty: &Type, json: &Value, path: &str) -> Result<Val, ArgumentError> {
    let integer = |min: i128, max: i128| -> Result<i128, ArgumentError> {
        let n = json
            .as_i64()
            .map(i128::from)
            .or_else(|| json.as_u64().map(i128::from))
            .ok_or_else(|| {
                mismatch(
                    path,
                    format!("expected an integer from {min} to {max}, got {json}"),
                )
            })?;
        if n < min || n > max {
            return Err(mismatch(
                path,
                format!("{n} is out of range: expected {min} to {max}"),
            ));
        }
        Ok(n)
    };
    Ok(match ty {
        Type::Bool => Val::Bool(
            json.as_bool()
                .ok_or_else(|| mismatch(path, format!("expected true or false, got {json}")))?,
        ),
        Type::S8 => Val::S8(integer(i8::MIN.into(), i8::MAX.into())? as i8),
        Type::U8 => Val::U8(integer(0, u8::MAX.into())? as u8),
        Type::S16 => Val::S16(integer(i16::MIN.into(), i16::MAX.into())? as i16),
        Type::U16 => Val::U16(integer(0, u16::MAX.into())? as u16),
        Type::S32 => Val::S32(integer(i32::MIN.into(), i32::MAX.into())? as i32),
        Type::U32 => Val::U32(integer(0, u32::MAX.into())? as u32),
        Type::S64 => Val::S64(integer(i64::MIN.into(), i64::MAX.into())? as i64),
        Type::U64 => Val::U64(integer(0, u64::MAX.into())? as u64),
        Type::Float32 => Val::Float32(number(json, path)? as f32),
        Type::Float64 => Val::Float64(number(json, path)?),
        Type::Char => {
            let s = string(json, path)?;
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Val::Char(c),
                _ => {
                    return Err(mismatch(
                        path,
                        format!("expected exactly one character, got {json}"),
                    ));
                }
            }
        }
        Type::String => Val::String(string(json, path)?.to_owned()),
        Type::List(list) => {
            let items = json
                .as_array()
                .ok_or_else(|| mismatch(path, format!("expected an array, got {json}")))?;
            let item_ty = list.ty();
            Val::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| to_val(&item_ty, item, &format!("{path}[{i}]")))
                    .collect::<Result<_, _>>()?,
            )
        }
        Type::Record(record) => {
            let object = object(json, path)?;
            let fields: Vec<(String, Type)> =
                record.fields().map(|f| (f.name.to_owned(), f.ty)).collect();
            Val::Record(record_fields(&fields, object, path, &[])?)
        }
        Type::Tuple(tuple) => {
            let items = json
                .as_array()
                .ok_or_else(|| mismatch(path, format!("expected an array, got {json}")))?;
            let types: Vec<Type> = tuple.types().collect();
            if items.len() != types.len() {
                return Err(mismatch(
                    path,
                    format!("expected {} items, got {}", types.len(), items.len()),
                ));
            }
            Val::Tuple(
                types
                    .iter()
                    .zip(items)
                    .enumerate()
                    .map(|(i, (t, item))| to_val(t, item, &format!("{path}[{i}]")))
                    .collect::<Result<_, _>>()?,
            )
        }
        Type::Variant(variant) => {
            let object = object(json, path)?;
            let tag = object
                .get(VARIANT_TAG)
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    mismatch(
                        path,
                        format!("expected an object with a `{VARIANT_TAG}` string"),
                    )
                })?;
            let case = variant
                .cases()
                .find(|c| json_name(c.name) == json_name(tag))
                .ok_or_else(|| {
                    let names: Vec<String> = variant.cases().map(|c| json_name(c.name)).collect();
                    mismatch(
                        path,
                        format!(
                            "unknown {VARIANT_TAG} `{tag}`; expected one of {}",
                            names.join(", ")
                        ),
                    )
                })?;
            let payload = match case.ty {
                None => {
                    reject_unknown(object, &[VARIANT_TAG], path)?;
                    None
                }
                Some(Type::Record(record)) => {
                    let fields: Vec<(String, Type)> =
                        record.fields().map(|f| (f.name.to_owned(), f.ty)).collect();
                    Some(Box::new(Val::Record(record_fields(
                        &fields,
                        object,
                        path,
                        &[VARIANT_TAG],
                    )?)))
                }
                Some(ty) => {
                    reject_unknown(object, &[VARIANT_TAG, VARIANT_VALUE], path)?;
                    let value = object.get(VARIANT_VALUE).ok_or_else(|| {
                        mismatch(path, format!("`{tag}` needs a `{VARIANT_VALUE}`"))
                    })?;
                    Some(Box::new(to_val(
                        &ty,
                        value,
                        &format!("{path}.{VARIANT_VALUE}"),
                    )?))
                }
            };
            Val::Variant(case.name.to_owned(), payload)
        }
        Type::Enum(en) => {
            let given = string(json, path)?;
            let name = en
                .names()
                .find(|n| json_name(n) == json_name(given))
                .ok_or_else(|| {
                    let names: Vec<String> = en.names().map(json_name).collect();
                    mismatch(
                        path,
                        format!("`{given}` is not one of {}", names.join(", ")),
                    )
                })?;
            Val::Enum(name.to_owned())
        }
        Type::Option(option) => match json {
            Value::Null => Val::Option(None),
            some => Val::Option(Some(Box::new(to_val(&option.ty(), some, path)?))),
        },
        Type::Result(result) => {
            let object = object(json, path)?;
            let (ok, value) = match (object.get("ok"), object.get("err")) {
                (Some(v), None) => (true, v),
                (None, Some(v)) => (false, v),
                _ => {
                    return Err(mismatch(
                        path,
                        "expected an object with exactly one of `ok` or `err`",
                    ));
                }
            };
            let ty = if ok { result.ok() } else { result.err() };
            let payload = match ty {
                Some(ty) => Some(Box::new(to_val(&ty, value, path)?)),
                None => None,
            };
            Val::Result(if ok { Ok(payload) } else { Err(payload) })
        }
        Type::Flags(flags) => {
            let items = json.as_array().ok_or_else(|| {
                mismatch(path, format!("expected an array of flag names, got {json}"))
            })?;
            let mut set = Vec::new();
            for item in items {
                let given = string(item, path)?;
                let name = flags
                    .names()
                    .find(|n| json_name(n) == json_name(given))
                    .ok_or_else(|| mismatch(path, format!("unknown flag `{given}`")))?;
                set.push(name.to_owned());
            }
            Val::Flags(set)
        }
        other => {
            return Err(mismatch(
                path,
                format!("values of type {other:?} cannot be passed as JSON"),
            ));
        }
    })
}

/// Converts the named `params` of a function from a JSON arguments object.
pub fn params_to_vals(
    params: &[(String, Type)],
    arguments: &Map<String, Value>,
) -> Result<Vec<Val>, ArgumentError> {
    record_fields(params, arguments, "", &[])
        .map(|fields| fields.into_iter().map(|(_, v)| v).collect())
}

fn record_fields(
    fields: &[(String, Type)],
    object: &Map<String, Value>,
    path: &str,
    reserved: &[&str],
) -> Result<Vec<(String, Val)>, ArgumentError> {
    let known: Vec<String> = fields.iter().map(|(n, _)| json_name(n)).collect();
    let allowed: Vec<&str> = known
        .iter()
        .map(String::as_str)
        .chain(reserved.iter().copied())
        .collect();
    reject_unknown(object, &allowed, path)?;
    fields
        .iter()
        .zip(&known)
        .map(|((wit_name, ty), json_key)| {
            let field_path = if path.is_empty() {
                json_key.clone()
            } else {
                format!("{path}.{json_key}")
            };
            let val = match (object.get(json_key), ty) {
                (Some(value), ty) => to_val(ty, value, &field_path)?,
                (None, Type::Option(_)) => Val::Option(None),
                (None, _) => return Err(mismatch(&field_path, "is required")),
            };
            Ok((wit_name.clone(), val))
        })
        .collect()
}

fn reject_unknown(
    object: &Map<String, Value>,
    allowed: &[&str],
    path: &str,
) -> Result<(), ArgumentError> {
    match object.keys().find(|k| !allowed.contains(&k.as_str())) {
        None => Ok(()),
        Some(unknown) => {
            let at = if path.is_empty() {
                unknown.clone()
            } else {
                format!("{path}.{unknown}")
            };
            Err(mismatch(
                &at,
                format!(
                    "is not a known field; expected one of: {}",
                    allowed.join(", ")
                ),
            ))
        }
    }
}

fn object<'a>(json: &'a Value, path: &str) -> Result<&'a Map<String, Value>, ArgumentError> {
    json.as_object()
        .ok_or_else(|| mismatch(path, format!("expected an object, got {json}")))
}

fn string<'a>(json: &'a Value, path: &str) -> Result<&'a str, ArgumentError> {
    json.as_str()
        .ok_or_else(|| mismatch(path, format!("expected a string, got {json}")))
}

fn number(json: &Value, path: &str) -> Result<f64, ArgumentError> {
    json.as_f64()
        .ok_or_else(|| mismatch(path, format!("expected a number, got {json}")))
}

/// Converts a value returned by the component to JSON.
///
/// It takes the value: an answer is lifted once and converted once, so its
/// strings (field names included) move into the JSON instead of being
/// copied. On a search answer of 100 hits this conversion and the lifting
/// before it were most of the host's time.
pub fn to_json(val: Val) -> Value {
    match val {
        Val::Bool(b) => Value::Bool(b),
        Val::S8(n) => n.into(),
        Val::U8(n) => n.into(),
        Val::S16(n) => n.into(),
        Val::U16(n) => n.into(),
        Val::S32(n) => n.into(),
        Val::U32(n) => n.into(),
        Val::S64(n) => n.into(),
        Val::U64(n) => n.into(),
        Val::Float32(n) => {
            serde_json::Number::from_f64(f64::from(n)).map_or(Value::Null, Value::Number)
        }
        Val::Float64(n) => serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
        Val::Char(c) => Value::String(c.to_string()),
        Val::String(s) => Value::String(s),
        Val::List(items) | Val::Tuple(items) | Val::FixedLengthList(items) => {
            Value::Array(items.into_iter().map(to_json).collect())
        }
        Val::Record(fields) => {
            let mut object = Map::with_capacity(fields.len());
            insert_fields(&mut object, fields);
            Value::Object(object)
        }
        Val::Variant(case, payload) => {
            let payload = payload.map(|p| *p);
            let size = match &payload {
                Some(Val::Record(fields)) => 1 + fields.len(),
                _ => 2,
            };
            let mut object = Map::with_capacity(size);
            object.insert(VARIANT_TAG.into(), Value::String(into_json_name(case)));
            match payload {
                None => {}
                Some(Val::Record(fields)) => insert_fields(&mut object, fields),
                Some(other) => {
                    object.insert(VARIANT_VALUE.into(), to_json(other));
                }
            }
            Value::Object(object)
        }
        Val::Enum(case) => Value::String(into_json_name(case)),
        Val::Option(None) => Value::Null,
        Val::Option(Some(v)) => to_json(*v),
        Val::Result(result) => {
            let (key, payload) = match result {
                Ok(v) => ("ok", v),
                Err(v) => ("err", v),
            };
            let mut object = Map::with_capacity(1);
            object.insert(key.into(), payload.map_or(Value::Null, |v| to_json(*v)));
            Value::Object(object)
        }
        Val::Flags(names) => Value::Array(
            names
                .into_iter()
                .map(|n| Value::String(into_json_name(n)))
                .collect(),
        ),
        Val::Map(pairs) => Value::Array(
            pairs
                .into_iter()
                .map(|(k, v)| Value::Array(vec![to_json(k), to_json(v)]))
                .collect(),
        ),
        // No tool signature with these survives the catalogue (see `schema`).
        Val::Resource(_) | Val::Future(_) | Val::Stream(_) | Val::ErrorContext(_) => Value::Null,
    }
}

/// Adds a record's fields to `object`, absent options left out.
fn insert_fields(object: &mut Map<String, Value>, fields: Vec<(String, Val)>) {
    for (name, v) in fields {
        if !matches!(v, Val::Option(None)) {
            object.insert(into_json_name(name), to_json(v));
        }
    }
}

/// [`json_name`] reusing the WIT name's own buffer: `-` and `_` are both
/// one byte, so the name is rewritten where it lies.
fn into_json_name(wit_name: String) -> String {
    if !wit_name.contains('-') {
        return wit_name;
    }
    let mut bytes = wit_name.into_bytes();
    for byte in &mut bytes {
        if *byte == b'-' {
            *byte = b'_';
        }
    }
    String::from_utf8(bytes).expect("replacing an ASCII byte by another keeps UTF-8 valid")
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use wasmtime::component::Component;
    use wasmtime::component::types::ComponentItem;
    use wasmtime::{Config, Engine};

    use super::*;
    use crate::component::schema;

    /// The parameter types of the function `f` of a component written in
    /// WAT: a record, a variant, an enum, flags and the wrappers.
    fn param_types() -> Vec<(String, Type)> {
        let engine = Engine::new(&Config::new()).unwrap();
        let wat = r#"(component
            (type $person' (record (field "full-name" string) (field "age" (option u8)) (field "tags" (list string))))
            (import "person" (type $person (eq $person')))
            (type $mood' (enum "very-happy" "sad"))
            (import "mood" (type $mood (eq $mood')))
            (type $event' (variant (case "met" $person) (case "called" u32) (case "forgot")))
            (import "event" (type $event (eq $event')))
            (type $perms' (flags "read" "write-all"))
            (import "perms" (type $perms (eq $perms')))
            (import "f" (func (param "who" $person) (param "mood" $mood) (param "event" $event)
                (param "perms" $perms) (param "pair" (tuple s8 char)) (param "maybe" (option (result u64 (error string))))))
        )"#;
        let component = Component::new(&engine, wat).unwrap();
        let ty = component.component_type();
        let (_, f) = ty.imports(&engine).find(|(name, _)| *name == "f").unwrap();
        let ComponentItem::ComponentFunc(func) = f.ty else {
            panic!("f is a function")
        };
        func.params().map(|(n, t)| (n.to_owned(), t)).collect()
    }

    fn arguments(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn full() -> Value {
        json!({
            "who": {"full_name": "Ada", "age": 36, "tags": ["math"]},
            "mood": "very_happy",
            "event": {"kind": "called", "value": 7},
            "perms": ["write_all"],
            "pair": [-3, "x"],
            "maybe": {"ok": 12}
        })
    }

    #[test]
    fn arguments_convert_and_come_back_as_the_same_json() {
        let params = param_types();
        let vals = params_to_vals(&params, &arguments(full())).unwrap();
        let back: Map<String, Value> = params
            .iter()
            .map(|(n, _)| json_name(n))
            .zip(vals.into_iter().map(to_json))
            .collect();
        assert_eq!(Value::Object(back), full());
    }

    #[test]
    fn a_record_payload_is_flattened_into_the_variant_object() {
        let params = param_types();
        let mut args = full();
        args["event"] = json!({"kind": "met", "full_name": "Bob", "tags": []});
        let vals = params_to_vals(&params, &arguments(args)).unwrap();
        assert_eq!(
            to_json(vals[2].clone()),
            json!({"kind": "met", "full_name": "Bob", "tags": []})
        );
        // The tag leads, so that a reader of the raw JSON sees the case first.
        let text = to_json(vals[2].clone()).to_string();
        assert!(text.starts_with(r#"{"kind":"met","#), "{text}");
        args = full();
        args["event"] = json!({"kind": "forgot"});
        assert!(params_to_vals(&params, &arguments(args)).is_ok());
    }

    #[test]
    fn missing_optional_fields_are_none_and_left_out_again() {
        let params = param_types();
        let mut args = full();
        args["who"] = json!({"full_name": "Ada", "tags": []});
        args.as_object_mut().unwrap().remove("maybe");
        let vals = params_to_vals(&params, &arguments(args)).unwrap();
        assert_eq!(
            to_json(vals[0].clone()),
            json!({"full_name": "Ada", "tags": []})
        );
        assert_eq!(vals[5], Val::Option(None));
    }

    #[test]
    fn errors_name_the_path_to_the_bad_value() {
        let params = param_types();
        let cases = [
            (
                json!({"who": {"full_name": "Ada", "age": 300, "tags": []}}),
                "who.age",
            ),
            (
                json!({"who": {"full_name": "Ada", "tags": [1]}}),
                "who.tags[0]",
            ),
            (
                json!({"who": {"full_name": "Ada", "tags": [], "nick": "A"}}),
                "who.nick",
            ),
            (json!({"mood": "angry"}), "mood"),
            (json!({"event": {"kind": "emailed"}}), "event"),
            (json!({"pair": [1]}), "pair"),
            (json!({"pair": [1, "xy"]}), "pair[1]"),
        ];
        for (patch, path) in cases {
            let mut args = full();
            for (k, v) in patch.as_object().unwrap() {
                args[k] = v.clone();
            }
            let err = params_to_vals(&params, &arguments(args)).unwrap_err();
            assert_eq!(err.path, path, "{err}");
        }
        let mut args = full();
        args.as_object_mut().unwrap().remove("who");
        assert_eq!(
            params_to_vals(&params, &arguments(args)).unwrap_err().path,
            "who"
        );
    }

    #[test]
    fn schemas_describe_what_conversion_accepts() {
        let params = param_types();
        let schema = Value::Object(schema::object_schema(&params, &[]).unwrap());
        assert_eq!(
            schema["required"],
            json!(["who", "mood", "event", "perms", "pair"])
        );
        assert_eq!(schema["additionalProperties"], json!(false));
        assert_eq!(
            schema["properties"]["who"]["required"],
            json!(["full_name", "tags"])
        );
        assert_eq!(
            schema["properties"]["who"]["properties"]["age"]["maximum"],
            json!(255)
        );
        assert_eq!(
            schema["properties"]["mood"]["enum"],
            json!(["very_happy", "sad"])
        );
        let cases = schema["properties"]["event"]["oneOf"].as_array().unwrap();
        assert_eq!(cases[0]["properties"]["kind"]["const"], json!("met"));
        assert!(cases[0]["properties"]["full_name"].is_object());
        assert_eq!(cases[1]["required"], json!(["kind", "value"]));
        assert_eq!(
            schema["properties"]["perms"]["items"]["enum"],
            json!(["read", "write_all"])
        );
    }
}
