//! Every answer the matrix gets, successful or failed, checked against its
//! tool's output schema in each mode of `--output-schemas` that lists one,
//! as the TypeScript SDK and the Inspector check `structuredContent`
//! against `outputSchema`, `isError` or not.

use std::collections::HashMap;

use dex_mcp_tests::{Era, start_server};
use serde_json::{Value, json};

/// The modes of `--output-schemas` that list a schema; `shallow` is the
/// default the matrix's own servers run with.
const MODES: [&str; 3] = ["shallow", "compact", "full"];

/// One tool's output schema in one mode, compiled.
struct Schema {
    mode: &'static str,
    schema: Value,
    validator: jsonschema::Validator,
}

/// The output schemas of every tool, in every mode that lists them.
pub struct OutputSchemas(HashMap<String, Vec<Schema>>);

impl OutputSchemas {
    /// What `tools/list` gives in each of [`MODES`]; every tool must have
    /// an output schema in each, and each must compile.
    pub async fn listed() -> Self {
        let mut by_tool: HashMap<String, Vec<Schema>> = HashMap::new();
        for mode in MODES {
            let args = ["--output-schemas".to_owned(), mode.to_owned()];
            let client = start_server(&args, &[], Era::Legacy, None)
                .await
                .expect("dex-mcp starts");
            let tools = client.list_all_tools().await.expect("tools/list answers");
            client.cancel().await.ok();
            for tool in tools {
                let schema = json!(
                    tool.output_schema
                        .unwrap_or_else(|| panic!("{mode}: {} has no output schema", tool.name))
                        .as_ref()
                );
                let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| {
                    panic!(
                        "{mode}: {}'s output schema does not compile: {e}",
                        tool.name
                    )
                });
                by_tool
                    .entry(tool.name.to_string())
                    .or_default()
                    .push(Schema {
                        mode,
                        schema,
                        validator,
                    });
            }
        }
        Self(by_tool)
    }

    /// Panics, saying which part of which schema refused it, unless
    /// `answer`, the structured content of a call of `tool` (which `failed`
    /// or not), validates against each of its schemas; and unless the
    /// shallow one refuses the answer with any of its properties' values of
    /// a type it does not name, so that a schema that accepted anything
    /// would not pass.
    pub fn check(&self, tool: &str, answer: &Value, failed: bool) {
        let schemas = self
            .0
            .get(tool)
            .unwrap_or_else(|| panic!("{tool} was not listed"));
        for Schema {
            mode,
            schema,
            validator,
        } in schemas
        {
            let errors: Vec<String> = validator
                .iter_errors(answer)
                .map(|e| format!("{e} (at {}, schema {})", e.instance_path(), e.schema_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{tool}'s answer does not fit its {mode} output schema: {errors:#?}\nanswer: {answer:#}\nschema: {schema:#}"
            );
            if *mode == "shallow" {
                let mistyped = refuses_each_property_mistyped(tool, schema, validator, answer);
                // A success has the properties its schema names; an error
                // record may have none of them.
                assert!(
                    mistyped > 0 || failed,
                    "{tool}: a successful answer has none of the properties its shallow schema names: {answer:#}\nschema: {schema:#}"
                );
            }
        }
    }
}

/// Asserts that `validator` (of the shallow `schema`) refuses `answer`
/// with the value of each property the schema names replaced by one of a
/// type the schema does not allow there; returns how many it tried.
fn refuses_each_property_mistyped(
    tool: &str,
    schema: &Value,
    validator: &jsonschema::Validator,
    answer: &Value,
) -> usize {
    let properties = schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{tool}: a shallow schema without properties: {schema:#}"));
    let mut checked = 0;
    for (name, property) in properties {
        if answer.get(name).is_none() {
            continue;
        }
        let allowed: Vec<&str> = match &property["type"] {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            other => panic!("{tool}.{name}: type {other}"),
        };
        let wrong = [
            ("boolean", json!(true)),
            ("object", json!({})),
            ("string", json!("x")),
        ]
        .into_iter()
        .find(|(ty, _)| !allowed.contains(ty))
        .map(|(_, value)| value)
        .expect("no property may be of every type");
        let mut mistyped = answer.clone();
        mistyped[name] = wrong;
        assert!(
            !validator.is_valid(&mistyped),
            "{tool}: the shallow schema accepts {name} as {}: {schema:#}",
            mistyped[name]
        );
        checked += 1;
    }
    checked
}
