//! The guest's settings: what it declares to its host, and how it reads
//! them from its environment.
//!
//! Environment variables are the one configuration channel every WASI 0.2
//! runtime offers (`wasmtime run --env`, jco's shim, our host), so the
//! component needs no host-specific config interface. What it does add is
//! a declaration of each setting ([`DECLARED`], exported through
//! `wit/server.wit`), so that a host can offer them to its operator with
//! their descriptions and choices without knowing a word of Dex.

use std::sync::OnceLock;

use crate::model::{ErrorKind, ToolError};

/// Where Dex's v1 API lives.
pub const DEFAULT_V1_BASE_URL: &str = "https://api.prod.getdex.com";

/// Where Dex's legacy (Hasura REST) API lives.
pub const DEFAULT_LEGACY_BASE_URL: &str = "https://api.getdex.com/api/rest";

/// The API key's setting: its name, which is also what the component's
/// requests name in their secret placeholder (see [`crate::identity`]).
pub const API_KEY: &str = "api-key";
/// The API key's environment variable. Our host never sets it (the key
/// is a secret); a plain WASI runtime's user may.
pub const API_KEY_ENV: &str = "DEX_API_KEY";
/// The variable naming the API generation.
pub const API_GENERATION_ENV: &str = "DEX_API_GENERATION";
/// The variable holding the API's base URL.
pub const BASE_URL_ENV: &str = "DEX_API_BASE_URL";
/// The variable holding the account cache's lifetime, in seconds.
pub const CACHE_TTL_ENV: &str = "DEX_MCP_CACHE_TTL";
/// The variable naming the zone "today" falls back to.
pub const TIME_ZONE_ENV: &str = "DEX_TIME_ZONE";
/// POSIX's variable for the local zone: our host passes the machine's
/// zone in it (the component cannot see the machine), as any WASI runtime
/// may.
pub const MACHINE_TIME_ZONE_ENV: &str = "TZ";

/// Why the legacy API is deprecated and what to do instead: said in the
/// setting's declaration (so in the host's `--help` and start-up warning)
/// and in the error of every capability that is v1 only.
pub const LEGACY_DEPRECATION: &str = "two public clients report that the legacy API's host \
     stopped answering in August 2026; use v1 instead: --api-generation v1 or \
     DEX_API_GENERATION=v1";

/// Which of Dex's two API generations to talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiGeneration {
    /// `/v1/...` with a bearer key: the current API.
    V1,
    /// The Hasura REST API under `/api/rest`: deprecated, kept working for
    /// existing tools only.
    Legacy,
}

impl ApiGeneration {
    /// `Ok` on v1; on legacy, the error that `capability` (a tool's name,
    /// or what it was asked to do) needs v1.
    ///
    /// The legacy API is deprecated: capabilities added from now on are
    /// built for v1 only and call this first, so that every one of them
    /// answers legacy users the same way.
    pub fn require_v1(self, capability: &str) -> Result<(), ToolError> {
        match self {
            ApiGeneration::V1 => Ok(()),
            ApiGeneration::Legacy => Err(ToolError::new(
                ErrorKind::Validation,
                format!(
                    "{capability} needs Dex's v1 API; the legacy API is deprecated \
                     ({LEGACY_DEPRECATION}). Nothing was sent to Dex."
                ),
            )),
        }
    }
}

/// One value a setting with a fixed list of values may take
/// (`setting-choice` in `wit/server.wit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChoiceDoc {
    /// The value as written.
    pub value: &'static str,
    /// What choosing it means.
    pub description: &'static str,
    /// Why the value is deprecated, when it is.
    pub deprecated: Option<&'static str>,
}

/// One setting the guest reads (`setting` in `wit/server.wit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingDoc {
    /// Kebab-case name: the host's flag, the secret's placeholder name.
    pub name: &'static str,
    /// The environment variable it is read from.
    pub env: &'static str,
    /// What it changes, for the operator.
    pub description: &'static str,
    /// The value when none is given.
    pub default: Option<&'static str>,
    /// The values allowed; empty for any.
    pub choices: &'static [ChoiceDoc],
    /// Never passed in the environment by a host; see `wit/server.wit`.
    pub secret: bool,
    /// Why the setting is deprecated, when it is.
    pub deprecated: Option<&'static str>,
}

/// Every setting the guest reads, in the order `--help` lists them.
pub const DECLARED: &[SettingDoc] = &[
    SettingDoc {
        name: API_KEY,
        env: API_KEY_ENV,
        description: "Dex API key (Dex > Settings > API). Without one, dex-mcp serves its \
                      built-in simulated Dex (demo mode) where it has one. Never logged, never \
                      given to the component.",
        default: None,
        choices: &[],
        secret: true,
        deprecated: None,
    },
    SettingDoc {
        name: "api-generation",
        env: API_GENERATION_ENV,
        description: "Which Dex API to use.",
        default: Some("v1"),
        choices: &[
            ChoiceDoc {
                value: "v1",
                description: "Dex's current API (/v1/..., bearer key)",
                deprecated: None,
            },
            ChoiceDoc {
                value: "legacy",
                description: "the older Hasura REST API (/api/rest/...); existing tools keep \
                              working on it, new ones need v1",
                deprecated: Some(LEGACY_DEPRECATION),
            },
        ],
        secret: false,
        deprecated: None,
    },
    SettingDoc {
        name: "base-url",
        env: BASE_URL_ENV,
        description: "Base URL of the Dex API (default: Dex's own for the chosen generation). \
                      Requests may go to its origin only.",
        default: None,
        choices: &[],
        secret: false,
        deprecated: None,
    },
    SettingDoc {
        name: "cache-ttl",
        env: CACHE_TTL_ENV,
        description: "Seconds the account read from Dex (contacts, notes, reminders and their \
                      indexes) is kept between calls before it is read again; 0 reads it on \
                      every call.",
        default: Some("300"),
        choices: &[],
        secret: false,
        deprecated: None,
    },
    SettingDoc {
        name: "time-zone",
        env: TIME_ZONE_ENV,
        description: "The time zone (IANA name, like Europe/Berlin) that \"today\", upcoming and \
                      overdue are reckoned in when Dex names none for the account's owner \
                      (default: the machine's zone, which the host passes as TZ).",
        default: None,
        choices: &[],
        secret: false,
        deprecated: None,
    },
];

/// Everything the guest is told by its host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Base URL of the API, without a trailing slash.
    pub base_url: String,
    /// The API generation behind `base_url`.
    pub generation: ApiGeneration,
    /// How long the account read from Dex is kept between calls
    /// (`DEX_MCP_CACHE_TTL`, default 300; 0 reads it on every call).
    pub cache_ttl: std::time::Duration,
    /// The zone "today" is reckoned in when Dex names none for the owner
    /// (`DEX_TIME_ZONE`, an IANA name such as `Europe/Berlin`; else `TZ`,
    /// where the host passes the machine's zone). Checked where it is
    /// used: an unknown name is passed over there, and said.
    pub time_zone: Option<String>,
    /// Whether the host runs `maintenance` rounds between calls
    /// ([`HOST_MAINTENANCE_ENV`], `wit/maintenance.wit`): only then may a
    /// call be answered from an account older than `cache_ttl` while the
    /// host brings it up to date.
    pub host_maintenance: bool,
}

/// The variable a host sets when it runs `maintenance` rounds between calls
/// (`wit/maintenance.wit`); any value but empty means it does.
pub const HOST_MAINTENANCE_ENV: &str = "MCP_HOST_MAINTENANCE";

/// Five minutes: long enough for a conversation's burst of calls, short
/// enough that edits made in Dex's own app show up soon.
const DEFAULT_CACHE_TTL_SECONDS: u64 = 300;

impl Settings {
    /// Reads the settings of [`DECLARED`] (but the key) through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ToolError> {
        let generation = match lookup(API_GENERATION_ENV).as_deref().map(str::trim) {
            None | Some("") | Some("v1") => ApiGeneration::V1,
            Some("legacy") => ApiGeneration::Legacy,
            Some(other) => {
                return Err(ToolError::new(
                    ErrorKind::Validation,
                    format!("{API_GENERATION_ENV} is `{other}`; it must be `v1` or `legacy`"),
                ));
            }
        };
        let base_url = lookup(BASE_URL_ENV)
            .map(|u| u.trim().trim_end_matches('/').to_owned())
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| {
                match generation {
                    ApiGeneration::V1 => DEFAULT_V1_BASE_URL,
                    ApiGeneration::Legacy => DEFAULT_LEGACY_BASE_URL,
                }
                .to_owned()
            });
        let cache_ttl = match lookup(CACHE_TTL_ENV).as_deref().map(str::trim) {
            None | Some("") => DEFAULT_CACHE_TTL_SECONDS,
            Some(seconds) => seconds.parse().map_err(|_| {
                ToolError::new(
                    ErrorKind::Validation,
                    format!("{CACHE_TTL_ENV} is `{seconds}`; it must be a whole number of seconds"),
                )
            })?,
        };
        let zone = |name: &str| {
            lookup(name)
                .map(|zone| zone.trim().trim_start_matches(':').to_owned())
                .filter(|zone| !zone.is_empty())
        };
        let time_zone = zone(TIME_ZONE_ENV).or_else(|| zone(MACHINE_TIME_ZONE_ENV));
        Ok(Self {
            base_url,
            generation,
            cache_ttl: std::time::Duration::from_secs(cache_ttl),
            time_zone,
            host_maintenance: lookup(HOST_MAINTENANCE_ENV).is_some_and(|v| !v.trim().is_empty()),
        })
    }

    /// Reads the settings from the process environment, once: an
    /// instance's environment is fixed when it is made (WASI gives it at
    /// instantiation), while reading and parsing it on every call cost a
    /// few microseconds of each (docs/benchmarks.md, "Fixed cost of a
    /// call").
    pub fn from_env() -> Result<Self, ToolError> {
        static READ: OnceLock<Result<Settings, ToolError>> = OnceLock::new();
        Self::remembered(&READ, || Self::from_lookup(|name| std::env::var(name).ok()))
    }

    /// What `read` gives the first time, kept in `memo` for every later
    /// call.
    fn remembered(
        memo: &OnceLock<Result<Settings, ToolError>>,
        read: impl FnOnce() -> Result<Self, ToolError>,
    ) -> Result<Self, ToolError> {
        memo.get_or_init(read).clone()
    }

    /// The settings of a call to a capability only v1 has: on the legacy
    /// API, the error saying that `capability` takes v1, before any request.
    pub fn from_env_on_v1(capability: &str) -> Result<Self, ToolError> {
        let settings = Self::from_env()?;
        settings.generation.require_v1(capability)?;
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(name: &'static str, value: &'static str) -> impl Fn(&str) -> Option<String> {
        move |n| (n == name).then(|| value.into())
    }

    #[test]
    fn the_environment_is_read_once_and_its_answer_kept() {
        let memo = OnceLock::new();
        let reads = std::cell::Cell::new(0);
        let read = || {
            reads.set(reads.get() + 1);
            Settings::from_lookup(only(CACHE_TTL_ENV, "5m"))
        };
        let first = Settings::remembered(&memo, read).unwrap_err();
        let again = Settings::remembered(&memo, || panic!("read again")).unwrap_err();
        assert_eq!((reads.get(), first), (1, again));
        let memo = OnceLock::new();
        let kept = Settings::remembered(&memo, || Settings::from_lookup(|_| None)).unwrap();
        let read = Settings::remembered(&memo, || panic!("read again")).unwrap();
        assert_eq!(kept, read);
    }

    #[test]
    fn defaults_to_dex_v1() {
        let settings = Settings::from_lookup(|_| None).unwrap();
        assert_eq!(settings.base_url, DEFAULT_V1_BASE_URL);
        assert_eq!(settings.generation, ApiGeneration::V1);
    }

    #[test]
    fn legacy_defaults_to_the_hasura_rest_base() {
        let settings = Settings::from_lookup(only(API_GENERATION_ENV, "legacy")).unwrap();
        assert_eq!(settings.generation, ApiGeneration::Legacy);
        assert_eq!(settings.base_url, DEFAULT_LEGACY_BASE_URL);
    }

    #[test]
    fn cache_ttl_defaults_to_five_minutes_and_is_validated() {
        let default = Settings::from_lookup(|_| None).unwrap();
        assert_eq!(default.cache_ttl, std::time::Duration::from_secs(300));
        let off = Settings::from_lookup(only(CACHE_TTL_ENV, "0")).unwrap();
        assert_eq!(off.cache_ttl, std::time::Duration::ZERO);
        let err = Settings::from_lookup(only(CACHE_TTL_ENV, "5m")).unwrap_err();
        assert!(err.message.contains("DEX_MCP_CACHE_TTL"), "{}", err.message);
    }

    #[test]
    fn the_time_zone_setting_is_optional_and_trimmed() {
        assert_eq!(Settings::from_lookup(|_| None).unwrap().time_zone, None);
        let set = Settings::from_lookup(|n| (n == "DEX_TIME_ZONE").then(|| " Asia/Tokyo ".into()))
            .unwrap();
        assert_eq!(set.time_zone.as_deref(), Some("Asia/Tokyo"));
        let blank = Settings::from_lookup(|n| (n == "DEX_TIME_ZONE").then(|| " ".into())).unwrap();
        assert_eq!(blank.time_zone, None);
    }

    #[test]
    fn the_machine_s_zone_in_tz_is_the_fallback() {
        let machine = Settings::from_lookup(only(MACHINE_TIME_ZONE_ENV, ":Europe/Berlin")).unwrap();
        assert_eq!(machine.time_zone.as_deref(), Some("Europe/Berlin"));
        let both = Settings::from_lookup(|n| match n {
            TIME_ZONE_ENV => Some("Asia/Tokyo".into()),
            MACHINE_TIME_ZONE_ENV => Some("Europe/Berlin".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(both.time_zone.as_deref(), Some("Asia/Tokyo"));
    }

    #[test]
    fn unknown_generation_is_refused_with_the_choices() {
        let err = Settings::from_lookup(only(API_GENERATION_ENV, "v2")).unwrap_err();
        assert!(err.message.contains("`v1` or `legacy`"));
    }

    fn declared(name: &str) -> &'static SettingDoc {
        DECLARED
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("{name} is not declared"))
    }

    #[test]
    fn declared_names_and_variables_follow_the_wit_rules() {
        for setting in DECLARED {
            let name_ok = setting.name.starts_with(|c: char| c.is_ascii_lowercase())
                && setting
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            assert!(name_ok, "{}", setting.name);
            assert!(
                setting
                    .env
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                "{}",
                setting.env
            );
            assert!(!setting.description.is_empty(), "{}", setting.name);
            assert!(
                !(setting.secret && setting.default.is_some()),
                "{}",
                setting.name
            );
        }
    }

    #[test]
    fn every_declared_choice_and_default_is_what_the_reader_accepts() {
        for setting in DECLARED.iter().filter(|s| !s.secret) {
            let values = setting
                .choices
                .iter()
                .map(|c| c.value)
                .chain(setting.default);
            for value in values {
                let lookup = |n: &str| (n == setting.env).then(|| value.to_owned());
                assert!(
                    Settings::from_lookup(lookup).is_ok(),
                    "{}={value} is declared but refused",
                    setting.env
                );
            }
        }
        let generation = declared("api-generation");
        assert_eq!(generation.default, Some("v1"));
        let values: Vec<_> = generation.choices.iter().map(|c| c.value).collect();
        assert_eq!(values, ["v1", "legacy"]);
    }

    #[test]
    fn the_key_is_the_one_secret_and_legacy_the_one_deprecated_value() {
        let secrets: Vec<_> = DECLARED.iter().filter(|s| s.secret).collect();
        assert_eq!(secrets.len(), 1);
        assert_eq!((secrets[0].name, secrets[0].env), (API_KEY, API_KEY_ENV));
        let deprecated: Vec<_> = DECLARED
            .iter()
            .flat_map(|s| s.choices)
            .filter(|c| c.deprecated.is_some())
            .map(|c| c.value)
            .collect();
        assert_eq!(deprecated, ["legacy"]);
    }

    #[test]
    fn v1_only_capabilities_refuse_legacy_saying_it_is_deprecated() {
        assert!(ApiGeneration::V1.require_v1("get_note").is_ok());
        let err = ApiGeneration::Legacy.require_v1("get_note").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation);
        assert!(
            err.message.starts_with(
                "get_note needs Dex's v1 API; the legacy API is deprecated (two public clients"
            ),
            "{}",
            err.message
        );
        assert!(
            err.message.contains("DEX_API_GENERATION=v1"),
            "{}",
            err.message
        );
        assert!(err.message.contains("Nothing was sent"), "{}", err.message);
    }
}
