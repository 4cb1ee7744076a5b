//! Where state is kept, from the command line.

use std::path::PathBuf;
use std::sync::Arc;

use super::{Backend, LocalStore, RedisStore, RedisUrl, StoreError};

/// Where the component's state goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateLocation {
    /// Nowhere: every process starts empty (`--no-state`).
    Off,
    /// A database file in this directory (`--state-dir`, by default the
    /// user's cache directory).
    Dir(PathBuf),
    /// A Redis server that several replicas share (`--state-url`).
    Redis(RedisUrl),
}

/// The state settings of one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateConfig {
    /// Where.
    pub location: StateLocation,
}

impl StateConfig {
    /// From the flags: `--no-state` wins; else `--state-url` (a store
    /// shared with other replicas is what the operator asked for, over
    /// any local one); else `--state-dir`, else
    /// `$XDG_CACHE_HOME/dex-mcp/state` (or `~/.cache/dex-mcp/state`); off
    /// when there is no such directory to use.
    pub fn from_flags(
        no_state: bool,
        state_dir: Option<PathBuf>,
        state_url: Option<RedisUrl>,
    ) -> Self {
        let location = if no_state {
            StateLocation::Off
        } else if let Some(url) = state_url {
            StateLocation::Redis(url)
        } else {
            state_dir
                .or_else(default_dir)
                .map_or(StateLocation::Off, StateLocation::Dir)
        };
        Self { location }
    }

    /// The backend, or `None` when state is off or cannot be opened: the
    /// component then runs without state (a warning says why), since state
    /// only saves reading the account again and must never stop a server.
    pub fn open(&self) -> Option<Arc<dyn Backend>> {
        match &self.location {
            StateLocation::Off => None,
            StateLocation::Dir(dir) => match LocalStore::open(dir) {
                Ok(store) => {
                    tracing::info!(path = %store.path().display(), "component state kept in a local database");
                    Some(Arc::new(store))
                }
                Err(err) => {
                    tracing::warn!(
                        "running without component state: {err} (`dex-mcp forget` removes a damaged file)"
                    );
                    None
                }
            },
            StateLocation::Redis(url) => match RedisStore::connect(url.clone()) {
                Ok(store) => {
                    tracing::info!(store = %store.url(), "component state kept in redis");
                    Some(Arc::new(store))
                }
                Err(err) => {
                    // Not retried later: a server that starts without state
                    // keeps running without it, as with a damaged file.
                    tracing::warn!("running without component state: {err}");
                    None
                }
            },
        }
    }

    /// Removes what is stored, for `dex-mcp forget`; a sentence saying what
    /// was removed. In Redis, that is every key under
    /// [`super::KEY_PREFIX`], whichever account it belongs to, and
    /// nothing else.
    pub fn forget(&self) -> Result<String, StoreError> {
        match &self.location {
            StateLocation::Off => Ok("state is off (--no-state): nothing to remove".into()),
            StateLocation::Dir(dir) => {
                let file = dir.join(super::local::FILE_NAME);
                let removed = super::local::remove(dir).map_err(|e| StoreError::Local {
                    path: file.display().to_string(),
                    reason: format!("cannot remove it: {e}"),
                })?;
                Ok(if removed {
                    format!("removed {}", file.display())
                } else {
                    format!("nothing stored in {}", dir.display())
                })
            }
            StateLocation::Redis(url) => {
                let removed = RedisStore::connect(url.clone())?.remove_all()?;
                Ok(if removed.keys == 0 {
                    format!("nothing stored under {}* in {url}", super::KEY_PREFIX)
                } else {
                    format!(
                        "removed {} keys of {} buckets under {}* from {url}",
                        removed.keys,
                        removed.buckets,
                        super::KEY_PREFIX
                    )
                })
            }
        }
    }
}

/// The default state directory, beside the compile cache.
fn default_dir() -> Option<PathBuf> {
    crate::compile_cache::CompileCache::default_dir().map(|cache| cache.join("state"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redis(text: &str) -> Option<RedisUrl> {
        Some(RedisUrl::parse(text).unwrap())
    }

    #[test]
    fn no_state_wins_over_a_directory_and_a_url() {
        let config = StateConfig::from_flags(true, Some("/tmp/x".into()), redis("redis://h"));
        assert_eq!(config.location, StateLocation::Off);
        assert!(config.open().is_none());
    }

    #[test]
    fn a_given_directory_is_used() {
        let config = StateConfig::from_flags(false, Some("/tmp/x".into()), None);
        assert_eq!(config.location, StateLocation::Dir("/tmp/x".into()));
    }

    #[test]
    fn a_url_wins_over_a_directory() {
        let config = StateConfig::from_flags(false, Some("/tmp/x".into()), redis("redis://h/1"));
        assert_eq!(
            config.location,
            StateLocation::Redis(redis("redis://h/1").unwrap())
        );
    }

    #[test]
    fn a_directory_that_cannot_be_made_leaves_state_off() {
        let config = StateConfig::from_flags(false, Some("/proc/no/such/dir".into()), None);
        assert!(config.open().is_none());
    }

    #[test]
    fn an_unreachable_redis_leaves_state_off_and_forget_fails() {
        // Nothing listens on loopback port 1.
        let config = StateConfig::from_flags(false, None, redis("redis://:pw-x@127.0.0.1:1"));
        assert!(config.open().is_none());
        let error = config.forget().unwrap_err().to_string();
        assert!(error.contains("redis://:***@127.0.0.1:1"), "{error}");
        assert!(!error.contains("pw-x"), "{error}");
    }
}
