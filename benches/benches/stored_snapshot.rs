//! The stored account snapshot (`dex_guest::snapshot::stored`): how many
//! bytes a whole account takes in the state store, and how long encoding
//! it (after a read or a write) and decoding it (when an instance starts)
//! take, natively, at 1,000 and 10,000 contacts (with ~5 notes and ~2
//! reminders each). The sizes are printed once per account size; the
//! times are criterion's.

use std::hint::black_box;
use std::time::SystemTime;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use dex_guest::snapshot::stored;
use dex_mcp_benches::generated_account::snapshot;

fn stored_snapshot_benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("stored_snapshot");
    group.sample_size(20);
    for contacts in [1_000, 10_000] {
        let snapshot = snapshot(contacts);
        let now = SystemTime::now();
        let bytes = stored::encode(&snapshot, now).expect("a complete snapshot encodes");
        eprintln!(
            "stored_snapshot: {contacts} contacts, {} notes, {} reminders: {} bytes ({:.1} MiB)",
            snapshot.notes.len(),
            snapshot.reminders.len(),
            bytes.len(),
            bytes.len() as f64 / (1 << 20) as f64
        );
        group.bench_with_input(BenchmarkId::new("encode", contacts), &snapshot, |b, s| {
            b.iter(|| stored::encode(black_box(s), now).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("decode", contacts), &bytes, |b, bytes| {
            b.iter(|| stored::decode(black_box(bytes)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, stored_snapshot_benches);
criterion_main!(benches);
