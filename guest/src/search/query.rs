//! Answering a query: candidate terms per word, BM25 scoring, ranking.
//!
//! Each query word is matched against the dictionary three ways: exactly,
//! by prefix (the last word only, since the user may still be typing it),
//! and with typos (within [`allowed_typos`]). Each way has a quality:
//! exact 1.0 > prefix 0.65-0.95 (more of the term typed is better) >
//! one typo 0.6 > two typos 0.45.
//!
//! A record's score for a word is the best, over that word's matching
//! terms and the record's fields, of BM25 (k1 1.2, b 0.75) times the
//! field's weight times the match quality; its score is the sum over
//! words. Its confidence (0-100) is the mean over query words of the best
//! match quality, so a missing word or a typo lowers it whatever the
//! field. Ranking is by confidence, then score, in the spirit of
//! Meilisearch's rules (words, then typos, then attribute): an exact match
//! anywhere beats a typo anywhere, and among equals the more telling field
//! and the rarer word win; exact ties go by a hash of the record's id.
//!
//! Records are scored document at a time, skipping those whose bounds
//! cannot reach the answer ([`super::maxscore`]); the hits are the same as
//! scoring every record.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::ops::Bound;
use std::sync::Arc;

use super::document::{Field, Record, RecordKind};
use super::fold::terms;
use super::index::{SearchIndex, TermId};
use super::maxscore;
use super::snippet::snippet;
use super::stem::stem;
use super::typo::{MAX_TYPO_TERM_LEN, allowed_typos, bounded_distance, letter_mask, masks_allow};
use crate::model::Contact;

/// Words after this many are ignored: a query is a few words, not a text.
pub const MAX_QUERY_WORDS: usize = 10;
/// A prefix expands to at most this many terms, the most frequent ones, so
/// that a one-letter prefix stays cheap.
const PREFIX_EXPANSIONS: usize = 50;
/// How many dictionary entries a prefix scan looks at before choosing.
const PREFIX_SCAN_LIMIT: usize = 4096;

const EXACT: f32 = 1.0;
const PREFIX_MIN: f32 = 0.65;
const PREFIX_SPAN: f32 = 0.3;
const ONE_TYPO: f32 = 0.6;
const TWO_TYPOS: f32 = 0.45;
/// Another form of the word ("sailing" for "sailed"), in prose fields
/// only: below the exact word, above a typo.
const OTHER_FORM: f32 = 0.8;

/// Match qualities are summed as integers in units of 2^-25: every
/// quality above is an `f32` of at least 0.25, so a multiple of 2^-25, and
/// ten words sum to well under `u32::MAX` units. Integer sums do not depend
/// on the order words are added in, which the pruning in
/// [`SearchIndex::score`] changes.
pub(super) const QUALITY_UNITS: f32 = (1u32 << 25) as f32;

/// `quality` in [`QUALITY_UNITS`], exactly.
fn quality_units(quality: f32) -> u32 {
    debug_assert!((0.25..=1.0).contains(&quality));
    (quality * QUALITY_UNITS) as u32
}

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// What to look for.
#[derive(Debug, Clone, Copy)]
pub struct SearchQuery<'a> {
    /// The words, as the user typed them.
    pub text: &'a str,
    /// At most this many hits.
    pub max_results: usize,
    /// Leave out this many best hits first: the pages a cursor already
    /// gave. They are ranked but get no snippet.
    pub skip: usize,
    /// Leave out hits with a lower confidence (0-100).
    pub min_confidence: u8,
    /// Only these kinds of record.
    pub kinds: &'a [RecordKind],
}

/// One record that matched.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The record.
    pub record: Record,
    /// The contact itself for a contact; the linked contacts of a note or
    /// reminder (those present in the index).
    pub contacts: Vec<Arc<Contact>>,
    /// The field that contributed most to the score.
    pub field: Field,
    /// How well the query matched, 0-100: 100 when every word matched
    /// exactly.
    pub confidence: u8,
    /// The ranking score (BM25 with field weights); comparable only within
    /// one query.
    pub score: f32,
    /// About 120 characters of `field` around the first match, matches
    /// marked `**like this**`.
    pub snippet: String,
}

/// A dictionary term one query word matched, and how well.
#[derive(Debug, Clone, Copy)]
pub(super) struct Variant {
    pub(super) term: TermId,
    pub(super) quality: f32,
    /// Matched as another form of the word, so counted only in prose
    /// fields ([`Field::is_prose`]).
    pub(super) prose_only: bool,
}

impl Variant {
    pub(super) fn units(&self) -> u32 {
        quality_units(self.quality)
    }
}

/// Confidence (0-100) of a summed quality over `words` query words.
pub(super) fn confidence(quality: u32, words: usize) -> u8 {
    (f64::from(quality) / f64::from(QUALITY_UNITS) / words as f64 * 100.0).round() as u8
}

/// A candidate in ranking order: confidence, then score, then the stable
/// tie-break, then doc id; [`Ordering::Less`] ranks first, so a max-heap
/// of these keeps the worst kept hit on top.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ranked {
    pub(super) quality: u32,
    pub(super) score: f32,
    pub(super) tiebreak: u64,
    pub(super) doc: u32,
    /// `Field as u8` of the field that contributed most; not a ranking
    /// key.
    pub(super) field: u8,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .quality
            .cmp(&self.quality)
            .then(other.score.total_cmp(&self.score))
            .then(self.tiebreak.cmp(&other.tiebreak))
            .then(self.doc.cmp(&other.doc))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

impl SearchIndex {
    /// The best hits for `query`, best first.
    pub fn search(&self, query: &SearchQuery<'_>) -> Vec<SearchHit> {
        self.hits(query, |ranking| {
            maxscore::top_docs(
                self,
                ranking.variants,
                &ranking.order,
                &ranking.scoring,
                ranking.wanted,
                ranking.min_units,
            )
        })
    }

    /// [`SearchIndex::search`] scoring every matching record term at a
    /// time, the reference the pruned search is checked against.
    #[cfg(test)]
    pub(super) fn search_exhaustive(&self, query: &SearchQuery<'_>) -> Vec<SearchHit> {
        self.hits(query, |ranking| super::exhaustive::top_docs(self, ranking))
    }

    /// The hits of `query`, from the best `skip + max_results` records as
    /// `rank` finds them.
    fn hits(
        &self,
        query: &SearchQuery<'_>,
        rank: impl FnOnce(&Ranking<'_>) -> Vec<Ranked>,
    ) -> Vec<SearchHit> {
        let mut words = terms(query.text);
        words.truncate(MAX_QUERY_WORDS);
        if words.is_empty() || query.max_results == 0 {
            return Vec::new();
        }
        let variants: Vec<Vec<Variant>> = words
            .iter()
            .enumerate()
            .map(|(i, w)| self.variants(w, i + 1 == words.len()))
            .collect();
        let ranking = Ranking {
            order: self.scoring_order(&variants),
            variants: &variants,
            scoring: FieldScoring::new(self, query.kinds),
            // The best `skip + max_results` are ranked; only the last
            // `max_results` of them are made into hits.
            wanted: query.skip.saturating_add(query.max_results),
            min_units: min_units(query.min_confidence, words.len()),
        };
        let ranked = rank(&ranking);
        let words_n = words.len();
        let matched: HashSet<&str> = variants
            .iter()
            .flatten()
            .map(|v| &*self.terms[v.term as usize].text)
            .collect();
        let last = words.last().map(String::as_str).unwrap_or_default();
        let is_match = |term: &str| matched.contains(term) || term.starts_with(last);
        ranked
            .into_iter()
            .skip(query.skip)
            .map(|ranked| {
                let record = self.record(ranked.doc).clone();
                let field = Field::ALL[ranked.field as usize];
                let snippet = record
                    .field_text(field)
                    .map(|text| snippet(&text, is_match))
                    .unwrap_or_default();
                SearchHit {
                    contacts: self.contacts_of(&record),
                    record,
                    field,
                    confidence: confidence(ranked.quality, words_n),
                    score: ranked.score,
                    snippet,
                }
            })
            .collect()
    }

    /// The order words are summed in: rarest first (fewest postings over
    /// their variants), so that a record's score is the same `f32` sum
    /// whichever way it was scored.
    fn scoring_order(&self, variants: &[Vec<Variant>]) -> Vec<usize> {
        let postings_of = |word: &[Variant]| -> usize {
            word.iter()
                .map(|v| self.terms[v.term as usize].postings.len())
                .sum()
        };
        let mut order: Vec<usize> = (0..variants.len()).collect();
        order.sort_by_key(|&w| (postings_of(&variants[w]), w));
        order
    }

    /// The dictionary terms `word` matches, each with its best quality.
    fn variants(&self, word: &str, is_last: bool) -> Vec<Variant> {
        let mut found: Vec<Variant> = Vec::new();
        let mut add = |term: TermId, quality: f32| {
            if let Some(v) = found.iter_mut().find(|v| v.term == term) {
                v.quality = v.quality.max(quality);
            } else {
                found.push(Variant {
                    term,
                    quality,
                    prose_only: false,
                });
            }
        };
        if let Some(term) = self.term_id(word) {
            add(term, EXACT);
        }
        if is_last {
            let mut longer: Vec<TermId> = self
                .dictionary
                .range::<str, _>((Bound::Included(word), Bound::Unbounded))
                .take(PREFIX_SCAN_LIMIT)
                .take_while(|(t, _)| t.starts_with(word))
                .filter(|(t, _)| t.len() > word.len())
                .map(|(_, &id)| id)
                .collect();
            if longer.len() > PREFIX_EXPANSIONS {
                longer.select_nth_unstable_by_key(PREFIX_EXPANSIONS - 1, |&id| {
                    std::cmp::Reverse(self.terms[id as usize].postings.len())
                });
                longer.truncate(PREFIX_EXPANSIONS);
            }
            for id in longer {
                let typed = word.len() as f32 / self.terms[id as usize].text.len() as f32;
                add(id, PREFIX_MIN + PREFIX_SPAN * typed);
            }
        }
        let budget = allowed_typos(word.len());
        if budget > 0 && word.len() <= MAX_TYPO_TERM_LEN {
            let mask = letter_mask(word.as_bytes());
            let lengths = word.len() - usize::from(budget)..=word.len() + usize::from(budget);
            for len in lengths {
                for &id in self.by_len.get(len).map_or(&[][..], Vec::as_slice) {
                    let term = &self.terms[id as usize];
                    if !masks_allow(mask, term.mask, budget) {
                        continue;
                    }
                    match bounded_distance(word.as_bytes(), term.text.as_bytes(), budget) {
                        Some(1) => add(id, ONE_TYPO),
                        Some(2) => add(id, TWO_TYPOS),
                        _ => {}
                    }
                }
            }
        }
        // Other forms of the word, as variants of their own: in prose
        // they may count more than the same term matched as a typo or a
        // short prefix, which still counts everywhere.
        let exact = self.term_id(word);
        for term in self.stem_family(&stem(word)) {
            let better = found
                .iter()
                .all(|v| v.term != term || v.quality < OTHER_FORM);
            if Some(term) != exact && better {
                found.push(Variant {
                    term,
                    quality: OTHER_FORM,
                    prose_only: true,
                });
            }
        }
        found
    }

    fn record(&self, doc: u32) -> &Record {
        self.docs[doc as usize]
            .as_ref()
            .expect("postings only name live records")
    }

    fn contacts_of(&self, record: &Record) -> Vec<Arc<Contact>> {
        match record {
            Record::Contact(contact) => vec![contact.clone()],
            _ => record
                .linked_contact_ids()
                .iter()
                .filter_map(|id| match self.get(RecordKind::Contact, &id.as_text()) {
                    Some(Record::Contact(contact)) => Some(contact.clone()),
                    _ => None,
                })
                .collect(),
        }
    }
}

/// What ranking one query needs besides the index.
pub(super) struct Ranking<'a> {
    /// Per query word, the terms it matches.
    pub(super) variants: &'a [Vec<Variant>],
    /// Word indices in the order their scores are summed.
    pub(super) order: Vec<usize>,
    pub(super) scoring: FieldScoring,
    /// How many of the best records to find.
    pub(super) wanted: usize,
    /// The least summed quality `min-confidence` lets through.
    pub(super) min_units: u32,
}

/// The least summed quality (in [`QUALITY_UNITS`]) whose confidence over
/// `words` words is at least `min_confidence`, `u32::MAX` if none is.
/// Confidence grows with quality, so "confident enough" is one integer
/// comparison, and a bound on quality says whether a record can be.
fn min_units(min_confidence: u8, words: usize) -> u32 {
    let most = QUALITY_UNITS as u32 * words as u32;
    if confidence(most, words) < min_confidence {
        return u32::MAX;
    }
    let (mut low, mut high) = (0, most);
    while low < high {
        let mid = low + (high - low) / 2;
        if confidence(mid, words) >= min_confidence {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    low
}

/// BM25 per field for one query: which fields count, their weights and
/// average lengths. One place for the formula, so that the bounds, the
/// pruned scoring and the exhaustive reference compute the very same
/// `f32`s.
pub(super) struct FieldScoring {
    allowed: [bool; Field::ALL.len()],
    prose: [bool; Field::ALL.len()],
    weight: [f32; Field::ALL.len()],
    average: [f32; Field::ALL.len()],
    live: f32,
}

impl FieldScoring {
    fn new(index: &SearchIndex, kinds: &[RecordKind]) -> FieldScoring {
        FieldScoring {
            allowed: Field::ALL.map(|f| kinds.contains(&f.kind())),
            prose: Field::ALL.map(Field::is_prose),
            weight: Field::ALL.map(Field::weight),
            average: std::array::from_fn(|f| index.average_len(f)),
            live: index.len() as f32,
        }
    }

    /// Whether a match in `field` (`Field as u8`) counts: `include-types`
    /// lets it, and it is prose if the match is `prose_only`.
    pub(super) fn counts(&self, field: u8, prose_only: bool) -> bool {
        self.allowed[field as usize] && (!prose_only || self.prose[field as usize])
    }

    /// The inverse document frequency of a term in `df` records.
    pub(super) fn idf(&self, df: usize) -> f32 {
        let df = df as f32;
        ((self.live - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    /// The score of `tf` occurrences in a field of `len` terms, for a term
    /// of `idf` matched with `quality`.
    #[inline]
    pub(super) fn contribution(&self, field: u8, tf: u16, len: u16, idf: f32, quality: f32) -> f32 {
        let f = field as usize;
        let tf = f32::from(tf);
        let norm = K1 * (1.0 - B + B * f32::from(len) / self.average[f]);
        self.weight[f] * idf * quality * tf * (K1 + 1.0) / (tf + norm)
    }

    /// At least [`FieldScoring::contribution`] of any posting with at most
    /// `max_tf` occurrences in at least `min_len` terms. The formula grows
    /// with occurrences and falls with length, and `f32` rounding keeps
    /// that within a few units of the last place, which the margin covers.
    pub(super) fn bound(
        &self,
        field: u8,
        max_tf: u16,
        min_len: u16,
        idf: f32,
        quality: f32,
    ) -> f32 {
        self.contribution(field, max_tf, min_len, idf, quality) * (1.0 + 16.0 * f32::EPSILON)
    }
}
