//! The rule of destructive tools: nothing is destroyed unless the caller
//! passed `confirm: true`, and a refusal says exactly what would be lost,
//! so that the assistant can ask the user a precise question.

use crate::model::{ErrorKind, ToolError};

/// `Ok` when `confirm` is `Some(true)`; otherwise a `confirmation-required`
/// error built from `what_is_lost()` (only computed then, as describing it
/// may need the account).
pub fn require_confirmation(
    confirm: Option<bool>,
    what_is_lost: impl FnOnce() -> Result<String, ToolError>,
) -> Result<(), ToolError> {
    if confirm == Some(true) {
        return Ok(());
    }
    let lost = what_is_lost()?;
    Err(ToolError {
        field: Some("confirm".into()),
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
        }
    }

    #[test]
    fn confirm_true_passes_without_describing_anything() {
        let described = require_confirmation(Some(true), || panic!("described for nothing"));
        assert!(described.is_ok());
    }
}
