//! `search_contacts_full_text` through the server: hits name their
//! contacts in summaries, long answers stop near 25,000 characters with a
//! cursor, and the cursors walk every hit once. (Another tool's cursor is
//! refused before any request to Dex: see `tool_matrix`.)

use std::collections::{BTreeMap, BTreeSet};

use dex_mcp_tests::{AgainstSimulator, Client, call_ok, serve_against_simulator};
use serde_json::{Value, json};

/// The budget the guest aims at, and the slack its size estimate may miss
/// it by (the summary, the frame, escapes it counts roughly).
const BUDGET_CHARS: usize = 25_000;
const SLACK_CHARS: usize = 1_500;

async fn setup() -> AgainstSimulator {
    let config = dex_sim::SimConfig {
        api_key: "dex_search_paging_test_key".into(),
        contacts: 200,
        ..Default::default()
    };
    serve_against_simulator(config, &[]).await
}

/// The word of five letters or more found in the most notes: a query with
/// hundreds of hits.
fn commonest_note_word(dataset: &dex_sim::Dataset) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for note in &dataset.notes {
        let words: BTreeSet<String> = note
            .note
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 5)
            .map(str::to_lowercase)
            .collect();
        for word in words {
            *counts.entry(word).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(w, _)| w)
        .expect("the simulator seeds notes")
}

/// Every page of a search, following `next_cursor` from the first.
async fn every_page(client: &Client, arguments: Value) -> Vec<Value> {
    let mut pages = vec![call_ok(client, "search_contacts_full_text", arguments.clone()).await];
    while let Some(cursor) = pages.last().unwrap()["next_cursor"].as_str() {
        assert!(pages.len() < 200, "the cursors never end");
        let mut next = arguments.clone();
        next["cursor"] = json!(cursor);
        pages.push(call_ok(client, "search_contacts_full_text", next).await);
    }
    pages
}

fn hit_ids(pages: &[Value]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|page| page["hits"].as_array().unwrap().iter())
        .map(|hit| hit["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn search_answers_stop_near_the_budget_and_their_cursors_walk_every_hit_once() {
    let AgainstSimulator { client, simulator } = setup().await;
    let word = commonest_note_word(&simulator.snapshot());
    let arguments = json!({ "query": word, "include_types": ["notes"], "max_results": 100 });

    let pages = every_page(&client, arguments.clone()).await;
    let first_hits = pages[0]["hits"].as_array().unwrap().len();
    assert!(
        first_hits < 100 && pages.len() > 1,
        "`{word}` should match more notes than 25,000 characters hold: {} hits, {} pages",
        first_hits,
        pages.len()
    );
    for page in &pages {
        let size = page.to_string().len();
        assert!(size <= BUDGET_CHARS + SLACK_CHARS, "{size} characters");
        assert!(page["hits"].as_array().unwrap().len() <= 100);
    }
    for page in &pages[..pages.len() - 1] {
        assert!(
            page["summary"]
                .as_str()
                .unwrap()
                .contains("cursor set to next_cursor"),
            "{page:#}"
        );
    }

    let walked = hit_ids(&pages);
    let unique: BTreeSet<&String> = walked.iter().collect();
    assert_eq!(unique.len(), walked.len(), "a hit came twice");
    // Small pages give the same hits in the same order.
    let mut small = arguments;
    small["max_results"] = json!(20);
    let small_pages = every_page(&client, small).await;
    assert!(
        small_pages
            .iter()
            .all(|p| p["hits"].as_array().unwrap().len() <= 20)
    );
    assert_eq!(hit_ids(&small_pages), walked);
    client.cancel().await.ok();
}

#[tokio::test]
async fn search_hits_name_contacts_in_summaries_only() {
    let AgainstSimulator { client, simulator } = setup().await;
    let dataset = simulator.snapshot();
    let contact = dataset
        .contacts
        .iter()
        .find(|c| {
            c.company.is_some()
                && c.job_title.is_some()
                && !c.contact_emails.is_empty()
                && !c.tags_contacts.is_empty()
        })
        .expect("a seeded contact with a company, a title, an email and a tag")
        .clone();
    let found = call_ok(
        &client,
        "search_contacts_full_text",
        json!({ "query": contact.full_name, "include_types": ["contacts"], "max_results": 20 }),
    )
    .await;
    client.cancel().await.ok();

    let hit = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == json!(contact.id))
        .unwrap_or_else(|| panic!("{} not found: {found:#}", contact.id));
    let summary = &hit["contacts"][0];
    assert_eq!(summary["id"], json!(contact.id));
    assert_eq!(summary["full_name"], json!(contact.full_name));
    assert_eq!(summary["company"], json!(contact.company));
    assert_eq!(summary["job_title"], json!(contact.job_title));
    let first_email = contact
        .contact_emails
        .iter()
        .min_by_key(|e| e.ranking)
        .map(|e| e.email.clone());
    assert_eq!(summary["email"], json!(first_email));
    let tags: Vec<&str> = contact
        .tags_contacts
        .iter()
        .map(|t| t.tag.name.as_str())
        .collect();
    assert_eq!(summary["tags"], json!(tags));
    let keys: BTreeSet<&str> = summary
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(
        keys.is_subset(&BTreeSet::from([
            "id",
            "full_name",
            "company",
            "job_title",
            "email",
            "tags"
        ])),
        "a summary carries more than it should: {keys:?}"
    );
}
