//! Writes through the whole path, in both v1 answer shapes: the
//! simulator's state changes, and the cached account shows the write to the
//! next read without reading the account again.

use dex_mcp_tests::{
    APIS, AgainstSimulator, account_reads, call, call_ok as ok, serve_against_simulator,
    serve_generation_against_simulator,
};
use dex_sim::AnswerShape;
use serde_json::json;

async fn setup(shape: AnswerShape) -> AgainstSimulator {
    let config = dex_sim::SimConfig {
        api_key: "dex_writes_test_key".into(),
        contacts: 60,
        shape,
        ..Default::default()
    };
    serve_against_simulator(config, &[]).await
}

/// The ids of the hits of a full-text search.
async fn search_ids(client: &dex_mcp_tests::Client, query: &str) -> Vec<String> {
    let found = ok(
        client,
        "search_contacts_full_text",
        json!({ "query": query }),
    )
    .await;
    found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_new_note_is_stored_once_and_found_by_the_next_search() {
    for shape in AnswerShape::ALL {
        let AgainstSimulator { client, simulator } = setup(shape).await;
        let contact = simulator.snapshot().contacts[3].clone();
        search_ids(&client, "warmup").await;
        let reads = account_reads(&simulator);

        let saved = ok(
            &client,
            "add_contact_note",
            json!({ "contact_ids": [contact.id], "text": "Talked about the zeppelin museum in Friedrichshafen" }),
        )
        .await;
        let note_id = saved["note"]["id"]
            .as_str()
            .expect("the saved note's id")
            .to_owned();
        let hits = search_ids(&client, "zeppelin").await;
        client.cancel().await.ok();

        let stored: Vec<_> = simulator
            .snapshot()
            .notes
            .into_iter()
            .filter(|n| n.note.contains("zeppelin"))
            .collect();
        assert_eq!(stored.len(), 1, "{stored:?}");
        assert_eq!(stored[0].id, note_id);
        assert_eq!(stored[0].timeline_items_contacts[0].contact_id, contact.id);
        assert!(hits.contains(&note_id), "{hits:?}");
        assert_eq!(
            account_reads(&simulator),
            reads,
            "the account was read again after the write"
        );
    }
}

#[tokio::test]
async fn a_created_contact_is_found_by_name_right_away() {
    for shape in AnswerShape::ALL {
        let AgainstSimulator { client, simulator } = setup(shape).await;
        ok(&client, "find_contact", json!({ "name": "warm up" })).await;
        let reads = account_reads(&simulator);

        let saved = ok(
            &client,
            "create_contact",
            json!({ "first_name": "Philippa", "last_name": "Quennell", "company": "Orrery Works" }),
        )
        .await;
        let id = saved["contact"]["id"].as_str().unwrap().to_owned();
        let found = ok(
            &client,
            "find_contact",
            json!({ "name": "Philipa Quenell" }),
        )
        .await;
        client.cancel().await.ok();

        assert!(
            simulator
                .snapshot()
                .contacts
                .iter()
                .any(|c| c.id == id && c.last_name.as_deref() == Some("Quennell"))
        );
        assert_eq!(found["matches"][0]["contact"]["id"], json!(id), "{found:#}");
        assert_eq!(account_reads(&simulator), reads);
    }
}

#[tokio::test]
async fn deleting_needs_confirmation_and_then_removes_the_contact_everywhere() {
    for shape in AnswerShape::ALL {
        let AgainstSimulator { client, simulator } = setup(shape).await;
        let contact = simulator.snapshot().contacts[5].clone();

        let refused = call(
            &client,
            "delete_contact",
            json!({ "contact_id": contact.id }),
        )
        .await;
        assert_eq!(refused.is_error, Some(true));
        let refusal = refused.structured_content.unwrap();
        assert_eq!(refusal["kind"], json!("confirmation_required"), "{refusal}");
        assert!(
            simulator
                .snapshot()
                .contacts
                .iter()
                .any(|c| c.id == contact.id),
            "deleted without confirmation"
        );

        ok(
            &client,
            "delete_contact",
            json!({ "contact_id": contact.id, "confirm": true }),
        )
        .await;
        let last_name = contact.last_name.clone().unwrap_or_default();
        let found = ok(&client, "find_contact", json!({ "name": format!("{} {last_name}", contact.first_name.clone().unwrap_or_default()) })).await;
        client.cancel().await.ok();

        assert!(
            !simulator
                .snapshot()
                .contacts
                .iter()
                .any(|c| c.id == contact.id)
        );
        assert!(
            found["matches"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["contact"]["id"] != json!(contact.id)),
            "{found:#}"
        );
    }
}

#[tokio::test]
async fn a_completed_reminder_is_complete_in_dex() {
    for shape in AnswerShape::ALL {
        let AgainstSimulator { client, simulator } = setup(shape).await;
        let reminder = simulator
            .snapshot()
            .reminders
            .into_iter()
            .find(|r| !r.is_complete && r.recurrence.is_none())
            .expect("an open one-off reminder in the seeded data");

        let saved = ok(
            &client,
            "complete_reminder",
            json!({ "reminder_id": reminder.id }),
        )
        .await;
        client.cancel().await.ok();

        let stored = simulator
            .snapshot()
            .reminders
            .into_iter()
            .find(|r| r.id == reminder.id)
            .unwrap();
        assert!(stored.is_complete, "{stored:?}");
        assert_eq!(saved["reminder"]["id"], json!(reminder.id), "{saved:#}");
    }
}

#[tokio::test]
async fn a_note_whose_answer_is_lost_is_not_sent_twice_on_either_generation() {
    for (generation, shape) in APIS {
        let endpoint = match generation {
            dex_mcp_tests::Generation::V1 => "POST /v1/timeline",
            dex_mcp_tests::Generation::Legacy => "POST /api/rest/timeline_items",
        };
        let config = dex_sim::SimConfig {
            api_key: "dex_writes_test_key".into(),
            contacts: 60,
            shape,
            ..Default::default()
        };
        let AgainstSimulator { client, simulator } =
            serve_generation_against_simulator(config, generation, &[]).await;
        let contact = simulator.snapshot().contacts[1].clone();
        // The note is saved, then the answer is garbled on its way back.
        simulator.set_faults(vec![dex_sim::FaultRule::new(endpoint).malformed(1.0)]);

        let result = call(
            &client,
            "add_contact_note",
            json!({ "contact_ids": [contact.id], "text": "Only once, please" }),
        )
        .await;
        client.cancel().await.ok();

        let copies: Vec<_> = simulator
            .snapshot()
            .notes
            .into_iter()
            .filter(|n| n.note == "Only once, please")
            .collect();
        assert_eq!(
            copies.len(),
            1,
            "{generation:?} {shape}: the POST was retried"
        );
        assert_eq!(simulator.counters().requests(endpoint), 1);
        match generation {
            // v1 looks for the note among the contact's and finds it.
            dex_mcp_tests::Generation::V1 => {
                assert_ne!(result.is_error, Some(true), "{shape}: {result:?}");
                let saved = result.structured_content.unwrap();
                assert_eq!(saved["creation"], json!("recovered"), "{saved:#}");
                assert_eq!(saved["note"]["id"], json!(copies[0].id), "{saved:#}");
            }
            // Legacy, deprecated, only warns.
            dex_mcp_tests::Generation::Legacy => {
                assert_eq!(result.is_error, Some(true), "{shape}: {result:?}");
                let error = result.structured_content.unwrap();
                assert_eq!(error["kind"], json!("upstream"), "{error:#}");
                assert!(
                    error["message"]
                        .as_str()
                        .unwrap()
                        .contains("may have saved"),
                    "the message warns the note may exist: {error:#}"
                );
            }
        }
    }
}

/// The heads of the requests a bare upstream received, answering each
/// `answer` and closing the connection at once, without reading a body:
/// what a server that does not wait for a DELETE's body does.
fn recording_upstream(answer: &'static str) -> (String, std::sync::mpsc::Receiver<String>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (heads, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            let _ = heads.send(String::from_utf8_lossy(&head).into_owned());
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (url, received)
}

/// A DELETE has no body, so it must go out without one: an empty body
/// sent chunked ends after the request's head, and a server that answers
/// a DELETE without reading its body and closes (as this one does, and
/// dex-sim did) resets the connection when the end arrives, losing an
/// answer for a delete that was done (hyper's IncompleteMessage, seen in
/// the consent tests under load).
#[tokio::test]
async fn a_delete_is_sent_without_a_body() {
    let (url, heads) = recording_upstream(r#"{"success":true,"message":"Note deleted"}"#);
    let args = vec![
        "--component".to_owned(),
        dex_mcp_tests::component("dex_guest").display().to_string(),
    ];
    let env = [
        ("DEX_API_KEY", "dex_bare_upstream_key"),
        ("DEX_API_BASE_URL", url.as_str()),
    ];
    let client = dex_mcp_tests::start_server(&args, &env, dex_mcp_tests::Era::Legacy, None)
        .await
        .expect("dex-mcp starts");
    let result = call(
        &client,
        "delete_note",
        json!({ "note_id": "n-bare-1", "confirm": true }),
    )
    .await;
    client.cancel().await.ok();
    let delete = heads
        .try_iter()
        .find(|head| head.starts_with("DELETE "))
        .expect("the DELETE reached the upstream");
    let head = delete.to_ascii_lowercase();
    assert!(
        !head.contains("transfer-encoding"),
        "a body-less DELETE went out chunked: {delete}"
    );
    assert!(
        !head.contains("content-length") || head.contains("content-length: 0"),
        "{delete}"
    );
    assert_ne!(result.is_error, Some(true), "{result:?}");
}
