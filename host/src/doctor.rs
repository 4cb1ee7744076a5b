//! `dex-mcp doctor`: runs the component's self-check against the
//! configured upstream and prints what it found.
//!
//! The host knows only the result record of the `self-check` contract
//! (`wit/doctor.wit`): it loads the component as serving does (same
//! settings, same secrets, same one allowed origin), calls `run`, prints
//! one row per result and the fixes after the table, and exits non-zero
//! when a required check failed. What is checked, and how, is the
//! component's business. The output goes to stdout (doctor is not MCP
//! mode); it holds what the component answered, which the contract keeps
//! free of personal data, and never a secret, which the host alone holds.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::metrics::Metrics;
use crate::serve::Start;
use crate::settings::named;

/// One check, as the component's `check-result` record reads in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CheckResult {
    /// What was checked.
    pub endpoint: String,
    /// `passed`, `warned`, `failed` or `skipped`.
    pub status: String,
    /// The HTTP status answered.
    #[serde(default)]
    pub http_status: Option<u16>,
    /// The answer's shape.
    #[serde(default)]
    pub shape: Option<String>,
    /// Records on the page.
    #[serde(default)]
    pub page_size: Option<u32>,
    /// Whether the records carry the links the tools need.
    #[serde(default)]
    pub links_present: Option<bool>,
    /// Fields that could not be read.
    #[serde(default)]
    pub unreadable_fields: Vec<String>,
    /// Whether the tools need it.
    pub required: bool,
    /// What was seen.
    #[serde(default)]
    pub detail: Option<String>,
    /// What to try.
    #[serde(default)]
    pub fix: Option<String>,
}

impl CheckResult {
    fn failed_and_required(&self) -> bool {
        self.required && self.status == "failed"
    }
}

/// Runs `dex-mcp doctor` with the serving flags and settings of `start`.
pub async fn run(mut start: Start) -> Result<ExitCode> {
    let (component, declared) = start.component()?;
    let missing = declared.missing_secrets(&|env| start.values.lookup(env));
    if !missing.is_empty() {
        bail!(
            "dex-mcp doctor checks the real upstream, never a demo: give {}",
            named(&missing)
        );
    }
    let metrics = Metrics::new();
    // A check reads the upstream itself; it neither uses nor leaves state.
    let component = start
        .loader(start.values.clone(), None, &metrics)
        .prepare(component)
        .await
        .context("loading the component")?;
    let Some(answer) = component.self_check().await? else {
        bail!(
            "the component {} has no self-check (no `self-check` export)",
            start.cli.component.display()
        );
    };
    let results: Vec<CheckResult> = serde_json::from_value(answer)
        .context("the component's self-check answered something other than a list of checks")?;
    let origin = component
        .allowed_origin()
        .unwrap_or_else(|| "no upstream".to_owned());
    print!("{}", report(&origin, &results));
    Ok(if results.iter().any(CheckResult::failed_and_required) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The table, then what each check saw and what to try, as printed.
pub fn report(base_url: &str, results: &[CheckResult]) -> String {
    let headers = [
        "CHECK",
        "STATUS",
        "HTTP",
        "SHAPE",
        "PAGE",
        "LINKS",
        "REQUIRED",
        "UNREADABLE",
    ];
    let rows: Vec<[String; 8]> = results
        .iter()
        .map(|r| {
            let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
            [
                r.endpoint.clone(),
                r.status.clone(),
                or_dash(r.http_status.map(|s| s.to_string())),
                or_dash(r.shape.clone()),
                or_dash(r.page_size.map(|s| s.to_string())),
                or_dash(r.links_present.map(|l| if l { "yes" } else { "no" }.into())),
                if r.required { "yes" } else { "no" }.into(),
                if r.unreadable_fields.is_empty() {
                    "-".into()
                } else {
                    r.unreadable_fields.join(",")
                },
            ]
        })
        .collect();
    let mut widths = headers.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = format!("dex-mcp doctor: {base_url}\n\n");
    let line = |out: &mut String, cells: &[&str]| {
        let mut text = String::new();
        for (cell, width) in cells.iter().zip(widths) {
            let _ = write!(text, "{cell:<width$}  ");
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut out, &headers);
    for row in &rows {
        line(&mut out, &row.each_ref().map(String::as_str));
    }
    let noted: Vec<&CheckResult> = results
        .iter()
        .filter(|r| r.detail.is_some() || r.fix.is_some())
        .collect();
    if !noted.is_empty() {
        out.push('\n');
        for r in noted {
            let _ = write!(out, "{} ({}):", r.endpoint, r.status);
            if let Some(detail) = &r.detail {
                let _ = write!(out, " {detail}.");
            }
            if let Some(fix) = &r.fix {
                let _ = write!(out, " Try: {fix}.");
            }
            out.push('\n');
        }
    }
    let failed = results.iter().filter(|r| r.failed_and_required()).count();
    let warned = results
        .iter()
        .filter(|r| r.status == "warned" || (r.status == "failed" && !r.required))
        .count();
    out.push('\n');
    out.push_str(&match (failed, warned) {
        (0, 0) => format!("All {} checks passed.\n", results.len()),
        (0, _) => format!(
            "The tools can work; {warned} of {} checks need a look (above).\n",
            results.len()
        ),
        _ => format!(
            "{failed} required check{} failed: the tools that need {} will fail until it is fixed (above).\n",
            if failed == 1 { "" } else { "s" },
            if failed == 1 { "it" } else { "them" },
        ),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(endpoint: &str, status: &str, required: bool) -> CheckResult {
        CheckResult {
            endpoint: endpoint.into(),
            status: status.into(),
            http_status: Some(200),
            shape: Some("page".into()),
            page_size: Some(500),
            links_present: Some(true),
            unreadable_fields: vec![],
            required,
            detail: None,
            fix: None,
        }
    }

    #[test]
    fn the_component_record_reads_with_absent_options() {
        let json = serde_json::json!([{
            "endpoint": "GET /v1/contacts/{id}",
            "status": "skipped",
            "unreadable_fields": [],
            "required": true,
            "detail": "nothing to read",
        }]);
        let results: Vec<CheckResult> = serde_json::from_value(json).unwrap();
        assert_eq!(results[0].shape, None);
        assert_eq!(results[0].detail.as_deref(), Some("nothing to read"));
    }

    #[test]
    fn a_table_aligns_its_columns_and_lists_fixes_after_it() {
        let mut failed = check("GET /v1/timeline", "failed", true);
        failed.http_status = Some(503);
        failed.shape = None;
        failed.page_size = None;
        failed.links_present = None;
        failed.detail = Some("Dex answered 503".into());
        failed.fix = Some("Try again later".into());
        let text = report(
            "https://api.prod.getdex.com",
            &[check("GET /v1/contacts", "passed", true), failed],
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "dex-mcp doctor: https://api.prod.getdex.com");
        assert!(
            lines[2].starts_with("CHECK             STATUS  HTTP  SHAPE"),
            "{text}"
        );
        assert!(
            lines[3].starts_with("GET /v1/contacts  passed  200   page   500"),
            "{text}"
        );
        assert!(
            lines[4].starts_with("GET /v1/timeline  failed  503   -      -"),
            "{text}"
        );
        assert!(
            text.contains("GET /v1/timeline (failed): Dex answered 503. Try: Try again later."),
            "{text}"
        );
        assert!(text.trim_end().ends_with("(above)."), "{text}");
        assert!(text.contains("1 required check failed"), "{text}");
    }

    #[test]
    fn only_a_failed_required_check_fails_the_run() {
        let optional = check("GET /v1/tags", "failed", false);
        let warned = check("GET /v1/timeline", "warned", true);
        let text = report("u", &[optional.clone(), warned.clone()]);
        assert!(text.contains("The tools can work; 2 of 2 checks"), "{text}");
        assert!(!optional.failed_and_required() && !warned.failed_and_required());
        assert!(check("GET /v1/contacts", "failed", true).failed_and_required());
        assert!(report("u", &[check("a", "passed", true)]).contains("All 1 checks passed."));
    }
}
