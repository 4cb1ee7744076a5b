//! The account as the tools read it, kept between calls.
//!
//! A call runs in a warm instance that the host reuses (see
//! `host/src/component/pool.rs`), so what this module keeps in memory
//! outlives the call: the snapshot of the whole account, the search index
//! and the contact matcher built from it. Reading a large account costs
//! seconds and dozens of requests; answering from memory costs
//! microseconds. The cache is given up when it is older than its time to
//! live, and a partial snapshot (a list that could not be read) is used for
//! the call that read it but never kept, so the next call tries again.

mod cache;
mod changes;
mod custom_field_changes;
mod directory;
mod label_changes;
mod relation_changes;

pub use cache::{AccountCache, CacheOutcome, CacheStats, Freshness, MAX_STALENESS};
pub use changes::AccountChange;
pub use custom_field_changes::{CustomFieldChange, custom_field_counts};
pub use directory::AccountDirectory;
pub use label_changes::{LabelChange, LabelList, label_counts};
pub use relation_changes::RelationChange;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::matching::ContactMatcher;
use crate::model::Contact;
use crate::search::SearchIndex;
use crate::snapshot::Snapshot;

/// A snapshot with the indexes built from it.
pub struct Account {
    /// What was read.
    pub snapshot: Snapshot,
    /// The contacts, shared with the matcher and the index.
    pub contacts: Arc<[Arc<Contact>]>,
    /// Full-text index over contacts, notes and reminders, built on first
    /// use ([`Account::index`]).
    search_index: OnceLock<SearchIndex>,
    /// The contact resolver's index.
    pub matcher: Arc<ContactMatcher>,
    /// How long reading and indexing took.
    pub build_time: Duration,
}

impl Account {
    /// Indexes `snapshot` for `find_contact` (the matcher) and, on first
    /// use, for search; `read_time` is how long reading it took.
    ///
    /// The search index is most of the cost of starting from a stored
    /// account (about four fifths at 10,000 contacts, docs/benchmarks.md),
    /// and a conversation that starts with a name needs only the matcher,
    /// so it waits for the first search. An instance prepared between calls
    /// builds it there ([`Account::build_search_index`]).
    pub fn index(snapshot: Snapshot, read_time: Duration) -> Self {
        let started = std::time::Instant::now();
        let contacts: Arc<[Arc<Contact>]> = snapshot.contacts.iter().cloned().collect();
        let matcher = Arc::new(ContactMatcher::new(&contacts));
        Self {
            snapshot,
            contacts,
            search_index: OnceLock::new(),
            matcher,
            build_time: read_time + started.elapsed(),
        }
    }

    /// The full-text index, built from the snapshot the first time it is
    /// asked for.
    pub fn search_index(&self) -> &SearchIndex {
        self.search_index
            .get_or_init(|| SearchIndex::build(&self.snapshot))
    }

    /// Builds the full-text index now if it is not built yet, so that no
    /// call waits for it later.
    pub fn build_search_index(&self) {
        self.search_index();
    }

    /// The full-text index if it has been built: what a change must keep
    /// current (an index built later is built from the changed snapshot).
    fn built_search_index(&mut self) -> Option<&mut SearchIndex> {
        self.search_index.get_mut()
    }
}
