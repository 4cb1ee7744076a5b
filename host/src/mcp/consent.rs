//! Consent by elicitation: a component's refused destructive call becomes
//! a yes-or-no question the client puts to the user, and the call is made
//! again with consent only on their yes.
//!
//! The component says when it wants consent: its failure carries
//! `confirmation: {question, parameter}` (`tool-error` in the component's
//! WIT), `question` worded for the user and `parameter` the boolean
//! argument that gives consent. The host knows nothing else about it and
//! asks only when `parameter` is a boolean of the tool's input schema, the
//! call did not already set it, and the client declared form elicitation.
//! How it asks depends on the revision the request speaks:
//!
//! - up to 2025-11-25 (a session): `elicitation/create` sent to the client
//!   while the call waits ([`ask`]);
//! - 2026-07-28 (no session, no server-to-client requests): the call
//!   answers `input_required` with the question ([`input_required`]), and
//!   the client retries it with the user's answer in `inputResponses` and
//!   our `requestState` echoed ([`answer_in_retry`]).
//!
//! Either way the refused call changed nothing, and consent leads to a
//! fresh call with `parameter: true`, in which the component checks
//! again. A client without elicitation gets the component's refusal as
//! it is, to ask through the assistant.

use rmcp::model::{
    CallToolRequestParams, CallToolResult, ClientCapabilities, ContentBlock, ElicitRequest,
    ElicitRequestParams, ElicitResult, ElicitationAction, ElicitationSchema, InputRequest,
    InputRequests, InputRequiredResult, JsonObject,
};
use rmcp::service::{RequestContext, ServiceError};
use rmcp::{ErrorData as McpError, RoleServer};
use serde_json::{Value, json};

/// The key of the question among an `input_required` result's requests.
const INPUT_KEY: &str = "consent";

/// Marks a `requestState` as ours, with its layout's version.
const STATE_VERSION: u64 = 1;

/// A component's request for the user's consent to a call it refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRequest {
    /// What to ask the user.
    question: String,
    /// The boolean argument that gives consent.
    parameter: String,
}

/// What the user answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Go ahead.
    Yes,
    /// Do not; the words say how ("declined", ...), for the answer and the log.
    No(&'static str),
}

impl ConsentRequest {
    /// The consent `result` asks for, if it is a refusal carrying a
    /// `confirmation` whose parameter is a boolean of `input_schema` that
    /// `arguments` do not already set to true.
    pub fn of(
        result: &CallToolResult,
        input_schema: &JsonObject,
        arguments: &JsonObject,
    ) -> Option<Self> {
        if result.is_error != Some(true) {
            return None;
        }
        let confirmation = result.structured_content.as_ref()?.get("confirmation")?;
        let question = confirmation.get("question")?.as_str()?.trim();
        let parameter = confirmation.get("parameter")?.as_str()?;
        let declared = input_schema
            .get("properties")
            .and_then(|properties| properties.get(parameter))
            .and_then(|property| property.get("type"));
        if question.is_empty() || declared != Some(&json!("boolean")) {
            return None;
        }
        if arguments.get(parameter) == Some(&Value::Bool(true)) {
            // The component refused despite consent: asking again would loop.
            return None;
        }
        Some(Self {
            question: question.to_owned(),
            parameter: parameter.to_owned(),
        })
    }

    /// `arguments` with consent given.
    pub fn consented(&self, arguments: &JsonObject) -> JsonObject {
        let mut arguments = arguments.clone();
        arguments.insert(self.parameter.clone(), Value::Bool(true));
        arguments
    }

    /// The form the client shows: the question and one yes-or-no field,
    /// unticked, named after the parameter.
    fn form(&self) -> ElicitRequestParams {
        let schema = ElicitationSchema::builder()
            .required_bool_property(self.parameter.clone(), |field| {
                field
                    .title("Go ahead")
                    .description("Yes to go ahead; anything else changes nothing.")
                    .with_default(false)
            })
            .build()
            .expect("a form of one boolean field is a valid elicitation schema");
        ElicitRequestParams::FormElicitationParams {
            meta: None,
            message: self.question.clone(),
            requested_schema: schema,
        }
    }

    /// What the user's `result` means: yes only when they accepted with the
    /// field set to true.
    fn answer(&self, result: &ElicitResult) -> Answer {
        match result.action {
            ElicitationAction::Accept => {
                let ticked = result
                    .content
                    .as_ref()
                    .and_then(|content| content.get(&self.parameter))
                    == Some(&Value::Bool(true));
                if ticked {
                    Answer::Yes
                } else {
                    Answer::No("answered no")
                }
            }
            ElicitationAction::Decline => Answer::No("declined"),
            ElicitationAction::Cancel => Answer::No("dismissed the question"),
            // An action of a later revision: anything but a yes is a no.
            _ => Answer::No("did not accept"),
        }
    }

    /// The answer to a call the user said no to: the component's refusal,
    /// without its question, saying that they were asked and said no.
    pub fn declined(
        &self,
        refusal: &CallToolResult,
        tool: &str,
        how: &'static str,
    ) -> CallToolResult {
        let message = format!(
            "Nothing was changed: the user was asked in their client whether to go ahead and {how}. Do not call {tool} again with {}: true unless they ask for it.",
            self.parameter
        );
        let mut value = refusal
            .structured_content
            .clone()
            .filter(Value::is_object)
            .unwrap_or_else(|| json!({}));
        value["message"] = Value::String(message.clone());
        value["user_answer"] = Value::String(how.to_owned());
        if let Some(object) = value.as_object_mut() {
            object.remove("confirmation");
        }
        let mut result = CallToolResult::structured_error(value);
        result.content = vec![ContentBlock::text(message)];
        result
    }

    /// The 2026-07-28 answer asking the client to put the question to the
    /// user and call again, with `requestState` tying the answer to this
    /// tool and these arguments.
    pub fn input_required(&self, tool: &str, arguments: &JsonObject) -> InputRequiredResult {
        let mut requests = InputRequests::new();
        requests.insert(
            INPUT_KEY.to_owned(),
            InputRequest::Elicitation(ElicitRequest::new(self.form())),
        );
        InputRequiredResult::new(Some(requests), Some(request_state(tool, arguments)))
    }

    /// The user's answer carried by a 2026-07-28 retry of this call, if it
    /// carries one for this tool and these arguments. `requestState` only
    /// ties the answer to the call: a client could as well have passed the
    /// parameter itself, so it guards against mix-ups, not forgery.
    pub fn answer_in_retry(
        &self,
        request: &CallToolRequestParams,
        arguments: &JsonObject,
    ) -> Option<Answer> {
        if request.request_state.as_deref()? != request_state(&request.name, arguments) {
            return None;
        }
        let response = request.input_responses.as_ref()?.get(INPUT_KEY)?;
        let result: ElicitResult = serde_json::from_value(response.clone()).ok()?;
        Some(self.answer(&result))
    }
}

/// The `requestState` of a question about `tool` called with `arguments`:
/// what a retry must repeat for its answer to count. Plain JSON, the same
/// in every process, so a retry may reach another replica.
fn request_state(tool: &str, arguments: &JsonObject) -> String {
    json!({ "consent": STATE_VERSION, "tool": tool, "arguments": arguments }).to_string()
}

/// Whether a client with `capabilities` can answer a form.
pub fn can_answer_forms(capabilities: Option<&ClientCapabilities>) -> bool {
    capabilities
        .and_then(|capabilities| capabilities.elicitation.as_ref())
        // A capability naming no mode means form (2025-06-18 clients).
        .is_some_and(|elicitation| elicitation.form.is_some() || elicitation.url.is_none())
}

/// Asks the user of a 2025-era session through `elicitation/create`, until
/// they answer or the client cancels the call (`Err` of `Ok`). `Err` of
/// `Err` is a client that could not be asked; the caller falls back to the
/// refusal.
pub async fn ask(
    request: &ConsentRequest,
    context: &RequestContext<RoleServer>,
) -> Result<Result<Answer, ServiceError>, McpError> {
    tokio::select! {
        biased;
        () = context.ct.cancelled() => Err(McpError::new(
            rmcp::model::ErrorCode(super::REQUEST_CANCELLED),
            "the call was cancelled by the client while the user was being asked",
            None,
        )),
        asked = context.peer.create_elicitation(request.form()) => {
            Ok(asked.map(|result| request.answer(&result)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> JsonObject {
        json!({
            "type": "object",
            "properties": {"id": {"type": "string"}, "sure": {"type": "boolean"}},
            "required": ["id"],
        })
        .as_object()
        .unwrap()
        .clone()
    }

    fn args(value: Value) -> JsonObject {
        value.as_object().unwrap().clone()
    }

    fn refusal(confirmation: Value) -> CallToolResult {
        CallToolResult::structured_error(json!({
            "kind": "needs_consent",
            "message": "for the assistant",
            "confirmation": confirmation,
        }))
    }

    fn request() -> ConsentRequest {
        ConsentRequest::of(
            &refusal(json!({"question": "Drop table x? This cannot be undone. Go ahead?", "parameter": "sure"})),
            &schema(),
            &args(json!({"id": "x"})),
        )
        .expect("a consent request")
    }

    #[test]
    fn a_refusal_with_a_question_on_a_boolean_parameter_asks() {
        let request = request();
        assert_eq!(request.parameter, "sure");
        assert_eq!(
            request.consented(&args(json!({"id": "x"}))),
            args(json!({"id": "x", "sure": true}))
        );
    }

    #[test]
    fn anything_else_is_left_as_the_component_answered_it() {
        let asked = json!({"question": "Go ahead?", "parameter": "sure"});
        let id = args(json!({"id": "x"}));
        // Successes, refusals without a question, a parameter the tool does
        // not take or that is not a boolean, an empty question, and a call
        // that already consented.
        let success = CallToolResult::structured(json!({"confirmation": asked}));
        assert_eq!(ConsentRequest::of(&success, &schema(), &id), None);
        let plain = CallToolResult::structured_error(json!({"message": "no"}));
        assert_eq!(ConsentRequest::of(&plain, &schema(), &id), None);
        for confirmation in [
            json!({"question": "Go ahead?", "parameter": "force"}),
            json!({"question": "Go ahead?", "parameter": "id"}),
            json!({"question": " ", "parameter": "sure"}),
            json!({"question": "Go ahead?"}),
            json!("Go ahead?"),
        ] {
            assert_eq!(
                ConsentRequest::of(&refusal(confirmation.clone()), &schema(), &id),
                None,
                "{confirmation}"
            );
        }
        let consented = args(json!({"id": "x", "sure": true}));
        assert_eq!(
            ConsentRequest::of(&refusal(asked), &schema(), &consented),
            None
        );
    }

    #[test]
    fn only_an_accepted_ticked_form_is_a_yes() {
        let request = request();
        let yes = ElicitResult::new(ElicitationAction::Accept).with_content(json!({"sure": true}));
        assert_eq!(request.answer(&yes), Answer::Yes);
        for no in [
            ElicitResult::new(ElicitationAction::Accept).with_content(json!({"sure": false})),
            ElicitResult::new(ElicitationAction::Accept).with_content(json!({"sure": "true"})),
            ElicitResult::new(ElicitationAction::Accept),
            ElicitResult::new(ElicitationAction::Decline),
            ElicitResult::new(ElicitationAction::Cancel),
        ] {
            assert!(matches!(request.answer(&no), Answer::No(_)), "{no:?}");
        }
    }

    #[test]
    fn the_form_is_the_question_and_one_unticked_boolean() {
        let form = serde_json::to_value(request().form()).unwrap();
        assert_eq!(form["mode"], "form");
        assert_eq!(
            form["message"],
            "Drop table x? This cannot be undone. Go ahead?"
        );
        let schema = &form["requestedSchema"];
        assert_eq!(schema["required"], json!(["sure"]));
        assert_eq!(schema["properties"]["sure"]["type"], "boolean");
        assert_eq!(schema["properties"]["sure"]["default"], false);
    }

    #[test]
    fn a_retry_counts_only_with_the_state_of_the_same_call() {
        let request = request();
        let id = args(json!({"id": "x"}));
        let asked = request.input_required("drop", &id);
        let state = asked.request_state.clone().unwrap();
        let wire = serde_json::to_value(&asked).unwrap();
        assert_eq!(wire["resultType"], "input_required");
        assert_eq!(
            wire["inputRequests"][INPUT_KEY]["method"],
            "elicitation/create"
        );

        let answered = |state: &str, answer: Value| {
            let mut responses = rmcp::model::InputResponses::new();
            responses.insert(INPUT_KEY.to_owned(), answer);
            CallToolRequestParams::new("drop")
                .with_arguments(id.clone())
                .with_input_responses(responses)
                .with_request_state(state)
        };
        let yes = json!({"action": "accept", "content": {"sure": true}});
        assert_eq!(
            request.answer_in_retry(&answered(&state, yes.clone()), &id),
            Some(Answer::Yes)
        );
        assert_eq!(
            request.answer_in_retry(&answered(&state, json!({"action": "decline"})), &id),
            Some(Answer::No("declined"))
        );
        // Another record's arguments, another tool's state, no state, no answer.
        let other = args(json!({"id": "y"}));
        assert_eq!(
            request.answer_in_retry(&answered(&state, yes.clone()), &other),
            None
        );
        let foreign = request_state("truncate", &id);
        assert_eq!(
            request.answer_in_retry(&answered(&foreign, yes.clone()), &id),
            None
        );
        let bare = CallToolRequestParams::new("drop").with_arguments(id.clone());
        assert_eq!(request.answer_in_retry(&bare, &id), None);
    }

    #[test]
    fn a_no_says_nothing_changed_and_asks_no_more() {
        let request = request();
        let answer = request.declined(
            &refusal(json!({"question": "?", "parameter": "sure"})),
            "drop",
            "declined",
        );
        assert_eq!(answer.is_error, Some(true));
        let value = answer.structured_content.unwrap();
        assert_eq!(value["kind"], "needs_consent");
        assert_eq!(value["user_answer"], "declined");
        assert!(value.get("confirmation").is_none(), "{value}");
        let message = value["message"].as_str().unwrap();
        assert!(message.starts_with("Nothing was changed"), "{message}");
        assert!(
            message.contains("Do not call drop again with sure: true"),
            "{message}"
        );
    }

    #[test]
    fn forms_are_answered_by_clients_declaring_them() {
        let of = |value: Value| serde_json::from_value::<ClientCapabilities>(value).unwrap();
        assert!(!can_answer_forms(None));
        assert!(!can_answer_forms(Some(&of(json!({})))));
        assert!(can_answer_forms(Some(&of(json!({"elicitation": {}})))));
        assert!(can_answer_forms(Some(&of(
            json!({"elicitation": {"form": {}}})
        ))));
        assert!(!can_answer_forms(Some(&of(
            json!({"elicitation": {"url": {}}})
        ))));
    }
}
