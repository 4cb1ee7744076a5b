//! The account snapshot in the host's key-value store
//! (`wasi:keyvalue/store`), so that a new instance (after a restart, in
//! another instance of the pool, in another replica) starts from it
//! instead of reading the whole account from Dex.
//!
//! The store is a shortcut, never a source of truth: a store that is off
//! or failing, a value that is absent, from another layout, cut short or
//! damaged, each means "read Dex", with a line on stderr for the operator
//! (`crate::snapshot::stored` says what is checked).

use std::time::SystemTime;

use super::bindings::wasi::keyvalue::store;
use crate::snapshot::Snapshot;
use crate::snapshot::stored::{self, StoredSnapshot};

/// The key of the account snapshot in the default bucket (which the host
/// makes the account's own).
const SNAPSHOT_KEY: &str = "account-snapshot";

/// The key of the stored snapshot's [`Stamp`] (5 bytes: the checksum,
/// little-endian, then the [`Cause`]): read on every call, so that an
/// instance learns of another's save (in this process or another replica)
/// without fetching megabytes of snapshot. Written after the snapshot, so
/// a stamp never names a snapshot not yet there.
const STAMP_KEY: &str = "account-stamp";

/// Why the stored snapshot was saved: what tells an instance whether it
/// must take it up before its next answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cause {
    /// The account was read from Dex again: an instance with a usable
    /// account may go on answering from it until maintenance replaces it.
    Read,
    /// A tool changed the account: the next answer must show the change.
    Write,
}

/// Which stored snapshot is current, and why it was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    /// The snapshot's checksum ([`stored::stamp`]).
    pub checksum: u32,
    /// Why it was saved.
    pub cause: Cause,
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

/// The stored snapshot, if there is a good one.
pub(super) fn load() -> Option<StoredSnapshot> {
    let bytes = match bucket()?.get(SNAPSHOT_KEY) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return None,
        Err(error) => {
            eprintln!(
                "dex-guest: cannot read the stored account: {}",
                describe(&error)
            );
            return None;
        }
    };
    match stored::decode(&bytes) {
        Ok(snapshot) => Some(snapshot),
        Err(error) => {
            eprintln!("dex-guest: ignoring the stored account ({error}); reading it from Dex");
            None
        }
    }
}

/// The stamp of the snapshot stored now, if there is one: one small read,
/// to tell whether the snapshot an instance holds is the latest.
pub(super) fn current_stamp() -> Option<Stamp> {
    match bucket()?.get(STAMP_KEY) {
        Ok(Some(bytes)) => match bytes[..] {
            [a, b, c, d, cause] => Some(Stamp {
                checksum: u32::from_le_bytes([a, b, c, d]),
                cause: if cause == 1 {
                    Cause::Write
                } else {
                    Cause::Read
                },
            }),
            _ => None,
        },
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
/// answers its checksum; a failure is only logged (the next instance
/// reads Dex instead).
pub(super) fn save(snapshot: &Snapshot, read_at: SystemTime, cause: Cause) -> Option<u32> {
    let bucket = bucket()?;
    let bytes = match stored::encode(snapshot, read_at) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("dex-guest: account not stored: {error}");
            return None;
        }
    };
    let stamp = stored::stamp(&bytes)?;
    let mut stamp_bytes = stamp.to_le_bytes().to_vec();
    stamp_bytes.push(match cause {
        Cause::Read => 0,
        Cause::Write => 1,
    });
    let saved = bucket
        .set(SNAPSHOT_KEY, &bytes)
        .and_then(|()| bucket.set(STAMP_KEY, &stamp_bytes));
    match saved {
        Ok(()) => Some(stamp),
        Err(error) => {
            eprintln!("dex-guest: cannot store the account: {}", describe(&error));
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
    if let Some(bucket) = bucket()
        && let Err(error) = bucket
            .delete(STAMP_KEY)
            .and_then(|()| bucket.delete(SNAPSHOT_KEY))
    {
        eprintln!(
            "dex-guest: cannot remove the stored account: {}",
            describe(&error)
        );
    }
}
