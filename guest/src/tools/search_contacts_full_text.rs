//! `search-contacts-full-text`: find people by anything written about them.
//!
//! Where `find-contact` resolves a described person, this tool answers
//! "who did I talk to about the seed round?": it searches contacts' names,
//! emails, companies, titles and descriptions, every note and every
//! reminder, and returns each hit with the contacts it concerns.
//!
//! The adapter only validates arguments and shapes the answer; it takes an
//! already built [`SearchIndex`] and the gaps of the snapshot it came from,
//! so the caller decides whether that index is fresh or cached.

use crate::model::ToolError;
use crate::search::{RecordKind, SearchHit, SearchIndex, SearchQuery};
use crate::snapshot::ListFailure;

/// Hits returned when the caller does not say.
pub const DEFAULT_MAX_RESULTS: u32 = 10;
/// The most hits one call may ask for: more would crowd the assistant's
/// context window without helping it choose.
pub const MAX_RESULTS_LIMIT: u32 = 100;
/// Hits below this confidence are left out when the caller does not say:
/// low enough to keep a one-typo match of a one-word query (60), high
/// enough to drop hits that matched one word of four.
pub const DEFAULT_MIN_CONFIDENCE: u8 = 30;

/// The arguments of `search-contacts-full-text`, as the assistant sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FullTextArgs {
    /// The words to look for.
    pub query: String,
    /// At most this many hits (1-100, default 10).
    pub max_results: Option<u32>,
    /// Least confidence, 0-100 (default 30).
    pub min_confidence: Option<u8>,
    /// Which kinds of record to search; all when absent.
    pub include_types: Option<Vec<RecordKind>>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct FullTextResults {
    /// Best first.
    pub hits: Vec<SearchHit>,
    /// The lists that could not be read in full: when not empty, the
    /// search did not see the whole account.
    pub incomplete: Vec<ListFailure>,
    /// One sentence for the assistant.
    pub summary: String,
}

/// Arguments checked and defaulted, ready to search with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidArgs {
    /// The trimmed query, with at least one word.
    pub query: String,
    /// 1 to [`MAX_RESULTS_LIMIT`].
    pub max_results: usize,
    /// 0 to 100.
    pub min_confidence: u8,
    /// At least one kind.
    pub kinds: Vec<RecordKind>,
}

impl FullTextArgs {
    /// Checks the arguments and fills in defaults. Cheap, so a caller can
    /// refuse bad arguments before reading the account.
    pub fn validate(&self) -> Result<ValidArgs, ToolError> {
        let query = self.query.trim();
        if crate::search::fold::terms(query).is_empty() {
            return Err(ToolError::validation(
                "query",
                "the query has no words to search for; pass a name, company or words from a note, like `seed round`",
            ));
        }
        let max_results = self.max_results.unwrap_or(DEFAULT_MAX_RESULTS);
        if !(1..=MAX_RESULTS_LIMIT).contains(&max_results) {
            return Err(ToolError::validation(
                "max-results",
                format!("max-results is {max_results}; pass 1 to {MAX_RESULTS_LIMIT}"),
            ));
        }
        let min_confidence = self.min_confidence.unwrap_or(DEFAULT_MIN_CONFIDENCE);
        if min_confidence > 100 {
            return Err(ToolError::validation(
                "min-confidence",
                format!("min-confidence is {min_confidence}; it is a percentage, 0 to 100"),
            ));
        }
        let kinds = match &self.include_types {
            None => RecordKind::ALL.to_vec(),
            Some(kinds) if kinds.is_empty() => {
                return Err(ToolError::validation(
                    "include-types",
                    "include-types is empty, so nothing would be searched; leave it out to search contacts, notes and reminders",
                ));
            }
            Some(kinds) => kinds.clone(),
        };
        Ok(ValidArgs {
            query: query.to_owned(),
            max_results: max_results as usize,
            min_confidence,
            kinds,
        })
    }
}

/// Searches `index` for `args`; `gaps` are the failures of the snapshot the
/// index was built from, passed on so an incomplete search says so.
pub fn search_contacts_full_text(
    index: &SearchIndex,
    gaps: &[ListFailure],
    args: &FullTextArgs,
) -> Result<FullTextResults, ToolError> {
    let ValidArgs {
        query,
        max_results,
        min_confidence,
        kinds,
    } = args.validate()?;
    let query = query.as_str();
    if gaps.len() >= crate::dex::ListKind::ALL.len() {
        // Nothing was read at all: an empty answer would look like "no
        // match" when it is "no data", so fail with the first reason.
        let first = &gaps[0].error;
        return Err(ToolError {
            message: format!("could not read the account from Dex: {}", first.message),
            ..first.clone()
        });
    }
    let hits = index.search(&SearchQuery {
        text: query,
        max_results,
        min_confidence,
        kinds: &kinds,
    });
    let mut summary = match hits.len() {
        0 => format!(
            "Nothing in the account matches `{query}` with confidence {min_confidence} or more."
        ),
        1 => format!("1 match for `{query}`."),
        n => format!("{n} matches for `{query}`, best first."),
    };
    for gap in gaps {
        summary.push_str(&format!(
            " The {} list could not be read in full ({} pages read: {}), so matches in it may be missing.",
            gap.list.noun(),
            gap.pages_read,
            gap.error.message
        ));
    }
    Ok(FullTextResults {
        hits,
        incomplete: gaps.to_vec(),
        summary,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::dex::ListKind;
    use crate::model::{Contact, ErrorKind, Note};
    use crate::search::Record;

    fn index() -> SearchIndex {
        SearchIndex::from_records([
            Record::Contact(Arc::new(Contact {
                id: "c1".into(),
                full_name: "Ada Lovelace".into(),
                ..Contact::default()
            })),
            Record::Note(Arc::new(Note {
                id: "n1".into(),
                text: "Seed round talk with Ada".into(),
                contact_ids: vec!["c1".into()],
                ..Note::default()
            })),
        ])
    }

    fn args(query: &str) -> FullTextArgs {
        FullTextArgs {
            query: query.into(),
            ..FullTextArgs::default()
        }
    }

    fn failure(list: ListKind) -> ListFailure {
        ListFailure {
            list,
            pages_read: 3,
            error: ToolError::new(ErrorKind::RateLimited, "Dex is rate limiting requests"),
        }
    }

    #[test]
    fn finds_a_note_and_names_its_contact() {
        let found = search_contacts_full_text(&index(), &[], &args("seed round")).unwrap();
        assert_eq!(found.hits.len(), 1);
        assert_eq!(found.hits[0].contacts[0].full_name, "Ada Lovelace");
        assert!(found.incomplete.is_empty());
        assert!(found.summary.starts_with("1 match"), "{}", found.summary);
    }

    #[test]
    fn a_query_without_words_is_refused_naming_the_field() {
        let err = search_contacts_full_text(&index(), &[], &args(" ?! ")).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("query"));
    }

    #[test]
    fn out_of_range_limits_and_empty_type_lists_are_refused() {
        let too_many = FullTextArgs {
            max_results: Some(500),
            ..args("ada")
        };
        let err = search_contacts_full_text(&index(), &[], &too_many).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("max_results"));
        let no_types = FullTextArgs {
            include_types: Some(vec![]),
            ..args("ada")
        };
        let err = search_contacts_full_text(&index(), &[], &no_types).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("include_types"));
    }

    #[test]
    fn a_partial_snapshot_is_reported_in_the_answer() {
        let found =
            search_contacts_full_text(&index(), &[failure(ListKind::Notes)], &args("ada")).unwrap();
        assert_eq!(found.incomplete.len(), 1);
        assert!(
            found.summary.contains("notes list could not be read"),
            "{}",
            found.summary
        );
    }

    #[test]
    fn an_account_that_could_not_be_read_at_all_is_an_error() {
        let gaps: Vec<_> = ListKind::ALL.into_iter().map(failure).collect();
        let err =
            search_contacts_full_text(&SearchIndex::default(), &gaps, &args("ada")).unwrap_err();
        assert_eq!(err.kind, ErrorKind::RateLimited);
    }
}
