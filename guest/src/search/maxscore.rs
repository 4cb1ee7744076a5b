//! The best hits of a query, scored document at a time with MaxScore
//! bounds.
//!
//! Every matching term (a query word's exact, prefix, typo or stemmed
//! variant) is a cursor over its doc-sorted postings. Documents are
//! visited in doc order; each is scored completely before the next, and
//! the best `wanted` so far are kept in a heap whose worst entry is the
//! threshold a document must beat to matter.
//!
//! Each cursor has a bound: the most quality (its match quality) and BM25
//! score (from the term's largest occurrence count and shortest field,
//! [`super::index::FieldPeak`]) any of its postings can give. Cursors are
//! ordered by bound, and the longest run of the weakest ones that together
//! cannot lift a document past the threshold (or to `min-confidence`) is
//! "non-essential": a document found only in them cannot enter the
//! answer, so only the essential cursors propose documents, and the
//! others are looked up (galloping) for a proposed document only while
//! its bound still reaches the threshold. Ranking is by quality first, so
//! a three-word query whose best hits match all three words exactly
//! ends up walking only the rarest word's postings.
//!
//! Bounds only ever skip documents that could not rank, and every
//! document that is scored gets exactly the sums the exhaustive
//! term-at-a-time scoring gives it (same `f32` expressions, words summed
//! in the same rarest-first order, ties for the best field broken the
//! same way), so the hits are identical; `tests.rs` checks that on a
//! generated account.

use std::collections::BinaryHeap;

use super::index::{BLOCK_SHIFT, BlockPeak, DocId, Posting, SearchIndex};
use super::query::{FieldScoring, MAX_QUERY_WORDS, Ranked, Variant};

/// One matching term's postings, read in doc order.
struct Cursor<'a> {
    postings: &'a [Posting],
    at: usize,
    /// The query word it matches, by position in the query.
    word: usize,
    /// Its position among that word's variants: the earlier variant wins
    /// a tie for the word's best field, as in the exhaustive scoring.
    variant: usize,
    idf: f32,
    quality: f32,
    units: u32,
    prose_only: bool,
    /// No posting scores more than this.
    max_score: f32,
    /// The term's [`BlockPeak`]s, and the first one not behind the
    /// documents being scored.
    blocks: &'a [BlockPeak],
    block_at: usize,
    /// The last block asked for and its bound.
    cached: Option<(u32, f32)>,
}

impl Cursor<'_> {
    /// No posting of this cursor in doc block `block` scores more than
    /// this (0 when it has none there). Blocks must be asked for in
    /// order.
    fn block_bound(&mut self, block: u32, scoring: &FieldScoring) -> f32 {
        if self.blocks.is_empty() {
            return self.max_score;
        }
        if let Some((cached, bound)) = self.cached
            && cached == block
        {
            return bound;
        }
        while self
            .blocks
            .get(self.block_at)
            .is_some_and(|b| b.block < block)
        {
            self.block_at += 1;
        }
        let bound = match self.blocks.get(self.block_at) {
            Some(peak) if peak.block == block => (0..16u8)
                .filter(|&f| peak.fields & (1 << f) != 0 && scoring.counts(f, self.prose_only))
                .map(|f| scoring.bound(f, peak.max_tf, peak.min_len, self.idf, self.quality))
                .fold(0.0, f32::max)
                // The block's largest count and shortest field may come
                // from different fields: the term's own bound may be less.
                .min(self.max_score),
            _ => 0.0,
        };
        self.cached = Some((block, bound));
        bound
    }

    /// Whether every document of doc block `block` ranks after `worst`
    /// by this cursor's postings alone: none scores more than `worst`,
    /// and those that may tie it lose the tie-break. Unlike
    /// [`Cursor::block_bound`], whose margin for rounding can never rule
    /// out a tie, the scores here are the very `f32`s the scoring
    /// computes, so a block of records that can at best tie is skipped
    /// whole: a common word alone ties thousands of short records at the
    /// top score, spread over every block. Call after
    /// [`Cursor::block_bound`] for the same block.
    ///
    /// Why the scores are exact: [`FieldScoring::contribution`] falls as
    /// the field's length grows for a fixed field and count, operation
    /// by operation (each one is monotonic in its operand and rounding
    /// to nearest keeps that), so no posting of the block scores more
    /// than its field and count at the block's shortest length, and none
    /// longer than that scores more than at one term more. The counts,
    /// unlike lengths, are not monotonic after rounding for very large
    /// counts, so each count up to the block's largest is tried, and a
    /// block with more than [`EXACT_TF_MAX`] is left to its postings.
    /// When even one term more than the shortest cannot reach `worst`,
    /// only the shortest postings can tie, and their tie-breaks are
    /// bounded by [`BlockPeak::least_tiebreak`].
    fn block_loses(&self, block: u32, scoring: &FieldScoring, worst: &Ranked) -> bool {
        let Some(peak) = self.blocks.get(self.block_at).filter(|p| p.block == block) else {
            return false;
        };
        // A cursor of lower quality is left out by the bound already, and
        // one of higher quality beats `worst` whatever its score. A
        // negative weight would turn the lengths' order round.
        if self.units != worst.quality
            || peak.max_tf > EXACT_TF_MAX
            || !(self.idf > 0.0 && self.quality > 0.0)
        {
            return false;
        }
        // The most any posting of `len` terms or more scores here.
        let top = |len: u16| {
            (0..16u8)
                .filter(|&f| peak.fields & (1 << f) != 0 && scoring.counts(f, self.prose_only))
                .flat_map(|f| {
                    (1..=peak.max_tf)
                        .map(move |tf| scoring.contribution(f, tf, len, self.idf, self.quality))
                })
                .fold(0.0, f32::max)
        };
        let shortest = top(peak.min_len);
        shortest < worst.score
            || (shortest == worst.score
                && peak.least_tiebreak() > worst.tiebreak
                && peak
                    .min_len
                    .checked_add(1)
                    .is_none_or(|len| top(len) < worst.score))
    }

    /// The current document, [`DocId::MAX`] when done.
    fn doc(&self) -> DocId {
        self.postings.get(self.at).map_or(DocId::MAX, |p| p.doc)
    }

    /// Moves to the first posting of `doc` or later, galloping: a few
    /// documents far apart cost a few binary searches, not a walk.
    fn seek(&mut self, doc: DocId) {
        let rest = &self.postings[self.at..];
        if rest.first().is_none_or(|p| p.doc >= doc) {
            return;
        }
        let mut low = 0;
        let mut bound = 1;
        while bound < rest.len() && rest[bound].doc < doc {
            low = bound;
            bound *= 2;
        }
        let end = bound.min(rest.len());
        self.at += low + 1 + rest[low + 1..end].partition_point(|p| p.doc < doc);
    }
}

/// What one document got from each query word so far.
#[derive(Clone, Copy)]
struct WordMatch {
    score: f32,
    units: u32,
    field: u8,
    variant: usize,
}

const NO_MATCH: WordMatch = WordMatch {
    score: 0.0,
    units: 0,
    field: 0,
    variant: usize::MAX,
};

const NO_MATCHES: [WordMatch; MAX_QUERY_WORDS] = [NO_MATCH; MAX_QUERY_WORDS];

/// The best `wanted` documents for `variants` (one list per query word),
/// best first, each with the field that contributed most. `order` is the
/// rarest-first order words are summed in; `min_units` the least summed
/// quality `min-confidence` lets through.
pub(super) fn top_docs(
    index: &SearchIndex,
    variants: &[Vec<Variant>],
    order: &[usize],
    scoring: &FieldScoring,
    wanted: usize,
    min_units: u32,
) -> Vec<Ranked> {
    let mut cursors: Vec<Cursor<'_>> = Vec::new();
    for (word, list) in variants.iter().enumerate() {
        for (variant, v) in list.iter().enumerate() {
            let term = &index.terms[v.term as usize];
            if term.postings.is_empty() {
                continue;
            }
            let idf = scoring.idf(term.postings.len());
            let max_score = term
                .peaks
                .iter()
                .filter(|peak| scoring.counts(peak.field, v.prose_only))
                .map(|peak| scoring.bound(peak.field, peak.max_tf, peak.min_len, idf, v.quality))
                .fold(0.0, f32::max);
            if max_score == 0.0 {
                continue;
            }
            cursors.push(Cursor {
                postings: &term.postings,
                at: 0,
                word,
                variant,
                idf,
                quality: v.quality,
                units: v.units(),
                prose_only: v.prose_only,
                max_score,
                blocks: &term.blocks,
                block_at: 0,
                cached: None,
            });
        }
    }
    let blocked = cursors.iter().any(|c| !c.blocks.is_empty());
    let mut bounds = Bounds::new(&cursors, order);
    bounds.partition(&cursors, None, min_units);
    let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(wanted.min(1024));
    let mut words = [NO_MATCH; MAX_QUERY_WORDS];
    let mut memo = ScoreMemo::new(scoring);
    loop {
        let essential = &bounds.by_bound[bounds.essential_from..];
        let doc = essential
            .iter()
            .map(|&c| cursors[c].doc())
            .min()
            .unwrap_or(DocId::MAX);
        if doc == DocId::MAX {
            break;
        }
        let worst = (heap.len() == wanted)
            .then(|| heap.peek().copied())
            .flatten();
        let threshold = worst.map(|worst| (worst.quality, worst.score));
        if let (Some(worst), &[only]) = (worst, essential) {
            // One word's one term proposes every document (a common word
            // alone): rule out the documents that cannot rank with a loop
            // over that term's postings, and leave the rest to the general
            // path below.
            let limit = bounds
                .pending_words
                .iter()
                .map(|&w| bounds.next_pending[w])
                .min()
                .unwrap_or(DocId::MAX);
            if doc < limit
                && (skip_unranked(
                    index,
                    &mut cursors[only],
                    limit,
                    &worst,
                    min_units,
                    &bounds,
                    memo.of_cursor(only),
                )
                // Moved on to a document that can rank: start it afresh.
                || cursors[only].doc() != doc)
            {
                continue;
            }
        }
        // Whether no document of this doc block can reach the threshold,
        // by the essential cursors' block bounds and the others' bounds.
        if blocked && threshold.is_some() {
            let block = doc >> BLOCK_SHIFT;
            let mut reach = bounds.pending;
            for &c in essential {
                let cursor = &mut cursors[c];
                let bound = cursor.block_bound(block, scoring);
                if bound > 0.0 {
                    let word = &mut reach[cursor.word];
                    word.score = word.score.max(bound);
                    word.units = word.units.max(cursor.units);
                }
            }
            if bounds.below(bounds.reach(&NO_MATCHES, &reach), threshold, min_units) {
                let next = (block + 1).checked_shl(BLOCK_SHIFT).unwrap_or(DocId::MAX);
                for &c in essential {
                    cursors[c].seek(next);
                }
                #[cfg(test)]
                index
                    .skipped_blocks
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                continue;
            }
        }
        words[..variants.len()].fill(NO_MATCH);
        for &c in essential {
            if cursors[c].doc() == doc {
                consume(&mut cursors[c], doc, scoring, &mut words);
            }
        }
        let mut pending = bounds.pending;
        // A word whose non-essential cursors are all past `doc` adds
        // nothing to it: knowing that costs one comparison instead of a
        // look at each of them (a last word's fifty prefix terms).
        for &word in &bounds.pending_words {
            if doc < bounds.next_pending[word] {
                pending[word] = NO_MATCH;
            }
        }
        let mut out_of_reach = false;
        for &word in &bounds.pending_words {
            if doc < bounds.next_pending[word] {
                continue;
            }
            let reach = bounds.reach(&words, &pending);
            if bounds.below(reach, threshold, min_units)
                || worst.is_some_and(|worst| loses_tie(reach, doc, &index.tiebreak, &worst))
            {
                out_of_reach = true;
                break;
            }
            let mut next = DocId::MAX;
            for &c in &bounds.by_bound[..bounds.essential_from] {
                if cursors[c].word == word {
                    cursors[c].seek(doc);
                    if cursors[c].doc() == doc {
                        consume(&mut cursors[c], doc, scoring, &mut words);
                    }
                    next = next.min(cursors[c].doc());
                }
            }
            bounds.next_pending[word] = next;
            pending[word] = NO_MATCH;
        }
        if out_of_reach {
            #[cfg(test)]
            index
                .skipped_docs
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            continue;
        }
        let (quality, score) = bounds.reach(&words, &pending);
        if quality == 0 || quality < min_units {
            continue;
        }
        let mut best = 0.0;
        let mut field = 0;
        for &w in order {
            if words[w].score > best {
                best = words[w].score;
                field = words[w].field;
            }
        }
        #[cfg(test)]
        index
            .scored_docs
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let candidate = Ranked {
            quality,
            score,
            tiebreak: index.tiebreak[doc as usize],
            doc,
            field,
        };
        if heap.len() < wanted {
            heap.push(candidate);
        } else if let Some(mut worst) = heap.peek_mut()
            && candidate < *worst
        {
            *worst = candidate;
        } else {
            continue;
        }
        if heap.len() == wanted {
            let worst = heap.peek().map(|w| (w.quality, w.score));
            bounds.partition(&cursors, worst, min_units);
        }
    }
    heap.into_sorted_vec()
}

/// The largest count of a term in one field for which
/// [`Cursor::block_loses`] tries every count: a block of a common word
/// rarely holds a field repeating it more.
const EXACT_TF_MAX: u16 = 8;

/// Whether a document that ends with at most `reach` ranks after `worst`
/// because it can at best tie it on quality and score and then loses the
/// tie-break. [`Bounds::below`] cannot tell that from bounds alone; a
/// common word alone ties thousands of short records at the very top
/// score, and this keeps all but a few of them out of the general path.
/// `tiebreaks` is [`SearchIndex::tiebreak`], read only on a tie.
fn loses_tie(reach: (u32, f32), doc: DocId, tiebreaks: &[u64], worst: &Ranked) -> bool {
    reach == (worst.quality, worst.score)
        && (tiebreaks[doc as usize], doc) > (worst.tiebreak, worst.doc)
}

/// Moves `cursor`, the only essential one, past the documents before
/// `limit` (where no other cursor has a posting) that cannot beat
/// `worst`: their score is the best of their postings here, so they are
/// ruled out without the general path's per-word sums, ties included (by
/// [`loses_tie`]). Stops at the first document that can rank (returning
/// false) or at `limit`.
fn skip_unranked(
    index: &SearchIndex,
    cursor: &mut Cursor<'_>,
    limit: DocId,
    worst: &Ranked,
    min_units: u32,
    bounds: &Bounds<'_>,
    memo: &mut ScoreMemo<'_>,
) -> bool {
    let scoring = memo.scoring;
    let threshold = Some((worst.quality, worst.score));
    // The block whose bounds were found to reach `worst`, which does not
    // change here: its other documents need not ask again.
    let mut reaching = None;
    loop {
        let Some(first) = cursor.postings.get(cursor.at) else {
            return true;
        };
        let doc = first.doc;
        if doc >= limit {
            return true;
        }
        let block = doc >> BLOCK_SHIFT;
        if reaching != Some(block)
            && !cursor.blocks.is_empty()
            && (bounds.below(
                (cursor.units, cursor.block_bound(block, scoring)),
                threshold,
                min_units,
            ) || cursor.block_loses(block, scoring, worst))
        {
            // Past `limit`, other cursors may add to a document: the
            // block's bound said nothing of them.
            let next = (block + 1).checked_shl(BLOCK_SHIFT).unwrap_or(DocId::MAX);
            cursor.seek(next.min(limit));
            #[cfg(test)]
            index
                .skipped_blocks
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            continue;
        }
        reaching = Some(block);
        let mut end = cursor.at;
        let mut best: Option<f32> = None;
        while let Some(p) = cursor.postings.get(end)
            && p.doc == doc
        {
            end += 1;
            let field = p.field();
            if scoring.counts(field, cursor.prose_only) {
                let score = memo.score(p, cursor);
                best = Some(best.map_or(score, |b: f32| b.max(score)));
            }
        }
        match best {
            Some(score)
                if !bounds.below((cursor.units, score), threshold, min_units)
                    && !loses_tie((cursor.units, score), doc, &index.tiebreak, worst) =>
            {
                return false;
            }
            _ => {
                cursor.at = end;
                #[cfg(test)]
                index
                    .skipped_docs
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }
}

/// The scores of one cursor's postings by their field, occurrences and
/// length, which few distinct values cover (a common word's thousands of
/// postings in short reminders share a handful): looking one up costs
/// less than BM25's arithmetic, which made most of a common word's time.
/// A direct-mapped table, so a miss only computes the score again; the
/// score is [`FieldScoring::contribution`]'s, bit for bit.
struct ScoreMemo<'s> {
    scoring: &'s FieldScoring,
    /// The cursor (by index) whose scores the table holds.
    cursor: Option<usize>,
    /// By a fold of [`Posting::shape`]: the whole shape and its score.
    table: [(u32, f32); MEMO_SLOTS],
}

/// Slots of [`ScoreMemo`]: a power of two.
const MEMO_SLOTS: usize = 256;

impl<'s> ScoreMemo<'s> {
    fn new(scoring: &'s FieldScoring) -> ScoreMemo<'s> {
        ScoreMemo {
            scoring,
            cursor: None,
            table: [(u32::MAX, 0.0); MEMO_SLOTS],
        }
    }

    /// The memo, emptied unless it already holds cursor `cursor`'s scores.
    fn of_cursor(&mut self, cursor: usize) -> &mut ScoreMemo<'s> {
        if self.cursor != Some(cursor) {
            self.table.fill((u32::MAX, 0.0));
            self.cursor = Some(cursor);
        }
        self
    }

    /// The score of `posting` of `cursor`, whose field counts.
    #[inline]
    fn score(&mut self, posting: &Posting, cursor: &Cursor<'_>) -> f32 {
        let shape = posting.shape();
        let slot = &mut self.table[(shape ^ shape >> 16) as usize % MEMO_SLOTS];
        if slot.0 != shape {
            let score = self.scoring.contribution(
                posting.field(),
                posting.tf(),
                posting.len,
                cursor.idf,
                cursor.quality,
            );
            *slot = (shape, score);
        }
        slot.1
    }
}

/// Scores the postings of `doc` at `cursor` into `words`, moving past
/// them.
fn consume(cursor: &mut Cursor<'_>, doc: DocId, scoring: &FieldScoring, words: &mut [WordMatch]) {
    while let Some(p) = cursor.postings.get(cursor.at)
        && p.doc == doc
    {
        cursor.at += 1;
        let field = p.field();
        if !scoring.counts(field, cursor.prose_only) {
            continue;
        }
        let score = scoring.contribution(field, p.tf(), p.len, cursor.idf, cursor.quality);
        let best = &mut words[cursor.word];
        if score > best.score || (score == best.score && cursor.variant < best.variant) {
            best.score = score;
            best.field = field;
            best.variant = cursor.variant;
        }
        best.units = best.units.max(cursor.units);
    }
}

/// The cursors ordered by bound, and which of them are essential.
struct Bounds<'q> {
    /// Cursor indices, weakest bound first.
    by_bound: Vec<usize>,
    /// `by_bound[essential_from..]` propose documents.
    essential_from: usize,
    /// Per word, the most its non-essential cursors can give.
    pending: [WordMatch; MAX_QUERY_WORDS],
    /// Words with non-essential cursors, the strongest first.
    pending_words: Vec<usize>,
    /// Per word, no non-essential cursor of it has a posting for a
    /// document before this one: each such cursor has only ever been
    /// moved to documents already visited, and stands at this one or
    /// later.
    next_pending: [DocId; MAX_QUERY_WORDS],
    order: &'q [usize],
}

impl<'q> Bounds<'q> {
    fn new(cursors: &[Cursor<'_>], order: &'q [usize]) -> Bounds<'q> {
        let mut by_bound: Vec<usize> = (0..cursors.len()).collect();
        by_bound.sort_by(|&a, &b| {
            let (a, b) = (&cursors[a], &cursors[b]);
            a.units
                .cmp(&b.units)
                .then(a.max_score.total_cmp(&b.max_score))
        });
        Bounds {
            by_bound,
            essential_from: 0,
            pending: [NO_MATCH; MAX_QUERY_WORDS],
            pending_words: Vec::new(),
            next_pending: [0; MAX_QUERY_WORDS],
            order,
        }
    }

    /// The most quality and score a document can end with, given what
    /// `words` holds and what `pending` may still add: each word's best
    /// of the two, summed in the scoring order, so that the bound is a
    /// true upper bound of the `f32` sum (rounding is monotonic).
    fn reach(&self, words: &[WordMatch], pending: &[WordMatch]) -> (u32, f32) {
        let mut quality = 0;
        let mut score = 0.0;
        for &w in self.order {
            quality += words[w].units.max(pending[w].units);
            score += words[w].score.max(pending[w].score);
        }
        (quality, score)
    }

    /// Whether a document reaching at most `reach` can be left out.
    fn below(&self, reach: (u32, f32), threshold: Option<(u32, f32)>, min_units: u32) -> bool {
        let (quality, score) = reach;
        quality < min_units
            || threshold.is_some_and(|(q, s)| quality < q || (quality == q && score < s))
    }

    /// Makes the longest run of weakest cursors that cannot reach
    /// `threshold` (or `min_units`) together non-essential.
    fn partition(&mut self, cursors: &[Cursor<'_>], threshold: Option<(u32, f32)>, min_units: u32) {
        let mut pending = [NO_MATCH; MAX_QUERY_WORDS];
        let mut essential_from = 0;
        for (i, &c) in self.by_bound.iter().enumerate() {
            let cursor = &cursors[c];
            let word = &mut pending[cursor.word];
            word.units = word.units.max(cursor.units);
            word.score = word.score.max(cursor.max_score);
            if !self.below(self.reach(&NO_MATCHES, &pending), threshold, min_units) {
                break;
            }
            essential_from = i + 1;
            self.pending = pending;
        }
        if essential_from == self.essential_from {
            return;
        }
        self.essential_from = essential_from;
        self.pending_words.clear();
        self.next_pending = [DocId::MAX; MAX_QUERY_WORDS];
        for &c in &self.by_bound[..essential_from] {
            let word = cursors[c].word;
            if !self.pending_words.contains(&word) {
                self.pending_words.push(word);
            }
            self.next_pending[word] = self.next_pending[word].min(cursors[c].doc());
        }
        let pending = &self.pending;
        self.pending_words.sort_by(|&a, &b| {
            let (a, b) = (&pending[a], &pending[b]);
            b.units.cmp(&a.units).then(b.score.total_cmp(&a.score))
        });
    }
}
