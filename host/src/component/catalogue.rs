//! From a component's exports to tool specifications.
//!
//! Every function of every exported interface is a tool, except the
//! interface named `catalogue`, whose `describe` function supplies the
//! prose and hints (see `wit/catalogue.wit`). The host knows nothing else
//! about the tools: a component with one more export has one more tool.

use std::collections::HashMap;

use anyhow::{Result, bail};
use serde_json::{Map, Value};
use wasmtime::Engine;
use wasmtime::component::types::{ComponentFunc, ComponentItem};
use wasmtime::component::{Component, ComponentExportIndex, Type, Val};

use super::schema;
use super::wit_json::json_name;

/// MCP's behaviour hints for one tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ToolHints {
    /// Changes nothing.
    pub read_only: bool,
    /// May destroy data.
    pub destructive: bool,
    /// Repeating it has no further effect.
    pub idempotent: bool,
    /// Reaches outside the component.
    pub open_world: bool,
}

/// Everything needed to list and call one tool.
#[derive(Debug, Clone)]
pub struct ToolSpec {
    /// The MCP name (`find_contact`).
    pub name: String,
    /// The exported function's WIT name (`find-contact`) and interface.
    pub export: String,
    /// Title from the catalogue.
    pub title: Option<String>,
    /// Description from the catalogue.
    pub description: Option<String>,
    /// Hints from the catalogue.
    pub hints: Option<ToolHints>,
    /// JSON Schema of the arguments object.
    pub input_schema: Map<String, Value>,
    /// JSON Schema of the structured result, when the function returns one.
    pub output_schema: Option<Map<String, Value>>,
    /// Parameter names and types, in call order.
    pub params: Vec<(String, Type)>,
    /// What the function returns.
    pub result: Option<Type>,
    /// Where to find the function in an instance.
    pub index: ComponentExportIndex,
}

/// Name of the interface that describes the tools instead of being one.
const CATALOGUE_INTERFACE: &str = "catalogue";

/// The `describe` export, if the component has one.
pub fn describe_index(component: &Component, engine: &Engine) -> Option<ComponentExportIndex> {
    let ty = component.component_type();
    let (interface, _) = ty
        .exports(engine)
        .find(|(name, _)| interface_name(name) == CATALOGUE_INTERFACE)?;
    let instance = component.get_export_index(None, interface)?;
    component.get_export_index(Some(&instance), "describe")
}

/// `dex:crm/contacts@0.1.0` → `contacts`.
fn interface_name(export: &str) -> &str {
    let name = export.rsplit_once('/').map_or(export, |(_, n)| n);
    name.split_once('@').map_or(name, |(n, _)| n)
}

/// The tools exported by `component`, without catalogue prose yet.
pub fn exported_tools(component: &Component, engine: &Engine) -> Result<Vec<ToolSpec>> {
    let mut tools = Vec::new();
    let ty = component.component_type();
    for (export, item) in ty.exports(engine) {
        match item.ty {
            ComponentItem::ComponentFunc(func) => {
                if let Some(index) = component.get_export_index(None, export) {
                    tools.extend(tool(export, export, &func, index));
                }
            }
            ComponentItem::ComponentInstance(instance)
                if interface_name(export) != CATALOGUE_INTERFACE =>
            {
                let Some(instance_index) = component.get_export_index(None, export) else {
                    continue;
                };
                for (name, item) in instance.exports(engine) {
                    let ComponentItem::ComponentFunc(func) = item.ty else {
                        continue;
                    };
                    if let Some(index) = component.get_export_index(Some(&instance_index), name) {
                        tools.extend(tool(name, &format!("{export}#{name}"), &func, index));
                    }
                }
            }
            _ => {}
        }
    }
    let mut seen = HashMap::new();
    for tool in &tools {
        if let Some(other) = seen.insert(tool.name.clone(), tool.export.clone()) {
            bail!(
                "two exports map to the tool name `{}`: {other} and {}",
                tool.name,
                tool.export
            );
        }
    }
    Ok(tools)
}

/// A tool for one function, or `None` (with a warning) when its types have
/// no JSON form.
fn tool(
    wit_name: &str,
    export: &str,
    func: &ComponentFunc,
    index: ComponentExportIndex,
) -> Option<ToolSpec> {
    let params: Vec<(String, Type)> = func.params().map(|(n, t)| (n.to_owned(), t)).collect();
    let result = func.results().next();
    let schemas = schema::object_schema(&params, &[]).and_then(|input| {
        let output = match &result {
            None => None,
            Some(Type::Result(r)) => match (r.ok(), r.err()) {
                (Some(ok), Some(err)) => Some(success_or_failure(
                    output_schema(&ok)?,
                    failure_schema(&err)?,
                )),
                (Some(ok), None) => Some(output_schema(&ok)?),
                (None, _) => None,
            },
            Some(other) => Some(output_schema(other)?),
        };
        Ok((input, output))
    });
    match schemas {
        Ok((input_schema, output_schema)) => Some(ToolSpec {
            name: json_name(wit_name),
            export: export.to_owned(),
            title: None,
            description: None,
            hints: None,
            input_schema,
            output_schema,
            params,
            result,
            index,
        }),
        Err(err) => {
            tracing::warn!(export, %err, "export skipped: it cannot be offered as an MCP tool");
            None
        }
    }
}

/// MCP wants an object schema for structured results; non-record results
/// are wrapped as `{"value": ...}` (see [`wrap_output`]).
fn output_schema(ty: &Type) -> Result<Map<String, Value>, schema::Unrepresentable> {
    match schema::of(ty)? {
        Value::Object(object) if matches!(ty, Type::Record(_)) => Ok(object),
        other => {
            let mut properties = Map::new();
            properties.insert("value".into(), other);
            let mut object = Map::new();
            object.insert("type".into(), "object".into());
            object.insert("properties".into(), Value::Object(properties));
            object.insert("required".into(), Value::Array(vec!["value".into()]));
            Ok(object)
        }
    }
}

/// What an `err` value becomes as structured content: a record stays an
/// object, a string becomes `{"message": ...}`, anything else
/// `{"value": ...}`, as the runner wraps it.
fn failure_schema(ty: &Type) -> Result<Map<String, Value>, schema::Unrepresentable> {
    match ty {
        Type::String => Ok(serde_json::from_value(serde_json::json!({
            "type": "object",
            "properties": {"message": {"type": "string"}},
            "required": ["message"],
        }))
        .expect("a literal object")),
        other => output_schema(other),
    }
}

/// The output schema of a tool that can fail: its structured content is
/// either the success or the error record.
///
/// MCP puts a failed call's error record in `structuredContent` too, and
/// some clients (the TypeScript SDK 1.x, the Inspector) check every
/// `structuredContent` against `outputSchema`, `isError` or not; a schema
/// of the success alone would make them reject our error answers.
fn success_or_failure(
    success: Map<String, Value>,
    failure: Map<String, Value>,
) -> Map<String, Value> {
    let mut object = Map::new();
    object.insert("type".into(), "object".into());
    object.insert(
        "anyOf".into(),
        Value::Array(vec![Value::Object(success), Value::Object(failure)]),
    );
    object
}

/// The structured content for a successful result `json` (see
/// [`output_schema`]).
pub fn wrap_output(json: Value) -> Value {
    match json {
        Value::Object(_) => json,
        other => serde_json::json!({ "value": other }),
    }
}

/// Merges what `describe` returned into the tools, adding parameter
/// descriptions to the input schemas. Tools `describe` does not mention
/// keep no description; descriptions of unknown tools are ignored.
pub fn apply_descriptions(tools: &mut [ToolSpec], described: &Val) {
    let Val::List(docs) = described else { return };
    for doc in docs {
        let Val::Record(fields) = doc else { continue };
        let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        let text = |name: &str| match field(name) {
            Some(Val::String(s)) => Some(s.clone()),
            _ => None,
        };
        let Some(name) = text("name") else { continue };
        let Some(tool) = tools.iter_mut().find(|t| t.name == json_name(&name)) else {
            tracing::warn!(
                tool = name,
                "the catalogue describes a tool the component does not export"
            );
            continue;
        };
        tool.title = text("title");
        tool.description = text("description");
        if let Some(Val::Record(hints)) = field("hints") {
            let flag = |name: &str| {
                hints
                    .iter()
                    .any(|(n, v)| n == name && *v == Val::Bool(true))
            };
            tool.hints = Some(ToolHints {
                read_only: flag("read-only"),
                destructive: flag("destructive"),
                idempotent: flag("idempotent"),
                open_world: flag("open-world"),
            });
        }
        if let Some(Val::List(parameters)) = field("parameters") {
            for parameter in parameters {
                let Val::Record(p) = parameter else { continue };
                let get = |k: &str| match p.iter().find(|(n, _)| n == k) {
                    Some((_, Val::String(s))) => Some(s.clone()),
                    _ => None,
                };
                let (Some(param), Some(description)) = (get("name"), get("description")) else {
                    continue;
                };
                let property = tool
                    .input_schema
                    .get_mut("properties")
                    .and_then(|p| p.get_mut(json_name(&param)))
                    .and_then(Value::as_object_mut);
                if let Some(property) = property {
                    property.insert("description".into(), Value::String(description));
                }
            }
        }
    }
}
