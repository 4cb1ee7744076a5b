//! `/v1/search/*` and the account endpoints.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{start, start_reference};

#[tokio::test]
async fn contact_search_ignores_case_and_accents() {
    let sim = start_reference().await;
    let (_, answer) = sim
        .v1(
            Method::POST,
            "/v1/contacts",
            Some(json!({"contacts": [{"first_name": "José", "last_name": "Álvarez-Quintero"}]})),
        )
        .await;
    let id = answer["data"][0]["id"].as_str().unwrap().to_owned();
    for query in [
        "alvarez-quintero",
        "JOSÉ ÁLVAREZ-Q",
        "Jose Alvarez-Quintero",
    ] {
        let data = sim
            .v1_data(&format!("/v1/search/contacts?searchQuery={query}"))
            .await;
        assert!(
            data["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == id.as_str()),
            "{query}"
        );
    }
}

#[tokio::test]
async fn contact_search_pages_with_cursors() {
    let sim = start().await;
    let expected = sim
        .sim
        .snapshot()
        .contacts
        .iter()
        .filter(|c| {
            c.full_name
                .as_deref()
                .unwrap_or("")
                .to_lowercase()
                .contains('a')
        })
        .count();
    let (items, _) = sim.v1_all("/v1/search/contacts?searchQuery=a", 4).await;
    assert!(items.len() >= expected);
}

#[tokio::test]
async fn reminder_and_timeline_search_match_text() {
    let sim = start().await;
    let notes = sim
        .v1_data("/v1/search/timeline?searchQuery=coffee&take=1000")
        .await;
    let items = notes["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|n| {
        n["note"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("coffee")
    }));
    let reminders = sim
        .v1_data("/v1/search/reminders?searchQuery=call&take=1000")
        .await;
    assert!(
        reminders["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["text"].as_str().unwrap().to_lowercase().contains("call"))
    );
}

#[tokio::test]
async fn search_without_a_query_is_400() {
    let sim = start().await;
    assert_eq!(
        sim.v1(Method::GET, "/v1/search/contacts", None).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn account_endpoints_answer() {
    let sim = start().await;
    let me = sim.v1_data("/v1/users/me").await;
    assert!(me["email"].as_str().unwrap().contains('@'));
    for path in ["/v1/tags", "/v1/groups", "/v1/custom-fields"] {
        let data = sim.v1_data(path).await;
        assert!(!data["items"].as_array().unwrap().is_empty(), "{path}");
        assert!(data["items"][0]["name"].is_string());
    }
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let sim = start().await;
    assert_eq!(
        sim.v1(Method::GET, "/v1/nothing-here", None).await.0,
        StatusCode::NOT_FOUND
    );
}
