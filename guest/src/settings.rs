//! The guest's settings, read from its environment.
//!
//! Environment variables are the one configuration channel every WASI 0.2
//! runtime offers (`wasmtime run --env`, jco's shim, our host), so the
//! component needs no host-specific config interface.

use crate::model::{ErrorKind, ToolError};

/// Where Dex's v1 API lives.
pub const DEFAULT_V1_BASE_URL: &str = "https://api.prod.getdex.com";

/// Where Dex's legacy (Hasura REST) API lives.
pub const DEFAULT_LEGACY_BASE_URL: &str = "https://api.getdex.com/api/rest";

/// Which of Dex's two API generations to talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiGeneration {
    /// `/v1/...` with a bearer key: the current API.
    V1,
    /// The Hasura REST API under `/api/rest`, kept for existing users.
    Legacy,
}

/// Everything the guest is told by its host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Base URL of the API, without a trailing slash.
    pub base_url: String,
    /// The API generation behind `base_url`.
    pub generation: ApiGeneration,
    /// How long the account read from Dex is kept between calls
    /// (`DEX_CACHE_TTL_SECONDS`, default 300; 0 reads it on every call).
    pub cache_ttl: std::time::Duration,
}

/// Five minutes: long enough for a conversation's burst of calls, short
/// enough that edits made in Dex's own app show up soon.
const DEFAULT_CACHE_TTL_SECONDS: u64 = 300;

impl Settings {
    /// Reads `DEX_API_BASE_URL` and `DEX_API_GENERATION` through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ToolError> {
        let generation = match lookup("DEX_API_GENERATION").as_deref().map(str::trim) {
            None | Some("") | Some("v1") => ApiGeneration::V1,
            Some("legacy") => ApiGeneration::Legacy,
            Some(other) => {
                return Err(ToolError::new(
                    ErrorKind::Validation,
                    format!("DEX_API_GENERATION is `{other}`; it must be `v1` or `legacy`"),
                ));
            }
        };
        let base_url = lookup("DEX_API_BASE_URL")
            .map(|u| u.trim().trim_end_matches('/').to_owned())
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| {
                match generation {
                    ApiGeneration::V1 => DEFAULT_V1_BASE_URL,
                    ApiGeneration::Legacy => DEFAULT_LEGACY_BASE_URL,
                }
                .to_owned()
            });
        let cache_ttl = match lookup("DEX_CACHE_TTL_SECONDS").as_deref().map(str::trim) {
            None | Some("") => DEFAULT_CACHE_TTL_SECONDS,
            Some(seconds) => seconds.parse().map_err(|_| {
                ToolError::new(
                    ErrorKind::Validation,
                    format!(
                        "DEX_CACHE_TTL_SECONDS is `{seconds}`; it must be a whole number of seconds"
                    ),
                )
            })?,
        };
        Ok(Self {
            base_url,
            generation,
            cache_ttl: std::time::Duration::from_secs(cache_ttl),
        })
    }

    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Self, ToolError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_dex_v1() {
        let settings = Settings::from_lookup(|_| None).unwrap();
        assert_eq!(settings.base_url, DEFAULT_V1_BASE_URL);
        assert_eq!(settings.generation, ApiGeneration::V1);
    }

    #[test]
    fn legacy_defaults_to_the_hasura_rest_base() {
        let settings =
            Settings::from_lookup(|n| (n == "DEX_API_GENERATION").then(|| "legacy".into()))
                .unwrap();
        assert_eq!(settings.generation, ApiGeneration::Legacy);
        assert_eq!(settings.base_url, DEFAULT_LEGACY_BASE_URL);
    }

    #[test]
    fn cache_ttl_defaults_to_five_minutes_and_is_validated() {
        let default = Settings::from_lookup(|_| None).unwrap();
        assert_eq!(default.cache_ttl, std::time::Duration::from_secs(300));
        let off =
            Settings::from_lookup(|n| (n == "DEX_CACHE_TTL_SECONDS").then(|| "0".into())).unwrap();
        assert_eq!(off.cache_ttl, std::time::Duration::ZERO);
        assert!(
            Settings::from_lookup(|n| (n == "DEX_CACHE_TTL_SECONDS").then(|| "5m".into())).is_err()
        );
    }

    #[test]
    fn unknown_generation_is_refused_with_the_choices() {
        let err = Settings::from_lookup(|n| (n == "DEX_API_GENERATION").then(|| "v2".into()))
            .unwrap_err();
        assert!(err.message.contains("`v1` or `legacy`"));
    }
}
