//! Full-text search: index build, queries and single-record updates over a
//! simulated account (`dex_sim::Dataset::generate`: about five notes and
//! two reminders per contact, so 10,000 contacts come with ~50,000 notes
//! and ~20,000 reminders).
//!
//! The snapshot is read the way the component reads it
//! (`dex_mcp_benches::generated_account`).

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use dex_guest::model::Note;
use dex_guest::search::{Record, RecordKind, SearchIndex, SearchQuery};
use dex_mcp_benches::generated_account::snapshot;
use dex_mcp_benches::queries::{SEARCH_CONFIDENCES, SEARCH_LIMITS, search_texts};

fn search_benches(c: &mut Criterion) {
    for contacts in [1_000, 10_000] {
        let snapshot = snapshot(contacts);
        let label = format!(
            "{contacts}c-{}n-{}r",
            snapshot.notes.len(),
            snapshot.reminders.len()
        );
        let mut group = c.benchmark_group("search-build");
        group.sample_size(10);
        group.bench_function(&label, |b| {
            b.iter(|| SearchIndex::build(black_box(&snapshot)))
        });
        group.finish();

        let index = SearchIndex::build(&snapshot);
        eprintln!(
            "{label}: {} records, {} distinct terms",
            index.len(),
            index.term_count()
        );
        let mut group = c.benchmark_group(format!("search-query/{label}"));
        for (kind, text) in search_texts(&snapshot) {
            for limit in SEARCH_LIMITS {
                group.bench_with_input(
                    BenchmarkId::new(format!("{kind}/limit"), limit),
                    &limit,
                    |b, &limit| {
                        b.iter(|| {
                            index.search(black_box(&SearchQuery {
                                text: &text,
                                max_results: limit as usize,
                                skip: 0,
                                min_confidence: 30,
                                kinds: &RecordKind::ALL,
                            }))
                        })
                    },
                );
            }
            for confidence in SEARCH_CONFIDENCES {
                group.bench_with_input(
                    BenchmarkId::new(format!("{kind}/min-confidence"), confidence),
                    &confidence,
                    |b, &confidence| {
                        b.iter(|| {
                            index.search(black_box(&SearchQuery {
                                text: &text,
                                max_results: 20,
                                skip: 0,
                                min_confidence: confidence,
                                kinds: &RecordKind::ALL,
                            }))
                        })
                    },
                );
            }
        }
        group.finish();

        let mut group = c.benchmark_group("search-update");
        let mut index = index;
        let edited = snapshot.notes[snapshot.notes.len() / 2].clone();
        let mut round = 0u64;
        group.bench_function(format!("{label}/upsert-note"), |b| {
            b.iter(|| {
                round += 1;
                let note = Note {
                    text: format!("{} revision {round}", edited.text).into(),
                    ..(*edited).clone()
                };
                index.upsert(Record::Note(Arc::new(note)));
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = search_benches
}
criterion_main!(benches);
