//! Maintenance between calls (`wit/maintenance.wit`): the host asks an
//! idle instance whether what it keeps is due for replacing, and gets new
//! instances ready beside the serving ones, so that no call waits.
//!
//! The contract read as typed values, like `server.rs`: the records are
//! the WIT ones field for field, and wasmtime checks the export's type
//! before the first pass.

use std::time::Duration;

use anyhow::Result;
use wasmtime::Store;
use wasmtime::component::{ComponentExportIndex, ComponentType, Instance, Lift};

use super::store::GuestState;
use super::typed_export;

/// The variable passed to every instance of a component that exports
/// `maintenance`, valued [`MaintenancePolicy::interval`] in seconds: it
/// tells the component that rounds run (`wit/maintenance.wit`).
pub const MAINTENANCE_ENV: &str = "MCP_HOST_MAINTENANCE";

/// `schedule`: what `due` found.
#[derive(Debug, Clone, PartialEq, Eq, ComponentType, Lift)]
#[component(record)]
pub struct Schedule {
    /// New instances should be prepared now.
    pub due: bool,
    /// When nothing is due: seconds until `due` is next worth calling.
    #[component(name = "next-in-seconds")]
    pub next_in_seconds: Option<u32>,
    /// Why, for the log.
    pub reason: String,
}

/// `outcome`: what `prepare` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ComponentType, Lift)]
#[component(enum)]
#[repr(u8)]
pub enum Outcome {
    /// Took up what another instance stored.
    #[component(name = "loaded")]
    Loaded,
    /// Read its data from the service.
    #[component(name = "refreshed")]
    Refreshed,
    /// Could not get ready; must not serve.
    #[component(name = "failed")]
    Failed,
}

/// `preparation`: what one `prepare` did.
#[derive(Debug, Clone, PartialEq, Eq, ComponentType, Lift)]
#[component(record)]
pub struct Preparation {
    /// The outcome.
    pub outcome: Outcome,
    /// What was done, for the log.
    pub summary: String,
}

/// The component's `maintenance` functions.
#[derive(Debug, Clone, Copy)]
pub struct MaintenanceExports {
    /// `due`.
    pub due: ComponentExportIndex,
    /// `prepare`.
    pub prepare: ComponentExportIndex,
}

/// How often maintenance rounds run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaintenancePolicy {
    /// The longest wait between two rounds, whatever the component asks;
    /// also the wait when no instance is idle or the component names no
    /// time.
    pub interval: Duration,
    /// The shortest wait, so that a component answering "now" cannot
    /// keep the host busy.
    pub min_wait: Duration,
}

impl Default for MaintenancePolicy {
    /// A round at least every 30 seconds and at most every second.
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(30),
            min_wait: Duration::from_secs(1),
        }
    }
}

impl MaintenancePolicy {
    /// The wait before the next round, given what this one asked for
    /// (`None`: it named no time, or nothing was asked).
    pub fn next_wait(&self, asked: Option<u32>) -> Duration {
        asked
            .map(|seconds| Duration::from_secs(u64::from(seconds)))
            .unwrap_or(self.interval)
            .clamp(self.min_wait, self.interval.max(self.min_wait))
    }
}

/// Calls `maintenance.due` at `index`.
pub(super) async fn due(
    store: &mut Store<GuestState>,
    instance: &Instance,
    index: ComponentExportIndex,
) -> Result<Schedule> {
    typed_export::call(
        store,
        instance,
        index,
        "`maintenance.due` (wit/maintenance.wit)",
    )
    .await
}

/// Calls `maintenance.prepare` at `index`.
pub(super) async fn prepare(
    store: &mut Store<GuestState>,
    instance: &Instance,
    index: ComponentExportIndex,
) -> Result<Preparation> {
    typed_export::call(
        store,
        instance,
        index,
        "`maintenance.prepare` (wit/maintenance.wit)",
    )
    .await
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
