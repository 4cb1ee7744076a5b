//! Secrets: the values of the component's secret settings, and the one
//! rule by which they leave the host.
//!
//! The component never holds a secret. It writes `${secret:NAME}` in a
//! header value, and [`Secrets::fill`] replaces each placeholder with the
//! value of the secret setting `NAME` (the syntax and the rule are
//! documented for component authors in `wit/server.wit`). The outbound
//! hook ([`crate::outbound_http`]) calls it only for requests to the
//! allowed origin and only on header values; the URL and the body are
//! never looked at. A secret's `Debug` and `Display` print `<redacted>`,
//! and a filled header value is marked sensitive.

use std::collections::BTreeMap;
use std::fmt;

use http::HeaderValue;

/// What opens a placeholder; a `}` closes it.
const OPENING: &[u8] = b"${secret:";

/// The longest placeholder name an error repeats: a name is the guest's
/// text, and a log line should not carry a page of it.
const NAME_SHOWN: usize = 64;

/// One secret value, trimmed. Only [`Secrets::fill`] reads it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// `value`, trimmed (a pasted key often ends in a newline); `None` when
    /// nothing is left, which counts as not given.
    pub fn new(value: &str) -> Option<Self> {
        let value = value.trim();
        (!value.is_empty()).then(|| Self(value.to_owned()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Why a secret or a header's placeholders cannot be used. No variant
/// holds a secret's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The placeholder names no secret setting of the component.
    #[error("the request names `${{secret:{0}}}`, which is no secret setting of the component")]
    Unknown(String),
    /// `${secret:` without its closing `}`.
    #[error("a request header holds `${{secret:` without the closing `}}`")]
    Unterminated,
    /// The secret cannot be sent in a header (a control character).
    #[error("the secret `{0}` holds characters an HTTP header cannot carry")]
    NotHeaderText(String),
}

/// The component's secrets by setting name.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secrets(BTreeMap<String, Secret>);

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Secrets {
    /// No secrets: every placeholder is unknown.
    pub fn none() -> Self {
        Self::default()
    }

    /// Adds the secret `name`. Refused when its value could never be
    /// sent in a header, so that the problem shows at start and not in
    /// every request.
    pub fn insert(&mut self, name: &str, secret: Secret) -> Result<(), SecretError> {
        if HeaderValue::from_str(&secret.0).is_err() {
            return Err(SecretError::NotHeaderText(name.to_owned()));
        }
        self.0.insert(name.to_owned(), secret);
        Ok(())
    }

    /// A one-way digest of every secret with its name (SHA-256, hex):
    /// tells accounts apart (the state's bucket names) without holding
    /// any secret.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        for (name, secret) in &self.0 {
            // Lengths first, so that no two sets hash alike by moving
            // bytes between a name and a value.
            hash.update((name.len() as u64).to_le_bytes());
            hash.update(name.as_bytes());
            hash.update((secret.0.len() as u64).to_le_bytes());
            hash.update(secret.0.as_bytes());
        }
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The names of the secrets held.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// `value` with every placeholder replaced by its secret, marked
    /// sensitive; `None` when it holds no placeholder (send it as it is).
    pub fn fill(&self, value: &HeaderValue) -> Result<Option<HeaderValue>, SecretError> {
        let bytes = value.as_bytes();
        let Some(first) = find(bytes, OPENING) else {
            return Ok(None);
        };
        let mut filled = Vec::with_capacity(bytes.len() + 64);
        filled.extend_from_slice(&bytes[..first]);
        let mut rest = &bytes[first..];
        while let Some(start) = find(rest, OPENING) {
            filled.extend_from_slice(&rest[..start]);
            let after = &rest[start + OPENING.len()..];
            let end = after
                .iter()
                .position(|&b| b == b'}')
                .ok_or(SecretError::Unterminated)?;
            let name = String::from_utf8_lossy(&after[..end]);
            let secret = self
                .0
                .get(name.as_ref())
                .ok_or_else(|| SecretError::Unknown(name.chars().take(NAME_SHOWN).collect()))?;
            filled.extend_from_slice(secret.0.as_bytes());
            rest = &after[end + 1..];
        }
        filled.extend_from_slice(rest);
        // Both parts were header text already, so the whole is too.
        let mut value = HeaderValue::from_bytes(&filled)
            .map_err(|_| SecretError::NotHeaderText("in this header".to_owned()))?;
        value.set_sensitive(true);
        Ok(Some(value))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "dex_live_123";

    fn secrets() -> Secrets {
        let mut secrets = Secrets::none();
        secrets
            .insert("api-key", Secret::new(&format!(" {KEY}\n")).unwrap())
            .unwrap();
        secrets.insert("other", Secret::new("s2").unwrap()).unwrap();
        secrets
    }

    fn fill(value: &str) -> Result<Option<String>, SecretError> {
        secrets()
            .fill(&HeaderValue::from_str(value).unwrap())
            .map(|v| v.map(|v| v.to_str().unwrap().to_owned()))
    }

    #[test]
    fn formatting_never_shows_a_secret() {
        let secret = Secret::new(" dex_live_123 ").unwrap();
        let shown = format!("{secret:?} {secret} {:?}", secrets());
        assert!(!shown.contains(KEY), "{shown}");
        assert!(shown.contains("api-key"), "{shown}");
    }

    #[test]
    fn a_blank_secret_is_no_secret() {
        assert!(Secret::new(" \n").is_none());
    }

    #[test]
    fn a_placeholder_is_replaced_with_the_trimmed_secret_and_marked_sensitive() {
        assert_eq!(
            fill("Bearer ${secret:api-key}").unwrap().as_deref(),
            Some("Bearer dex_live_123")
        );
        let filled = secrets()
            .fill(&HeaderValue::from_static("${secret:api-key}"))
            .unwrap()
            .unwrap();
        assert!(filled.is_sensitive());
    }

    #[test]
    fn several_placeholders_and_the_text_around_them_are_kept_in_order() {
        assert_eq!(
            fill("a ${secret:other}/${secret:api-key} z")
                .unwrap()
                .as_deref(),
            Some("a s2/dex_live_123 z")
        );
    }

    #[test]
    fn a_value_without_a_placeholder_is_left_alone() {
        assert_eq!(fill("Bearer abc").unwrap(), None);
        assert_eq!(fill("${secret without a colon}").unwrap(), None);
        assert_eq!(fill("$secret:api-key").unwrap(), None);
    }

    #[test]
    fn an_unknown_secret_is_refused_by_name_without_any_value() {
        let err = fill("Bearer ${secret:api-keys}").unwrap_err();
        assert_eq!(err, SecretError::Unknown("api-keys".into()));
        let message = err.to_string();
        assert!(message.contains("${secret:api-keys}"), "{message}");
        assert!(!message.contains(KEY));
        // A known placeholder before the unknown one leaks nothing either.
        let err = fill("${secret:api-key} ${secret:nope}").unwrap_err();
        assert!(!err.to_string().contains(KEY));
    }

    #[test]
    fn names_are_exact() {
        assert!(fill("${secret:API-KEY}").is_err());
        assert!(fill("${secret: api-key}").is_err());
        assert!(fill("${secret:}").is_err());
    }

    #[test]
    fn a_long_unknown_name_is_cut_in_the_error() {
        let long = "x".repeat(1000);
        let Err(SecretError::Unknown(shown)) = fill(&format!("${{secret:{long}}}")) else {
            panic!("a 1000-character name was accepted")
        };
        assert_eq!(shown.len(), NAME_SHOWN);
    }

    #[test]
    fn an_unterminated_placeholder_is_refused() {
        assert_eq!(
            fill("Bearer ${secret:api-key").unwrap_err(),
            SecretError::Unterminated
        );
    }

    #[test]
    fn a_secret_that_cannot_be_a_header_is_refused_when_added() {
        let mut secrets = Secrets::none();
        let err = secrets
            .insert("api-key", Secret::new("dex\u{7}bell").unwrap())
            .unwrap_err();
        assert_eq!(err, SecretError::NotHeaderText("api-key".into()));
        assert!(!err.to_string().contains("bell"));
    }

    #[test]
    fn the_fingerprint_tells_secrets_apart_without_holding_them() {
        let fingerprint = secrets().fingerprint();
        assert_eq!(fingerprint.len(), 64);
        assert!(!fingerprint.contains(KEY));
        assert_eq!(fingerprint, secrets().fingerprint());
        let mut other = Secrets::none();
        other
            .insert("api-key", Secret::new("dex_live_124").unwrap())
            .unwrap();
        assert_ne!(other.fingerprint(), fingerprint);
        assert_ne!(Secrets::none().fingerprint(), fingerprint);
    }

    #[test]
    fn no_secrets_means_every_placeholder_is_unknown() {
        let err = Secrets::none()
            .fill(&HeaderValue::from_static("${secret:api-key}"))
            .unwrap_err();
        assert_eq!(err, SecretError::Unknown("api-key".into()));
    }
}
