//! JSON Schemas for MCP, derived from the component's WIT types.
//!
//! They follow the mapping of [`super::wit_json`], so that whatever a client
//! builds from the schema converts back into the WIT value.

use serde_json::{Map, Value, json};
use wasmtime::component::Type;

use super::wit_json::{VARIANT_TAG, VARIANT_VALUE, json_name};

/// Why a WIT type cannot be offered over MCP.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("type {0} has no JSON form")]
pub struct Unrepresentable(pub String);

/// The schema of values of type `ty`.
///
/// Integers of 32 and 64 bits carry no `maximum` (and signed ones no
/// `minimum`): bounds no value an assistant would pass comes near cost
/// bytes in every tool listing, and the conversion checks them anyway,
/// naming the argument ([`super::wit_json::to_val`]). Unsigned ones keep
/// `minimum: 0`, and 8- and 16-bit ones their full range, which are
/// bounds a value can plausibly cross.
pub fn of(ty: &Type) -> Result<Value, Unrepresentable> {
    let int = |min: i128, max: i128| json!({"type": "integer", "minimum": min, "maximum": max});
    Ok(match ty {
        Type::Bool => json!({"type": "boolean"}),
        Type::S8 => int(i8::MIN.into(), i8::MAX.into()),
        Type::U8 => int(0, u8::MAX.into()),
        Type::S16 => int(i16::MIN.into(), i16::MAX.into()),
        Type::U16 => int(0, u16::MAX.into()),
        Type::S32 | Type::S64 => json!({"type": "integer"}),
        Type::U32 | Type::U64 => json!({"type": "integer", "minimum": 0}),
        Type::Float32 | Type::Float64 => json!({"type": "number"}),
        Type::Char => json!({"type": "string", "minLength": 1, "maxLength": 1}),
        Type::String => json!({"type": "string"}),
        Type::List(list) => json!({"type": "array", "items": of(&list.ty())?}),
        Type::Record(record) => {
            let fields: Vec<(String, Type)> =
                record.fields().map(|f| (f.name.to_owned(), f.ty)).collect();
            Value::Object(object_schema(&fields, &[])?)
        }
        Type::Tuple(tuple) => {
            let items = tuple
                .types()
                .map(|t| of(&t))
                .collect::<Result<Vec<_>, _>>()?;
            json!({"type": "array", "prefixItems": items, "minItems": items.len(), "maxItems": items.len()})
        }
        Type::Variant(variant) => {
            let cases = variant
                .cases()
                .map(|case| {
                    let tag = (
                        VARIANT_TAG.to_owned(),
                        json!({"const": json_name(case.name)}),
                    );
                    match case.ty {
                        None => Ok(Value::Object(object_schema(&[], &[tag])?)),
                        Some(Type::Record(record)) => {
                            let fields: Vec<(String, Type)> =
                                record.fields().map(|f| (f.name.to_owned(), f.ty)).collect();
                            Ok(Value::Object(object_schema(&fields, &[tag])?))
                        }
                        Some(payload) => {
                            let value = (VARIANT_VALUE.to_owned(), of(&payload)?);
                            Ok(Value::Object(object_schema(&[], &[tag, value])?))
                        }
                    }
                })
                .collect::<Result<Vec<_>, _>>()?;
            json!({"oneOf": cases})
        }
        Type::Enum(en) => {
            json!({"type": "string", "enum": en.names().map(json_name).collect::<Vec<_>>()})
        }
        // Absence is expressed by leaving the field out (see `object_schema`).
        Type::Option(option) => of(&option.ty())?,
        Type::Result(result) => {
            let arm = |key: &str, ty: Option<Type>| -> Result<Value, Unrepresentable> {
                let schema = match ty {
                    Some(ty) => of(&ty)?,
                    None => json!({"type": "null"}),
                };
                Ok(
                    json!({"type": "object", "properties": {key: schema}, "required": [key], "additionalProperties": false}),
                )
            };
            json!({"oneOf": [arm("ok", result.ok())?, arm("err", result.err())?]})
        }
        Type::Flags(flags) => json!({
            "type": "array",
            "uniqueItems": true,
            "items": {"type": "string", "enum": flags.names().map(json_name).collect::<Vec<_>>()}
        }),
        other => return Err(Unrepresentable(format!("{other:?}"))),
    })
}

/// The JSON types (`"string"`, `"object"`, ...) a value of `ty` takes as
/// [`super::wit_json::to_json`] writes it, for the `type` of a shallow
/// output schema ([`shallow_object`]). An `option` is `null` when absent,
/// except as a record field, which is left out instead ([`field_types`]).
pub fn value_types(ty: &Type) -> Result<Vec<&'static str>, Unrepresentable> {
    Ok(match ty {
        Type::Bool => vec!["boolean"],
        Type::S8
        | Type::U8
        | Type::S16
        | Type::U16
        | Type::S32
        | Type::U32
        | Type::S64
        | Type::U64 => vec!["integer"],
        Type::Float32 | Type::Float64 => vec!["number"],
        Type::Char | Type::String | Type::Enum(_) => vec!["string"],
        Type::List(_) | Type::Tuple(_) | Type::Flags(_) => vec!["array"],
        Type::Record(_) | Type::Variant(_) | Type::Result(_) => vec!["object"],
        Type::Option(option) => {
            let mut types = value_types(&option.ty())?;
            types.push("null");
            types
        }
        other => return Err(Unrepresentable(format!("{other:?}"))),
    })
}

/// [`value_types`] of a record field of type `ty`: an absent `option` is
/// left out of the object, so only a present one's value counts.
pub fn field_types(ty: &Type) -> Result<Vec<&'static str>, Unrepresentable> {
    match ty {
        Type::Option(option) => value_types(&option.ty()),
        other => value_types(other),
    }
}

/// A shallow object schema: each of `fields` (a JSON name and the types
/// its value may take) with its types only, nothing required, and other
/// properties allowed. It says what the object's top level holds at a
/// few bytes a property, and accepts any object whose named properties
/// have those types, whatever else it holds.
pub fn shallow_object(fields: &[(String, Vec<&'static str>)]) -> Map<String, Value> {
    let properties = fields
        .iter()
        .map(|(name, types)| {
            let mut types = types.clone();
            types.sort_unstable();
            types.dedup();
            let ty = match types.as_slice() {
                [one] => json!(one),
                many => json!(many),
            };
            (name.clone(), json!({ "type": ty }))
        })
        .collect();
    let mut schema = Map::new();
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    schema
}

/// An object schema with a property per field; fields of `option` type are
/// not required. `fixed` properties (a variant's tag) come first and are
/// required.
pub fn object_schema(
    fields: &[(String, Type)],
    fixed: &[(String, Value)],
) -> Result<Map<String, Value>, Unrepresentable> {
    let mut properties = Map::new();
    let mut required: Vec<Value> = Vec::new();
    for (name, schema) in fixed {
        properties.insert(name.clone(), schema.clone());
        required.push(Value::String(name.clone()));
    }
    for (name, ty) in fields {
        let key = json_name(name);
        properties.insert(key.clone(), of(ty)?);
        if !matches!(ty, Type::Option(_)) {
            required.push(Value::String(key));
        }
    }
    let mut schema = Map::new();
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    schema.insert("additionalProperties".into(), false.into());
    Ok(schema)
}

/// Makes an output schema lean, keeping what it accepts the same for
/// every value the component can return:
///
/// - objects lose `additionalProperties: false`: structured content is
///   made by the host from the same WIT type as the schema, so it never
///   holds a property the schema does not name, and saying so again in
///   every record costs 28 bytes each;
/// - an object or variant schema that occurs more than once (a record
///   type used in several places of one answer) is written once under
///   `$defs` and referred to with `$ref` wherever it occurs, when that is
///   shorter ([`share_repeated`]).
///
/// Input schemas are left as they are: an assistant writes arguments from
/// them, unknown arguments are refused, and some model APIs take no `$ref`
/// in tool parameters.
pub fn lean_output(schema: &mut Map<String, Value>) {
    fn open_objects(value: &mut Value) {
        match value {
            Value::Object(object) => {
                if object.get("additionalProperties") == Some(&Value::Bool(false)) {
                    object.remove("additionalProperties");
                }
                object.values_mut().for_each(open_objects);
            }
            Value::Array(items) => items.iter_mut().for_each(open_objects),
            _ => {}
        }
    }
    schema.values_mut().for_each(open_objects);
    schema.remove("additionalProperties");
    share_repeated(schema);
}

/// Where shared definitions live in a schema, and how `$ref` names them.
const DEFS: &str = "$defs";

/// Moves every object or variant schema that occurs more than once inside
/// `schema` to `schema.$defs`, named after the property it first occurs
/// under (`contact`, `contacts_item` for the items of a list property,
/// `contact_2` when taken), and puts
/// `{"$ref": "#/$defs/<name>"}` in its places. One definition at a time,
/// the one that saves the most bytes first, until none saves any; a
/// definition may refer to another.
///
/// JSON Schema resolves `#/...` references inside the document that holds
/// them, so definitions are shared within one schema only: each tool's
/// input and output schemas are separate documents in `tools/list`.
pub fn share_repeated(schema: &mut Map<String, Value>) {
    let mut defs = match schema.remove(DEFS) {
        Some(Value::Object(defs)) => defs,
        _ => Map::new(),
    };
    loop {
        let mut seen: Vec<Repeated> = Vec::new();
        // The root as a whole, so that its properties give their names;
        // it occurs once, so it is never a definition itself.
        collect_candidates(&Value::Object(schema.clone()), None, &mut seen);
        for value in defs.values() {
            collect_candidates(value, None, &mut seen);
        }
        let best = seen
            .into_iter()
            .filter(|candidate| candidate.count > 1)
            .map(|candidate| {
                let name = free_name(&defs, candidate.hint.as_deref().unwrap_or("def"));
                let reference = reference_to(&name);
                let one = candidate.text.len();
                let by_ref = reference.to_string().len();
                // Each place shrinks to the reference; the definition
                // costs its text, its name and the `$defs` key once.
                let saved = candidate.count * one;
                let spent = candidate.count * by_ref + one + name.len() + DEFS.len() + 8;
                (saved.saturating_sub(spent), name, candidate)
            })
            .filter(|(saving, _, _)| *saving > 0)
            .max_by_key(|(saving, _, _)| *saving);
        let Some((_, name, candidate)) = best else {
            break;
        };
        let reference = reference_to(&name);
        for value in schema.values_mut().chain(defs.values_mut()) {
            replace_all(value, &candidate.value, &reference);
        }
        defs.insert(name, candidate.value);
    }
    if !defs.is_empty() {
        schema.insert(DEFS.into(), Value::Object(defs));
    }
}

/// A subschema worth sharing, and how often it occurs.
struct Repeated {
    value: Value,
    text: String,
    count: usize,
    /// The property it first occurred under.
    hint: Option<String>,
}

/// Counts, in `value` and below, the object and variant schemas; `hint`
/// is the property `value` is the schema of (`contacts`), or for the items
/// of an array property, that property's name and `_item`
/// (`contacts_item`).
fn collect_candidates(value: &Value, hint: Option<&str>, seen: &mut Vec<Repeated>) {
    match value {
        Value::Object(object) => {
            if object.contains_key("properties") || object.contains_key("oneOf") {
                let text = value.to_string();
                match seen.iter_mut().find(|c| c.text == text) {
                    Some(candidate) => candidate.count += 1,
                    None => seen.push(Repeated {
                        value: value.clone(),
                        text,
                        count: 1,
                        hint: hint.map(str::to_owned),
                    }),
                }
            }
            for (key, child) in object {
                match key.as_str() {
                    "properties" => {
                        if let Value::Object(properties) = child {
                            for (name, property) in properties {
                                collect_candidates(property, Some(name), seen);
                            }
                        }
                    }
                    "items" => {
                        let item = hint.map(|h| format!("{h}_item"));
                        collect_candidates(child, item.as_deref(), seen);
                    }
                    _ => collect_candidates(child, None, seen),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_candidates(item, hint, seen);
            }
        }
        _ => {}
    }
}

/// Replaces every occurrence of `target` in `value` by `reference`.
fn replace_all(value: &mut Value, target: &Value, reference: &Value) {
    if value == target {
        *value = reference.clone();
        return;
    }
    match value {
        Value::Object(object) => object
            .values_mut()
            .for_each(|child| replace_all(child, target, reference)),
        Value::Array(items) => items
            .iter_mut()
            .for_each(|child| replace_all(child, target, reference)),
        _ => {}
    }
}

/// `hint`, or `hint_2`, `hint_3`, ... if `defs` has it already.
fn free_name(defs: &Map<String, Value>, hint: &str) -> String {
    (1..)
        .map(|n| {
            if n == 1 {
                hint.to_owned()
            } else {
                format!("{hint}_{n}")
            }
        })
        .find(|name| !defs.contains_key(name))
        .expect("some suffix is free")
}

fn reference_to(name: &str) -> Value {
    json!({ "$ref": format!("#/{DEFS}/{name}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `value` with every `$ref` into `defs` replaced by what it names:
    /// the schema a validator resolves.
    fn inlined(value: &Value, defs: &Map<String, Value>) -> Value {
        match value {
            Value::Object(object) => {
                if let Some(Value::String(target)) = object.get("$ref") {
                    let name = target.strip_prefix("#/$defs/").expect("a local reference");
                    return inlined(&defs[name], defs);
                }
                Value::Object(
                    object
                        .iter()
                        .map(|(k, v)| (k.clone(), inlined(v, defs)))
                        .collect(),
                )
            }
            Value::Array(items) => Value::Array(items.iter().map(|v| inlined(v, defs)).collect()),
            other => other.clone(),
        }
    }

    fn person() -> Value {
        json!({"type": "object", "properties": {"id": {"type": "string"}, "full_name": {"type": "string"}}, "required": ["id"], "additionalProperties": false})
    }

    fn answer() -> Map<String, Value> {
        let with = |extra: &str| json!({"type": "object", "properties": {extra: {"type": "string"}, "people": {"type": "array", "items": person()}}, "required": [extra, "people"], "additionalProperties": false});
        let event = json!({"oneOf": [{"type": "object", "properties": {"kind": {"const": "met"}, "where": {"type": "string"}}, "required": ["kind"]}, {"type": "object", "properties": {"kind": {"const": "lost"}}, "required": ["kind"]}]});
        json!({
            "type": "object",
            "properties": {
                "notes": {"type": "array", "items": with("text")},
                "tasks": {"type": "array", "items": with("due")},
                "owner": person(),
                "first": event.clone(),
                "last": event,
                "count": {"type": "integer", "minimum": 0},
            },
            "required": ["notes", "tasks", "owner"],
            "additionalProperties": false,
        })
        .as_object()
        .unwrap()
        .clone()
    }

    /// What `lean_output` must accept: `schema` without its
    /// `additionalProperties: false`.
    fn open(value: &Value) -> Value {
        match value {
            Value::Object(object) => Value::Object(
                object
                    .iter()
                    .filter(|(k, v)| !(k.as_str() == "additionalProperties" && **v == json!(false)))
                    .map(|(k, v)| (k.clone(), open(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(open).collect()),
            other => other.clone(),
        }
    }

    #[test]
    fn a_record_used_several_times_is_defined_once_and_means_the_same() {
        let original = answer();
        let mut lean = original.clone();
        lean_output(&mut lean);
        let defs = lean["$defs"].as_object().unwrap().clone();
        // The person (three places) and the event (two) are shared; the
        // two list items differ and stay where they are.
        let mut names: Vec<&String> = defs.keys().collect();
        names.sort();
        assert_eq!(names, ["first", "people_item"], "{lean:#?}");
        assert_eq!(
            lean["properties"]["owner"],
            json!({"$ref": "#/$defs/people_item"})
        );
        assert_eq!(
            lean["properties"]["tasks"]["items"]["properties"]["people"]["items"],
            json!({"$ref": "#/$defs/people_item"})
        );
        assert_eq!(lean["properties"]["last"], json!({"$ref": "#/$defs/first"}));
        let mut without_defs = lean.clone();
        without_defs.remove("$defs");
        assert_eq!(
            inlined(&Value::Object(without_defs), &defs),
            open(&Value::Object(original.clone()))
        );
        let before = Value::Object(original).to_string().len();
        let after = Value::Object(lean).to_string().len();
        assert!(after < before, "{after} >= {before}");
    }

    #[test]
    fn nothing_is_shared_when_sharing_costs_more() {
        let small = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let mut schema = json!({"type": "object", "properties": {"x": small.clone(), "y": small}})
            .as_object()
            .unwrap()
            .clone();
        let before = schema.clone();
        share_repeated(&mut schema);
        assert_eq!(schema, before);
    }

    #[test]
    fn wide_integers_carry_only_the_bounds_that_matter() {
        assert_eq!(
            of(&Type::U32).unwrap(),
            json!({"type": "integer", "minimum": 0})
        );
        assert_eq!(of(&Type::S64).unwrap(), json!({"type": "integer"}));
        assert_eq!(
            of(&Type::U8).unwrap(),
            json!({"type": "integer", "minimum": 0, "maximum": 255})
        );
    }
}
