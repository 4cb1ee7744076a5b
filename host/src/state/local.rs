//! The embedded backend: one database file on this machine.
//!
//! redb (pure Rust, crash-safe, one file) rather than SQLite: no C library
//! to build into the host, and its multi-writer mode lets several host
//! processes on one machine share the file, as replicas share Redis. Each
//! bucket is one table; a value is the bytes the guest set.

use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use redb::{ConcurrencyMode, Database, ReadableDatabase, ReadableTable, TableDefinition};

use super::{Backend, BucketName, StoreError};

/// The database file's name inside the state directory.
pub const FILE_NAME: &str = "state.redb";

/// redb's page cache: enough for its own tree pages, not for values.
const CACHE_BYTES: usize = 4 << 20;

/// Values in a database file only this user can read.
pub struct LocalStore {
    path: PathBuf,
    db: Database,
}

impl LocalStore {
    /// Opens (or creates) the store in `dir`: the directory with mode 0700
    /// and the file with mode 0600, since values are account data.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let path = dir.join(FILE_NAME);
        let fail = |reason: String| StoreError::Local {
            path: path.display().to_string(),
            reason,
        };
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| fail(format!("cannot create its directory: {e}")))?;
        OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| fail(format!("cannot create it: {e}")))?;
        let db = Database::builder()
            // The values are read once per instance start and written after
            // a read or a write: caching them (redb's default is up to
            // 1 GiB) only grew the server's RSS by their size (75 -> 161
            // MiB at 10,000 contacts, docs/benchmarks.md).
            .set_cache_size(CACHE_BYTES)
            .set_concurrency_mode(ConcurrencyMode::MultiWriter)
            // A file damaged or altered outside redb fails to open rather
            // than being trusted.
            .set_check_integrity_on_open(true)
            .create(&path)
            .map_err(|e| fail(e.to_string()))?;
        Ok(Self { path, db })
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn fail(&self, error: impl std::fmt::Display) -> StoreError {
        StoreError::Local {
            path: self.path.display().to_string(),
            reason: error.to_string(),
        }
    }
}

fn table(bucket: &BucketName) -> TableDefinition<'_, &'static str, &'static [u8]> {
    TableDefinition::new(bucket.as_str())
}

impl Backend for LocalStore {
    fn get(&self, bucket: &BucketName, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let read = self.db.begin_read().map_err(|e| self.fail(e))?;
        let table = match read.open_table(table(bucket)) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(self.fail(e)),
        };
        let value = table.get(key).map_err(|e| self.fail(e))?;
        Ok(value.map(|v| v.value().to_vec()))
    }

    fn set(&self, bucket: &BucketName, key: &str, value: &[u8]) -> Result<(), StoreError> {
        if value.len() > super::MAX_VALUE_BYTES {
            return Err(StoreError::TooLarge(value.len()));
        }
        let write = self.db.begin_write().map_err(|e| self.fail(e))?;
        {
            let mut table = write.open_table(table(bucket)).map_err(|e| self.fail(e))?;
            table.insert(key, value).map_err(|e| self.fail(e))?;
        }
        write.commit().map_err(|e| self.fail(e))
    }

    fn delete(&self, bucket: &BucketName, key: &str) -> Result<(), StoreError> {
        let write = self.db.begin_write().map_err(|e| self.fail(e))?;
        {
            let mut table = write.open_table(table(bucket)).map_err(|e| self.fail(e))?;
            table.remove(key).map_err(|e| self.fail(e))?;
        }
        write.commit().map_err(|e| self.fail(e))
    }

    fn keys(&self, bucket: &BucketName) -> Result<Vec<String>, StoreError> {
        let read = self.db.begin_read().map_err(|e| self.fail(e))?;
        let table = match read.open_table(table(bucket)) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(e) => return Err(self.fail(e)),
        };
        let mut keys = Vec::new();
        for entry in table.iter().map_err(|e| self.fail(e))? {
            let (key, _) = entry.map_err(|e| self.fail(e))?;
            keys.push(key.value().to_owned());
        }
        Ok(keys)
    }

    fn reads_are_local(&self) -> bool {
        true
    }
}

/// Removes the store in `dir`, for `dex-mcp forget`; whether there was one.
pub fn remove(dir: &Path) -> std::io::Result<bool> {
    match std::fs::remove_file(dir.join(FILE_NAME)) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("dex-mcp-state-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn values_outlive_the_store_that_wrote_them() {
        let dir = temp_dir("outlive");
        let bucket = BucketName::for_account("https://a", "k");
        {
            let store = LocalStore::open(&dir).unwrap();
            assert_eq!(store.get(&bucket, "x").unwrap(), None);
            store.set(&bucket, "x", b"one").unwrap();
            store.set(&bucket, "y", b"two").unwrap();
        }
        let store = LocalStore::open(&dir).unwrap();
        assert_eq!(
            store.get(&bucket, "x").unwrap().as_deref(),
            Some(&b"one"[..])
        );
        let mut keys = store.keys(&bucket).unwrap();
        keys.sort();
        assert_eq!(keys, ["x", "y"]);
        store.delete(&bucket, "x").unwrap();
        store.delete(&bucket, "absent").unwrap();
        assert_eq!(store.get(&bucket, "x").unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn buckets_do_not_mix() {
        let dir = temp_dir("mix");
        let store = LocalStore::open(&dir).unwrap();
        let (a, b) = (
            BucketName::for_account("https://a", "k1"),
            BucketName::for_account("https://a", "k2"),
        );
        store.set(&a, "snapshot", b"of a").unwrap();
        assert_eq!(store.get(&b, "snapshot").unwrap(), None);
        assert!(store.keys(&b).unwrap().is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_the_user_can_read_the_file() {
        let dir = temp_dir("mode");
        let store = LocalStore::open(&dir).unwrap();
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        drop(store);
        assert!(remove(&dir).unwrap());
        assert!(!remove(&dir).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_damaged_file_is_refused_not_trusted() {
        let dir = temp_dir("damaged");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(FILE_NAME), vec![0xA5; 64 * 1024]).unwrap();
        assert!(LocalStore::open(&dir).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
