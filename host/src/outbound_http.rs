//! The one capability the guest has to the outside: HTTP to one origin.
//!
//! Every request the component makes through `wasi:http` passes
//! [`PolicyHooks::send_request`]; nothing else in the host looks at URLs.
//! There the request is refused unless it goes to the origin the
//! component named (`server.upstream`) and the call is within its request
//! budget ([`crate::outbound_limits`]); then the secret placeholders in
//! its header values are filled in ([`crate::secret`]), so that secrets
//! live in the host and never in the guest. The answer's body is capped in
//! size, and each request is counted in the upstream metrics.

use std::sync::Arc;
use std::time::Duration;

use http::uri::{Scheme, Uri};
use tracing::Instrument;
use wasmtime_wasi_http::{Error as HttpError, RequestOptions, WasiBody, WasiHttpHooks};

use crate::metrics::UpstreamMetrics;
use crate::outbound_limits::{OutboundLimits, RequestBudget, limit_body};
use crate::secret::{SecretError, Secrets};

/// Scheme, host and port: what a request must match to leave the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: Scheme,
    host: String,
    port: u16,
}

/// Why a URL cannot be an allowed origin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OriginError {
    /// Not a URL at all.
    #[error("`{0}` is not a URL")]
    Invalid(String),
    /// Only http and https are spoken.
    #[error("`{0}` must start with http:// or https://")]
    Scheme(String),
}

impl Origin {
    /// The origin of `url` (`https://api.example.com/v2` gives
    /// `https://api.example.com:443`).
    pub fn of_url(url: &str) -> Result<Self, OriginError> {
        let uri: Uri = url
            .parse()
            .map_err(|_| OriginError::Invalid(url.to_owned()))?;
        Self::of_uri(&uri).ok_or_else(|| match uri.scheme() {
            Some(s) if *s != Scheme::HTTP && *s != Scheme::HTTPS => {
                OriginError::Scheme(url.to_owned())
            }
            _ => OriginError::Invalid(url.to_owned()),
        })
    }

    fn of_uri(uri: &Uri) -> Option<Self> {
        let scheme = uri.scheme()?.clone();
        let default_port = if scheme == Scheme::HTTPS {
            443
        } else if scheme == Scheme::HTTP {
            80
        } else {
            return None;
        };
        Some(Self {
            host: uri.host()?.to_ascii_lowercase(),
            port: uri.port_u16().unwrap_or(default_port),
            scheme,
        })
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
    }
}

/// Limits on one request. wasmtime-wasi-http waits 600 s by default for a
/// connection and for each byte; a CRM call that slow has failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// To establish the connection.
    pub connect: Duration,
    /// From sending the request to the first byte of the answer.
    pub first_byte: Duration,
    /// Between two chunks of the answer.
    pub between_bytes: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            first_byte: Duration::from_secs(30),
            between_bytes: Duration::from_secs(30),
        }
    }
}

/// The outbound policy: which origin, which secrets, which timeouts.
#[derive(Debug, Clone)]
pub struct OutboundPolicy {
    /// The only origin requests may go to; `None` refuses every request.
    pub allowed: Option<Origin>,
    /// Filled into the header values of allowed requests.
    pub secrets: Secrets,
    /// Upper bounds on waiting; a guest may ask for shorter ones.
    pub timeouts: Timeouts,
    /// Requests per call, bytes per answer.
    pub limits: OutboundLimits,
    /// Where requests are counted.
    pub metrics: UpstreamMetrics,
}

/// Why a request did not leave the host.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Its origin is not the allowed one.
    #[error("the request goes to another origin than the one allowed")]
    Origin,
    /// A secret placeholder in a header cannot be filled.
    #[error("{0}")]
    Placeholder(#[from] SecretError),
}

impl OutboundPolicy {
    /// Refuses every request: for a component that names no upstream,
    /// and while a component is asked what it needs.
    pub fn deny_all() -> Self {
        Self {
            allowed: None,
            secrets: Secrets::none(),
            timeouts: Timeouts::default(),
            limits: OutboundLimits::default(),
            metrics: UpstreamMetrics::default(),
        }
    }

    /// Whether a request to `uri` may leave the host.
    pub fn allows(&self, uri: &Uri) -> bool {
        self.allowed
            .as_ref()
            .is_some_and(|allowed| Origin::of_uri(uri).as_ref() == Some(allowed))
    }

    /// Checks `request` against the policy and fills in its secrets: the
    /// origin first, so that no secret is ever written into a request
    /// that may not leave, then every header value. The URL and the body
    /// are left as the guest wrote them.
    pub fn prepare<B>(&self, request: &mut http::Request<B>) -> Result<(), Refusal> {
        if !self.allows(request.uri()) {
            return Err(Refusal::Origin);
        }
        for value in request.headers_mut().values_mut() {
            if let Some(filled) = self.secrets.fill(value)? {
                *value = filled;
            }
        }
        Ok(())
    }

    fn bounded(&self, asked: Option<RequestOptions>) -> RequestOptions {
        let asked = asked.unwrap_or_default();
        let min = |asked: Option<Duration>, cap: Duration| Some(asked.map_or(cap, |a| a.min(cap)));
        RequestOptions {
            connect_timeout: min(asked.connect_timeout, self.timeouts.connect),
            first_byte_timeout: min(asked.first_byte_timeout, self.timeouts.first_byte),
            between_bytes_timeout: min(asked.between_bytes_timeout, self.timeouts.between_bytes),
        }
    }
}

/// The `wasi:http` hooks that enforce an [`OutboundPolicy`]; one per
/// store, counting that store's current call's requests.
#[derive(Debug)]
pub struct PolicyHooks {
    policy: Arc<OutboundPolicy>,
    budget: RequestBudget,
}

impl PolicyHooks {
    /// Hooks enforcing `policy`, with a fresh request budget.
    pub fn new(policy: Arc<OutboundPolicy>) -> Self {
        Self {
            policy,
            budget: RequestBudget::default(),
        }
    }

    /// A new call starts in this store: its request budget is full again.
    pub fn begin_call(&mut self) {
        self.budget.reset();
    }
}

type SendFuture = Box<
    dyn Future<
            Output = Result<
                (
                    http::Response<WasiBody>,
                    Box<dyn Future<Output = Result<(), HttpError>> + Send>,
                ),
                HttpError,
            >,
        > + Send,
>;

impl WasiHttpHooks for PolicyHooks {
    fn send_request(
        &mut self,
        mut request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _response_errors: Box<dyn Future<Output = Result<(), HttpError>> + Send>,
    ) -> SendFuture {
        let policy = self.policy.clone();
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        match policy.prepare(&mut request) {
            Ok(()) => {}
            Err(Refusal::Origin) => {
                let allowed = policy
                    .allowed
                    .as_ref()
                    .map_or_else(|| "none".to_owned(), Origin::to_string);
                tracing::warn!(uri = %request.uri(), %allowed, "refused a guest request to another origin");
                policy.metrics.request(&method, &path, "denied");
                return Box::new(async { Err(HttpError::HttpRequestDenied) });
            }
            Err(Refusal::Placeholder(err)) => {
                tracing::warn!(%method, %path, "refused a guest request: {err}");
                policy.metrics.request(&method, &path, "bad_placeholder");
                return Box::new(
                    async move { Err(HttpError::InternalError(Some(err.to_string()))) },
                );
            }
        }
        if let Err(spent) = self.budget.spend(policy.limits.max_requests_per_call) {
            tracing::warn!(%method, %path, "{spent}; refused the request");
            policy.metrics.request(&method, &path, "over_limit");
            return Box::new(async move { Err(HttpError::InternalError(Some(spent.to_string()))) });
        }
        let options = policy.bounded(options);
        // wasmtime-wasi-http runs this future on a task of its own: carry
        // the tool call's span there, so its log lines name the call.
        Box::new(
            async move {
                use http_body_util::BodyExt;
                let sent = wasmtime_wasi_http::default_send_request(request, Some(options)).await;
                let (response, io) = match sent {
                    Ok(sent) => sent,
                    Err(err) => {
                        tracing::debug!(%method, %path, "upstream request failed: {err}");
                        policy.metrics.request(&method, &path, "error");
                        return Err(err);
                    }
                };
                policy
                    .metrics
                    .request(&method, &path, response.status().as_str());
                tracing::debug!(%method, %path, status = response.status().as_u16(), "upstream request");
                let (parts, body) = response.into_parts();
                let body = limit_body(body.boxed_unsync(), policy.limits.max_response_bytes)
                    .inspect_err(|err| tracing::warn!(%method, %path, "refused an answer: {err}"))?;
                Ok((
                    http::Response::from_parts(parts, body),
                    Box::new(io) as Box<dyn Future<Output = Result<(), HttpError>> + Send>,
                ))
            }
            .in_current_span(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn policy(url: &str) -> OutboundPolicy {
        OutboundPolicy {
            allowed: Some(Origin::of_url(url).unwrap()),
            ..OutboundPolicy::deny_all()
        }
    }

    fn allows(policy: &OutboundPolicy, url: &str) -> bool {
        policy.allows(&url.parse().unwrap())
    }

    #[test]
    fn same_origin_with_any_path_is_allowed() {
        let p = policy("https://api.prod.getdex.com");
        assert!(allows(&p, "https://api.prod.getdex.com/v1/contacts?take=5"));
        assert!(allows(&p, "https://API.prod.getdex.com:443/v1/contacts"));
    }

    #[test]
    fn other_host_is_refused() {
        let p = policy("https://api.prod.getdex.com");
        assert!(!allows(&p, "https://evil.example/v1/contacts"));
        assert!(!allows(&p, "https://api.prod.getdex.com.evil.example/"));
        assert!(!allows(&p, "https://getdex.com/"));
    }

    #[test]
    fn other_scheme_or_port_is_refused() {
        let p = policy("https://api.prod.getdex.com");
        assert!(!allows(&p, "http://api.prod.getdex.com/v1/contacts"));
        assert!(!allows(&p, "https://api.prod.getdex.com:8443/v1/contacts"));
    }

    #[test]
    fn loopback_simulator_origin_includes_its_port() {
        let p = policy("http://127.0.0.1:4100");
        assert!(allows(&p, "http://127.0.0.1:4100/v1/contacts"));
        assert!(!allows(&p, "http://127.0.0.1:4101/v1/contacts"));
        assert!(!allows(&p, "http://localhost:4100/v1/contacts"));
    }

    #[test]
    fn non_http_urls_are_not_origins() {
        assert!(matches!(
            Origin::of_url("ftp://x.org"),
            Err(OriginError::Scheme(_))
        ));
        assert!(Origin::of_url("not a url").is_err());
    }

    #[test]
    fn guest_timeouts_are_capped_by_the_policy() {
        let p = policy("http://127.0.0.1:1");
        let asked = RequestOptions {
            connect_timeout: Some(Duration::from_secs(600)),
            first_byte_timeout: Some(Duration::from_secs(1)),
            between_bytes_timeout: None,
        };
        let bounded = p.bounded(Some(asked));
        assert_eq!(bounded.connect_timeout, Some(Timeouts::default().connect));
        assert_eq!(bounded.first_byte_timeout, Some(Duration::from_secs(1)));
        assert_eq!(
            bounded.between_bytes_timeout,
            Some(Timeouts::default().between_bytes)
        );
    }

    const KEY: &str = "dex_live_7f3a";

    fn with_key(url: &str) -> OutboundPolicy {
        let mut secrets = Secrets::none();
        secrets
            .insert("api-key", Secret::new(KEY).unwrap())
            .unwrap();
        OutboundPolicy {
            secrets,
            ..policy(url)
        }
    }

    fn request(url: &str, headers: &[(&str, &str)], body: &str) -> http::Request<String> {
        let mut builder = http::Request::builder().uri(url);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(body.to_owned()).unwrap()
    }

    #[test]
    fn no_upstream_refuses_everything() {
        let p = OutboundPolicy::deny_all();
        assert!(!allows(&p, "http://127.0.0.1:4100/"));
        let mut r = request("http://127.0.0.1:4100/", &[], "");
        assert_eq!(p.prepare(&mut r), Err(Refusal::Origin));
    }

    #[test]
    fn placeholders_are_filled_in_headers_to_the_allowed_origin() {
        let p = with_key("http://127.0.0.1:4100");
        let mut r = request(
            "http://127.0.0.1:4100/v1/x",
            &[
                ("authorization", "Bearer ${secret:api-key}"),
                ("x-plain", "left alone"),
            ],
            "",
        );
        p.prepare(&mut r).unwrap();
        let filled = &r.headers()["authorization"];
        assert_eq!(filled, &format!("Bearer {KEY}"));
        assert!(filled.is_sensitive());
        assert_eq!(r.headers()["x-plain"], "left alone");
        assert!(!r.headers()["x-plain"].is_sensitive());
    }

    #[test]
    fn a_request_elsewhere_is_refused_before_any_secret_is_written_into_it() {
        let p = with_key("http://127.0.0.1:4100");
        let mut r = request(
            "http://127.0.0.1:4101/",
            &[("authorization", "Bearer ${secret:api-key}")],
            "",
        );
        assert_eq!(p.prepare(&mut r), Err(Refusal::Origin));
        assert_eq!(r.headers()["authorization"], "Bearer ${secret:api-key}");
    }

    #[test]
    fn placeholders_in_the_url_or_the_body_are_not_filled() {
        let p = with_key("http://127.0.0.1:4100");
        let url = "http://127.0.0.1:4100/echo/$secret:api-key?k=%24%7Bsecret:api-key%7D";
        let mut r = request(url, &[], "{\"key\": \"${secret:api-key}\"}");
        p.prepare(&mut r).unwrap();
        assert_eq!(r.uri().to_string(), url);
        assert_eq!(r.body(), "{\"key\": \"${secret:api-key}\"}");
    }

    #[test]
    fn a_placeholder_for_an_unknown_secret_refuses_the_request_without_the_key() {
        let p = with_key("http://127.0.0.1:4100");
        let mut r = request(
            "http://127.0.0.1:4100/",
            &[
                ("authorization", "Bearer ${secret:api-key}"),
                ("x-other", "${secret:password}"),
            ],
            "",
        );
        let err = p.prepare(&mut r).unwrap_err();
        assert_eq!(
            err,
            Refusal::Placeholder(SecretError::Unknown("password".into()))
        );
        assert!(!err.to_string().contains(KEY), "{err}");
    }

    #[test]
    fn a_header_name_is_never_a_placeholder() {
        // Header names cannot hold `$`, `{` or `}` at all: the request
        // could not even be built with one.
        assert!(
            http::Request::builder()
                .header("${secret:api-key}", "x")
                .body(())
                .is_err()
        );
    }
}
