//! What the component says about itself as a server (`wit/server.wit`),
//! end to end: its instructions reach the client, its settings are the
//! binary's flags (in `--help` too), a bad or deprecated value is said at
//! start, and every request it sends names dex-mcp.

use std::process::{Command, Stdio};

use dex_mcp_tests::{
    Era, Generation, call_ok, component, serve_generation_against_simulator, server_binary,
    server_command, start_server,
};
use serde_json::json;

/// `dex-mcp` with `args` and no inherited `DEX_*` variable: its exit
/// status, stdout and stderr.
fn run(args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let mut command = Command::new(server_binary());
    command.args(args);
    for (name, _) in std::env::vars() {
        if name.starts_with("DEX_") {
            command.env_remove(name);
        }
    }
    let output = command
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("dex-mcp runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_instructions_are_the_component_s() {
    for era in [Era::Legacy, Era::Modern] {
        let client = start_server(&[], &[], era, None)
            .await
            .expect("dex-mcp starts");
        let instructions = client
            .peer_info()
            .and_then(|info| info.instructions.clone())
            .unwrap_or_default();
        assert!(
            instructions.contains("find_contact"),
            "{era:?}: {instructions:?}"
        );
        let tools = client.list_all_tools().await.unwrap();
        assert!(tools.iter().any(|t| t.name == "find_contact"), "{era:?}");
        client.cancel().await.ok();
    }
    // The probe says nothing, so the server says nothing.
    let probe = component("probe_guest").display().to_string();
    let client = start_server(&["--component".to_owned(), probe], &[], Era::Legacy, None)
        .await
        .expect("dex-mcp starts with the probe");
    let info = client.peer_info().expect("initialized");
    assert_eq!(info.instructions, None);
    client.cancel().await.ok();
}

#[test]
fn help_lists_the_component_s_settings_in_its_words() {
    let (ok, help, _) = run(&["--help"], &[]);
    assert!(ok);
    for expected in [
        "--api-generation <VALUE>",
        "[env: DEX_API_GENERATION=]",
        "[default: v1]",
        "--api-key <SECRET>",
        "--base-url <VALUE>",
        "--cache-ttl <VALUE>",
        "[env: DEX_MCP_CACHE_TTL=]",
        "--demo-contacts",
    ] {
        assert!(
            help.contains(expected),
            "{expected} is missing from:\n{help}"
        );
    }
    let legacy = help
        .lines()
        .find(|line| line.trim_start().starts_with("- legacy:"))
        .unwrap_or_else(|| panic!("no legacy choice in:\n{help}"));
    assert!(legacy.contains("Deprecated:"), "{legacy}");
    assert!(legacy.contains("August 2026"), "{legacy}");

    // Another component, other settings: the host knows none of them.
    let probe = component("probe_guest").display().to_string();
    let (ok, help, _) = run(&["--component", &probe, "--help"], &[]);
    assert!(ok);
    assert!(help.contains("--base-url <VALUE>"), "{help}");
    assert!(!help.contains("--api-generation"), "{help}");

    // A component that cannot be loaded still gets the host's help.
    let (ok, help, _) = run(&["--component", "/nonexistent/x.wasm", "--help"], &[]);
    assert!(ok);
    assert!(help.contains("--call-timeout"), "{help}");
    assert!(
        help.contains("The component's own settings are not listed"),
        "{help}"
    );
}

#[test]
fn a_setting_the_component_refuses_stops_the_server_at_start() {
    let (ok, _, log) = run(&[], &[("DEX_MCP_CACHE_TTL", "soon")]);
    assert!(!ok, "it started: {log}");
    assert!(log.contains("DEX_MCP_CACHE_TTL is `soon`"), "{log}");
    // A value outside the declared choices is refused by the command line.
    let (ok, _, log) = run(&["--api-generation", "v2"], &[]);
    assert!(!ok);
    assert!(log.contains("possible values: v1, legacy"), "{log}");
    // An unknown flag is still an error, not silently dropped.
    let (ok, _, log) = run(&["--api-generaton", "v1"], &[]);
    assert!(!ok);
    assert!(
        log.contains("unexpected argument '--api-generaton'"),
        "{log}"
    );
}

#[tokio::test]
async fn choosing_the_legacy_api_warns_that_it_is_deprecated() {
    let simulator = dex_sim::RunningSim::start(
        dex_sim::SimConfig::default(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    // Stdin is closed: each server starts, logs, and ends.
    let log_of = |base_url: String, generation: &str| {
        let env = [
            ("DEX_API_KEY", simulator.api_key()),
            ("DEX_API_BASE_URL", base_url.as_str()),
            ("DEX_API_GENERATION", generation),
        ];
        let output = server_command(&[], &env).output().expect("dex-mcp runs");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let legacy = log_of(simulator.legacy_base_url(), "legacy");
    let warning = legacy
        .lines()
        .find(|line| line.contains("WARN") && line.contains("deprecated"))
        .unwrap_or_else(|| panic!("no deprecation warning in:\n{legacy}"));
    assert!(warning.contains("legacy"), "{warning}");
    assert!(legacy.contains("component loaded"), "{legacy}");
    let v1 = log_of(simulator.v1_base_url(), "v1");
    assert!(v1.contains("component loaded"), "{v1}");
    assert!(!v1.contains("deprecated"), "{v1}");
}

#[tokio::test]
async fn every_request_names_dex_mcp_and_its_version() {
    let agent = format!("dex-mcp/{}", env!("CARGO_PKG_VERSION"));
    for generation in Generation::BOTH {
        let served =
            serve_generation_against_simulator(dex_sim::SimConfig::default(), generation, &[])
                .await;
        // A read of the whole account and a lookup: lists and searches.
        call_ok(&served.client, "find_contact", json!({ "name": "Hofman" })).await;
        call_ok(
            &served.client,
            "find_contact",
            json!({ "email": "nobody@example.org" }),
        )
        .await;
        served.client.cancel().await.ok();
        let counters = served.simulator.counters();
        assert!(counters.total > 0, "{generation:?}: nothing was sent");
        let agents: Vec<&String> = counters.user_agents.keys().collect();
        assert_eq!(agents, [&agent], "{generation:?}");
        assert_eq!(
            counters.user_agents[&agent], counters.total,
            "{generation:?}"
        );
    }
}
