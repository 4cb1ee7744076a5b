//! Fault injection, set through the handle and through the control API.

use std::time::{Duration, Instant};

use dex_sim::{FaultRule, SimConfig};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{start, start_with};

#[tokio::test]
async fn latency_delays_answers() {
    let sim = start().await;
    sim.sim
        .set_faults(vec![FaultRule::new("GET /v1/contacts").latency(150, 20)]);
    let started = Instant::now();
    sim.v1_data("/v1/contacts?take=1").await;
    assert!(started.elapsed() >= Duration::from_millis(140));
    assert_eq!(sim.sim.counters().endpoints["GET /v1/contacts"].delayed, 1);
}

#[tokio::test]
async fn error_rate_one_answers_the_chosen_5xx_on_the_chosen_endpoint_only() {
    let sim = start().await;
    sim.sim
        .set_faults(vec![FaultRule::new("/v1/contacts/{id}").errors(1.0, 502)]);
    let id = sim.contact_id(0);
    for _ in 0..3 {
        let (status, body) = sim
            .v1(Method::GET, &format!("/v1/contacts/{id}"), None)
            .await;
        assert_eq!(status, StatusCode::BAD_GATEWAY);
        assert_eq!(body["error"], true);
    }
    assert_eq!(
        sim.v1(Method::GET, "/v1/contacts", None).await.0,
        StatusCode::OK
    );
    assert_eq!(sim.sim.counters().status("GET /v1/contacts/{id}", 502), 3);
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let sim = start().await;
    sim.sim
        .set_faults(vec![FaultRule::new("all").rate_limited(1.0, 7)]);
    let response = sim
        .http
        .get(format!("{}/contacts", sim.sim.legacy_base_url()))
        .header("x-hasura-dex-api-key", sim.sim.api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "7");
}

#[tokio::test]
async fn malformed_bodies_do_not_parse() {
    let sim = start().await;
    sim.sim
        .set_faults(vec![FaultRule::new("/v1/*").malformed(1.0)]);
    let response = sim
        .http
        .get(format!("{}/v1/contacts?take=3", sim.sim.v1_base_url()))
        .bearer_auth(sim.sim.api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(!text.is_empty());
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
}

#[tokio::test]
async fn connection_resets_reach_the_client_as_errors() {
    let sim = start().await;
    sim.sim.set_faults(vec![FaultRule::new("all").resets(1.0)]);
    let result = sim
        .http
        .get(format!("{}/v1/contacts", sim.sim.v1_base_url()))
        .bearer_auth(sim.sim.api_key())
        .send()
        .await;
    assert!(result.is_err(), "{result:?}");
    assert!(sim.sim.counters().endpoints["GET /v1/contacts"].resets >= 1);
    sim.sim.clear_faults();
    assert_eq!(
        sim.v1(Method::GET, "/v1/contacts", None).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn faults_after_applying_do_the_write_and_lose_its_answer() {
    let sim = start().await;
    let id = sim.contact_id(0);
    let notes_before = sim.sim.snapshot().notes.len();
    let note = |text: &str| json!({"note": {"note": text, "timeline_items_contacts": [{"contact_id": id}]}});
    sim.sim.set_faults(vec![
        FaultRule::new("POST /v1/timeline").errors_after_applying(1.0, 502),
    ]);
    let (status, _) = sim
        .v1(Method::POST, "/v1/timeline", Some(note("after a 502")))
        .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    sim.sim.set_faults(vec![
        FaultRule::new("POST /v1/timeline").resets_after_applying(1.0),
    ]);
    let dropped = sim
        .http
        .post(format!("{}/v1/timeline", sim.sim.v1_base_url()))
        .bearer_auth(sim.sim.api_key())
        .json(&note("after a reset"))
        .send()
        .await;
    assert!(dropped.is_err(), "{dropped:?}");
    sim.sim
        .set_faults(vec![FaultRule::new("POST /v1/timeline").errors(1.0, 503)]);
    let (status, _) = sim
        .v1(Method::POST, "/v1/timeline", Some(note("never stored")))
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let texts: Vec<String> = sim.sim.snapshot().notes[notes_before..]
        .iter()
        .map(|n| n.note.clone())
        .collect();
    assert_eq!(
        texts,
        ["after a 502", "after a reset"],
        "a 5xx before handling stores nothing"
    );
    assert_eq!(sim.sim.counters().endpoints["POST /v1/timeline"].resets, 1);
}

#[tokio::test]
async fn slow_bodies_arrive_complete() {
    let sim = start().await;
    sim.sim.set_faults(vec![
        FaultRule::new("GET /v1/contacts").slow_body(1.0, 64, 5),
    ]);
    let normal_len = {
        let sim2 = start().await;
        let (_, body) = sim2.v1(Method::GET, "/v1/contacts?take=2", None).await;
        serde_json::to_vec(&body).unwrap().len()
    };
    let started = Instant::now();
    let (status, body) = sim.v1(Method::GET, "/v1/contacts?take=2", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["items"].as_array().unwrap().len(), 2);
    // At least a few pieces, 5 ms apart.
    assert!(normal_len > 64 * 4);
    assert!(started.elapsed() >= Duration::from_millis(15));
    assert_eq!(sim.sim.counters().endpoints["GET /v1/contacts"].slow, 1);
}

#[tokio::test]
async fn faults_given_at_start_apply_and_reset_restores_them() {
    let sim = start_with(SimConfig {
        contacts: 10,
        faults: vec![FaultRule::new("all").errors(1.0, 500)],
        ..SimConfig::default()
    })
    .await;
    assert_eq!(
        sim.v1(Method::GET, "/v1/contacts", None).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    sim.sim.clear_faults();
    assert_eq!(
        sim.v1(Method::GET, "/v1/contacts", None).await.0,
        StatusCode::OK
    );
    sim.sim.reset();
    assert_eq!(
        sim.v1(Method::GET, "/v1/contacts", None).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

#[tokio::test]
async fn control_api_sets_reads_and_clears_faults() {
    let sim = start().await;
    let url = format!("{}/faults", sim.sim.control_url());
    let response = sim
        .http
        .put(&url)
        .json(&json!({"rules": [{"endpoint": "GET /v1/users/me", "error_rate": 1.0, "error_status": 504}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        sim.v1(Method::GET, "/v1/users/me", None).await.0,
        StatusCode::GATEWAY_TIMEOUT
    );
    let rules: Value = sim
        .http
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rules["rules"][0]["error_status"], 504);
    assert_eq!(sim.sim.faults().len(), 1);
    let bad = sim
        .http
        .put(&url)
        .json(&json!({"rules": [{"bogus": 1}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    sim.http.delete(&url).send().await.unwrap();
    assert_eq!(
        sim.v1(Method::GET, "/v1/users/me", None).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn fault_dice_are_seeded() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let sim = start_with(SimConfig {
            contacts: 5,
            seed,
            faults: vec![FaultRule::new("all").errors(0.5, 503)],
            ..SimConfig::default()
        })
        .await;
        let mut out = Vec::new();
        for _ in 0..20 {
            out.push(sim.v1(Method::GET, "/v1/users/me", None).await.0.as_u16());
        }
        out
    }
    let first = statuses(11).await;
    assert_eq!(first, statuses(11).await);
    assert!(first.contains(&503) && first.contains(&200));
}
