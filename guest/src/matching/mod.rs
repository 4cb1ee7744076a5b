//! The contact resolver behind `find_contact`: from a description of a
//! person (a name however spelled, an identifier, a company) to ranked
//! contacts with a confidence and the reasons for it.
//!
//! Matching runs over a snapshot held in memory. [`ContactMatcher::new`]
//! prepares the snapshot once (folded names, identifier maps, distinct
//! name words and employers); [`ContactMatcher::find`] answers a
//! [`MatchQuery`] from those. The algorithm and the confidence scale are
//! described in `docs/matching.md`.
//!
//! - [`fold`]: case and accent folding;
//! - `nicknames`: the nickname table (`guest/data/nicknames.txt`);
//! - `name_parts`, `token_match`, `name_score`: names, word by word;
//! - `identifiers`, `company`: the other criteria;
//! - `index`: the prepared snapshot; `scored`: results and explanations;
//! - [`ContactDirectory`]: where the tool gets the contacts from;
//! - `duplicates`: contacts that are probably one person
//!   ([`find_duplicates`]), from the same normalisations.

mod company;
mod directory;
mod duplicates;
pub mod fold;
mod identifiers;
mod index;
mod name_parts;
mod name_score;
mod nicknames;
mod query;
mod scored;
mod token_match;

pub use directory::ContactDirectory;
pub use duplicates::{DuplicateField, DuplicateGroup, DuplicateReason, find_duplicates};
pub use index::ContactMatcher;
pub use nicknames::Nicknames;
pub use query::{DEFAULT_LIMIT, DEFAULT_MIN_CONFIDENCE, MAX_LIMIT, MatchQuery};
pub use scored::{MatchedField, Scored};

#[cfg(test)]
mod matcher_tests;
