//! Creates that a repeated call does not repeat: `create-contact`,
//! `add-contact-note` and `create-contact-reminder` take an optional
//! idempotency key. The first call with a key creates the record and keeps
//! it under the key for a day; a call with the same key and the same
//! arguments within that day answers the kept record without writing
//! anything (and says it was a replay); the same key with other arguments
//! is refused, since it is surely a mistake rather than a repeat.
//!
//! Keys are kept in the state the host lends the component (the
//! account's own bucket of `wasi:keyvalue/store`, the one the account
//! snapshot is kept in, so a key is per account, shared by every instance
//! and replica, and survives a restart), under [`KEY_PREFIX`]. The store
//! has no expiry of its own: each entry carries the time it was made, an
//! entry past [`VALIDITY`] counts as absent, and every new entry removes
//! the expired ones. Only what the tool answered is kept, never the API
//! key (the component never has it).
//!
//! What is compared is the arguments after validation (trimmed, parsed),
//! so a repeat that differs only in spacing is still a repeat.

use std::fmt::Debug;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::dex::{Created, Creation};
use crate::model::{ErrorKind, ToolError};

/// How long a key is remembered: a day, long enough for any retry of an
/// assistant's call (after a timeout, a restart, a lost connection),
/// short enough that a key reused much later creates anew.
pub const VALIDITY: Duration = Duration::from_secs(24 * 60 * 60);

/// Where the entries are kept in the account's bucket.
pub const KEY_PREFIX: &str = "idempotency/";

/// The shortest and longest key accepted.
const KEY_CHARS: std::ops::RangeInclusive<usize> = 8..=128;

/// A store of bytes by key, the account's own: the host's state store in
/// the component, memory in tests. Errors are the store's words.
pub trait KeyStore {
    /// The value under `key`.
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String>;
    /// Puts `value` under `key`.
    fn set(&self, key: &str, value: &[u8]) -> Result<(), String>;
    /// Removes `key`.
    fn delete(&self, key: &str) -> Result<(), String>;
    /// Every key.
    fn keys(&self) -> Result<Vec<String>, String>;
}

/// An idempotency key as the caller gave it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Checks `raw`: 8 to 128 letters, digits, `-`, `_`, `.` or `:`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, ToolError> {
        let key = raw.trim();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':');
        if !KEY_CHARS.contains(&key.chars().count()) || !key.chars().all(allowed) {
            return Err(ToolError::validation(
                field,
                format!(
                    "an idempotency key is {} to {} letters, digits, '-', '_', '.' or ':' (a UUID, or a name for this one write such as note-ada-2025-03-14-lunch); got {raw:?}",
                    KEY_CHARS.start(),
                    KEY_CHARS.end()
                ),
            ));
        }
        Ok(Self(key.to_owned()))
    }

    fn store_key(&self) -> String {
        format!("{KEY_PREFIX}{}", self.0)
    }
}

/// One remembered create.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    /// The tool that made it.
    tool: String,
    /// Its arguments after validation, as compared.
    arguments: String,
    /// When it was made, epoch seconds.
    at: u64,
    /// The record it answered.
    record: serde_json::Value,
}

fn epoch_seconds(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// What [`create_once`] did besides the record: a note for the answer when
/// the key could not be kept.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyNote(pub Option<String>);

/// Runs `create` unless `key` was used within [`VALIDITY`]: then answers
/// that call's record, replayed, or refuses when that call's `tool` or
/// `arguments` differ. Without a key it only runs `create`. A key needs a
/// store: without one (the host lends no state) it is refused before
/// anything is written. A record created but whose key could not be kept
/// is still answered, with a note saying so.
pub fn create_once<T: Serialize + DeserializeOwned>(
    store: Option<&dyn KeyStore>,
    key: Option<&IdempotencyKey>,
    tool: &str,
    arguments: &impl Debug,
    now: SystemTime,
    create: impl FnOnce() -> Result<Created<T>, ToolError>,
) -> Result<(Created<T>, KeyNote), ToolError> {
    let Some(key) = key else {
        return create().map(|c| (c, KeyNote::default()));
    };
    let store = store.ok_or_else(|| {
        ToolError::validation(
            "idempotency-key",
            "this server keeps no state (its state store is off), so it cannot remember idempotency keys; nothing was written. Call again without idempotency_key",
        )
    })?;
    let arguments = format!("{arguments:?}");
    let now_secs = epoch_seconds(now);
    let stored = store.get(&key.store_key()).map_err(|e| {
        ToolError::new(
            ErrorKind::Upstream,
            format!("cannot read the idempotency keys ({e}); nothing was written. Try again, or call without idempotency_key"),
        )
    })?;
    if let Some(entry) = stored.and_then(|bytes| serde_json::from_slice::<Entry>(&bytes).ok())
        && now_secs.saturating_sub(entry.at) < VALIDITY.as_secs()
    {
        if entry.tool != tool || entry.arguments != arguments {
            return Err(ToolError::validation(
                "idempotency-key",
                format!(
                    "idempotency key {:?} was used {} ago by {} with other arguments; a key names one write. Nothing was written: use a new key for a new write",
                    key.0,
                    ago(now_secs.saturating_sub(entry.at)),
                    entry.tool
                ),
            ));
        }
        if let Ok(record) = serde_json::from_value::<T>(entry.record) {
            let created = Created {
                record,
                creation: Creation::Replayed,
            };
            return Ok((created, KeyNote::default()));
        }
        // An entry this build cannot read back (another layout) is a
        // record made, of which only the id may be shown: refuse rather
        // than create it again.
        return Err(ToolError::new(
            ErrorKind::Upstream,
            format!(
                "idempotency key {:?} was used {} ago, but what it made cannot be read back by this version; nothing was written. Look for the record before creating it again",
                key.0,
                ago(now_secs.saturating_sub(entry.at))
            ),
        ));
    }
    let created = create()?;
    let entry = Entry {
        tool: tool.to_owned(),
        arguments,
        at: now_secs,
        record: serde_json::to_value(&created.record).unwrap_or_default(),
    };
    let kept = serde_json::to_vec(&entry)
        .map_err(|e| e.to_string())
        .and_then(|bytes| store.set(&key.store_key(), &bytes));
    let note = match kept {
        Ok(()) => {
            forget_expired(store, now_secs);
            KeyNote::default()
        }
        Err(e) => {
            eprintln!("dex-guest: idempotency key not kept: {e}");
            KeyNote(Some(format!(
                "The idempotency key could not be kept ({e}): calling again with it would create the record again."
            )))
        }
    };
    Ok((created, note))
}

/// Removes the entries past [`VALIDITY`]; failures are only logged (an
/// expired entry left behind is ignored anyway).
fn forget_expired(store: &dyn KeyStore, now_secs: u64) {
    let keys = match store.keys() {
        Ok(keys) => keys,
        Err(e) => {
            eprintln!("dex-guest: cannot list the idempotency keys: {e}");
            return;
        }
    };
    for key in keys.iter().filter(|k| k.starts_with(KEY_PREFIX)) {
        let expired = match store.get(key) {
            Ok(Some(bytes)) => serde_json::from_slice::<Entry>(&bytes)
                .map(|e| now_secs.saturating_sub(e.at) >= VALIDITY.as_secs())
                .unwrap_or(true),
            _ => false,
        };
        if expired && let Err(e) = store.delete(key) {
            eprintln!("dex-guest: cannot remove an expired idempotency key: {e}");
        }
    }
}

/// "3 minutes", "5 hours": how long ago, for messages.
fn ago(secs: u64) -> String {
    let (n, unit) = match secs {
        0..120 => (secs, "second"),
        120..7200 => (secs / 60, "minute"),
        _ => (secs / 3600, "hour"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
pub(crate) mod tests {
    use std::cell::{Cell, RefCell};
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::Note;

    /// A store in memory that counts writes and can be made to refuse
    /// them after a number of them (a full store, or a save cut short).
    #[derive(Default, Clone)]
    pub(crate) struct MemoryStore {
        pub(crate) values: RefCell<BTreeMap<String, Vec<u8>>>,
        /// Writes made (counted only when they succeed).
        pub(crate) sets: Cell<usize>,
        /// Refuse every write once `sets` reaches this.
        pub(crate) sets_allowed: Cell<Option<usize>>,
    }

    impl KeyStore for MemoryStore {
        fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
            Ok(self.values.borrow().get(key).cloned())
        }
        fn set(&self, key: &str, value: &[u8]) -> Result<(), String> {
            if self
                .sets_allowed
                .get()
                .is_some_and(|n| self.sets.get() >= n)
            {
                return Err("the store refuses writes".into());
            }
            self.sets.set(self.sets.get() + 1);
            self.values.borrow_mut().insert(key.into(), value.to_vec());
            Ok(())
        }
        fn delete(&self, key: &str) -> Result<(), String> {
            self.values.borrow_mut().remove(key);
            Ok(())
        }
        fn keys(&self) -> Result<Vec<String>, String> {
            Ok(self.values.borrow().keys().cloned().collect())
        }
    }

    fn key(raw: &str) -> IdempotencyKey {
        IdempotencyKey::parse("idempotency-key", raw).unwrap()
    }

    fn at(hours: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_780_000_000 + hours * 3600)
    }

    /// Calls `create_once` with a create that counts its writes.
    fn run(
        store: &MemoryStore,
        key_text: &str,
        text: &str,
        when: SystemTime,
        writes: &Cell<u32>,
    ) -> Result<Created<Note>, ToolError> {
        create_once(
            Some(store),
            Some(&key(key_text)),
            "add-contact-note",
            &text,
            when,
            || {
                writes.set(writes.get() + 1);
                Ok(Created::answered(Note {
                    id: format!("n{}", writes.get()).into(),
                    text: text.into(),
                    ..Note::default()
                }))
            },
        )
        .map(|(created, _)| created)
    }

    #[test]
    fn the_same_key_and_arguments_within_a_day_replay_the_first_record() {
        let store = MemoryStore::default();
        let writes = Cell::new(0);
        let first = run(&store, "note-ada-lunch", "Lunch", at(0), &writes).unwrap();
        assert_eq!(first.creation, Creation::Answered);
        let again = run(&store, "note-ada-lunch", "Lunch", at(23), &writes).unwrap();
        assert_eq!(again.creation, Creation::Replayed);
        assert_eq!(again.record, first.record);
        assert_eq!(writes.get(), 1, "a replay writes nothing");
        let next_day = run(&store, "note-ada-lunch", "Lunch", at(25), &writes).unwrap();
        assert_eq!(next_day.creation, Creation::Answered);
        assert_eq!(writes.get(), 2, "a key older than a day is forgotten");
    }

    #[test]
    fn a_key_reused_with_other_arguments_is_refused_without_writing() {
        let store = MemoryStore::default();
        let writes = Cell::new(0);
        run(&store, "note-ada-lunch", "Lunch", at(0), &writes).unwrap();
        let err = run(&store, "note-ada-lunch", "Dinner", at(1), &writes).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation);
        assert_eq!(err.field.as_deref(), Some("idempotency_key"));
        assert!(err.message.contains("other arguments"), "{}", err.message);
        assert!(err.message.contains("60 minutes ago"), "{}", err.message);
        assert_eq!(writes.get(), 1);
    }

    #[test]
    fn expired_entries_are_removed_when_a_new_one_is_kept() {
        let store = MemoryStore::default();
        let writes = Cell::new(0);
        run(&store, "first-key-1", "A", at(0), &writes).unwrap();
        run(&store, "second-key-2", "B", at(30), &writes).unwrap();
        let keys: Vec<String> = store.values.borrow().keys().cloned().collect();
        assert_eq!(keys, ["idempotency/second-key-2"]);
    }

    #[test]
    fn without_a_store_a_key_is_refused_and_without_a_key_nothing_is_kept() {
        let writes = Cell::new(0);
        let create = || {
            writes.set(writes.get() + 1);
            Ok(Created::answered(Note::default()))
        };
        let err =
            create_once(None, Some(&key("note-ada-lunch")), "t", &1, at(0), create).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("idempotency_key"));
        assert_eq!(writes.get(), 0);
        let store = MemoryStore::default();
        create_once(Some(&store), None, "t", &1, at(0), || {
            Ok(Created::answered(Note::default()))
        })
        .unwrap();
        assert!(store.values.borrow().is_empty());
    }

    #[test]
    fn a_key_that_cannot_be_kept_still_answers_the_record_and_says_so() {
        let store = MemoryStore::default();
        store.sets_allowed.set(Some(0));
        let (created, note) = create_once(
            Some(&store),
            Some(&key("note-ada-lunch")),
            "t",
            &1,
            at(0),
            || Ok(Created::answered(Note::default())),
        )
        .unwrap();
        assert_eq!(created.creation, Creation::Answered);
        assert!(note.0.unwrap().contains("could not be kept"));
    }

    #[test]
    fn keys_are_checked() {
        for bad in ["short", "has space in it", "ünïcode-key", &"x".repeat(129)] {
            assert!(
                IdempotencyKey::parse("idempotency-key", bad).is_err(),
                "{bad}"
            );
        }
        assert!(IdempotencyKey::parse("k", " 3f2c9a4e-1b7d-4c2e-9f00-a1b2c3d4e5f6 ").is_ok());
    }
}
