//! A started simulator and a client that speaks both generations.

use dex_sim::{AnswerShape, RunningSim, SimConfig};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// A simulator with a client.
pub struct Sim {
    pub sim: RunningSim,
    pub http: reqwest::Client,
}

/// A small seeded account (60 contacts), faults off, answering in the
/// older shape (bare records, integer cursors, `take` honoured): what most
/// of these tests were written against, and what lets them page in small
/// steps. `v1_shapes.rs` covers the reference shape.
pub async fn start() -> Sim {
    start_with(SimConfig {
        contacts: 60,
        shape: AnswerShape::Older,
        ..SimConfig::default()
    })
    .await
}

/// The same account in Dex's reference shape (the default).
pub async fn start_reference() -> Sim {
    start_with(SimConfig {
        contacts: 60,
        ..SimConfig::default()
    })
    .await
}

/// A simulator with `config`.
pub async fn start_with(config: SimConfig) -> Sim {
    let sim = RunningSim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator starts");
    Sim {
        sim,
        http: reqwest::Client::new(),
    }
}

impl Sim {
    /// A v1 request with the right key; the status and the JSON body.
    pub async fn v1(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let request = self
            .http
            .request(method, format!("{}{path}", self.sim.v1_base_url()))
            .bearer_auth(self.sim.api_key());
        send(request, body).await
    }

    /// A legacy request with the right key.
    pub async fn legacy(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let request = self
            .http
            .request(method, format!("{}{path}", self.sim.legacy_base_url()))
            .header("x-hasura-dex-api-key", self.sim.api_key());
        send(request, body).await
    }

    /// `GET` a v1 path, asserting 200, returning `data`.
    pub async fn v1_data(&self, path: &str) -> Value {
        let (status, body) = self.v1(Method::GET, path, None).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        assert_eq!(body["error"], Value::Bool(false));
        body["data"].clone()
    }

    /// Every item of a v1 list, following `nextCursor` with page size
    /// `take`; also the number of pages.
    pub async fn v1_all(&self, path: &str, take: usize) -> (Vec<Value>, usize) {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let url = match &cursor {
                Some(c) => format!("{path}{sep}take={take}&cursor={c}"),
                None => format!("{path}{sep}take={take}"),
            };
            let data = self.v1_data(&url).await;
            pages += 1;
            let page = data["items"].as_array().expect("items").clone();
            assert!(page.len() <= take);
            items.extend(page);
            match data["nextCursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
            assert!(pages < 10_000, "cursor chain does not end");
        }
        (items, pages)
    }

    /// The id of the `n`-th contact of the account.
    pub fn contact_id(&self, n: usize) -> String {
        self.sim.snapshot().contacts[n].id.clone()
    }
}

/// Sends with an optional JSON body and reads the answer as JSON (or
/// `Null` when the body is not JSON).
pub async fn send(request: reqwest::RequestBuilder, body: Option<Value>) -> (StatusCode, Value) {
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    let response = request.send().await.expect("request answered");
    let status = response.status();
    let text = response.text().await.expect("body read");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}
