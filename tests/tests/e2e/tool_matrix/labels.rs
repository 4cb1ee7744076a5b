//! The cases of the tag and group tools (listed in `reads.rs` and
//! `writes.rs`). They need v1: on legacy each must refuse with the
//! validation error before any request. On v1 each checks the simulator's
//! copy, and reads the change back through `get_contact_details`,
//! `list_tags` or `get_group`, which answer from the server's cached
//! account: a write that did not update it shows there.

use std::collections::BTreeSet;

use dex_mcp_tests::dex_requests;
use serde_json::{Value, json};

use super::{Cx, assert_error, ids, refused_on_legacy};

/// A new contact, through `create_contact`.
async fn new_contact(cx: &Cx, first: &str) -> String {
    let created = cx
        .ok(
            "create_contact",
            json!({ "first_name": first, "last_name": "Labelled" }),
        )
        .await;
    created["contact"]["id"].as_str().unwrap().to_owned()
}

/// Names of the tags (`list` "tags") or groups the server's account gives
/// contact `id`.
async fn labels_of(cx: &Cx, id: &str, list: &str) -> BTreeSet<String> {
    let details = cx
        .ok("get_contact_details", json!({ "contact_id": id }))
        .await;
    ids(&details["contact"][list], "/name")
}

/// Names of the tags the simulator has contact `id` carry.
fn stored_tags(cx: &Cx, id: &str) -> BTreeSet<String> {
    let contact = cx
        .simulator
        .snapshot()
        .contacts
        .into_iter()
        .find(|c| c.id == id);
    contact
        .map(|c| c.tags_contacts.into_iter().map(|l| l.tag.name).collect())
        .unwrap_or_default()
}

/// Ids of the simulator's members of group `id`.
fn stored_members(cx: &Cx, id: &str) -> BTreeSet<String> {
    cx.simulator
        .snapshot()
        .contacts
        .into_iter()
        .filter(|c| c.groups_contacts.iter().any(|l| l.group.id == id))
        .map(|c| c.id)
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

pub async fn list_tags(cx: &Cx) {
    if refused_on_legacy(cx, "list_tags", json!({})).await {
        return;
    }
    let list = cx.ok("list_tags", json!({})).await;
    let data = cx.simulator.snapshot();
    assert_eq!(
        list["tags"].as_array().unwrap().len(),
        data.tags.len(),
        "{list:#}"
    );
    for tag in &data.tags {
        let carrying = data
            .contacts
            .iter()
            .filter(|c| c.tags_contacts.iter().any(|l| l.tag.id == tag.id))
            .count();
        let listed = list["tags"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == json!(tag.id))
            .unwrap_or_else(|| panic!("{} not listed: {list:#}", tag.name));
        assert_eq!(listed["name"], json!(tag.name));
        assert_eq!(listed["contacts"], json!(carrying), "{}", tag.name);
    }
    let refused = cx
        .failure("list_tags", json!({ "cursor": "search.1" }))
        .await;
    assert_error(&refused, "validation", -32004, Some("cursor"));
}

pub async fn create_tag(cx: &Cx) {
    if refused_on_legacy(cx, "create_tag", json!({ "name": "Rowing" })).await {
        return;
    }
    let created = cx.ok("create_tag", json!({ "name": " Rowing " })).await;
    let id = created["tags"][0]["id"].as_str().unwrap().to_owned();
    assert!(
        cx.simulator
            .snapshot()
            .tags
            .iter()
            .any(|t| t.id == id && t.name == "Rowing")
    );
    let again = cx.failure("create_tag", json!({ "name": "rowing" })).await;
    assert_error(&again, "validation", -32004, Some("name"));
    let list = cx.ok("list_tags", json!({})).await;
    let listed: Vec<&Value> = list["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["id"] == json!(id))
        .collect();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["contacts"], json!(0));
}

pub async fn rename_tag(cx: &Cx) {
    let arguments = json!({ "tag": "Chess", "name": "Go" });
    if refused_on_legacy(cx, "rename_tag", arguments.clone()).await {
        return;
    }
    let id = new_contact(cx, "Magnus").await;
    cx.ok(
        "tag_contacts",
        json!({ "contact_ids": [id], "tags": ["Chess"] }),
    )
    .await;
    let renamed = cx.ok("rename_tag", arguments).await;
    assert_eq!(renamed["tags"][0]["name"], json!("Go"));
    assert!(stored_tags(cx, &id).contains("Go"));
    assert!(labels_of(cx, &id, "tags").await.contains("Go"));
    let missing = cx
        .failure("rename_tag", json!({ "tag": "Chess", "name": "Shogi" }))
        .await;
    assert_error(&missing, "not_found", -32001, None);
}

pub async fn delete_tag(cx: &Cx) {
    if refused_on_legacy(cx, "delete_tag", json!({ "tag": "Kayaking" })).await {
        return;
    }
    let a = new_contact(cx, "Kay").await;
    let b = new_contact(cx, "Yak").await;
    cx.ok(
        "tag_contacts",
        json!({ "contact_ids": [a, b], "tags": ["Kayaking"] }),
    )
    .await;
    let asked = cx.failure("delete_tag", json!({ "tag": "kayaking" })).await;
    assert_error(&asked, "confirmation_required", -32004, Some("confirm"));
    assert!(
        asked["message"]
            .as_str()
            .unwrap()
            .contains("the 2 contacts"),
        "{asked:#}"
    );
    assert!(stored_tags(cx, &a).contains("Kayaking"), "deleted unasked");
    cx.ok("delete_tag", json!({ "tag": "Kayaking", "confirm": true }))
        .await;
    assert!(
        !cx.simulator
            .snapshot()
            .tags
            .iter()
            .any(|t| t.name == "Kayaking")
    );
    assert!(stored_tags(cx, &b).is_empty());
    assert!(labels_of(cx, &a, "tags").await.is_empty());
}

pub async fn tag_contacts(cx: &Cx) {
    let arguments = json!({ "contact_ids": ["c1"], "tags": ["Climbing"] });
    if refused_on_legacy(cx, "tag_contacts", arguments).await {
        return;
    }
    let existing = cx.simulator.snapshot().tags[0].name.clone();
    let a = new_contact(cx, "Alex").await;
    let b = new_contact(cx, "Honnold").await;
    let tagged = cx
        .ok(
            "tag_contacts",
            json!({ "contact_ids": [a, b], "tags": ["Zorbing", existing.to_uppercase()] }),
        )
        .await;
    assert_eq!(tagged["tags"].as_array().unwrap().len(), 2, "{tagged:#}");
    let both = set(&["Zorbing", &existing]);
    assert_eq!(stored_tags(cx, &a), both);
    assert_eq!(stored_tags(cx, &b), both);
    assert_eq!(labels_of(cx, &b, "tags").await, both);
    let found = cx
        .ok(
            "search_contacts_full_text",
            json!({ "query": "zorbing", "include_types": ["contacts"] }),
        )
        .await;
    let hits: Vec<&Value> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["matched_field"] == json!("tags"))
        .collect();
    let found_ids: BTreeSet<String> = hits
        .iter()
        .map(|h| h["contacts"][0]["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(found_ids.is_superset(&set(&[&a, &b])), "{found:#}");
    let before = dex_requests(&cx.simulator);
    let refused = cx
        .failure("tag_contacts", json!({ "contact_ids": [a], "tags": [] }))
        .await;
    assert_error(&refused, "validation", -32004, Some("tags"));
    assert_eq!(
        dex_requests(&cx.simulator),
        before,
        "a bad call reached Dex"
    );
}

pub async fn untag_contacts(cx: &Cx) {
    let arguments = json!({ "contact_ids": ["c1"], "tags": ["Surfing"] });
    if refused_on_legacy(cx, "untag_contacts", arguments).await {
        return;
    }
    let a = new_contact(cx, "Kelly").await;
    let b = new_contact(cx, "Slater").await;
    cx.ok(
        "tag_contacts",
        json!({ "contact_ids": [a, b], "tags": ["Surfing", "Diving"] }),
    )
    .await;
    cx.ok(
        "untag_contacts",
        json!({ "contact_ids": [a], "tags": ["surfing"] }),
    )
    .await;
    assert_eq!(stored_tags(cx, &a), set(&["Diving"]));
    assert_eq!(stored_tags(cx, &b), set(&["Diving", "Surfing"]));
    assert_eq!(labels_of(cx, &a, "tags").await, set(&["Diving"]));
    let missing = cx
        .failure(
            "untag_contacts",
            json!({ "contact_ids": [a], "tags": ["No such tag"] }),
        )
        .await;
    assert_error(&missing, "not_found", -32001, None);
}

pub async fn list_groups(cx: &Cx) {
    if refused_on_legacy(cx, "list_groups", json!({})).await {
        return;
    }
    let list = cx.ok("list_groups", json!({})).await;
    let data = cx.simulator.snapshot();
    assert_eq!(list["groups"].as_array().unwrap().len(), data.groups.len());
    for group in &data.groups {
        let listed = list["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["group"]["id"] == json!(group.id))
            .unwrap_or_else(|| panic!("{} not listed: {list:#}", group.name));
        assert_eq!(listed["group"]["name"], json!(group.name));
        assert_eq!(listed["group"]["emoji"], json!(group.emoji));
        assert_eq!(
            listed["members"],
            json!(stored_members(cx, &group.id).len()),
            "{}",
            group.name
        );
    }
}

pub async fn get_group(cx: &Cx) {
    let data = cx.simulator.snapshot();
    let group = data
        .groups
        .iter()
        .max_by_key(|g| stored_members(cx, &g.id).len())
        .expect("the dataset has groups")
        .clone();
    let arguments = json!({ "group": group.name.to_lowercase() });
    if refused_on_legacy(cx, "get_group", arguments.clone()).await {
        return;
    }
    let read = cx.ok("get_group", arguments).await;
    assert_eq!(read["group"]["id"], json!(group.id));
    assert_eq!(ids(&read["members"], "/id"), stored_members(cx, &group.id));
    assert!(read["next_cursor"].is_null(), "{read:#}");
    let missing = cx
        .failure("get_group", json!({ "group": "No such group" }))
        .await;
    assert_error(&missing, "not_found", -32001, None);
}

/// Creates group `name` through `create_group`; answers its id.
async fn new_group(cx: &Cx, name: &str) -> String {
    let created = cx.ok("create_group", json!({ "name": name })).await;
    created["group"]["id"].as_str().unwrap().to_owned()
}

pub async fn create_group(cx: &Cx) {
    let arguments = json!({ "name": "Choir", "emoji": "🎶", "description": "Tuesdays" });
    if refused_on_legacy(cx, "create_group", arguments.clone()).await {
        return;
    }
    let created = cx.ok("create_group", arguments).await;
    assert_eq!(created["group"]["emoji"], json!("🎶"));
    let id = created["group"]["id"].as_str().unwrap();
    let stored = cx
        .simulator
        .snapshot()
        .groups
        .into_iter()
        .find(|g| g.id == id)
        .unwrap();
    assert_eq!(
        (stored.name.as_str(), stored.description.as_deref()),
        ("Choir", Some("Tuesdays"))
    );
    let again = cx.failure("create_group", json!({ "name": "CHOIR" })).await;
    assert_error(&again, "validation", -32004, Some("name"));
}

pub async fn update_group(cx: &Cx) {
    let arguments = json!({ "group": "Orchestra", "emoji": "" });
    if refused_on_legacy(cx, "update_group", arguments).await {
        return;
    }
    let id = new_group(cx, "Orchestra").await;
    let member = new_contact(cx, "Yo-Yo").await;
    cx.ok(
        "add_to_group",
        json!({ "group": id, "contact_ids": [member] }),
    )
    .await;
    let updated = cx
        .ok(
            "update_group",
            json!({ "group": "orchestra", "name": "Symphony", "description": "Strings" }),
        )
        .await;
    assert_eq!(updated["group"]["name"], json!("Symphony"));
    let stored = cx
        .simulator
        .snapshot()
        .groups
        .into_iter()
        .find(|g| g.id == id)
        .unwrap();
    assert_eq!(stored.description.as_deref(), Some("Strings"));
    assert_eq!(labels_of(cx, &member, "groups").await, set(&["Symphony"]));
    let nothing = cx.failure("update_group", json!({ "group": id })).await;
    assert_error(&nothing, "validation", -32004, None);
}

pub async fn delete_group(cx: &Cx) {
    if refused_on_legacy(cx, "delete_group", json!({ "group": "Quartet" })).await {
        return;
    }
    let id = new_group(cx, "Quartet").await;
    let member = new_contact(cx, "Viola").await;
    cx.ok(
        "add_to_group",
        json!({ "group": "Quartet", "contact_ids": [member] }),
    )
    .await;
    let asked = cx
        .failure("delete_group", json!({ "group": "Quartet" }))
        .await;
    assert_error(&asked, "confirmation_required", -32004, Some("confirm"));
    assert!(
        asked["message"].as_str().unwrap().contains("of 1 members"),
        "{asked:#}"
    );
    cx.ok("delete_group", json!({ "group": id, "confirm": true }))
        .await;
    assert!(!cx.simulator.snapshot().groups.iter().any(|g| g.id == id));
    assert!(labels_of(cx, &member, "groups").await.is_empty());
}

pub async fn add_to_group(cx: &Cx) {
    let arguments = json!({ "group": "Trio", "contact_ids": ["c1"] });
    if refused_on_legacy(cx, "add_to_group", arguments).await {
        return;
    }
    let id = new_group(cx, "Trio").await;
    let a = new_contact(cx, "Piano").await;
    let b = new_contact(cx, "Cello").await;
    cx.ok(
        "add_to_group",
        json!({ "group": "trio", "contact_ids": [a, b] }),
    )
    .await;
    assert_eq!(stored_members(cx, &id), set(&[&a, &b]));
    let read = cx.ok("get_group", json!({ "group": id })).await;
    assert_eq!(ids(&read["members"], "/id"), set(&[&a, &b]));
    let missing = cx
        .failure(
            "add_to_group",
            json!({ "group": id, "contact_ids": ["no-such-contact"] }),
        )
        .await;
    assert_error(&missing, "not_found", -32001, None);
}

pub async fn remove_from_group(cx: &Cx) {
    let arguments = json!({ "group": "Duo", "contact_ids": ["c1"] });
    if refused_on_legacy(cx, "remove_from_group", arguments).await {
        return;
    }
    let id = new_group(cx, "Duo").await;
    let a = new_contact(cx, "Left").await;
    let b = new_contact(cx, "Right").await;
    cx.ok(
        "add_to_group",
        json!({ "group": id, "contact_ids": [a, b] }),
    )
    .await;
    cx.ok(
        "remove_from_group",
        json!({ "group": "Duo", "contact_ids": [a] }),
    )
    .await;
    assert_eq!(stored_members(cx, &id), set(&[&b]));
    let read = cx.ok("get_group", json!({ "group": "Duo" })).await;
    assert_eq!(ids(&read["members"], "/id"), set(&[&b]));
    assert!(labels_of(cx, &a, "groups").await.is_empty());
}
