//! Fault injection: which misbehaviour to apply to which endpoint, and the
//! seeded dice that decide it request by request.
//!
//! A rule names an endpoint and sets any of: latency (fixed plus jitter), a
//! share of 5xx answers, a share of 429 answers with `Retry-After`, a share
//! of malformed JSON bodies, a share of dropped connections, a share of
//! slowly trickled bodies. Every rule that matches a request applies.
//!
//! The 5xx and the dropped connection come in two kinds: before the
//! request is handled (nothing was done) and after it (the write was done
//! and its answer lost), since a client must answer the two differently
//! and cannot tell them apart. A malformed body is always the answer of a
//! request that was handled.

use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// One fault rule. Rates are shares between 0.0 (never) and 1.0 (always).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultRule {
    /// Which requests: `all`; a route pattern such as `/v1/contacts/{id}`
    /// (any method); a method and pattern such as `GET /v1/contacts`; or a
    /// prefix ending in `*` such as `/api/rest/*`.
    pub endpoint: String,
    /// Fixed delay before answering, in milliseconds.
    pub latency_ms: u64,
    /// Extra random delay, uniform in `0..=jitter_ms`.
    pub jitter_ms: u64,
    /// Share of requests answered with `error_status` instead.
    pub error_rate: f64,
    /// The 5xx status used by `error_rate`.
    pub error_status: u16,
    /// Share of requests answered 429 with a `Retry-After` header.
    pub rate_limit_rate: f64,
    /// Seconds sent in `Retry-After`.
    pub retry_after_secs: u64,
    /// Share of answers whose JSON body is cut short (not parseable).
    pub malformed_rate: f64,
    /// Share of requests whose connection is closed without any answer.
    pub reset_rate: f64,
    /// Share of requests handled (a write is done) and then answered
    /// `applied_error_status` instead of their answer.
    pub applied_error_rate: f64,
    /// The 5xx status used by `applied_error_rate`.
    pub applied_error_status: u16,
    /// Share of requests handled (a write is done) and then dropped: the
    /// connection is closed instead of answering.
    pub applied_reset_rate: f64,
    /// Share of answers whose body is sent in small, delayed pieces.
    pub slow_body_rate: f64,
    /// Size of each piece of a slow body, in bytes.
    pub slow_chunk_bytes: usize,
    /// Pause before each piece of a slow body, in milliseconds.
    pub slow_chunk_delay_ms: u64,
}

impl Default for FaultRule {
    fn default() -> Self {
        FaultRule {
            endpoint: "all".to_owned(),
            latency_ms: 0,
            jitter_ms: 0,
            error_rate: 0.0,
            error_status: 503,
            rate_limit_rate: 0.0,
            retry_after_secs: 1,
            malformed_rate: 0.0,
            reset_rate: 0.0,
            applied_error_rate: 0.0,
            applied_error_status: 502,
            applied_reset_rate: 0.0,
            slow_body_rate: 0.0,
            slow_chunk_bytes: 16,
            slow_chunk_delay_ms: 20,
        }
    }
}

impl FaultRule {
    /// A rule that does nothing yet, for `endpoint` (see the field).
    pub fn new(endpoint: impl Into<String>) -> Self {
        FaultRule {
            endpoint: endpoint.into(),
            ..FaultRule::default()
        }
    }

    /// Adds a fixed delay and a random extra of up to `jitter_ms`.
    pub fn latency(mut self, latency_ms: u64, jitter_ms: u64) -> Self {
        self.latency_ms = latency_ms;
        self.jitter_ms = jitter_ms;
        self
    }

    /// Answers a share of requests with `status` (a 5xx).
    pub fn errors(mut self, rate: f64, status: u16) -> Self {
        self.error_rate = rate;
        self.error_status = status;
        self
    }

    /// Answers a share of requests 429 with `Retry-After: retry_after_secs`.
    pub fn rate_limited(mut self, rate: f64, retry_after_secs: u64) -> Self {
        self.rate_limit_rate = rate;
        self.retry_after_secs = retry_after_secs;
        self
    }

    /// Cuts a share of JSON bodies short.
    pub fn malformed(mut self, rate: f64) -> Self {
        self.malformed_rate = rate;
        self
    }

    /// Drops a share of connections without answering.
    pub fn resets(mut self, rate: f64) -> Self {
        self.reset_rate = rate;
        self
    }

    /// Handles a share of requests, then answers them `status` (a 5xx)
    /// instead: the write was done, its answer is lost.
    pub fn errors_after_applying(mut self, rate: f64, status: u16) -> Self {
        self.applied_error_rate = rate;
        self.applied_error_status = status;
        self
    }

    /// Handles a share of requests, then closes their connection without
    /// answering.
    pub fn resets_after_applying(mut self, rate: f64) -> Self {
        self.applied_reset_rate = rate;
        self
    }

    /// Trickles a share of bodies out `chunk_bytes` at a time, `delay_ms`
    /// apart.
    pub fn slow_body(mut self, rate: f64, chunk_bytes: usize, delay_ms: u64) -> Self {
        self.slow_body_rate = rate;
        self.slow_chunk_bytes = chunk_bytes.max(1);
        self.slow_chunk_delay_ms = delay_ms;
        self
    }

    /// Whether this rule covers a request for `method` on the route
    /// pattern `route`.
    pub fn applies_to(&self, method: &str, route: &str) -> bool {
        let spec = self.endpoint.trim();
        if spec.eq_ignore_ascii_case("all") || spec == "*" {
            return true;
        }
        let (want_method, pattern) = match spec.split_once(' ') {
            Some((m, p)) => (Some(m), p.trim()),
            None => (None, spec),
        };
        if want_method.is_some_and(|m| !m.eq_ignore_ascii_case(method)) {
            return false;
        }
        match pattern.strip_suffix('*') {
            Some(prefix) => route.starts_with(prefix),
            None => pattern.trim_end_matches('/') == route.trim_end_matches('/'),
        }
    }
}

/// What to do to one request, decided before it is handled.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultPlan {
    /// Wait this long first.
    pub delay: Duration,
    /// Close the connection without answering.
    pub reset: bool,
    /// Answer 429 with this `Retry-After`.
    pub rate_limit: Option<u64>,
    /// Answer this 5xx status.
    pub error_status: Option<u16>,
    /// Handle the request, then answer this 5xx status instead.
    pub applied_error_status: Option<u16>,
    /// Handle the request, then close the connection without answering.
    pub applied_reset: bool,
    /// Cut the body short.
    pub malformed: bool,
    /// Trickle the body: (piece size, pause).
    pub slow_body: Option<(usize, Duration)>,
}

/// The current rules and the seeded dice.
#[derive(Debug, Clone)]
pub struct FaultState {
    rules: Vec<FaultRule>,
    rng: ChaCha8Rng,
}

impl FaultState {
    /// Rules with dice seeded from `seed`.
    pub fn new(rules: Vec<FaultRule>, seed: u64) -> Self {
        FaultState {
            rules,
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0xfa17),
        }
    }

    /// The rules in force.
    pub fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    /// Replaces the rules (the dice keep rolling from where they were).
    pub fn set_rules(&mut self, rules: Vec<FaultRule>) {
        self.rules = rules;
    }

    /// Rolls the dice of every rule that covers this request.
    pub fn plan(&mut self, method: &str, route: &str) -> FaultPlan {
        let mut plan = FaultPlan::default();
        for rule in self.rules.iter().filter(|r| r.applies_to(method, route)) {
            let jitter = if rule.jitter_ms > 0 {
                self.rng.random_range(0..=rule.jitter_ms)
            } else {
                0
            };
            plan.delay += Duration::from_millis(rule.latency_ms + jitter);
            plan.reset |= roll(&mut self.rng, rule.reset_rate);
            if roll(&mut self.rng, rule.rate_limit_rate) {
                plan.rate_limit = Some(rule.retry_after_secs);
            }
            if roll(&mut self.rng, rule.error_rate) {
                plan.error_status = Some(rule.error_status);
            }
            if roll(&mut self.rng, rule.applied_error_rate) {
                plan.applied_error_status = Some(rule.applied_error_status);
            }
            plan.applied_reset |= roll(&mut self.rng, rule.applied_reset_rate);
            plan.malformed |= roll(&mut self.rng, rule.malformed_rate);
            if roll(&mut self.rng, rule.slow_body_rate) {
                plan.slow_body = Some((
                    rule.slow_chunk_bytes.max(1),
                    Duration::from_millis(rule.slow_chunk_delay_ms),
                ));
            }
        }
        plan
    }
}

/// True with probability `rate`; never rolls for 0 so that rules without
/// a fault do not move the dice.
fn roll(rng: &mut ChaCha8Rng, rate: f64) -> bool {
    if rate <= 0.0 {
        return false;
    }
    rate >= 1.0 || rng.random_bool(rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_matches_every_route() {
        assert!(FaultRule::new("all").applies_to("GET", "/v1/contacts"));
    }

    #[test]
    fn method_and_pattern_must_both_match() {
        let rule = FaultRule::new("GET /v1/contacts/{id}");
        assert!(rule.applies_to("GET", "/v1/contacts/{id}"));
        assert!(!rule.applies_to("PUT", "/v1/contacts/{id}"));
        assert!(!rule.applies_to("GET", "/v1/contacts"));
    }

    #[test]
    fn star_suffix_matches_a_prefix() {
        let rule = FaultRule::new("/api/rest/*");
        assert!(rule.applies_to("POST", "/api/rest/reminders"));
        assert!(!rule.applies_to("POST", "/v1/reminders"));
    }

    #[test]
    fn rate_one_always_fires_and_rate_zero_never() {
        let mut state = FaultState::new(vec![FaultRule::new("all").errors(1.0, 502)], 1);
        for _ in 0..20 {
            assert_eq!(state.plan("GET", "/v1/contacts").error_status, Some(502));
        }
        state.set_rules(vec![FaultRule::new("all")]);
        assert_eq!(state.plan("GET", "/v1/contacts"), FaultPlan::default());
    }

    #[test]
    fn same_seed_rolls_the_same_faults() {
        let rules = vec![FaultRule::new("all").errors(0.5, 500).latency(1, 50)];
        let mut a = FaultState::new(rules.clone(), 9);
        let mut b = FaultState::new(rules, 9);
        for _ in 0..50 {
            assert_eq!(a.plan("GET", "/x"), b.plan("GET", "/x"));
        }
    }
}
