//! Passes between calls (`wit/maintenance.wit`): the host lets a component
//! bring what its instances keep up to date while no call waits for it.
//!
//! The contract read as typed values, like `server.rs`: the records are
//! the WIT ones field for field, and wasmtime checks the export's type
//! before the first pass.

use std::time::Duration;

use anyhow::{Context, Result};
use wasmtime::Store;
use wasmtime::component::{ComponentExportIndex, ComponentType, Instance, Lift};

use super::store::GuestState;

/// The variable passed to every instance of a component that exports
/// `maintenance`, valued [`MaintenancePolicy::interval`] in seconds: it
/// tells the component that passes run (`wit/maintenance.wit`).
pub const MAINTENANCE_ENV: &str = "MCP_HOST_MAINTENANCE";

/// `pass-outcome`: what a pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ComponentType, Lift)]
#[component(enum)]
#[repr(u8)]
pub enum PassOutcome {
    /// Nothing was due.
    #[component(name = "nothing-due")]
    NothingDue,
    /// Took up what another instance stored.
    #[component(name = "loaded")]
    Loaded,
    /// Read its data again.
    #[component(name = "refreshed")]
    Refreshed,
    /// The work was due but failed.
    #[component(name = "failed")]
    Failed,
}

impl PassOutcome {
    /// The outcome as a log and metric label.
    pub fn label(self) -> &'static str {
        match self {
            PassOutcome::NothingDue => "nothing_due",
            PassOutcome::Loaded => "loaded",
            PassOutcome::Refreshed => "refreshed",
            PassOutcome::Failed => "failed",
        }
    }
}

/// `pass`: what one pass did and when the next is worth running.
#[derive(Debug, Clone, PartialEq, Eq, ComponentType, Lift)]
#[component(record)]
pub struct Pass {
    /// What was done.
    pub outcome: PassOutcome,
    /// Seconds until the next pass is worth running.
    #[component(name = "next-in-seconds")]
    pub next_in_seconds: Option<u32>,
    /// One line for the operator.
    pub summary: String,
}

/// How often passes run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaintenancePolicy {
    /// The longest wait between two passes, whatever the component asks;
    /// also the wait when no instance is idle or the component names no
    /// time.
    pub interval: Duration,
    /// The shortest wait, so that a component answering "now" cannot
    /// keep the host busy.
    pub min_wait: Duration,
}

impl Default for MaintenancePolicy {
    /// A pass at least every 30 seconds and at most every second.
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(30),
            min_wait: Duration::from_secs(1),
        }
    }
}

impl MaintenancePolicy {
    /// The wait before the next pass, given what the passes just run
    /// asked for (`None`: they named no time, or none ran).
    pub fn next_wait(&self, asked: Option<u32>) -> Duration {
        asked
            .map(|seconds| Duration::from_secs(u64::from(seconds)))
            .unwrap_or(self.interval)
            .clamp(self.min_wait, self.interval.max(self.min_wait))
    }
}

/// Calls `maintenance.run` at `index`.
pub(super) async fn run(
    store: &mut Store<GuestState>,
    instance: &Instance,
    index: ComponentExportIndex,
) -> Result<Pass> {
    let run = instance
        .get_typed_func::<(), (Pass,)>(&mut *store, index)
        .map_err(anyhow::Error::from)
        .context("the component's `maintenance.run` is not the one of wit/maintenance.wit")?;
    let (pass,) = run
        .call_async(&mut *store, ())
        .await
        .map_err(anyhow::Error::from)
        .context("the component's `maintenance.run` failed")?;
    Ok(pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_follows_the_component_within_the_policy() {
        let policy = MaintenancePolicy {
            interval: Duration::from_secs(30),
            min_wait: Duration::from_secs(1),
        };
        assert_eq!(policy.next_wait(Some(5)), Duration::from_secs(5));
        assert_eq!(
            policy.next_wait(Some(0)),
            Duration::from_secs(1),
            "not busy"
        );
        assert_eq!(
            policy.next_wait(Some(600)),
            Duration::from_secs(30),
            "capped"
        );
        assert_eq!(policy.next_wait(None), Duration::from_secs(30));
    }
}
