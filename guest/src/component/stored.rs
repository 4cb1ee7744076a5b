//! The account snapshot in the host's key-value store
//! (`wasi:keyvalue/store`), so that a new instance (after a restart, in
//! another instance of the pool, in another replica) starts from it
//! instead of reading the whole account from Dex.
//!
//! The store is a shortcut, never a source of truth: a store that is off
//! or failing, a value that is absent, from another layout, cut short or
//! damaged, each means "read Dex", with a line on stderr for the operator
//! (`crate::snapshot::stored` says what is checked).

use std::cell::RefCell;
use std::time::SystemTime;

use super::bindings::wasi::keyvalue::store;
use crate::snapshot::Snapshot;
use crate::snapshot::stored::{self, StoredLayout, StoredSnapshot};
pub(super) use crate::snapshot::stored::{Cause, Stamp};

thread_local! {
    /// What this instance last stored or took up (and keeps as its
    /// account): its next save after a write stores only what changed
    /// since. Forgotten when the account is.
    static LAYOUT: RefCell<Option<StoredLayout>> = const { RefCell::new(None) };
}

/// The default bucket, or `None` when the host lends no state.
fn bucket() -> Option<store::Bucket> {
    match store::open("") {
        Ok(bucket) => Some(bucket),
        Err(store::Error::NoSuchStore) => None,
        Err(error) => {
            eprintln!("dex-guest: state store unavailable: {}", describe(&error));
            None
        }
    }
}

fn describe(error: &store::Error) -> String {
    match error {
        store::Error::NoSuchStore => "no such store".into(),
        store::Error::AccessDenied => "access denied".into(),
        store::Error::Other(reason) => reason.clone(),
    }
}

/// The stored snapshot, if there is a good one. Its layout is for
/// [`adopted`], once the instance keeps it as its account.
pub(super) fn load() -> Option<StoredSnapshot> {
    match stored::load(&KeyBucket(bucket()?)) {
        Ok(snapshot) => snapshot,
        Err(error) => {
            eprintln!("dex-guest: ignoring the stored account ({error}); reading it from Dex");
            None
        }
    }
}

/// Keeps `layout`, of the stored snapshot this instance took up as its
/// account, for its next save.
pub(super) fn adopted(layout: StoredLayout) {
    LAYOUT.set(Some(layout));
}

/// Forgets the layout of the last save or take-up, and the records it
/// holds, when the instance gives up the account they belong to.
pub(super) fn forget_layout() {
    LAYOUT.set(None);
}

/// The stamp of the snapshot stored now, if there is one: one small read
/// (the manifest), to tell whether the snapshot an instance holds is the
/// latest.
pub(super) fn current_stamp() -> Option<Stamp> {
    match bucket()?.get(stored::MANIFEST_KEY) {
        Ok(Some(bytes)) => stored::stamp(&bytes),
        Ok(None) => None,
        Err(error) => {
            eprintln!(
                "dex-guest: cannot read the stored account's stamp: {}",
                describe(&error)
            );
            None
        }
    }
}

/// Stores `snapshot`, read from Dex at `read_at` and saved for `cause`, and
/// answers its stamp; a failure is only logged (the next instance reads
/// Dex instead, or the previous stored snapshot).
pub(super) fn save(snapshot: &Snapshot, read_at: SystemTime, cause: Cause) -> Option<u32> {
    let bucket = KeyBucket(bucket()?);
    // Taken out first: a save that fails leaves no layout to trust.
    let previous = LAYOUT.take();
    match stored::save(&bucket, snapshot, read_at, cause, previous) {
        Ok(saved) => {
            if let Some(error) = &saved.cleanup_error {
                eprintln!(
                    "dex-guest: stored the account, but could not remove its replaced chunks (a later save does): {error}"
                );
            }
            LAYOUT.set(Some(saved.layout));
            Some(saved.stamp)
        }
        Err(error) => {
            eprintln!("dex-guest: account not stored: {error}");
            None
        }
    }
}

/// The account's bucket as the idempotency keys use it
/// ([`crate::writes::KeyStore`]): the same bucket as the snapshot, so keys
/// are per account and shared by every instance that shares the snapshot.
pub(crate) struct KeyBucket(store::Bucket);

/// The account's bucket for idempotency keys, or `None` when the host
/// lends no state.
pub(crate) fn key_store() -> Option<KeyBucket> {
    bucket().map(KeyBucket)
}

impl crate::writes::KeyStore for KeyBucket {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        self.0.get(key).map_err(|e| describe(&e))
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), String> {
        self.0.set(key, value).map_err(|e| describe(&e))
    }

    fn delete(&self, key: &str) -> Result<(), String> {
        self.0.delete(key).map_err(|e| describe(&e))
    }

    fn keys(&self) -> Result<Vec<String>, String> {
        let mut keys = Vec::new();
        let mut cursor = None;
        loop {
            let page = self.0.list_keys(cursor).map_err(|e| describe(&e))?;
            keys.extend(page.keys);
            match page.cursor {
                Some(next) => cursor = Some(next),
                None => return Ok(keys),
            }
        }
    }
}

/// Removes the stored snapshot: a write whose outcome is unknown makes it
/// as doubtful as the one in memory.
pub(super) fn discard() {
    forget_layout();
    if let Some(bucket) = bucket()
        && let Err(error) = stored::remove(&KeyBucket(bucket))
    {
        eprintln!("dex-guest: cannot remove the stored account: {error}");
    }
}
