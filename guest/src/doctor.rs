//! `dex-mcp doctor`'s checks: what a user runs once after setting the key,
//! to see whether the account answers in a way the tools can read.
//!
//! The checks send what the tools send and decode with the tools' own
//! decoders (the v1 side is [`crate::dex::v1::self_check`]); this module
//! holds the result record (the `self-check` WIT interface's) and the
//! wording every check shares: what to try for each kind of failure, and
//! how a message is stripped of anything that could be personal data
//! before it is shown.

use crate::dex::HttpTransport;
use crate::model::{ErrorKind, ToolError};
use crate::settings::{ApiGeneration, Settings};

/// How one check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckStatus {
    /// Read as the tools read it.
    Passed,
    /// Read, with something the tools work around.
    Warned,
    /// Not read: the tools that need it fail.
    Failed,
    /// Not run: what it needed was not there.
    Skipped,
}

/// One check's result (the `check-result` record of `wit/doctor.wit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    /// What was checked: `GET /v1/contacts`.
    pub endpoint: String,
    /// How it came out.
    pub status: CheckStatus,
    /// The HTTP status answered.
    pub http_status: Option<u16>,
    /// The shape the answer came in (`wrapped`, `bare`, `list`, `page`).
    pub shape: Option<&'static str>,
    /// Records on the page read.
    pub page_size: Option<u32>,
    /// Whether the records carry the links the tools need.
    pub links_present: Option<bool>,
    /// Fields present that could not be read.
    pub unreadable_fields: Vec<String>,
    /// Whether the tools need this.
    pub required: bool,
    /// What was seen, without personal data.
    pub detail: Option<String>,
    /// What to try.
    pub fix: Option<String>,
}

impl CheckResult {
    /// A passed check of `endpoint`, to be filled in.
    pub fn passed(endpoint: impl Into<String>, required: bool) -> Self {
        Self {
            endpoint: endpoint.into(),
            status: CheckStatus::Passed,
            http_status: None,
            shape: None,
            page_size: None,
            links_present: None,
            unreadable_fields: Vec::new(),
            required,
            detail: None,
            fix: None,
        }
    }

    /// Marks the check failed by `error`, with the fix its kind calls for.
    /// An endpoint the tools can do without that Dex does not have needs
    /// no fix, and is not sent to check the base URL.
    pub fn fail(mut self, error: &ToolError) -> Self {
        self.status = CheckStatus::Failed;
        self.detail = Some(scrubbed(&error.message));
        self.fix = Some(if !self.required && error.kind == ErrorKind::NotFound {
            "Nothing to do: this Dex does not have the endpoint, and the tools do without it"
                .to_owned()
        } else {
            fix_for(error, self.http_status).to_owned()
        });
        self
    }

    /// Marks a passed check warned, with what was seen and what to do.
    pub fn warn(mut self, detail: String, fix: &str) -> Self {
        if self.status == CheckStatus::Passed {
            self.status = CheckStatus::Warned;
        }
        self.detail = Some(match self.detail.take() {
            Some(before) => format!("{before}; {detail}"),
            None => detail,
        });
        self.fix.get_or_insert_with(|| fix.to_owned());
        self
    }

    /// A check not run, and why.
    pub fn skipped(endpoint: impl Into<String>, required: bool, why: &str) -> Self {
        Self {
            status: CheckStatus::Skipped,
            detail: Some(why.to_owned()),
            ..Self::passed(endpoint, required)
        }
    }
}

/// Runs every check of the configured API generation. Legacy is
/// deprecated: the self-check is v1 only and says so.
pub fn run<T: HttpTransport + Clone>(settings: &Settings, transport: T) -> Vec<CheckResult> {
    match settings.generation {
        ApiGeneration::V1 => crate::dex::v1::self_check::run(&settings.base_url, transport),
        ApiGeneration::Legacy => vec![CheckResult {
            status: CheckStatus::Failed,
            detail: Some(
                "the self-check reads Dex's v1 API only; the legacy API is deprecated (two public clients report its host stopped answering in August 2026)"
                    .into(),
            ),
            fix: Some(
                "Run dex-mcp with --api-generation v1 (the default) and a v1 key; the tools also still work on legacy"
                    .into(),
            ),
            ..CheckResult::passed("API generation (legacy)", true)
        }],
    }
}

/// What to try after a failure of `error`'s kind.
pub fn fix_for(error: &ToolError, http_status: Option<u16>) -> &'static str {
    match (error.kind, http_status) {
        (ErrorKind::Unauthorized, _) => {
            "Dex refused the key: copy it again from Dex > Settings > API into DEX_API_KEY (or --api-key)"
        }
        (ErrorKind::Forbidden, _) => {
            "The key is valid but the plan has no API access: API access needs a Dex plan that includes it"
        }
        (ErrorKind::NotFound, _) => {
            "Dex has no such endpoint here: check DEX_API_BASE_URL (unset means https://api.prod.getdex.com) and --api-generation (v1)"
        }
        (ErrorKind::RateLimited, _) => {
            "Dex is rate limiting the key: wait a minute and run dex-mcp doctor again"
        }
        (ErrorKind::Validation, _) => {
            "Dex refused the request as the tools send it: please report this table (docs/dex-api.md lists what is known of the API)"
        }
        (_, Some(status)) if status < 300 => {
            "Dex answered in a shape dex-mcp cannot read: please report this table (docs/dex-api.md lists the shapes known)"
        }
        _ => {
            "Dex or the network did not answer: check the connection and DEX_API_BASE_URL, then run dex-mcp doctor again"
        }
    }
}

/// `message` with every double-quoted part blanked: decoders and Dex's own
/// error texts quote the values they stumbled on, which may be a name or an
/// email; what is left (field names in backticks, types, positions, the
/// endpoint) is safe to print.
pub fn scrubbed(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        if c == '"' {
            if !quoted {
                out.push_str("\"…\"");
            }
            quoted = !quoted;
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

/// The `self-check` export: the checks above for the host; compiled for
/// the component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use crate::component::Component;
    use crate::component::bindings::exports::dex::crm::self_check as wit;
    use crate::component::transport::WasiHttp;
    use crate::doctor::{self, CheckResult, CheckStatus};
    use crate::settings::Settings;

    impl wit::Guest for Component {
        fn run() -> Vec<wit::CheckResult> {
            let results = match Settings::from_env() {
                Ok(settings) => doctor::run(&settings, WasiHttp),
                Err(error) => vec![CheckResult {
                    fix: Some(
                        "Check the server's DEX_API_BASE_URL and --api-generation settings".into(),
                    ),
                    detail: Some(doctor::scrubbed(&error.message)),
                    status: CheckStatus::Failed,
                    ..CheckResult::passed("settings", true)
                }],
            };
            results.into_iter().map(convert).collect()
        }
    }

    fn convert(result: CheckResult) -> wit::CheckResult {
        wit::CheckResult {
            endpoint: result.endpoint,
            status: match result.status {
                CheckStatus::Passed => wit::CheckStatus::Passed,
                CheckStatus::Warned => wit::CheckStatus::Warned,
                CheckStatus::Failed => wit::CheckStatus::Failed,
                CheckStatus::Skipped => wit::CheckStatus::Skipped,
            },
            http_status: result.http_status,
            shape: result.shape.map(str::to_owned),
            page_size: result.page_size,
            links_present: result.links_present,
            unreadable_fields: result.unreadable_fields,
            required: result.required,
            detail: result.detail,
            fix: result.fix,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_blanked_and_the_rest_kept() {
        assert_eq!(
            scrubbed(
                r#"Dex sent a malformed answer for the contacts list: invalid type: string "Ada Lovelace", expected a boolean at line 1 column 40"#
            ),
            r#"Dex sent a malformed answer for the contacts list: invalid type: string "…", expected a boolean at line 1 column 40"#
        );
        assert_eq!(scrubbed("no `items` here"), "no `items` here");
        assert_eq!(scrubbed(r#"cut "off"#), r#"cut "…""#);
    }

    #[test]
    fn each_failure_kind_gets_its_own_fix() {
        let fix = |kind, status| fix_for(&ToolError::new(kind, "x"), status);
        assert!(fix(ErrorKind::Unauthorized, Some(401)).contains("DEX_API_KEY"));
        assert!(fix(ErrorKind::Forbidden, Some(403)).contains("plan"));
        assert!(fix(ErrorKind::NotFound, Some(404)).contains("DEX_API_BASE_URL"));
        assert!(fix(ErrorKind::RateLimited, Some(429)).contains("wait"));
        assert!(fix(ErrorKind::Upstream, Some(200)).contains("shape"));
        assert!(fix(ErrorKind::Upstream, Some(503)).contains("network"));
        assert!(fix(ErrorKind::Upstream, None).contains("network"));
    }

    #[test]
    fn a_missing_optional_endpoint_needs_no_fix_but_a_missing_required_one_does() {
        let missing = ToolError::new(ErrorKind::NotFound, "Dex has no contact count");
        let optional = CheckResult::passed("GET /v1/contacts/count", false).fail(&missing);
        assert!(
            optional
                .fix
                .as_deref()
                .unwrap()
                .starts_with("Nothing to do")
        );
        let required = CheckResult::passed("GET /v1/contacts", true).fail(&missing);
        assert!(
            required
                .fix
                .as_deref()
                .unwrap()
                .contains("DEX_API_BASE_URL")
        );
    }

    #[test]
    fn legacy_is_one_failed_required_check_that_says_it_is_deprecated() {
        let settings = Settings::from_lookup(|name| {
            (name == "DEX_API_GENERATION").then(|| "legacy".to_owned())
        })
        .unwrap();
        struct Never;
        impl HttpTransport for Never {
            fn send(
                &self,
                _: crate::dex::HttpRequest,
            ) -> Result<crate::dex::HttpResponse, crate::dex::TransportError> {
                panic!("the legacy self-check sends nothing")
            }
        }
        impl Clone for Never {
            fn clone(&self) -> Self {
                Never
            }
        }
        let results = run(&settings, Never);
        assert_eq!(results.len(), 1);
        assert_eq!(results[0].status, CheckStatus::Failed);
        assert!(results[0].required);
        assert!(results[0].detail.as_deref().unwrap().contains("deprecated"));
        assert!(
            results[0]
                .fix
                .as_deref()
                .unwrap()
                .contains("--api-generation v1")
        );
    }
}
