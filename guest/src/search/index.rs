//! The inverted index: a term dictionary and, per term, where it occurs.
//!
//! Built once from a snapshot, then kept current by applying single writes
//! ([`SearchIndex::upsert`], [`SearchIndex::remove`]) so that a cache never
//! has to rebuild after the user edits one record.
//!
//! Layout, chosen for fast queries and cheap single-record updates:
//! - terms are interned to ids through a hash map (building looks up every
//!   word of every record, so this is the hot path of a build), and also
//!   kept in a sorted dictionary for prefix ranges and in buckets by length
//!   for typo scans;
//! - each term's postings are sorted by document id. Documents get
//!   increasing ids and a replaced record gets a new id, so appending keeps
//!   the order and a removal is a binary search plus one `drain`;
//! - a posting carries the length of its field, so scoring needs nothing
//!   but the postings and per-field average lengths;
//! - nothing per record but the record itself (shared with the snapshot):
//!   removing one tokenizes its text again to find its postings, which
//!   costs microseconds once per write instead of a list of term ids and
//!   field lengths kept for every record (half the index's memory).

use std::collections::{BTreeMap, HashMap};

use hashbrown::HashTable;

use super::document::{Field, Record, RecordKind};
use super::fold::for_each_term;
use super::stem::stem;
use super::typo::letter_mask;
use crate::snapshot::Snapshot;

/// Index of a term in [`SearchIndex::terms`].
pub(super) type TermId = u32;
/// Index of a document in [`SearchIndex::docs`].
pub(super) type DocId = u32;

/// One field of one document containing a term: 8 bytes, as there are
/// about a million of them at 10,000 contacts (a plain struct of the same
/// fields is padded to 12).
#[derive(Debug, Clone, Copy)]
pub(super) struct Posting {
    pub doc: DocId,
    /// Terms in the field.
    pub len: u16,
    /// `Field as usize` in the low [`FIELD_BITS`] bits, occurrences of the
    /// term in the field above them.
    field_tf: u16,
}

/// Bits of [`Posting::field_tf`] holding the field.
const FIELD_BITS: u32 = 4;
const _: () = assert!(Field::ALL.len() < 1 << FIELD_BITS);
/// The most occurrences of one term in one field a posting counts: more
/// than any note repeats a word, and BM25 has long saturated by then.
pub(super) const MAX_TF: u16 = u16::MAX >> FIELD_BITS;

impl Posting {
    pub(super) fn new(doc: DocId, field: Field, tf: usize, len: u16) -> Posting {
        let tf = u16::try_from(tf).unwrap_or(u16::MAX).min(MAX_TF);
        Posting {
            doc,
            len,
            field_tf: tf << FIELD_BITS | field as u16,
        }
    }

    /// `Field as usize`.
    pub(super) fn field(self) -> u8 {
        (self.field_tf & ((1 << FIELD_BITS) - 1)) as u8
    }

    /// Occurrences of the term in the field, at most [`MAX_TF`].
    pub(super) fn tf(self) -> u16 {
        self.field_tf >> FIELD_BITS
    }

    /// Field, occurrences and length in one number: all a posting's score
    /// depends on besides its term. Never `u32::MAX`, which would need
    /// field `(1 << FIELD_BITS) - 1`, one more than there are.
    pub(super) fn shape(self) -> u32 {
        u32::from(self.field_tf) << 16 | u32::from(self.len)
    }
}

/// The most occurrences and the shortest field among a term's postings
/// in one field: what bounds the BM25 score of any of them (it grows with
/// occurrences and falls with length), so that a query can tell which
/// terms cannot lift a record into its answer ([`super::maxscore`]).
/// Kept up to date as records are added; a removal leaves it as it was,
/// which is still a bound, only a looser one until the next build.
#[derive(Debug, Clone, Copy)]
pub(super) struct FieldPeak {
    pub field: u8,
    pub max_tf: u16,
    pub min_len: u16,
}

/// Documents per block of [`Term::blocks`]: blocks are ranges of doc ids,
/// the same for every term, so one range can be skipped in every list at
/// once, and a removal (which shifts postings) never moves a block.
pub(super) const BLOCK_SHIFT: u32 = 7;
/// Terms with fewer postings keep no blocks: walking them is as cheap as
/// skipping them.
const BLOCKED_TERM_MIN: usize = 256;

/// The peaks of a term's postings in one block of doc ids
/// (`doc >> BLOCK_SHIFT == block`): what bounds their BM25 scores, so
/// that a query can skip a block whose best cannot reach its answer, and
/// what bounds their tie-breaks, so that it can skip a block whose best
/// can only tie the answer's worst hit and lose the tie-break (a common
/// word alone ties thousands of records at the top score).
/// 12 bytes, as without `min_tiebreak` (it fills the padding).
#[derive(Debug, Clone, Copy)]
pub(super) struct BlockPeak {
    pub block: u32,
    pub max_tf: u16,
    pub min_len: u16,
    /// A bit per field (`1 << Field as u8`) with postings in the block.
    pub fields: u16,
    /// The top 16 bits of the smallest [`SearchIndex::tiebreak`] of the
    /// documents with a posting of length `min_len` in the block: each
    /// of them has a tie-break of at least `min_tiebreak << 48`
    /// ([`BlockPeak::least_tiebreak`]). Only those can tie at the top
    /// score when a posting one term longer cannot, which is what a
    /// query checks; the others (a common word's longer notes) would
    /// only make the bound looser. The tie-breaks are hashes, so 16 bits
    /// tell blocks apart about as well as 64 would. A removal leaves it
    /// as it was, still a bound.
    pub min_tiebreak: u16,
}

const _: () = assert!(size_of::<BlockPeak>() == 12);

impl BlockPeak {
    fn of(posting: Posting, tiebreak: u64) -> BlockPeak {
        BlockPeak {
            block: posting.doc >> BLOCK_SHIFT,
            max_tf: posting.tf(),
            min_len: posting.len,
            fields: 1 << posting.field(),
            min_tiebreak: tiebreak_top(tiebreak),
        }
    }

    fn add(&mut self, posting: Posting, tiebreak: u64) {
        self.max_tf = self.max_tf.max(posting.tf());
        self.fields |= 1 << posting.field();
        let top = tiebreak_top(tiebreak);
        if posting.len < self.min_len {
            self.min_len = posting.len;
            self.min_tiebreak = top;
        } else if posting.len == self.min_len {
            self.min_tiebreak = self.min_tiebreak.min(top);
        }
    }

    /// No document of the block with a posting of length `min_len` has a
    /// smaller tie-break.
    pub(super) fn least_tiebreak(&self) -> u64 {
        u64::from(self.min_tiebreak) << 48
    }
}

/// The top 16 bits of a tie-break, rounded down, for [`BlockPeak`].
fn tiebreak_top(tiebreak: u64) -> u16 {
    (tiebreak >> 48) as u16
}

/// A term of the dictionary.
#[derive(Debug)]
pub(super) struct Term {
    pub text: Box<str>,
    /// See [`letter_mask`].
    pub mask: u64,
    pub postings: Vec<Posting>,
    /// One per field the term occurs in.
    pub peaks: Vec<FieldPeak>,
    /// By block, for terms with at least [`BLOCKED_TERM_MIN`] postings
    /// (else empty). Like `peaks`, left as they were by a removal.
    pub blocks: Vec<BlockPeak>,
}

impl Term {
    /// Adds `posting`, the last in doc order; `tiebreaks` is
    /// [`SearchIndex::tiebreak`], holding its document's already.
    fn add(&mut self, posting: Posting, tiebreaks: &[u64]) {
        let field = posting.field();
        match self.peaks.iter_mut().find(|peak| peak.field == field) {
            Some(peak) => {
                peak.max_tf = peak.max_tf.max(posting.tf());
                peak.min_len = peak.min_len.min(posting.len);
            }
            None => self.peaks.push(FieldPeak {
                field,
                max_tf: posting.tf(),
                min_len: posting.len,
            }),
        }
        self.postings.push(posting);
        if !self.blocks.is_empty() {
            self.add_to_blocks(posting, tiebreaks);
        } else if self.postings.len() >= BLOCKED_TERM_MIN {
            for i in 0..self.postings.len() {
                self.add_to_blocks(self.postings[i], tiebreaks);
            }
        }
    }

    /// Postings come in doc order, so a posting's block is the last one
    /// or a new one after it.
    fn add_to_blocks(&mut self, posting: Posting, tiebreaks: &[u64]) {
        let tiebreak = tiebreaks[posting.doc as usize];
        match self.blocks.last_mut() {
            Some(last) if last.block == posting.doc >> BLOCK_SHIFT => last.add(posting, tiebreak),
            _ => self.blocks.push(BlockPeak::of(posting, tiebreak)),
        }
    }
}

/// A full-text index over contacts, notes and reminders.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// By [`DocId`]; `None` once removed. Nothing else is kept per
    /// record: taking one out finds its terms and field lengths again from
    /// its text, which is shared with the snapshot and does not change.
    pub(super) docs: Vec<Option<Record>>,
    /// By [`DocId`]: a hash of kind and Dex id, the last ranking key. It
    /// orders exactly tied hits the same way however the index was built
    /// (doc ids differ between a rebuild and applied writes), and is a
    /// number, so ranking tens of thousands of tied hits stays cheap.
    pub(super) tiebreak: Vec<u64>,
    /// Live documents, found by kind and Dex id. The table holds only doc
    /// ids, hashed from [`SearchIndex::tiebreak`] and compared against the
    /// record, so the ids are not stored a second time as keys.
    by_id: HashTable<DocId>,
    /// By [`TermId`].
    pub(super) terms: Vec<Term>,
    term_ids: HashMap<Box<str>, TermId>,
    /// Every term, sorted, for prefix lookups.
    pub(super) dictionary: BTreeMap<Box<str>, TermId>,
    /// Term ids by term length in bytes, for typo lookups.
    pub(super) by_len: Vec<Vec<TermId>>,
    /// Terms by their stem ([`stem`]), for those whose stem is not the
    /// term itself (a term that is its own stem is found by
    /// [`SearchIndex::term_id`]): the other forms of a query word.
    stems: HashMap<Box<str>, Vec<TermId>>,
    field_len_sum: [u64; Field::ALL.len()],
    field_count: [u64; Field::ALL.len()],
    live: usize,
    /// Records a query left out on their bounds, so tests can tell the
    /// pruning was exercised.
    #[cfg(test)]
    pub(super) skipped_docs: std::sync::atomic::AtomicUsize,
    /// Doc blocks a query skipped on their bounds, likewise.
    #[cfg(test)]
    pub(super) skipped_blocks: std::sync::atomic::AtomicUsize,
    /// Records a query scored whole and offered to its answer, likewise.
    #[cfg(test)]
    pub(super) scored_docs: std::sync::atomic::AtomicUsize,
}

impl SearchIndex {
    /// Indexes every record of `snapshot`.
    pub fn build(snapshot: &Snapshot) -> SearchIndex {
        SearchIndex::from_records(Record::all_of(snapshot))
    }

    /// Indexes `records`; a later record replaces an earlier one with the
    /// same kind and id.
    pub fn from_records(records: impl IntoIterator<Item = Record>) -> SearchIndex {
        let mut index = SearchIndex::default();
        for record in records {
            index.upsert(record);
        }
        index.shrink_to_fit();
        index
    }

    /// Gives back what growing by doubling reserved: after a build the
    /// index only changes by single writes, and the spare capacity of
    /// hundreds of thousands of postings is a third of their memory.
    fn shrink_to_fit(&mut self) {
        for term in &mut self.terms {
            term.postings.shrink_to_fit();
            term.peaks.shrink_to_fit();
            term.blocks.shrink_to_fit();
        }
        self.terms.shrink_to_fit();
        self.docs.shrink_to_fit();
        self.tiebreak.shrink_to_fit();
        let tiebreak = &self.tiebreak;
        self.by_id
            .shrink_to_fit(|&doc| table_hash(tiebreak[doc as usize]));
    }

    /// Adds `record`, replacing the record of the same kind and id if the
    /// index has one.
    pub fn upsert(&mut self, record: Record) {
        self.remove(record.kind(), &record.id());
        self.insert(record);
    }

    /// Takes the record of `kind` with Dex id `id` out; whether it was in.
    pub fn remove(&mut self, kind: RecordKind, id: &str) -> bool {
        let Ok(entry) = self
            .by_id
            .find_entry(table_hash(tiebreak(kind, id)), |&doc| {
                is_record(&self.docs, doc, kind, id)
            })
        else {
            return false;
        };
        let (doc_id, _) = entry.remove();
        let Some(record) = self.docs[doc_id as usize].take() else {
            return false;
        };
        let mut doc_terms = Vec::new();
        for_each_field(&record, |field, terms| {
            let Some(len) = field_len(terms) else {
                return;
            };
            for term in terms {
                doc_terms.push(self.term_ids[*term]);
            }
            self.field_len_sum[field as usize] -= u64::from(len);
            self.field_count[field as usize] -= 1;
        });
        doc_terms.sort_unstable();
        doc_terms.dedup();
        for term in doc_terms {
            let postings = &mut self.terms[term as usize].postings;
            let start = postings.partition_point(|p| p.doc < doc_id);
            let end = start + postings[start..].partition_point(|p| p.doc == doc_id);
            postings.drain(start..end);
        }
        self.live -= 1;
        true
    }

    /// The record of `kind` with Dex id `id`, if indexed.
    pub fn get(&self, kind: RecordKind, id: &str) -> Option<&Record> {
        let doc = *self.by_id.find(table_hash(tiebreak(kind, id)), |&doc| {
            is_record(&self.docs, doc, kind, id)
        })?;
        self.docs[doc as usize].as_ref()
    }

    /// How many records are indexed.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether no record is indexed.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// How many distinct terms the dictionary holds (terms of removed
    /// records stay, with no postings).
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// The average length of `field` over the records that have it.
    pub(super) fn average_len(&self, field: usize) -> f32 {
        if self.field_count[field] == 0 {
            1.0
        } else {
            self.field_len_sum[field] as f32 / self.field_count[field] as f32
        }
    }

    /// The terms whose stem is `stem`.
    pub(super) fn stem_family(&self, stem: &str) -> impl Iterator<Item = TermId> + '_ {
        self.term_id(stem)
            .into_iter()
            .chain(self.stems.get(stem).into_iter().flatten().copied())
    }

    /// Looks up a term's id.
    pub(super) fn term_id(&self, term: &str) -> Option<TermId> {
        self.term_ids.get(term).copied()
    }

    fn insert(&mut self, record: Record) {
        let doc_id = DocId::try_from(self.docs.len()).expect("fewer than 4 billion records");
        let hash = tiebreak(record.kind(), &record.id());
        // The new document's tie-break goes in first: its postings' blocks
        // read it.
        self.tiebreak.push(hash);
        let mut field_terms: Vec<TermId> = Vec::new();
        for_each_field(&record, |field, terms| {
            let Some(len) = field_len(terms) else {
                return;
            };
            field_terms.clear();
            field_terms.extend(terms.iter().map(|term| self.intern(term)));
            field_terms.sort_unstable();
            for run in field_terms.chunk_by(|a, b| a == b) {
                self.terms[run[0] as usize]
                    .add(Posting::new(doc_id, field, run.len(), len), &self.tiebreak);
            }
            self.field_len_sum[field as usize] += u64::from(len);
            self.field_count[field as usize] += 1;
        });
        let tiebreaks = &self.tiebreak;
        self.by_id.insert_unique(table_hash(hash), doc_id, |&doc| {
            table_hash(tiebreaks[doc as usize])
        });
        self.docs.push(Some(record));
        self.live += 1;
    }

    fn intern(&mut self, term: &str) -> TermId {
        if let Some(&id) = self.term_ids.get(term) {
            return id;
        }
        let id = TermId::try_from(self.terms.len()).expect("fewer than 4 billion terms");
        let text: Box<str> = term.into();
        self.term_ids.insert(text.clone(), id);
        self.dictionary.insert(text.clone(), id);
        if self.by_len.len() <= text.len() {
            self.by_len.resize_with(text.len() + 1, Vec::new);
        }
        self.by_len[text.len()].push(id);
        let stemmed = stem(&text);
        if *stemmed != *text {
            self.stems.entry(stemmed.into()).or_default().push(id);
        }
        self.terms.push(Term {
            mask: letter_mask(text.as_bytes()),
            text,
            postings: Vec::new(),
            peaks: Vec::new(),
            blocks: Vec::new(),
        });
        id
    }
}

/// Whether `doc` is the live record of `kind` with Dex id `id`.
fn is_record(docs: &[Option<Record>], doc: DocId, kind: RecordKind, id: &str) -> bool {
    docs[doc as usize]
        .as_ref()
        .is_some_and(|record| record.kind() == kind && record.id() == id)
}

/// Spreads a [`tiebreak`] hash over all 64 bits (the low bits of FNV-1a
/// mix poorly, and the table picks buckets by them): the finalizer of
/// SplitMix64.
fn table_hash(tiebreak: u64) -> u64 {
    let mut z = tiebreak;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a of the kind and the id: stable across builds and platforms.
fn tiebreak(kind: RecordKind, id: &str) -> u64 {
    std::iter::once(kind as u8)
        .chain(id.bytes())
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// Calls `each(field, terms)` for every field of `record` that has text,
/// with its terms in order: what inserting indexes and what removing
/// takes out again, so both see exactly the same terms.
fn for_each_field(record: &Record, mut each: impl FnMut(Field, &[&str])) {
    let mut folded = String::new();
    let mut ends: Vec<usize> = Vec::new();
    for &field in record.fields() {
        let Some(text) = record.field_text(field) else {
            continue;
        };
        folded.clear();
        ends.clear();
        for_each_term(&text, |term, _, _| {
            folded.push_str(term);
            ends.push(folded.len());
        });
        let mut start = 0;
        let words: Vec<&str> = ends
            .iter()
            .map(|&end| {
                let word = &folded[start..end];
                start = end;
                word
            })
            .collect();
        each(field, &words);
    }
}

/// A field's length for scoring, or `None` when it has no terms (such a
/// field is not indexed at all).
fn field_len(terms: &[&str]) -> Option<u16> {
    (!terms.is_empty()).then(|| u16::try_from(terms.len()).unwrap_or(u16::MAX))
}
