//! `/v1/custom-fields`: definitions and contacts' values, in both answer
//! shapes.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Sim, start, start_reference};

/// Contact `id`'s `custom_fields` as the API answers them.
async fn values_of(sim: &Sim, id: &str) -> Vec<Value> {
    let data = sim.v1_data(&format!("/v1/contacts/{id}")).await;
    let contact = data.get("contact").unwrap_or(&data);
    contact["custom_fields"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn the_seeded_fields_are_listed_with_their_types_and_options_in_each_shape() {
    for (sim, type_key) in [
        (start_reference().await, "field_type"),
        (start().await, "type"),
    ] {
        let (fields, _) = sim.v1_all("/v1/custom-fields", 100).await;
        let types: Vec<&str> = fields.iter().filter_map(|f| f[type_key].as_str()).collect();
        assert_eq!(types, ["input", "autocomplete", "datepicker"], "{fields:?}");
        let options = &fields[1]["categories"];
        let first = if type_key == "type" {
            options[0].clone()
        } else {
            options[0]["category"].clone()
        };
        assert_eq!(first, "Vegetarian", "{options}");
        let seeded = sim.sim.snapshot();
        assert!(
            seeded.contacts.iter().any(|c| c
                .custom_fields
                .iter()
                .any(|v| v.id == seeded.custom_fields[1].id)),
            "no contact holds an option"
        );
    }
}

#[tokio::test]
async fn values_are_set_in_a_batch_and_go_with_their_field() {
    let sim = start_reference().await;
    let (ada, bob) = (sim.contact_id(0), sim.contact_id(1));
    let (status, created) = sim
        .v1(
            Method::POST,
            "/v1/custom-fields",
            Some(
                json!({"custom_field": {"name": "Sport", "field_type": "autocomplete",
                "categories": [{"category": "Rowing"}, {"category": "Chess"}]}}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let id = created["data"]["custom_field"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let batch = json!({"values": [
        {"contact_id": ada, "custom_field_id": id, "array_value": ["Rowing"]},
        {"contact_id": bob, "custom_field_id": id, "array_value": ["Chess"]},
    ]});
    let (status, answer) = sim
        .v1(
            Method::POST,
            "/v1/custom-fields/batch-update-contacts",
            Some(batch),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["data"]["count"], 2);
    let held = values_of(&sim, &ada).await;
    assert!(
        held.iter()
            .any(|v| v["id"] == json!(id) && v["text_value"] == "Rowing"),
        "{held:?}"
    );
    let bad = json!([{"contact_id": ada, "custom_field_id": id, "array_value": ["Go"]}]);
    let (status, _) = sim
        .v1(
            Method::POST,
            "/v1/custom-fields/batch-update-contacts",
            Some(bad),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let clear = json!([{"contact_id": bob, "custom_field_id": id, "array_value": []}]);
    sim.v1(
        Method::POST,
        "/v1/custom-fields/batch-update-contacts",
        Some(clear),
    )
    .await;
    assert!(
        !values_of(&sim, &bob)
            .await
            .iter()
            .any(|v| v["id"] == json!(id))
    );
    let (status, renamed) = sim
        .v1(
            Method::PUT,
            &format!("/v1/custom-fields/{id}"),
            Some(json!({"custom_field": {"name": "Sports"}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["data"]["custom_field"]["name"], "Sports");
    let (status, deleted) = sim
        .v1(Method::DELETE, &format!("/v1/custom-fields/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(deleted.get("data").is_none(), "{deleted}");
    assert!(
        !values_of(&sim, &ada)
            .await
            .iter()
            .any(|v| v["id"] == json!(id))
    );
    let (status, _) = sim
        .v1(Method::DELETE, &format!("/v1/custom-fields/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
