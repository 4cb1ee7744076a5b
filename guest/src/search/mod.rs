//! Full-text search over a whole account: contacts, notes and reminders.
//!
//! A hand-written inverted index (see `docs/search.md` for why not an
//! existing crate): [`SearchIndex::build`] indexes a [`crate::snapshot::Snapshot`]
//! once, [`SearchIndex::search`] answers queries in well under a
//! millisecond, and [`SearchIndex::upsert`] / [`SearchIndex::remove`]
//! apply single writes without a rebuild.
//!
//! Matching is accent- and case-insensitive ([`fold`]), typo-tolerant
//! ([`typo`]), with prefix matching on the last word; ranking and
//! confidence are described in [`query`].

mod document;
#[cfg(test)]
mod exhaustive;
pub mod fold;
mod index;
mod maxscore;
pub mod query;
mod snippet;
pub mod stem;
pub mod typo;

pub use document::{Field, Record, RecordKind};
pub use index::SearchIndex;
pub use query::{MAX_QUERY_WORDS, SearchHit, SearchQuery};
pub use snippet::SNIPPET_CHARS;

#[cfg(test)]
mod tests;
