//! Prompts, resources and completions through the real server, on the
//! simulator: the Dex component's prompts carry the account's data, each
//! contact reads as markdown and JSON, a misspelled name completes to the
//! contact, and unknown names are JSON-RPC errors with the codes of each
//! spec revision. The fixtures component (`tests/guests/fixtures`) shows
//! the host serving another component's prompts and surviving one that
//! traps; the probe, which exports neither interface, gets neither
//! capability.

use dex_mcp_tests::{Client, Era, component, start_server};
use rmcp::ServiceError;
use rmcp::model::{GetPromptRequestParams, ReadResourceRequestParams, ResourceContents};
use serde_json::{Value, json};

const KEY: &str = "dex_prompts_test_key";

async fn simulator() -> dex_sim::RunningSim {
    let config = dex_sim::SimConfig {
        api_key: KEY.into(),
        contacts: 80,
        today: dex_guest::history::today_utc(),
        ..Default::default()
    };
    dex_sim::RunningSim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator starts")
}

async fn server_against(simulator: &dex_sim::RunningSim, era: Era) -> Client {
    let base_url = simulator.v1_base_url();
    let args = vec![
        "--component".to_owned(),
        component("dex_guest").display().to_string(),
    ];
    let env = [
        ("DEX_API_KEY", KEY),
        ("DEX_API_BASE_URL", base_url.as_str()),
    ];
    start_server(&args, &env, era, None)
        .await
        .expect("dex-mcp starts")
}

async fn serving(name: &str) -> Client {
    let args = vec![
        "--component".to_owned(),
        component(name).display().to_string(),
    ];
    start_server(&args, &[], Era::Legacy, None)
        .await
        .expect("dex-mcp starts")
}

/// The contact with the most notes, its name, and its latest note's text.
fn busiest(data: &dex_sim::Dataset) -> (String, String, String) {
    let about = |id: &str| {
        data.notes
            .iter()
            .filter(|n| n.timeline_items_contacts.iter().any(|c| c.contact_id == id))
            .collect::<Vec<_>>()
    };
    let contact = data
        .contacts
        .iter()
        .filter(|c| !c.is_archived && c.full_name.as_deref().is_some_and(|n| n.len() > 6))
        .max_by_key(|c| about(&c.id).len())
        .unwrap();
    let latest = about(&contact.id)
        .into_iter()
        .max_by(|a, b| a.event_time.cmp(&b.event_time))
        .unwrap();
    (
        contact.id.clone(),
        contact.full_name.clone().unwrap(),
        latest.note.clone(),
    )
}

/// `name` with its third letter dropped: a typo the matcher must forgive.
fn misspelled(name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    chars.remove(2);
    chars.into_iter().collect()
}

fn error_of(err: ServiceError) -> rmcp::model::ErrorData {
    match err {
        ServiceError::McpError(error) => error,
        other => panic!("not a JSON-RPC error: {other:?}"),
    }
}

/// One icon, a picture of the component's own (`wit/icons/`).
fn has_svg_icon(icons: Option<&[rmcp::model::Icon]>) -> bool {
    matches!(icons, Some([icon]) if icon.src.starts_with("data:image/svg+xml,"))
}

fn text_of(contents: &ResourceContents) -> (&str, &str) {
    match contents {
        ResourceContents::TextResourceContents {
            mime_type, text, ..
        } => (mime_type.as_deref().unwrap_or_default(), text.as_str()),
        other => panic!("not text: {other:?}"),
    }
}

#[tokio::test]
async fn prompts_carry_the_accounts_data_on_both_revisions() {
    let simulator = simulator().await;
    let (id, name, latest) = busiest(&simulator.snapshot());
    for era in [Era::Legacy, Era::Modern] {
        let client = server_against(&simulator, era).await;
        let capabilities = client.peer_info().unwrap().capabilities.clone();
        assert!(capabilities.prompts.is_some() && capabilities.completions.is_some());

        let prompts = client.list_all_prompts().await.unwrap();
        let names: Vec<&str> = prompts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            ["meeting_prep", "log_meeting", "weekly_review", "reconnect"]
        );
        assert!(
            prompts
                .iter()
                .all(|p| p.title.is_some() && p.description.is_some())
        );
        for prompt in &prompts {
            assert!(
                prompt.arguments.iter().flatten().all(|a| a.title.is_some()),
                "{prompt:?}"
            );
            assert!(has_svg_icon(prompt.icons.as_deref()), "{prompt:?}");
        }

        let arguments = json!({ "contact": misspelled(&name) });
        let prep = client
            .get_prompt(
                GetPromptRequestParams::new("meeting_prep")
                    .with_arguments(arguments.as_object().unwrap().clone()),
            )
            .await
            .unwrap();
        let text = serde_json::to_value(&prep.messages).unwrap().to_string();
        assert!(text.contains(&name.replace('"', "\\\"")), "{text}");
        assert!(text.contains(&format!("`{id}`")), "{text}");
        let start: String = latest
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains(&start),
            "latest note {start:?} missing: {text}"
        );

        let review = client
            .get_prompt(GetPromptRequestParams::new("weekly_review"))
            .await
            .unwrap();
        let text = serde_json::to_value(&review.messages).unwrap().to_string();
        assert!(
            text.contains("## Birthdays") && text.contains("## Overdue reminders"),
            "{text}"
        );

        let unknown = client
            .get_prompt(GetPromptRequestParams::new("meeting_prepp"))
            .await
            .unwrap_err();
        let unknown = error_of(unknown);
        assert_eq!(unknown.code.0, -32602, "{unknown:?}");
        assert!(unknown.message.contains("meeting_prep"), "{unknown:?}");
        let missing = error_of(
            client
                .get_prompt(GetPromptRequestParams::new("log_meeting"))
                .await
                .unwrap_err(),
        );
        assert_eq!(missing.code.0, -32602, "{missing:?}");
        client.cancel().await.ok();
    }
}

#[tokio::test]
async fn a_contact_reads_as_markdown_and_json_and_its_id_completes_from_a_typo() {
    let simulator = simulator().await;
    let (id, name, _) = busiest(&simulator.snapshot());
    for era in [Era::Legacy, Era::Modern] {
        let client = server_against(&simulator, era).await;
        let templates = client.list_resource_templates(None).await.unwrap();
        assert_eq!(templates.resource_templates.len(), 1);
        let template = &templates.resource_templates[0];
        assert_eq!(template.uri_template, "dex://contacts/{id}");
        assert!(template.title.is_some());
        assert!(has_svg_icon(template.icons.as_deref()), "{template:?}");
        assert!(
            client
                .list_resources(None)
                .await
                .unwrap()
                .resources
                .is_empty()
        );

        let uri = format!("dex://contacts/{id}");
        let read = client
            .read_resource(ReadResourceRequestParams::new(uri.clone()))
            .await
            .unwrap();
        assert_eq!(read.contents.len(), 2);
        let (markdown_type, markdown) = text_of(&read.contents[0]);
        assert_eq!(markdown_type, "text/markdown");
        assert!(markdown.starts_with(&format!("# {name}\n")), "{markdown}");
        let (json_type, json) = text_of(&read.contents[1]);
        assert_eq!(json_type, "application/json");
        let json: Value = serde_json::from_str(json).unwrap();
        assert_eq!(json["contact"]["id"], json!(id));
        assert!(json["note_count"].as_u64().unwrap() >= 1, "{json}");

        let ids = client
            .complete_resource_argument("dex://contacts/{id}", "id", misspelled(&name), None)
            .await
            .unwrap();
        assert_eq!(ids.values.first(), Some(&id), "{ids:?}");
        let names = client
            .complete_prompt_argument("meeting_prep", "contact", misspelled(&name), None)
            .await
            .unwrap();
        assert!(
            names.values.iter().any(|v| v.starts_with(&name)),
            "{name} not offered: {names:?}"
        );

        let missing = format!("dex://contacts/{}", "0".repeat(20));
        let err = error_of(
            client
                .read_resource(ReadResourceRequestParams::new(missing.clone()))
                .await
                .unwrap_err(),
        );
        let expected = if era == Era::Modern { -32602 } else { -32002 };
        assert_eq!(err.code.0, expected, "{err:?}");
        assert_eq!(err.data, Some(json!({ "uri": missing })));
        client.cancel().await.ok();
    }
}

#[tokio::test]
async fn another_components_prompts_are_served_and_one_that_traps_fails_alone() {
    let client = serving("fixtures_guest").await;
    let prompts = client.list_all_prompts().await.unwrap();
    assert!(prompts.iter().any(|p| p.name == "test_simple_prompt"));
    // Titles and icons are the component's, passed on field for field
    // (the fixtures set every field of the WIT icon).
    let resources = client.list_all_resources().await.unwrap();
    let templates = client.list_all_resource_templates().await.unwrap();
    assert!(!resources.is_empty() && !templates.is_empty());
    let offered: Vec<(Option<&String>, &Option<Vec<rmcp::model::Icon>>)> = prompts
        .iter()
        .map(|p| (p.title.as_ref(), &p.icons))
        .chain(resources.iter().map(|r| (r.title.as_ref(), &r.icons)))
        .chain(templates.iter().map(|t| (t.title.as_ref(), &t.icons)))
        .collect();
    for (title, icons) in offered {
        assert!(title.is_some_and(|t| !t.is_empty()));
        assert_eq!(
            serde_json::to_value(icons).unwrap(),
            json!([{
                "src": "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'/%3E",
                "mimeType": "image/svg+xml",
                "sizes": ["any"],
                "theme": "light",
            }])
        );
    }
    let trapped = error_of(
        client
            .get_prompt(GetPromptRequestParams::new("test_trap"))
            .await
            .unwrap_err(),
    );
    assert_eq!(trapped.code.0, -32603, "{trapped:?}");
    assert!(
        trapped.message.contains("other requests are unaffected"),
        "{trapped:?}"
    );
    let simple = client
        .get_prompt(GetPromptRequestParams::new("test_simple_prompt"))
        .await
        .unwrap();
    assert_eq!(simple.messages.len(), 1);
    let read = client
        .read_resource(ReadResourceRequestParams::new("test://template/42/data"))
        .await
        .unwrap();
    assert!(text_of(&read.contents[0]).1.contains("Data for ID: 42"));
    client.cancel().await.ok();
}

#[tokio::test]
async fn a_component_without_prompts_or_resources_declares_neither() {
    let client = serving("probe_guest").await;
    let capabilities = client.peer_info().unwrap().capabilities.clone();
    assert!(capabilities.prompts.is_none());
    assert!(capabilities.resources.is_none());
    assert!(capabilities.completions.is_none());
    let err = error_of(client.list_prompts(None).await.unwrap_err());
    assert_eq!(err.code.0, -32601, "{err:?}");
    client.cancel().await.ok();
}
