//! The MCP surface: handshakes of both eras, tools/list shape, protocol
//! errors.

use dex_mcp_tests::{Era, start_server};
use rmcp::model::CallToolRequestParams;
use serde_json::json;

#[tokio::test]
async fn both_eras_list_find_contact_with_schemas_and_annotations() {
    for era in [Era::Legacy, Era::Modern] {
        let client = start_server(&[], &[], era, None)
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
        // reads nothing else.
        for tool in &tools {
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
        client.cancel().await.ok();
    }
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
