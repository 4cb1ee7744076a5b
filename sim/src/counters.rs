//! Counts of what the simulator served, for tests that check how many
//! requests a client made and how the faults landed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What was served, per endpoint (`METHOD /route/pattern`, or `unmatched`
/// for paths no route knows). Control requests under `/_sim` are not
/// counted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counters {
    /// All counted requests.
    pub total: u64,
    /// Per endpoint.
    pub endpoints: BTreeMap<String, EndpointCounters>,
    /// Requests being served right now.
    pub in_flight: u64,
    /// The most requests served at once: shows whether a client really
    /// overlaps its requests, which counts alone cannot tell.
    pub max_in_flight: u64,
    /// Counted requests by their `User-Agent` (`none` when they had
    /// none), so tests can check what a client says it is.
    #[serde(default)]
    pub user_agents: BTreeMap<String, u64>,
}

/// What one endpoint served.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EndpointCounters {
    /// Requests received.
    pub requests: u64,
    /// Answers by HTTP status (dropped connections are not here).
    pub statuses: BTreeMap<u16, u64>,
    /// Requests delayed by a latency fault.
    pub delayed: u64,
    /// Connections dropped without an answer.
    pub resets: u64,
    /// Answers sent with a cut-short body.
    pub malformed: u64,
    /// Answers trickled out slowly.
    pub slow: u64,
}

/// How one request ended, for counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answered with this status.
    Answered(u16),
    /// Connection dropped.
    Reset,
}

impl Counters {
    /// Notes a request that started being served.
    pub fn enter(&mut self) {
        self.in_flight += 1;
        self.max_in_flight = self.max_in_flight.max(self.in_flight);
    }

    /// Notes a request that is no longer served (answered, dropped or
    /// abandoned). Saturates: a reset of the counters may come in between.
    pub fn leave(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// Counts one request's `User-Agent`.
    pub fn user_agent(&mut self, agent: Option<&str>) {
        *self
            .user_agents
            .entry(agent.unwrap_or("none").to_owned())
            .or_default() += 1;
    }

    /// Counts one request.
    pub fn record(&mut self, endpoint: &str, outcome: Outcome) -> &mut EndpointCounters {
        self.total += 1;
        let entry = self.endpoints.entry(endpoint.to_owned()).or_default();
        entry.requests += 1;
        match outcome {
            Outcome::Answered(status) => *entry.statuses.entry(status).or_default() += 1,
            Outcome::Reset => entry.resets += 1,
        }
        entry
    }

    /// Requests received by `endpoint` (e.g. `GET /v1/contacts`).
    pub fn requests(&self, endpoint: &str) -> u64 {
        self.endpoints.get(endpoint).map_or(0, |e| e.requests)
    }

    /// Answers with `status` from `endpoint`.
    pub fn status(&self, endpoint: &str, status: u16) -> u64 {
        self.endpoints
            .get(endpoint)
            .and_then(|e| e.statuses.get(&status))
            .copied()
            .unwrap_or(0)
    }

    /// Answers with `status` from all endpoints.
    pub fn total_status(&self, status: u16) -> u64 {
        self.endpoints
            .values()
            .filter_map(|e| e.statuses.get(&status))
            .sum()
    }
}
