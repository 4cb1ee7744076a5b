//! `dex-mcp doctor` against the simulated Dex in each v1 answer shape:
//! the real binary loads the real component, runs its self-check and
//! prints the table; a required endpoint that fails makes it exit non-zero
//! with the fix to try.

use std::process::Output;

use dex_mcp_tests::{component, server_binary};
use dex_sim::{AnswerShape, FaultRule, RunningSim, SimConfig};

const KEY: &str = "dex_doctor_test_key_4f9a";

async fn simulator(shape: AnswerShape) -> RunningSim {
    let config = SimConfig {
        api_key: KEY.into(),
        // About 750 notes: more than a reference page (500), less than the
        // older shape's (the 1,000 asked).
        contacts: 150,
        shape,
        ..SimConfig::default()
    };
    RunningSim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the simulator starts")
}

/// Runs `dex-mcp doctor` with `env` (and no inherited `DEX_*` variables).
async fn doctor(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = tokio::process::Command::new(server_binary());
    command
        .arg("doctor")
        .arg("--component")
        .arg(component("dex_guest"))
        .args(args);
    for (name, _) in std::env::vars() {
        if name.starts_with("DEX_") {
            command.env_remove(name);
        }
    }
    command
        .envs(env.iter().copied())
        .output()
        .await
        .expect("dex-mcp doctor runs")
}

/// The table's row for `check`, split into its columns.
fn row<'a>(table: &'a str, check: &str) -> Vec<&'a str> {
    let line = table
        .lines()
        .find(|l| l.starts_with(&format!("{check}  ")))
        .unwrap_or_else(|| panic!("no row for {check} in:\n{table}"));
    line[check.len()..].split_whitespace().collect()
}

#[tokio::test]
async fn doctor_passes_on_each_shape_and_names_the_shape_it_saw() {
    for (shape, record_shape) in [
        (AnswerShape::Reference, "wrapped"),
        (AnswerShape::Older, "bare"),
    ] {
        let sim = simulator(shape).await;
        let base = sim.v1_base_url();
        let out = doctor(&[], &[("DEX_API_KEY", KEY), ("DEX_API_BASE_URL", &base)]).await;
        let table = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{shape}: {table}\n{stderr}");

        // CHECK STATUS HTTP SHAPE PAGE LINKS REQUIRED UNREADABLE
        assert_eq!(
            row(&table, "GET /v1/contacts/{id}")[..4],
            ["passed", "200", record_shape, "-"],
            "{shape}:\n{table}"
        );
        assert_eq!(
            row(&table, "GET /v1/contacts")[..6],
            ["passed", "200", "page", "150", "yes", "yes"],
            "{shape}:\n{table}"
        );
        let data = sim.snapshot();
        let largest = match shape {
            AnswerShape::Reference => 500,
            AnswerShape::Older => 1000,
        };
        for (check, records) in [
            ("GET /v1/timeline", data.notes.len()),
            ("GET /v1/reminders", data.reminders.len()),
        ] {
            let columns = row(&table, check);
            assert_eq!(columns[..3], ["passed", "200", "page"], "{shape}:\n{table}");
            assert_eq!(
                columns[3],
                records.min(largest).to_string(),
                "{shape}: the first page of {check}:\n{table}"
            );
        }
        assert_eq!(
            row(&table, "GET /v1/timeline/note-types")[..4],
            ["passed", "200", "list", "10"]
        );
        // What `include` changes: the same pages asked without it come
        // without their links (the simulator's default), which is worth a
        // look but not a failure, since the tools ask with it.
        for check in [
            "GET /v1/contacts (without include)",
            "GET /v1/timeline (without include)",
            "GET /v1/reminders (without include)",
        ] {
            let columns = row(&table, check);
            assert_eq!(
                [columns[0], columns[1], columns[2], columns[4], columns[5]],
                ["warned", "200", "page", "no", "no"],
                "{shape}: {check}:\n{table}"
            );
        }
        assert_eq!(
            row(&table, "POST /v1/contacts/by-emails")[..4],
            ["passed", "200", "list", "0"],
            "{shape}:\n{table}"
        );
        assert!(!table.contains("required check"), "{shape}:\n{table}");
        let due = match shape {
            AnswerShape::Reference => "due dates come as datetimes",
            AnswerShape::Older => "due dates come as dates",
        };
        assert!(
            table
                .lines()
                .any(|l| l.starts_with("GET /v1/reminders (passed):") && l.contains(due)),
            "{shape}:\n{table}"
        );

        // Nothing personal and never the key, on either stream.
        for contact in data.contacts.iter().take(20) {
            for email in &contact.contact_emails {
                assert!(!table.contains(&email.email), "{shape}: {}", email.email);
            }
            if let Some(last) = &contact.last_name {
                assert!(!table.contains(last.as_str()), "{shape}: {last}:\n{table}");
            }
        }
        assert!(
            !table.contains(KEY) && !stderr.contains(KEY),
            "{shape}: the key leaked"
        );
    }
}

#[tokio::test]
async fn a_required_endpoint_that_fails_exits_non_zero_with_the_fix() {
    let sim = simulator(AnswerShape::Reference).await;
    sim.set_faults(vec![FaultRule::new("GET /v1/timeline").errors(1.0, 503)]);
    let base = sim.v1_base_url();
    let out = doctor(&[], &[("DEX_API_KEY", KEY), ("DEX_API_BASE_URL", &base)]).await;
    let table = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{table}");
    assert_eq!(
        row(&table, "GET /v1/timeline")[..2],
        ["failed", "503"],
        "{table}"
    );
    assert_eq!(row(&table, "GET /v1/contacts")[0], "passed", "{table}");
    let note = table
        .lines()
        .find(|l| l.starts_with("GET /v1/timeline (failed):"))
        .unwrap_or_else(|| panic!("no fix for the timeline:\n{table}"));
    assert!(note.contains("Try: "), "{note}");
    assert!(table.contains("1 required check failed"), "{table}");

    // A refused key fails every required check, each with the key's fix.
    sim.clear_faults();
    let out = doctor(
        &[],
        &[
            ("DEX_API_KEY", "dex_wrong_key"),
            ("DEX_API_BASE_URL", &base),
        ],
    )
    .await;
    let table = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{table}");
    assert_eq!(row(&table, "GET /v1/contacts")[..2], ["failed", "401"]);
    assert!(table.contains("DEX_API_KEY"), "{table}");
    assert!(!table.contains("dex_wrong_key"), "the key leaked:\n{table}");
}

#[tokio::test]
async fn doctor_needs_a_key_and_says_legacy_is_v1_only() {
    let out = doctor(&[], &[]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("DEX_API_KEY"));

    let sim = simulator(AnswerShape::Reference).await;
    let base = sim.legacy_base_url();
    let out = doctor(
        &["--api-generation", "legacy"],
        &[("DEX_API_KEY", KEY), ("DEX_API_BASE_URL", &base)],
    )
    .await;
    let table = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{table}");
    assert!(table.contains("deprecated"), "{table}");
    assert_eq!(sim.counters().total, 0, "nothing was asked of legacy");
}
