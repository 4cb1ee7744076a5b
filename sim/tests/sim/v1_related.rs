//! Related contacts through `PUT /v1/contacts/{id}`, in both answer shapes.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{start, start_reference};

fn related(contact: &Value) -> Vec<Value> {
    contact["related_contacts"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_relation_written_on_one_contact_is_read_as_rows_on_both() {
    let sim = start_reference().await;
    let (a, b) = (sim.contact_id(0), sim.contact_id(1));
    let before = related(&sim.v1_data(&format!("/v1/contacts/{a}")).await["contact"]).len();
    let append = json!({"related_contacts": {"append": [{"destination": b}]}});
    let (status, answer) = sim
        .v1(
            Method::PUT,
            &format!("/v1/contacts/{a}"),
            Some(append.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let rows = related(&answer["data"]["contact"]);
    assert_eq!(rows.len(), before + 1);
    let row = rows.last().unwrap();
    assert_eq!(
        (&row["source"], &row["destination"]),
        (&json!(a), &json!(b))
    );
    let other = sim.v1_data(&format!("/v1/contacts/{b}")).await;
    assert!(related(&other["contact"]).contains(row), "{other}");
    // Appending it again changes nothing.
    let (_, again) = sim
        .v1(Method::PUT, &format!("/v1/contacts/{a}"), Some(append))
        .await;
    assert_eq!(related(&again["data"]["contact"]).len(), before + 1);
    // Lists leave relations out unless asked, like emails and phones.
    let page = sim.v1_data("/v1/contacts?take=5").await;
    assert!(page["items"][0].get("related_contacts").is_none(), "{page}");
    let page = sim
        .v1_data("/v1/contacts?take=5&include[related_contacts]=true")
        .await;
    assert!(page["items"][0].get("related_contacts").is_some(), "{page}");
    // Removing the pair named from b's side removes it from both.
    let remove = json!({"related_contacts": {"remove": [{"source": b, "destination": a}]}});
    let (status, _) = sim
        .v1(Method::PUT, &format!("/v1/contacts/{b}"), Some(remove))
        .await;
    assert_eq!(status, StatusCode::OK);
    let back = sim.v1_data(&format!("/v1/contacts/{a}")).await;
    assert_eq!(related(&back["contact"]).len(), before);
}

#[tokio::test]
async fn the_older_shape_answers_the_other_contacts_ids_and_bad_writes_are_400() {
    let sim = start().await;
    let (a, b) = (sim.contact_id(0), sim.contact_id(1));
    let append = json!({"related_contacts": {"append": [{"destination": b}]}, "starred": true});
    let (status, answer) = sim
        .v1(Method::PUT, &format!("/v1/contacts/{a}"), Some(append))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(related(&answer["data"]).contains(&json!(b)), "{answer}");
    assert_eq!(answer["data"]["starred"], true);
    let other = sim.v1_data(&format!("/v1/contacts/{b}")).await;
    assert!(related(&other).contains(&json!(a)), "{other}");
    for bad in [
        json!({"related_contacts": {"append": [{"destination": "no-such-contact"}]}, "starred": false}),
        json!({"related_contacts": {"append": [{"destination": a}]}}),
        json!({"related_contacts": {"remove": [{"source": b, "destination": b}]}}),
    ] {
        let (status, _) = sim
            .v1(Method::PUT, &format!("/v1/contacts/{a}"), Some(bad.clone()))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let unchanged = sim.v1_data(&format!("/v1/contacts/{a}")).await;
    assert_eq!(
        unchanged["starred"], true,
        "a refused write changed the contact"
    );
}
