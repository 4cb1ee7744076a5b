//! Where state is kept, from the command line.

use std::path::PathBuf;
use std::sync::Arc;

use super::{Backend, LocalStore};

/// Where the component's state goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateLocation {
    /// Nowhere: every process starts empty (`--no-state`).
    Off,
    /// A database file in this directory (`--state-dir`, by default the
    /// user's cache directory).
    Dir(PathBuf),
}

/// The state settings of one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateConfig {
    /// Where.
    pub location: StateLocation,
}

impl StateConfig {
    /// From the flags: `--no-state` wins; else `--state-dir`, else
    /// `$XDG_CACHE_HOME/dex-mcp/state` (or `~/.cache/dex-mcp/state`); off
    /// when there is no such directory to use.
    pub fn from_flags(no_state: bool, state_dir: Option<PathBuf>) -> Self {
        let location = if no_state {
            StateLocation::Off
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
        }
    }

    /// Removes what is stored, for `dex-mcp forget`; a sentence saying what
    /// was removed.
    pub fn forget(&self) -> std::io::Result<String> {
        match &self.location {
            StateLocation::Off => Ok("state is off (--no-state): nothing to remove".into()),
            StateLocation::Dir(dir) => Ok(if super::local::remove(dir)? {
                format!("removed {}", dir.join(super::local::FILE_NAME).display())
            } else {
                format!("nothing stored in {}", dir.display())
            }),
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

    #[test]
    fn no_state_wins_over_a_directory() {
        let config = StateConfig::from_flags(true, Some("/tmp/x".into()));
        assert_eq!(config.location, StateLocation::Off);
        assert!(config.open().is_none());
    }

    #[test]
    fn a_given_directory_is_used() {
        let config = StateConfig::from_flags(false, Some("/tmp/x".into()));
        assert_eq!(config.location, StateLocation::Dir("/tmp/x".into()));
    }

    #[test]
    fn a_directory_that_cannot_be_made_leaves_state_off() {
        let config = StateConfig::from_flags(false, Some("/proc/no/such/dir".into()));
        assert!(config.open().is_none());
    }
}
