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

use std::collections::HashSet;
use std::ops::Bound;
use std::sync::Arc;

use super::document::{Field, Record, RecordKind};
use super::fold::terms;
use super::index::{SearchIndex, TermId};
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

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// What to look for.
#[derive(Debug, Clone, Copy)]
pub struct SearchQuery<'a> {
    /// The words, as the user typed them.
    pub text: &'a str,
    /// At most this many hits.
    pub max_results: usize,
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

/// Per-record sums over the words processed so far.
struct Totals {
    score: Vec<f32>,
    quality: Vec<f32>,
    best: Vec<f32>,
    field: Vec<u8>,
    candidates: Vec<u32>,
}

impl SearchIndex {
    /// The best hits for `query`, best first.
    pub fn search(&self, query: &SearchQuery<'_>) -> Vec<SearchHit> {
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
        let totals = self.score(&variants, query.kinds);
        let words_n = words.len() as f32;
        let confidence = |doc: u32| (totals.quality[doc as usize] / words_n * 100.0).round() as u8;
        // (quality, score, tiebreak, doc): plain numbers, so that ranking
        // tens of thousands of matches of a common word stays cheap.
        let mut ranked: Vec<(f32, f32, u64, u32)> = totals
            .candidates
            .iter()
            .filter(|&&d| confidence(d) >= query.min_confidence)
            .map(|&d| {
                let i = d as usize;
                (totals.quality[i], totals.score[i], self.tiebreak[i], d)
            })
            .collect();
        let order = |a: &(f32, f32, u64, u32), b: &(f32, f32, u64, u32)| {
            b.0.total_cmp(&a.0)
                .then(b.1.total_cmp(&a.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
        };
        if ranked.len() > query.max_results {
            ranked.select_nth_unstable_by(query.max_results - 1, order);
            ranked.truncate(query.max_results);
        }
        ranked.sort_unstable_by(order);

        let matched: HashSet<&str> = variants
            .iter()
            .flatten()
            .map(|v| &*self.terms[v.term as usize].text)
            .collect();
        let last = words.last().map(String::as_str).unwrap_or_default();
        let is_match = |term: &str| matched.contains(term) || term.starts_with(last);
        ranked
            .into_iter()
            .map(|(_, _, _, doc)| {
                let record = self.record(doc).clone();
                let field = Field::ALL[totals.field[doc as usize] as usize];
                let snippet = record
                    .field_text(field)
                    .map(|text| snippet(&text, is_match))
                    .unwrap_or_default();
                SearchHit {
                    contacts: self.contacts_of(&record),
                    record,
                    field,
                    confidence: confidence(doc),
                    score: totals.score[doc as usize],
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

    /// Scores every record that matches at least one word.
    fn score(&self, variants: &[Vec<Variant>], kinds: &[RecordKind]) -> Totals {
        let n = self.docs.len();
        let mut totals = Totals {
            score: vec![0.0; n],
            quality: vec![0.0; n],
            best: vec![0.0; n],
            field: vec![0; n],
            candidates: Vec::new(),
        };
        let allowed: Vec<bool> = Field::ALL
            .iter()
            .map(|f| kinds.contains(&f.kind()))
            .collect();
        let weight: Vec<f32> = Field::ALL.iter().map(|f| f.weight()).collect();
        let average: Vec<f32> = (0..Field::ALL.len()).map(|f| self.average_len(f)).collect();
        let live = self.len() as f32;
        let mut word_score = vec![0.0f32; n];
        let mut word_quality = vec![0.0f32; n];
        let mut word_field = vec![0u8; n];
        let mut touched: Vec<u32> = Vec::new();
        for word in variants {
            for variant in word {
                let postings = &self.terms[variant.term as usize].postings;
                if postings.is_empty() {
                    continue;
                }
                let df = postings.len() as f32;
                let idf = ((live - df + 0.5) / (df + 0.5) + 1.0).ln();
                for p in postings {
                    let f = p.field as usize;
                    if !allowed[f] {
                        continue;
                    }
                    let tf = f32::from(p.tf);
                    let norm = K1 * (1.0 - B + B * f32::from(p.len) / average[f]);
                    let contribution =
                        weight[f] * idf * variant.quality * tf * (K1 + 1.0) / (tf + norm);
                    let d = p.doc as usize;
                    if word_score[d] == 0.0 {
                        touched.push(p.doc);
                    }
                    if contribution > word_score[d] {
                        word_score[d] = contribution;
                        word_field[d] = p.field;
                    }
                    word_quality[d] = word_quality[d].max(variant.quality);
                }
            }
            for &doc in &touched {
                let d = doc as usize;
                if totals.score[d] == 0.0 {
                    totals.candidates.push(doc);
                }
                totals.score[d] += word_score[d];
                totals.quality[d] += word_quality[d];
                if word_score[d] > totals.best[d] {
                    totals.best[d] = word_score[d];
                    totals.field[d] = word_field[d];
                }
                word_score[d] = 0.0;
                word_quality[d] = 0.0;
            }
            touched.clear();
        }
        totals
    }

    fn record(&self, doc: u32) -> &Record {
        &self.docs[doc as usize]
            .as_ref()
            .expect("postings only name live records")
            .record
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
