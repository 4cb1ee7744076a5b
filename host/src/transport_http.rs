//! MCP over Streamable HTTP, beside stdio.
//!
//! One endpoint, `/mcp`, served by rmcp's [`StreamableHttpService`]:
//! clients of the current revision (2026-07-28: `server/discover`, every
//! request stateless) and older ones (`initialize`, then a session named by
//! `Mcp-Session-Id`) are both answered. Around it this module adds what a
//! network listener needs and stdio does not:
//!
//! - a bearer token ([`HttpConfig::token`]): required before the listener
//!   may bind anything but loopback; with one set, a request without
//!   `Authorization: Bearer <token>` gets 401;
//! - DNS-rebinding protection: the `Host` header must name the bound
//!   address, a loopback name or an `--allowed-host`; an `Origin` header
//!   (sent by browsers) must be a loopback origin or an `--allowed-origin`,
//!   else 403. rmcp checks both once told which values to accept;
//! - `TCP_NODELAY` on every accepted socket: rmcp writes a response in
//!   small pieces, and with Nagle's algorithm each answer waits for the
//!   peer's delayed ACK (about 40 ms);
//! - a health endpoint, [`HEALTH_PATH`], for container runtimes and load
//!   balancers, which probe without the token (it says nothing but that
//!   the server is up).

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};

use crate::mcp::ComponentServer;

/// The path the MCP endpoint is served at.
pub const MCP_PATH: &str = "/mcp";

/// The path that answers `200 ok` to anyone once the server serves, for
/// liveness and readiness probes: the listener accepts only after the
/// component has loaded, so an answer means tools can be called.
pub const HEALTH_PATH: &str = "/healthz";

/// Origins a browser page on this machine has; always allowed.
const LOOPBACK_ORIGINS: &[&str] = &[
    "http://localhost:*",
    "https://localhost:*",
    "http://127.0.0.1:*",
    "https://127.0.0.1:*",
    "http://[::1]:*",
    "https://[::1]:*",
];

/// Host names that always mean this machine.
const LOOPBACK_HOSTS: &[&str] = &["localhost", "127.0.0.1", "::1"];

/// A shared secret a client presents as `Authorization: Bearer <token>`.
/// Its `Debug` never prints it.
#[derive(Clone)]
pub struct BearerToken(Arc<str>);

impl BearerToken {
    /// `token`, unless it is blank.
    pub fn new(token: &str) -> Option<Self> {
        let token = token.trim();
        (!token.is_empty()).then(|| Self(token.into()))
    }

    /// Whether `headers` carry this token, compared in constant time so the
    /// answer's timing does not reveal how much of a guess was right.
    fn admits(&self, headers: &HeaderMap) -> bool {
        let Some(presented) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.split_once(' ')
                    .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            })
            .map(|(_, token)| token.trim())
        else {
            return false;
        };
        constant_time_eq(presented.as_bytes(), self.0.as_bytes())
    }
}

impl std::fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Why the HTTP listener will not start as configured.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HttpConfigError {
    /// Anyone who can reach a non-loopback address could call the tools.
    #[error(
        "refusing to listen on {0} without a bearer token: anyone who can reach that address \
         could call the tools with the configured secrets. Set --http-token (or \
         DEX_MCP_HTTP_TOKEN), or listen on 127.0.0.1"
    )]
    TokenRequired(SocketAddr),
}

/// Everything the HTTP transport is configured with.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Required on every request when set; required to be set when
    /// `listen` is not loopback.
    pub token: Option<BearerToken>,
    /// Browser origins allowed besides loopback ones, e.g.
    /// `https://app.example.com:443`.
    pub allowed_origins: Vec<String>,
    /// `Host` header values allowed besides loopback names and the bound
    /// address, e.g. `mcp.example.com` (any port) or `mcp.example.com:8443`.
    pub allowed_hosts: Vec<String>,
}

impl HttpConfig {
    /// Checks the combination: a non-loopback listener needs a token.
    pub fn validate(&self) -> Result<(), HttpConfigError> {
        if !self.listen.ip().is_loopback() && self.token.is_none() {
            return Err(HttpConfigError::TokenRequired(self.listen));
        }
        Ok(())
    }

    /// The `Host` values accepted when bound to `bound`.
    fn hosts(&self, bound: SocketAddr) -> Vec<String> {
        let mut hosts: Vec<String> = LOOPBACK_HOSTS.iter().map(|h| (*h).to_owned()).collect();
        if !bound.ip().is_unspecified() {
            hosts.push(bound.ip().to_string());
        }
        hosts.extend(self.allowed_hosts.iter().cloned());
        hosts
    }

    /// The `Origin` values accepted.
    fn origins(&self) -> Vec<String> {
        LOOPBACK_ORIGINS
            .iter()
            .map(|o| (*o).to_owned())
            .chain(self.allowed_origins.iter().cloned())
            .collect()
    }

    fn rmcp_config(&self, bound: SocketAddr) -> StreamableHttpServerConfig {
        StreamableHttpServerConfig::default()
            // Sessions for clients that still send `initialize`; requests of
            // 2026-07-28 are stateless whatever this says.
            .with_legacy_session_mode(true)
            // A tool call answers with one message: plain JSON, no SSE.
            .with_json_response(true)
            .with_allowed_hosts(self.hosts(bound))
            .with_allowed_origins(self.origins())
            .enforce_origin_validation()
    }
}

/// A bound listener, not yet serving.
pub struct HttpListener {
    listener: tokio::net::TcpListener,
    config: HttpConfig,
}

impl HttpListener {
    /// Validates `config` and binds its address.
    pub async fn bind(config: HttpConfig) -> Result<Self> {
        config.validate()?;
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("listening on {}", config.listen))?;
        Ok(Self { listener, config })
    }

    /// The address actually bound (the port, when 0 was asked for).
    pub fn local_addr(&self) -> Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves `server`'s tools until `shutdown` completes.
    pub async fn serve(
        self,
        server: ComponentServer,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        let bound = self.local_addr()?;
        let service = StreamableHttpService::new(
            move || Ok(server.clone()),
            Arc::new(LocalSessionManager::default()),
            self.config.rmcp_config(bound),
        );
        let mut router = axum::Router::new().route_service(MCP_PATH, service);
        if let Some(token) = self.config.token.clone() {
            router = router.layer(middleware::from_fn_with_state(token, require_token));
        }
        // Added after the token's layer, which covers only the routes
        // before it: a probe has no token.
        let router = router.route(HEALTH_PATH, get(healthy));
        tracing::info!(
            addr = %bound,
            path = MCP_PATH,
            auth = if self.config.token.is_some() { "bearer" } else { "none" },
            "serving MCP over Streamable HTTP"
        );
        axum::serve(without_nagle(self.listener), router)
            .with_graceful_shutdown(shutdown)
            .await
            .context("serving MCP over HTTP")
    }
}

/// `listener` with `TCP_NODELAY` set on every socket it accepts: rmcp
/// writes an answer in pieces, and Nagle's algorithm would hold the last
/// one for the client's delayed ACK (~40 ms per SSE answer here).
fn without_nagle(
    listener: tokio::net::TcpListener,
) -> impl axum::serve::Listener<Io = tokio::net::TcpStream, Addr = SocketAddr> {
    listener.tap_io(|tcp| {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::warn!("cannot set TCP_NODELAY on an accepted socket: {err}");
        }
    })
}

/// What [`HEALTH_PATH`] answers: nothing about the component or its
/// upstream, which a caller without the token may not learn.
async fn healthy() -> &'static str {
    "ok\n"
}

async fn require_token(State(token): State<BearerToken>, request: Request, next: Next) -> Response {
    if token.admits(request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(
        method = %request.method(),
        path = %request.uri().path(),
        "refused an HTTP request without the bearer token"
    );
    let mut response = (StatusCode::UNAUTHORIZED, "missing or wrong bearer token").into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"dex-mcp\""),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn accepted_sockets_have_nagle_off() {
        use axum::serve::Listener;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut listener = without_nagle(listener);
        let _client = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (accepted, _) = listener.accept().await;
        assert!(accepted.nodelay().unwrap());
    }

    fn config(listen: &str, token: Option<&str>) -> HttpConfig {
        HttpConfig {
            listen: listen.parse().unwrap(),
            token: token.and_then(BearerToken::new),
            allowed_origins: vec![],
            allowed_hosts: vec![],
        }
    }

    fn bearer(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, value.parse().unwrap());
        headers
    }

    #[test]
    fn loopback_listener_needs_no_token() {
        assert_eq!(config("127.0.0.1:8080", None).validate(), Ok(()));
        assert_eq!(config("[::1]:8080", None).validate(), Ok(()));
    }

    #[test]
    fn non_loopback_listener_without_token_is_refused() {
        let err = config("0.0.0.0:8080", None).validate().unwrap_err();
        assert_eq!(
            err,
            HttpConfigError::TokenRequired("0.0.0.0:8080".parse().unwrap())
        );
        assert!(err.to_string().contains("DEX_MCP_HTTP_TOKEN"));
        assert!(
            config("192.168.1.5:8080", Some("s3cret"))
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn blank_token_is_no_token() {
        assert!(BearerToken::new("  ").is_none());
        assert!(config("0.0.0.0:1", Some(" ")).validate().is_err());
    }

    #[test]
    fn token_is_admitted_only_when_exact() {
        let token = BearerToken::new("s3cret").unwrap();
        assert!(token.admits(&bearer("Bearer s3cret")));
        assert!(token.admits(&bearer("bearer s3cret")));
        assert!(!token.admits(&bearer("Bearer s3cre")));
        assert!(!token.admits(&bearer("Bearer s3cret2")));
        assert!(!token.admits(&bearer("Basic s3cret")));
        assert!(!token.admits(&bearer("s3cret")));
        assert!(!token.admits(&HeaderMap::new()));
    }

    #[test]
    fn token_debug_hides_the_value() {
        let token = BearerToken::new("s3cret").unwrap();
        assert!(!format!("{token:?}").contains("s3cret"));
    }

    #[test]
    fn bound_address_and_extra_hosts_are_allowed_hosts() {
        let mut c = config("10.0.0.7:9000", Some("t"));
        c.allowed_hosts = vec!["mcp.example.com".into()];
        let hosts = c.hosts("10.0.0.7:9000".parse().unwrap());
        assert!(hosts.contains(&"10.0.0.7".to_owned()));
        assert!(hosts.contains(&"localhost".to_owned()));
        assert!(hosts.contains(&"mcp.example.com".to_owned()));
        let any = c.hosts("0.0.0.0:9000".parse().unwrap());
        assert!(!any.contains(&"0.0.0.0".to_owned()));
    }

    #[test]
    fn only_loopback_origins_unless_configured() {
        let mut c = config("127.0.0.1:1", None);
        assert!(
            c.origins()
                .iter()
                .all(|o| o.contains("localhost") || o.contains("127.0.0.1") || o.contains("[::1]"))
        );
        c.allowed_origins = vec!["https://app.example.com:443".into()];
        assert!(
            c.origins()
                .contains(&"https://app.example.com:443".to_owned())
        );
    }
}
