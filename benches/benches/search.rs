//! Full-text search: index build, queries and single-record updates over a
//! simulated account (`dex_sim::Dataset::generate`: about five notes and
//! two reminders per contact, so 10,000 contacts come with ~50,000 notes
//! and ~20,000 reminders).
//!
//! The snapshot is read the way the component reads it, through the v1
//! list reader over an in-memory transport serving the dataset's JSON, so
//! the records are exactly what the wire decoding makes of them.

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use dex_guest::dex::v1::V1Lists;
use dex_guest::dex::{HttpRequest, HttpResponse, HttpTransport, TransportError};
use dex_guest::model::Note;
use dex_guest::search::{Record, RecordKind, SearchIndex, SearchQuery};
use dex_guest::snapshot::Snapshot;
use dex_mcp_benches::queries::{SEARCH_CONFIDENCES, SEARCH_LIMITS, search_texts};
use dex_sim::Dataset;

const SEED: u64 = 7;
const PAGE: usize = 100;

/// Serves pre-rendered v1 list pages by URL.
struct Pages(HashMap<String, Vec<u8>>);

impl HttpTransport for Pages {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let body = self
            .0
            .get(&request.url)
            .cloned()
            .ok_or(TransportError::Failed {
                url: request.url,
                reason: "no such page".into(),
            })?;
        Ok(HttpResponse {
            status: 200,
            headers: vec![],
            body,
        })
    }
}

fn render<T: serde::Serialize>(pages: &mut HashMap<String, Vec<u8>>, path: &str, items: &[T]) {
    let chunks: Vec<&[T]> = items.chunks(PAGE).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        let url = if i == 0 {
            format!("http://sim{path}?take={PAGE}")
        } else {
            format!("http://sim{path}?take={PAGE}&cursor={i}")
        };
        let next = (i + 1 < chunks.len()).then(|| (i + 1).to_string());
        let body = serde_json::json!({
            "error": false,
            "data": {"items": chunk, "nextCursor": next, "count": items.len()},
        });
        pages.insert(url, serde_json::to_vec(&body).unwrap());
    }
}

/// A generated account of `contacts` people, read into a snapshot.
fn snapshot(contacts: usize) -> Snapshot {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let data = Dataset::generate(SEED, contacts, today);
    let mut pages = HashMap::new();
    render(&mut pages, "/v1/contacts", &data.contacts);
    render(&mut pages, "/v1/timeline/", &data.notes);
    render(&mut pages, "/v1/reminders", &data.reminders);
    let snapshot = Snapshot::fetch(&V1Lists::new("http://sim", Pages(pages)).with_page_size(PAGE));
    assert!(!snapshot.is_partial(), "{:?}", snapshot.failures);
    snapshot
}

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
                    text: format!("{} revision {round}", edited.text),
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
