//! What the simulator counts, read through the handle and `/_sim/counters`.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::support::start;

#[tokio::test]
async fn counts_requests_per_endpoint_and_status() {
    let sim = start().await;
    let id = sim.contact_id(0);
    sim.v1_data("/v1/contacts").await;
    sim.v1_data("/v1/contacts/").await;
    sim.v1_data(&format!("/v1/contacts/{id}")).await;
    sim.v1(Method::GET, "/v1/contacts/missing", None).await;
    sim.legacy(Method::GET, "/contacts", None).await;
    let counters = sim.sim.counters();
    assert_eq!(counters.requests("GET /v1/contacts"), 2);
    assert_eq!(counters.status("GET /v1/contacts/{id}", 200), 1);
    assert_eq!(counters.status("GET /v1/contacts/{id}", 404), 1);
    assert_eq!(counters.requests("GET /api/rest/contacts"), 1);
    assert_eq!(counters.total, 5);
}

#[tokio::test]
async fn unauthorized_requests_are_counted_too() {
    let sim = start().await;
    sim.http
        .get(format!("{}/v1/contacts", sim.sim.v1_base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(sim.sim.counters().status("GET /v1/contacts", 401), 1);
    assert_eq!(sim.sim.counters().total_status(401), 1);
}

#[tokio::test]
async fn control_api_reads_and_clears_counters_without_counting_itself() {
    let sim = start().await;
    sim.v1_data("/v1/users/me").await;
    let url = format!("{}/counters", sim.sim.control_url());
    let body: Value = sim
        .http
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["total"], 1);
    assert_eq!(body["endpoints"]["GET /v1/users/me"]["statuses"]["200"], 1);
    let cleared = sim.http.delete(&url).send().await.unwrap();
    assert_eq!(cleared.status(), StatusCode::NO_CONTENT);
    assert_eq!(sim.sim.counters().total, 0);
}

#[tokio::test]
async fn unknown_paths_count_as_unmatched() {
    let sim = start().await;
    sim.v1(Method::GET, "/v2/whatever", None).await;
    assert_eq!(sim.sim.counters().requests("unmatched"), 1);
}
