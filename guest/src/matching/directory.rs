//! The seam between `find_contact` and wherever contacts come from: the
//! cached account (`crate::account::AccountDirectory`) in the component, a
//! fixed list in tests and benchmarks.

use std::sync::Arc;

use super::index::ContactMatcher;
use crate::model::{Contact, EmailAddress, ToolError};

/// Where the contact resolver gets the account's contacts.
///
/// Kept to what matching needs so that a snapshot cache can implement it
/// without knowing the matcher's internals: the whole list, whether that
/// list is at hand without asking Dex, and Dex's own exact-email search for
/// the one query that needs no list.
pub trait ContactDirectory {
    /// Every contact of the account, shared. May page through Dex when no
    /// snapshot is held, which for a large account costs many requests.
    fn all_contacts(&self) -> Result<Arc<[Arc<Contact>]>, ToolError>;

    /// Whether [`ContactDirectory::all_contacts`] would answer without
    /// asking Dex. When it would not, an email-only query uses
    /// [`ContactDirectory::find_by_email`] instead of listing the account.
    fn has_snapshot(&self) -> bool;

    /// The contacts that have `email` among their addresses, exact after
    /// folding, found without listing the account.
    fn find_by_email(&self, email: &EmailAddress) -> Result<Vec<Contact>, ToolError>;

    /// A matcher over [`ContactDirectory::all_contacts`]. A snapshot cache
    /// should override this to build the matcher once per snapshot rather
    /// than once per call.
    fn matcher(&self) -> Result<Arc<ContactMatcher>, ToolError> {
        Ok(Arc::new(ContactMatcher::new(&self.all_contacts()?)))
    }
}
