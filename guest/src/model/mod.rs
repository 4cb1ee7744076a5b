//! The domain as the tools see it, independent of Dex's wire formats.

mod contact;
mod error;
mod ids;

pub use contact::{Contact, EmailEntry, PhoneEntry, SocialLink, SocialNetwork};
pub use error::{ErrorKind, ToolError};
pub use ids::{ContactId, EmailAddress, PhoneNumber};
