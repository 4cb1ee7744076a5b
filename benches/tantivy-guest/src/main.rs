//! tantivy inside a WebAssembly guest, answering the search benchmarks'
//! query classes over the same records as our own index, and timing each
//! query inside the sandbox (issue #18, item 1: the candidate to compare
//! with `guest/src/search`).
//!
//! Run by `benches/src/bin/tantivy_latency.rs`, which writes the records
//! and starts this command under wasmtime:
//!
//! ```text
//! tantivy-guest RECORDS ROUNDS LIMIT CLASS=QUERY...
//! ```
//!
//! `RECORDS` holds one record per line, tab-separated: id, then the text
//! of each of our index's ten fields (`dex_guest::search::Field::ALL`, in
//! that order; empty when the record has none). The index is tantivy's
//! own, in RAM, built by `SingleSegmentIndexWriter` (tantivy's
//! `IndexWriter` spawns threads, which wasm32-wasi lacks); every field
//! folds case and accents (`LowerCaser`, `AsciiFoldingFilter`). A query
//! is the union, over its words and the ten fields, of the word's exact
//! term (BM25, boosted by our field weight), its typo variants
//! (`FuzzyTermQuery` within our typo budget, transposition = 1 edit,
//! boosted by 0.6) and, for the last word, its prefix expansions
//! (`FuzzyTermQuery::new_prefix`, boosted by 0.8). Each hit gets a
//! snippet (`SnippetGenerator`, 120 characters) of its first field with a
//! highlighted match.
//!
//! Prints, per query, its build time on the first line, then
//! `class p50_us p99_us` and the ids of its hits.

use std::time::Instant;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};
use tantivy::{
    Index, IndexReader, IndexSettings, ReloadPolicy, SingleSegmentIndexWriter, TantivyDocument,
    Term,
};

/// Our field weights (`Field::weight`), in `Field::ALL` order.
const WEIGHTS: [f32; 10] = [4.0, 2.5, 2.5, 1.5, 1.2, 1.5, 1.5, 1.2, 1.0, 1.0];
const TOKENIZER: &str = "folded";

type Failure = Box<dyn std::error::Error>;

/// Our typo budget (`guest/src/search/typo.rs`, `allowed_typos`).
fn allowed_typos(len: usize) -> u8 {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

struct Searchable {
    id: Field,
    fields: Vec<Field>,
    reader: IndexReader,
}

fn build(records: &str) -> Result<Searchable, Failure> {
    let mut schema = Schema::builder();
    let id = schema.add_text_field("id", STRING | STORED);
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields: Vec<Field> = (0..WEIGHTS.len())
        .map(|i| schema.add_text_field(&format!("f{i}"), text.clone()))
        .collect();
    // The document store compresses on its own thread by default.
    let settings = IndexSettings {
        docstore_compress_dedicated_thread: false,
        ..IndexSettings::default()
    };
    let index = Index::builder()
        .schema(schema.build())
        .settings(settings)
        .create_in_ram()?;
    index.tokenizers().register(TOKENIZER, analyzer());
    let mut writer = SingleSegmentIndexWriter::new(index, 200_000_000)?;
    for line in records.lines() {
        let mut parts = line.split('\t');
        let mut doc = TantivyDocument::default();
        doc.add_text(id, parts.next().ok_or("a record without an id")?);
        for (&field, value) in fields.iter().zip(parts) {
            if !value.is_empty() {
                doc.add_text(field, value);
            }
        }
        writer.add_document(doc)?;
    }
    let index = writer.finalize()?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    Ok(Searchable { id, fields, reader })
}

/// The query for `text`, as the module's documentation describes.
fn query_for(searchable: &Searchable, text: &str) -> Box<dyn Query> {
    let mut words = Vec::new();
    let mut stream = analyzer();
    let mut tokens = stream.token_stream(text);
    while tokens.advance() {
        words.push(tokens.token().text.clone());
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let typos = allowed_typos(word.len());
        for (&field, &weight) in searchable.fields.iter().zip(&WEIGHTS) {
            let term = Term::from_field_text(field, word);
            let mut boosted = |query: Box<dyn Query>, boost: f32| {
                clauses.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
            };
            boosted(
                Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                weight,
            );
            if typos > 0 {
                boosted(
                    Box::new(FuzzyTermQuery::new(term.clone(), typos, true)),
                    weight * 0.6,
                );
            }
            if i + 1 == words.len() {
                boosted(
                    Box::new(FuzzyTermQuery::new_prefix(term, 0, true)),
                    weight * 0.8,
                );
            }
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

/// One answer: the hits' ids and snippets.
fn answer(
    searchable: &Searchable,
    text: &str,
    limit: usize,
) -> Result<Vec<(String, String)>, Failure> {
    let searcher = searchable.reader.searcher();
    let query = query_for(searchable, text);
    let top = searcher.search(&query, &TopDocs::with_limit(limit))?;
    let mut generators = Vec::new();
    for &field in &searchable.fields {
        let mut generator = SnippetGenerator::create(&searcher, &*query, field)?;
        generator.set_max_num_chars(120);
        generators.push(generator);
    }
    let mut hits = Vec::with_capacity(top.len());
    for (_, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        let id = doc
            .get_first(searchable.id)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        let snippet = generators
            .iter()
            .map(|g| g.snippet_from_doc(&doc))
            .find(|s| !s.highlighted().is_empty())
            .map(|s| s.to_html())
            .unwrap_or_default();
        hits.push((id, snippet));
    }
    Ok(hits)
}

fn percentile(sorted: &[f64], fraction: f64) -> f64 {
    let rank = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, rounds, limit, queries @ ..] = args.as_slice() else {
        return Err("usage: tantivy-guest RECORDS ROUNDS LIMIT CLASS=QUERY...".into());
    };
    let rounds: usize = rounds.parse()?;
    let limit: usize = limit.parse()?;
    let records = std::fs::read_to_string(path)?;
    let started = Instant::now();
    let searchable = build(&records)?;
    println!(
        "built {} records in {:.0} ms",
        records.lines().count(),
        started.elapsed().as_secs_f64() * 1e3
    );
    let classes: Vec<(&str, &str)> = queries
        .iter()
        .map(|q| q.split_once('=').ok_or("queries are CLASS=QUERY"))
        .collect::<Result<_, _>>()?;
    let mut times = vec![Vec::with_capacity(rounds); classes.len()];
    for _ in 0..rounds {
        for (i, (_, text)) in classes.iter().enumerate() {
            let started = Instant::now();
            let hits = answer(&searchable, text, limit)?;
            times[i].push(started.elapsed().as_secs_f64());
            std::hint::black_box(hits);
        }
    }
    for (i, (class, text)) in classes.iter().enumerate() {
        let sorted = &mut times[i];
        sorted.sort_by(f64::total_cmp);
        println!(
            "{class}\t{text}\t{:.0}\t{:.0}",
            percentile(sorted, 0.5) * 1e6,
            percentile(sorted, 0.99) * 1e6
        );
        for (id, snippet) in answer(&searchable, text, limit)? {
            println!("  {id}\t{snippet}");
        }
    }
    Ok(())
}

/// Debian's wasi-libc has no threads, yet the standard library built for
/// wasm32-wasip1 from `rust-web-src` calls pthreads to spawn one, and
/// tantivy's code can spawn (its `IndexWriter`, the reader's warmer).
/// This command never does; these make the link succeed and a spawn fail
/// with `EAGAIN` (wasi-libc's value) instead of trapping.
mod no_threads {
    const EAGAIN: i32 = 6;

    #[unsafe(no_mangle)]
    extern "C" fn pthread_create(_: *mut u32, _: *const u8, _: *const u8, _: *mut u8) -> i32 {
        EAGAIN
    }

    #[unsafe(no_mangle)]
    extern "C" fn pthread_detach(_: u32) -> i32 {
        EAGAIN
    }

    #[unsafe(no_mangle)]
    extern "C" fn pthread_join(_: u32, _: *mut *mut u8) -> i32 {
        EAGAIN
    }

    #[unsafe(no_mangle)]
    extern "C" fn pthread_attr_init(_: *mut u8) -> i32 {
        0
    }

    #[unsafe(no_mangle)]
    extern "C" fn pthread_attr_destroy(_: *mut u8) -> i32 {
        0
    }

    #[unsafe(no_mangle)]
    extern "C" fn pthread_attr_setstacksize(_: *mut u8, _: usize) -> i32 {
        0
    }
}
