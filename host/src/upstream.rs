//! Which API the guest talks to, and how the host authenticates to it.
//!
//! These are the only Dex facts in the host: the default base URL and the
//! header each API generation reads the key from. They configure the
//! outbound policy; the tools themselves come from the component.

use anyhow::{Context, Result, bail};
use http::HeaderName;

use crate::metrics::UpstreamMetrics;
use crate::outbound_http::{Credential, Origin, OutboundPolicy, Timeouts};
use crate::outbound_limits::OutboundLimits;
use crate::secret::ApiKey;

/// Dex's v1 API.
pub const DEX_V1_BASE_URL: &str = "https://api.prod.getdex.com";
/// Dex's legacy (Hasura REST) API.
pub const DEX_LEGACY_BASE_URL: &str = "https://api.getdex.com/api/rest";

/// Dex's two API generations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ApiGeneration {
    /// `/v1/...`, `Authorization: Bearer <key>`.
    V1,
    /// `/api/rest/...`, `x-hasura-dex-api-key: <key>`.
    Legacy,
}

impl ApiGeneration {
    /// The value of the guest's `DEX_API_GENERATION`.
    pub fn as_env(self) -> &'static str {
        match self {
            ApiGeneration::V1 => "v1",
            ApiGeneration::Legacy => "legacy",
        }
    }

    /// The base URL when none is configured.
    pub fn default_base_url(self) -> &'static str {
        match self {
            ApiGeneration::V1 => DEX_V1_BASE_URL,
            ApiGeneration::Legacy => DEX_LEGACY_BASE_URL,
        }
    }

    fn credential(self, key: &ApiKey) -> Option<Credential> {
        match self {
            ApiGeneration::V1 => Credential::new(
                http::header::AUTHORIZATION,
                &format!("Bearer {}", key.expose()),
            ),
            ApiGeneration::Legacy => Credential::new(
                HeaderName::from_static("x-hasura-dex-api-key"),
                key.expose(),
            ),
        }
    }
}

/// The upstream API as the host serves it to the guest.
#[derive(Debug, Clone)]
pub struct Upstream {
    /// Base URL the guest builds its requests on.
    pub base_url: String,
    /// Which generation that is.
    pub generation: ApiGeneration,
    /// Seconds the guest keeps what it read.
    pub cache_ttl_seconds: u64,
}

impl Upstream {
    /// The guest's environment: where the API is, never the key.
    pub fn guest_env(&self) -> Vec<(String, String)> {
        vec![
            ("DEX_API_BASE_URL".into(), self.base_url.clone()),
            ("DEX_API_GENERATION".into(), self.generation.as_env().into()),
            (
                "DEX_CACHE_TTL_SECONDS".into(),
                self.cache_ttl_seconds.to_string(),
            ),
        ]
    }

    /// Requests may go to the base URL's origin only, carrying `key`.
    pub fn policy(&self, key: &ApiKey, timeouts: Timeouts) -> Result<OutboundPolicy> {
        let allowed = Origin::of_url(&self.base_url).context("the Dex base URL")?;
        let Some(credential) = self.generation.credential(key) else {
            bail!("the Dex API key contains characters that cannot be sent in an HTTP header");
        };
        Ok(OutboundPolicy {
            allowed,
            credential: Some(credential),
            timeouts,
            limits: OutboundLimits::default(),
            metrics: UpstreamMetrics::default(),
        })
    }
}
