//! Clients that call tools over Streamable HTTP as fast as answers come:
//! each holds one keep-alive HTTP/1.1 connection (hyper's low-level
//! client, `TCP_NODELAY` set) and has one call in flight at a time, like
//! an assistant waiting for each tool result.
//!
//! The request bodies are built before the clock starts, so what is timed
//! is the round trip: send, server work, read the whole answer.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use http::HeaderValue;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use crate::mcp_wire::{Framing, read_call_answer, tools_call_body, tools_call_request};
use crate::stats::Samples;
use crate::workload::{ECHO, Mix, PlannedCall, Workload};

/// When a load run stops: at a moment, or after a number of calls shared
/// by all its clients.
#[derive(Debug, Clone)]
pub enum Budget {
    /// Calls start until then.
    Until(Instant),
    /// This many calls in all.
    Calls(Arc<AtomicI64>),
}

impl Budget {
    /// A budget of `calls` calls.
    pub fn calls(calls: u64) -> Self {
        Self::Calls(Arc::new(AtomicI64::new(
            i64::try_from(calls).unwrap_or(i64::MAX),
        )))
    }

    /// Whether one more call may start (and, for a call budget, takes it).
    pub fn take(&self) -> bool {
        match self {
            Self::Until(deadline) => Instant::now() < *deadline,
            Self::Calls(remaining) => remaining.fetch_sub(1, Ordering::Relaxed) > 0,
        }
    }
}

/// What the clients call.
#[derive(Clone)]
pub enum Plan {
    /// Dex tools drawn from `workload` in the shares of `mix`.
    Dex {
        /// The account's queries and write targets.
        workload: Arc<Workload>,
        /// Shares of the tools.
        mix: Mix,
    },
    /// The echo baseline's one tool.
    Echo,
}

impl Plan {
    /// The next call.
    pub fn draw(&self, seq: u64, rng: &mut ChaCha8Rng) -> PlannedCall {
        match self {
            Self::Dex { workload, mix } => workload.draw(*mix, rng),
            Self::Echo => PlannedCall {
                tool: ECHO,
                arguments: json!({ "text": format!("hello {seq}") }),
                marker: None,
            },
        }
    }
}

/// The writes a client made, by marker.
#[derive(Debug, Default, Clone)]
pub struct WriteLog {
    /// Writes the server said it made: each must be in Dex exactly once.
    pub acknowledged: Vec<String>,
    /// Writes that failed: each may be in Dex at most once.
    pub failed: Vec<String>,
}

impl WriteLog {
    /// Adds `other`'s writes.
    pub fn merge(&mut self, other: WriteLog) {
        self.acknowledged.extend(other.acknowledged);
        self.failed.extend(other.failed);
    }
}

/// What one client saw.
#[derive(Debug, Default)]
pub struct ClientReport {
    /// Latencies and errors per tool.
    pub samples: Samples,
    /// Its writes.
    pub writes: WriteLog,
}

/// One keep-alive connection to an MCP endpoint.
struct Connection {
    addr: SocketAddr,
    authority: HeaderValue,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Connection {
    fn new(addr: SocketAddr) -> Self {
        let authority = HeaderValue::from_str(&addr.to_string()).expect("an address is a header");
        Self {
            addr,
            authority,
            sender: None,
        }
    }

    async fn sender(&mut self) -> Result<&mut SendRequest<Full<Bytes>>> {
        if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
            let stream = tokio::net::TcpStream::connect(self.addr)
                .await
                .with_context(|| format!("connecting to {}", self.addr))?;
            stream.set_nodelay(true)?;
            let (sender, connection) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(connection);
            self.sender = Some(sender);
        }
        Ok(self.sender.as_mut().expect("just connected"))
    }

    /// Sends one `tools/call` and reads its answer.
    async fn call(&mut self, tool: &str, body: Bytes) -> Result<serde_json::Value> {
        let request = tools_call_request(&self.authority, tool, body);
        let sender = self.sender().await?;
        sender.ready().await?;
        let response = match sender.send_request(request).await {
            Ok(response) => response,
            Err(err) => {
                self.sender = None;
                return Err(err).context("sending the request");
            }
        };
        let status = response.status();
        let framing = Framing::of(response.headers().get(http::header::CONTENT_TYPE));
        let body = response
            .into_body()
            .collect()
            .await
            .context("reading the answer")?
            .to_bytes();
        if !status.is_success() {
            bail!("HTTP {status}: {}", String::from_utf8_lossy(&body));
        }
        read_call_answer(framing?, &body)
    }
}

/// Runs one client against `addr` until `budget` runs out.
pub async fn run_client(addr: SocketAddr, plan: Plan, budget: Budget, seed: u64) -> ClientReport {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut connection = Connection::new(addr);
    let mut report = ClientReport::default();
    let mut seq = 0u64;
    while budget.take() {
        seq += 1;
        let call = plan.draw(seq, &mut rng);
        let body = tools_call_body(seq, call.tool, &call.arguments);
        let started = Instant::now();
        let outcome = connection.call(call.tool, body).await;
        let elapsed = started.elapsed();
        record(&mut report, &call, outcome.map(|_| elapsed));
    }
    report
}

/// Adds one call's outcome to `report`.
pub fn record(report: &mut ClientReport, call: &PlannedCall, outcome: Result<Duration>) {
    match outcome {
        Ok(elapsed) => {
            report.samples.ok(call.tool, elapsed);
            if let Some(marker) = &call.marker {
                report.writes.acknowledged.push(marker.clone());
            }
        }
        Err(err) => {
            report.samples.error(call.tool, format!("{err:#}"));
            if let Some(marker) = &call.marker {
                report.writes.failed.push(marker.clone());
            }
        }
    }
}

/// Runs `clients` clients at once against `addr`; their reports merged,
/// and the wall-clock time from the first call to the last answer.
pub async fn run_clients(
    addr: SocketAddr,
    plan: &Plan,
    budget: &Budget,
    clients: usize,
    seed: u64,
) -> (ClientReport, Duration) {
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|i| {
            tokio::spawn(run_client(
                addr,
                plan.clone(),
                budget.clone(),
                seed.wrapping_add(i as u64),
            ))
        })
        .collect();
    let mut merged = ClientReport::default();
    for handle in handles {
        let report = handle.await.expect("a client task does not panic");
        merged.samples.merge(report.samples);
        merged.writes.merge(report.writes);
    }
    (merged, started.elapsed())
}

/// One call, for the warm-up: `Ok` with its latency, or why it failed.
pub async fn call_once(addr: SocketAddr, call: &PlannedCall) -> Result<Duration> {
    let mut connection = Connection::new(addr);
    let body = tools_call_body(0, call.tool, &call.arguments);
    let started = Instant::now();
    connection.call(call.tool, body).await?;
    Ok(started.elapsed())
}
