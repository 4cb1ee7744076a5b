//! The cases of the related-contacts tools (listed in `writes.rs`), and
//! the related contacts `get_contact_details` shows (called from its case
//! in `reads.rs`). They need v1: on legacy each write must refuse with the
//! validation error before any request. On v1 each checks the simulator's
//! rows on both contacts, and reads the change back through
//! `get_contact_details`, which answers from the server's cached account:
//! a write that did not update it (on both sides) shows there.

use std::collections::BTreeSet;

use dex_mcp_tests::dex_requests;
use serde_json::{Value, json};

use super::{Cx, assert_error, ids, refused_on_legacy};

/// A new contact, through `create_contact`.
async fn new_contact(cx: &Cx, first: &str) -> String {
    let created = cx
        .ok(
            "create_contact",
            json!({ "first_name": first, "last_name": "Kin" }),
        )
        .await;
    created["contact"]["id"].as_str().unwrap().to_owned()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The contacts the simulator has related to `id`.
fn stored_related(cx: &Cx, id: &str) -> BTreeSet<String> {
    cx.simulator
        .snapshot()
        .contacts
        .into_iter()
        .find(|c| c.id == id)
        .map(|c| {
            c.related_contacts
                .iter()
                .map(|r| r.other(id).to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The ids `get_contact_details` gives as related to `id`.
async fn related_in_details(cx: &Cx, id: &str) -> BTreeSet<String> {
    let details = cx
        .ok("get_contact_details", json!({ "contact_id": id }))
        .await;
    ids(&details["related_contacts"], "/id")
}

pub async fn relate_contacts(cx: &Cx) {
    let arguments = json!({ "contact_id": "c1", "related_ids": ["c2"] });
    if refused_on_legacy(cx, "relate_contacts", arguments).await {
        return;
    }
    let a = new_contact(cx, "Ann").await;
    let b = new_contact(cx, "Ben").await;
    let c = new_contact(cx, "Cat").await;
    let related = cx
        .ok(
            "relate_contacts",
            json!({ "contact_id": a, "related_ids": [b, c] }),
        )
        .await;
    assert_eq!(
        ids(&related["changed"], "/id"),
        set(&[&b, &c]),
        "{related:#}"
    );
    assert_eq!(related["changed"][0]["full_name"], json!("Ben Kin"));
    assert!(related["unchanged"].as_array().unwrap().is_empty());
    assert_eq!(ids(&related["related_now"], "/id"), set(&[&b, &c]));
    assert_eq!(stored_related(cx, &a), set(&[&b, &c]));
    assert_eq!(stored_related(cx, &b), set(&[&a]), "not symmetric in Dex");
    assert_eq!(related_in_details(cx, &a).await, set(&[&b, &c]));
    assert_eq!(
        related_in_details(cx, &c).await,
        set(&[&a]),
        "the other side was not updated in the account"
    );

    // Again, from the other side: nothing changes, and the answer says so.
    let again = cx
        .ok(
            "relate_contacts",
            json!({ "contact_id": b, "related_ids": [a] }),
        )
        .await;
    assert!(again["changed"].as_array().unwrap().is_empty(), "{again:#}");
    assert_eq!(ids(&again["unchanged"], "/id"), set(&[&a]));
    assert!(
        again["summary"]
            .as_str()
            .unwrap()
            .contains("already related"),
        "{again:#}"
    );
    assert_eq!(stored_related(cx, &b), set(&[&a]));

    let before = dex_requests(&cx.simulator);
    let itself = cx
        .failure(
            "relate_contacts",
            json!({ "contact_id": a, "related_ids": [b, a] }),
        )
        .await;
    assert_error(&itself, "validation", -32004, Some("related_ids"));
    let unknown = cx
        .failure(
            "relate_contacts",
            json!({ "contact_id": a, "related_ids": ["no-such-contact"] }),
        )
        .await;
    assert_error(&unknown, "not_found", -32001, Some("related_ids"));
    assert_eq!(
        dex_requests(&cx.simulator),
        before,
        "a bad call reached Dex"
    );
}

pub async fn unrelate_contacts(cx: &Cx) {
    let arguments = json!({ "contact_id": "c1", "related_ids": ["c2"] });
    if refused_on_legacy(cx, "unrelate_contacts", arguments).await {
        return;
    }
    let a = new_contact(cx, "Dan").await;
    let b = new_contact(cx, "Eve").await;
    cx.ok(
        "relate_contacts",
        json!({ "contact_id": a, "related_ids": [b] }),
    )
    .await;
    // Unrelated from the side the relation was not written on.
    let unrelated = cx
        .ok(
            "unrelate_contacts",
            json!({ "contact_id": b, "related_ids": [a] }),
        )
        .await;
    assert_eq!(
        ids(&unrelated["changed"], "/id"),
        set(&[&a]),
        "{unrelated:#}"
    );
    assert!(unrelated["related_now"].as_array().unwrap().is_empty());
    assert!(stored_related(cx, &a).is_empty());
    assert!(stored_related(cx, &b).is_empty());
    assert!(related_in_details(cx, &a).await.is_empty());
    let again = cx
        .ok(
            "unrelate_contacts",
            json!({ "contact_id": a, "related_ids": [b] }),
        )
        .await;
    assert_eq!(ids(&again["unchanged"], "/id"), set(&[&b]), "{again:#}");
    assert!(
        again["summary"]
            .as_str()
            .unwrap()
            .contains("was not related"),
        "{again:#}"
    );
}

/// `get_contact_details` of a contact the simulator seeded with a
/// relation: the other contact, named, on v1 (read by id where the list
/// left relations out); nothing on legacy, which has none.
pub async fn seeded_relations_in_details(cx: &Cx) {
    let data = cx.simulator.snapshot();
    let (contact, other) = data
        .contacts
        .iter()
        .find_map(|c| {
            let row = c.related_contacts.first()?;
            Some((c.id.clone(), row.other(&c.id).to_owned()))
        })
        .expect("the simulator seeds related contacts");
    let details = cx
        .ok("get_contact_details", json!({ "contact_id": contact }))
        .await;
    if cx.legacy() {
        assert!(details.get("related_contacts").is_none(), "{details:#}");
        return;
    }
    let related: Vec<&Value> = details["related_contacts"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    let named = related
        .iter()
        .find(|r| r["id"] == json!(other))
        .unwrap_or_else(|| panic!("{other} not in {details:#}"));
    let name = data
        .contacts
        .iter()
        .find(|c| c.id == other)
        .unwrap()
        .full_name
        .clone();
    assert_eq!(named["full_name"], json!(name));
}
