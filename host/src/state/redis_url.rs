//! Where a Redis state store is (`--state-url`), and how to name it in a
//! log line or an error without its password.
//!
//! The URL may carry a password (`redis://:password@host`, or
//! `redis://user:password@host` with Redis ACLs). It is a secret like the
//! upstream's key: the whole URL goes to the Redis client and nowhere
//! else; everything that shows it (`Display`, `Debug`, errors, logs) shows
//! [`RedisUrl::redacted`], and text from the client is passed through
//! [`RedisUrl::scrub`] before it is shown.

use std::fmt;

use percent_encoding::percent_decode_str;

/// What a redacted password is shown as.
const HIDDEN: &str = "***";

/// The form `--state-url` takes, for error messages.
pub const FORM: &str = "redis://[user:password@]host[:port][/db]";

/// A checked `redis://` URL. Its password never shows: see the module
/// documentation.
#[derive(Clone, PartialEq, Eq)]
pub struct RedisUrl {
    full: url::Url,
    redacted: String,
}

/// Why a `--state-url` was refused. No variant holds the password: each
/// names the URL redacted, or not at all when it could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedisUrlError {
    /// Not a URL at all (the parser's reason never repeats the input).
    #[error("--state-url is not a URL of the form {FORM}: {0}")]
    NotAUrl(String),
    /// `rediss`: Redis over TLS, which this build does not speak (the
    /// client's TLS features would bring a TLS stack for this alone).
    #[error(
        "--state-url {0}: rediss:// (TLS) is not supported; use redis:// on a private network or through a TLS tunnel"
    )]
    Tls(String),
    /// A scheme other than `redis`.
    #[error("--state-url {url}: the scheme must be redis://, not {scheme}://")]
    Scheme {
        /// The URL, redacted.
        url: String,
        /// The scheme given.
        scheme: String,
    },
    /// No host to connect to.
    #[error("--state-url {0}: names no host (expected {FORM})")]
    NoHost(String),
    /// A path that is not a database number.
    #[error("--state-url {0}: the path must be a database number, e.g. /0 (expected {FORM})")]
    Database(String),
    /// A query or fragment, which could carry settings (or a password)
    /// that this check does not know.
    #[error("--state-url {0}: takes no query or fragment (expected {FORM})")]
    Extra(String),
}

impl RedisUrl {
    /// Checks `text`: scheme `redis`, a host, an optional port and
    /// database number, nothing else.
    pub fn parse(text: &str) -> Result<Self, RedisUrlError> {
        let full = url::Url::parse(text).map_err(|e| RedisUrlError::NotAUrl(e.to_string()))?;
        let redacted = redact(&full);
        if full.scheme() == "rediss" {
            return Err(RedisUrlError::Tls(redacted));
        }
        if full.scheme() != "redis" {
            return Err(RedisUrlError::Scheme {
                url: redacted,
                scheme: full.scheme().to_owned(),
            });
        }
        if full.host_str().is_none_or(str::is_empty) {
            return Err(RedisUrlError::NoHost(redacted));
        }
        if full.query().is_some() || full.fragment().is_some() {
            return Err(RedisUrlError::Extra(redacted));
        }
        if database(&full).is_none() {
            return Err(RedisUrlError::Database(redacted));
        }
        Ok(Self { full, redacted })
    }

    /// The URL with its password replaced by `***`: what every log line
    /// and error shows.
    pub fn redacted(&self) -> &str {
        &self.redacted
    }

    /// The whole URL, password included: for the Redis client only.
    pub(super) fn for_client(&self) -> &str {
        self.full.as_str()
    }

    /// `text` (an error from the Redis client, say) with the password
    /// replaced by `***`, as written in the URL and decoded: no client
    /// error is known to repeat it, but none is trusted not to.
    pub fn scrub(&self, text: &str) -> String {
        let Some(written) = self.full.password().filter(|p| !p.is_empty()) else {
            return text.to_owned();
        };
        let decoded = percent_decode_str(written).decode_utf8_lossy();
        // The longer first, so that a password containing the other form
        // is replaced whole.
        let mut forms = [written, decoded.as_ref()];
        forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
        forms
            .iter()
            .filter(|form| !form.is_empty())
            .fold(text.to_owned(), |text, form| text.replace(form, HIDDEN))
    }
}

/// The database number of `url`'s path (0 when it has none), or `None`
/// when the path is something else.
fn database(url: &url::Url) -> Option<u32> {
    match url.path().trim_start_matches('/') {
        "" => Some(0),
        number => number.parse().ok(),
    }
}

/// `url` as shown: the password replaced, the rest as given.
fn redact(url: &url::Url) -> String {
    let mut shown = url.clone();
    if url.password().is_some() {
        // Only fails for URLs that cannot have a password at all, which
        // then have none to hide.
        let _ = shown.set_password(Some(HIDDEN));
    }
    shown.to_string()
}

impl std::str::FromStr for RedisUrl {
    type Err = RedisUrlError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl fmt::Display for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted)
    }
}

impl fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RedisUrl({})", self.redacted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_and_database_are_read() {
        for (text, shown) in [
            ("redis://127.0.0.1:6380", "redis://127.0.0.1:6380"),
            ("redis://cache.internal", "redis://cache.internal"),
            (
                "redis://cache.internal:6379/3",
                "redis://cache.internal:6379/3",
            ),
            ("redis://[::1]:7000/", "redis://[::1]:7000/"),
        ] {
            let url = RedisUrl::parse(text).unwrap();
            assert_eq!(url.redacted(), shown);
            assert_eq!(url.for_client(), url::Url::parse(text).unwrap().as_str());
        }
    }

    #[test]
    fn the_password_never_shows() {
        for text in [
            "redis://:s3cret-pass@cache.internal:6379/2",
            "redis://app:s3cret-pass@cache.internal",
        ] {
            let url = RedisUrl::parse(text).unwrap();
            for shown in [
                url.redacted().to_owned(),
                url.to_string(),
                format!("{url:?}"),
                format!("{:?}", Some(url.clone())),
            ] {
                assert!(!shown.contains("s3cret"), "{shown}");
                assert!(shown.contains(":***@cache.internal"), "{shown}");
            }
            assert!(url.for_client().contains("s3cret-pass"));
        }
        let url = RedisUrl::parse("redis://app:s3cret-pass@cache.internal").unwrap();
        assert!(url.redacted().starts_with("redis://app:***@"));
    }

    #[test]
    fn refusals_do_not_repeat_the_password() {
        for text in [
            "rediss://:s3cret@cache.internal",
            "http://:s3cret@cache.internal",
            "redis://:s3cret@cache.internal/not-a-number",
            "redis://:s3cret@cache.internal/0?password=other",
            "redis://:s3cret@cache.internal:99999",
            "redis://:s3cret@/0",
            ":s3cret@cache.internal",
        ] {
            let error = RedisUrl::parse(text).unwrap_err().to_string();
            assert!(!error.contains("s3cret"), "{text}: {error}");
            assert!(error.contains("--state-url"), "{text}: {error}");
        }
        assert!(matches!(
            RedisUrl::parse("rediss://cache.internal"),
            Err(RedisUrlError::Tls(_))
        ));
        assert!(matches!(
            RedisUrl::parse("valkey://cache.internal"),
            Err(RedisUrlError::Scheme { .. })
        ));
        assert!(matches!(
            RedisUrl::parse("redis://cache.internal/x"),
            Err(RedisUrlError::Database(_))
        ));
        assert!(matches!(
            RedisUrl::parse("redis://cache.internal/0#frag"),
            Err(RedisUrlError::Extra(_))
        ));
    }

    #[test]
    fn scrub_hides_the_password_as_written_and_decoded() {
        let url = RedisUrl::parse("redis://:p%40ss%2Fword@cache.internal").unwrap();
        assert_eq!(url.redacted(), "redis://:***@cache.internal");
        assert_eq!(
            url.scrub("AUTH p@ss/word failed; url redis://:p%40ss%2Fword@cache.internal"),
            "AUTH *** failed; url redis://:***@cache.internal"
        );
        let no_password = RedisUrl::parse("redis://cache.internal").unwrap();
        assert_eq!(no_password.scrub("as it is"), "as it is");
    }
}
