//! Behaviour of the index as a whole: matching, ranking, filtering, updates.

use std::sync::Arc;

use super::*;
use crate::model::{Contact, EmailEntry, Note, Reminder};

fn contact(id: &str, name: &str) -> Contact {
    Contact {
        id: id.into(),
        full_name: name.into(),
        ..Contact::default()
    }
}

fn note(id: &str, text: &str, contacts: &[&str]) -> Note {
    Note {
        id: id.into(),
        text: text.into(),
        contact_ids: contacts.iter().map(|c| (*c).into()).collect(),
        ..Note::default()
    }
}

fn reminder(id: &str, text: &str, contacts: &[&str]) -> Reminder {
    Reminder {
        id: id.into(),
        text: text.into(),
        contact_ids: contacts.iter().map(|c| (*c).into()).collect(),
        ..Reminder::default()
    }
}

/// The one-word query "call" the tie tests ask, at `max_results`.
fn common_word(max_results: usize) -> SearchQuery<'static> {
    SearchQuery {
        text: "call",
        max_results,
        skip: 0,
        min_confidence: 30,
        kinds: &RecordKind::ALL,
    }
}

fn index(contacts: Vec<Contact>, notes: Vec<Note>, reminders: Vec<Reminder>) -> SearchIndex {
    SearchIndex::from_records(
        contacts
            .into_iter()
            .map(|c| Record::Contact(Arc::new(c)))
            .chain(notes.into_iter().map(|n| Record::Note(Arc::new(n))))
            .chain(reminders.into_iter().map(|r| Record::Reminder(Arc::new(r)))),
    )
}

fn contacts_only(names: &[&str]) -> SearchIndex {
    let contacts = names
        .iter()
        .enumerate()
        .map(|(i, n)| contact(&format!("c{i}"), n))
        .collect();
    index(contacts, vec![], vec![])
}

fn search(index: &SearchIndex, text: &str) -> Vec<SearchHit> {
    index.search(&SearchQuery {
        text,
        max_results: 20,
        skip: 0,
        min_confidence: 0,
        kinds: &RecordKind::ALL,
    })
}

/// `(record id, confidence)` of each hit, in order.
fn ranked(index: &SearchIndex, text: &str) -> Vec<(String, u8)> {
    search(index, text)
        .into_iter()
        .map(|h| (h.record.id().to_owned(), h.confidence))
        .collect()
}

#[test]
fn an_exact_name_beats_a_typo() {
    let index = contacts_only(&["Jonathan Smyth", "Jonathan Smith"]);
    let hits = ranked(&index, "smith");
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert_eq!(hits[0], ("c1".to_owned(), 100));
    assert_eq!(hits[1].0, "c0");
    assert!(hits[1].1 < 100);
}

#[test]
fn a_name_match_outranks_the_same_word_in_a_note() {
    let index = index(
        vec![contact("c1", "Grace Hopper"), contact("c2", "Alan Turing")],
        vec![note(
            "n1",
            "Alan mentioned Hopper's talk on compilers",
            &["c2"],
        )],
        vec![],
    );
    let hits = ranked(&index, "hopper");
    assert_eq!(hits[0].0, "c1");
    assert_eq!(hits[1].0, "n1");
}

#[test]
fn a_note_hit_carries_its_snippet_field_and_linked_contacts() {
    let index = index(
        vec![
            contact("c1", "Ada Lovelace"),
            contact("c2", "Charles Babbage"),
        ],
        vec![note(
            "n1",
            "Long coffee about the analytical engine; Ada wants to publish the notes.",
            &["c1", "c2", "c-missing"],
        )],
        vec![],
    );
    let hits = search(&index, "analytical engine");
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(hit.field, Field::NoteText);
    assert_eq!(hit.confidence, 100);
    assert!(
        hit.snippet.contains("**analytical** **engine**"),
        "{}",
        hit.snippet
    );
    let linked: Vec<&str> = hit.contacts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(linked, ["c1", "c2"], "unknown linked ids are left out");
}

#[test]
fn contacts_in_hits_are_the_snapshots_own_not_copies() {
    let ada = Arc::new(contact("c1", "Ada Lovelace"));
    let index = SearchIndex::from_records([
        Record::Contact(ada.clone()),
        Record::Note(Arc::new(note("n1", "Lovelace lunch", &["c1"]))),
    ]);
    for hit in search(&index, "lovelace") {
        assert!(Arc::ptr_eq(&hit.contacts[0], &ada));
    }
}

#[test]
fn words_under_five_letters_allow_no_typo() {
    let index = contacts_only(&["Mark Twain"]);
    assert!(ranked(&index, "mork").is_empty());
    assert_eq!(ranked(&index, "mark").len(), 1);
}

#[test]
fn words_of_five_to_eight_letters_allow_one_typo() {
    let index = contacts_only(&["Jonas Salk", "Florence Nightingale"]);
    assert_eq!(ranked(&index, "jonaz")[0].0, "c0");
    assert!(
        ranked(&index, "jpnaz").is_empty(),
        "two typos in five letters"
    );
    assert_eq!(ranked(&index, "florenxe")[0].0, "c1");
    assert!(
        ranked(&index, "flprenxe").is_empty(),
        "two typos in eight letters"
    );
}

#[test]
fn words_of_nine_letters_or_more_allow_two_typos() {
    let index = contacts_only(&["Florence Nightingale"]);
    assert_eq!(ranked(&index, "nightingyle")[0].0, "c0");
    assert_eq!(ranked(&index, "nigxtingyle")[0].0, "c0");
    assert!(ranked(&index, "nigxtinxyle").is_empty(), "three typos");
}

#[test]
fn a_transposition_counts_as_one_typo() {
    let index = contacts_only(&["Ada Lovelace"]);
    let hits = ranked(&index, "lovleace");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].1, 60, "one typo");
}

#[test]
fn accents_and_case_are_ignored_on_both_sides() {
    let index = contacts_only(&["José Müller", "Zoë Ångström"]);
    assert_eq!(ranked(&index, "jose MULLER"), [("c0".to_owned(), 100)]);
    assert_eq!(ranked(&index, "ZOE angström"), [("c1".to_owned(), 100)]);
    let hit = &search(&index, "muller")[0];
    assert_eq!(hit.snippet, "José **Müller**");
}

#[test]
fn only_the_last_word_matches_as_a_prefix() {
    let index = contacts_only(&["Ada Lovelace"]);
    let hits = ranked(&index, "ada lovel");
    assert_eq!(hits.len(), 1);
    assert!(hits[0].1 > 80 && hits[0].1 < 100, "{hits:?}");
    let hits = ranked(&index, "lovel ada");
    assert_eq!(
        hits[0].1, 50,
        "`lovel` must not match as a prefix: {hits:?}"
    );
}

#[test]
fn a_prefix_ranks_below_the_exact_word() {
    let index = contacts_only(&["Sam Lovel", "Ada Lovelace"]);
    let hits = ranked(&index, "lovel");
    assert_eq!(hits[0], ("c0".to_owned(), 100));
    assert_eq!(hits[1].0, "c1");
    assert!(search(&index, "lovel")[1].snippet.contains("**Lovelace**"));
}

#[test]
fn include_types_keeps_only_the_kinds_asked_for() {
    let index = index(
        vec![contact("c1", "Ada Engine")],
        vec![note("n1", "engine talk", &["c1"])],
        vec![reminder("r1", "fix the engine", &["c1"])],
    );
    let kinds = |kinds: &[RecordKind]| -> Vec<RecordKind> {
        index
            .search(&SearchQuery {
                text: "engine",
                max_results: 10,
                skip: 0,
                min_confidence: 0,
                kinds,
            })
            .iter()
            .map(|h| h.record.kind())
            .collect()
    };
    assert_eq!(kinds(&[RecordKind::Note]), [RecordKind::Note]);
    let mut both = kinds(&[RecordKind::Reminder, RecordKind::Contact]);
    both.sort();
    assert_eq!(both, [RecordKind::Contact, RecordKind::Reminder]);
}

#[test]
fn contact_fields_are_searched_and_the_matched_field_is_named() {
    let mut ada = contact("c1", "Ada Lovelace");
    ada.company = Some("Analytical Engines Ltd".into());
    ada.job_title = Some("Mathematician".into());
    ada.description = Some("Met at the Royal Society".into());
    ada.emails = vec![EmailEntry {
        email: "ada@byron.org".into(),
        label: None,
    }];
    let index = index(vec![ada], vec![], vec![]);
    let field = |q: &str| search(&index, q)[0].field;
    assert_eq!(field("analytical"), Field::Company);
    assert_eq!(field("mathematician"), Field::JobTitle);
    assert_eq!(field("royal"), Field::Description);
    assert_eq!(field("byron"), Field::Email);
}

#[test]
fn max_results_and_min_confidence_cut_the_list() {
    let index = contacts_only(&["Ann Lee", "Ann Smith", "Ann Jones", "Bob Lee"]);
    let hits = index.search(&SearchQuery {
        text: "ann lee",
        max_results: 2,
        skip: 0,
        min_confidence: 0,
        kinds: &RecordKind::ALL,
    });
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].record.id(), "c0");
    let confident = index.search(&SearchQuery {
        text: "ann lee",
        max_results: 10,
        skip: 0,
        min_confidence: 90,
        kinds: &RecordKind::ALL,
    });
    assert_eq!(confident.len(), 1);
}

#[test]
fn incremental_updates_give_the_same_answers_as_a_rebuild() {
    let start_contacts = vec![
        contact("c1", "Ada Lovelace"),
        contact("c2", "Charles Babbage"),
        contact("c3", "Mary Somerville"),
    ];
    let start_notes = vec![
        note("n1", "Engine designs with Charles", &["c2"]),
        note("n2", "Ada translated the memoir", &["c1"]),
    ];
    let mut incremental = index(start_contacts, start_notes, vec![]);
    // Rename a contact, edit a note, delete a contact, add a reminder.
    incremental.upsert(Record::Contact(Arc::new(contact("c1", "Augusta Ada King"))));
    incremental.upsert(Record::Note(Arc::new(note(
        "n1",
        "Difference engine with Charles and Ada",
        &["c1", "c2"],
    ))));
    assert!(incremental.remove(RecordKind::Contact, "c3"));
    assert!(!incremental.remove(RecordKind::Contact, "c3"));
    incremental.upsert(Record::Reminder(Arc::new(reminder(
        "r1",
        "Send Ada the engine memoir",
        &["c1"],
    ))));

    let rebuilt = index(
        vec![
            contact("c1", "Augusta Ada King"),
            contact("c2", "Charles Babbage"),
        ],
        vec![
            note(
                "n1",
                "Difference engine with Charles and Ada",
                &["c1", "c2"],
            ),
            note("n2", "Ada translated the memoir", &["c1"]),
        ],
        vec![reminder("r1", "Send Ada the engine memoir", &["c1"])],
    );
    assert_eq!(incremental.len(), rebuilt.len());
    for query in [
        "ada",
        "lovelace",
        "somerville",
        "engine memoir",
        "augusta",
        "charls",
        "mem",
    ] {
        assert_eq!(
            search(&incremental, query),
            search(&rebuilt, query),
            "query {query:?}"
        );
    }
    assert!(search(&incremental, "lovelace").is_empty());
}

#[test]
fn answers_do_not_depend_on_earlier_queries() {
    // The per-query working memory is reused: a query must leave none of
    // its sums behind, even when the index grows between queries.
    let build = || {
        index(
            vec![
                contact("c1", "Ada Lovelace"),
                contact("c2", "Charles Babbage"),
            ],
            vec![
                note("n1", "Engine designs with Charles and Ada", &["c2"]),
                note("n2", "Ada translated the memoir", &["c1"]),
            ],
            vec![reminder("r1", "Send Ada the engine memoir", &["c1"])],
        )
    };
    let queries = ["ada", "engine memoir", "charls", "mem", "ada engine", "zzz"];
    let mut reused = build();
    for query in queries {
        search(&reused, query);
    }
    reused.upsert(Record::Note(Arc::new(note(
        "n3",
        "Ada and the engine",
        &["c1"],
    ))));
    let mut fresh = build();
    fresh.upsert(Record::Note(Arc::new(note(
        "n3",
        "Ada and the engine",
        &["c1"],
    ))));
    for query in queries.iter().chain(queries.iter().rev()) {
        let expected = search(&build_again(&fresh), query);
        assert_eq!(search(&reused, query), expected, "query {query:?}");
        assert_eq!(search(&fresh, query), expected, "query {query:?}");
    }
}

/// A copy of `index` that has never answered a query.
fn build_again(index: &SearchIndex) -> SearchIndex {
    SearchIndex::from_records((0..index.docs.len()).filter_map(|d| index.docs[d].clone()))
}

#[test]
fn a_smaller_limit_gives_the_head_of_the_longer_ranking() {
    // Ties on confidence and score are common (many notes share a word);
    // cutting the ranking at any limit must keep the same order.
    let notes: Vec<Note> = (0..40)
        .map(|i| {
            note(
                &format!("n{i}"),
                &format!("coffee with Ada {}", "x ".repeat(i % 4)),
                &[],
            )
        })
        .collect();
    let index = index(vec![contact("c1", "Ada Coffee")], notes, vec![]);
    let ranking = |limit: usize| -> Vec<String> {
        index
            .search(&SearchQuery {
                text: "coffee ada",
                max_results: limit,
                skip: 0,
                min_confidence: 0,
                kinds: &RecordKind::ALL,
            })
            .into_iter()
            .map(|h| h.record.id().to_owned())
            .collect()
    };
    let full = ranking(100);
    assert_eq!(full.len(), 41);
    assert_eq!(full[0], "c1");
    for limit in [1, 2, 5, 17, 40, 41] {
        assert_eq!(ranking(limit), full[..limit], "limit {limit}");
    }
}

#[test]
fn records_are_found_by_kind_and_id_through_growth_and_removal() {
    // The id lookup stores bare doc ids and compares against the records:
    // the same id under two kinds stays two records, and every record is
    // still found after the table has grown and been rebuilt.
    let mut index = index(
        (0..500)
            .map(|i| contact(&format!("x{i}"), "Ann Lee"))
            .collect(),
        (0..500)
            .map(|i| note(&format!("x{i}"), "Met Ann", &[]))
            .collect(),
        vec![],
    );
    for i in (0..500).step_by(2) {
        index.upsert(Record::Note(Arc::new(note(
            &format!("x{i}"),
            "Met Bob",
            &[],
        ))));
    }
    assert!(index.remove(RecordKind::Note, "x1"));
    assert!(!index.remove(RecordKind::Note, "x1"));
    assert!(!index.remove(RecordKind::Reminder, "x2"));
    assert_eq!(index.len(), 999);
    assert!(index.get(RecordKind::Note, "x1").is_none());
    assert!(
        matches!(index.get(RecordKind::Contact, "x1"), Some(Record::Contact(c)) if c.id == "x1")
    );
    for i in (0..500).step_by(2) {
        let Some(Record::Note(n)) = index.get(RecordKind::Note, &format!("x{i}")) else {
            panic!("note x{i} lost");
        };
        assert_eq!(&*n.text, "Met Bob");
    }
    assert_eq!(ranked(&index, "bob").len(), 20);
    assert_eq!(
        index
            .search(&SearchQuery {
                text: "met",
                max_results: 1000,
                skip: 0,
                min_confidence: 0,
                kinds: &RecordKind::ALL,
            })
            .len(),
        499
    );
}

#[test]
fn postings_keep_field_and_occurrences_up_to_the_cap() {
    use super::index::{MAX_TF, Posting};
    for field in Field::ALL {
        for tf in [1, 2, 77, usize::from(MAX_TF)] {
            let p = Posting::new(9, field, tf, 500);
            assert_eq!(
                (p.doc, p.field(), usize::from(p.tf()), p.len),
                (9, field as u8, tf, 500)
            );
        }
        let p = Posting::new(1, field, 100_000, u16::MAX);
        assert_eq!((p.field(), p.tf()), (field as u8, MAX_TF));
    }
}

/// A deterministic account large enough for the pruning to matter: names
/// that share first names and letters (typos and prefixes find several),
/// notes and reminders made of a few common words, some of them repeated
/// word for word so that exact ties are common.
fn generated_account() -> SearchIndex {
    const FIRST: [&str; 12] = [
        "Sarah",
        "Sara",
        "Samuel",
        "Ada",
        "Adam",
        "Charles",
        "Charlotte",
        "Mary",
        "Marc",
        "Grace",
        "Alan",
        "Alana",
    ];
    const LAST: [&str; 10] = [
        "Lovelace",
        "Babbage",
        "Hopper",
        "Turing",
        "Somerville",
        "Lee",
        "Smith",
        "Jones",
        "Johnson",
        "Johnston",
    ];
    const WORDS: [&str; 16] = [
        "coffee",
        "with",
        "lunch",
        "meeting",
        "about",
        "the",
        "project",
        "call",
        "dinner",
        "conference",
        "introduced",
        "birthday",
        "follow",
        "up",
        "on",
        "coffees",
    ];
    // A small linear congruential generator: the test needs variety, not
    // quality, and the same account on every run.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    let contacts: Vec<Contact> = (0..300)
        .map(|i| {
            let mut c = contact(
                &format!("c{i}"),
                &format!("{} {}", FIRST[next(FIRST.len())], LAST[next(LAST.len())]),
            );
            if next(3) == 0 {
                c.company = Some(format!("{} Coffee Project", LAST[next(LAST.len())]));
            }
            c
        })
        .collect();
    let text = |next: &mut dyn FnMut(usize) -> usize| -> String {
        let words = 2 + next(10);
        (0..words)
            .map(|_| match next(5) {
                0 => FIRST[next(FIRST.len())],
                _ => WORDS[next(WORDS.len())],
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut notes = Vec::new();
    for i in 0..1500 {
        let body = if i % 7 == 0 {
            "Coffee with Sarah".to_owned()
        } else {
            text(&mut next)
        };
        let linked = format!("c{}", next(300));
        notes.push(note(&format!("n{i}"), &body, &[&linked]));
    }
    let reminders = (0..400)
        .map(|i| reminder(&format!("r{i}"), &text(&mut next), &[]))
        .collect();
    index(contacts, notes, reminders)
}

#[test]
fn pruned_search_gives_exactly_the_exhaustive_answer() {
    let index = generated_account();
    let queries = [
        // Names, whole and in part.
        "sarah",
        "Sarah Lovelace",
        "ada lovelace",
        "charles babbage",
        "mary smith",
        "grace hopper",
        // Typos.
        "sarha",
        "lovelase",
        "babage charles",
        "somervile",
        "charlote johnstone",
        // Prefixes on the last word.
        "s",
        "sa",
        "char",
        "alan tur",
        "coffee with sa",
        // Common note words.
        "Coffee with Sarah",
        "coffee",
        "with",
        "the project",
        "lunch meeting about the project",
        "follow up on the call",
        "dinner with ada and grace",
        "coffees with the conference",
        "birthday lunch with charlotte smith",
        "introduced sarah to alan at the conference",
        // Other forms of a word ("coffees", "meeting" are in the notes).
        "coffees",
        "meetings with sarah",
        "introduce",
        // Words that match nothing next to ones that do.
        "zzz coffee",
        "coffee qqqq with",
    ];
    let limits = [1, 2, 3, 5, 7, 10, 20, 33, 50, 100];
    let confidences = [0, 1, 30, 45, 50, 60, 67, 75, 80, 90, 99, 100];
    let mut compared = 0;
    for text in queries {
        for max_results in limits {
            for min_confidence in confidences {
                let query = SearchQuery {
                    text,
                    max_results,
                    skip: 0,
                    min_confidence,
                    kinds: &RecordKind::ALL,
                };
                let pruned = index.search(&query);
                let exhaustive = index.search_exhaustive(&query);
                let context = format!("{text:?} limit {max_results} confidence {min_confidence}");
                assert_eq!(pruned, exhaustive, "{context}");
                // Equal as f32 is not enough: the same bits.
                let bits = |hits: &[SearchHit]| -> Vec<u32> {
                    hits.iter().map(|h| h.score.to_bits()).collect()
                };
                assert_eq!(bits(&pruned), bits(&exhaustive), "{context}");
                compared += pruned.len();
                // A later page (skipping the hits a cursor already gave)
                // is the same part of the full ranking either way.
                let later = SearchQuery { skip: 7, ..query };
                let skipped = index.search(&later);
                assert_eq!(skipped, index.search_exhaustive(&later), "{context} skip 7");
                let whole = index.search(&SearchQuery {
                    max_results: max_results + 7,
                    ..query
                });
                assert_eq!(skipped[..], whole[whole.len().min(7)..], "{context} skip 7");
            }
        }
    }
    // Only kinds that hold fewer records than the limit, too.
    for kinds in [&[RecordKind::Contact][..], &[RecordKind::Reminder]] {
        for max_results in limits {
            let query = SearchQuery {
                text: "coffee with sarah",
                max_results,
                skip: 0,
                min_confidence: 0,
                kinds,
            };
            assert_eq!(index.search(&query), index.search_exhaustive(&query));
        }
    }
    assert!(compared > 10_000, "only {compared} hits compared");
    // The comparison is worth something only if many queries were pruned.
    let skipped = index
        .skipped_docs
        .load(std::sync::atomic::Ordering::Relaxed);
    assert!(skipped > 100_000, "only {skipped} records skipped");
    let blocks = index
        .skipped_blocks
        .load(std::sync::atomic::Ordering::Relaxed);
    assert!(blocks > 1_000, "only {blocks} blocks skipped");
}

#[test]
fn records_tied_at_the_top_score_are_ruled_out_by_their_tie_break() {
    // A common word alone: thousands of equally short reminders share the
    // very top score, and only the tie-break orders them. Those that lose
    // it to the worst hit kept must be left out in the common word's loop,
    // not each scored whole and offered to the answer.
    let reminders: Vec<Reminder> = (0..3000)
        .map(|i| reminder(&format!("r{i}"), &format!("Call p{i} about it"), &[]))
        .collect();
    let notes = (0..500)
        .map(|i| {
            note(
                &format!("n{i}"),
                &format!("Long call with p{i} about the plan for the quarter"),
                &[],
            )
        })
        .collect();
    let index = index(vec![], notes, reminders);
    for max_results in [1, 5, 11, 50] {
        let query = common_word(max_results);
        let scored = || index.scored_docs.load(std::sync::atomic::Ordering::Relaxed);
        let before = scored();
        let hits = index.search(&query);
        let offered = scored() - before;
        assert_eq!(hits, index.search_exhaustive(&query), "limit {max_results}");
        assert_eq!(hits.len(), max_results);
        assert!(hits.iter().all(|h| h.score == hits[0].score));
        // Only a record that wins the tie-break against the worst hit
        // kept so far is scored whole: 74 to 260 of them here from limit
        // 1 to 50; scoring every record would be all 3,500.
        assert!(
            offered <= 400,
            "{offered} records scored at limit {max_results}"
        );
    }
}

#[test]
fn blocks_that_can_only_tie_and_lose_are_skipped_whole() {
    // A common word alone, as above, with the tied records filling whole
    // doc blocks: a block whose best can only tie the worst hit kept and
    // whose tie-breaks all lose is skipped without reading its postings.
    // Every 500th reminder is shorter ("Call" alone, a higher score), and
    // some tied records win the tie-break: skipping a
    // block that holds either would lose a hit the exhaustive scoring
    // finds.
    let reminders: Vec<Reminder> = (0..6000)
        .map(|i| {
            let text = if i % 500 == 499 {
                "Call".to_owned()
            } else {
                format!("Call p{i} about it")
            };
            reminder(&format!("r{i}"), &text, &[])
        })
        .collect();
    // Most records lack the word (so that it weighs something), and the
    // notes that have it are longer, so score lower.
    let notes = (0..6000)
        .map(|i| {
            let text = if i % 20 == 0 {
                format!("Long call with p{i} about the plan for the quarter")
            } else {
                format!("Lunch with p{i}")
            };
            note(&format!("n{i}"), &text, &[])
        })
        .collect();
    let mut index = index(vec![], notes, reminders);
    let blocks = |index: &SearchIndex| {
        index
            .skipped_blocks
            .load(std::sync::atomic::Ordering::Relaxed)
    };
    let compare = |index: &SearchIndex, context: &str| {
        for max_results in [1, 5, 11, 12, 13, 30, 50] {
            let query = common_word(max_results);
            let before = blocks(index);
            let hits = index.search(&query);
            let skipped = blocks(index) - before;
            let exhaustive = index.search_exhaustive(&query);
            assert_eq!(hits, exhaustive, "{context} limit {max_results}");
            let bits = |hits: &[SearchHit]| -> Vec<u32> {
                hits.iter().map(|h| h.score.to_bits()).collect()
            };
            assert_eq!(
                bits(&hits),
                bits(&exhaustive),
                "{context} limit {max_results}"
            );
            // Past the twelve short reminders every hit ties, and most of
            // the 47 blocks of tied reminders go unread (their score
            // bounds alone, with their margin for rounding, skip none of
            // the blocks: 0 here without the tie-break test, 51-70 with).
            if max_results >= 13 {
                assert!(
                    skipped >= 30,
                    "{context}: {skipped} blocks skipped at limit {max_results}"
                );
            }
        }
    };
    compare(&index, "built");
    // Blocks keep their peaks through writes: removed records leave them
    // as bounds, new records (new doc ids, late blocks) extend them.
    for i in (0..6000).step_by(7) {
        assert!(index.remove(RecordKind::Reminder, &format!("r{i}")));
    }
    for i in 0..1000 {
        index.upsert(Record::Reminder(Arc::new(reminder(
            &format!("new{i}"),
            &format!("Call q{i} about it"),
            &[],
        ))));
    }
    compare(&index, "after writes");
}

#[test]
fn a_contact_is_found_by_its_tags_groups_and_custom_field_values() {
    use crate::model::{CustomFieldValue, Label};
    let label = |name: &str| Label {
        id: format!("id-{name}").into(),
        name: name.into(),
    };
    let mut ada = contact("c1", "Ada Lovelace");
    ada.tags = vec![label("Investor"), label("Mathematics")];
    ada.groups = vec![label("Babbage circle")];
    ada.custom_fields = vec![CustomFieldValue {
        field_id: "f1".into(),
        name: Some("Met at".into()),
        values: vec!["Soirée".into(), "London".into()],
    }];
    let index = index(vec![ada, contact("c2", "Grace Hopper")], vec![], vec![]);
    let hit = |q: &str| {
        let hits = search(&index, q);
        assert_eq!(hits.len(), 1, "{q}");
        (hits[0].record.id().to_owned(), hits[0].field)
    };
    assert_eq!(hit("investor"), ("c1".into(), Field::Tags));
    assert_eq!(hit("mathematics"), ("c1".into(), Field::Tags));
    assert_eq!(hit("babbage circle"), ("c1".into(), Field::Groups));
    assert_eq!(hit("soiree"), ("c1".into(), Field::CustomFields));
    assert_eq!(hit("london"), ("c1".into(), Field::CustomFields));
}

fn sailing_notes() -> SearchIndex {
    let mut club = contact("c0", "Ada Lovelace");
    club.company = Some("Sailing Club".into());
    index(
        vec![club],
        vec![
            note(
                "n0",
                "We went sailing around the islands with the whole family for a week",
                &[],
            ),
            note("n1", "She sails", &[]),
            note("n2", "Sailed to Corfu", &[]),
            note("n3", "Bought a sail", &[]),
            note("n4", "Sale at the market", &[]),
        ],
        vec![reminder("r0", "Sailing lessons", &[])],
    )
}

#[test]
fn any_form_of_a_word_finds_notes_written_in_another() {
    let index = sailing_notes();
    let found = |query: &str| -> Vec<String> {
        let mut ids: Vec<String> = ranked(&index, query)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        ids.sort();
        ids
    };
    let notes = ["n0", "n1", "n2", "n3", "r0"];
    assert_eq!(found("sailed"), notes);
    assert_eq!(found("sails"), notes);
    // The company "Sailing Club" too: "sail" is its prefix, "sailing"
    // its exact word.
    assert_eq!(found("sail"), ["c0", "n0", "n1", "n2", "n3", "r0"]);
    assert_eq!(found("sailing"), ["c0", "n0", "n1", "n2", "n3", "r0"]);
}

#[test]
fn the_exact_form_ranks_above_other_forms() {
    let index = sailing_notes();
    // The long note says "sailing" exactly; the short ones would score
    // more by BM25 but hold other forms.
    let hits = ranked(&index, "sailing");
    let mut exact: Vec<&str> = hits[..3].iter().map(|(id, _)| id.as_str()).collect();
    exact.sort();
    assert_eq!(exact, ["c0", "n0", "r0"], "{hits:?}");
    assert!(hits[..3].iter().all(|(_, c)| *c == 100), "{hits:?}");
    assert!(hits[3..].iter().all(|(_, c)| *c == 80), "{hits:?}");
    let hits = ranked(&index, "sailed");
    assert_eq!(hits[0], ("n2".to_owned(), 100), "{hits:?}");
    assert!(hits[1..].iter().all(|(_, c)| *c == 80), "{hits:?}");
}

#[test]
fn other_forms_count_in_prose_not_in_names_or_companies() {
    let index = sailing_notes();
    // "Sailing Club" is a company: "sailed" is not a typo of "sailing", so
    // only a word form could match it, and those count in prose only.
    let hits = ranked(&index, "sailed");
    assert!(hits.iter().all(|(id, _)| id != "c0"), "{hits:?}");
    assert_eq!(ranked(&index, "sailing club")[0].0, "c0");
}

#[test]
fn the_snippet_marks_the_form_that_matched() {
    let index = sailing_notes();
    let hits = search(&index, "sailed");
    let lessons = hits.iter().find(|h| h.record.id() == "r0").expect("found");
    assert_eq!(lessons.snippet, "**Sailing** lessons");
}
