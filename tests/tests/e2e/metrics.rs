//! The Prometheus endpoint (`--metrics`), scraped after a few calls.

use dex_mcp_tests::{Era, Scratch, component, start_server};
use rmcp::model::CallToolRequestParams;
use serde_json::json;

const KEY: &str = "dex_test_metrics_key";

async fn call(client: &dex_mcp_tests::Client, tool: &'static str, arguments: serde_json::Value) {
    let mut request = CallToolRequestParams::new(tool);
    if let Some(object) = arguments.as_object() {
        request = request.with_arguments(object.clone());
    }
    client.call_tool(request).await.expect("tools/call answers");
}

#[tokio::test]
async fn scrape_shows_calls_durations_upstream_requests_and_traps() {
    let simulator = dex_sim::RunningSim::start(
        dex_sim::SimConfig {
            api_key: KEY.into(),
            contacts: 5,
            ..Default::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .expect("simulator starts");
    let log = Scratch::new("metrics.log");
    let args = [
        "--component",
        &component("misbehave_guest").display().to_string(),
        "--call-timeout",
        "1",
        "--metrics",
        "127.0.0.1:0",
    ]
    .map(String::from);
    let base_url = simulator.v1_base_url();
    let env = [
        ("DEX_API_KEY", KEY),
        ("DEX_API_BASE_URL", base_url.as_str()),
    ];
    let client = start_server(&args, &env, Era::Legacy, Some(&log))
        .await
        .expect("dex-mcp starts");
    let addr = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .filter(|l| l.contains("serving Prometheus metrics"))
        .find_map(|l| {
            l.split_whitespace()
                .find_map(|f| f.strip_prefix("addr="))
                .map(str::to_owned)
        })
        .expect("the metrics address is logged");

    call(&client, "ok", json!({})).await;
    call(&client, "ok", json!({})).await;
    call(&client, "spin_forever", json!({})).await;
    let url = format!("{base_url}/v1/contacts/c0ffee0123?take=1");
    call(&client, "request_flood", json!({ "url": url, "count": 2 })).await;
    let text = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .expect("scrape answers")
        .text()
        .await
        .unwrap();
    client.cancel().await.ok();

    for expected in [
        r#"dex_mcp_tool_calls_total{tool="ok",outcome="ok"} 2"#,
        r#"dex_mcp_tool_calls_total{tool="spin_forever",outcome="guest_failure"} 1"#,
        r#"dex_mcp_tool_call_duration_seconds_count{tool="ok"} 2"#,
        r#"dex_mcp_guest_traps_total{kind="deadline"} 1"#,
        r#"dex_mcp_upstream_requests_total{method="GET",endpoint="/v1/contacts/:id","#,
        "dex_mcp_instances_in_use 0",
    ] {
        assert!(text.contains(expected), "missing {expected} in:\n{text}");
    }
    let upstream: u64 = text
        .lines()
        .filter(|l| l.starts_with("dex_mcp_upstream_requests_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum();
    assert_eq!(upstream, 2, "{text}");
}
