//! dex-mcp's demo mode: this simulator in-process, the flags that size
//! its account, and the Dex guest's settings that point the guest at it.
//!
//! The dex-mcp host knows no Dex setting: when the component's secret
//! (the API key) has no value, it starts a [`Demo`] and applies
//! [`Demo::settings`], the guest's variables by name, as if the operator
//! had given them. What those variables are (the key, the base URL of the
//! chosen API generation) is Dex knowledge, so it lives here.

use std::net::SocketAddr;

use crate::config::{SimConfig, today_utc};
use crate::server::RunningSim;

/// The key the demo's simulator accepts: not a secret, it opens only the
/// local simulator.
pub const DEMO_API_KEY: &str = "dex_demo_key";

/// The Dex guest's variables the demo sets or reads.
const API_KEY_ENV: &str = "DEX_API_KEY";
const BASE_URL_ENV: &str = "DEX_API_BASE_URL";
const API_GENERATION_ENV: &str = "DEX_API_GENERATION";

/// The flags of the demo account, flattened into dex-mcp's command line.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct DemoArgs {
    /// Contacts in the simulated Dex (demo mode only).
    #[arg(long, env = "DEX_MCP_DEMO_CONTACTS", default_value_t = 200)]
    pub demo_contacts: usize,

    /// Seed of the simulated Dex's data (demo mode only).
    #[arg(long, env = "DEX_MCP_DEMO_SEED", default_value_t = 42)]
    pub demo_seed: u64,
}

/// A simulated Dex serving the demo account on a loopback port, for as
/// long as the value lives.
#[derive(Debug)]
pub struct Demo {
    simulator: RunningSim,
    settings: Vec<(String, String)>,
    summary: String,
}

impl Demo {
    /// Starts the simulator sized by `args`. `configured` gives the value
    /// the guest would read for a variable (the API generation), so that
    /// the base URL is the one of the generation the operator chose.
    pub async fn start(
        args: &DemoArgs,
        configured: &dyn Fn(&str) -> Option<String>,
    ) -> std::io::Result<Demo> {
        let config = SimConfig {
            api_key: DEMO_API_KEY.into(),
            seed: args.demo_seed,
            // Dated around today, so that upcoming reminders and birthdays
            // show something on the day of the demo.
            today: today_utc(),
            contacts: args.demo_contacts,
            ..Default::default()
        };
        let simulator = RunningSim::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let legacy = configured(API_GENERATION_ENV).is_some_and(|g| g.trim() == "legacy");
        let base_url = if legacy {
            simulator.legacy_base_url()
        } else {
            simulator.v1_base_url()
        };
        let summary = format!(
            "a simulated Dex with {} seeded contacts (seed {}) at {base_url}",
            args.demo_contacts, args.demo_seed
        );
        Ok(Demo {
            settings: vec![
                (API_KEY_ENV.into(), DEMO_API_KEY.into()),
                (BASE_URL_ENV.into(), base_url),
            ],
            simulator,
            summary,
        })
    }

    /// The guest's settings, by variable, that point it at this simulator.
    pub fn settings(&self) -> &[(String, String)] {
        &self.settings
    }

    /// What is being served, for the log.
    pub fn summary(&self) -> &str {
        &self.summary
    }

    /// The simulator itself.
    pub fn simulator(&self) -> &RunningSim {
        &self.simulator
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_demo_points_the_guest_at_the_chosen_generation_with_its_key() {
        let args = DemoArgs {
            demo_contacts: 3,
            demo_seed: 1,
        };
        let v1 = Demo::start(&args, &|_| None).await.unwrap();
        let base = v1.simulator().v1_base_url();
        assert_eq!(
            v1.settings(),
            [
                (API_KEY_ENV.to_owned(), DEMO_API_KEY.to_owned()),
                (BASE_URL_ENV.to_owned(), base.clone()),
            ]
        );
        assert!(
            v1.summary().contains("3 seeded contacts"),
            "{}",
            v1.summary()
        );
        let legacy = Demo::start(&args, &|name| {
            (name == API_GENERATION_ENV).then(|| "legacy".to_owned())
        })
        .await
        .unwrap();
        assert_eq!(legacy.settings()[1].1, legacy.simulator().legacy_base_url());
        assert_eq!(v1.simulator().api_key(), DEMO_API_KEY);
    }
}
