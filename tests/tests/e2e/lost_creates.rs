//! Creates that cannot duplicate, measured under fault injection: about a
//! third of the create POSTs lose their answer (a 5xx before Dex does the
//! write, a 5xx or a dropped connection after it, an unreadable answer
//! after it). Every create must end with its record in Dex exactly once
//! (answered, recovered or resent) or with an answer saying it did not
//! happen, never with a duplicate nor with "it may exist" for a record
//! that landed. Then every create is called again with its idempotency
//! key: the ones that were answered replay without writing. The counts
//! are printed (`--nocapture`) for `docs/benchmarks.md`.

use std::collections::BTreeMap;

use dex_mcp_tests::{Client, Era, Scratch, call, component, start_server};
use dex_sim::{FaultRule, SimConfig};
use serde_json::{Value, json};

const KEY: &str = "dex_lost_creates_key";

/// Creates of each kind.
const CREATES: usize = 60;

/// The share of create POSTs given each of the four faults: four
/// independent dice of 9% lose about 31% of the answers.
const RATE: f64 = 0.09;

/// The three kinds of create and the simulator endpoint each POSTs to.
const KINDS: [(&str, &str); 3] = [
    ("contact", "POST /v1/contacts"),
    ("note", "POST /v1/timeline"),
    ("reminder", "POST /v1/reminders"),
];

async fn start(simulator: &dex_sim::RunningSim, state_dir: &std::path::Path) -> Client {
    let base_url = simulator.v1_base_url();
    let state_dir = state_dir.display().to_string();
    let env = [
        ("DEX_API_KEY", KEY),
        ("DEX_API_BASE_URL", base_url.as_str()),
        ("DEX_MCP_NO_STATE", "false"),
        ("DEX_MCP_STATE_DIR", state_dir.as_str()),
    ];
    let args = vec![
        "--component".to_owned(),
        component("dex_guest").display().to_string(),
    ];
    start_server(&args, &env, Era::Legacy, None)
        .await
        .expect("dex-mcp starts")
}

/// The tool and arguments of create `i` of `kind`.
fn create(kind: &str, i: usize, contact_id: &str) -> (&'static str, Value) {
    let key = format!("lost-creates-{kind}-{i}");
    match kind {
        "contact" => {
            let mut args = json!({
                "first_name": "Idem",
                "last_name": format!("Probe{i}"),
                "idempotency_key": key,
            });
            // Half with an email (found by Dex's exact lookup), half with
            // a name only (found by the search and the creation time).
            if i.is_multiple_of(2) {
                args["emails"] = json!([{ "email": format!("idem.probe{i}@example.test") }]);
            }
            ("create_contact", args)
        }
        "note" => (
            "add_contact_note",
            json!({
                "contact_ids": [contact_id],
                "text": format!("Lost-answer probe note {i}"),
                "idempotency_key": key,
            }),
        ),
        _ => (
            "create_contact_reminder",
            json!({
                "contact_ids": [contact_id],
                "text": format!("Lost-answer probe reminder {i}"),
                "due_date": "2031-05-01",
                "idempotency_key": key,
            }),
        ),
    }
}

/// How many records of `kind` the simulator holds for create `i`, and
/// their ids.
fn stored(simulator: &dex_sim::RunningSim, kind: &str, i: usize) -> Vec<String> {
    let data = simulator.snapshot();
    match kind {
        "contact" => data
            .contacts
            .iter()
            .filter(|c| c.last_name.as_deref() == Some(&format!("Probe{i}")))
            .map(|c| c.id.clone())
            .collect(),
        "note" => data
            .notes
            .iter()
            .filter(|n| n.note == format!("Lost-answer probe note {i}"))
            .map(|n| n.id.clone())
            .collect(),
        _ => data
            .reminders
            .iter()
            .filter(|r| r.text == format!("Lost-answer probe reminder {i}"))
            .map(|r| r.id.clone())
            .collect(),
    }
}

/// What one call answered: `created:<creation>`, `not-saved` or
/// `may-exist`, and the record's id when it succeeded.
fn outcome(kind: &str, result: &rmcp::model::CallToolResult) -> (String, Option<String>) {
    let content = result.structured_content.clone().unwrap_or_default();
    if result.is_error == Some(true) {
        let message = content["message"].as_str().unwrap_or_default();
        let what = if message.contains("may have saved") {
            "may-exist"
        } else if message.contains("did not save") {
            "not-saved"
        } else {
            panic!("unexpected error for a {kind}: {content:#}")
        };
        return (what.to_owned(), None);
    }
    let id = content[kind]["id"].as_str().map(str::to_owned);
    (
        format!("created:{}", content["creation"].as_str().unwrap_or("?")),
        id,
    )
}

#[tokio::test]
async fn creates_under_lost_answers_land_once_and_repeats_replay() {
    let scratch = Scratch::new("lost-creates");
    let config = SimConfig {
        api_key: KEY.into(),
        contacts: 30,
        seed: 15,
        ..Default::default()
    };
    let simulator = dex_sim::RunningSim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the simulator starts");
    let client = start(&simulator, &scratch).await;
    let contact_id = simulator.snapshot().contacts[2].id.clone();
    simulator.set_faults(
        KINDS
            .iter()
            .map(|(_, endpoint)| {
                FaultRule::new(*endpoint)
                    .errors(RATE, 503)
                    .errors_after_applying(RATE, 502)
                    .resets_after_applying(RATE)
                    .malformed(RATE)
            })
            .collect(),
    );

    let mut report = String::new();
    for (kind, endpoint) in KINDS {
        let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
        let mut answered: Vec<(usize, String)> = Vec::new();
        for i in 0..CREATES {
            let (tool, args) = create(kind, i, &contact_id);
            let result = call(&client, tool, args).await;
            let (what, id) = outcome(kind, &result);
            *outcomes.entry(what.clone()).or_default() += 1;
            let copies = stored(&simulator, kind, i);
            match id {
                Some(id) => {
                    assert_eq!(
                        copies,
                        std::slice::from_ref(&id),
                        "{kind} {i} ({what}): not stored exactly once"
                    );
                    answered.push((i, id));
                }
                None => {
                    assert_eq!(what, "not-saved", "{kind} {i}: {result:?}");
                    assert!(
                        copies.is_empty(),
                        "{kind} {i} said not saved but landed: {copies:?}"
                    );
                }
            }
        }
        let counters = simulator.counters();
        let served = counters
            .endpoints
            .get(endpoint)
            .cloned()
            .unwrap_or_default();
        let duplicates: usize = (0..CREATES)
            .map(|i| stored(&simulator, kind, i).len().saturating_sub(1))
            .sum();

        // The assistant calls again with the same key: nothing is written.
        let posts_before = served.requests;
        let mut replays = 0;
        for (i, id) in &answered {
            let (tool, args) = create(kind, *i, &contact_id);
            let result = call(&client, tool, args).await;
            let (what, again) = outcome(kind, &result);
            assert_eq!(what, "created:replayed", "{kind} {i}: {result:?}");
            assert_eq!(again.as_deref(), Some(id.as_str()));
            replays += 1;
        }
        let posts_after = simulator.counters().endpoints[endpoint].requests;

        let line = format!(
            "{kind}: {CREATES} creates, {} POSTs; faults: {} 5xx before, {} 5xx after, {} resets after, {} malformed after; answers: {outcomes:?}; duplicates {duplicates}; repeats with the key: {replays} replayed, {} POSTs",
            served.requests,
            served.statuses.get(&503).copied().unwrap_or(0),
            served.statuses.get(&502).copied().unwrap_or(0),
            served.resets,
            served.malformed,
            posts_after - posts_before,
        );
        eprintln!("{line}");
        report.push_str(&line);
        report.push('\n');
        assert_eq!(duplicates, 0, "{line}");
        assert_eq!(outcomes.get("may-exist"), None, "{line}");
        assert_eq!(posts_after, posts_before, "a replay wrote: {line}");
        let faults = served.statuses.get(&503).copied().unwrap_or(0)
            + served.statuses.get(&502).copied().unwrap_or(0)
            + served.resets
            + served.malformed;
        assert!(faults >= 8, "too few faults to measure anything: {line}");
        assert!(
            outcomes.keys().any(|k| k == "created:recovered"),
            "no answer was recovered: {line}"
        );
    }
    client.cancel().await.ok();
    eprintln!("lost creates:\n{report}");
}

#[tokio::test]
async fn a_key_reused_with_other_arguments_is_refused() {
    let scratch = Scratch::new("idempotency-mismatch");
    let config = SimConfig {
        api_key: KEY.into(),
        contacts: 10,
        ..Default::default()
    };
    let simulator = dex_sim::RunningSim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the simulator starts");
    let client = start(&simulator, &scratch).await;
    let contact_id = simulator.snapshot().contacts[1].id.clone();
    let note = |text: &str| json!({ "contact_ids": [contact_id], "text": text, "idempotency_key": "note-probe-key-1" });
    let first = call(&client, "add_contact_note", note("The first text")).await;
    assert_ne!(first.is_error, Some(true), "{first:?}");
    assert_eq!(
        first.structured_content.unwrap()["creation"],
        json!("answered")
    );
    let other = call(&client, "add_contact_note", note("Another text")).await;
    client.cancel().await.ok();
    assert_eq!(other.is_error, Some(true), "{other:?}");
    let error = other.structured_content.unwrap();
    assert_eq!(error["field"], json!("idempotency_key"), "{error:#}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("other arguments"),
        "{error:#}"
    );
    let texts: Vec<String> = simulator
        .snapshot()
        .notes
        .into_iter()
        .filter(|n| n.note == "The first text" || n.note == "Another text")
        .map(|n| n.note)
        .collect();
    assert_eq!(texts, ["The first text"]);
}
