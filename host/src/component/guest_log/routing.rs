//! Where the reports of the call running in an instance go.
//!
//! An instance, and so its stderr, outlives its calls (instances are warm
//! and reused), while a progress token belongs to one call. So the stderr
//! holds a [`ReportSlot`] that the runner fills with the call's
//! [`CallReports`] when the call starts and empties when it ends; a report
//! written between calls (while instantiating) has nowhere to go and is
//! only logged.

use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use super::report::{GuestReport, ProgressReport};
use crate::metrics::{GuestLabelsExhausted, GuestMetrics};

/// The reports of the call running now, if any; shared by an instance's
/// store (which fills it) and its stderr (which reads it).
pub type ReportSlot = Arc<Mutex<Option<CallReports>>>;

/// Where one call's reports go: events and timings to the metrics,
/// progress to whoever asked for it (see [`CallReports::forward_progress`]).
#[derive(Debug)]
pub struct CallReports {
    metrics: GuestMetrics,
    progress: Option<ProgressGate>,
}

/// Passes on progress that goes forward, and only the latest of it: a
/// reader that falls behind skips values rather than queueing them.
#[derive(Debug)]
struct ProgressGate {
    last: Option<f64>,
    latest: watch::Sender<Option<ProgressReport>>,
}

/// A report that was read but went nowhere.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NotRouted {
    /// Counting it would have made one label set too many.
    #[error(transparent)]
    Labels(#[from] GuestLabelsExhausted),
    /// MCP progress must grow from one notification to the next.
    #[error("progress {progress} is not past the last reported {last}")]
    ProgressBehind {
        /// What the guest reported.
        progress: f64,
        /// What it reported before.
        last: f64,
    },
}

impl CallReports {
    /// Reports counted into `metrics`, with progress ignored.
    pub fn new(metrics: GuestMetrics) -> Self {
        Self {
            metrics,
            progress: None,
        }
    }

    /// Passes the call's progress on from now: the receiver sees the
    /// latest progress reported, each one past the one before, and is
    /// closed when the call ends.
    pub fn forward_progress(&mut self) -> watch::Receiver<Option<ProgressReport>> {
        let (latest, receiver) = watch::channel(None);
        self.progress = Some(ProgressGate { last: None, latest });
        receiver
    }

    /// Sends `report` where it goes.
    pub fn route(&mut self, report: GuestReport) -> Result<(), NotRouted> {
        match report {
            GuestReport::Event { name, outcome } => self.metrics.event(&name, &outcome)?,
            GuestReport::Timing { name, seconds } => self.metrics.timing(&name, seconds)?,
            GuestReport::Progress(progress) => {
                if let Some(gate) = &mut self.progress {
                    gate.pass(progress)?;
                }
            }
        }
        Ok(())
    }
}

impl ProgressGate {
    fn pass(&mut self, report: ProgressReport) -> Result<(), NotRouted> {
        if let Some(last) = self.last
            && report.progress <= last
        {
            return Err(NotRouted::ProgressBehind {
                progress: report.progress,
                last,
            });
        }
        self.last = Some(report.progress);
        // No receiver left (the client is gone) is no concern of the guest.
        self.latest.send_replace(Some(report));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metrics;

    fn progress(value: f64) -> GuestReport {
        GuestReport::Progress(ProgressReport {
            progress: value,
            total: Some(10.0),
            message: None,
        })
    }

    #[test]
    fn progress_that_does_not_grow_is_dropped() {
        let mut reports = CallReports::new(GuestMetrics::default());
        let mut receiver = reports.forward_progress();
        reports.route(progress(1.0)).unwrap();
        reports.route(progress(3.0)).unwrap();
        assert_eq!(
            reports.route(progress(3.0)),
            Err(NotRouted::ProgressBehind {
                progress: 3.0,
                last: 3.0
            })
        );
        assert!(reports.route(progress(2.0)).is_err());
        let latest = receiver.borrow_and_update().clone().unwrap();
        assert_eq!(latest.progress, 3.0);
        reports.route(progress(4.0)).unwrap();
        assert!(receiver.has_changed().unwrap());
    }

    #[test]
    fn progress_is_ignored_when_nobody_asked_for_it() {
        let mut reports = CallReports::new(GuestMetrics::default());
        assert_eq!(reports.route(progress(2.0)), Ok(()));
        assert_eq!(reports.route(progress(1.0)), Ok(()));
    }

    #[test]
    fn the_receiver_is_closed_when_the_call_ends() {
        let mut reports = CallReports::new(GuestMetrics::default());
        let mut receiver = reports.forward_progress();
        reports.route(progress(1.0)).unwrap();
        drop(reports);
        // The last value is still there to be read, then the end shows.
        assert!(receiver.has_changed().is_err());
        assert_eq!(receiver.borrow_and_update().clone().unwrap().progress, 1.0);
    }

    #[test]
    fn events_and_timings_reach_the_metrics() {
        let metrics = Metrics::new();
        let mut reports = CallReports::new(metrics.guest.clone());
        reports
            .route(GuestReport::Event {
                name: "account_cache".into(),
                outcome: "miss".into(),
            })
            .unwrap();
        reports
            .route(GuestReport::Timing {
                name: "account_read".into(),
                seconds: 0.25,
            })
            .unwrap();
        let text = metrics.encode((0, 0));
        assert!(
            text.contains(r#"dex_mcp_guest_events_total{name="account_cache",outcome="miss"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(r#"dex_mcp_guest_timing_seconds_count{name="account_read"} 1"#),
            "{text}"
        );
    }

    #[test]
    fn label_sets_past_the_cap_are_refused() {
        let mut reports = CallReports::new(GuestMetrics::default());
        for i in 0..crate::metrics::MAX_GUEST_LABEL_SETS {
            reports
                .route(GuestReport::Event {
                    name: format!("n{i}"),
                    outcome: "x".into(),
                })
                .unwrap();
        }
        assert!(matches!(
            reports.route(GuestReport::Timing {
                name: "late".into(),
                seconds: 1.0
            }),
            Err(NotRouted::Labels(_))
        ));
    }
}
