//! `--read-only` and `--tools`: the server offers a subset of the
//! component's tools, and a call to a tool left out is refused by the
//! server itself, before anything reaches Dex.

use dex_mcp_tests::{AgainstSimulator, dex_requests, serve_against_simulator};
use rmcp::model::CallToolRequestParams;
use serde_json::json;

fn config() -> dex_sim::SimConfig {
    dex_sim::SimConfig {
        contacts: 40,
        ..Default::default()
    }
}

async fn listed(against: &AgainstSimulator) -> Vec<rmcp::model::Tool> {
    against
        .client
        .list_all_tools()
        .await
        .expect("tools/list answers")
}

#[tokio::test]
async fn read_only_lists_only_read_only_tools_and_refuses_a_write_before_dex() {
    let all = serve_against_simulator(config(), &[]).await;
    let every = listed(&all).await;
    all.client.cancel().await.ok();
    let read_only = serve_against_simulator(config(), &[("DEX_MCP_READ_ONLY", "true")]).await;
    let offered = listed(&read_only).await;
    let expected: Vec<String> = every
        .iter()
        .filter(|t| t.annotations.as_ref().and_then(|a| a.read_only_hint) == Some(true))
        .map(|t| t.name.to_string())
        .collect();
    let names: Vec<String> = offered.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(names, expected);
    assert!(names.contains(&"find_contact".to_owned()), "{names:?}");
    assert!(names.len() < every.len(), "the component has write tools");

    let before = dex_requests(&read_only.simulator);
    let arguments = json!({ "first_name": "Ada" }).as_object().unwrap().clone();
    let refused = read_only
        .client
        .call_tool(CallToolRequestParams::new("create_contact").with_arguments(arguments))
        .await
        .expect_err("a write is refused under --read-only");
    assert!(
        refused.to_string().contains("--read-only"),
        "the refusal does not say why: {refused}"
    );
    assert_eq!(dex_requests(&read_only.simulator), before, "Dex was asked");
    read_only.client.cancel().await.ok();
}

#[tokio::test]
async fn tools_selects_by_name_and_by_hint() {
    let chosen =
        serve_against_simulator(config(), &[("DEX_MCP_TOOLS", "find_contact,destructive")]).await;
    let offered = listed(&chosen).await;
    assert!(offered.iter().any(|t| t.name == "find_contact"));
    for tool in &offered {
        // Hints at MCP's default are left out: a tool that is not
        // read-only is destructive unless it says otherwise.
        let destructive = tool.annotations.as_ref().is_some_and(|a| {
            !a.read_only_hint.unwrap_or(false) && a.destructive_hint.unwrap_or(true)
        });
        assert!(
            tool.name == "find_contact" || destructive,
            "{} is neither named nor destructive",
            tool.name
        );
    }
    assert!(
        offered.iter().any(|t| t.name == "delete_contact"),
        "a destructive tool is missing"
    );
    assert!(
        !offered
            .iter()
            .any(|t| t.name == "search_contacts_full_text"),
        "an unselected tool is listed"
    );
    chosen.client.cancel().await.ok();
}
