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
pub fn of(ty: &Type) -> Result<Value, Unrepresentable> {
    let int = |min: i128, max: i128| json!({"type": "integer", "minimum": min, "maximum": max});
    Ok(match ty {
        Type::Bool => json!({"type": "boolean"}),
        Type::S8 => int(i8::MIN.into(), i8::MAX.into()),
        Type::U8 => int(0, u8::MAX.into()),
        Type::S16 => int(i16::MIN.into(), i16::MAX.into()),
        Type::U16 => int(0, u16::MAX.into()),
        Type::S32 => int(i32::MIN.into(), i32::MAX.into()),
        Type::U32 => int(0, u32::MAX.into()),
        Type::S64 => int(i64::MIN.into(), i64::MAX.into()),
        Type::U64 => int(0, u64::MAX.into()),
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
