//! The reference ranking: every posting of every matching term scored,
//! term at a time, every matching record ranked. Tests check that the
//! pruned document-at-a-time ranking ([`super::maxscore`]) gives exactly
//! its hits.

use std::collections::BinaryHeap;

use super::index::SearchIndex;
use super::query::{Ranked, Ranking};

/// What one record gathered so far.
#[derive(Clone, Copy, Default)]
struct Sums {
    score: f32,
    quality: u32,
    best: f32,
    field: u8,
    word_score: f32,
    word_field: u8,
    word_quality: u32,
    seen: bool,
}

/// The best `ranking.wanted` records, best first.
pub(super) fn top_docs(index: &SearchIndex, ranking: &Ranking<'_>) -> Vec<Ranked> {
    let scoring = &ranking.scoring;
    let mut sums = vec![Sums::default(); index.docs.len()];
    let mut candidates: Vec<u32> = Vec::new();
    let mut touched: Vec<u32> = Vec::new();
    for &w in &ranking.order {
        for variant in &ranking.variants[w] {
            let postings = &index.terms[variant.term as usize].postings;
            if postings.is_empty() {
                continue;
            }
            let idf = scoring.idf(postings.len());
            for p in postings {
                if !scoring.counts(p.field(), variant.prose_only) {
                    continue;
                }
                let contribution =
                    scoring.contribution(p.field(), p.tf(), p.len, idf, variant.quality);
                let acc = &mut sums[p.doc as usize];
                if acc.word_score == 0.0 {
                    touched.push(p.doc);
                }
                if contribution > acc.word_score {
                    acc.word_score = contribution;
                    acc.word_field = p.field();
                }
                acc.word_quality = acc.word_quality.max(variant.units());
            }
        }
        for &doc in &touched {
            let acc = &mut sums[doc as usize];
            if !acc.seen {
                acc.seen = true;
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
    let mut heap = BinaryHeap::new();
    for doc in candidates {
        let acc = &sums[doc as usize];
        if acc.quality < ranking.min_units {
            continue;
        }
        heap.push(Ranked {
            quality: acc.quality,
            score: acc.score,
            tiebreak: index.tiebreak[doc as usize],
            doc,
            field: acc.field,
        });
        if heap.len() > ranking.wanted {
            heap.pop();
        }
    }
    heap.into_sorted_vec()
}
