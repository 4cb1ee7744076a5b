//! `/v1/contacts`: envelope, paging, CRUD, batch create, validation.

use reqwest::{Method, StatusCode};
use serde_json::json;

use dex_sim::{ListLinks, SimConfig};

use crate::support::{start, start_with};

#[tokio::test]
async fn list_uses_the_v1_envelope_with_items_cursor_and_count() {
    let sim = start().await;
    let data = sim
        .v1_data(
            "/v1/contacts?take=5&include[contact_emails]=true&include[contact_phone_numbers]=true",
        )
        .await;
    assert_eq!(data["items"].as_array().unwrap().len(), 5);
    assert_eq!(data["count"], 60);
    assert!(data["nextCursor"].is_string());
    let first = &data["items"][0];
    for field in [
        "id",
        "full_name",
        "first_name",
        "contact_emails",
        "contact_phone_numbers",
        "created_at",
    ] {
        assert!(first.get(field).is_some(), "missing {field}: {first}");
    }
}

#[tokio::test]
async fn cursor_chain_reaches_the_last_page_and_sees_every_contact_once() {
    let sim = start().await;
    let (items, pages) = sim.v1_all("/v1/contacts", 7).await;
    assert_eq!(items.len(), 60);
    assert_eq!(pages, 9);
    let mut ids: Vec<_> = items.iter().map(|c| c["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 60);
}

#[tokio::test]
async fn last_page_has_null_next_cursor() {
    let sim = start().await;
    let data = sim.v1_data("/v1/contacts?take=100").await;
    assert_eq!(data["items"].as_array().unwrap().len(), 60);
    assert!(data["nextCursor"].is_null());
}

#[tokio::test]
async fn get_one_returns_the_contact() {
    let sim = start().await;
    let id = sim.contact_id(3);
    let data = sim.v1_data(&format!("/v1/contacts/{id}")).await;
    assert_eq!(data["id"], id.as_str());
}

#[tokio::test]
async fn batch_create_accepts_trailing_slash_and_returns_created_contacts() {
    let sim = start().await;
    let body = json!({"contacts": [
        {"first_name": "Zoë", "last_name": "Ødegaard", "company": "Nordlys Energi",
         "contact_emails": [{"email": "zoe@nordlys.example", "label": "work", "ranking": 0}]},
        {"first_name": "Łukasz", "last_name": "Wójcik"}
    ]});
    let (status, answer) = sim.v1(Method::POST, "/v1/contacts/", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let created = answer["data"].as_array().unwrap();
    assert_eq!(created.len(), 2);
    assert_eq!(created[0]["full_name"], "Zoë Ødegaard");
    let id = created[1]["id"].as_str().unwrap();
    let fetched = sim.v1_data(&format!("/v1/contacts/{id}")).await;
    assert_eq!(fetched["full_name"], "Łukasz Wójcik");
    assert_eq!(sim.v1_data("/v1/contacts?take=1").await["count"], 62);
}

#[tokio::test]
async fn update_changes_only_the_given_fields() {
    let sim = start().await;
    let id = sim.contact_id(0);
    let before = sim.v1_data(&format!("/v1/contacts/{id}")).await;
    let (status, answer) = sim
        .v1(
            Method::PUT,
            &format!("/v1/contacts/{id}"),
            Some(json!({"job_title": "Chief Tea Officer"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["data"]["job_title"], "Chief Tea Officer");
    assert_eq!(answer["data"]["full_name"], before["full_name"]);
    assert_eq!(answer["data"]["contact_emails"], before["contact_emails"]);
}

#[tokio::test]
async fn delete_removes_the_contact_and_then_404s() {
    let sim = start().await;
    let id = sim.contact_id(1);
    let (status, answer) = sim
        .v1(Method::DELETE, &format!("/v1/contacts/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["data"]["id"], id.as_str());
    let (status, answer) = sim
        .v1(Method::GET, &format!("/v1/contacts/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(answer["error"], true);
    assert!(answer["message"].is_string());
}

#[tokio::test]
async fn batch_delete_removes_the_listed_contacts_and_names_them() {
    let sim = start().await;
    let (first, second) = (sim.contact_id(1), sim.contact_id(2));
    let unknown = "00000000-0000-4000-8000-000000000000";
    let path =
        format!("/v1/contacts?contactIds[]={first}&contactIds[]={second}&contactIds[]={unknown}");
    let (status, answer) = sim.v1(Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["data"]["count"], 2);
    assert_eq!(answer["data"]["contact_ids"], json!([first, second]));
    for id in [&first, &second] {
        let (status, _) = sim
            .v1(Method::GET, &format!("/v1/contacts/{id}"), None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) = sim.v1(Method::DELETE, "/v1/contacts", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn unknown_ids_are_404_on_get_put_and_delete() {
    let sim = start().await;
    let path = "/v1/contacts/00000000-0000-4000-8000-000000000000";
    for (method, body) in [
        (Method::GET, None),
        (Method::PUT, Some(json!({"job_title": "x"}))),
        (Method::DELETE, None),
    ] {
        let (status, _) = sim.v1(method.clone(), path, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method}");
    }
}

#[tokio::test]
async fn create_without_the_contacts_wrapper_is_400() {
    let sim = start().await;
    let (status, answer) = sim
        .v1(
            Method::POST,
            "/v1/contacts",
            Some(json!({"first_name": "Flat"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["error"], true);
    assert!(answer["message"].as_str().unwrap().contains("contacts"));
}

#[tokio::test]
async fn unknown_fields_are_400() {
    let sim = start().await;
    let (status, answer) = sim
        .v1(
            Method::POST,
            "/v1/contacts",
            Some(json!({"contacts": [{"nickname": "Bob"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(answer["message"].as_str().unwrap().contains("nickname"));
    let id = sim.contact_id(0);
    let (status, _) = sim
        .v1(
            Method::PUT,
            &format!("/v1/contacts/{id}"),
            Some(json!({"shoe_size": 44})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn read_only_fields_on_update_are_400() {
    let sim = start().await;
    let id = sim.contact_id(0);
    for field in ["id", "created_at"] {
        let (status, answer) = sim
            .v1(
                Method::PUT,
                &format!("/v1/contacts/{id}"),
                Some(json!({field: "x"})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}");
        assert!(answer["message"].as_str().unwrap().contains("read-only"));
    }
}

#[tokio::test]
async fn invalid_json_and_bad_paging_are_400() {
    let sim = start().await;
    let response = sim
        .http
        .post(format!("{}/v1/contacts", sim.sim.v1_base_url()))
        .bearer_auth(sim.sim.api_key())
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let (status, _) = sim.v1(Method::GET, "/v1/contacts?take=0", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = sim.v1(Method::GET, "/v1/contacts?cursor=nope", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn lists_leave_links_out_unless_include_asks_for_them() {
    let sim = start().await;
    let bare = sim.v1_data("/v1/contacts?take=3").await;
    for contact in bare["items"].as_array().unwrap() {
        assert!(contact.get("contact_emails").is_none(), "{contact}");
        assert!(contact.get("contact_phone_numbers").is_none(), "{contact}");
        assert!(contact.get("full_name").is_some());
    }
    let emails = sim
        .v1_data("/v1/contacts?take=3&include=contact_emails")
        .await;
    assert!(emails["items"][0].get("contact_emails").is_some());
    assert!(emails["items"][0].get("contact_phone_numbers").is_none());
    let notes = sim.v1_data("/v1/timeline?take=2").await;
    assert!(notes["items"][0].get("timeline_items_contacts").is_none());
    let notes = sim
        .v1_data("/v1/timeline?take=2&include[timeline_items_contacts]=true")
        .await;
    assert!(notes["items"][0]["timeline_items_contacts"].is_array());
    let reminders = sim
        .v1_data("/v1/reminders?take=2&include[reminders_contacts]=1")
        .await;
    assert!(reminders["items"][0]["reminders_contacts"].is_array());
    let one = sim
        .v1_data(&format!("/v1/contacts/{}", sim.contact_id(0)))
        .await;
    assert!(
        one["contact_emails"].is_array(),
        "a single read carries them"
    );
}

#[tokio::test]
async fn the_links_switch_gives_them_always_or_never() {
    let always = start_with(SimConfig {
        contacts: 5,
        list_links: ListLinks::Always,
        ..SimConfig::default()
    })
    .await;
    let data = always.v1_data("/v1/contacts?take=2").await;
    assert!(data["items"][0]["contact_emails"].is_array());
    let never = start_with(SimConfig {
        contacts: 5,
        list_links: ListLinks::Never,
        ..SimConfig::default()
    })
    .await;
    let data = never
        .v1_data("/v1/timeline?take=2&include[timeline_items_contacts]=true")
        .await;
    assert!(data["items"][0].get("timeline_items_contacts").is_none());
}

#[tokio::test]
async fn count_answers_the_number_of_contacts() {
    let sim = start().await;
    assert_eq!(
        sim.v1_data("/v1/contacts/count").await,
        json!({"count": 60})
    );
}

#[tokio::test]
async fn by_emails_finds_exact_addresses_ignoring_case() {
    let sim = start().await;
    let snapshot = sim.sim.snapshot();
    let with_email = snapshot
        .contacts
        .iter()
        .find(|c| !c.contact_emails.is_empty())
        .unwrap();
    let address = with_email.contact_emails[0].email.to_uppercase();
    let (status, body) = sim
        .v1(
            Method::POST,
            "/v1/contacts/by-emails",
            Some(json!({"emails": [address, "nobody@nowhere.test"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let found = body["data"].as_array().unwrap();
    assert!(found.iter().any(|c| c["id"] == with_email.id.as_str()));
    assert!(found.iter().all(|c| c["contact_emails"].is_array()));
    let (status, _) = sim
        .v1(
            Method::POST,
            "/v1/contacts/by-emails",
            Some(json!({"emails": []})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = sim
        .v1(
            Method::POST,
            "/v1/contacts/by-emails",
            Some(json!({"email": "a@b.c"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn by_emails_can_be_switched_off_to_answer_404() {
    let sim = start_with(SimConfig {
        contacts: 5,
        by_emails_route: false,
        ..SimConfig::default()
    })
    .await;
    let (status, _) = sim
        .v1(
            Method::POST,
            "/v1/contacts/by-emails",
            Some(json!({"emails": ["a@b.c"]})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_owners_time_zone_is_configurable() {
    let sim = start_with(SimConfig {
        contacts: 5,
        owner_time_zone: Some("Pacific/Auckland".into()),
        ..SimConfig::default()
    })
    .await;
    assert_eq!(
        sim.v1_data("/v1/users/me").await["time_zone"],
        "Pacific/Auckland"
    );
    let default = start().await;
    assert!(default.v1_data("/v1/users/me").await["time_zone"].is_string());
}
