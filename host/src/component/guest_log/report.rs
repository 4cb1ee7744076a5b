//! The line protocol a guest uses to report to its host on stderr.
//!
//! A report is one line: a fixed prefix naming its kind, a space, and one
//! JSON object:
//!
//! ```text
//! mcp-host:progress {"progress": 300, "total": 80000, "message": "read 300 of 80000 records"}
//! mcp-host:event {"name": "account_cache", "outcome": "hit"}
//! mcp-host:timing {"name": "account_read", "seconds": 1.234}
//! ```
//!
//! Any WASI runtime tolerates these lines (stock wasmtime and jco print
//! them like any other), so a component that reports stays portable. This
//! host knows the shapes only, never what a name means. Names and outcomes
//! become metric labels, so they are checked here: 1 to [`MAX_NAME_LEN`]
//! characters of `a-z`, `0-9` and `_`.

use serde::Deserialize;

/// What every report line starts with.
pub const PREFIX: &str = "mcp-host:";

/// Longest name or outcome accepted.
pub const MAX_NAME_LEN: usize = 48;

/// Longest progress message passed on; longer ones are cut (at a character
/// boundary).
pub const MAX_MESSAGE_LEN: usize = 200;

/// One report from the guest.
#[derive(Debug, Clone, PartialEq)]
pub enum GuestReport {
    /// How far the running call has got.
    Progress(ProgressReport),
    /// Something happened once: counted by name and outcome.
    Event {
        /// What happened (`account_cache`).
        name: String,
        /// How it ended (`hit`, `miss`).
        outcome: String,
    },
    /// Something took this long.
    Timing {
        /// What was timed (`account_read`).
        name: String,
        /// How long it took, in seconds (finite, not negative).
        seconds: f64,
    },
}

/// The progress of the running call, as MCP's `notifications/progress`
/// carries it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ProgressReport {
    /// Work done so far; must grow from one report to the next.
    pub progress: f64,
    /// Work there is in all, when known.
    #[serde(default)]
    pub total: Option<f64>,
    /// A sentence for a person watching.
    #[serde(default)]
    pub message: Option<String>,
}

/// Why a line that starts with [`PREFIX`] was not taken as a report.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportError {
    /// The word after the prefix is not a known kind.
    #[error("unknown report kind `{0}` (known: progress, event, timing)")]
    UnknownKind(String),
    /// The JSON after the kind is not the object this kind takes.
    #[error("a {kind} report takes one JSON object: {reason}")]
    Json {
        /// The report's kind.
        kind: &'static str,
        /// What serde found wrong.
        reason: String,
    },
    /// A name or outcome is empty, too long or has other characters.
    #[error("`{field}` must be 1 to {MAX_NAME_LEN} characters of a-z, 0-9 and _, not `{value}`")]
    BadName {
        /// `name` or `outcome`.
        field: &'static str,
        /// The value given (cut to a readable length).
        value: String,
    },
    /// A number is negative, infinite or not a number.
    #[error("`{field}` must be a finite number of at least 0, not {value}")]
    BadNumber {
        /// `progress`, `total` or `seconds`.
        field: &'static str,
        /// The value given.
        value: f64,
    },
}

#[derive(Deserialize)]
struct EventLine {
    name: String,
    outcome: String,
}

#[derive(Deserialize)]
struct TimingLine {
    name: String,
    seconds: f64,
}

/// Reads `line`: `None` when it is not a report (an ordinary log line),
/// else the report or why it was refused.
pub fn parse(line: &str) -> Option<Result<GuestReport, ReportError>> {
    let rest = line.strip_prefix(PREFIX)?;
    let (kind, json) = rest.split_once(' ').unwrap_or((rest, ""));
    Some(match kind {
        "progress" => json_of::<ProgressReport>("progress", json).and_then(progress),
        "event" => json_of::<EventLine>("event", json).and_then(|line| {
            Ok(GuestReport::Event {
                name: checked_name("name", line.name)?,
                outcome: checked_name("outcome", line.outcome)?,
            })
        }),
        "timing" => json_of::<TimingLine>("timing", json).and_then(|line| {
            Ok(GuestReport::Timing {
                name: checked_name("name", line.name)?,
                seconds: checked_number("seconds", line.seconds)?,
            })
        }),
        other => Err(ReportError::UnknownKind(cut(other, MAX_NAME_LEN))),
    })
}

fn json_of<T: for<'de> Deserialize<'de>>(kind: &'static str, json: &str) -> Result<T, ReportError> {
    let refused = |reason: String| ReportError::Json { kind, reason };
    // serde would also take a struct from an array; the protocol is objects.
    match serde_json::from_str(json.trim()).map_err(|err| refused(err.to_string()))? {
        object @ serde_json::Value::Object(_) => {
            serde_json::from_value(object).map_err(|err| refused(err.to_string()))
        }
        other => Err(refused(format!(
            "found {} instead of an object",
            match other {
                serde_json::Value::Array(_) => "an array",
                serde_json::Value::String(_) => "a string",
                serde_json::Value::Number(_) => "a number",
                serde_json::Value::Bool(_) => "a boolean",
                _ => "null",
            }
        ))),
    }
}

fn progress(mut report: ProgressReport) -> Result<GuestReport, ReportError> {
    checked_number("progress", report.progress)?;
    if let Some(total) = report.total {
        checked_number("total", total)?;
    }
    report.message = report.message.map(|m| cut(&m, MAX_MESSAGE_LEN));
    Ok(GuestReport::Progress(report))
}

fn checked_name(field: &'static str, value: String) -> Result<String, ReportError> {
    let valid = !value.is_empty()
        && value.len() <= MAX_NAME_LEN
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if valid {
        Ok(value)
    } else {
        Err(ReportError::BadName {
            field,
            value: cut(&value, MAX_NAME_LEN + 1),
        })
    }
}

fn checked_number(field: &'static str, value: f64) -> Result<f64, ReportError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(ReportError::BadNumber { field, value })
    }
}

/// `text` cut to at most `max` bytes, at a character boundary.
fn cut(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(line: &str) -> GuestReport {
        parse(line)
            .expect("a report line")
            .unwrap_or_else(|e| panic!("{line}: {e}"))
    }

    fn refusal(line: &str) -> ReportError {
        match parse(line).expect("a report line") {
            Ok(report) => panic!("{line} was accepted as {report:?}"),
            Err(err) => err,
        }
    }

    #[test]
    fn ordinary_lines_are_not_reports() {
        assert_eq!(parse("dex-guest: account read in 12 ms"), None);
        assert_eq!(parse("thread 'main' panicked at src/lib.rs:3"), None);
        assert_eq!(parse(" mcp-host:event {}"), None);
    }

    #[test]
    fn the_three_kinds_are_read() {
        assert_eq!(
            report(
                r#"mcp-host:progress {"progress": 300, "total": 80000, "message": "read 300 of 80000 records"}"#
            ),
            GuestReport::Progress(ProgressReport {
                progress: 300.0,
                total: Some(80000.0),
                message: Some("read 300 of 80000 records".into()),
            })
        );
        assert_eq!(
            report(r#"mcp-host:progress {"progress": 2.5}"#),
            GuestReport::Progress(ProgressReport {
                progress: 2.5,
                total: None,
                message: None,
            })
        );
        assert_eq!(
            report(r#"mcp-host:event {"name": "account_cache", "outcome": "hit"}"#),
            GuestReport::Event {
                name: "account_cache".into(),
                outcome: "hit".into(),
            }
        );
        assert_eq!(
            report(r#"mcp-host:timing {"name": "account_read", "seconds": 1.234}"#),
            GuestReport::Timing {
                name: "account_read".into(),
                seconds: 1.234,
            }
        );
    }

    #[test]
    fn fields_a_later_guest_adds_are_ignored() {
        assert!(matches!(
            report(r#"mcp-host:event {"name": "a", "outcome": "b", "since": 3}"#),
            GuestReport::Event { .. }
        ));
    }

    #[test]
    fn bad_json_is_refused_with_its_kind() {
        for line in [
            "mcp-host:event {\"name\": \"account_cache\"",
            "mcp-host:event",
            "mcp-host:event [\"account_cache\", \"hit\"]",
            "mcp-host:timing {\"name\": \"account_read\", \"seconds\": \"1.2\"}",
            "mcp-host:progress {\"total\": 4}",
        ] {
            assert!(matches!(refusal(line), ReportError::Json { .. }), "{line}");
        }
        assert_eq!(
            refusal("mcp-host:metric {}"),
            ReportError::UnknownKind("metric".into())
        );
    }

    #[test]
    fn names_outside_the_label_alphabet_are_refused() {
        let long = "a".repeat(MAX_NAME_LEN + 1);
        for (line, field) in [
            (
                r#"mcp-host:event {"name": "Account", "outcome": "hit"}"#,
                "name",
            ),
            (r#"mcp-host:event {"name": "", "outcome": "hit"}"#, "name"),
            (
                r#"mcp-host:event {"name": "cache", "outcome": "hit miss"}"#,
                "outcome",
            ),
            (
                r#"mcp-host:event {"name": "cache", "outcome": "c0ffee-42"}"#,
                "outcome",
            ),
            (
                r#"mcp-host:timing {"name": "read\"}", "seconds": 1}"#,
                "name",
            ),
            (
                &format!(r#"mcp-host:timing {{"name": "{long}", "seconds": 1}}"#),
                "name",
            ),
        ] {
            match refusal(line) {
                ReportError::BadName { field: f, .. } => assert_eq!(f, field, "{line}"),
                other => panic!("{line}: {other:?}"),
            }
        }
        let exactly_max = "a".repeat(MAX_NAME_LEN);
        assert!(matches!(
            report(&format!(
                r#"mcp-host:timing {{"name": "{exactly_max}", "seconds": 1}}"#
            )),
            GuestReport::Timing { .. }
        ));
    }

    #[test]
    fn negative_numbers_are_refused() {
        assert_eq!(
            refusal(r#"mcp-host:timing {"name": "read", "seconds": -1}"#),
            ReportError::BadNumber {
                field: "seconds",
                value: -1.0
            }
        );
        assert!(matches!(
            refusal(r#"mcp-host:progress {"progress": 1, "total": -5}"#),
            ReportError::BadNumber { field: "total", .. }
        ));
    }

    #[test]
    fn long_messages_are_cut_at_a_character_boundary() {
        let message = "é".repeat(MAX_MESSAGE_LEN);
        let GuestReport::Progress(progress) = report(&format!(
            r#"mcp-host:progress {{"progress": 1, "message": "{message}"}}"#
        )) else {
            panic!("not progress")
        };
        let kept = progress.message.unwrap();
        assert!(kept.len() <= MAX_MESSAGE_LEN && kept.len() >= MAX_MESSAGE_LEN - 1);
        assert!(kept.chars().all(|c| c == 'é'));
    }
}
