//! WIT types written back as WIT text, for the parameter tables of the
//! generated docs.

use wit_parser::{Handle, Resolve, Type, TypeDefKind};

/// A parameter's type: the type inside `option<...>` and false for an
/// optional parameter, the type itself and true for a required one.
pub fn parameter(resolve: &Resolve, ty: &Type) -> (String, bool) {
    if let Type::Id(id) = ty {
        let def = &resolve.types[*id];
        if def.name.is_none()
            && let TypeDefKind::Option(inner) = &def.kind
        {
            return (text(resolve, inner), false);
        }
    }
    (text(resolve, ty), true)
}

/// `ty` as it is written in WIT: named types by their name.
pub fn text(resolve: &Resolve, ty: &Type) -> String {
    let id = match ty {
        Type::Bool => return "bool".into(),
        Type::U8 => return "u8".into(),
        Type::U16 => return "u16".into(),
        Type::U32 => return "u32".into(),
        Type::U64 => return "u64".into(),
        Type::S8 => return "s8".into(),
        Type::S16 => return "s16".into(),
        Type::S32 => return "s32".into(),
        Type::S64 => return "s64".into(),
        Type::F32 => return "f32".into(),
        Type::F64 => return "f64".into(),
        Type::Char => return "char".into(),
        Type::String => return "string".into(),
        Type::ErrorContext => return "error-context".into(),
        Type::Id(id) => *id,
    };
    let def = &resolve.types[id];
    if let Some(name) = &def.name {
        return name.clone();
    }
    let optional = |ty: &Option<Type>| ty.as_ref().map(|t| text(resolve, t));
    match &def.kind {
        TypeDefKind::Option(inner) => format!("option<{}>", text(resolve, inner)),
        TypeDefKind::List(inner) => format!("list<{}>", text(resolve, inner)),
        TypeDefKind::FixedSizeList(inner, size) => {
            format!("list<{}, {size}>", text(resolve, inner))
        }
        TypeDefKind::Tuple(tuple) => format!(
            "tuple<{}>",
            tuple
                .types
                .iter()
                .map(|t| text(resolve, t))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TypeDefKind::Result(result) => match (optional(&result.ok), optional(&result.err)) {
            (None, None) => "result".into(),
            (Some(ok), None) => format!("result<{ok}>"),
            (None, Some(err)) => format!("result<_, {err}>"),
            (Some(ok), Some(err)) => format!("result<{ok}, {err}>"),
        },
        TypeDefKind::Future(inner) => {
            optional(inner).map_or("future".into(), |t| format!("future<{t}>"))
        }
        TypeDefKind::Stream(inner) => {
            optional(inner).map_or("stream".into(), |t| format!("stream<{t}>"))
        }
        TypeDefKind::Handle(Handle::Own(resource)) => text(resolve, &Type::Id(*resource)),
        TypeDefKind::Handle(Handle::Borrow(resource)) => {
            format!("borrow<{}>", text(resolve, &Type::Id(*resource)))
        }
        TypeDefKind::Type(alias) => text(resolve, alias),
        // Records, variants, enums, flags and resources always have names.
        other => other.as_str().into(),
    }
}
