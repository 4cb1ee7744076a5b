//! Exact identifiers (email, phone, social profile, website) indexed for
//! constant-time lookup, each folded the way its value object compares.

use std::collections::HashMap;

use crate::model::{Contact, EmailAddress, PhoneMatch, PhoneNumber, SocialNetwork, SocialProfile};

/// How a contact was found by an identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentifierHit {
    /// One of its addresses is the one asked for.
    Email(String),
    /// One of its numbers is the one asked for.
    Phone,
    /// One of its numbers ends with the (short) number asked for.
    PhoneSuffix {
        /// How many digits were compared.
        digits: usize,
    },
    /// A social profile on a named network matches.
    Social(SocialNetwork),
    /// A bare handle (no network given) matches its handle on `network`.
    Handle(SocialNetwork),
    /// Its website, or a link to some other site, matches.
    Website,
}

impl IdentifierHit {
    /// The confidence this hit alone warrants. Exact identifiers are 100;
    /// a handle without a network, or a partial phone number, may belong to
    /// someone else.
    pub fn confidence(&self) -> u8 {
        match self {
            IdentifierHit::Email(_)
            | IdentifierHit::Phone
            | IdentifierHit::Social(_)
            | IdentifierHit::Website => 100,
            IdentifierHit::Handle(_) => 95,
            IdentifierHit::PhoneSuffix { .. } => 90,
        }
    }
}

/// One stored profile: which contact, and the profile itself (for the
/// network check).
#[derive(Debug, Clone)]
struct StoredProfile {
    contact: u32,
    profile: SocialProfile,
    website: bool,
}

/// Phone numbers are bucketed by their last digits, this many, which
/// every comparable number has; the bucket is then checked exactly.
const PHONE_BUCKET_DIGITS: usize = 7;

/// The identifier indexes of a set of contacts.
#[derive(Debug, Default)]
pub struct IdentifierIndex {
    emails: HashMap<String, Vec<u32>>,
    /// Last digits -> (contact, significant digits).
    phones: HashMap<String, Vec<(u32, String)>>,
    profiles: HashMap<String, Vec<StoredProfile>>,
}

impl IdentifierIndex {
    /// Adds the identifiers of `contact`, the `index`-th contact.
    pub fn add(&mut self, index: u32, contact: &Contact) {
        for entry in &contact.emails {
            push_once(
                self.emails
                    .entry(EmailAddress::fold(&entry.email))
                    .or_default(),
                index,
            );
        }
        for entry in &contact.phones {
            if let Some(digits) = PhoneNumber::significant_digits(&entry.number) {
                self.phones
                    .entry(bucket(&digits).to_owned())
                    .or_default()
                    .push((index, digits));
            }
        }
        let links = contact
            .social_links
            .iter()
            .filter_map(|l| SocialProfile::from_stored(l.network, &l.url).map(|p| (p, false)));
        let site = contact
            .website
            .as_deref()
            .and_then(SocialProfile::from_website)
            .map(|p| (p, true));
        for (profile, website) in links.chain(site) {
            self.profiles
                .entry(profile.handle().to_owned())
                .or_default()
                .push(StoredProfile {
                    contact: index,
                    profile,
                    website,
                });
        }
    }

    /// Contacts with the address `email`.
    pub fn by_email(&self, email: &EmailAddress) -> Vec<(u32, IdentifierHit)> {
        self.emails
            .get(email.as_str())
            .into_iter()
            .flatten()
            .map(|&i| (i, IdentifierHit::Email(email.as_str().to_owned())))
            .collect()
    }

    /// Contacts with the number `phone`, written any way: with or without
    /// country code, trunk zero or formatting. A number typed without its
    /// area code matches as a weaker [`IdentifierHit::PhoneSuffix`].
    pub fn by_phone(&self, phone: &PhoneNumber) -> Vec<(u32, IdentifierHit)> {
        let asked = phone.significant();
        let mut hits: Vec<(u32, IdentifierHit)> = Vec::new();
        for (contact, stored) in self.phones.get(bucket(asked)).into_iter().flatten() {
            let hit = match PhoneNumber::compare_stored(asked, stored) {
                PhoneMatch::Same => IdentifierHit::Phone,
                PhoneMatch::SameEnding(digits) => IdentifierHit::PhoneSuffix { digits },
                PhoneMatch::Different => continue,
            };
            match hits.iter_mut().find(|(c, _)| c == contact) {
                Some(existing) if hit.confidence() > existing.1.confidence() => existing.1 = hit,
                Some(_) => {}
                None => hits.push((*contact, hit)),
            }
        }
        hits
    }

    /// Contacts with the profile `asked`.
    pub fn by_profile(&self, asked: &SocialProfile) -> Vec<(u32, IdentifierHit)> {
        let mut hits: Vec<(u32, IdentifierHit)> = Vec::new();
        for stored in self.profiles.get(asked.handle()).into_iter().flatten() {
            if !asked.identifies(&stored.profile) {
                continue;
            }
            let hit = match (stored.website, stored.profile.network(), asked.network()) {
                (true, _, _) | (false, None, _) => IdentifierHit::Website,
                (false, Some(network), Some(_)) => IdentifierHit::Social(network),
                (false, Some(network), None) => IdentifierHit::Handle(network),
            };
            if !hits.iter().any(|(c, _)| *c == stored.contact) {
                hits.push((stored.contact, hit));
            }
        }
        hits
    }
}

/// The bucket of a string of significant digits: its last digits.
fn bucket(digits: &str) -> &str {
    &digits[digits.len().saturating_sub(PHONE_BUCKET_DIGITS)..]
}

fn push_once(list: &mut Vec<u32>, index: u32) {
    if list.last() != Some(&index) {
        list.push(index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EmailEntry, PhoneEntry, SocialLink};

    fn index() -> IdentifierIndex {
        let ada = Contact {
            emails: vec![EmailEntry {
                email: " Ada@Example.org".into(),
                label: None,
            }],
            phones: vec![PhoneEntry {
                number: "+1 (415) 555-0100".into(),
                label: None,
            }],
            social_links: vec![
                SocialLink {
                    network: SocialNetwork::Linkedin,
                    url: "https://www.linkedin.com/in/ada-l/".into(),
                },
                SocialLink {
                    network: SocialNetwork::Twitter,
                    url: "@adal".into(),
                },
            ],
            website: Some("https://ada.dev".into()),
            ..Contact::default()
        };
        let mut index = IdentifierIndex::default();
        index.add(0, &ada);
        index
    }

    #[test]
    fn email_lookup_folds_case_and_space() {
        let email = EmailAddress::parse("email", "ADA@example.ORG ").unwrap();
        assert_eq!(index().by_email(&email).len(), 1);
    }

    #[test]
    fn phone_lookup_ignores_format_and_country_code() {
        let phone = PhoneNumber::parse("phone", "00 1 415.555.0100").unwrap();
        assert_eq!(index().by_phone(&phone), [(0, IdentifierHit::Phone)]);
    }

    #[test]
    fn a_nine_digit_national_number_matches_its_international_form() {
        let mut index = IdentifierIndex::default();
        let paris = Contact {
            phones: vec![PhoneEntry {
                number: "+33 (0)6 12 34 56 78".into(),
                label: None,
            }],
            ..Contact::default()
        };
        index.add(3, &paris);
        let phone = PhoneNumber::parse("phone", "06 12 34 56 78").unwrap();
        assert_eq!(index.by_phone(&phone), [(3, IdentifierHit::Phone)]);
    }

    #[test]
    fn a_number_without_area_code_matches_as_a_weaker_suffix() {
        let phone = PhoneNumber::parse("phone", "555-0100").unwrap();
        let hits = index().by_phone(&phone);
        assert_eq!(hits, [(0, IdentifierHit::PhoneSuffix { digits: 7 })]);
        assert!(hits[0].1.confidence() < 100);
    }

    #[test]
    fn profile_links_handles_and_websites_are_found() {
        let index = index();
        let find = |raw: &str| {
            index
                .by_profile(&SocialProfile::parse("social_url", raw).unwrap())
                .into_iter()
                .map(|(_, hit)| hit)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            find("linkedin.com/in/ADA-L"),
            [IdentifierHit::Social(SocialNetwork::Linkedin)]
        );
        assert_eq!(
            find("@AdaL"),
            [IdentifierHit::Handle(SocialNetwork::Twitter)]
        );
        assert_eq!(find("www.ada.dev/"), [IdentifierHit::Website]);
        assert!(find("https://instagram.com/adal").is_empty());
    }
}
