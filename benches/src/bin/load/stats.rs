//! Latencies and errors of a load run, per tool, and the percentiles the
//! report prints. Every latency is kept (a 100,000-call run is 400 KB of
//! them), so percentiles are exact, not estimated from buckets.

use std::collections::BTreeMap;
use std::time::Duration;

/// At most this many error messages are kept per tool, for the report.
const KEPT_ERRORS: usize = 5;

/// What one client (or all of them, merged) saw.
#[derive(Debug, Default, Clone)]
pub struct Samples {
    per_tool: BTreeMap<String, ToolSamples>,
}

/// The calls to one tool.
#[derive(Debug, Default, Clone)]
pub struct ToolSamples {
    /// Latency of every successful call, in microseconds.
    pub latencies_us: Vec<u32>,
    /// Calls that failed (transport, JSON-RPC or tool error).
    pub errors: u64,
    /// The first few error messages.
    pub first_errors: Vec<String>,
}

impl Samples {
    /// Records a successful call of `tool` that took `elapsed`.
    pub fn ok(&mut self, tool: &str, elapsed: Duration) {
        let micros = u32::try_from(elapsed.as_micros()).unwrap_or(u32::MAX);
        self.tool(tool).latencies_us.push(micros);
    }

    /// Records a failed call of `tool`.
    pub fn error(&mut self, tool: &str, message: String) {
        let samples = self.tool(tool);
        samples.errors += 1;
        if samples.first_errors.len() < KEPT_ERRORS {
            samples.first_errors.push(message);
        }
    }

    fn tool(&mut self, tool: &str) -> &mut ToolSamples {
        if !self.per_tool.contains_key(tool) {
            self.per_tool
                .insert(tool.to_owned(), ToolSamples::default());
        }
        self.per_tool.get_mut(tool).expect("just inserted")
    }

    /// Adds `other`'s calls to these.
    pub fn merge(&mut self, other: Samples) {
        for (tool, theirs) in other.per_tool {
            let ours = self.tool(&tool);
            ours.latencies_us.extend(theirs.latencies_us);
            ours.errors += theirs.errors;
            for message in theirs.first_errors {
                if ours.first_errors.len() < KEPT_ERRORS {
                    ours.first_errors.push(message);
                }
            }
        }
    }

    /// Calls made, successful or not.
    pub fn calls(&self) -> u64 {
        self.per_tool
            .values()
            .map(|t| t.latencies_us.len() as u64 + t.errors)
            .sum()
    }

    /// Calls that failed.
    pub fn errors(&self) -> u64 {
        self.per_tool.values().map(|t| t.errors).sum()
    }

    /// Per tool, in name order.
    pub fn tools(&self) -> impl Iterator<Item = (&str, &ToolSamples)> {
        self.per_tool.iter().map(|(name, s)| (name.as_str(), s))
    }

    /// Percentiles over every tool's successful calls together.
    pub fn overall(&self) -> Percentiles {
        let all: Vec<u32> = self
            .per_tool
            .values()
            .flat_map(|t| t.latencies_us.iter().copied())
            .collect();
        Percentiles::of(all)
    }
}

impl ToolSamples {
    /// The percentiles of this tool's successful calls.
    pub fn percentiles(&self) -> Percentiles {
        Percentiles::of(self.latencies_us.clone())
    }
}

/// Latency percentiles, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Percentiles {
    /// Successful calls the percentiles are over.
    pub count: usize,
    /// Median.
    pub p50_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest call.
    pub max_ms: f64,
}

impl Percentiles {
    /// The nearest-rank percentiles of `latencies_us`.
    pub fn of(mut latencies_us: Vec<u32>) -> Self {
        if latencies_us.is_empty() {
            return Self::default();
        }
        latencies_us.sort_unstable();
        let rank = |p: f64| {
            let index =
                ((p * latencies_us.len() as f64).ceil() as usize).clamp(1, latencies_us.len());
            f64::from(latencies_us[index - 1]) / 1000.0
        };
        Self {
            count: latencies_us.len(),
            p50_ms: rank(0.50),
            p90_ms: rank(0.90),
            p99_ms: rank(0.99),
            max_ms: rank(1.0),
        }
    }
}

/// The median of `values` (the mean of the middle two for an even count);
/// `None` when there are none.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let p = Percentiles::of((1..=100).map(|ms| ms * 1000).collect());
        assert_eq!(p.count, 100);
        assert_eq!(p.p50_ms, 50.0);
        assert_eq!(p.p90_ms, 90.0);
        assert_eq!(p.p99_ms, 99.0);
        assert_eq!(p.max_ms, 100.0);
        assert_eq!(Percentiles::of(vec![]), Percentiles::default());
    }

    #[test]
    fn merge_adds_calls_and_errors() {
        let mut a = Samples::default();
        a.ok("x", Duration::from_millis(1));
        let mut b = Samples::default();
        b.ok("x", Duration::from_millis(2));
        b.error("y", "boom".into());
        a.merge(b);
        assert_eq!(a.calls(), 3);
        assert_eq!(a.errors(), 1);
        assert_eq!(a.overall().count, 2);
    }

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }
}
