//! The guest's stderr, re-emitted line by line as tracing events.
//!
//! A guest's panics and log lines are for the operator. Written straight to
//! the host's stderr they would carry no context; as events of target
//! `dex_mcp::guest`, they are emitted inside the span of the tool call that
//! wrote them (the call runs on the thread that polls its future), so each
//! line carries that call's `request_id` and tool name, and obeys
//! `DEX_MCP_LOG`.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use tokio::io::AsyncWrite;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamResult};

/// Longest line kept whole; longer ones are emitted in pieces of this size,
/// so a guest cannot grow the host's buffer without bound.
const MAX_LINE: usize = 8 * 1024;

/// The `stderr` given to every guest instance.
#[derive(Debug, Clone, Copy, Default)]
pub struct GuestStderr;

impl IsTerminal for GuestStderr {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for GuestStderr {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(LineEmitter::default())
    }

    fn async_stream(&self) -> Box<dyn AsyncWrite + Send + Sync> {
        Box::new(LineEmitter::default())
    }
}

/// Buffers bytes until a newline, then emits the line as an event.
#[derive(Debug, Default)]
struct LineEmitter {
    pending: Vec<u8>,
}

impl LineEmitter {
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
        if !line.is_empty() {
            tracing::info!(target: "dex_mcp::guest", "{line}");
        }
        self.pending.clear();
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
            let mut emitter = LineEmitter::default();
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
}
