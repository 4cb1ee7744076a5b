//! Demo mode: when the component's secret settings have no value, the
//! server is pointed at a simulated upstream instead of refusing to start.
//!
//! This is the only module that links the simulator, and only in a build
//! with the cargo feature `demo` (on by default). The simulator's crate
//! supplies the flags of the demo account ([`Args`]) and the settings that
//! point the component at it, by variable; the host applies them as if
//! the operator had given them, knowing none of them. A build without the
//! feature has no flags here, and without the secrets it stops with an
//! error that says demo mode is not built in.

use anyhow::Result;

use crate::component::Setting;
use crate::settings::{SettingValues, named};

/// The flags of the demo account.
#[cfg(feature = "demo")]
pub use dex_sim::demo::DemoArgs as Args;

/// No demo account without the `demo` feature, so no flags.
#[cfg(not(feature = "demo"))]
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct Args {}

/// The simulated upstream, served for as long as this value lives.
#[derive(Debug)]
pub struct Demo {
    #[cfg(feature = "demo")]
    _running: dex_sim::demo::Demo,
}

/// Starts the demo upstream because the secret settings `missing` have
/// no value, and sets in `values` what points the component at it.
#[cfg(feature = "demo")]
pub async fn start(args: &Args, missing: &[&Setting], values: &mut SettingValues) -> Result<Demo> {
    use anyhow::Context;
    let configured = |env: &str| values.lookup(env);
    let running = dex_sim::demo::Demo::start(args, &configured)
        .await
        .context("starting the built-in demo upstream")?;
    for (env, value) in running.settings() {
        values.set(env, value);
    }
    tracing::info!(
        serving = running.summary(),
        "no value for {}: demo mode",
        named(missing)
    );
    Ok(Demo { _running: running })
}

/// Without the `demo` feature there is nothing to start: the error says
/// which secrets to give.
#[cfg(not(feature = "demo"))]
pub async fn start(
    _args: &Args,
    missing: &[&Setting],
    _values: &mut SettingValues,
) -> Result<Demo> {
    anyhow::bail!(
        "no value for {}, and demo mode is not built in (this dex-mcp was built without the cargo \
         feature `demo`): give the secret to serve the real upstream",
        named(missing)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Setting {
        Setting {
            name: "token".into(),
            env: "APP_TOKEN".into(),
            description: "The token.".into(),
            default: None,
            choices: Vec::new(),
            secret: true,
            deprecated: None,
        }
    }

    #[cfg(not(feature = "demo"))]
    #[tokio::test]
    async fn without_the_feature_the_error_says_demo_mode_is_not_built_in() {
        let err = start(&Args {}, &[&key()], &mut SettingValues::default())
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("demo mode is not built in"), "{err}");
        assert!(err.contains("--token or APP_TOKEN"), "{err}");
    }

    #[cfg(feature = "demo")]
    #[tokio::test]
    async fn the_demo_sets_what_its_upstream_needs() {
        let args = Args {
            demo_contacts: 2,
            demo_seed: 3,
        };
        let mut values = SettingValues::default();
        let _demo = start(&args, &[&key()], &mut values).await.unwrap();
        // What the simulator's crate says the Dex guest needs.
        assert_eq!(values.to_string(), "DEX_API_BASE_URL, DEX_API_KEY");
        let base = values.lookup("DEX_API_BASE_URL").unwrap();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    }
}
