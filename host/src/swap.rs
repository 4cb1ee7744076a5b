//! Loading the component, and replacing it while the server runs.
//!
//! Loading is the same at start and on every swap ([`Loader`]): compile,
//! link, ask the component for its settings, configure them from the
//! operator's values, ask it where its requests go, and read its
//! catalogue.
//!
//! The current component sits behind a lock as an `Arc`: a call clones the
//! `Arc` and runs to its end on the component it started with, while new
//! calls see a replacement as soon as it is in. A replacement goes through
//! the whole load before it goes in, so a broken `.wasm` (or one whose
//! settings are wrong) is refused and the old component keeps serving.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use clap::CommandFactory;
use tokio::sync::watch;
use wasmtime::Engine;
use wasmtime::component::Component;

use crate::compile_cache::{CompileCache, compile};
use crate::component::{
    CallPolicy, GuestContext, LinkedComponent, LoadedComponent, MAINTENANCE_ENV, MaintenancePolicy,
};
use crate::metrics::UpstreamMetrics;
use crate::outbound_http::{Origin, OutboundPolicy, Timeouts};
use crate::outbound_limits::OutboundLimits;
use crate::settings::{Declared, SettingValues};
use crate::state::{Backend, BucketName, GuestBucket};

/// What the host gives every instance, whatever the component.
#[derive(Debug, Clone)]
pub struct HostCaps {
    /// Upper bounds on waiting for the upstream.
    pub timeouts: Timeouts,
    /// Requests per call, bytes per answer.
    pub limits: OutboundLimits,
    /// Where upstream requests are counted.
    pub metrics: UpstreamMetrics,
    /// Linear memory of one instance, in bytes.
    pub max_memory_bytes: usize,
    /// The machine's time zone, passed to every component as `TZ` (POSIX's
    /// variable) unless the operator gives `TZ` for a setting of its own:
    /// a component has no other way to learn it.
    pub time_zone: Option<String>,
}

/// How to (re)load the component: everything but the file's contents.
#[derive(Clone)]
pub struct Loader {
    /// The engine it runs on.
    pub engine: Engine,
    /// The `.wasm` file.
    pub path: PathBuf,
    /// The host's caps on each instance.
    pub caps: HostCaps,
    /// The operator's values of the component's settings.
    pub values: SettingValues,
    /// How calls run.
    pub policy: CallPolicy,
    /// Where compiled code is kept between runs, if anywhere.
    pub cache: Option<CompileCache>,
    /// Where the component's state is kept (`wasi:keyvalue`), if anywhere.
    pub state: Option<Arc<dyn Backend>>,
    /// How often maintenance passes run; `None` when they are off.
    pub maintenance: Option<MaintenancePolicy>,
}

/// The settings `linked` declares, checked against each other and the
/// host's own flags.
pub async fn declared_settings(linked: &LinkedComponent) -> Result<Declared> {
    let description = linked.describe_server().await?;
    Declared::new(description.settings, &crate::cli::Cli::command())
}

impl Loader {
    /// Compiles (or loads the compiled code of) the file as it is now, and
    /// prepares it.
    pub async fn load(&self) -> Result<LoadedComponent> {
        let started = std::time::Instant::now();
        let (component, source) = compile(&self.engine, &self.path, self.cache.as_ref())?;
        tracing::info!(
            path = %self.path.display(),
            ?source,
            ms = started.elapsed().as_millis() as u64,
            "component code ready"
        );
        self.prepare(component).await
    }

    /// Links `component`, configures its settings from the operator's
    /// values, and allows its requests to the origin it names.
    pub async fn prepare(&self, component: Component) -> Result<LoadedComponent> {
        let linked = LinkedComponent::new(&self.engine, component, self.caps.max_memory_bytes)?;
        let declared = declared_settings(&linked).await?;
        let mut configured = declared.configure(&|env| self.values.lookup(env))?;
        if let Some(zone) = &self.caps.time_zone
            && !configured.env.iter().any(|(name, _)| name == "TZ")
        {
            configured.env.push(("TZ".to_owned(), zone.clone()));
        }
        // A component that exports `maintenance` learns that passes run,
        // and how far apart at most (wit/maintenance.wit).
        if let Some(policy) = &self.maintenance
            && linked.maintenance_exports().is_some()
        {
            configured.env.push((
                MAINTENANCE_ENV.to_owned(),
                policy.interval.as_secs().to_string(),
            ));
        }
        for warning in &configured.warnings {
            tracing::warn!("{warning}");
        }
        let base_url = linked.upstream(configured.env.clone()).await?;
        let allowed = match &base_url {
            Some(base_url) => Some(
                Origin::of_url(base_url)
                    .with_context(|| format!("the upstream the component names, `{base_url}`"))?,
            ),
            None => None,
        };
        // One bucket per upstream and secrets: accounts never mix, and a
        // changed key starts from an empty bucket.
        let state = match (&self.state, &base_url) {
            (Some(backend), Some(base_url)) => GuestBucket::new(
                backend.clone(),
                BucketName::for_account(base_url, &configured.secrets.fingerprint()),
            ),
            _ => GuestBucket::off(),
        };
        let variables: Vec<&str> = configured.env.iter().map(|(k, _)| k.as_str()).collect();
        tracing::info!(
            upstream = allowed
                .as_ref()
                .map_or_else(|| "none".to_owned(), Origin::to_string),
            settings = variables.join(","),
            secrets = configured.secrets.names().collect::<Vec<_>>().join(","),
            "component configured"
        );
        let outbound = OutboundPolicy {
            allowed,
            secrets: configured.secrets,
            timeouts: self.caps.timeouts,
            limits: self.caps.limits,
            metrics: self.caps.metrics.clone(),
        };
        let context = GuestContext {
            env: configured.env,
            outbound: Arc::new(outbound),
            max_memory_bytes: self.caps.max_memory_bytes,
            state,
        };
        LoadedComponent::from_linked(linked, context, self.policy).await
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
