//! `/v1/tags` and `/v1/groups` writes, in both answer shapes.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{start, start_reference};

#[tokio::test]
async fn tags_are_created_put_on_contacts_renamed_and_deleted() {
    let sim = start_reference().await;
    let ada = sim.contact_id(0);
    let (status, created) = sim
        .v1(
            Method::POST,
            "/v1/tags",
            Some(json!({"tag": {"name": "Rowing"}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let id = created["data"]["tag"]["id"].as_str().unwrap().to_owned();
    let body = json!({"contactIds": [ada], "tagIds": [id]});
    let (status, added) = sim
        .v1(Method::POST, "/v1/tags/contacts/add", Some(body.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    let (_, renamed) = sim
        .v1(
            Method::PUT,
            &format!("/v1/tags/{id}"),
            Some(json!({"tag": {"name": "Sculling"}})),
        )
        .await;
    assert_eq!(renamed["data"]["tag"]["name"], "Sculling");
    let contact = sim.v1_data(&format!("/v1/contacts/{ada}")).await;
    let names: Vec<&str> = contact["contact"]["tags_contacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["tag"]["name"].as_str())
        .collect();
    assert!(names.contains(&"Sculling"), "{contact}");
    let unknown = json!({"contactIds": [ada], "tagIds": ["no-such-tag"]});
    let (status, _) = sim
        .v1(Method::POST, "/v1/tags/contacts/remove", Some(unknown))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, deleted) = sim
        .v1(Method::DELETE, &format!("/v1/tags/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(deleted.get("data").is_none(), "{deleted}");
    let contact = sim.v1_data(&format!("/v1/contacts/{ada}")).await;
    assert!(!contact.to_string().contains("Sculling"));
}

#[tokio::test]
async fn groups_take_members_in_bulk_and_answer_bare_in_the_older_shape() {
    let sim = start().await;
    let (a, b) = (sim.contact_id(0), sim.contact_id(1));
    let (status, created) = sim
        .v1(
            Method::POST,
            "/v1/groups",
            Some(json!({"group": {"name": "Book club", "emoji": "📚", "description": "Monthly"}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(created["data"]["description"], "Monthly");
    let id = created["data"]["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/groups/{id}/contacts");
    let (status, _) = sim
        .v1(Method::PUT, &path, Some(json!({"contactIds": [a, b]})))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (members, _) = sim.v1_all(&path, 1).await;
    assert_eq!(members.len(), 2);
    sim.v1(Method::POST, &path, Some(json!({"contactIds": [a]})))
        .await;
    let (members, _) = sim.v1_all(&path, 1).await;
    assert_eq!(members.len(), 1);
    assert_eq!(members[0]["id"], b.as_str());
    let (_, updated) = sim
        .v1(
            Method::PUT,
            &format!("/v1/groups/{id}"),
            Some(json!({"group": {"emoji": null}})),
        )
        .await;
    assert_eq!(updated["data"]["name"], "Book club");
    assert!(updated["data"]["emoji"].is_null());
    let (_, deleted) = sim
        .v1(Method::DELETE, &format!("/v1/groups/{id}"), None)
        .await;
    assert_eq!(deleted["data"]["id"], id.as_str());
    let (status, _) = sim.v1(Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
