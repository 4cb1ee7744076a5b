//! What the matcher is asked: validated criteria and output bounds.

use super::fold::fold;
use super::name_score::MAX_WORDS;
use super::token_match::QueryWord;
use crate::model::{EmailAddress, PhoneNumber, SocialProfile};

/// Matches returned when the caller sets no limit.
pub const DEFAULT_LIMIT: usize = 5;
/// Most matches ever returned: more is a listing, not a lookup.
pub const MAX_LIMIT: usize = 50;
/// Least confidence returned when the caller sets none: below it, matches
/// are more often wrong than right.
pub const DEFAULT_MIN_CONFIDENCE: u8 = 50;

/// A search for one person; every criterion is optional, at least one is
/// expected (a query without any finds nobody).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchQuery {
    /// A name as the user said it: full, partial, misspelled, a nickname.
    pub name: Option<String>,
    /// An exact email address.
    pub email: Option<EmailAddress>,
    /// A phone number.
    pub phone: Option<PhoneNumber>,
    /// A social profile, handle or website.
    pub social: Option<SocialProfile>,
    /// An employer, which ranks name matches or, alone, lists its people.
    pub company: Option<String>,
    /// Most matches to return, 1..=[`MAX_LIMIT`].
    pub limit: usize,
    /// Least confidence to return.
    pub min_confidence: u8,
}

impl Default for MatchQuery {
    fn default() -> Self {
        Self {
            name: None,
            email: None,
            phone: None,
            social: None,
            company: None,
            limit: DEFAULT_LIMIT,
            min_confidence: DEFAULT_MIN_CONFIDENCE,
        }
    }
}

impl MatchQuery {
    /// A query for the name `name` with default bounds.
    pub fn by_name(name: &str) -> Self {
        Self {
            name: Some(name.to_owned()),
            ..Self::default()
        }
    }

    /// Whether the query has any criterion at all.
    pub fn has_criteria(&self) -> bool {
        self.name.is_some()
            || self.email.is_some()
            || self.phone.is_some()
            || self.social.is_some()
            || self.company.is_some()
    }

    /// The name's words and the company, with "Sarah from Google" read as
    /// the name "Sarah" and company "Google" when no company was given.
    pub(crate) fn name_and_company(&self) -> (Vec<QueryWord>, Option<String>) {
        let Some(name) = self.name.as_deref() else {
            return (Vec::new(), self.company.clone());
        };
        let (name, company) = match self.company.as_deref() {
            Some(company) => (name, Some(company.to_owned())),
            None => match split_company(name) {
                Some((name, company)) => (name, Some(company.to_owned())),
                None => (name, None),
            },
        };
        (query_words(name), company)
    }
}

/// Words that join a name to an employer in speech.
const COMPANY_JOINERS: &[&str] = &[" from ", " at ", " @ "];

/// Splits "Sarah from Google" into ("Sarah", "Google").
fn split_company(name: &str) -> Option<(&str, &str)> {
    let lower = name.to_lowercase();
    COMPANY_JOINERS.iter().find_map(|joiner| {
        let at = lower.find(joiner)?;
        // `to_lowercase` can change byte lengths for a few letters; only
        // split when the offsets still line up.
        let (left, right) = (name.get(..at)?, name.get(at + joiner.len()..)?);
        (!left.trim().is_empty() && !right.trim().is_empty()).then(|| (left.trim(), right.trim()))
    })
}

/// Honorifics and suffixes that are not part of anyone's name in Dex.
const NOT_NAME_WORDS: &[&str] = &["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "jr", "sr"];

/// The words of a typed name, folded, titles dropped, at most
/// [`MAX_WORDS`].
fn query_words(name: &str) -> Vec<QueryWord> {
    name.split(|c: char| c.is_whitespace() || c == '-' || c == ',' || c == '.')
        .flat_map(|typed| {
            let folded = fold(typed);
            folded
                .split(' ')
                .filter(|w| !w.is_empty() && !NOT_NAME_WORDS.contains(w))
                .map(|w| QueryWord::new(typed, w))
                .collect::<Vec<_>>()
        })
        .take(MAX_WORDS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(q: &MatchQuery) -> Vec<String> {
        q.name_and_company()
            .0
            .into_iter()
            .map(|w| w.folded)
            .collect()
    }

    #[test]
    fn sarah_from_google_is_a_name_and_a_company() {
        let q = MatchQuery::by_name("Sarah from Google");
        let (name, company) = q.name_and_company();
        assert_eq!(name.len(), 1);
        assert_eq!(name[0].folded, "sarah");
        assert_eq!(company.as_deref(), Some("Google"));
    }

    #[test]
    fn a_given_company_wins_over_the_name_split() {
        let q = MatchQuery {
            company: Some("Acme".into()),
            ..MatchQuery::by_name("Sarah at Google")
        };
        assert_eq!(q.name_and_company().1.as_deref(), Some("Acme"));
    }

    #[test]
    fn titles_punctuation_and_accents_are_dropped() {
        assert_eq!(
            words(&MatchQuery::by_name("Dr. José  O'Brien-Smith")),
            ["jose", "obrien", "smith"]
        );
        assert_eq!(words(&MatchQuery::by_name("J. Smith")), ["j", "smith"]);
    }

    #[test]
    fn typed_spelling_is_kept_for_explanations() {
        let q = MatchQuery::by_name("José");
        assert_eq!(q.name_and_company().0[0].typed, "José");
    }
}
