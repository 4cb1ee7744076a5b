//! The queries of the search and matching benchmarks, in the two shapes a
//! benchmark needs: the guest's native arguments and the JSON arguments an
//! MCP client sends, so that native and component runs answer the very
//! same question.

use dex_guest::model::Contact;
use dex_guest::snapshot::Snapshot;
use dex_guest::tools::contacts::FindContactArgs;
use dex_guest::tools::search::FullTextArgs;
use serde_json::{Map, Value, json};

/// Result limits of the search benchmarks; 10 is the tool's default.
pub const SEARCH_LIMITS: [u32; 4] = [5, 10, 20, 100];
/// Confidence thresholds of the search benchmarks (at limit 20).
pub const SEARCH_CONFIDENCES: [u8; 3] = [30, 60, 90];

/// Search texts of each kind, built from the data so that they match
/// something: a full name, that last name with two letters swapped, the
/// first three letters of a company, that whole company name, the first
/// word of a note alone (a word thousands of notes share, so ranking rests
/// on BM25 alone) and the first three words of a note (words most notes
/// share: the worst case for scoring every posting).
pub fn search_texts(snapshot: &Snapshot) -> Vec<(&'static str, String)> {
    let someone = &snapshot.contacts[snapshot.contacts.len() / 2];
    let last = someone
        .last_name
        .clone()
        .unwrap_or_else(|| someone.full_name.clone());
    let mut typo: Vec<char> = last.chars().collect();
    if typo.len() >= 5 {
        typo.swap(1, 2);
    }
    let company = snapshot
        .contacts
        .iter()
        .find_map(|c| c.company.clone())
        .unwrap_or_default();
    let note_words: Vec<&str> = snapshot.notes[0].text.split_whitespace().take(3).collect();
    vec![
        ("exact-name", someone.full_name.clone()),
        ("typo-name", typo.into_iter().collect()),
        ("prefix", company.chars().take(3).collect()),
        ("company", company),
        ("common-word", note_words[0].to_owned()),
        ("note-words", note_words.join(" ")),
    ]
}

/// One search: `text` with at most `max_results` hits of at least
/// `min_confidence`, over every kind of record.
pub fn search_args(text: &str, max_results: u32, min_confidence: u8) -> FullTextArgs {
    FullTextArgs {
        query: text.to_owned(),
        max_results: Some(max_results),
        min_confidence: Some(min_confidence),
        include_types: None,
        cursor: None,
    }
}

/// `args` as the JSON arguments of `search_contacts_full_text`.
pub fn search_json(args: &FullTextArgs) -> Map<String, Value> {
    let value = json!({
        "query": args.query,
        "max_results": args.max_results,
        "min_confidence": args.min_confidence,
    });
    match value {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// One `find_contact` query of each kind an assistant sends (names with a
/// typo, a nickname, stripped accents, an initial, identifiers...), the
/// identifiers taken from `contacts` so that every query finds someone.
pub fn find_contact_cases(
    contacts: &[std::sync::Arc<Contact>],
) -> Vec<(&'static str, FindContactArgs)> {
    let name = |n: &str| FindContactArgs {
        name: Some(n.into()),
        ..FindContactArgs::default()
    };
    let email = contacts
        .iter()
        .find_map(|c| c.emails.first())
        .map(|e| e.email.to_uppercase());
    let phone = contacts
        .iter()
        .find_map(|c| c.phones.first())
        .map(|p| p.number.clone());
    let social_url = contacts
        .iter()
        .find_map(|c| c.social_links.first())
        .map(|l| l.url.clone());
    vec![
        ("exact_name", name("Robert Smith")),
        ("typo_name", name("Robrt Smiht")),
        ("nickname", name("Bob Smith")),
        ("accents_stripped", name("Jurgen Mueller")),
        ("initial", name("J. Smith")),
        ("first_name_only", name("Sarah")),
        ("name_with_company", name("Sarah from Northwind Analytics")),
        (
            "email",
            FindContactArgs {
                email,
                ..FindContactArgs::default()
            },
        ),
        (
            "phone",
            FindContactArgs {
                phone,
                ..FindContactArgs::default()
            },
        ),
        (
            "social_url",
            FindContactArgs {
                social_url,
                ..FindContactArgs::default()
            },
        ),
        (
            "company_only",
            FindContactArgs {
                company: Some("Helix Bio".into()),
                ..FindContactArgs::default()
            },
        ),
    ]
}

/// `args` as the JSON arguments of `find_contact` (absent fields left out).
pub fn find_contact_json(args: &FindContactArgs) -> Map<String, Value> {
    let mut map = Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            map.insert(key.to_owned(), value);
        }
    };
    put("name", args.name.clone().map(Value::from));
    put("email", args.email.clone().map(Value::from));
    put("phone", args.phone.clone().map(Value::from));
    put("social_url", args.social_url.clone().map(Value::from));
    put("company", args.company.clone().map(Value::from));
    put("limit", args.limit.map(Value::from));
    put("min_confidence", args.min_confidence.map(Value::from));
    map
}
