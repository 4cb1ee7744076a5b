//! The guest's stderr, re-emitted line by line as tracing events.
//!
//! A guest's panics and log lines are for the operator. Written straight to
//! the host's stderr they would carry no context; as events of target
//! `dex_mcp::guest`, they are emitted inside the span of the tool call that
//! wrote them (the call runs on the thread that polls its future), so each
//! line carries that call's `request_id` and tool name, and obeys
//! `DEX_MCP_LOG`.
//!
//! Lines that follow the report protocol ([`report`]: progress, events,
//! timings) are not log lines: they go where the running call's
//! [`CallReports`] send them, and are logged at debug only.

mod report;
mod routing;

pub use report::{GuestReport, ProgressReport};
pub use routing::{CallReports, ReportSlot};

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use tokio::io::AsyncWrite;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamResult};

/// Longest line kept whole; longer ones are emitted in pieces of this size,
/// so a guest cannot grow the host's buffer without bound.
const MAX_LINE: usize = 8 * 1024;

/// The `stderr` given to every guest instance: it reads reports into the
/// instance's [`ReportSlot`].
#[derive(Debug, Clone, Default)]
pub struct GuestStderr {
    reports: ReportSlot,
}

impl GuestStderr {
    /// A stderr whose reports go to the call in `reports`.
    pub fn new(reports: ReportSlot) -> Self {
        Self { reports }
    }
}

impl IsTerminal for GuestStderr {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for GuestStderr {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(LineEmitter::new(self.reports.clone()))
    }

    fn async_stream(&self) -> Box<dyn AsyncWrite + Send + Sync> {
        Box::new(LineEmitter::new(self.reports.clone()))
    }
}

/// Buffers bytes until a newline, then emits the line as an event, or
/// routes it when it is a report.
#[derive(Debug)]
struct LineEmitter {
    pending: Vec<u8>,
    reports: ReportSlot,
}

impl LineEmitter {
    fn new(reports: ReportSlot) -> Self {
        Self {
            pending: Vec::new(),
            reports,
        }
    }

    fn push(&mut self, mut bytes: &[u8]) {
        while let Some(end) = bytes.iter().position(|&b| b == b'\n') {
            self.pending.extend_from_slice(&bytes[..end]);
            self.emit();
            bytes = &bytes[end + 1..];
        }
        self.pending.extend_from_slice(bytes);
        while self.pending.len() >= MAX_LINE {
            let rest = self.pending.split_off(MAX_LINE);
            self.emit();
            self.pending = rest;
        }
    }

    fn emit(&mut self) {
        let line = String::from_utf8_lossy(&self.pending);
        let line = line.trim_end_matches('\r');
        match report::parse(line) {
            _ if line.is_empty() => {}
            None => tracing::info!(target: "dex_mcp::guest", "{line}"),
            Some(Ok(report)) => self.route(report, line),
            Some(Err(err)) => {
                tracing::warn!(target: "dex_mcp::guest", "report line ignored: {err}: {line}");
            }
        }
        self.pending.clear();
    }

    fn route(&self, report: GuestReport, line: &str) {
        let mut call = self.reports.lock().expect("report slot lock");
        let Some(call) = call.as_mut() else {
            tracing::debug!(target: "dex_mcp::guest", "report outside a call: {line}");
            return;
        };
        match call.route(report) {
            Ok(()) => tracing::debug!(target: "dex_mcp::guest", "{line}"),
            Err(err @ routing::NotRouted::ProgressBehind { .. }) => {
                tracing::debug!(target: "dex_mcp::guest", "progress dropped: {err}");
            }
            Err(err) => tracing::warn!(target: "dex_mcp::guest", "report not counted: {err}"),
        }
    }
}

impl Drop for LineEmitter {
    fn drop(&mut self) {
        self.emit();
    }
}

impl OutputStream for LineEmitter {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        self.push(&bytes);
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(MAX_LINE)
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for LineEmitter {
    async fn ready(&mut self) {}
}

impl AsyncWrite for LineEmitter {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.push(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.emit();
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(writes: &[&[u8]]) -> Vec<String> {
        use std::sync::{Arc, Mutex};
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || CaptureWriter(sink.clone()))
            .with_ansi(false)
            .without_time()
            .with_level(false)
            .with_target(false)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            let mut emitter = LineEmitter::new(ReportSlot::default());
            for write in writes {
                emitter.push(write);
            }
        });
        let text = String::from_utf8(seen.lock().unwrap().clone()).unwrap();
        text.lines().map(|l| l.trim().to_owned()).collect()
    }

    struct CaptureWriter(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for CaptureWriter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_split_across_writes_are_joined() {
        assert_eq!(
            lines_of(&[b"thread panicked at ", b"src/lib.rs:3\nnext", b" line\n"]),
            ["thread panicked at src/lib.rs:3", "next line"]
        );
    }

    #[test]
    fn unterminated_last_line_is_emitted_when_the_stream_closes() {
        assert_eq!(lines_of(&[b"no newline"]), ["no newline"]);
    }

    #[test]
    fn blank_lines_are_dropped_and_overlong_lines_split() {
        let long = vec![b'a'; MAX_LINE + 5];
        let lines = lines_of(&[b"\n\r\n", &long, b"\n"]);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].len(), MAX_LINE);
        assert_eq!(lines[1], "aaaaa");
    }

    #[test]
    fn report_lines_are_routed_to_the_call_and_not_logged_at_info() {
        let metrics = crate::metrics::Metrics::new();
        let slot = ReportSlot::default();
        let mut reports = CallReports::new(metrics.guest.clone());
        let mut progress = reports.forward_progress();
        *slot.lock().unwrap() = Some(reports);
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = seen.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || CaptureWriter(sink.clone()))
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            let mut emitter = LineEmitter::new(slot.clone());
            emitter.push(
                b"before\nmcp-host:event {\"name\": \"account_cache\", \"outcome\": \"miss\"}\n",
            );
            emitter.push(
                b"mcp-host:progress {\"progress\": 5}\nmcp-host:event {\"name\": \"Bad\"}\nafter\n",
            );
        });
        let text = String::from_utf8(seen.lock().unwrap().clone()).unwrap();
        assert!(text.contains("before") && text.contains("after"), "{text}");
        assert!(!text.contains("account_cache"), "{text}");
        assert!(
            text.contains("WARN") && text.contains("report line ignored"),
            "{text}"
        );
        assert_eq!(progress.borrow_and_update().clone().unwrap().progress, 5.0);
        assert!(
            metrics
                .encode((0, 0))
                .contains(r#"dex_mcp_guest_events_total{name="account_cache",outcome="miss"} 1"#)
        );
    }

    #[test]
    fn reports_outside_a_call_are_dropped() {
        let mut emitter = LineEmitter::new(ReportSlot::default());
        emitter.push(b"mcp-host:timing {\"name\": \"account_read\", \"seconds\": 1}\n");
        assert!(emitter.pending.is_empty());
    }
}
