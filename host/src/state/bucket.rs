//! Which bucket an upstream account's values go in.

use sha2::{Digest, Sha256};

/// A bucket's name: a hash of the upstream's base URL and its credential,
/// so that accounts never mix, a changed key starts from an empty bucket,
/// and the key itself is never stored (only this one-way hash of it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BucketName(String);

impl BucketName {
    /// The bucket of the account that `credential` opens at `base_url`.
    pub fn for_account(base_url: &str, credential: &str) -> Self {
        let base_url = base_url.trim_end_matches('/');
        let mut hash = Sha256::new();
        // Lengths first, so that no two (url, key) pairs hash alike by
        // moving bytes from one to the other.
        hash.update(b"dex-mcp state bucket v1\0");
        hash.update((base_url.len() as u64).to_le_bytes());
        hash.update(base_url.as_bytes());
        hash.update((credential.len() as u64).to_le_bytes());
        hash.update(credential.as_bytes());
        let digest = hash.finalize();
        Self(digest[..16].iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The name, 32 hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_and_keys_get_their_own_buckets() {
        let a = BucketName::for_account("https://api.example", "key-1");
        assert_eq!(a, BucketName::for_account("https://api.example", "key-1"));
        assert_ne!(a, BucketName::for_account("https://api.example", "key-2"));
        assert_ne!(a, BucketName::for_account("https://other.example", "key-1"));
        assert_ne!(
            BucketName::for_account("https://a", "bc"),
            BucketName::for_account("https://ab", "c"),
        );
    }

    #[test]
    fn the_name_does_not_contain_the_key() {
        let name = BucketName::for_account("https://api.example", "secretkey");
        assert_eq!(name.as_str().len(), 32);
        assert!(name.as_str().chars().all(|c| c.is_ascii_hexdigit()));
        assert!(!name.as_str().contains("secretkey"));
    }
}
