//! `find_contact` over a 10,000-contact simulated account: building the
//! matcher once, then one query of each kind through the tool, as an
//! assistant would send it; and `find_duplicates` over the same account,
//! which groups it whole on every call. Results go to `docs/benchmarks.md`.
//!
//! Contacts come from `dex_sim::Dataset::generate` and are decoded by the
//! guest's own v1 wire decoding, so they are what the component would hold.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use dex_guest::matching::{ContactDirectory, ContactMatcher, find_duplicates};
use dex_guest::model::{Contact, EmailAddress, ToolError};
use dex_guest::tools::contacts::find_contact;
use dex_mcp_benches::queries::find_contact_cases;

const SEED: u64 = 7;
const CONTACTS: usize = 10_000;

fn contacts() -> Arc<[Arc<Contact>]> {
    let dataset = dex_sim::Dataset::generate(SEED, CONTACTS, dex_sim::default_today());
    decoded(&dataset)
}

fn decoded(dataset: &dex_sim::Dataset) -> Arc<[Arc<Contact>]> {
    dataset
        .contacts
        .iter()
        .map(|c| {
            let json = serde_json::to_value(c).expect("sim contacts serialise");
            Arc::new(dex_guest::dex::v1::contact_from_v1_json(json).expect("v1 contact decodes"))
        })
        .collect()
}

/// The account as a cached snapshot would hold it: matcher built once.
struct Snapshot {
    contacts: Arc<[Arc<Contact>]>,
    matcher: Arc<ContactMatcher>,
}

impl ContactDirectory for Snapshot {
    fn all_contacts(&self) -> Result<Arc<[Arc<Contact>]>, ToolError> {
        Ok(Arc::clone(&self.contacts))
    }
    fn has_snapshot(&self) -> bool {
        true
    }
    fn find_by_email(&self, _: &EmailAddress) -> Result<Vec<Contact>, ToolError> {
        unreachable!("a directory with a snapshot is never asked to search Dex")
    }
    fn matcher(&self) -> Result<Arc<ContactMatcher>, ToolError> {
        Ok(Arc::clone(&self.matcher))
    }
}

fn bench(c: &mut Criterion) {
    let contacts = contacts();
    c.bench_function("matcher_build_10k", |b| {
        b.iter(|| ContactMatcher::new(black_box(&contacts)))
    });

    let directory = Snapshot {
        matcher: Arc::new(ContactMatcher::new(&contacts)),
        contacts: Arc::clone(&contacts),
    };
    // Identifiers are taken from real contacts so that every query finds
    // someone, as it would in use.
    let queries = find_contact_cases(&contacts);
    let mut group = c.benchmark_group("find_contact_10k");
    for (label, args) in &queries {
        let found = find_contact(&directory, args).expect("query runs");
        assert!(!found.matches.is_empty(), "{label} finds nobody");
        group.bench_with_input(BenchmarkId::from_parameter(label), args, |b, args| {
            b.iter(|| find_contact(black_box(&directory), black_box(args)))
        });
    }
    group.finish();
}

/// `find_duplicates` over 10,000 contacts with the generator's planted
/// near-duplicates (about 1%): every one must be grouped, and the time is
/// the whole account's grouping, as one call of the tool does it.
fn duplicates(c: &mut Criterion) {
    let generated = dex_sim::generate(SEED, CONTACTS, dex_sim::default_today());
    let contacts = decoded(&generated.dataset);
    let groups = find_duplicates(&contacts);
    let planted = &generated.facts.near_duplicates;
    let found = planted
        .iter()
        .filter(|(a, b)| {
            groups.iter().any(|g| {
                g.contacts.iter().any(|c| &c.id == a) && g.contacts.iter().any(|c| &c.id == b)
            })
        })
        .count();
    eprintln!(
        "find_duplicates_10k: {} groups ({} contacts); {found} of {} planted pairs grouped",
        groups.len(),
        groups.iter().map(|g| g.contacts.len()).sum::<usize>(),
        planted.len()
    );
    assert_eq!(found, planted.len(), "a planted duplicate was missed");
    c.bench_function("find_duplicates_10k", |b| {
        b.iter(|| find_duplicates(black_box(&contacts)))
    });
}

criterion_group!(benches, bench, duplicates);
criterion_main!(benches);
