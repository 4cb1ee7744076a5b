//! The shared backend: a Redis server (`--state-url`), so that several
//! replicas of the server, on one machine or many, keep one state.
//!
//! Each value is one Redis string under `dex-mcp:<bucket>:<key>`
//! ([`KEY_PREFIX`], then the bucket's hash, then the guest's key), so
//! that a Redis shared with other programs is told apart by prefix:
//! listing a bucket scans its prefix (`SCAN ... MATCH`, never `KEYS`,
//! which stops the server while it walks every key), and `dex-mcp
//! forget` removes `dex-mcp:*` and nothing else.
//!
//! The client is redis-rs's blocking one: the [`Backend`] trait is
//! synchronous, as `wasi:keyvalue`'s host calls are, and the guest's calls
//! reach it off the async workers (see `keyvalue.rs`). Connections are
//! kept for reuse, one per call running at once, and every read and write
//! has a timeout, so a Redis that hangs costs a call its state, not the
//! call itself.

use std::collections::BTreeSet;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use redis::{Connection, ConnectionLike, RedisError, RedisResult};

use super::redis_url::RedisUrl;
use super::{Backend, BucketName, MAX_VALUE_BYTES, StoreError};

/// What every key dex-mcp writes in Redis starts with: `forget` removes
/// the keys under it, and only those.
pub const KEY_PREFIX: &str = "dex-mcp:";

/// How long connecting may take: start-up waits this long at most for a
/// Redis that does not answer, then runs without state.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long one read or write on a connection may wait: long enough for a
/// snapshot of tens of megabytes on a slow network, short against the
/// call's own deadline (60 s by default), which cannot stop a host call.
const IO_TIMEOUT: Duration = Duration::from_secs(15);

/// Connections kept for reuse; more are opened when more calls run at once
/// (`--instances`), and closed after use.
const MAX_IDLE_CONNECTIONS: usize = 8;

/// Keys asked for per `SCAN` step: a hint to Redis, which bounds the work
/// of one step (and so how long it blocks other clients).
const SCAN_COUNT: usize = 1000;

/// Values in a Redis server, shared by every process pointed at it.
pub struct RedisStore {
    url: RedisUrl,
    client: redis::Client,
    idle: Mutex<Vec<Connection>>,
}

impl RedisStore {
    /// Connects to `url` and checks that Redis answers (`PING`), so that a
    /// server that cannot reach it says so at start-up.
    pub fn connect(url: RedisUrl) -> Result<Self, StoreError> {
        let client =
            redis::Client::open(url.for_client()).map_err(|e| fail(&url, "opening", &e))?;
        let store = Self {
            url,
            client,
            idle: Mutex::new(Vec::new()),
        };
        store.with_connection("PING", |con| redis::cmd("PING").query::<String>(con))?;
        Ok(store)
    }

    /// Where the store is, its password hidden.
    pub fn url(&self) -> &RedisUrl {
        &self.url
    }

    /// Removes every key under [`KEY_PREFIX`], for `dex-mcp forget`; how
    /// many keys and buckets were removed.
    pub fn remove_all(&self) -> Result<Removed, StoreError> {
        let pattern = format!("{}*", escape_glob(KEY_PREFIX));
        let mut removed = Removed::default();
        let mut buckets = BTreeSet::new();
        self.scan(&pattern, |con, batch| {
            for key in &batch {
                if let Some(bucket) = bucket_of(key) {
                    buckets.insert(bucket.to_vec());
                }
            }
            // UNLINK frees the values in the background: a snapshot of
            // tens of megabytes does not stall Redis while it is freed.
            removed.keys += redis::cmd("UNLINK").arg(&batch).query::<u64>(con)?;
            Ok(())
        })?;
        removed.buckets = buckets.len();
        Ok(removed)
    }

    /// Runs `each_batch` for every batch of keys that `SCAN` finds matching
    /// `pattern`, on one connection.
    fn scan(
        &self,
        pattern: &str,
        mut each_batch: impl FnMut(&mut Connection, Vec<Vec<u8>>) -> RedisResult<()>,
    ) -> Result<(), StoreError> {
        self.with_connection("SCAN", |con| {
            let mut cursor = 0u64;
            loop {
                let (next, batch): (u64, Vec<Vec<u8>>) = redis::cmd("SCAN")
                    .arg(cursor)
                    .arg("MATCH")
                    .arg(pattern)
                    .arg("COUNT")
                    .arg(SCAN_COUNT)
                    .query(con)?;
                if !batch.is_empty() {
                    each_batch(con, batch)?;
                }
                if next == 0 {
                    return Ok(());
                }
                cursor = next;
            }
        })
    }

    /// Runs `work` on a kept connection, or a new one. A kept connection
    /// that Redis has closed meanwhile (a restart, an idle timeout) is
    /// replaced and `work` run again once: every command here may be
    /// repeated without harm.
    fn with_connection<T>(
        &self,
        command: &str,
        mut work: impl FnMut(&mut Connection) -> RedisResult<T>,
    ) -> Result<T, StoreError> {
        let kept = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let (con, outcome) = match kept {
            Some(mut con) => match work(&mut con) {
                Err(e) if e.is_connection_dropped() => {
                    tracing::debug!(store = %self.url, "a kept Redis connection was closed; reconnecting");
                    let mut con = self.new_connection()?;
                    let outcome = work(&mut con);
                    (con, outcome)
                }
                outcome => (con, outcome),
            },
            None => {
                let mut con = self.new_connection()?;
                let outcome = work(&mut con);
                (con, outcome)
            }
        };
        match outcome {
            Ok(value) => {
                let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
                if idle.len() < MAX_IDLE_CONNECTIONS && con.is_open() {
                    idle.push(con);
                }
                Ok(value)
            }
            // A connection that failed may hold half an answer: closed,
            // never kept.
            Err(e) => {
                drop(con);
                Err(fail(&self.url, command, &e))
            }
        }
    }

    fn new_connection(&self) -> Result<Connection, StoreError> {
        let con = self
            .client
            .get_connection_with_timeout(CONNECT_TIMEOUT)
            .map_err(|e| fail(&self.url, "connecting", &e))?;
        con.set_read_timeout(Some(IO_TIMEOUT))
            .and_then(|()| con.set_write_timeout(Some(IO_TIMEOUT)))
            .map_err(|e| fail(&self.url, "connecting", &e))?;
        Ok(con)
    }
}

/// What `forget` removed from Redis.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// Keys removed.
    pub keys: u64,
    /// Buckets (accounts) they belonged to.
    pub buckets: usize,
}

/// A Redis error as a [`StoreError`]: what was being done, and why it
/// failed, the password scrubbed from both.
fn fail(url: &RedisUrl, doing: &str, error: &RedisError) -> StoreError {
    StoreError::Redis {
        store: url.redacted().to_owned(),
        reason: url.scrub(&format!("{doing}: {error}")),
    }
}

/// The Redis key of `key` in `bucket`.
fn redis_key(bucket: &BucketName, key: &str) -> String {
    format!("{}{key}", bucket_prefix(bucket))
}

/// What every Redis key of `bucket` starts with.
fn bucket_prefix(bucket: &BucketName) -> String {
    format!("{KEY_PREFIX}{}:", bucket.as_str())
}

/// The bucket part of a Redis key under [`KEY_PREFIX`].
fn bucket_of(redis_key: &[u8]) -> Option<&[u8]> {
    let rest = redis_key.strip_prefix(KEY_PREFIX.as_bytes())?;
    let end = rest.iter().position(|&b| b == b':')?;
    Some(&rest[..end])
}

/// `text` as a `MATCH` pattern that matches itself only: Redis's glob
/// characters escaped. Bucket names are hex digits today; a prefix is
/// still never trusted to be free of `*`, `?` or `[`.
fn escape_glob(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern
}

impl Backend for RedisStore {
    fn get(&self, bucket: &BucketName, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let redis_key = redis_key(bucket, key);
        let value: Option<Vec<u8>> =
            self.with_connection("GET", |con| redis::cmd("GET").arg(&redis_key).query(con))?;
        match value {
            // Written by something other than this store: no more than a
            // guest may set reaches a guest.
            Some(value) if value.len() > MAX_VALUE_BYTES => Err(StoreError::TooLarge(value.len())),
            value => Ok(value),
        }
    }

    fn set(&self, bucket: &BucketName, key: &str, value: &[u8]) -> Result<(), StoreError> {
        if value.len() > MAX_VALUE_BYTES {
            return Err(StoreError::TooLarge(value.len()));
        }
        let redis_key = redis_key(bucket, key);
        self.with_connection("SET", |con| {
            redis::cmd("SET")
                .arg(&redis_key)
                .arg(value)
                .query::<()>(con)
        })
    }

    fn delete(&self, bucket: &BucketName, key: &str) -> Result<(), StoreError> {
        let redis_key = redis_key(bucket, key);
        self.with_connection("UNLINK", |con| {
            redis::cmd("UNLINK").arg(&redis_key).query::<u64>(con)
        })
        .map(|_| ())
    }

    fn keys(&self, bucket: &BucketName) -> Result<Vec<String>, StoreError> {
        let prefix = bucket_prefix(bucket);
        let pattern = format!("{}*", escape_glob(&prefix));
        // SCAN may return a key more than once: a set.
        let mut keys = BTreeSet::new();
        self.scan(&pattern, |_, batch| {
            keys.extend(batch.into_iter().filter_map(|redis_key| {
                let key = redis_key.strip_prefix(prefix.as_bytes())?;
                // Only this store writes here, and only UTF-8 keys.
                String::from_utf8(key.to_vec()).ok()
            }));
            Ok(())
        })?;
        Ok(keys.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_prefixed_by_the_product_and_the_bucket() {
        let bucket = BucketName::for_account("https://api.example", "k");
        let key = redis_key(&bucket, "account-snapshot");
        assert_eq!(key, format!("dex-mcp:{}:account-snapshot", bucket.as_str()));
        assert_eq!(bucket_of(key.as_bytes()), Some(bucket.as_str().as_bytes()));
        assert!(key.starts_with(&bucket_prefix(&bucket)));
        // A guest's key may itself hold the separator; the bucket is the
        // part before the first one after the prefix.
        let odd = redis_key(&bucket, "a:b:*");
        assert_eq!(bucket_of(odd.as_bytes()), Some(bucket.as_str().as_bytes()));
        assert_eq!(bucket_of(b"other-app:x:y"), None);
        assert_eq!(bucket_of(b"dex-mcp:no-separator"), None);
    }

    #[test]
    fn two_buckets_have_disjoint_prefixes() {
        let a = bucket_prefix(&BucketName::for_account("https://a", "k1"));
        let b = bucket_prefix(&BucketName::for_account("https://a", "k2"));
        assert!(!a.starts_with(&b) && !b.starts_with(&a));
    }

    #[test]
    fn patterns_match_their_text_only() {
        assert_eq!(escape_glob("dex-mcp:"), "dex-mcp:");
        assert_eq!(escape_glob("0123abcd:"), "0123abcd:");
        assert_eq!(escape_glob("a*b?c[d]e\\f"), "a\\*b\\?c\\[d\\]e\\\\f");
    }

    #[test]
    fn errors_name_the_store_without_its_password() {
        let url = RedisUrl::parse("redis://:hunter2@127.0.0.1:1").unwrap();
        let error = RedisError::from((redis::ErrorKind::Io, "refused", "hunter2 leaked".into()));
        let shown = fail(&url, "connecting", &error).to_string();
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("redis://:***@127.0.0.1:1"), "{shown}");
        assert!(shown.contains("connecting"), "{shown}");
    }
}
