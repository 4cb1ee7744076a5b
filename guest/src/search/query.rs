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
//! Words are scored rarest first, and once enough records are out of reach
//! of any record not yet seen, the common words only update those records
//! (see [`SearchIndex::score`]); the hits are the same as scoring every
//! record.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};
use std::ops::Bound;
use std::sync::Arc;

use super::document::{Field, Record, RecordKind};
use super::fold::terms;
use super::index::{Posting, SearchIndex, TermId};
use super::scratch::Scratch;
use super::snippet::snippet;
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

/// Match qualities are summed as integers in units of 2^-25: every
/// quality above is an `f32` of at least 0.25, so a multiple of 2^-25, and
/// ten words sum to well under `u32::MAX` units. Integer sums do not depend
/// on the order words are added in, which the pruning in
/// [`SearchIndex::score`] changes.
const QUALITY_UNITS: f32 = (1u32 << 25) as f32;

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
struct Variant {
    term: TermId,
    quality: f32,
}

impl Variant {
    fn units(&self) -> u32 {
        quality_units(self.quality)
    }
}

/// Confidence (0-100) of a summed quality over `words` query words.
fn confidence(quality: u32, words: usize) -> u8 {
    (f64::from(quality) / f64::from(QUALITY_UNITS) / words as f64 * 100.0).round() as u8
}

/// A candidate in ranking order: confidence, then score, then the stable
/// tie-break, then doc id; [`Ordering::Less`] ranks first, so a max-heap
/// of these keeps the worst kept hit on top.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    quality: u32,
    score: f32,
    tiebreak: u64,
    doc: u32,
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
        self.search_pruned(query, true)
    }

    /// [`SearchIndex::search`] scoring every matching record, the reference
    /// the pruned search is checked against.
    #[cfg(test)]
    pub(super) fn search_exhaustive(&self, query: &SearchQuery<'_>) -> Vec<SearchHit> {
        self.search_pruned(query, false)
    }

    fn search_pruned(&self, query: &SearchQuery<'_>, prune: bool) -> Vec<SearchHit> {
        let mut words = terms(query.text);
        words.truncate(MAX_QUERY_WORDS);
        // The best `skip + max_results` are ranked; only the last
        // `max_results` of them are made into hits.
        let wanted = query.skip.saturating_add(query.max_results);
        if words.is_empty() || query.max_results == 0 {
            return Vec::new();
        }
        let variants: Vec<Vec<Variant>> = words
            .iter()
            .enumerate()
            .map(|(i, w)| self.variants(w, i + 1 == words.len()))
            .collect();
        let mut shared = self.scratch.try_lock().ok();
        let mut fresh = Scratch::default();
        // Busy only if another thread is searching the same index (never
        // in the component); poisoned only after a panic mid-query, which
        // may have left it dirty. Either way a fresh one gives the answer.
        let scratch = shared.as_deref_mut().unwrap_or(&mut fresh);
        let cutoff = prune.then_some(wanted);
        self.score(&variants, query.kinds, cutoff, scratch);
        let words_n = words.len();
        let confidence = |quality: u32| confidence(quality, words_n);
        // The best `wanted` in a max-heap whose top is the worst kept:
        // most of the tens of thousands of matches of a common word cost
        // one comparison with it, instead of all being collected and
        // partitioned.
        let mut heap: BinaryHeap<Ranked> =
            BinaryHeap::with_capacity(wanted.min(scratch.candidates.len()));
        // Qualities are sums of a few match qualities, so long runs of
        // candidates share one: remember the last verdict.
        let mut last: Option<(u32, bool)> = None;
        for &doc in &scratch.candidates {
            let acc = &scratch.docs[doc as usize];
            let confident = match last {
                Some((quality, verdict)) if quality == acc.quality => verdict,
                _ => {
                    let verdict = confidence(acc.quality) >= query.min_confidence;
                    last = Some((acc.quality, verdict));
                    verdict
                }
            };
            if !confident {
                continue;
            }
            let candidate = Ranked {
                quality: acc.quality,
                score: acc.score,
                tiebreak: self.tiebreak[doc as usize],
                doc,
            };
            if heap.len() < wanted {
                heap.push(candidate);
            } else if let Some(mut worst) = heap.peek_mut()
                && candidate < *worst
            {
                *worst = candidate;
            }
        }
        let ranked: Vec<(Ranked, u8)> = heap
            .into_sorted_vec()
            .into_iter()
            .skip(query.skip)
            .map(|r| (r, scratch.docs[r.doc as usize].field))
            .collect();
        scratch.reset();
        drop(shared);

        let matched: HashSet<&str> = variants
            .iter()
            .flatten()
            .map(|v| &*self.terms[v.term as usize].text)
            .collect();
        let last = words.last().map(String::as_str).unwrap_or_default();
        let is_match = |term: &str| matched.contains(term) || term.starts_with(last);
        ranked
            .into_iter()
            .map(|(ranked, field)| {
                let record = self.record(ranked.doc).clone();
                let field = Field::ALL[field as usize];
                let snippet = record
                    .field_text(field)
                    .map(|text| snippet(&text, is_match))
                    .unwrap_or_default();
                SearchHit {
                    contacts: self.contacts_of(&record),
                    record,
                    field,
                    confidence: confidence(ranked.quality),
                    score: ranked.score,
                    snippet,
                }
            })
            .collect()
    }

    /// The dictionary terms `word` matches, each with its best quality.
    fn variants(&self, word: &str, is_last: bool) -> Vec<Variant> {
        let mut found: Vec<Variant> = Vec::new();
        let mut add = |term: TermId, quality: f32| {
            if let Some(v) = found.iter_mut().find(|v| v.term == term) {
                v.quality = v.quality.max(quality);
            } else {
                found.push(Variant { term, quality });
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
        found
    }

    /// Scores every record that matches at least one word into
    /// `scratch`, which must be clean, listing them in its candidates.
    ///
    /// Words are processed rarest first (fewest postings over their
    /// variants), in the same order with or without a `cutoff`, so that
    /// every record's score is the same `f32` sum either way.
    ///
    /// With a `cutoff` (the hits the query ranks, skipped ones included): once `cutoff`
    /// candidates have a quality above `reachable`, the most the remaining
    /// words can give a record not yet seen, no such record can be in the
    /// answer, and the remaining words only update the candidates, found
    /// in each term's postings by galloping instead of scoring every
    /// posting. The `min_confidence` filter needs no care: if one of those
    /// candidates ends below it, so does every unseen record, whose quality
    /// is lower; if none does, they all rank above every unseen record.
    /// Candidates get exactly the sums they would get without the cutoff,
    /// and a record left out could not have made the answer, so the hits
    /// are identical (checked against the exhaustive path in the tests).
    fn score(
        &self,
        variants: &[Vec<Variant>],
        kinds: &[RecordKind],
        cutoff: Option<usize>,
        scratch: &mut Scratch,
    ) {
        scratch.prepare(self.docs.len());
        let Scratch {
            docs,
            candidates,
            touched,
            sorted,
            ..
        } = scratch;
        let allowed: Vec<bool> = Field::ALL
            .iter()
            .map(|f| kinds.contains(&f.kind()))
            .collect();
        let weight: Vec<f32> = Field::ALL.iter().map(|f| f.weight()).collect();
        let average: Vec<f32> = (0..Field::ALL.len()).map(|f| self.average_len(f)).collect();
        let live = self.len() as f32;
        let postings_of = |word: &[Variant]| -> usize {
            word.iter()
                .map(|v| self.terms[v.term as usize].postings.len())
                .sum()
        };
        let mut order: Vec<usize> = (0..variants.len()).collect();
        order.sort_by_key(|&w| (postings_of(&variants[w]), w));
        // The most quality the words from the i-th in `order` on can add.
        let mut reachable = vec![0u32; order.len() + 1];
        for (i, &w) in order.iter().enumerate().rev() {
            let best = variants[w].iter().map(Variant::units).max().unwrap_or(0);
            reachable[i] = reachable[i + 1] + best;
        }
        let mut closed = false;
        for (i, &w) in order.iter().enumerate() {
            if let Some(top) = cutoff
                && !closed
                && i > 0
                && candidates.len() >= top
            {
                let ahead = candidates
                    .iter()
                    .filter(|&&doc| docs[doc as usize].quality > reachable[i])
                    .take(top)
                    .count();
                if ahead == top {
                    closed = true;
                    #[cfg(test)]
                    {
                        scratch.closed_queries += 1;
                    }
                    sorted.extend_from_slice(candidates);
                    sorted.sort_unstable();
                }
            }
            for variant in &variants[w] {
                let postings = &self.terms[variant.term as usize].postings;
                if postings.is_empty() {
                    continue;
                }
                let df = postings.len() as f32;
                let idf = ((live - df + 0.5) / (df + 0.5) + 1.0).ln();
                let units = variant.units();
                let mut visit = |p: &Posting| {
                    let f = p.field() as usize;
                    if !allowed[f] {
                        return;
                    }
                    let tf = f32::from(p.tf());
                    let norm = K1 * (1.0 - B + B * f32::from(p.len) / average[f]);
                    let contribution =
                        weight[f] * idf * variant.quality * tf * (K1 + 1.0) / (tf + norm);
                    let acc = &mut docs[p.doc as usize];
                    if acc.word_score == 0.0 {
                        touched.push(p.doc);
                    }
                    if contribution > acc.word_score {
                        acc.word_score = contribution;
                        acc.word_field = p.field();
                    }
                    acc.word_quality = acc.word_quality.max(units);
                };
                if closed {
                    for_each_posting_of(postings, sorted, &mut visit);
                } else {
                    postings.iter().for_each(&mut visit);
                }
            }
            for &doc in touched.iter() {
                let acc = &mut docs[doc as usize];
                if acc.score == 0.0 {
                    candidates.push(doc);
                }
                acc.score += acc.word_score;
                acc.quality += acc.word_quality;
                if acc.word_score > acc.best {
                    acc.best = acc.word_score;
                    acc.field = acc.word_field;
                }
                acc.word_score = 0.0;
                acc.word_quality = 0;
            }
            touched.clear();
        }
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
                .filter_map(|id| match self.get(RecordKind::Contact, id) {
                    Some(Record::Contact(contact)) => Some(contact.clone()),
                    _ => None,
                })
                .collect(),
        }
    }
}

/// Calls `visit` on each posting of `postings` (sorted by doc) whose doc
/// is in `docs` (sorted), in posting order. Gallops from doc to doc, so a
/// few candidates cost a few binary searches, not a walk over tens of
/// thousands of postings.
fn for_each_posting_of(postings: &[Posting], docs: &[u32], visit: &mut impl FnMut(&Posting)) {
    let mut rest = postings;
    for &doc in docs {
        let Some(first) = rest.first() else { return };
        if first.doc < doc {
            // rest[low] is before `doc`; find a bound at or after it.
            let mut low = 0;
            let mut bound = 1;
            while bound < rest.len() && rest[bound].doc < doc {
                low = bound;
                bound *= 2;
            }
            let end = bound.min(rest.len());
            let skip = low + 1 + rest[low + 1..end].partition_point(|p| p.doc < doc);
            rest = &rest[skip..];
        }
        while let Some(p) = rest.first()
            && p.doc == doc
        {
            visit(p);
            rest = &rest[1..];
        }
    }
}
