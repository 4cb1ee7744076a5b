//! State a component keeps beyond one process: the standard
//! `wasi:keyvalue/store` interface (`wit/deps/keyvalue/store.wit`), lent
//! by the host like a Spin factor: its configuration ([`StateConfig`]), its
//! backends ([`LocalStore`], a database file on this machine;
//! [`RedisStore`], a Redis server that several replicas share) and the
//! guest-facing implementation ([`keyvalue`]) live here, and nothing else
//! in the host knows what is stored.
//!
//! The host knows buckets and keys only. The guest opens the default
//! bucket (identifier `""`); which bucket that is, the host decides from a
//! hash of the upstream's base URL and credential ([`BucketName`]), so two
//! accounts never share one and a changed key never sees the old one's
//! values.

mod bucket;
mod config;
pub mod keyvalue;
mod local;
mod redis_store;
mod redis_url;

pub use bucket::BucketName;
pub use config::{StateConfig, StateLocation};
pub use keyvalue::{GuestBucket, add_to_linker};
pub use local::LocalStore;
pub use redis_store::{KEY_PREFIX, RedisStore, Removed};
pub use redis_url::{RedisUrl, RedisUrlError};

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be opened, read or written.
    #[error("state database {path}: {reason}")]
    Local {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// The Redis server could not be reached, or refused a command.
    #[error("state store {store}: {reason}")]
    Redis {
        /// The server's URL, its password hidden.
        store: String,
        /// What was being done and what went wrong, the password scrubbed.
        reason: String,
    },
    /// A value larger than the store takes.
    #[error("a value of {0} bytes is larger than the state store takes ({MAX_VALUE_BYTES})")]
    TooLarge(usize),
}

/// Largest value a guest may store: an account snapshot of 10,000 contacts
/// is about 18 MB (`docs/benchmarks.md`, "Stored snapshot"), and a guest
/// must not fill the disk of the machine it runs on.
pub const MAX_VALUE_BYTES: usize = 256 << 20;

/// A place that keeps values by bucket and key: what a backend is.
pub trait Backend: Send + Sync {
    /// The value under `key` in `bucket`.
    fn get(&self, bucket: &BucketName, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Puts `value` under `key` in `bucket`.
    fn set(&self, bucket: &BucketName, key: &str, value: &[u8]) -> Result<(), StoreError>;
    /// Removes `key` from `bucket`.
    fn delete(&self, bucket: &BucketName, key: &str) -> Result<(), StoreError>;
    /// Every key of `bucket`.
    fn keys(&self, bucket: &BucketName) -> Result<Vec<String>, StoreError>;
    /// Whether a read waits on this machine only (its page cache, at worst
    /// a peer process's commit), so that it may run on the async worker
    /// that asked rather than moving the worker's other tasks aside
    /// ([`keyvalue`]): every tool call reads the guest's stamp, and the
    /// hand-over cost thread wake-ups on every call. A backend reached
    /// over the network is not.
    fn reads_are_local(&self) -> bool {
        false
    }
}
