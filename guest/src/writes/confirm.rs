//! The rule of destructive tools: nothing is destroyed unless the caller
//! passed `confirm: true`, and a refusal says exactly what would be lost,
//! so that the assistant can ask the user a precise question. The refusal
//! also carries that question worded for the user, so that a host whose
//! client can ask them directly (MCP elicitation) does, and calls again
//! with `confirm: true` only on their yes.

use crate::model::{Confirmation, ErrorKind, ToolError};

/// The parameter every destructive tool takes its consent in.
const CONFIRM: &str = "confirm";

/// `Ok` when `confirm` is `Some(true)`; otherwise a `confirmation-required`
/// error built from `what_is_lost()` (only computed then, as describing it
/// may need the account): a message for the assistant and a question for
/// the user, both naming the same loss.
pub fn require_confirmation(
    confirm: Option<bool>,
    what_is_lost: impl FnOnce() -> Result<String, ToolError>,
) -> Result<(), ToolError> {
    if confirm == Some(true) {
        return Ok(());
    }
    let lost = what_is_lost()?;
    Err(ToolError {
        field: Some(CONFIRM.into()),
        confirmation: Some(Confirmation {
            question: format!("{lost} This cannot be undone. Go ahead?"),
            parameter: CONFIRM.into(),
        }),
        ..ToolError::new(
            ErrorKind::ConfirmationRequired,
            format!(
                "Nothing was changed. {lost} This cannot be undone: ask the user, and call again with confirm: true only if they agree."
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_confirm_true_nothing_passes_and_the_loss_is_described() {
        for confirm in [None, Some(false)] {
            let err = require_confirmation(confirm, || Ok("It deletes Ada.".into())).unwrap_err();
            assert_eq!(err.kind, ErrorKind::ConfirmationRequired);
            assert_eq!(err.kind.code(), -32004);
            assert!(err.message.contains("It deletes Ada."), "{}", err.message);
            assert_eq!(err.field.as_deref(), Some("confirm"));
            let confirmation = err.confirmation.expect("a question for the user");
            assert_eq!(confirmation.parameter, "confirm");
            assert_eq!(
                confirmation.question,
                "It deletes Ada. This cannot be undone. Go ahead?"
            );
            assert!(
                !confirmation.question.contains("confirm: true"),
                "the user is not told about arguments: {}",
                confirmation.question
            );
        }
    }

    #[test]
    fn confirm_true_passes_without_describing_anything() {
        let described = require_confirmation(Some(true), || panic!("described for nothing"));
        assert!(described.is_ok());
    }
}
