//! Keys: 401 for missing or wrong keys, 403 without API access, in both
//! generations; the control API needs no key.

use dex_sim::SimConfig;
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{send, start, start_with};

#[tokio::test]
async fn v1_without_a_key_is_401() {
    let sim = start().await;
    let request = sim
        .http
        .get(format!("{}/v1/contacts", sim.sim.v1_base_url()));
    let (status, body) = send(request, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], true);
}

#[tokio::test]
async fn v1_with_a_wrong_key_is_401() {
    let sim = start().await;
    let request = sim
        .http
        .get(format!("{}/v1/contacts", sim.sim.v1_base_url()))
        .bearer_auth("dex_wrong");
    assert_eq!(send(request, None).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn legacy_without_or_with_a_wrong_key_is_401() {
    let sim = start().await;
    let url = format!("{}/contacts", sim.sim.legacy_base_url());
    let (status, body) = send(sim.http.get(&url), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["error"].is_string());
    let wrong = sim.http.get(&url).header("x-hasura-dex-api-key", "nope");
    assert_eq!(send(wrong, None).await.0, StatusCode::UNAUTHORIZED);
    // The v1 header does not open legacy.
    let bearer = sim.http.get(&url).bearer_auth(sim.sim.api_key());
    assert_eq!(send(bearer, None).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn plan_without_api_access_is_403_in_both_generations() {
    let sim = start_with(SimConfig {
        contacts: 5,
        api_access: false,
        ..SimConfig::default()
    })
    .await;
    let (status, body) = sim.v1(reqwest::Method::GET, "/v1/contacts", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], true);
    let (status, _) = sim.legacy(reqwest::Method::GET, "/contacts", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn api_access_can_be_switched_at_run_time() {
    let sim = start().await;
    sim.sim.set_api_access(false);
    assert_eq!(
        sim.v1(reqwest::Method::GET, "/v1/contacts", None).await.0,
        StatusCode::FORBIDDEN
    );
    let url = format!("{}/api-access", sim.sim.control_url());
    let response = sim
        .http
        .put(url)
        .json(&serde_json::json!({"api_access": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        sim.v1(reqwest::Method::GET, "/v1/contacts", None).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn control_api_needs_no_key() {
    let sim = start().await;
    let (status, body) = send(
        sim.http.get(format!("{}/counters", sim.sim.control_url())),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.get("total").is_some_and(Value::is_number));
}
