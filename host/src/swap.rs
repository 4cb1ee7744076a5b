//! Replacing the served component while the server runs.
//!
//! The current component sits behind a lock as an `Arc`: a call clones the
//! `Arc` and runs to its end on the component it started with, while new
//! calls see a replacement as soon as it is in. A replacement is compiled,
//! linked and asked for its catalogue before it goes in, so a broken
//! `.wasm` is refused and the old component keeps serving.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use anyhow::Result;
use tokio::sync::watch;
use wasmtime::Engine;

use crate::compile_cache::{CompileCache, compile};
use crate::component::{CallPolicy, GuestContext, LoadedComponent};

/// How to (re)load the component: everything but the file's contents.
#[derive(Clone)]
pub struct Loader {
    /// The engine it runs on.
    pub engine: Engine,
    /// The `.wasm` file.
    pub path: PathBuf,
    /// What each instance is given.
    pub context: GuestContext,
    /// How calls run.
    pub policy: CallPolicy,
    /// Where compiled code is kept between runs, if anywhere.
    pub cache: Option<CompileCache>,
}

impl Loader {
    /// Compiles (or loads the compiled code of) the file as it is now, and
    /// links it.
    pub async fn load(&self) -> Result<LoadedComponent> {
        let started = std::time::Instant::now();
        let (component, source) = compile(&self.engine, &self.path, self.cache.as_ref())?;
        tracing::info!(
            path = %self.path.display(),
            ?source,
            ms = started.elapsed().as_millis() as u64,
            "component code ready"
        );
        LoadedComponent::from_component(&self.engine, component, self.context.clone(), self.policy)
            .await
    }
}

/// The component being served, replaceable.
pub struct ComponentSlot {
    current: RwLock<Arc<LoadedComponent>>,
    loader: Loader,
    /// Counts replacements; subscribers learn of each one.
    swaps: watch::Sender<u64>,
}

impl ComponentSlot {
    /// Serves `component`, reloading from `loader` when asked.
    pub fn new(component: LoadedComponent, loader: Loader) -> Self {
        Self {
            current: RwLock::new(Arc::new(component)),
            loader,
            swaps: watch::channel(0).0,
        }
    }

    /// The component new calls should use.
    pub fn current(&self) -> Arc<LoadedComponent> {
        self.current.read().expect("component lock").clone()
    }

    /// A receiver that changes on every replacement.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.swaps.subscribe()
    }

    /// Loads the file again and, if it loads, serves it instead. On error
    /// the old component stays.
    pub async fn reload(&self) -> Result<()> {
        let started = std::time::Instant::now();
        let component = match self.loader.load().await {
            Ok(component) => component,
            Err(err) => {
                tracing::error!(
                    path = %self.loader.path.display(),
                    error = %format!("{err:#}"),
                    "refused the new component; the previous one keeps serving"
                );
                return Err(err);
            }
        };
        let tools = component.tools().len();
        *self.current.write().expect("component lock") = Arc::new(component);
        self.swaps.send_modify(|n| *n += 1);
        tracing::info!(
            path = %self.loader.path.display(),
            tools,
            load_ms = started.elapsed().as_millis() as u64,
            "swapped in the new component"
        );
        Ok(())
    }
}

/// Reloads `slot` whenever its file changes (size or modification time),
/// checking every `every`.
pub fn watch_file(slot: Arc<ComponentSlot>, every: Duration) {
    tokio::spawn(async move {
        let stamp = |path: &PathBuf| -> Option<(u64, SystemTime)> {
            let meta = std::fs::metadata(path).ok()?;
            Some((meta.len(), meta.modified().ok()?))
        };
        let mut seen = stamp(&slot.loader.path);
        let mut ticker = tokio::time::interval(every);
        loop {
            ticker.tick().await;
            let now = stamp(&slot.loader.path);
            if now.is_some() && now != seen {
                seen = now;
                // Errors are logged by `reload`; the old component stays.
                let _ = slot.reload().await;
            }
        }
    });
}

/// Reloads `slot` on every SIGHUP.
pub fn reload_on_sighup(slot: Arc<ComponentSlot>) -> Result<()> {
    let mut hangups = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
    tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            tracing::info!("SIGHUP: reloading the component");
            let _ = slot.reload().await;
        }
    });
    Ok(())
}
