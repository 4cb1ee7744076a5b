//! Reports to whatever runs the component: progress of a long call,
//! events (an account cache hit or miss) and timings (how long a read
//! took), as lines on stderr.
//!
//! The protocol is the host's (`wit/world.wit` documents it): one line per
//! report, a fixed prefix naming its kind, a space, one JSON object.
//!
//! ```text
//! mcp-host:progress {"progress":300,"total":80000,"message":"read 300 of 80000 records"}
//! mcp-host:event {"name":"account_cache","outcome":"hit"}
//! mcp-host:timing {"name":"account_read","seconds":1.234}
//! ```
//!
//! Any WASI runtime accepts them: dex-mcp turns them into MCP progress
//! notifications and Prometheus metrics, stock wasmtime or jco just print
//! them. Reporting never fails a call: a stderr that cannot be written to
//! loses the report, nothing else.

use std::io::Write;
use std::time::Duration;

use serde_json::json;

/// What every report line starts with.
pub const PREFIX: &str = "mcp-host:";

/// A metric name or outcome, checked when the program is compiled (when
/// made in a `const`) to be what the host accepts: 1 to 48 characters of
/// `a-z`, `0-9` and `_`, so that it can be a Prometheus label value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name(&'static str);

impl Name {
    /// `name`, or a panic (a compile error in a `const`) if the host would
    /// refuse it.
    pub const fn new(name: &'static str) -> Self {
        let bytes = name.as_bytes();
        assert!(
            !bytes.is_empty() && bytes.len() <= 48,
            "a report name has 1 to 48 characters"
        );
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            assert!(
                b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_',
                "a report name has only a-z, 0-9 and _"
            );
            i += 1;
        }
        Self(name)
    }

    /// The name as written.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// Writes reports to `out` (the component's stderr; a buffer in tests).
pub struct Reporter<W: Write> {
    out: W,
    last_progress: Option<u64>,
}

impl<W: Write> Reporter<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        Self {
            out,
            last_progress: None,
        }
    }

    /// Reports that `done` of `total` (when known) `unit` are done. Only
    /// progress past the last one reported is written: MCP progress must
    /// grow from one notification to the next.
    pub fn progress(&mut self, done: u64, total: Option<u64>, unit: &str) {
        if self.last_progress.is_some_and(|last| done <= last) {
            return;
        }
        self.last_progress = Some(done);
        let report = match total {
            Some(total) => json!({
                "progress": done,
                "total": total,
                "message": format!("read {done} of {total} {unit}"),
            }),
            None => json!({
                "progress": done,
                "message": format!("read {done} {unit}"),
            }),
        };
        self.write("progress", &report);
    }

    /// Reports that `name` happened and ended with `outcome`.
    ///
    /// Written on every call (the account cache's outcome), so the line is
    /// put together as text rather than through a JSON tree, which cost
    /// microseconds of each call in the component; a [`Name`] needs no
    /// escaping.
    pub fn event(&mut self, name: Name, outcome: Name) {
        let line = [
            PREFIX,
            "event {\"name\":\"",
            name.as_str(),
            "\",\"outcome\":\"",
            outcome.as_str(),
            "\"}\n",
        ]
        .concat();
        // A report that cannot be written is lost; the call goes on.
        let _ = self.out.write_all(line.as_bytes());
    }

    /// Reports that `name` took `elapsed`.
    pub fn timing(&mut self, name: Name, elapsed: Duration) {
        self.write(
            "timing",
            &json!({ "name": name.as_str(), "seconds": elapsed.as_secs_f64() }),
        );
    }

    /// One line, in one write, so that it reaches the host whole.
    fn write(&mut self, kind: &str, report: &serde_json::Value) {
        let line = format!("{PREFIX}{kind} {report}\n");
        // A report that cannot be written is lost; the call goes on.
        let _ = self.out.write_all(line.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CACHE: Name = Name::new("account_cache");
    const HIT: Name = Name::new("hit");
    const READ: Name = Name::new("account_read");

    fn lines(report: impl FnOnce(&mut Reporter<&mut Vec<u8>>)) -> Vec<String> {
        let mut out = Vec::new();
        report(&mut Reporter::new(&mut out));
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn json_after(line: &str, prefix: &str) -> serde_json::Value {
        let json = line
            .strip_prefix(prefix)
            .unwrap_or_else(|| panic!("{line} does not start with {prefix}"));
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn an_event_is_one_line_with_its_name_and_outcome() {
        let lines = lines(|r| r.event(CACHE, HIT));
        assert_eq!(lines.len(), 1);
        assert_eq!(
            json_after(&lines[0], "mcp-host:event "),
            json!({"name": "account_cache", "outcome": "hit"})
        );
    }

    #[test]
    fn a_timing_is_in_seconds() {
        let lines = lines(|r| r.timing(READ, Duration::from_millis(1234)));
        assert_eq!(
            json_after(&lines[0], "mcp-host:timing "),
            json!({"name": "account_read", "seconds": 1.234})
        );
    }

    #[test]
    fn progress_carries_total_and_message_and_only_grows() {
        let lines = lines(|r| {
            r.progress(300, Some(80_000), "records");
            r.progress(300, Some(80_000), "records");
            r.progress(200, Some(80_000), "records");
            r.progress(400, None, "records");
        });
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(
            json_after(&lines[0], "mcp-host:progress "),
            json!({"progress": 300, "total": 80_000, "message": "read 300 of 80000 records"})
        );
        assert_eq!(
            json_after(&lines[1], "mcp-host:progress "),
            json!({"progress": 400, "message": "read 400 records"})
        );
    }

    #[test]
    fn a_first_progress_of_zero_is_reported() {
        assert_eq!(lines(|r| r.progress(0, None, "records")).len(), 1);
    }

    #[test]
    fn each_report_is_written_whole_in_one_write() {
        struct Writes(Vec<Vec<u8>>);
        impl Write for Writes {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.push(buf.to_vec());
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut writes = Writes(Vec::new());
        let mut reporter = Reporter::new(&mut writes);
        reporter.event(CACHE, HIT);
        reporter.timing(READ, Duration::from_secs(2));
        assert_eq!(writes.0.len(), 2);
        assert!(writes.0.iter().all(|w| w.ends_with(b"\n")));
    }

    #[test]
    fn a_stderr_that_fails_loses_the_report_and_nothing_else() {
        /// Refuses the first write, keeps the later ones.
        struct FailsOnce {
            failed: bool,
            kept: Vec<u8>,
        }
        impl Write for FailsOnce {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                if !self.failed {
                    self.failed = true;
                    return Err(std::io::Error::other("closed"));
                }
                self.kept.extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut out = FailsOnce {
            failed: false,
            kept: Vec::new(),
        };
        let mut reporter = Reporter::new(&mut out);
        reporter.progress(1, None, "records");
        reporter.event(CACHE, HIT);
        // The lost progress still counts: a report that does not grow past
        // it is dropped, one that does is written.
        reporter.progress(1, None, "records");
        reporter.progress(2, None, "records");
        let kept = String::from_utf8(out.kept).unwrap();
        let lines: Vec<&str> = kept.lines().collect();
        assert_eq!(lines.len(), 2, "{kept}");
        assert_eq!(
            json_after(lines[0], "mcp-host:event "),
            json!({"name": "account_cache", "outcome": "hit"})
        );
        assert_eq!(
            json_after(lines[1], "mcp-host:progress "),
            json!({"progress": 2, "message": "read 2 records"})
        );
    }

    #[test]
    #[should_panic(expected = "only a-z")]
    fn names_the_host_would_refuse_do_not_make_it() {
        let _ = Name::new("Account-Cache");
    }
}
