//! From a component's exports to tool specifications.
//!
//! Every function of every exported interface is a tool, except the
//! interfaces the host reads instead ([`super::interfaces::NOT_TOOLS`]):
//! `catalogue`, whose `describe` function supplies the prose and hints
//! (see `wit/catalogue.wit`), `server` (see `wit/server.wit`) and
//! `self-check`, whose `run` is `dex-mcp doctor` (see `wit/doctor.wit`).
//! The host knows nothing else about the tools: a component with one more
//! export has one more tool.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Result, bail};
use serde_json::{Map, Value};
use wasmtime::Engine;
use wasmtime::component::types::{ComponentFunc, ComponentItem};
use wasmtime::component::{Component, ComponentExportIndex, Type};

use super::icon::Icon;
use super::interfaces::{self, CATALOGUE_INTERFACE, SELF_CHECK_INTERFACE};
use super::schema;
use super::wit_json::json_name;

/// Typed bindings of `wit/catalogue.wit` only: the records `describe`
/// returns, checked against the component's export when it is looked up,
/// so a catalogue of another shape is refused instead of half read.
mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit",
        interfaces: "export dex:crm/catalogue@0.1.0;",
        with: { "dex:crm/content": super::super::offerings::bindings::dex::crm::content },
    });
}

/// What `catalogue.describe` says about one tool.
pub use bindings::exports::dex::crm::catalogue::{FieldDoc, ToolDoc};

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

impl From<bindings::exports::dex::crm::catalogue::ToolHints> for ToolHints {
    fn from(hints: bindings::exports::dex::crm::catalogue::ToolHints) -> Self {
        Self {
            read_only: hints.read_only,
            destructive: hints.destructive,
            idempotent: hints.idempotent,
            open_world: hints.open_world,
        }
    }
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
    /// Icons from the catalogue.
    pub icons: Vec<Icon>,
    /// Description from the catalogue.
    pub description: Option<String>,
    /// Hints from the catalogue.
    pub hints: Option<ToolHints>,
    /// JSON Schema of the arguments object. Shared (like the output
    /// schemas): rmcp asks for the tool on every call, for this schema.
    pub input_schema: Arc<Map<String, Value>>,
    /// The top-level properties of the structured result and their JSON
    /// types, when the function returns one (`--output-schemas shallow`).
    pub shallow_output_schema: Option<Arc<Map<String, Value>>>,
    /// JSON Schema of the structured result, when the function returns
    /// one: its structure, without descriptions (`--output-schemas
    /// compact`).
    pub output_schema: Option<Arc<Map<String, Value>>>,
    /// The same with the catalogue's descriptions of the answer's fields
    /// (`--output-schemas full`); `None` when the catalogue gave none.
    pub described_output_schema: Option<Arc<Map<String, Value>>>,
    /// Parameter names and types, in call order.
    pub params: Vec<(String, Type)>,
    /// What the function returns.
    pub result: Option<Type>,
    /// Where to find the function in an instance.
    pub index: ComponentExportIndex,
}

/// The `describe` export, if the component has one.
pub fn describe_index(component: &Component, engine: &Engine) -> Option<ComponentExportIndex> {
    interfaces::function_index(component, engine, CATALOGUE_INTERFACE, "describe")
}

/// The `self-check` interface's `run`, if the component has one.
pub fn self_check_index(component: &Component, engine: &Engine) -> Option<ComponentExportIndex> {
    interfaces::function_index(component, engine, SELF_CHECK_INTERFACE, "run")
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
            ComponentItem::ComponentInstance(instance) if interfaces::serves_tools(export) => {
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
        Ok((
            input,
            result_schema(result.as_ref())?.map(lean),
            shallow_result_schema(result.as_ref())?,
        ))
    });
    match schemas {
        Ok((input_schema, output_schema, shallow_output_schema)) => Some(ToolSpec {
            name: json_name(wit_name),
            export: export.to_owned(),
            title: None,
            icons: Vec::new(),
            description: None,
            hints: None,
            input_schema: Arc::new(input_schema),
            shallow_output_schema: shallow_output_schema.map(Arc::new),
            output_schema: output_schema.map(Arc::new),
            described_output_schema: None,
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

/// The output schema of a function returning `result`, before
/// [`lean`]: the success record, or either it or the error record.
fn result_schema(
    result: Option<&Type>,
) -> Result<Option<Map<String, Value>>, schema::Unrepresentable> {
    Ok(match result {
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
    })
}

/// The shallow output schema of a function returning `result`
/// (`--output-schemas shallow`): the top-level properties of its success
/// answer with their JSON types ([`schema::shallow_object`]).
///
/// A failed call's error record is in `structuredContent` too, and is
/// checked against this schema by some clients; it is not spelled out:
/// nothing is required and other properties are allowed, so it validates
/// as long as no property of both has a type the schema leaves out, and
/// where one has, that property takes the types of both.
fn shallow_result_schema(
    result: Option<&Type>,
) -> Result<Option<Map<String, Value>>, schema::Unrepresentable> {
    let (success, failure) = match result {
        None => return Ok(None),
        Some(Type::Result(r)) => match (r.ok(), r.err()) {
            (None, _) => return Ok(None),
            (Some(ok), err) => (ok, err),
        },
        Some(other) => (other.clone(), None),
    };
    let mut fields = top_level_fields(&success, false)?;
    if let Some(failure) = failure {
        for (name, types) in top_level_fields(&failure, true)? {
            if let Some((_, known)) = fields.iter_mut().find(|(n, _)| *n == name) {
                known.extend(types);
            }
        }
    }
    Ok(Some(schema::shallow_object(&fields)))
}

/// The top-level properties of the structured content made of a value of
/// `ty` (see [`wrap_output`], and [`failure_schema`] for a `failure`),
/// with the JSON types each may take.
fn top_level_fields(
    ty: &Type,
    failure: bool,
) -> Result<Vec<(String, Vec<&'static str>)>, schema::Unrepresentable> {
    match ty {
        Type::Record(record) => record
            .fields()
            .map(|field| Ok((json_name(field.name), schema::field_types(&field.ty)?)))
            .collect(),
        Type::String if failure => Ok(vec![("message".into(), vec!["string"])]),
        other => Ok(vec![("value".into(), schema::value_types(other)?)]),
    }
}

/// `schema` after [`schema::lean_output`].
fn lean(mut schema: Map<String, Value>) -> Map<String, Value> {
    schema::lean_output(&mut schema);
    schema
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

/// Something the catalogue describes that the component does not export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// A tool no exported function is (WIT name).
    Tool(String),
    /// A parameter the tool's function does not have (WIT names).
    Parameter {
        /// The tool.
        tool: String,
        /// The parameter it names.
        parameter: String,
    },
}

/// Merges what `describe` returned into the tools, adding parameter
/// descriptions to the input schemas. Tools `describe` does not mention
/// keep no description; what it describes that is not there is warned
/// about (it is a mistake in the component's catalogue) and returned.
pub fn apply_descriptions(tools: &mut [ToolSpec], described: Vec<ToolDoc>) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    for doc in described {
        let Some(tool) = tools.iter_mut().find(|t| t.name == json_name(&doc.name)) else {
            tracing::warn!(
                tool = doc.name,
                "the catalogue describes a tool the component does not export"
            );
            mismatches.push(Mismatch::Tool(doc.name));
            continue;
        };
        let text = |s: String| Some(s).filter(|s| !s.trim().is_empty());
        tool.title = text(doc.title);
        tool.icons = doc.icons.into_iter().map(Icon::from).collect();
        tool.description = text(doc.description);
        tool.hints = Some(doc.hints.into());
        tool.described_output_schema = described_output(tool, &doc.answer_fields).map(Arc::new);
        for parameter in doc.parameters {
            let property = Arc::make_mut(&mut tool.input_schema)
                .get_mut("properties")
                .and_then(|p| p.get_mut(json_name(&parameter.name)))
                .and_then(Value::as_object_mut);
            match property {
                Some(property) => {
                    property.insert("description".into(), Value::String(parameter.description));
                }
                None => {
                    tracing::warn!(
                        tool = doc.name,
                        parameter = parameter.name,
                        "the catalogue describes a parameter the tool's function does not have"
                    );
                    mismatches.push(Mismatch::Parameter {
                        tool: doc.name.clone(),
                        parameter: parameter.name,
                    });
                }
            }
        }
    }
    mismatches
}

/// The output schema of `tool` with `fields`' descriptions, or `None`
/// when there are none. They are added before [`lean`], so that records
/// are shared under `$defs` only where their descriptions agree too.
fn described_output(tool: &ToolSpec, fields: &[FieldDoc]) -> Option<Map<String, Value>> {
    if fields.is_empty() {
        return None;
    }
    let mut schema = result_schema(tool.result.as_ref()).ok()??;
    let success = match schema.get_mut("anyOf").and_then(Value::as_array_mut) {
        Some(arms) => arms.first_mut()?.as_object_mut()?,
        None => &mut schema,
    };
    for field in fields {
        match schema_at(success, &field.path) {
            Some(property) => {
                property.insert("description".into(), field.description.clone().into());
            }
            None => tracing::warn!(
                tool = tool.name,
                path = field.path,
                "the catalogue describes an answer field the tool's result does not have"
            ),
        }
    }
    Some(lean(schema))
}

/// The schema of the field at `path` (`contact.emails[].label`) inside
/// the object schema `root`.
fn schema_at<'a>(
    root: &'a mut Map<String, Value>,
    path: &str,
) -> Option<&'a mut Map<String, Value>> {
    let mut node = root;
    for step in path.split('.') {
        let name = step.trim_end_matches("[]");
        node = node.get_mut("properties")?.get_mut(name)?.as_object_mut()?;
        for _ in 0..(step.len() - name.len()) / 2 {
            node = node.get_mut("items")?.as_object_mut()?;
        }
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::bindings::exports::dex::crm::catalogue::{ParameterDoc, ToolHints as WitHints};
    use super::*;
    use crate::component::offerings::bindings::dex::crm::content::{
        Icon as WitIcon, IconTheme as WitTheme,
    };

    #[test]
    fn an_answer_field_is_found_by_its_path_through_lists() {
        let mut schema: Map<String, Value> = serde_json::from_value(serde_json::json!({
            "type": "object",
            "properties": {
                "contact": {"type": "object", "properties": {
                    "emails": {"type": "array", "items": {"type": "object", "properties": {
                        "label": {"type": "string"},
                    }}},
                }},
                "grid": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
            },
        }))
        .unwrap();
        for path in [
            "contact",
            "contact.emails",
            "contact.emails[].label",
            "grid[][]",
        ] {
            schema_at(&mut schema, path)
                .unwrap_or_else(|| panic!("{path} not found"))
                .insert("description".into(), path.into());
        }
        assert_eq!(
            schema["properties"]["contact"]["properties"]["emails"]["items"]["properties"]["label"]
                ["description"],
            "contact.emails[].label"
        );
        assert_eq!(
            schema["properties"]["grid"]["items"]["items"]["description"],
            "grid[][]"
        );
        for missing in ["nobody", "contact.emails.label", "contact[]", "grid[][][]"] {
            assert!(schema_at(&mut schema, missing).is_none(), "{missing}");
        }
    }

    /// The result type of function `f` in `wat`, a component importing it.
    fn result_of(wat: &str) -> Type {
        let engine = Engine::default();
        let component = Component::new(&engine, wat).unwrap();
        let ty = component.component_type();
        let (_, f) = ty.imports(&engine).find(|(name, _)| *name == "f").unwrap();
        let ComponentItem::ComponentFunc(func) = f.ty else {
            panic!("f is a function")
        };
        func.results().next().expect("f returns something")
    }

    #[test]
    fn a_shallow_schema_gives_the_answer_s_top_level_types_and_admits_the_error() {
        let result = result_of(
            r#"(component
                (type $kind' (enum "not-found" "validation"))
                (import "kind" (type $kind (eq $kind')))
                (type $answer' (record (field "summary" string) (field "ids" (list u32))
                    (field "next-cursor" (option string)) (field "code" (option (option u32)))
                    (field "message" (list string)) (field "kind" $kind)))
                (import "answer" (type $answer (eq $answer')))
                (type $failure' (record (field "kind" $kind) (field "code" s32)
                    (field "message" string) (field "retry-after" (option u32))))
                (import "failure" (type $failure (eq $failure')))
                (import "f" (func (result (result $answer (error $failure)))))
            )"#,
        );
        // Types only, nothing nested, nothing required, others allowed;
        // `message` takes the error record's type too, and the error's
        // own fields (`retry_after`) are not listed.
        assert_eq!(
            Value::Object(shallow_result_schema(Some(&result)).unwrap().unwrap()),
            serde_json::json!({"type": "object", "properties": {
                "summary": {"type": "string"},
                "ids": {"type": "array"},
                "next_cursor": {"type": "string"},
                "code": {"type": ["integer", "null"]},
                "message": {"type": ["array", "string"]},
                "kind": {"type": "string"},
            }})
        );
        let result =
            result_of(r#"(component (import "f" (func (result (result u32 (error string))))))"#);
        assert_eq!(
            Value::Object(shallow_result_schema(Some(&result)).unwrap().unwrap()),
            serde_json::json!({"type": "object", "properties": {"value": {"type": "integer"}}})
        );
    }

    /// A component exporting `t:t/people` with `find(contact-id: u32)`.
    fn component(engine: &Engine) -> Component {
        let wat = r#"(component
            (core module $m (func (export "find") (param i32)))
            (core instance $i (instantiate $m))
            (func $find (param "contact-id" u32) (canon lift (core func $i "find")))
            (instance $people (export "find" (func $find)))
            (export "t:t/people@0.1.0" (instance $people))
        )"#;
        Component::new(engine, wat::parse_str(wat).unwrap()).unwrap()
    }

    fn doc(name: &str, parameters: &[&str]) -> ToolDoc {
        ToolDoc {
            name: name.into(),
            title: "Find".into(),
            icons: vec![WitIcon {
                src: "data:image/svg+xml,%3Csvg/%3E".into(),
                mime_type: None,
                sizes: vec!["any".into()],
                theme: Some(WitTheme::Light),
            }],
            description: "Finds someone.".into(),
            hints: WitHints {
                read_only: true,
                destructive: false,
                idempotent: true,
                open_world: false,
            },
            parameters: parameters
                .iter()
                .map(|p| ParameterDoc {
                    name: (*p).into(),
                    description: format!("The {p}."),
                })
                .collect(),
            answer_fields: Vec::new(),
        }
    }

    #[test]
    fn descriptions_reach_the_tool_and_its_schema() {
        let engine = Engine::default();
        let mut tools = exported_tools(&component(&engine), &engine).unwrap();
        let mismatches = apply_descriptions(&mut tools, vec![doc("find", &["contact-id"])]);
        assert_eq!(mismatches, []);
        let tool = &tools[0];
        assert_eq!(tool.description.as_deref(), Some("Finds someone."));
        assert_eq!(tool.title.as_deref(), Some("Find"));
        assert_eq!(tool.icons[0].sizes, ["any"]);
        assert_eq!(
            tool.icons[0].theme,
            Some(crate::component::IconTheme::Light)
        );
        assert!(tool.hints.is_some_and(|h| h.read_only && !h.open_world));
        assert_eq!(
            tool.input_schema["properties"]["contact_id"]["description"],
            "The contact-id."
        );
    }

    #[test]
    fn a_parameter_or_tool_the_component_lacks_is_a_mismatch() {
        let engine = Engine::default();
        let mut tools = exported_tools(&component(&engine), &engine).unwrap();
        let mismatches = apply_descriptions(
            &mut tools,
            vec![
                doc("find", &["contact-id", "contact-idd"]),
                doc("lose", &[]),
            ],
        );
        assert_eq!(
            mismatches,
            [
                Mismatch::Parameter {
                    tool: "find".into(),
                    parameter: "contact-idd".into(),
                },
                Mismatch::Tool("lose".into()),
            ]
        );
        assert!(
            tools[0].input_schema["properties"]
                .get("contact_idd")
                .is_none()
        );
    }
}
