//! A social profile reduced to what identifies it: the network and the
//! handle.
//!
//! One profile is written many ways (`https://www.linkedin.com/in/ada/`,
//! `linkedin.com/in/Ada`, `de.linkedin.com/in/ada?trk=x`; `@ada`,
//! `x.com/ada`, `twitter.com/ada`), and Dex stores whatever the user typed
//! or pasted, so links are compared on this reduced form.

use std::fmt;

use super::{SocialNetwork, ToolError};

/// A social profile link or handle, normalized for comparison.
///
/// `network` is `None` for a bare handle (`@ada`), which may match the same
/// handle on any network, and for a link to a site that is not one of Dex's
/// networks (a personal site, GitHub), whose `handle` is then the host and
/// path (`github.com/ada`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SocialProfile {
    network: Option<SocialNetwork>,
    handle: String,
}

impl SocialProfile {
    /// Validates `raw`, a link or handle from the assistant, as the argument
    /// `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, ToolError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(ToolError::validation(
                field,
                "the social link is empty: pass a profile link like `https://www.linkedin.com/in/ada` or a handle like `@ada`",
            ));
        }
        if trimmed.chars().any(char::is_whitespace) {
            return Err(ToolError::validation(
                field,
                format!(
                    "`{trimmed}` contains a space, so it is not one link or handle: pass a profile link like `https://www.linkedin.com/in/ada` or a handle like `@ada`"
                ),
            ));
        }
        Self::normalize(trimmed).ok_or_else(|| {
            ToolError::validation(
                field,
                format!(
                    "`{trimmed}` names no profile (no handle after the site): pass a profile link like `https://www.linkedin.com/in/ada` or a handle like `@ada`"
                ),
            )
        })
    }

    /// Normalizes a value Dex stores in the field of `network`, which may be a
    /// full link, a link without scheme (`linkedin.com/in/kinlane`), a bare
    /// handle or slug (`kinlane`, `@kinlane`; a live sync found LinkedIn
    /// stored both ways) or the network's path without its host
    /// (`in/kinlane`). `None` when nothing identifying is left.
    pub fn from_stored(network: SocialNetwork, stored: &str) -> Option<Self> {
        let mut profile = Self::normalize(stored.trim())?;
        if profile.network.is_none() {
            if !profile.handle.contains('/') {
                // A bare handle in a network's field belongs to that network.
                profile.network = Some(network);
            } else if !profile.handle.contains('.') {
                // A path without a host, read as one on this network.
                let segments: Vec<&str> = profile
                    .handle
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .collect();
                profile = Self {
                    network: Some(network),
                    handle: handle_in_path(network, &segments)?,
                };
            }
        }
        Some(profile)
    }

    /// Normalizes a personal website the same way as an unknown-site link, so
    /// a query with someone's homepage finds them.
    pub fn from_website(stored: &str) -> Option<Self> {
        let profile = Self::normalize(stored.trim())?;
        profile.handle.contains('.').then_some(profile)
    }

    /// The network, when the link or field says which.
    pub fn network(&self) -> Option<SocialNetwork> {
        self.network
    }

    /// The lower-cased handle (`ada`), or host and path for other sites.
    pub fn handle(&self) -> &str {
        &self.handle
    }

    /// Whether `self`, as asked for, identifies the stored `other`: same
    /// handle, and same network unless the question named none.
    pub fn identifies(&self, other: &SocialProfile) -> bool {
        self.handle == other.handle && (self.network.is_none() || self.network == other.network)
    }

    fn normalize(raw: &str) -> Option<Self> {
        let lower = raw.to_lowercase();
        let without_scheme = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .unwrap_or(&lower);
        // Query strings and fragments are tracking or view state, never
        // part of whose profile it is.
        let without_query = without_scheme
            .split(['?', '#'])
            .next()
            .unwrap_or(without_scheme);
        let Some((host, path)) = split_host(without_query) else {
            let handle = without_query.trim_start_matches('@').trim_end_matches('/');
            return (!handle.is_empty()).then(|| Self {
                network: None,
                handle: handle.to_owned(),
            });
        };
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match network_of_host(host) {
            Some(network) => {
                let handle = handle_in_path(network, &segments)?;
                Some(Self {
                    network: Some(network),
                    handle,
                })
            }
            None => {
                let mut key = host.to_owned();
                for segment in &segments {
                    key.push('/');
                    key.push_str(segment);
                }
                Some(Self {
                    network: None,
                    handle: key,
                })
            }
        }
    }
}

/// Splits `host/path` when the text starts with something that looks like a
/// host (has a dot before any slash); `None` for a bare handle.
fn split_host(text: &str) -> Option<(&str, &str)> {
    let (host, path) = text.split_once('/').unwrap_or((text, ""));
    if !host.contains('.') || host.starts_with('@') {
        return None;
    }
    let host = host.strip_prefix("www.").unwrap_or(host);
    Some((host, path))
}

/// Which of Dex's networks a host belongs to, mobile and country
/// subdomains included (`m.facebook.com`, `de.linkedin.com`).
fn network_of_host(host: &str) -> Option<SocialNetwork> {
    let is = |domain: &str| {
        host.strip_suffix(domain)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
    };
    if is("linkedin.com") {
        Some(SocialNetwork::Linkedin)
    } else if is("twitter.com") || is("x.com") {
        Some(SocialNetwork::Twitter)
    } else if is("facebook.com") || is("fb.com") {
        Some(SocialNetwork::Facebook)
    } else if is("instagram.com") || is("instagr.am") {
        Some(SocialNetwork::Instagram)
    } else if is("t.me") || is("telegram.me") {
        Some(SocialNetwork::Telegram)
    } else if is("tiktok.com") {
        Some(SocialNetwork::Tiktok)
    } else if is("youtube.com") {
        Some(SocialNetwork::Youtube)
    } else {
        None
    }
}

/// The handle in a profile path, skipping the path words each network puts
/// before it (`/in/`, `/pub/`, `/c/`, `/user/`, `@`).
fn handle_in_path(network: SocialNetwork, segments: &[&str]) -> Option<String> {
    let skip: &[&str] = match network {
        SocialNetwork::Linkedin => &["in", "pub", "company", "school"],
        SocialNetwork::Youtube => &["c", "user", "channel"],
        SocialNetwork::Facebook => &["people", "pg"],
        _ => &[],
    };
    let first = segments.iter().position(|s| !skip.contains(s))?;
    let handle = segments[first].trim_start_matches('@');
    if network == SocialNetwork::Facebook && handle == "profile.php" {
        // `profile.php?id=...` lost its id with the query string.
        return None;
    }
    (!handle.is_empty()).then(|| handle.to_owned())
}

impl fmt::Display for SocialProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.network {
            Some(network) => write!(f, "{} {}", network.field(), self.handle),
            None => f.write_str(&self.handle),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(raw: &str) -> SocialProfile {
        SocialProfile::parse("social_url", raw).unwrap()
    }

    #[test]
    fn linkedin_forms_of_one_profile_are_equal() {
        let forms = [
            "https://www.linkedin.com/in/ada-lovelace/",
            "http://linkedin.com/in/Ada-Lovelace",
            "linkedin.com/in/ada-lovelace?trk=public_profile",
            "de.linkedin.com/in/ada-lovelace",
            "www.linkedin.com/in/ada-lovelace#about",
        ];
        for form in forms {
            let p = parsed(form);
            assert_eq!(p.network(), Some(SocialNetwork::Linkedin), "{form}");
            assert_eq!(p.handle(), "ada-lovelace", "{form}");
        }
    }

    #[test]
    fn twitter_and_x_links_and_handles_agree() {
        let stored = SocialProfile::from_stored(SocialNetwork::Twitter, "@AdaL").unwrap();
        for form in ["https://x.com/adal", "twitter.com/AdaL/", "@adal", "adal"] {
            assert!(parsed(form).identifies(&stored), "{form}");
        }
    }

    #[test]
    fn a_stored_slug_link_without_scheme_or_host_less_path_is_the_same_profile() {
        // The forms a live sync found in LinkedIn fields, and the full link.
        let stored = [
            "kinlane",
            "KinLane",
            "@kinlane",
            "linkedin.com/in/kinlane",
            "www.linkedin.com/in/KinLane/",
            "https://www.linkedin.com/in/kinlane",
            "in/kinlane",
            "/in/kinlane/",
        ];
        let asked = [
            "https://www.linkedin.com/in/KinLane",
            "linkedin.com/in/kinlane/",
            "http://de.linkedin.com/in/kinlane?trk=x",
            "kinlane",
            "@KINLANE",
        ];
        for form in stored {
            let profile = SocialProfile::from_stored(SocialNetwork::Linkedin, form)
                .unwrap_or_else(|| panic!("{form} reads"));
            assert_eq!(profile.network(), Some(SocialNetwork::Linkedin), "{form}");
            assert_eq!(profile.handle(), "kinlane", "{form}");
            for query in asked {
                assert!(parsed(query).identifies(&profile), "{query} finds {form}");
            }
        }
        let other = SocialProfile::from_stored(SocialNetwork::Twitter, "kinlane").unwrap();
        assert!(!parsed("linkedin.com/in/kinlane").identifies(&other));
    }

    #[test]
    fn a_handle_on_another_network_is_not_the_same_profile() {
        let stored = SocialProfile::from_stored(SocialNetwork::Instagram, "ada").unwrap();
        assert!(!parsed("https://twitter.com/ada").identifies(&stored));
        assert!(parsed("@ada").identifies(&stored));
    }

    #[test]
    fn network_path_words_are_skipped() {
        assert_eq!(parsed("youtube.com/@AdaTalks").handle(), "adatalks");
        assert_eq!(
            parsed("https://www.youtube.com/c/adatalks").handle(),
            "adatalks"
        );
        assert_eq!(parsed("tiktok.com/@ada").handle(), "ada");
        assert_eq!(
            parsed("t.me/ada_l").network(),
            Some(SocialNetwork::Telegram)
        );
        assert_eq!(
            parsed("m.facebook.com/ada.lovelace").network(),
            Some(SocialNetwork::Facebook)
        );
    }

    #[test]
    fn other_sites_keep_host_and_path() {
        let p = parsed("https://github.com/Ada/");
        assert_eq!(p.network(), None);
        assert_eq!(p.handle(), "github.com/ada");
        let site = SocialProfile::from_website("http://www.ada.dev/").unwrap();
        assert!(parsed("ada.dev").identifies(&site));
    }

    #[test]
    fn empty_or_handleless_links_are_refused() {
        for bad in ["", "  ", "https://linkedin.com/in/", "ada lovelace", "@"] {
            let err = SocialProfile::parse("social_url", bad).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("social_url"), "{bad:?}");
        }
    }
}
