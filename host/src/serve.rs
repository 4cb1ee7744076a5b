//! Wiring: the upstream (real Dex or the built-in simulator), the engine,
//! the component, and MCP over stdio or HTTP.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use rmcp::ServiceExt;

use crate::cli::{Cli, Transport};
use crate::compile_cache::{CompileCache, KEPT_ENTRIES};
use crate::component::{CallPolicy, EngineLimits, GuestContext, new_engine, start_epoch_ticker};
use crate::mcp::ComponentServer;
use crate::metrics::{self, Metrics};
use crate::outbound_http::Timeouts;
use crate::outbound_limits::OutboundLimits;
use crate::secret::ApiKey;
use crate::swap::{ComponentSlot, Loader, reload_on_sighup, watch_file};
use crate::transport_http::{BearerToken, HttpConfig, HttpListener};
use crate::upstream::{ApiGeneration, Upstream};

/// Key of the built-in simulator: not a secret, it guards nothing real.
const DEMO_API_KEY: &str = "dex_demo_key";

/// Runs the server until the client closes stdin (stdio) or the process is
/// asked to stop (HTTP).
pub async fn run(cli: Cli) -> Result<()> {
    // Bind first: a listener that cannot start should fail before the
    // component is compiled.
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
    let (upstream, key, _simulator) = match cli
        .api_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        Some(key) => {
            let base_url = cli
                .base_url
                .clone()
                .unwrap_or_else(|| cli.api_generation.default_base_url().into());
            (
                Upstream {
                    base_url,
                    generation: cli.api_generation,
                    cache_ttl_seconds: cli.cache_ttl,
                },
                ApiKey::new(key),
                None,
            )
        }
        None => {
            let config = dex_sim::SimConfig {
                api_key: DEMO_API_KEY.into(),
                seed: cli.demo_seed,
                // Dated around today, so that upcoming reminders and
                // birthdays show something on the day of the demo.
                today: dex_sim::today_utc(),
                contacts: cli.demo_contacts,
                ..Default::default()
            };
            let simulator = dex_sim::RunningSim::start(config, "127.0.0.1:0".parse()?)
                .await
                .context("starting the built-in simulated Dex")?;
            let base_url = match cli.api_generation {
                ApiGeneration::V1 => simulator.v1_base_url(),
                ApiGeneration::Legacy => simulator.legacy_base_url(),
            };
            tracing::info!(
                %base_url,
                contacts = cli.demo_contacts,
                seed = cli.demo_seed,
                "no DEX_API_KEY set: serving the built-in simulated Dex with seeded demo data"
            );
            (
                Upstream {
                    base_url,
                    generation: cli.api_generation,
                    cache_ttl_seconds: cli.cache_ttl,
                },
                ApiKey::new(DEMO_API_KEY),
                Some(simulator),
            )
        }
    };

    let limits = EngineLimits {
        max_memory_bytes: (cli.max_memory_mb as usize) << 20,
        ..EngineLimits::default()
    };
    let engine = new_engine(limits)?;
    start_epoch_ticker(&engine);
    let metrics = Arc::new(Metrics::new());
    let mut outbound = upstream.policy(&key, Timeouts::default())?;
    outbound.limits = OutboundLimits {
        max_requests_per_call: cli.max_requests_per_call,
        max_response_bytes: cli.max_response_mb.saturating_mul(1 << 20),
    };
    outbound.metrics = metrics.upstream.clone();
    let context = GuestContext {
        env: upstream.guest_env(),
        outbound: Arc::new(outbound),
        max_memory_bytes: limits.max_memory_bytes,
    };
    let started = std::time::Instant::now();
    let policy = CallPolicy {
        deadline: Duration::from_secs(cli.call_timeout),
        instances: usize::from(cli.instances),
    };
    let loader = Loader {
        engine: engine.clone(),
        path: cli.component.clone(),
        context,
        policy,
        cache: (!cli.no_compile_cache)
            .then(|| {
                cli.compile_cache_dir
                    .clone()
                    .or_else(CompileCache::default_dir)
            })
            .flatten()
            .map(CompileCache::new),
    };
    let component = loader.load().await?;
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
        load_ms = started.elapsed().as_millis() as u64,
        "component loaded"
    );
    let slot = Arc::new(ComponentSlot::new(component, loader));
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
    let server = ComponentServer::new(slot, metrics);
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
    Ok(())
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
