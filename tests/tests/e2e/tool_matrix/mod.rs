//! Every tool through the real server on both API generations, and on v1
//! in both answer shapes the simulator serves (`dex_mcp_tests::APIS`):
//! each one called with a realistic input and its structured answer checked against
//! the simulator's state; every error kind with its code; bad arguments
//! refused before any request reaches Dex. Where the legacy API cannot do
//! something (docs/dex-api-generations.md says so), the test expects the
//! clear validation error instead.
//!
//! Every answer a case gets, success or error, must fit its tool's output
//! schema in each mode that lists one (`schemas.rs`).
//!
//! The tools come from the server's `tools/list`, not from a list kept
//! here: every tool it serves must have a case, an `async fn` named after
//! the tool in `reads.rs` (tools that change nothing) or `writes.rs`,
//! listed in that file's `cases!`, so a new tool cannot go untested.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use dex_mcp_tests::{
    APIS, AgainstSimulator, Client, Generation, call, call_ok, dex_requests,
    serve_generation_against_simulator,
};
use dex_sim::{AnswerShape, FaultRule, RunningSim};
use serde_json::{Value, json};

/// The cases of a file: `cases![find_contact, ...]` names async fns of the
/// same names, each the case of the tool it is named after.
macro_rules! cases {
    ($($tool:ident),* $(,)?) => {
        &[$($crate::tool_matrix::Case {
            tool: stringify!($tool),
            run: |cx| Box::pin($tool(cx)),
        }),*]
    };
}

mod custom_fields;
mod labels;
mod reads;
mod related;
mod schemas;
mod writes;

use schemas::OutputSchemas;

const KEY: &str = "dex_matrix_test_key";

/// What a case runs against: the server on one API generation and the
/// simulated Dex behind it, shared by every case of that generation (each
/// case makes the records it changes).
pub struct Cx {
    /// The MCP client.
    pub client: Client,
    /// The simulated Dex.
    pub simulator: RunningSim,
    /// The API generation the server talks.
    pub generation: Generation,
    /// The shape the simulator's v1 answers take (legacy has one).
    pub shape: AnswerShape,
    /// What every answer must fit.
    pub schemas: Arc<OutputSchemas>,
}

impl Cx {
    /// The server talks the legacy API.
    pub fn legacy(&self) -> bool {
        self.generation == Generation::Legacy
    }

    /// Calls `tool`, which must succeed and answer what its output schemas
    /// describe, and returns its structured content.
    pub async fn ok(&self, tool: &'static str, arguments: Value) -> Value {
        let answer = call_ok(&self.client, tool, arguments).await;
        self.schemas.check(tool, &answer, false);
        answer
    }

    /// Calls `tool`, which must fail with an error record its output
    /// schemas admit, and returns the record.
    pub async fn failure(&self, tool: &'static str, arguments: Value) -> Value {
        let error = failure(&self.client, tool, arguments).await;
        self.schemas.check(tool, &error, true);
        error
    }
}

/// A case's run, borrowing its [`Cx`].
pub type CaseRun<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// The case of one tool: calls it on the generation of `cx` and checks its
/// answers against the simulator.
pub struct Case {
    /// The MCP name of the tool.
    pub tool: &'static str,
    /// The case.
    pub run: for<'a> fn(&'a Cx) -> CaseRun<'a>,
}

/// Every case, of reads and writes.
fn all_cases() -> impl Iterator<Item = &'static Case> {
    reads::CASES.iter().chain(writes::CASES)
}

fn config(shape: AnswerShape) -> dex_sim::SimConfig {
    dex_sim::SimConfig {
        shape,
        api_key: KEY.into(),
        contacts: 80,
        // Upcoming reminders and birthdays are reckoned from the guest's
        // wall clock, in the owner's time zone: UTC here.
        today: dex_guest::history::today_utc(),
        owner_time_zone: Some("UTC".into()),
        // The older shape's lists carry their links whether asked or
        // not; the reference's only when `include` asks.
        list_links: match shape {
            AnswerShape::Reference => dex_sim::ListLinks::OnInclude,
            AnswerShape::Older => dex_sim::ListLinks::Always,
        },
        ..Default::default()
    }
}

async fn serve(generation: Generation, shape: AnswerShape) -> AgainstSimulator {
    serve_generation_against_simulator(config(shape), generation, &[]).await
}

/// The MCP names of the tools the server lists, in its order.
async fn listed_tools(client: &Client) -> Vec<String> {
    client
        .list_all_tools()
        .await
        .expect("tools/list answers")
        .into_iter()
        .map(|t| t.name.to_string())
        .collect()
}

/// The structured content of a failed call, which must have failed.
pub async fn failure(client: &Client, tool: &'static str, arguments: Value) -> Value {
    let result = call(client, tool, arguments).await;
    assert_eq!(result.is_error, Some(true), "{tool} succeeded: {result:?}");
    result
        .structured_content
        .expect("an error's structured content")
}

/// On the legacy API, asserts that `tool`, which only v1 serves, is
/// refused with the validation error saying so, before any request to
/// Dex; says whether it was.
pub async fn refused_on_legacy(cx: &Cx, tool: &'static str, arguments: Value) -> bool {
    if !cx.legacy() {
        return false;
    }
    let before = dex_requests(&cx.simulator);
    let refused = cx.failure(tool, arguments).await;
    assert_error(&refused, "validation", -32004, None);
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("needs Dex's v1 API"),
        "{refused:#}"
    );
    assert_eq!(dex_requests(&cx.simulator), before, "legacy was asked");
    true
}

/// Asserts an error's kind and code (and field, when given).
pub fn assert_error(error: &Value, kind: &str, code: i64, field: Option<&str>) {
    assert_eq!(error["kind"], json!(kind), "{error:#}");
    assert_eq!(error["code"], json!(code), "{error:#}");
    if let Some(field) = field {
        assert_eq!(error["field"], json!(field), "{error:#}");
    }
}

/// The ids at `pointer` in every item of `list`.
pub fn ids(list: &Value, pointer: &str) -> BTreeSet<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list:#}"))
        .iter()
        .map(|item| {
            item.pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("no {pointer} in {item:#}"))
                .to_owned()
        })
        .collect()
}

/// The day `offset` days after today (UTC), `YYYY-MM-DD`.
pub fn day(offset: usize) -> String {
    dex_guest::history::today_utc()
        .iter_days()
        .nth(offset)
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn every_listed_tool_passes_its_case_on_both_generations() {
    let schemas = Arc::new(OutputSchemas::listed().await);
    for (generation, shape) in APIS {
        let AgainstSimulator { client, simulator } = serve(generation, shape).await;
        let listed = listed_tools(&client).await;
        let missing: Vec<&str> = listed
            .iter()
            .filter(|tool| !all_cases().any(|case| case.tool == tool.as_str()))
            .map(String::as_str)
            .collect();
        assert!(
            missing.is_empty(),
            "tools/list serves {missing:?} without a case: add `async fn <tool>(cx: &Cx)` \
             to tests/tests/e2e/tool_matrix/reads.rs (tools that change nothing) or writes.rs, \
             and its name to that file's `cases!` (docs/adding-a-tool.md)"
        );
        let unserved: Vec<&str> = all_cases()
            .map(|case| case.tool)
            .filter(|tool| !listed.iter().any(|t| t == tool))
            .collect();
        assert!(
            unserved.is_empty(),
            "cases of tools the server does not list: {unserved:?}"
        );
        let cx = Cx {
            client,
            simulator,
            generation,
            shape,
            schemas: Arc::clone(&schemas),
        };
        for tool in &listed {
            let case = all_cases().find(|c| c.tool == tool).expect("checked above");
            eprintln!("tool_matrix: {tool} on {generation:?} ({shape} shape)");
            (case.run)(&cx).await;
        }
        cx.client.cancel().await.ok();
    }
}

/// What the catalogue adds to a tool besides its descriptions (which
/// `protocol.rs` checks for every tool and parameter): a title and the
/// behaviour hints.
#[tokio::test]
async fn every_listed_tool_has_a_title_and_annotations() {
    let AgainstSimulator { client, .. } = serve(Generation::V1, AnswerShape::default()).await;
    let tools = client.list_all_tools().await.expect("tools/list answers");
    client.cancel().await.ok();
    assert!(!tools.is_empty());
    let lacking: Vec<String> = tools
        .iter()
        .filter(|tool| {
            tool.title.as_deref().is_none_or(|t| t.trim().is_empty()) || tool.annotations.is_none()
        })
        .map(|tool| tool.name.to_string())
        .collect();
    assert!(
        lacking.is_empty(),
        "tools without a title or annotations: {lacking:?}"
    );
}

/// The write endpoints faults are injected on, per generation.
fn post_note(generation: Generation) -> &'static str {
    match generation {
        Generation::V1 => "POST /v1/timeline",
        Generation::Legacy => "POST /api/rest/timeline_items",
    }
}

fn post_reminder(generation: Generation) -> &'static str {
    match generation {
        Generation::V1 => "POST /v1/reminders",
        Generation::Legacy => "POST /api/rest/reminders",
    }
}

/// A failed call's error record is in `structuredContent` too, and
/// clients check it against `outputSchema` like a success: called with the
/// least its input schema requires, on a server whose Dex key is wrong,
/// every tool fails (its arguments refused, or Dex refusing the key), and
/// its error record must fit its output schemas.
#[tokio::test]
async fn every_listed_tool_s_error_answer_fits_its_output_schemas() {
    let schemas = OutputSchemas::listed().await;
    let AgainstSimulator {
        client,
        simulator: _serving,
    } = serve_generation_against_simulator(
        config(AnswerShape::default()),
        Generation::V1,
        &[("DEX_API_KEY", "dex_not_the_key")],
    )
    .await;
    let tools = client.list_all_tools().await.expect("tools/list answers");
    assert!(!tools.is_empty());
    for tool in &tools {
        let arguments = least_of(&json!(tool.input_schema.as_ref()));
        let request = rmcp::model::CallToolRequestParams::new(tool.name.clone())
            .with_arguments(arguments.as_object().expect("an object").clone());
        let result = client
            .call_tool(request)
            .await
            .unwrap_or_else(|e| panic!("{} {arguments}: {e}", tool.name));
        assert_eq!(result.is_error, Some(true), "{}: {result:?}", tool.name);
        let error = result
            .structured_content
            .unwrap_or_else(|| panic!("{}: an error without structured content", tool.name));
        schemas.check(&tool.name, &error, true);
    }
    client.cancel().await.ok();
}

/// The least value `schema` (an input schema) admits: an object with its
/// required properties only, the first of an enum or of a variant's
/// cases, an empty list, `1` or `"x"`.
fn least_of(schema: &Value) -> Value {
    if let Some(first) = schema["enum"].get(0) {
        return first.clone();
    }
    if let Some(constant) = schema.get("const") {
        return constant.clone();
    }
    if let Some(first) = schema["oneOf"].get(0) {
        return least_of(first);
    }
    match schema["type"].as_str() {
        Some("object") => {
            let required = schema["required"].as_array().cloned().unwrap_or_default();
            Value::Object(
                required
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|name| (name.to_owned(), least_of(&schema["properties"][name])))
                    .collect(),
            )
        }
        Some("array") => json!([]),
        Some("integer" | "number") => json!(1),
        Some("boolean") => json!(false),
        Some("string") => json!("x"),
        other => panic!("an input schema of type {other:?}: {schema:#}"),
    }
}

#[tokio::test]
async fn every_error_kind_comes_with_its_code_on_both_generations() {
    for (generation, shape) in APIS {
        let AgainstSimulator { client, simulator } = serve(generation, shape).await;
        let contact = simulator.snapshot().contacts[2].id.clone();

        let missing = failure(
            &client,
            "get_contact_details",
            json!({ "contact_id": "no-such-contact" }),
        )
        .await;
        assert_error(&missing, "not_found", -32001, None);
        let missing = failure(
            &client,
            "update_note",
            json!({ "note_id": "no-such-note", "text": "x" }),
        )
        .await;
        assert_error(&missing, "not_found", -32001, None);

        let invalid = failure(
            &client,
            "create_contact_reminder",
            json!({ "contact_ids": [contact], "text": "Call", "due_date": "next friday" }),
        )
        .await;
        assert_error(&invalid, "validation", -32004, Some("due_date"));

        // A create is never retried, so the 429 comes straight back.
        simulator.set_faults(vec![
            FaultRule::new(post_note(generation)).rate_limited(1.0, 60),
        ]);
        let limited = failure(
            &client,
            "add_contact_note",
            json!({ "contact_ids": [contact], "text": "Slow down" }),
        )
        .await;
        assert_error(&limited, "rate_limited", -32003, None);
        assert_eq!(limited["retry_after_seconds"], json!(60), "{limited:#}");

        simulator.set_faults(vec![
            FaultRule::new(post_reminder(generation)).errors(1.0, 500),
        ]);
        let broken = failure(
            &client,
            "create_contact_reminder",
            json!({ "contact_ids": [contact], "text": "Call", "due_date": day(2) }),
        )
        .await;
        assert_error(&broken, "upstream", -32000, None);
        simulator.set_faults(vec![]);
        client.cancel().await.ok();

        let wrong_key = serve_generation_against_simulator(
            config(shape),
            generation,
            &[("DEX_API_KEY", "dex_not_the_key")],
        )
        .await;
        let refused = failure(
            &wrong_key.client,
            "get_contact_notes",
            json!({ "contact_id": contact }),
        )
        .await;
        wrong_key.client.cancel().await.ok();
        assert_error(&refused, "unauthorized", -32002, None);
        assert!(
            !refused["message"]
                .as_str()
                .unwrap()
                .contains("dex_not_the_key"),
            "the key leaked: {refused:#}"
        );

        let no_plan = serve_generation_against_simulator(
            dex_sim::SimConfig {
                api_access: false,
                ..config(shape)
            },
            generation,
            &[],
        )
        .await;
        let forbidden = failure(&no_plan.client, "upcoming_reminders", json!({})).await;
        no_plan.client.cancel().await.ok();
        assert_error(&forbidden, "forbidden", -32002, None);
    }
}

#[tokio::test]
async fn bad_arguments_are_refused_before_any_request_to_dex_on_both_generations() {
    let bad: [(&str, Value, &str); 10] = [
        (
            "get_contact_details",
            json!({ "contact_id": "../etc" }),
            "contact_id",
        ),
        (
            "get_contact_history",
            json!({ "contact_id": "c1", "date_from": "2026-02-30" }),
            "date_from",
        ),
        (
            "get_contact_notes",
            json!({ "contact_id": "c1", "limit": 0 }),
            "limit",
        ),
        (
            "get_contact_reminders",
            json!({ "contact_id": "c1", "cursor": "someone-elses.3" }),
            "cursor",
        ),
        ("upcoming_reminders", json!({ "days": 400 }), "days"),
        ("upcoming_birthdays", json!({ "days": 400 }), "days"),
        (
            "add_contact_note",
            json!({ "contact_ids": [], "text": "Lunch" }),
            "contact_ids",
        ),
        ("update_reminder", json!({ "reminder_id": "r1" }), ""),
        ("find_contact", json!({}), ""),
        (
            "search_contacts_full_text",
            json!({ "query": "coffee", "cursor": "get-contact-notes.3" }),
            "cursor",
        ),
    ];
    for (generation, shape) in APIS {
        let AgainstSimulator { client, simulator } = serve(generation, shape).await;
        for (tool, arguments, field) in &bad {
            let error = failure(&client, tool, arguments.clone()).await;
            assert_eq!(error["kind"], json!("validation"), "{tool}: {error:#}");
            if !field.is_empty() {
                assert_eq!(error["field"], json!(field), "{tool}: {error:#}");
            }
        }
        client.cancel().await.ok();
        assert_eq!(
            dex_requests(&simulator),
            0,
            "{generation:?} {shape}: {:?}",
            simulator.counters()
        );
    }
}
