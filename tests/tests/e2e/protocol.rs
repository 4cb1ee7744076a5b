//! The MCP surface: handshakes of both eras, tools/list shape, protocol
//! errors.

use dex_mcp_tests::{Era, start_server};
use rmcp::model::CallToolRequestParams;
use serde_json::json;

#[tokio::test]
async fn both_eras_list_find_contact_with_schemas_and_annotations() {
    let full = ["--output-schemas".to_owned(), "full".to_owned()];
    for era in [Era::Legacy, Era::Modern] {
        let client = start_server(&full, &[], era, None)
            .await
            .expect("dex-mcp starts");
        let tools = client.list_all_tools().await.expect("tools/list answers");
        let find = tools
            .iter()
            .find(|t| t.name == "find_contact")
            .unwrap_or_else(|| panic!("{era:?}: {tools:?}"));
        assert!(
            find.description.as_deref().unwrap_or("").contains("email"),
            "{era:?}"
        );
        let annotations = find.annotations.as_ref().expect("annotations");
        assert_eq!(annotations.read_only_hint, Some(true));
        assert_eq!(annotations.destructive_hint, Some(false));
        let properties = find.input_schema["properties"].as_object().unwrap();
        for parameter in [
            "name",
            "email",
            "phone",
            "social_url",
            "company",
            "limit",
            "min_confidence",
        ] {
            assert!(
                properties.contains_key(parameter),
                "{era:?}: missing {parameter}"
            );
        }
        // Every tool and every parameter says what it is for: an assistant
        // reads nothing else. Every tool has a title where clients of each
        // revision look for it, and its area's icon.
        for tool in &tools {
            let title = tool.title.as_deref().unwrap_or("");
            assert!(!title.is_empty(), "{era:?}: {} has no title", tool.name);
            assert_eq!(
                tool.annotations.as_ref().and_then(|a| a.title.as_deref()),
                Some(title),
                "{era:?}: {}",
                tool.name
            );
            let icons = tool.icons.as_deref().unwrap_or_default();
            assert!(
                icons.len() == 1 && icons[0].src.starts_with("data:image/svg+xml,%3Csvg"),
                "{era:?}: {} icons {icons:?}",
                tool.name
            );
            assert!(
                tool.description
                    .as_deref()
                    .is_some_and(|d| !d.trim().is_empty()),
                "{era:?}: {} has no description",
                tool.name
            );
            let properties = tool.input_schema["properties"]
                .as_object()
                .unwrap_or_else(|| panic!("{}: no properties", tool.name));
            for (parameter, schema) in properties {
                assert!(
                    schema["description"]
                        .as_str()
                        .is_some_and(|d| !d.trim().is_empty()),
                    "{era:?}: {}.{parameter} undocumented",
                    tool.name
                );
            }
        }
        let output = find.output_schema.as_ref().expect("output schema");
        assert_eq!(output["type"], json!("object"));
        // Full schemas say what the answer's fields hold.
        assert!(
            output["anyOf"][0]["properties"]["matches"]["description"].is_string(),
            "{output:#?}"
        );
        // Success or the tool's error record: clients check both against it.
        assert!(
            output["anyOf"][0]["properties"]["matches"].is_object(),
            "{output:#?}"
        );
        assert_eq!(
            output["anyOf"][1]["properties"]["kind"]["enum"][0],
            json!("not_found"),
            "{output:#?}"
        );
        // A record used twice in one answer is defined once.
        let details = tools
            .iter()
            .find(|t| t.name == "get_contact_details")
            .and_then(|t| t.output_schema.as_ref())
            .expect("get_contact_details has an output schema");
        assert!(
            details["$defs"]["contacts_item"]["properties"]["id"].is_object(),
            "{details:#?}"
        );
        let server = client.peer_info().expect("the server said who it is");
        let info = server.server_info.as_ref().expect("serverInfo");
        assert_eq!(info.title.as_deref(), Some("Dex CRM"), "{era:?}");
        assert!(
            info.icons.as_ref().is_some_and(|i| i.len() == 1),
            "{era:?}: {info:?}"
        );
        client.cancel().await.ok();
    }
}

/// What every session pays before the user asks anything: the whole
/// tools/list enters the assistant's context. The budget is per tool, so
/// that it holds as tools are added: a new tool brings its own bytes, and
/// one that needs more must be paid for by tighter prose elsewhere
/// (docs/adding-a-tool.md).
const TOOL_LIST_BYTES_PER_TOOL: usize = 1_200;

/// The serialized size of each listed tool and of its parts, largest
/// first, and of the whole `tools/list` result.
fn listing_sizes(tools: &[rmcp::model::Tool]) -> (usize, Vec<(usize, String, String)>) {
    let size = |value: &serde_json::Value| serde_json::to_vec(value).expect("JSON").len();
    let total = size(&json!({ "tools": tools }));
    let mut rows: Vec<(usize, String, String)> = tools
        .iter()
        .map(|tool| {
            let value = serde_json::to_value(tool).expect("a tool is JSON");
            let parts = value
                .as_object()
                .expect("a tool is an object")
                .iter()
                .map(|(part, v)| format!("{part} {}", size(v)))
                .collect::<Vec<_>>()
                .join(", ");
            (size(&value), tool.name.to_string(), parts)
        })
        .collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.0));
    (total, rows)
}

/// Whether `schema` says what any of its parts is.
fn describes(schema: &serde_json::Value) -> bool {
    match schema {
        serde_json::Value::Object(object) => object
            .iter()
            .any(|(key, value)| (key == "description" && value.is_string()) || describes(value)),
        serde_json::Value::Array(items) => items.iter().any(describes),
        _ => false,
    }
}

/// Whether `schema` is a shallow output schema: an object whose
/// properties have a JSON type and nothing else, none required.
fn shallow(schema: &serde_json::Value) -> bool {
    let Some(object) = schema.as_object() else {
        return false;
    };
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys == ["properties", "type"]
        && object["type"] == json!("object")
        && object["properties"].as_object().is_some_and(|properties| {
            !properties.is_empty()
                && properties.values().all(|property| {
                    property.as_object().is_some_and(|p| {
                        p.len() == 1 && (p["type"].is_string() || p["type"].is_array())
                    })
                })
        })
}

#[tokio::test]
async fn tools_list_stays_within_its_byte_budget() {
    let mut report = String::new();
    let mut average_by_mode = Vec::new();
    for mode in ["default", "none", "shallow", "compact", "full"] {
        let args = match mode {
            "default" => vec![],
            other => vec!["--output-schemas".to_owned(), other.to_owned()],
        };
        let client = start_server(&args, &[], Era::Legacy, None)
            .await
            .expect("dex-mcp starts");
        let tools = client.list_all_tools().await.expect("tools/list answers");
        client.cancel().await.ok();
        assert!(!tools.is_empty());
        // Every tool has an output schema, listed unless asked not to:
        // top-level types by default, bare structure in compact, every
        // field described in full.
        for tool in &tools {
            let output = tool.output_schema.as_deref().map(|o| json!(o));
            match (mode, output) {
                ("none", None) => {}
                ("default" | "shallow", Some(output)) if shallow(&output) => {}
                ("compact", Some(output)) if !describes(&output) => {}
                ("full", Some(output)) if describes(&output) => {}
                (mode, output) => panic!("{mode}: {} has output schema {output:#?}", tool.name),
            }
        }
        let (total, rows) = listing_sizes(&tools);
        let average = total / tools.len();
        report.push_str(&format!(
            "tools/list ({mode}): {total} bytes for {} tools, {average} bytes per tool; largest:\n",
            tools.len()
        ));
        for (bytes, name, parts) in rows.iter().take(5) {
            report.push_str(&format!("  {bytes:>6}  {name} ({parts})\n"));
        }
        average_by_mode.push((mode, average));
    }
    // Printed for `cargo test -- --nocapture` and for the failure message.
    eprintln!("{report}");
    let (mode, average) = average_by_mode[0];
    assert!(
        average <= TOOL_LIST_BYTES_PER_TOOL,
        "tools/list ({mode}) averages {average} bytes per tool, over the budget of {TOOL_LIST_BYTES_PER_TOOL}: tighten the prose of the largest tools (docs/adding-a-tool.md)\n{report}"
    );
}

#[tokio::test]
async fn unknown_tool_is_a_json_rpc_error() {
    let client = start_server(&[], &[], Era::Legacy, None).await.unwrap();
    let err = client
        .call_tool(CallToolRequestParams::new("no_such_tool"))
        .await
        .unwrap_err();
    match err {
        rmcp::ServiceError::McpError(error) => {
            assert_eq!(
                error.code,
                rmcp::model::ErrorCode::INVALID_PARAMS,
                "{error:?}"
            );
            assert!(
                error.message.contains("no_such_tool") && error.message.contains("tools/list"),
                "the message names the tool and where to look: {error:?}"
            );
        }
        other => panic!("not a JSON-RPC error: {other:?}"),
    }
    client.cancel().await.ok();
}

#[tokio::test]
async fn argument_of_the_wrong_type_is_a_json_rpc_error_naming_it() {
    let client = start_server(&[], &[], Era::Modern, None).await.unwrap();
    let arguments = json!({ "email": "a@b.org", "limit": "five" })
        .as_object()
        .unwrap()
        .clone();
    let err = client
        .call_tool(CallToolRequestParams::new("find_contact").with_arguments(arguments))
        .await
        .unwrap_err();
    let text = format!("{err:?}");
    assert!(text.contains("limit"), "{text}");
    let arguments = json!({ "emial": "a@b.org" }).as_object().unwrap().clone();
    let err = client
        .call_tool(CallToolRequestParams::new("find_contact").with_arguments(arguments))
        .await
        .unwrap_err();
    assert!(format!("{err:?}").contains("emial"), "{err:?}");
    client.cancel().await.ok();
}
