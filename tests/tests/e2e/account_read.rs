//! Reading an account larger than one page, on both API generations and
//! in both v1 answer shapes: every record arrives once and in its place, in
//! the number of requests the paging plan promises (v1 asks for 1,000 a
//! page and follows whatever page size comes back: 500 in the reference
//! shape, 1,000 in the older one; legacy's offset pages asked for together,
//! which the component's transport sends concurrently).

use dex_mcp_tests::{Client, Era, call_ok, component, start_server};
use serde_json::json;

const KEY: &str = "dex_account_read_test_key";

/// 2,500 contacts: three to five pages of contacts, a dozen or more of
/// notes.
async fn simulator(shape: dex_sim::AnswerShape) -> dex_sim::RunningSim {
    let config = dex_sim::SimConfig {
        shape,
        api_key: KEY.into(),
        contacts: 2_500,
        // Every answer waits, so requests sent together are seen together
        // (`max_in_flight`) whatever the machine's speed.
        faults: vec![dex_sim::FaultRule {
            endpoint: "all".into(),
            latency_ms: 50,
            ..Default::default()
        }],
        ..Default::default()
    };
    dex_sim::RunningSim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator starts")
}

async fn server(generation: &str, base_url: &str) -> Client {
    let args = vec![
        "--component".to_owned(),
        component("dex_guest").display().to_string(),
    ];
    let env = [
        ("DEX_API_KEY", KEY),
        ("DEX_API_GENERATION", generation),
        ("DEX_API_BASE_URL", base_url),
    ];
    start_server(&args, &env, Era::Legacy, None)
        .await
        .expect("dex-mcp starts")
}

/// Searches for a contact on the third page of contacts by its full name
/// and checks the search saw the whole account.
async fn search_page_three(client: &Client, simulator: &dex_sim::RunningSim) {
    let someone = simulator.snapshot().contacts[2_200].clone();
    let name = format!(
        "{} {}",
        someone.first_name.clone().unwrap_or_default(),
        someone.last_name.clone().unwrap_or_default()
    );
    let found = call_ok(
        client,
        "search_contacts_full_text",
        json!({ "query": name }),
    )
    .await;
    assert_eq!(found["incomplete"], json!([]), "{found:#}");
    assert!(
        found.to_string().contains(&someone.id),
        "contact 2,200 of 2,500 is found: {found:#}"
    );
}

#[tokio::test]
async fn v1_reads_each_list_in_the_pages_dex_answers_whatever_it_asked() {
    use dex_sim::AnswerShape;
    for (shape, page_size, contact_pages) in [
        (AnswerShape::Reference, 500, 5),
        (AnswerShape::Older, 1000, 3),
    ] {
        let simulator = simulator(shape).await;
        let client = server("v1", &simulator.v1_base_url()).await;
        search_page_three(&client, &simulator).await;
        client.cancel().await.ok();

        let data = simulator.snapshot();
        let pages = |records: usize| records.div_ceil(page_size) as u64;
        let counters = simulator.counters();
        assert_eq!(
            counters.requests("GET /v1/contacts"),
            contact_pages,
            "{shape}: {counters:?}"
        );
        assert_eq!(
            counters.requests("GET /v1/contacts/count"),
            1,
            "{shape}: {counters:?}"
        );
        assert_eq!(counters.requests("GET /v1/users/me"), 1, "{counters:?}");
        assert_eq!(
            counters.requests("GET /v1/contacts/{id}"),
            0,
            "{shape}: the links came with the pages: {counters:?}"
        );
        assert_eq!(
            counters.max_in_flight, 3,
            "{shape}: the three lists are read at once, a page each: {counters:?}"
        );
        assert_eq!(
            counters.requests("GET /v1/timeline"),
            pages(data.notes.len()),
            "{shape}: {counters:?}"
        );
        assert_eq!(
            counters.requests("GET /v1/reminders"),
            pages(data.reminders.len()),
            "{shape}: {counters:?}"
        );
    }
}

#[tokio::test]
async fn legacy_asks_for_the_pages_after_the_first_together() {
    let simulator = simulator(dex_sim::AnswerShape::default()).await;
    let client = server("legacy", &simulator.legacy_base_url()).await;
    search_page_three(&client, &simulator).await;
    client.cancel().await.ok();

    let data = simulator.snapshot();
    let pages = |records: usize| records.div_ceil(1000) as u64;
    let counters = simulator.counters();
    assert_eq!(
        counters.requests("GET /api/rest/contacts"),
        1 + 8,
        "the first page, then a window of eight (the third is short): {counters:?}"
    );
    assert_eq!(
        counters.requests("GET /api/rest/timeline_items"),
        pages(data.notes.len()),
        "the total on the first page says how many more: {counters:?}"
    );
    assert_eq!(
        counters.requests("GET /api/rest/reminders"),
        pages(data.reminders.len()),
        "{counters:?}"
    );
    assert_eq!(
        counters.max_in_flight, 8,
        "the fanned-out pages go eight at a time, never more: {counters:?}"
    );
}

/// A simulator whose lists never carry links, with `contacts` contacts.
async fn unlinked(contacts: usize) -> dex_sim::RunningSim {
    let config = dex_sim::SimConfig {
        api_key: KEY.into(),
        contacts,
        list_links: dex_sim::ListLinks::Never,
        ..Default::default()
    };
    dex_sim::RunningSim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator starts")
}

/// The contact with the most notes, and its notes' ids.
fn busiest(simulator: &dex_sim::RunningSim) -> (dex_sim::model::Contact, Vec<String>) {
    let data = simulator.snapshot();
    let notes_of = |id: &str| -> Vec<String> {
        data.notes
            .iter()
            .filter(|n| n.timeline_items_contacts.iter().any(|l| l.contact_id == id))
            .map(|n| n.id.clone())
            .collect()
    };
    let contact = data
        .contacts
        .iter()
        .max_by_key(|c| notes_of(&c.id).len())
        .unwrap()
        .clone();
    let notes = notes_of(&contact.id);
    (contact, notes)
}

#[tokio::test]
async fn links_left_out_of_a_small_accounts_lists_are_filled_contact_by_contact() {
    let simulator = unlinked(60).await;
    let (contact, notes) = busiest(&simulator);
    let with_email = simulator
        .snapshot()
        .contacts
        .into_iter()
        .find(|c| !c.contact_emails.is_empty())
        .unwrap();
    let client = server("v1", &simulator.v1_base_url()).await;
    let found = call_ok(
        &client,
        "get_contact_notes",
        json!({ "contact_id": contact.id, "limit": 50 }),
    )
    .await;
    assert_eq!(found["total"], json!(notes.len()), "{found:#}");
    assert!(found.get("incomplete_reason").is_none(), "{found:#}");
    // Warm now: a name query whose contact shows the filled emails.
    let by_name = call_ok(
        &client,
        "find_contact",
        json!({ "name": with_email.full_name, "email": with_email.contact_emails[0].email }),
    )
    .await;
    assert_eq!(by_name["matches"][0]["contact"]["id"], json!(with_email.id));
    assert!(by_name.get("incomplete_reason").is_none(), "{by_name:#}");
    client.cancel().await.ok();
    let counters = simulator.counters();
    assert_eq!(
        counters.requests("GET /v1/contacts/{id}"),
        60,
        "{counters:?}"
    );
    assert!(
        counters.requests("GET /v1/timeline") >= 61,
        "the notes list, then each contact's notes: {counters:?}"
    );
}

#[tokio::test]
async fn links_too_costly_to_fill_make_every_answer_that_needs_them_say_so() {
    let simulator = unlinked(320).await;
    let (contact, _) = busiest(&simulator);
    let client = server("v1", &simulator.v1_base_url()).await;
    let notes = call_ok(
        &client,
        "get_contact_notes",
        json!({ "contact_id": contact.id }),
    )
    .await;
    let reason = notes["incomplete_reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("without the contacts each note is about"),
        "{notes:#}"
    );
    let search = call_ok(
        &client,
        "search_contacts_full_text",
        json!({ "query": contact.last_name.clone().unwrap_or_default() }),
    )
    .await;
    assert!(search["incomplete_reason"].is_string(), "{search:#}");
    let found = call_ok(
        &client,
        "find_contact",
        json!({ "name": contact.full_name }),
    )
    .await;
    assert!(
        found["incomplete_reason"]
            .as_str()
            .is_some_and(|r| r.contains("emails and phone numbers")),
        "{found:#}"
    );
    let birthdays = call_ok(&client, "upcoming_birthdays", json!({ "days": 365 })).await;
    assert!(
        birthdays.get("incomplete_reason").is_none(),
        "birthdays need no links: {birthdays:#}"
    );
    client.cancel().await.ok();
    let counters = simulator.counters();
    assert_eq!(
        counters.requests("GET /v1/contacts/{id}"),
        0,
        "320 reads are over the budget, so none was started: {counters:?}"
    );
}
