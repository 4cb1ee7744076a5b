//! The API key, kept out of logs and error messages by its type.

use std::fmt;

/// A Dex API key. Its `Debug` and `Display` print `<redacted>`; only
/// [`ApiKey::expose`] gives the key, to the one place that builds the
/// outbound credential header.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps `key`, trimmed.
    pub fn new(key: &str) -> Self {
        Self(key.trim().to_owned())
    }

    /// The key itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_shows_the_key() {
        let key = ApiKey::new(" dex_live_123 ");
        assert_eq!(key.expose(), "dex_live_123");
        assert!(!format!("{key:?} {key}").contains("dex_live_123"));
    }
}
