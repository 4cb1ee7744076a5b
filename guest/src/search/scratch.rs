//! The working memory of one query, kept between queries.
//!
//! Its own module so that the index (which owns one) and the query code
//! (which fills it) both depend on it and not on each other.

/// What one query has gathered about one record. Kept in one array by
/// doc id so that a posting updates one cache line, not seven.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Accumulator {
    /// Sum over the words processed so far of each word's best score.
    pub(super) score: f32,
    /// Sum over those words of each word's best match quality, in
    /// the query's quality units.
    pub(super) quality: u32,
    /// The best single word score so far, and its field.
    pub(super) best: f32,
    pub(super) field: u8,
    /// The word being processed: best score, its field, best quality.
    pub(super) word_field: u8,
    pub(super) word_score: f32,
    pub(super) word_quality: u32,
}

/// Per-record sums, by doc id, reused from query to query: allocating and
/// zeroing arrays the size of the whole account on every query cost more
/// than scoring a rare word. Only the entries a query touched are reset
/// after it, so a query costs what it matches, not what the account holds.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    pub(super) docs: Vec<Accumulator>,
    /// Docs with a non-zero score, in the order first scored.
    pub(super) candidates: Vec<u32>,
    /// Docs touched by the word being processed.
    pub(super) touched: Vec<u32>,
    /// The candidates sorted by doc id, once no new doc can reach the top.
    pub(super) sorted: Vec<u32>,
    /// Queries that stopped taking new candidates, so tests can tell the
    /// pruning was exercised.
    #[cfg(test)]
    pub(super) closed_queries: usize,
}

impl Scratch {
    /// Makes room for `n` docs; every entry must already be zero.
    pub(super) fn prepare(&mut self, n: usize) {
        if self.docs.len() < n {
            self.docs.resize(n, Accumulator::default());
        }
    }

    /// Zeroes what the last query touched.
    pub(super) fn reset(&mut self) {
        for &doc in &self.candidates {
            self.docs[doc as usize] = Accumulator::default();
        }
        self.candidates.clear();
        self.touched.clear();
        self.sorted.clear();
    }
}
