//! Consent by elicitation, through the real server, component and
//! simulator: a destructive call without `confirm` from a client that
//! declared elicitation is put to the user through the client; yes deletes
//! the record with exactly one request to Dex, no deletes nothing, and a
//! client without elicitation gets the refusal to ask through the
//! assistant. Both revisions: 2025-11-25 (`elicitation/create` during the
//! call) and 2026-07-28 (`input_required`, retried with the answer; rmcp's
//! client does the retry).

use std::sync::{Arc, Mutex};

use dex_mcp_tests::{Era, Generation, call, serve_with_against_simulator};
use rmcp::model::{
    ClientCapabilities, ClientConfig, ElicitRequestParams, ElicitResult, ElicitationAction,
    Implementation,
};
use rmcp::service::RequestContext;
use rmcp::{ClientHandler, ErrorData as McpError, RoleClient};
use serde_json::{Value, json};

/// A client whose user answers every question the same way, and which
/// keeps the questions it was asked.
#[derive(Clone)]
struct User {
    answer: ElicitResult,
    asked: Arc<Mutex<Vec<Value>>>,
}

impl User {
    fn answering(answer: ElicitResult) -> Self {
        Self {
            answer,
            asked: Arc::default(),
        }
    }

    fn questions(&self) -> Vec<Value> {
        self.asked.lock().unwrap().clone()
    }
}

impl ClientHandler for User {
    fn get_info(&self) -> ClientConfig {
        let capabilities: ClientCapabilities =
            serde_json::from_value(json!({ "elicitation": { "form": {} } })).unwrap();
        ClientConfig::new(capabilities, Implementation::new("consent-test", "0.0.0"))
    }

    async fn create_elicitation(
        &self,
        request: ElicitRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> Result<ElicitResult, McpError> {
        self.asked
            .lock()
            .unwrap()
            .push(serde_json::to_value(&request).unwrap());
        Ok(self.answer.clone())
    }
}

/// DELETE requests the simulator served, on any v1 route.
fn deletes(simulator: &dex_sim::RunningSim) -> u64 {
    simulator
        .counters()
        .endpoints
        .iter()
        .filter(|(endpoint, _)| endpoint.starts_with("DELETE /v1/"))
        .map(|(_, counts)| counts.requests)
        .sum()
}

fn config() -> dex_sim::SimConfig {
    dex_sim::SimConfig {
        api_key: "dex_consent_test_key".into(),
        contacts: 40,
        ..Default::default()
    }
}

const ERAS: [Era; 2] = [Era::Legacy, Era::Modern];

#[tokio::test]
async fn a_yes_through_the_client_deletes_the_contact_with_one_request() {
    for era in ERAS {
        let user = User::answering(
            ElicitResult::new(ElicitationAction::Accept).with_content(json!({ "confirm": true })),
        );
        let (client, simulator) =
            serve_with_against_simulator(user.clone(), config(), Generation::V1, era, &[]).await;
        let contact = simulator.snapshot().contacts[4].clone();

        let result = call(
            &client,
            "delete_contact",
            json!({ "contact_id": contact.id }),
        )
        .await;
        client.cancel().await.ok();

        assert_ne!(result.is_error, Some(true), "{era:?}: {result:?}");
        let questions = user.questions();
        assert_eq!(questions.len(), 1, "{era:?}: {questions:#?}");
        let question = &questions[0];
        let message = question["message"].as_str().unwrap();
        assert!(
            message.contains(&contact.id) && message.ends_with("Go ahead?"),
            "{era:?}: the question names the contact: {message}"
        );
        assert_eq!(
            question["requestedSchema"]["properties"]["confirm"]["type"],
            "boolean"
        );
        assert!(
            !simulator
                .snapshot()
                .contacts
                .iter()
                .any(|c| c.id == contact.id),
            "{era:?}: the contact is still there"
        );
        assert_eq!(deletes(&simulator), 1, "{era:?}");
    }
}

#[tokio::test]
async fn a_no_through_the_client_deletes_nothing() {
    let answers = [
        ElicitResult::new(ElicitationAction::Decline),
        ElicitResult::new(ElicitationAction::Cancel),
        ElicitResult::new(ElicitationAction::Accept).with_content(json!({ "confirm": false })),
    ];
    for era in ERAS {
        for answer in answers.clone() {
            let user = User::answering(answer.clone());
            let (client, simulator) =
                serve_with_against_simulator(user.clone(), config(), Generation::V1, era, &[])
                    .await;
            let contact = simulator.snapshot().contacts[4].clone();

            let result = call(
                &client,
                "delete_contact",
                json!({ "contact_id": contact.id }),
            )
            .await;
            client.cancel().await.ok();

            let case = format!("{era:?} {:?}", answer.action);
            assert_eq!(result.is_error, Some(true), "{case}: {result:?}");
            let error = result.structured_content.unwrap();
            assert_eq!(error["kind"], "confirmation_required", "{case}: {error:#}");
            assert!(error["user_answer"].is_string(), "{case}: {error:#}");
            assert!(error.get("confirmation").is_none(), "{case}: {error:#}");
            let message = error["message"].as_str().unwrap();
            assert!(
                message.starts_with("Nothing was changed") && message.contains("unless they ask"),
                "{case}: {message}"
            );
            assert_eq!(user.questions().len(), 1, "{case}");
            assert!(
                simulator
                    .snapshot()
                    .contacts
                    .iter()
                    .any(|c| c.id == contact.id),
                "{case}: deleted after a no"
            );
            assert_eq!(deletes(&simulator), 0, "{case}");
        }
    }
}

#[tokio::test]
async fn a_client_without_elicitation_gets_the_refusal_to_ask_itself() {
    for era in ERAS {
        let (client, simulator) =
            serve_with_against_simulator((), config(), Generation::V1, era, &[]).await;
        let contact = simulator.snapshot().contacts[4].clone();

        let result = call(
            &client,
            "delete_contact",
            json!({ "contact_id": contact.id }),
        )
        .await;
        client.cancel().await.ok();

        assert_eq!(result.is_error, Some(true), "{era:?}: {result:?}");
        let error = result.structured_content.unwrap();
        assert_eq!(error["kind"], "confirmation_required", "{era:?}: {error:#}");
        assert_eq!(error["field"], "confirm");
        assert_eq!(error["confirmation"]["parameter"], "confirm");
        let question = error["confirmation"]["question"].as_str().unwrap();
        assert!(
            question.contains(&contact.id) && !question.contains("confirm: true"),
            "{era:?}: {question}"
        );
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("call again with confirm: true"),
            "{era:?}: {error:#}"
        );
        assert!(
            simulator
                .snapshot()
                .contacts
                .iter()
                .any(|c| c.id == contact.id)
        );
        assert_eq!(deletes(&simulator), 0, "{era:?}");
    }
}
