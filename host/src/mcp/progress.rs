//! A call's progress, from the guest's reports to `notifications/progress`.
//!
//! A guest may report progress far more often than a client wants to hear
//! it (once per page read, or per record). The first report is passed on at
//! once, later ones at most once per [`MIN_INTERVAL`] (only the latest of
//! those in between), and the last one as soon as the call ends, so that
//! the client's last notification says where the call got to and arrives
//! before its result.

use std::future::Future;
use std::time::Duration;

use rmcp::RoleServer;
use rmcp::model::{ProgressNotificationParam, ProgressToken};
use rmcp::service::Peer;
use tokio::sync::watch;
use tokio::time::Instant;

use crate::component::ProgressReport;

/// Shortest time between two notifications of one call.
pub const MIN_INTERVAL: Duration = Duration::from_millis(100);

/// Sends the progress seen on `latest` to the client as notifications for
/// `token`, until the call ends (the channel closes) or the client is gone.
pub async fn notify(
    latest: watch::Receiver<Option<ProgressReport>>,
    peer: Peer<RoleServer>,
    token: ProgressToken,
) {
    forward(latest, MIN_INTERVAL, |report| {
        let peer = peer.clone();
        let mut param = ProgressNotificationParam::new(token.clone(), report.progress);
        param.total = report.total;
        param.message = report.message;
        async move { peer.notify_progress(param).await.is_ok() }
    })
    .await;
}

/// Passes what `latest` holds to `send`, at most once per `interval` but
/// for the last value, which goes as soon as the channel closes. Stops
/// when `send` answers `false`.
pub async fn forward<F, Fut>(
    mut latest: watch::Receiver<Option<ProgressReport>>,
    interval: Duration,
    mut send: F,
) where
    F: FnMut(ProgressReport) -> Fut,
    Fut: Future<Output = bool>,
{
    let mut last_sent: Option<Instant> = None;
    while latest.changed().await.is_ok() {
        if let Some(sent) = last_sent {
            tokio::select! {
                () = tokio::time::sleep_until(sent + interval) => {}
                () = closed(latest.clone()) => {}
            }
        }
        let Some(report) = latest.borrow_and_update().clone() else {
            continue;
        };
        if !send(report).await {
            return;
        }
        last_sent = Some(Instant::now());
    }
}

/// Completes when the sending side of `probe` is gone.
async fn closed<T>(mut probe: watch::Receiver<T>) {
    probe.mark_unchanged();
    while probe.changed().await.is_ok() {}
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    fn at(progress: f64) -> Option<ProgressReport> {
        Some(ProgressReport {
            progress,
            total: None,
            message: None,
        })
    }

    /// Runs `forward` over a channel fed by `feed`, on paused time, and
    /// returns the progress values sent and when (ms after the start).
    async fn sent_by<Feed, FeedFut>(feed: Feed) -> Vec<(f64, u128)>
    where
        Feed: FnOnce(watch::Sender<Option<ProgressReport>>) -> FeedFut,
        FeedFut: Future<Output = ()>,
    {
        let start = Instant::now();
        let (tx, rx) = watch::channel(None);
        let sent = Arc::new(Mutex::new(Vec::new()));
        let record = sent.clone();
        let forwarder = tokio::spawn(forward(rx, MIN_INTERVAL, move |report| {
            record
                .lock()
                .unwrap()
                .push((report.progress, start.elapsed().as_millis()));
            async { true }
        }));
        feed(tx).await;
        forwarder.await.unwrap();
        Arc::try_unwrap(sent).unwrap().into_inner().unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_goes_at_once_then_at_most_one_per_interval_and_the_last() {
        let sent = sent_by(|tx| async move {
            // 50 reports 10 ms apart: 500 ms of progress.
            for i in 1..=50 {
                tx.send_replace(at(f64::from(i)));
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            tokio::time::sleep(Duration::from_millis(30)).await;
            tx.send_replace(at(51.0));
        })
        .await;
        assert_eq!(sent.first(), Some(&(1.0, 0)));
        assert_eq!(sent.last().map(|s| s.0), Some(51.0));
        for pair in sent.windows(2) {
            assert!(pair[1].0 > pair[0].0, "{sent:?}");
        }
        // Not counting the last, which may come early, no two are closer
        // than the interval.
        for pair in sent[..sent.len() - 1].windows(2) {
            assert!(
                pair[1].1 - pair[0].1 >= MIN_INTERVAL.as_millis(),
                "{sent:?}"
            );
        }
        assert!(sent.len() <= 7, "{sent:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn the_last_value_goes_as_soon_as_the_call_ends() {
        let sent = sent_by(|tx| async move {
            tx.send_replace(at(1.0));
            tokio::time::sleep(Duration::from_millis(5)).await;
            tx.send_replace(at(2.0));
            tokio::time::sleep(Duration::from_millis(5)).await;
            drop(tx);
        })
        .await;
        assert_eq!(sent, vec![(1.0, 0), (2.0, 10)]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_that_reports_nothing_sends_nothing() {
        let sent = sent_by(|tx| async move { drop(tx) }).await;
        assert!(sent.is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn forwarding_stops_when_the_client_is_gone() {
        let (tx, rx) = watch::channel(None);
        let calls = Arc::new(Mutex::new(0));
        let count = calls.clone();
        let forwarder = tokio::spawn(forward(rx, MIN_INTERVAL, move |_| {
            *count.lock().unwrap() += 1;
            async { false }
        }));
        tx.send_replace(at(1.0));
        tokio::time::sleep(Duration::from_millis(200)).await;
        tx.send_replace(at(2.0));
        forwarder.await.unwrap();
        assert_eq!(*calls.lock().unwrap(), 1);
    }
}
