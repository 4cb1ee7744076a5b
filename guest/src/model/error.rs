//! The one error every tool returns, mirroring `tool-error` in `wit/types.wit`.

/// What kind of failure a tool call ran into; see `error-kind` in the WIT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The id or record does not exist in Dex.
    NotFound,
    /// Dex refused the API key.
    Unauthorized,
    /// The key is valid but the plan has no API access.
    Forbidden,
    /// Dex asked the caller to slow down.
    RateLimited,
    /// An argument is missing or malformed.
    Validation,
    /// Dex or the network failed.
    Upstream,
    /// A destructive tool was called without `confirm: true`.
    ConfirmationRequired,
}

impl ErrorKind {
    /// The numeric code the first Dex MCP server used for this kind, kept so
    /// that clients written against it still tell errors apart.
    pub fn code(self) -> i32 {
        match self {
            ErrorKind::NotFound => -32001,
            ErrorKind::Unauthorized | ErrorKind::Forbidden => -32002,
            ErrorKind::RateLimited => -32003,
            ErrorKind::Validation | ErrorKind::ConfirmationRequired => -32004,
            ErrorKind::Upstream => -32000,
        }
    }
}

/// A failed tool call, with what a person needs to act on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ToolError {
    /// The kind of failure.
    pub kind: ErrorKind,
    /// What went wrong and what to do about it.
    pub message: String,
    /// The argument at fault, for validation errors.
    pub field: Option<String>,
    /// Seconds to wait, for rate limiting.
    pub retry_after_seconds: Option<u32>,
    /// What to ask the user, for a refused destructive call: a host that
    /// can ask them itself does, and calls again on yes.
    pub confirmation: Option<Confirmation>,
}

/// A destructive tool's yes-or-no question to the user; see `confirmation`
/// in the WIT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    /// The question, written for the user rather than the assistant.
    pub question: String,
    /// The boolean parameter that gives consent when set to true.
    pub parameter: String,
}

impl ToolError {
    /// An error of `kind` with `message` and nothing else.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            field: None,
            retry_after_seconds: None,
            confirmation: None,
        }
    }

    /// The argument `field` is unusable, for the reason `message`.
    ///
    /// `field` may be given by its WIT name (`contact-ids`); it is reported
    /// as the client sees it in the tool's JSON schema (`contact_ids`).
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.replace('-', "_")),
            ..Self::new(ErrorKind::Validation, message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_first_dex_mcp_server() {
        assert_eq!(ErrorKind::NotFound.code(), -32001);
        assert_eq!(ErrorKind::Unauthorized.code(), -32002);
        assert_eq!(ErrorKind::RateLimited.code(), -32003);
        assert_eq!(ErrorKind::Validation.code(), -32004);
    }
}
