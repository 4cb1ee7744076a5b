//! `wasi:keyvalue/store` for the guest, over a [`Backend`].
//!
//! wasmtime's own `wasmtime-wasi-keyvalue` (48.0.8) keeps values in memory
//! only, copied per opened bucket, and lends one bucket; this lends the same
//! interface (`wit/deps/keyvalue/store.wit`) over a backend that outlives
//! the process. The guest opens the default bucket, `""`; the host maps it
//! to the account's [`BucketName`]. Any other identifier, or any open
//! while state is off, is `no-such-store`, which the guest takes as "run
//! without state".
//!
//! A backend blocks (a disk write, a Redis round trip) and the guest's
//! calls run on the async runtime's workers; each backend call is made
//! through [`blocking`], so that one waiting on Redis does not hold up the
//! other tasks of its worker.

use std::sync::Arc;

use wasmtime::component::{HasData, Linker, Resource, ResourceTable};

use super::{Backend, BucketName};

mod generated {
    wasmtime::component::bindgen!({
        path: "../wit/deps/keyvalue",
        world: "wasi:keyvalue/imports",
        imports: { default: trappable },
        with: {
            "wasi:keyvalue/store.bucket": super::OpenBucket,
        },
    });
}

use generated::wasi::keyvalue::store::{self, Error, KeyResponse};

/// What one instance may reach: the backend and its account's bucket;
/// `None` when state is off.
#[derive(Clone, Default)]
pub struct GuestBucket {
    store: Option<(Arc<dyn Backend>, BucketName)>,
}

impl GuestBucket {
    /// The bucket `name` in `backend`.
    pub fn new(backend: Arc<dyn Backend>, name: BucketName) -> Self {
        Self {
            store: Some((backend, name)),
        }
    }

    /// No state: every open is `no-such-store`.
    pub fn off() -> Self {
        Self::default()
    }
}

impl std::fmt::Debug for GuestBucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.store {
            Some((_, name)) => write!(f, "GuestBucket({})", name.as_str()),
            None => f.write_str("GuestBucket(off)"),
        }
    }
}

/// A bucket the guest opened.
pub struct OpenBucket {
    backend: Arc<dyn Backend>,
    name: BucketName,
}

/// The guest's view: its bucket and its resource table.
pub struct KeyValueView<'a> {
    /// What the instance may reach.
    pub bucket: &'a GuestBucket,
    /// The store's resource table.
    pub table: &'a mut ResourceTable,
}

type Outcome<T> = wasmtime::Result<Result<T, Error>>;

fn failed(error: super::StoreError) -> Error {
    // The reason names a file path or a Redis URL (its password hidden)
    // at most, never a value or a key.
    Error::Other(error.to_string())
}

/// Runs `work`, which blocks, so that the async runtime's other tasks go
/// on meanwhile: on a multi-threaded runtime's worker, the worker's other
/// tasks move to another thread for the while (`block_in_place`); anywhere
/// else (no runtime, or a single-threaded one, where `block_in_place`
/// would panic) it simply runs.
fn blocking<T>(work: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

/// Runs the read `work` on `backend`: on this thread when the backend's
/// reads stay on this machine ([`Backend::reads_are_local`]), else as
/// [`blocking`] work.
fn reading<T>(backend: &dyn Backend, work: impl FnOnce() -> T) -> T {
    if backend.reads_are_local() {
        work()
    } else {
        blocking(work)
    }
}

impl store::Host for KeyValueView<'_> {
    fn open(&mut self, identifier: String) -> Outcome<Resource<OpenBucket>> {
        let Some((backend, name)) = &self.bucket.store else {
            return Ok(Err(Error::NoSuchStore));
        };
        if !identifier.is_empty() {
            return Ok(Err(Error::NoSuchStore));
        }
        let open = OpenBucket {
            backend: backend.clone(),
            name: name.clone(),
        };
        Ok(Ok(self.table.push(open)?))
    }
}

impl store::HostBucket for KeyValueView<'_> {
    fn get(&mut self, bucket: Resource<OpenBucket>, key: String) -> Outcome<Option<Vec<u8>>> {
        let bucket = self.table.get(&bucket)?;
        Ok(reading(&*bucket.backend, || bucket.backend.get(&bucket.name, &key)).map_err(failed))
    }

    fn set(&mut self, bucket: Resource<OpenBucket>, key: String, value: Vec<u8>) -> Outcome<()> {
        let bucket = self.table.get(&bucket)?;
        Ok(blocking(|| bucket.backend.set(&bucket.name, &key, &value)).map_err(failed))
    }

    fn delete(&mut self, bucket: Resource<OpenBucket>, key: String) -> Outcome<()> {
        let bucket = self.table.get(&bucket)?;
        Ok(blocking(|| bucket.backend.delete(&bucket.name, &key)).map_err(failed))
    }

    fn exists(&mut self, bucket: Resource<OpenBucket>, key: String) -> Outcome<bool> {
        let bucket = self.table.get(&bucket)?;
        Ok(
            reading(&*bucket.backend, || bucket.backend.get(&bucket.name, &key))
                .map(|v| v.is_some())
                .map_err(failed),
        )
    }

    fn list_keys(
        &mut self,
        bucket: Resource<OpenBucket>,
        cursor: Option<u64>,
    ) -> Outcome<KeyResponse> {
        let bucket = self.table.get(&bucket)?;
        let keys = match blocking(|| bucket.backend.keys(&bucket.name)) {
            Ok(keys) => keys,
            Err(e) => return Ok(Err(failed(e))),
        };
        // The cursor is the guest's: clamp it rather than trust it.
        let from = usize::try_from(cursor.unwrap_or(0))
            .unwrap_or(usize::MAX)
            .min(keys.len());
        Ok(Ok(KeyResponse {
            keys: keys[from..].to_vec(),
            cursor: None,
        }))
    }

    fn drop(&mut self, bucket: Resource<OpenBucket>) -> wasmtime::Result<()> {
        self.table.delete(bucket)?;
        Ok(())
    }
}

struct HasKeyValue;

impl HasData for HasKeyValue {
    type Data<'a> = KeyValueView<'a>;
}

/// Lends `wasi:keyvalue/store` to components linked by `linker`.
pub fn add_to_linker<T: Send + 'static>(
    linker: &mut Linker<T>,
    view: fn(&mut T) -> KeyValueView<'_>,
) -> anyhow::Result<()> {
    store::add_to_linker::<_, HasKeyValue>(linker, view)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::store::{Host as _, HostBucket as _};
    use super::*;
    use crate::state::LocalStore;

    fn local(name: &str) -> (Arc<dyn Backend>, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("dex-mcp-kv-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        (Arc::new(LocalStore::open(&dir).unwrap()), dir)
    }

    #[test]
    fn the_default_bucket_is_the_accounts() {
        let (backend, dir) = local("default");
        let name = BucketName::for_account("https://a", "k");
        let guest = GuestBucket::new(backend.clone(), name.clone());
        let mut table = ResourceTable::new();
        let mut view = KeyValueView {
            bucket: &guest,
            table: &mut table,
        };
        let bucket = view.open(String::new()).unwrap().ok().unwrap();
        let again = Resource::<OpenBucket>::new_borrow(bucket.rep());
        view.set(again, "k".into(), b"v".to_vec())
            .unwrap()
            .ok()
            .unwrap();
        assert_eq!(backend.get(&name, "k").unwrap().as_deref(), Some(&b"v"[..]));
        let again = Resource::<OpenBucket>::new_borrow(bucket.rep());
        assert!(view.exists(again, "k".into()).unwrap().unwrap());
        let again = Resource::<OpenBucket>::new_borrow(bucket.rep());
        let listed = view.list_keys(again, Some(u64::MAX)).unwrap().unwrap();
        assert!(
            listed.keys.is_empty(),
            "a cursor past the end lists nothing"
        );
        let again = Resource::<OpenBucket>::new_borrow(bucket.rep());
        view.delete(again, "k".into()).unwrap().unwrap();
        let again = Resource::<OpenBucket>::new_borrow(bucket.rep());
        assert_eq!(view.get(again, "k".into()).unwrap().unwrap(), None);
        view.drop(bucket).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn reads_of_the_local_file_stay_on_the_asking_worker() {
        let (backend, dir) = local("inline");
        assert!(
            backend.reads_are_local(),
            "the per-call stamp read would hand the worker over every call"
        );
        assert_eq!(reading(&*backend, || 7), 7);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test(flavor = "current_thread")]
    async fn blocking_work_runs_on_a_single_threaded_runtime() {
        assert_eq!(blocking(|| 7), 7);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn blocking_work_runs_on_a_multi_threaded_runtime() {
        let spawned = tokio::spawn(async { blocking(|| 7) });
        assert_eq!(spawned.await.unwrap(), 7);
        assert_eq!(blocking(|| 8), 8);
    }

    #[test]
    fn other_buckets_and_state_off_are_no_such_store() {
        let (backend, dir) = local("other");
        let guest = GuestBucket::new(backend, BucketName::for_account("https://a", "k"));
        let mut table = ResourceTable::new();
        let mut view = KeyValueView {
            bucket: &guest,
            table: &mut table,
        };
        assert!(matches!(
            view.open("someone-else".into()).unwrap(),
            Err(Error::NoSuchStore)
        ));
        let off = GuestBucket::off();
        let mut view = KeyValueView {
            bucket: &off,
            table: &mut table,
        };
        assert!(matches!(
            view.open(String::new()).unwrap(),
            Err(Error::NoSuchStore)
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
