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
mod directory;

pub use cache::{AccountCache, CacheOutcome, CacheStats, Freshness, MAX_STALENESS};
pub use changes::AccountChange;
pub use directory::AccountDirectory;

use std::sync::Arc;
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
    /// Full-text index over contacts, notes and reminders.
    pub index: SearchIndex,
    /// The contact resolver's index.
    pub matcher: Arc<ContactMatcher>,
    /// How long reading and indexing took.
    pub build_time: Duration,
}

impl Account {
    /// Indexes `snapshot`; `read_time` is how long reading it took.
    pub fn index(snapshot: Snapshot, read_time: Duration) -> Self {
        let started = std::time::Instant::now();
        let contacts: Arc<[Arc<Contact>]> = snapshot.contacts.iter().cloned().collect();
        let index = SearchIndex::build(&snapshot);
        let matcher = Arc::new(ContactMatcher::new(&contacts));
        Self {
            snapshot,
            contacts,
            index,
            matcher,
            build_time: read_time + started.elapsed(),
        }
    }
}
