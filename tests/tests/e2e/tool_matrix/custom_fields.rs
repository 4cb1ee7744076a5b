//! The cases of the custom field tools (listed in `reads.rs` and
//! `writes.rs`). They need v1: on legacy each must refuse with the
//! validation error before any request. On v1 each checks the simulator's
//! copy, and reads the change back through `get_contact_details` or
//! `list_custom_fields`, which answer from the server's cached account: a
//! write that did not update it shows there.

use dex_mcp_tests::dex_requests;
use serde_json::{Value, json};

use super::{Cx, assert_error, refused_on_legacy};

/// A new contact, through `create_contact`.
async fn new_contact(cx: &Cx, first: &str) -> String {
    let created = cx
        .ok(
            "create_contact",
            json!({ "first_name": first, "last_name": "Fielded" }),
        )
        .await;
    created["contact"]["id"].as_str().unwrap().to_owned()
}

/// The simulator's value of custom field `field_id` on contact `id`.
fn stored_value(cx: &Cx, id: &str, field_id: &str) -> Option<String> {
    cx.simulator
        .snapshot()
        .contacts
        .into_iter()
        .find(|c| c.id == id)?
        .custom_fields
        .into_iter()
        .find(|v| v.id == field_id)?
        .text_value
}

/// The values of custom field `field_id` the server's account gives
/// contact `id` (empty when it holds none).
async fn shown_values(cx: &Cx, id: &str, field_id: &str) -> Value {
    let details = cx
        .ok("get_contact_details", json!({ "contact_id": id }))
        .await;
    details["contact"]["custom_fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["field_id"] == json!(field_id))
        .map(|v| v["values"].clone())
        .unwrap_or(json!([]))
}

/// The simulator's field type as the tools name it.
fn tool_type(field_type: &str) -> &'static str {
    match field_type {
        "autocomplete" => "choice",
        "datepicker" => "date",
        _ => "text",
    }
}

/// The id of the simulator's custom field named `name`.
fn stored_id(cx: &Cx, name: &str) -> Option<String> {
    cx.simulator
        .snapshot()
        .custom_fields
        .into_iter()
        .find(|f| f.name == name)
        .map(|f| f.id)
}

/// A new field, through `create_custom_field`; its id.
async fn new_field(cx: &Cx, arguments: Value) -> String {
    let created = cx.ok("create_custom_field", arguments).await;
    created["field"]["id"].as_str().unwrap().to_owned()
}

pub async fn list_custom_fields(cx: &Cx) {
    if refused_on_legacy(cx, "list_custom_fields", json!({})).await {
        return;
    }
    let list = cx.ok("list_custom_fields", json!({})).await;
    let data = cx.simulator.snapshot();
    let listed = list["fields"].as_array().unwrap();
    assert_eq!(listed.len(), data.custom_fields.len(), "{list:#}");
    assert!(
        data.custom_fields
            .iter()
            .any(|f| f.field_type == "autocomplete"),
        "the seeded account has a choice field"
    );
    for field in &data.custom_fields {
        let holding = data
            .contacts
            .iter()
            .filter(|c| c.custom_fields.iter().any(|v| v.id == field.id))
            .count();
        let shown = listed
            .iter()
            .find(|f| f["id"] == json!(field.id))
            .unwrap_or_else(|| panic!("{} not listed: {list:#}", field.name));
        let options: Vec<&str> = field
            .categories
            .iter()
            .map(|c| c.category.as_str())
            .collect();
        assert_eq!(shown["name"], json!(field.name));
        assert_eq!(shown["field_type"], json!(tool_type(&field.field_type)));
        assert_eq!(shown["options"], json!(options), "{}", field.name);
        assert_eq!(shown["contacts"], json!(holding), "{}", field.name);
    }
    let refused = cx
        .failure("list_custom_fields", json!({ "cursor": "search.1" }))
        .await;
    assert_error(&refused, "validation", -32004, Some("cursor"));
}

pub async fn create_custom_field(cx: &Cx) {
    let arguments =
        json!({ "name": "Instrument", "field_type": "choice", "options": ["Piano", "Cello"] });
    if refused_on_legacy(cx, "create_custom_field", arguments.clone()).await {
        return;
    }
    let created = cx.ok("create_custom_field", arguments).await;
    let id = created["field"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["field"]["options"], json!(["Piano", "Cello"]));
    let stored = cx
        .simulator
        .snapshot()
        .custom_fields
        .into_iter()
        .find(|f| f.id == id)
        .expect("the simulator has the field");
    assert_eq!(stored.field_type, "autocomplete");
    assert_eq!(stored.categories.len(), 2);
    let dated = new_field(cx, json!({ "name": "Anniversary", "field_type": "date" })).await;
    assert_eq!(stored_id(cx, "Anniversary"), Some(dated));
    let before = dex_requests(&cx.simulator);
    let refused = cx
        .failure(
            "create_custom_field",
            json!({ "name": "Rank", "field_type": "choice" }),
        )
        .await;
    assert_error(&refused, "validation", -32004, Some("options"));
    assert_eq!(
        dex_requests(&cx.simulator),
        before,
        "a bad call reached Dex"
    );
    let again = cx
        .failure(
            "create_custom_field",
            json!({ "name": "instrument", "field_type": "text" }),
        )
        .await;
    assert_error(&again, "validation", -32004, Some("name"));
}

pub async fn update_custom_field(cx: &Cx) {
    let arguments = json!({ "field": "Club", "name": "Clubs" });
    if refused_on_legacy(cx, "update_custom_field", arguments.clone()).await {
        return;
    }
    let id = new_field(
        cx,
        json!({ "name": "Club", "field_type": "choice", "options": ["Chess"] }),
    )
    .await;
    let member = new_contact(cx, "Garry").await;
    cx.ok(
        "set_custom_field_values",
        json!({ "field": "club", "values": [{ "contact_id": member, "value": "chess" }] }),
    )
    .await;
    let updated = cx
        .ok(
            "update_custom_field",
            json!({ "field": id, "name": "Clubs", "options": ["Go", "Rowing"] }),
        )
        .await;
    assert_eq!(updated["field"]["name"], json!("Clubs"));
    assert_eq!(updated["field"]["contacts"], json!(1));
    let summary = updated["summary"].as_str().unwrap();
    assert!(
        summary.contains("1 contacts hold a value that is no longer"),
        "{summary}"
    );
    let stored = cx
        .simulator
        .snapshot()
        .custom_fields
        .into_iter()
        .find(|f| f.id == id)
        .unwrap();
    let options: Vec<String> = stored.categories.into_iter().map(|c| c.category).collect();
    assert_eq!(
        (stored.name.as_str(), options),
        ("Clubs", vec!["Go".to_owned(), "Rowing".to_owned()])
    );
    assert_eq!(shown_values(cx, &member, &id).await, json!(["Chess"]));
    let text = new_field(cx, json!({ "name": "Motto", "field_type": "text" })).await;
    let refused = cx
        .failure(
            "update_custom_field",
            json!({ "field": text, "options": ["A"] }),
        )
        .await;
    assert_error(&refused, "validation", -32004, Some("options"));
    let missing = cx
        .failure(
            "update_custom_field",
            json!({ "field": "Club", "name": "Guild" }),
        )
        .await;
    assert_error(&missing, "not_found", -32001, None);
}

pub async fn delete_custom_field(cx: &Cx) {
    if refused_on_legacy(cx, "delete_custom_field", json!({ "field": "Pet" })).await {
        return;
    }
    let id = new_field(cx, json!({ "name": "Pet", "field_type": "text" })).await;
    let a = new_contact(cx, "Rex").await;
    let b = new_contact(cx, "Tom").await;
    cx.ok(
        "set_custom_field_values",
        json!({ "field": "Pet", "values": [
            { "contact_id": a, "value": "Dog" },
            { "contact_id": b, "value": "Cat" },
        ] }),
    )
    .await;
    let asked = cx
        .failure("delete_custom_field", json!({ "field": "pet" }))
        .await;
    assert_error(&asked, "confirmation_required", -32004, Some("confirm"));
    let message = asked["message"].as_str().unwrap();
    assert!(message.contains("the values 2 contacts hold"), "{asked:#}");
    assert_eq!(
        stored_value(cx, &a, &id).as_deref(),
        Some("Dog"),
        "deleted unasked"
    );
    cx.ok(
        "delete_custom_field",
        json!({ "field": "Pet", "confirm": true }),
    )
    .await;
    assert_eq!(stored_id(cx, "Pet"), None);
    assert_eq!(stored_value(cx, &b, &id), None);
    assert_eq!(shown_values(cx, &a, &id).await, json!([]));
    let list = cx.ok("list_custom_fields", json!({})).await;
    assert!(!list.to_string().contains(&id), "{list:#}");
}

pub async fn set_custom_field_values(cx: &Cx) {
    let arguments =
        json!({ "field": "Met on", "values": [{ "contact_id": "c1", "value": "2024-01-01" }] });
    if refused_on_legacy(cx, "set_custom_field_values", arguments).await {
        return;
    }
    let data = cx.simulator.snapshot();
    let choice = data
        .custom_fields
        .iter()
        .find(|f| f.field_type == "autocomplete" && !f.categories.is_empty())
        .expect("a seeded choice field")
        .clone();
    let option = choice.categories[0].category.clone();
    let a = new_contact(cx, "Ruth").await;
    let b = new_contact(cx, "Bader").await;
    let set = cx
        .ok(
            "set_custom_field_values",
            json!({ "field": choice.name.to_uppercase(), "values": [
            { "contact_id": a, "value": option.to_lowercase() },
            { "contact_id": b, "value": "Not an option" },
        ] }),
        )
        .await;
    let outcomes = set["outcomes"].as_array().unwrap();
    assert_eq!(outcomes[0]["outcome"], json!("set"), "{set:#}");
    assert_eq!(outcomes[0]["value"], json!(option));
    assert_eq!(outcomes[1]["outcome"], json!("refused"));
    let reason = outcomes[1]["reason"].as_str().unwrap();
    assert!(
        reason.contains(&format!("\"{option}\"")),
        "the options are listed: {reason}"
    );
    assert_eq!(stored_value(cx, &a, &choice.id), Some(option.clone()));
    assert_eq!(stored_value(cx, &b, &choice.id), None);
    assert_eq!(shown_values(cx, &a, &choice.id).await, json!([option]));

    // The same value again sends nothing but the read of the definitions.
    let before = dex_requests(&cx.simulator);
    let again = cx
        .ok(
            "set_custom_field_values",
            json!({ "field": choice.id, "values": [{ "contact_id": a, "value": option }] }),
        )
        .await;
    assert_eq!(
        again["outcomes"][0]["outcome"],
        json!("unchanged"),
        "{again:#}"
    );
    assert_eq!(dex_requests(&cx.simulator), before + 1);

    let cleared = cx
        .ok(
            "set_custom_field_values",
            json!({ "field": choice.name, "values": [{ "contact_id": a }] }),
        )
        .await;
    assert_eq!(
        cleared["outcomes"][0]["outcome"],
        json!("cleared"),
        "{cleared:#}"
    );
    assert_eq!(stored_value(cx, &a, &choice.id), None);
    assert_eq!(shown_values(cx, &a, &choice.id).await, json!([]));

    let dated = new_field(cx, json!({ "name": "First met", "field_type": "date" })).await;
    let set = cx
        .ok(
            "set_custom_field_values",
            json!({ "field": "First met", "values": [
            { "contact_id": a, "value": "2024-02-29" },
            { "contact_id": b, "value": "2024-13-01" },
        ] }),
        )
        .await;
    assert_eq!(set["outcomes"][1]["outcome"], json!("refused"), "{set:#}");
    assert_eq!(stored_value(cx, &a, &dated).as_deref(), Some("2024-02-29"));
    let text = data
        .custom_fields
        .iter()
        .find(|f| f.field_type == "input")
        .expect("a seeded text field");
    let set = cx.ok("set_custom_field_values",
        json!({ "field": text.name, "values": [{ "contact_id": b, "value": "  Zephyrine regatta " }] }),
    )
    .await;
    assert_eq!(set["outcomes"][0]["outcome"], json!("set"), "{set:#}");
    assert_eq!(set["outcomes"][0].get("value"), None, "text is not echoed");
    assert_eq!(
        stored_value(cx, &b, &text.id).as_deref(),
        Some("Zephyrine regatta")
    );
    let found = cx
        .ok(
            "search_contacts_full_text",
            json!({ "query": "zephyrine", "include_types": ["contacts"] }),
        )
        .await;
    assert_eq!(
        found["hits"][0]["contacts"][0]["id"],
        json!(b),
        "search finds the new value: {found:#}"
    );

    let before = dex_requests(&cx.simulator);
    let refused = cx
        .failure(
            "set_custom_field_values",
            json!({ "field": "First met", "values": [{ "contact_id": b, "value": "yesterday" }] }),
        )
        .await;
    assert_error(&refused, "validation", -32004, Some("values"));
    assert_eq!(
        dex_requests(&cx.simulator),
        before + 1,
        "only the definitions were read"
    );
}
