//! The doc comments of a tool's answer: every field of the records its
//! success value is made of, by where it sits in the answer's JSON.
//!
//! The host builds output schemas from the component's types, which carry
//! no comments; these are what `--output-schemas full` adds to them as
//! `description`s, and what docs/tools.md lists under each tool. The path
//! follows the JSON the host sends ([`mcp_name`] of each field, `[]` for
//! the items of a list, options transparent), so that a host can find
//! the schema of each field without knowing the WIT.

use wit_parser::{Function, Resolve, Type, TypeDefKind};

use crate::mcp_name;

/// One documented field of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDoc {
    /// Where it is: property names joined by `.`, `[]` after a list
    /// (`contact.emails[].label`). A result that is not a record is
    /// wrapped as `{"value": ...}` by the host, and its paths start there.
    pub path: String,
    /// The field's doc comment, on one line.
    pub description: String,
}

/// The documented fields of `function`'s answer, outermost first. A
/// function returning `result<T, E>` answers `T`; an undocumented field is
/// left out (its nested fields are still listed).
pub fn fields(resolve: &Resolve, function: &Function) -> Vec<FieldDoc> {
    let Some(result) = &function.result else {
        return Vec::new();
    };
    let answer = match result {
        Type::Id(id) => match &resolve.types[*id].kind {
            TypeDefKind::Result(result) => result.ok,
            _ => Some(*result),
        },
        other => Some(*other),
    };
    let mut fields = Vec::new();
    if let Some(answer) = answer {
        let prefix = if is_record(resolve, &answer) {
            ""
        } else {
            "value"
        };
        walk(resolve, &answer, prefix, &mut fields);
    }
    fields
}

/// Whether `ty` is (an alias of) a record: the host sends a record as the
/// answer's object itself and wraps anything else.
fn is_record(resolve: &Resolve, ty: &Type) -> bool {
    match ty {
        Type::Id(id) => match &resolve.types[*id].kind {
            TypeDefKind::Record(_) => true,
            TypeDefKind::Type(inner) => is_record(resolve, inner),
            _ => false,
        },
        _ => false,
    }
}

/// The documented fields inside a value of type `ty` at `path`.
fn walk(resolve: &Resolve, ty: &Type, path: &str, fields: &mut Vec<FieldDoc>) {
    let Type::Id(id) = ty else {
        return;
    };
    match &resolve.types[*id].kind {
        TypeDefKind::Record(record) => {
            for field in &record.fields {
                let at = match path {
                    "" => mcp_name(&field.name),
                    _ => format!("{path}.{}", mcp_name(&field.name)),
                };
                if let Some(docs) = field.docs.contents.as_deref() {
                    let description = docs.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !description.is_empty() {
                        fields.push(FieldDoc {
                            path: at.clone(),
                            description,
                        });
                    }
                }
                walk(resolve, &field.ty, &at, fields);
            }
        }
        TypeDefKind::Option(inner) | TypeDefKind::Type(inner) => walk(resolve, inner, path, fields),
        TypeDefKind::List(inner) => walk(resolve, inner, &format!("{path}[]"), fields),
        _ => {}
    }
}
