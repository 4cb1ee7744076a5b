//! Using the simulator from a plain test without a runtime.

use dex_sim::{RunningSim, SimConfig};

#[test]
fn start_blocking_serves_until_dropped() {
    let sim = RunningSim::start_blocking(SimConfig {
        contacts: 12,
        api_key: "dex_test".into(),
        ..SimConfig::default()
    })
    .unwrap();
    assert!(sim.v1_base_url().starts_with("http://127.0.0.1:"));
    assert_eq!(
        sim.legacy_base_url(),
        format!("{}/api/rest", sim.v1_base_url())
    );
    let client = reqwest::blocking::Client::new();
    let body: serde_json::Value = client
        .get(format!("{}/v1/contacts", sim.v1_base_url()))
        .bearer_auth("dex_test")
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(body["data"]["count"], 12);
    let url = sim.v1_base_url();
    drop(sim);
    assert!(client.get(format!("{url}/v1/contacts")).send().is_err());
}

#[tokio::test]
async fn shutdown_stops_the_async_server() {
    let sim = RunningSim::start(
        SimConfig {
            contacts: 3,
            ..SimConfig::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let url = sim.v1_base_url();
    sim.shutdown().await;
    assert!(reqwest::get(format!("{url}/v1/contacts")).await.is_err());
}
