//! Prometheus metrics: what the server counts and the endpoint that serves
//! them (opt-in, `--metrics ADDR`).
//!
//! Counted everywhere, always (a counter increment is a few nanoseconds);
//! served only when asked for. The metric families:
//!
//! | metric | labels | counted in |
//! |---|---|---|
//! | `dex_mcp_tool_calls_total` | `tool`, `outcome` | [`crate::mcp`] |
//! | `dex_mcp_tool_call_duration_seconds` (histogram) | `tool` | [`crate::mcp`] |
//! | `dex_mcp_upstream_requests_total` | `method`, `endpoint`, `status` | [`crate::outbound_http`] |
//! | `dex_mcp_guest_traps_total` | `kind` | [`crate::mcp`] |
//! | `dex_mcp_instances_in_use` / `dex_mcp_instances_warm` | | read when scraped |
//! | `dex_mcp_guest_events_total` | `name`, `outcome` | the guest's `mcp-host:event` lines |
//! | `dex_mcp_guest_timing_seconds` (histogram) | `name` | the guest's `mcp-host:timing` lines |
//!
//! The guest families carry what only the guest knows (its account cache
//! lives in its memory: hits, misses, how long a read took). The guest
//! reports them on its stderr (see `crate::component::GuestReport`); the
//! host knows nothing of their names beyond their shape, and caps how many
//! label sets they may create ([`MAX_GUEST_LABEL_SETS`]).

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::AtomicI64;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use axum::extract::State;
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    tool: String,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ToolLabels {
    tool: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UpstreamLabels {
    method: String,
    endpoint: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TrapLabels {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct GuestEventLabels {
    name: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct GuestTimingLabels {
    name: String,
}

type DurationFamily = Family<ToolLabels, Histogram, fn() -> Histogram>;
type GuestTimingFamily = Family<GuestTimingLabels, Histogram, fn() -> Histogram>;

fn duration_histogram() -> Histogram {
    // 5 ms to about 80 s: a warm lookup to a cold read of a large account.
    Histogram::new(exponential_buckets(0.005, 2.0, 15))
}

/// Upstream request counts: a handle the outbound hook holds. A default
/// one counts into nothing that is served (for tests and tools).
#[derive(Clone, Debug, Default)]
pub struct UpstreamMetrics {
    requests: Family<UpstreamLabels, Counter>,
}

impl UpstreamMetrics {
    /// Counts one request to `path` (ids collapsed, see [`endpoint`]) that
    /// ended with `status`: an HTTP status code, or `denied`, `over_limit`,
    /// `bad_placeholder`, `error` when no answer came.
    pub fn request(&self, method: &http::Method, path: &str, status: &str) {
        self.requests
            .get_or_create(&UpstreamLabels {
                method: method.as_str().to_owned(),
                endpoint: endpoint(path),
                status: status.to_owned(),
            })
            .inc();
    }
}

fn guest_timing_histogram() -> Histogram {
    // 1 ms to about 65 s: an index rebuild to a cold read of a large account.
    Histogram::new(exponential_buckets(0.001, 2.0, 17))
}

/// Most label sets the guest's reports may create, events and timings
/// together. A guest names its own metrics; without a cap, a buggy one
/// (a name built from a contact id, say) would grow the exposition, and
/// the memory behind it, without bound.
pub const MAX_GUEST_LABEL_SETS: usize = 64;

/// A guest report that would have created one label set more than
/// [`MAX_GUEST_LABEL_SETS`]; it was not counted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the component's metrics already have {MAX_GUEST_LABEL_SETS} label sets; `{0}` was not counted"
)]
pub struct GuestLabelsExhausted(String);

/// Events and timings the guest reports: a handle each call's report
/// routing holds. A default one counts into nothing that is served (for
/// tests and tools).
#[derive(Clone, Debug)]
pub struct GuestMetrics {
    events: Family<GuestEventLabels, Counter>,
    timings: GuestTimingFamily,
    label_sets: Arc<Mutex<HashSet<String>>>,
}

impl Default for GuestMetrics {
    fn default() -> Self {
        Self {
            events: Family::default(),
            timings: Family::new_with_constructor(guest_timing_histogram),
            label_sets: Arc::default(),
        }
    }
}

impl GuestMetrics {
    /// Counts one event `name` that ended with `outcome` (both already
    /// checked to be short `[a-z0-9_]` names).
    pub fn event(&self, name: &str, outcome: &str) -> Result<(), GuestLabelsExhausted> {
        self.admit(format!("event {name} {outcome}"))?;
        self.events
            .get_or_create(&GuestEventLabels {
                name: name.to_owned(),
                outcome: outcome.to_owned(),
            })
            .inc();
        Ok(())
    }

    /// Records that `name` took `seconds`.
    pub fn timing(&self, name: &str, seconds: f64) -> Result<(), GuestLabelsExhausted> {
        self.admit(format!("timing {name}"))?;
        self.timings
            .get_or_create(&GuestTimingLabels {
                name: name.to_owned(),
            })
            .observe(seconds);
        Ok(())
    }

    /// Whether the label set `key` exists or may still be created.
    fn admit(&self, key: String) -> Result<(), GuestLabelsExhausted> {
        let mut seen = self.label_sets.lock().expect("label set lock");
        if seen.contains(&key) {
            return Ok(());
        }
        if seen.len() >= MAX_GUEST_LABEL_SETS {
            return Err(GuestLabelsExhausted(key));
        }
        seen.insert(key);
        Ok(())
    }
}

/// Every metric of the process, and the registry that encodes them.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    tool_calls: Family<CallLabels, Counter>,
    durations: DurationFamily,
    traps: Family<TrapLabels, Counter>,
    in_use: Gauge<i64, AtomicI64>,
    warm: Gauge<i64, AtomicI64>,
    /// Handed to the outbound policy.
    pub upstream: UpstreamMetrics,
    /// Handed to each call's guest report routing.
    pub guest: GuestMetrics,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// All families, registered under the `dex_mcp` prefix.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("dex_mcp");
        let tool_calls = Family::<CallLabels, Counter>::default();
        let durations: DurationFamily = Family::new_with_constructor(duration_histogram);
        let traps = Family::<TrapLabels, Counter>::default();
        let in_use = Gauge::<i64, AtomicI64>::default();
        let warm = Gauge::<i64, AtomicI64>::default();
        let upstream = UpstreamMetrics::default();
        let guest = GuestMetrics::default();
        registry.register(
            "tool_calls",
            "Tool calls by tool and outcome (ok, tool_error, bad_arguments, guest_failure, cancelled)",
            tool_calls.clone(),
        );
        registry.register(
            "tool_call_duration_seconds",
            "Duration of tool calls, including waiting for an instance",
            durations.clone(),
        );
        registry.register(
            "upstream_requests",
            "Requests the component sent upstream, by method, endpoint (ids collapsed) and status",
            upstream.requests.clone(),
        );
        registry.register(
            "guest_traps",
            "Calls the component did not finish, by kind (deadline, memory, panic, trap, start)",
            traps.clone(),
        );
        registry.register(
            "instances_in_use",
            "Component instances running a call now",
            in_use.clone(),
        );
        registry.register(
            "instances_warm",
            "Component instances kept warm between calls",
            warm.clone(),
        );
        registry.register(
            "guest_events",
            "Events the component reported (mcp-host:event lines on its stderr), by name and outcome",
            guest.events.clone(),
        );
        registry.register(
            "guest_timing_seconds",
            "Durations the component reported (mcp-host:timing lines on its stderr), by name",
            guest.timings.clone(),
        );
        Self {
            registry,
            tool_calls,
            durations,
            traps,
            in_use,
            warm,
            upstream,
            guest,
        }
    }

    /// Counts a finished tool call and its duration.
    pub fn tool_call(&self, tool: &str, outcome: &'static str, seconds: f64) {
        self.tool_calls
            .get_or_create(&CallLabels {
                tool: tool.to_owned(),
                outcome,
            })
            .inc();
        self.durations
            .get_or_create(&ToolLabels {
                tool: tool.to_owned(),
            })
            .observe(seconds);
    }

    /// Counts a call the guest did not finish.
    pub fn guest_trap(&self, kind: &'static str) {
        self.traps.get_or_create(&TrapLabels { kind }).inc();
    }

    /// The text exposition format, with the instance gauges set to `pool`
    /// (in use, warm).
    pub fn encode(&self, pool: (usize, usize)) -> String {
        self.in_use.set(i64::try_from(pool.0).unwrap_or(i64::MAX));
        self.warm.set(i64::try_from(pool.1).unwrap_or(i64::MAX));
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .expect("writing to a String cannot fail");
        text
    }
}

/// `path` with its ids replaced by `:id`, so that an endpoint is one label
/// value however many records are read: `/v1/contacts/3f9a.../notes` gives
/// `/v1/contacts/:id/notes`. A segment is an id when it has a digit
/// (`v1`-style version segments excepted), an `@`, or 20 characters or
/// more.
pub fn endpoint(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let segments: Vec<&str> = path
        .split('/')
        .map(|segment| if is_id(segment) { ":id" } else { segment })
        .collect();
    let joined = segments.join("/");
    if joined.is_empty() {
        "/".to_owned()
    } else {
        joined
    }
}

fn is_id(segment: &str) -> bool {
    let version = segment.len() > 1
        && segment.starts_with('v')
        && segment[1..].bytes().all(|b| b.is_ascii_digit());
    !version
        && (segment.bytes().any(|b| b.is_ascii_digit())
            || segment.contains('@')
            || segment.len() >= 20)
}

/// Reads the instance pool's (in use, warm) counts at scrape time.
pub type PoolProbe = Arc<dyn Fn() -> (usize, usize) + Send + Sync>;

#[derive(Clone)]
struct Exposition {
    metrics: Arc<Metrics>,
    pool: PoolProbe,
}

/// Binds `addr` and serves `GET /metrics` there, in the background.
/// Returns the bound address.
pub async fn serve(addr: SocketAddr, metrics: Arc<Metrics>, pool: PoolProbe) -> Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening for metrics on {addr}"))?;
    let bound = listener.local_addr()?;
    let app = axum::Router::new()
        .route("/metrics", get(scrape))
        .with_state(Exposition { metrics, pool });
    tracing::info!(addr = %bound, path = "/metrics", "serving Prometheus metrics");
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::error!("the metrics endpoint stopped: {err}");
        }
    });
    Ok(bound)
}

async fn scrape(State(exposition): State<Exposition>) -> impl axum::response::IntoResponse {
    let text = exposition.metrics.encode((exposition.pool)());
    (
        [(
            http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_collapsed_and_names_kept() {
        assert_eq!(endpoint("/v1/contacts"), "/v1/contacts");
        assert_eq!(
            endpoint("/v1/contacts/3f9a1c2e-77b0-4d6e-9a51-0c1d2e3f4a5b/notes"),
            "/v1/contacts/:id/notes"
        );
        assert_eq!(endpoint("/v1/contacts/42?take=5"), "/v1/contacts/:id");
        assert_eq!(
            endpoint("/api/rest/search/contacts/by-email/ann@example.org"),
            "/api/rest/search/contacts/by-email/:id"
        );
        assert_eq!(endpoint("/v2/reminders"), "/v2/reminders");
        assert_eq!(endpoint(""), "/");
    }

    #[test]
    fn long_opaque_segments_are_ids() {
        assert_eq!(
            endpoint("/v1/notes/ckabcdefghijklmnopqrst"),
            "/v1/notes/:id"
        );
    }

    #[test]
    fn encoded_text_has_every_family_and_counts() {
        let metrics = Metrics::new();
        metrics.tool_call("find_contact", "ok", 0.012);
        metrics.tool_call("find_contact", "ok", 0.020);
        metrics.guest_trap("deadline");
        metrics
            .upstream
            .request(&http::Method::GET, "/v1/contacts/123", "200");
        let text = metrics.encode((1, 3));
        assert!(
            text.contains(r#"dex_mcp_tool_calls_total{tool="find_contact",outcome="ok"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(r#"dex_mcp_tool_call_duration_seconds_count{tool="find_contact"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(
                r#"dex_mcp_upstream_requests_total{method="GET",endpoint="/v1/contacts/:id",status="200"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"dex_mcp_guest_traps_total{kind="deadline"} 1"#),
            "{text}"
        );
        assert!(text.contains("dex_mcp_instances_in_use 1"), "{text}");
        assert!(text.contains("dex_mcp_instances_warm 3"), "{text}");
    }

    #[test]
    fn guest_events_and_timings_are_served() {
        let metrics = Metrics::new();
        metrics.guest.event("account_cache", "miss").unwrap();
        metrics.guest.event("account_cache", "hit").unwrap();
        metrics.guest.event("account_cache", "hit").unwrap();
        metrics.guest.timing("account_read", 1.5).unwrap();
        let text = metrics.encode((0, 0));
        for expected in [
            r#"dex_mcp_guest_events_total{name="account_cache",outcome="miss"} 1"#,
            r#"dex_mcp_guest_events_total{name="account_cache",outcome="hit"} 2"#,
            r#"dex_mcp_guest_timing_seconds_count{name="account_read"} 1"#,
            r#"dex_mcp_guest_timing_seconds_sum{name="account_read"} 1.5"#,
        ] {
            assert!(text.contains(expected), "missing {expected} in:\n{text}");
        }
    }

    #[test]
    fn guest_label_sets_are_capped_but_existing_ones_keep_counting() {
        let metrics = GuestMetrics::default();
        for i in 0..MAX_GUEST_LABEL_SETS {
            metrics.event(&format!("event_{i}"), "seen").unwrap();
        }
        assert!(metrics.event("one_more", "seen").is_err());
        assert!(metrics.timing("one_more", 0.1).is_err());
        assert!(metrics.event("event_0", "seen").is_ok());
    }
}
