//! Wiring: the command line (read twice, see [`crate::cli`]), the
//! engine, the component and its settings, demo mode when its secrets
//! have no value, and MCP over stdio or HTTP.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use rmcp::ServiceExt;
use wasmtime::Engine;
use wasmtime::component::Component;

use crate::cli::{self, Cli, CommandLine, Transport};
use crate::compile_cache::{CompileCache, KEPT_ENTRIES, Source, compile};
use crate::component::{
    CallPolicy, EngineLimits, LinkedComponent, MaintenancePolicy, ToolSpec, declared_version,
    new_engine, start_epoch_ticker,
};
use crate::demo;
use crate::exposure::ToolExposure;
use crate::mcp::ComponentServer;
use crate::metrics::{self, Metrics};
use crate::oci_component::{self, Pinned};
use crate::outbound_http::Timeouts;
use crate::outbound_limits::OutboundLimits;
use crate::settings::{Declared, SettingValues};
use crate::state::{Backend, StateConfig};
use crate::swap::{
    ComponentSlot, HostCaps, Loader, declared_settings, reload_on_sighup, watch_file,
};
use crate::transport_http::{BearerToken, HttpConfig, HttpListener};

/// The command line read, with the component it names compiled and its
/// settings known (or why not, which only serving and `doctor` need).
pub struct Start {
    /// The host's flags.
    pub cli: Cli,
    /// The component's settings as given, by variable.
    pub values: SettingValues,
    engine: Engine,
    limits: EngineLimits,
    cache: Option<CompileCache>,
    /// The component's file: `--component`'s path, or where the artifact
    /// an `oci://` reference names was kept.
    component_file: PathBuf,
    compiled: Result<(Component, Source)>,
    declared: Result<Declared>,
    component_version: Option<String>,
    started: Instant,
}

/// Reads `argv`: first the host's flags, enough to compile the component
/// and learn its settings, then everything with a flag per setting. Prints
/// help, the version or a command-line error and exits as clap does.
pub async fn start(argv: Vec<OsString>) -> Result<Start> {
    let host = cli::host_flags(&argv).unwrap_or_else(|err| err.exit());
    let limits = EngineLimits {
        max_memory_bytes: (host.max_memory_mb as usize) << 20,
        ..EngineLimits::default()
    };
    let engine = new_engine(limits)?;
    start_epoch_ticker(&engine);
    let cache = (!host.no_compile_cache)
        .then(|| {
            host.compile_cache_dir
                .clone()
                .or_else(CompileCache::default_dir)
        })
        .flatten()
        .map(CompileCache::new);
    let started = Instant::now();
    let located = component_file(&host).await;
    let (compiled, declared) = match &located {
        Ok(path) => compile_and_describe(&engine, path, &cache, limits).await,
        Err(err) => (Err(anyhow!("{err:#}")), Err(anyhow!("{err:#}"))),
    };
    let component_file = located.unwrap_or_else(|_| host.component.clone());
    let load_error = declared.as_ref().err().map(|err| format!("{err:#}"));
    let component_version = std::fs::read(&component_file)
        .ok()
        .and_then(|wasm| declared_version(&wasm));
    let CommandLine { cli, settings } = cli::parse(
        &argv,
        declared.as_ref().unwrap_or(&Declared::default()),
        load_error.as_deref(),
        cli::version_text(&host.component, component_version.as_deref()),
    );
    if (
        &cli.component,
        cli.max_memory_mb,
        cli.no_compile_cache,
        &cli.compile_cache_dir,
    ) != (
        &host.component,
        host.max_memory_mb,
        host.no_compile_cache,
        &host.compile_cache_dir,
    ) {
        bail!(
            "the command line reads differently with the component's settings; check its quoting"
        );
    }
    Ok(Start {
        cli,
        values: settings,
        engine,
        limits,
        cache,
        component_file,
        compiled,
        declared,
        component_version,
        started,
    })
}

/// The file `--component` names: its path, or for `oci://…` the artifact
/// pulled (or kept from an earlier pull) and checked against its digest.
async fn component_file(host: &Cli) -> Result<PathBuf> {
    let Some(pinned) = Pinned::from_component_flag(&host.component) else {
        return Ok(host.component.clone());
    };
    let dir = host
        .compile_cache_dir
        .clone()
        .or_else(CompileCache::default_dir)
        .map(|dir| dir.join("oci"));
    let pinned = pinned?;
    let path = tokio::task::spawn_blocking(move || oci_component::fetch(&pinned, dir.as_deref()))
        .await
        .context("pulling the component")??;
    Ok(path)
}

/// The component at `path` compiled, and the settings it declares; each
/// an error when it cannot be had, which `--help` reports and a run
/// fails with.
async fn compile_and_describe(
    engine: &Engine,
    path: &std::path::Path,
    cache: &Option<CompileCache>,
    limits: EngineLimits,
) -> (Result<(Component, Source)>, Result<Declared>) {
    let compiled = compile(engine, path, cache.as_ref())
        .with_context(|| format!("loading the component {}", path.display()));
    let declared = match &compiled {
        Ok((component, _)) => {
            match LinkedComponent::new(engine, component.clone(), limits.max_memory_bytes) {
                Ok(linked) => declared_settings(&linked).await,
                Err(err) => Err(err),
            }
        }
        Err(err) => Err(anyhow::anyhow!("{err:#}")),
    };
    (compiled, declared)
}

impl Start {
    /// The compiled component and its settings, or why they cannot be had.
    pub fn component(&mut self) -> Result<(Component, Declared)> {
        fn taken<T>() -> Result<T> {
            Err(anyhow::anyhow!("the component was already taken"))
        }
        let (component, source) = std::mem::replace(&mut self.compiled, taken())?;
        let declared = std::mem::replace(&mut self.declared, taken())?;
        tracing::info!(
            path = %self.cli.component.display(),
            version = self.component_version.as_deref().unwrap_or("undeclared"),
            ?source,
            ms = self.started.elapsed().as_millis() as u64,
            "component code ready"
        );
        Ok((component, declared))
    }

    /// How the component is loaded with the setting values `values`: the
    /// engine, the host's caps from the flags, how calls run, where
    /// compiled code and (with `state`) the component's state are kept.
    /// Serving and `dex-mcp doctor` load it the same way.
    pub fn loader(
        &self,
        values: SettingValues,
        state: Option<Arc<dyn Backend>>,
        metrics: &Metrics,
    ) -> Loader {
        let cli = &self.cli;
        Loader {
            engine: self.engine.clone(),
            path: self.component_file.clone(),
            caps: HostCaps {
                timeouts: Timeouts::default(),
                limits: OutboundLimits {
                    max_requests_per_call: cli.max_requests_per_call,
                    max_response_bytes: cli.max_response_mb.saturating_mul(1 << 20),
                },
                metrics: metrics.upstream.clone(),
                max_memory_bytes: self.limits.max_memory_bytes,
                time_zone: crate::time_zone::machine_time_zone(),
            },
            values,
            policy: CallPolicy {
                deadline: Duration::from_secs(cli.call_timeout),
                instances: usize::from(cli.instances),
            },
            cache: self.cache.clone(),
            state,
            maintenance: (cli.maintenance_interval > 0).then(|| MaintenancePolicy {
                interval: Duration::from_secs(cli.maintenance_interval),
                ..MaintenancePolicy::default()
            }),
        }
    }
}

/// Serves MCP until the client closes stdin (stdio) or the process is
/// asked to stop (HTTP).
pub async fn run(mut start: Start) -> Result<()> {
    let (component, declared) = start.component()?;
    let cli = &start.cli;
    if cli.watch && oci_component::is_oci(&cli.component) {
        bail!(
            "--watch watches a file; an oci:// component is pinned by its digest and never changes"
        );
    }
    // Bind before starting anything else: a listener that cannot start
    // should fail before the demo upstream is up.
    let http_listener = match cli.transport {
        Transport::Stdio => None,
        Transport::Http => Some(
            HttpListener::bind(HttpConfig {
                listen: cli.listen,
                token: cli.http_token.as_deref().and_then(BearerToken::new),
                allowed_origins: cli.allowed_origins.clone(),
                allowed_hosts: cli.allowed_hosts.clone(),
            })
            .await?,
        ),
    };
    let mut values = start.values.clone();
    let missing = declared.missing_secrets(&|env| values.lookup(env));
    let demo = if missing.is_empty() {
        None
    } else {
        Some(demo::start(&cli.demo, &missing, &mut values).await?)
    };
    // The demo's upstream is made anew on every start, at a new address:
    // a stored copy of what it served would never be used again.
    let state = match &demo {
        Some(_) => None,
        None => StateConfig::from_flags(cli.no_state, cli.state_dir.clone(), cli.state_url.clone())
            .open(),
    };

    let metrics = Arc::new(Metrics::new());
    let loader = start.loader(values, state, &metrics);
    let component = loader.prepare(component).await?;
    let cli = &start.cli;
    // After the load, so that the entry just used is the newest and stays.
    if let Some(cache) = &loader.cache {
        match cache.prune(KEPT_ENTRIES) {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, kept = KEPT_ENTRIES, "pruned the compile cache"),
            Err(err) => tracing::warn!("cannot prune the compile cache: {err:#}"),
        }
    }
    tracing::info!(
        component = %cli.component.display(),
        tools = component.tools().len(),
        load_ms = start.started.elapsed().as_millis() as u64,
        "component loaded"
    );
    let maintenance = loader.maintenance;
    let slot = Arc::new(ComponentSlot::new(component, loader));
    if let Some(policy) = maintenance {
        crate::maintenance::schedule(slot.clone(), policy);
    }
    reload_on_sighup(slot.clone())?;
    if cli.watch {
        watch_file(slot.clone(), Duration::from_millis(500));
    }
    if let Some(addr) = cli.metrics {
        let probe_slot = slot.clone();
        metrics::serve(
            addr,
            metrics.clone(),
            Arc::new(move || probe_slot.current().pool_usage()),
        )
        .await?;
    }
    let exposure = ToolExposure::new(&cli.tools, cli.read_only)?;
    log_exposure(&exposure, slot.current().tools(), cli.read_only);
    let server = ComponentServer::new(slot, metrics, exposure, cli.output_schemas);
    match http_listener {
        None => {
            let running = server
                .serve(rmcp::transport::stdio())
                .await
                .context("starting MCP over stdio")?;
            running.waiting().await.context("serving MCP over stdio")?;
        }
        Some(listener) => listener.serve(server, shutdown_signal()).await?,
    }
    drop(demo);
    Ok(())
}

/// Warns about `--tools` names the component does not serve (a typo, or a
/// tool it dropped), and says when only some tools are offered.
fn log_exposure(exposure: &ToolExposure, tools: &[ToolSpec], read_only: bool) {
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_str()).collect();
    for unknown in exposure.unknown_names(&names) {
        tracing::warn!(
            "--tools names `{unknown}`, which the component does not serve; it serves: {}",
            names.join(", ")
        );
    }
    let offered = tools.iter().filter(|t| exposure.offers(*t)).count();
    if offered < names.len() {
        tracing::info!(
            offered,
            of = names.len(),
            read_only,
            "offering a subset of the tools"
        );
    }
}

/// Completes on Ctrl-C or SIGTERM, so the HTTP server drains and exits 0.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("stopping");
}
