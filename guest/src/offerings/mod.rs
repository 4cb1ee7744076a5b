//! What the component offers besides tools (`wit/prompts.wit`,
//! `wit/resources.wit`): prompts that start a conversation from the
//! account's real data, and each contact as a resource, with completion of
//! the contact they take.
//!
//! Plain Rust like the tools: [`prompts`] and [`resources`] render from an
//! account reader and are unit-tested natively; the WIT glue is at the end
//! of each, compiled for wasm32 only.

pub mod card;
pub mod pick;
pub mod prompts;
pub mod resources;

use crate::model::{ErrorKind, ToolError};

/// Why a prompt, resource or completion could not be given
/// (`request-error` in `wit/content.wit`); the host turns each case into
/// a JSON-RPC error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    /// No prompt, resource or template by that name or URI, or no contact
    /// by that id.
    NotFound(String),
    /// An argument is missing or not valid.
    InvalidArgument(String),
    /// The account could not be read.
    Unavailable(String),
}

impl RequestError {
    /// The message, whatever the case.
    pub fn message(&self) -> &str {
        match self {
            Self::NotFound(m) | Self::InvalidArgument(m) | Self::Unavailable(m) => m,
        }
    }
}

impl From<ToolError> for RequestError {
    /// A tool error from reading the account or checking an id: a missing
    /// record is `not-found`, bad input `invalid-argument`, anything else
    /// (Dex failing, a refused key) `unavailable`.
    fn from(err: ToolError) -> Self {
        match err.kind {
            ErrorKind::NotFound => Self::NotFound(err.message),
            ErrorKind::Validation => Self::InvalidArgument(err.message),
            _ => Self::Unavailable(err.message),
        }
    }
}

/// Reads the account: the cached one, or Dex's; called only once the
/// arguments are known to be valid, so bad input costs no request.
pub type AccountReader<'a> =
    &'a dyn Fn() -> Result<std::rc::Rc<crate::account::Account>, ToolError>;

/// Most completion values answered: MCP allows 100; a picker shows a
/// handful.
pub const COMPLETION_VALUES: usize = 10;

/// Suggested values for an argument (`completion` in `wit/content.wit`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    /// Best first, at most [`COMPLETION_VALUES`].
    pub values: Vec<String>,
    /// How many fit in all.
    pub total: Option<u32>,
    /// More fit than are listed.
    pub has_more: bool,
}

impl Completion {
    /// The first [`COMPLETION_VALUES`] of `all`, with the count.
    pub fn first_of(all: Vec<String>) -> Self {
        let total = all.len();
        Self {
            has_more: total > COMPLETION_VALUES,
            total: Some(u32::try_from(total).unwrap_or(u32::MAX)),
            values: all.into_iter().take(COMPLETION_VALUES).collect(),
        }
    }
}

/// The WIT conversions both interfaces share; compiled for the component
/// only.
#[cfg(target_arch = "wasm32")]
pub(crate) mod export {
    use crate::component::bindings::dex::crm::content as wit;

    /// `request-error` of a [`super::RequestError`].
    pub fn request_error(err: super::RequestError) -> wit::RequestError {
        match err {
            super::RequestError::NotFound(m) => wit::RequestError::NotFound(m),
            super::RequestError::InvalidArgument(m) => wit::RequestError::InvalidArgument(m),
            super::RequestError::Unavailable(m) => wit::RequestError::Unavailable(m),
        }
    }

    /// `completion` of a [`super::Completion`].
    pub fn completion(found: super::Completion) -> wit::Completion {
        wit::Completion {
            values: found.values,
            total: found.total,
            has_more: found.has_more,
        }
    }
}
