//! The stored account snapshot (`dex_guest::snapshot::stored`): how many
//! bytes a whole account takes in the state store, in how many chunks, and
//! how long storing it whole (after a read), storing one changed note
//! (after a write) and taking it up (when an instance starts) take,
//! natively, at 1,000 and 10,000 contacts (with ~5 notes and ~2 reminders
//! each), against a store in memory. The sizes are printed once per
//! account size; the times are criterion's.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::SystemTime;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use dex_guest::snapshot::stored::{self, Cause};
use dex_guest::writes::KeyStore;
use dex_mcp_benches::generated_account::snapshot;

/// The state store, in memory.
#[derive(Default)]
struct MemoryStore(RefCell<BTreeMap<String, Vec<u8>>>);

impl KeyStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        Ok(self.0.borrow().get(key).cloned())
    }
    fn set(&self, key: &str, value: &[u8]) -> Result<(), String> {
        self.0.borrow_mut().insert(key.into(), value.to_vec());
        Ok(())
    }
    fn delete(&self, key: &str) -> Result<(), String> {
        self.0.borrow_mut().remove(key);
        Ok(())
    }
    fn keys(&self) -> Result<Vec<String>, String> {
        Ok(self.0.borrow().keys().cloned().collect())
    }
}

fn stored_snapshot_benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("stored_snapshot");
    group.sample_size(20);
    for contacts in [1_000, 10_000] {
        let snapshot = snapshot(contacts);
        let now = SystemTime::now();
        let store = MemoryStore::default();
        stored::save(&store, &snapshot, now, Cause::Read, None)
            .expect("a complete snapshot is stored");
        let values = store.0.borrow();
        let bytes: usize = values.values().map(Vec::len).sum();
        let largest = values.values().map(Vec::len).max().unwrap_or(0);
        eprintln!(
            "stored_snapshot: {contacts} contacts, {} notes, {} reminders: {bytes} bytes ({:.1} MiB) in {} values, the largest {largest} bytes",
            snapshot.notes.len(),
            snapshot.reminders.len(),
            bytes as f64 / (1 << 20) as f64,
            values.len(),
        );
        drop(values);
        group.bench_with_input(
            BenchmarkId::new("save_whole", contacts),
            &snapshot,
            |b, s| {
                b.iter(|| {
                    let store = MemoryStore::default();
                    stored::save(&store, black_box(s), now, Cause::Read, None).unwrap()
                })
            },
        );
        group.bench_with_input(BenchmarkId::new("take_up", contacts), &store, |b, store| {
            b.iter(|| stored::load(black_box(store)).unwrap().unwrap())
        });
        // A note changed, as `update_note` leaves the account: only its
        // chunk and the manifest are stored again.
        let taken_up = stored::load(&store).unwrap().unwrap();
        let mut changed = taken_up.snapshot;
        let mut layout = Some(taken_up.layout);
        group.bench_function(BenchmarkId::new("save_one_note_changed", contacts), |b| {
            b.iter(|| {
                let mut note = (*changed.notes[0]).clone();
                note.text = format!("{}.", note.text).into();
                changed.notes[0] = Arc::new(note);
                let saved =
                    stored::save(&store, &changed, now, Cause::Write, layout.take()).unwrap();
                layout = Some(saved.layout);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, stored_snapshot_benches);
criterion_main!(benches);
