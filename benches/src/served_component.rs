//! The Dex component served by the real host code (`dex_mcp`'s engine,
//! runner and pool) against a simulated Dex, for benchmarks that measure
//! what a tool call costs inside the sandbox.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use dex_mcp::compile_cache::{CompileCache, compile};
use dex_mcp::component::{CallPolicy, EngineLimits, LoadedComponent, new_engine};
use dex_mcp::metrics::UpstreamMetrics;
use dex_mcp::outbound_http::Timeouts;
use dex_mcp::outbound_limits::OutboundLimits;
use dex_mcp::settings::SettingValues;
use dex_mcp::swap::{HostCaps, Loader};
use wasmtime::component::Component;
use wasmtime::{Config, Engine};

/// Seed of every benchmark account, the one `benches/benches/search.rs`
/// and `matching.rs` use.
pub const SEED: u64 = 7;

/// A component built by `cargo xtask guest` (`dex_guest.wasm`,
/// `probe_guest_plus.wasm` ...), found from this crate's source.
pub fn built_component(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/components")
        .join(file)
}

/// The engine the server runs on: pooling allocator, epoch interruption.
pub fn pooling_engine() -> Result<Engine> {
    new_engine(EngineLimits::default())
}

/// The same engine without the pooling allocator: every instance maps
/// fresh memory. Only to measure what the pool saves.
pub fn on_demand_engine() -> Result<Engine> {
    let mut config = Config::new();
    config.epoch_interruption(true);
    Ok(Engine::new(&config)?)
}

/// Compiles `wasm` for `engine`, through an on-disk cache under `target/`
/// so that reruns skip Cranelift (seconds for the Dex component).
pub fn compile_for(engine: &Engine, wasm: &Path) -> Result<Component> {
    let cache = CompileCache::new(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-compile-cache"),
    );
    let (component, _) = compile(engine, wasm, Some(&cache))
        .with_context(|| format!("run `cargo xtask guest` to build {}", wasm.display()))?;
    Ok(component)
}

/// How the component is served: which API it reads and how its calls run.
#[derive(Debug, Clone)]
pub struct Serving {
    /// v1 base URL of the API (a simulator's).
    pub base_url: String,
    /// The key the host adds to every request.
    pub api_key: String,
    /// The guest's account cache lifetime; 0 reads the account on every
    /// call (a cache miss every time).
    pub cache_ttl_seconds: u64,
    /// Warm instances; 1 makes every call draw the same instance.
    pub instances: usize,
}

/// The Dex guest's settings for `serving`, by variable, as an operator
/// would give them.
pub fn setting_values(serving: &Serving) -> SettingValues {
    let mut values = SettingValues::default();
    values.set("DEX_API_KEY", &serving.api_key);
    values.set("DEX_API_BASE_URL", &serving.base_url);
    values.set("DEX_API_GENERATION", "v1");
    values.set("DEX_MCP_CACHE_TTL", &serving.cache_ttl_seconds.to_string());
    values
}

/// Links `component`, configures its settings and reads its catalogue, as
/// the server does at start-up (the same loader), with the server's
/// default limits.
pub async fn serve(
    engine: &Engine,
    component: Component,
    serving: &Serving,
) -> Result<LoadedComponent> {
    let limits = EngineLimits::default();
    let loader = Loader {
        engine: engine.clone(),
        path: built_component("dex_guest.wasm"),
        caps: HostCaps {
            timeouts: Timeouts::default(),
            limits: OutboundLimits::default(),
            metrics: UpstreamMetrics::default(),
            max_memory_bytes: limits.max_memory_bytes,
            time_zone: None,
        },
        values: setting_values(serving),
        policy: CallPolicy {
            // Long enough for a cold read of a 10,000-contact account.
            deadline: Duration::from_secs(120),
            instances: serving.instances,
        },
        cache: None,
        // The benchmarks measure reading Dex: nothing is kept between runs.
        state: None,
        // Nor refreshed between calls: a bench's calls read what they time.
        maintenance: None,
    };
    loader.prepare(component).await
}
