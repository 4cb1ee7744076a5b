//! Wiring: the upstream (real Dex or the built-in simulator), the engine,
//! the component, and MCP over stdio.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use rmcp::ServiceExt;

use crate::cli::Cli;
use crate::component::{
    EngineLimits, GuestContext, LoadedComponent, new_engine, start_epoch_ticker,
};
use crate::mcp::ComponentServer;
use crate::outbound_http::Timeouts;
use crate::secret::ApiKey;
use crate::upstream::{ApiGeneration, Upstream};

/// Key of the built-in simulator: not a secret, it guards nothing real.
const DEMO_API_KEY: &str = "dex_demo_key";

/// Runs the server until the client closes stdin.
pub async fn run(cli: Cli) -> Result<()> {
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
                },
                ApiKey::new(key),
                None,
            )
        }
        None => {
            let config = dex_sim::SimConfig {
                api_key: DEMO_API_KEY.into(),
                seed: cli.demo_seed,
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
                },
                ApiKey::new(DEMO_API_KEY),
                Some(simulator),
            )
        }
    };

    let limits = EngineLimits::default();
    let engine = new_engine(limits)?;
    start_epoch_ticker(&engine);
    let context = GuestContext {
        env: upstream.guest_env(),
        outbound: Arc::new(upstream.policy(&key, Timeouts::default())?),
        max_memory_bytes: limits.max_memory_bytes,
    };
    let started = std::time::Instant::now();
    let component = LoadedComponent::load(
        &engine,
        &cli.component,
        context,
        Duration::from_secs(cli.call_timeout),
    )
    .await?;
    tracing::info!(
        component = %cli.component.display(),
        tools = component.tools().len(),
        load_ms = started.elapsed().as_millis() as u64,
        "component loaded"
    );

    let server = ComponentServer::new(Arc::new(component))
        .serve(rmcp::transport::stdio())
        .await
        .context("starting MCP over stdio")?;
    server.waiting().await.context("serving MCP over stdio")?;
    Ok(())
}
