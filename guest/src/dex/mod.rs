//! The Dex HTTP API, behind traits the services depend on.
//!
//! [`HttpTransport`] is the only door to the network: the component
//! implements it over `wasi:http`, tests implement it in memory. Each API
//! generation ([`v1`], [`legacy`]) turns repository calls into requests and Dex's wire
//! shapes into [`crate::model`] types, so nothing above this module knows
//! which generation is in use.

mod generation;
pub mod legacy;
mod lists;
pub mod page_size;
mod response;
pub mod retry;
#[cfg(test)]
pub(crate) mod testing;
mod transport;
pub mod v1;
mod wire_text;
mod writes;

pub use generation::{
    account_lists, contact_repository, contact_writes, note_writes, reminder_writes,
};
pub use lists::{
    AccountLists, AccountPreamble, LinkedRecords, ListKind, ListPage, PageAt, PageItems,
    PageRequest,
};
pub use response::{check_status, decode_json};
pub use transport::{
    HttpRequest, HttpResponse, HttpTransport, Method, SplitUrl, TransportError, split_url,
};
pub use writes::{ContactWrites, Created, Creation, MergeOutcome, NoteWrites, ReminderWrites};

use crate::model::{Contact, ContactId, EmailAddress, ToolError};

/// Reading and writing contacts, whatever the API generation.
pub trait ContactRepository {
    /// The contacts that have `email` among their addresses (case-folded,
    /// exact), using Dex's own search so no full listing is needed.
    fn find_by_email(&self, email: &EmailAddress) -> Result<Vec<Contact>, ToolError>;

    /// One contact by id; `not-found` when Dex has no such contact.
    fn get(&self, id: &ContactId) -> Result<Contact, ToolError>;
}
