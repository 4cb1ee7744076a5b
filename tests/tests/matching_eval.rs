//! Evaluation of `find_contact` over a seeded account.
//!
//! The simulator generates an account (seed 7, 2,000 contacts). Queries are
//! made by perturbing real seeded contacts, one perturbation kind at a time
//! (typo, swapped letters, nickname, accents stripped, first and last name
//! swapped, initial, partial name, name with company, email with case and
//! space noise, phone reformatted, social link reformatted), each with the
//! contact it was made from as the expected answer. Every query goes
//! through the tool with default limit and threshold, twice: natively
//! (`dex_guest::tools::contacts::find_contact` over a snapshot directory) and through
//! the real path (the `dex-mcp` binary, the component, MCP over stdio, the
//! simulator serving the same account). Precision@1 and recall@5 are
//! reported per kind and overall.
//!
//! Ambiguity rule. The seeded account reuses a small set of names, so many
//! people share a full name, and the simulator plants near-duplicates (the
//! same person entered twice). A returned contact counts as the expected
//! answer when it *is* the expected contact, when the simulator says it is
//! the same person (a planted near-duplicate), or when nothing the query
//! says can tell it from the expected contact: the same folded first and
//! last name for name queries (the same initial and last name for an
//! initial query; the same first name and company for a name-with-company
//! query), the same address for an email query, the same number for a phone
//! query, the same profile for a social query. Such contacts score the same
//! for the query, so which of them comes first is arbitrary; the report says
//! how many queries were ambiguous in this sense.

use std::collections::HashMap;
use std::sync::Arc;

use dex_guest::matching::{ContactDirectory, ContactMatcher};
use dex_guest::model::{Contact, EmailAddress, SocialNetwork, ToolError};
use dex_guest::tools::contacts::{FindContactArgs, find_contact};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Seed of the evaluated accounts.
const SEED: u64 = 7;
/// Queries per perturbation kind (fewer when the account has fewer
/// contacts the kind applies to).
const PER_KIND: usize = 40;
/// The bar from the issue.
const MIN_PRECISION_AT_1: f64 = 0.95;
const MIN_RECALL_AT_5: f64 = 0.99;

/// The perturbation a query was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    ExactName,
    Typo,
    SwappedLetters,
    Nickname,
    AccentsStripped,
    NameOrderSwapped,
    Initial,
    PartialName,
    WithCompany,
    Email,
    Phone,
    Social,
}

const KINDS: [Kind; 12] = [
    Kind::ExactName,
    Kind::Typo,
    Kind::SwappedLetters,
    Kind::Nickname,
    Kind::AccentsStripped,
    Kind::NameOrderSwapped,
    Kind::Initial,
    Kind::PartialName,
    Kind::WithCompany,
    Kind::Email,
    Kind::Phone,
    Kind::Social,
];

/// What, besides identity, makes a contact indistinguishable from the
/// expected one for a query (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Signature {
    FullName(String),
    InitialAndLast(String),
    FirstAndCompany(String),
    Email(String),
    Phone(String),
    Social(String),
}

struct Case {
    kind: Kind,
    args: FindContactArgs,
    expected: usize,
    signature: Signature,
}

/// The seeded account as the guest sees it, plus the planted facts.
struct Account {
    contacts: Arc<[Arc<Contact>]>,
    /// Contact index -> person number (near-duplicates share one).
    person: Vec<usize>,
    /// Contact id -> nickname the simulator gave that person.
    nicknames: HashMap<String, String>,
    /// Contact index -> the simulator's sanitized numbers (`+4930901820`),
    /// an account of "same number" independent of the guest's.
    sanitized_phones: Vec<Vec<String>>,
}

fn account(size: usize) -> Account {
    let generated = dex_sim::generate(SEED, size, dex_sim::default_today());
    let contacts: Vec<Arc<Contact>> = generated
        .dataset
        .contacts
        .iter()
        .map(|c| {
            let json = serde_json::to_value(c).expect("sim contacts serialise");
            Arc::new(dex_guest::dex::v1::contact_from_v1_json(json).expect("v1 contact decodes"))
        })
        .collect();
    let index_of: HashMap<&str, usize> = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut person: Vec<usize> = (0..contacts.len()).collect();
    for (original, duplicate) in &generated.facts.near_duplicates {
        if let (Some(&a), Some(&b)) = (
            index_of.get(original.as_str()),
            index_of.get(duplicate.as_str()),
        ) {
            person[b] = person[a];
        }
    }
    let sanitized_phones = generated
        .dataset
        .contacts
        .iter()
        .map(|c| {
            c.contact_phone_numbers
                .iter()
                .filter_map(|p| p.phone_number_sanitized.clone())
                .collect()
        })
        .collect();
    Account {
        nicknames: generated.facts.nicknames.iter().cloned().collect(),
        sanitized_phones,
        contacts: contacts.into(),
        person,
    }
}

/// A directory over the account, as a cached snapshot would be: the
/// matcher is built once.
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
    fn find_by_email(&self, email: &EmailAddress) -> Result<Vec<Contact>, ToolError> {
        Ok(self
            .contacts
            .iter()
            .filter(|c| {
                c.emails
                    .iter()
                    .any(|e| EmailAddress::fold(&e.email) == email.as_str())
            })
            .map(|c| Contact::clone(c))
            .collect())
    }
    fn matcher(&self) -> Result<Arc<ContactMatcher>, ToolError> {
        Ok(Arc::clone(&self.matcher))
    }
}

/// Lower case without accents: the test's own normalisation for
/// signatures, independent of the guest's.
fn plain(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

fn first(c: &Contact) -> &str {
    c.first_name.as_deref().unwrap_or("")
}

fn last(c: &Contact) -> &str {
    c.last_name.as_deref().unwrap_or("")
}

fn signature(kind: Kind, c: &Contact, detail: &str) -> Signature {
    match kind {
        Kind::Initial => Signature::InitialAndLast(format!(
            "{} {}",
            plain(first(c)).chars().next().unwrap_or(' '),
            plain(last(c))
        )),
        Kind::WithCompany => Signature::FirstAndCompany(format!(
            "{} @ {}",
            plain(first(c)),
            plain(c.company.as_deref().unwrap_or(""))
        )),
        Kind::Email => Signature::Email(detail.to_owned()),
        Kind::Phone => Signature::Phone(detail.to_owned()),
        Kind::Social => Signature::Social(detail.to_owned()),
        _ => Signature::FullName(format!("{} {}", plain(first(c)), plain(last(c)))),
    }
}

/// Whether contact `i` carries the signature `s` (for identifier
/// signatures: has that identifier).
fn carries(account: &Account, i: usize, kind: Kind, s: &Signature) -> bool {
    let c = &account.contacts[i];
    match s {
        Signature::Email(address) => c
            .emails
            .iter()
            .any(|e| EmailAddress::fold(&e.email) == *address),
        Signature::Phone(sanitized) => account.sanitized_phones[i].contains(sanitized),
        Signature::Social(url) => c
            .social_links
            .iter()
            .any(|l| l.network == SocialNetwork::Linkedin && l.url.to_lowercase() == *url),
        _ => signature(kind, c, "") == *s,
    }
}

/// Swaps two neighbouring letters that differ, somewhere in `word`.
fn swap_letters(rng: &mut ChaCha8Rng, word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    let spots: Vec<usize> = (0..chars.len().saturating_sub(1))
        .filter(|&i| {
            chars[i] != chars[i + 1] && chars[i].is_alphabetic() && chars[i + 1].is_alphabetic()
        })
        .collect();
    let &at = spots.get(rng.random_range(0..spots.len().max(1)))?;
    let mut out = chars;
    out.swap(at, at + 1);
    Some(out.into_iter().collect())
}

/// One typo (a letter replaced, dropped or doubled) after the first letter.
fn typo(rng: &mut ChaCha8Rng, word: &str) -> Option<String> {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 5 {
        return None;
    }
    let at = rng.random_range(1..chars.len());
    match rng.random_range(0..3) {
        0 => {
            let replacement = loop {
                let c = (b'a' + rng.random_range(0..26u8)) as char;
                if c != chars[at].to_ascii_lowercase() {
                    break c;
                }
            };
            chars[at] = replacement;
        }
        1 => {
            chars.remove(at);
        }
        _ => {
            let doubled = chars[at];
            chars.insert(at, doubled);
        }
    }
    Some(chars.into_iter().collect())
}

/// A different way to write the number `typed`, whose international form
/// (`+33612345618`) is `sanitized`.
fn reformat_phone(rng: &mut ChaCha8Rng, typed: &str, sanitized: &str) -> String {
    let grouped = |digits: &str, size: usize, joiner: &str| {
        digits
            .as_bytes()
            .chunks(size)
            .map(|c| std::str::from_utf8(c).expect("digits"))
            .collect::<Vec<_>>()
            .join(joiner)
    };
    let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
    let international = sanitized.trim_start_matches('+');
    match rng.random_range(0..4) {
        0 => digits,
        1 => format!("+{international}"),
        2 => grouped(&digits, 3, "-"),
        _ => format!("00 {}", grouped(international, 2, " ")),
    }
}

/// A different way to write the LinkedIn link `url`.
fn reformat_linkedin(rng: &mut ChaCha8Rng, url: &str) -> Option<String> {
    let handle = url.trim_end_matches('/').rsplit('/').next()?;
    Some(match rng.random_range(0..4) {
        0 => format!("linkedin.com/in/{handle}/"),
        1 => format!("http://LinkedIn.com/in/{}", handle.to_uppercase()),
        2 => format!("https://de.linkedin.com/in/{handle}?trk=public_profile"),
        _ => format!("www.linkedin.com/in/{handle}#experience"),
    })
}

fn name_args(name: String) -> FindContactArgs {
    FindContactArgs {
        name: Some(name),
        ..FindContactArgs::default()
    }
}

/// Makes the query of `kind` for contact `c`, if the contact lends itself
/// to it; returns the arguments and the signature detail.
fn perturb(
    rng: &mut ChaCha8Rng,
    kind: Kind,
    c: &Contact,
    account: &Account,
) -> Option<(FindContactArgs, String)> {
    let (f, l) = (first(c), last(c));
    if f.is_empty() || l.is_empty() {
        return None;
    }
    let args = match kind {
        Kind::ExactName => name_args(c.full_name.clone()),
        Kind::Typo => {
            if rng.random_bool(0.5) {
                name_args(format!("{f} {}", typo(rng, l)?))
            } else {
                name_args(format!("{} {l}", typo(rng, f)?))
            }
        }
        Kind::SwappedLetters => {
            if l.chars().count() >= 4 && rng.random_bool(0.5) {
                name_args(format!("{f} {}", swap_letters(rng, l)?))
            } else if f.chars().count() >= 4 {
                name_args(format!("{} {l}", swap_letters(rng, f)?))
            } else {
                return None;
            }
        }
        Kind::Nickname => {
            let nick = account.nicknames.get(&c.id)?;
            if plain(nick) == plain(f) {
                return None;
            }
            name_args(format!("{nick} {l}"))
        }
        Kind::AccentsStripped => {
            if c.full_name.is_ascii() {
                return None;
            }
            let german = c.full_name.contains(['ü', 'ö', 'ä', 'Ü', 'Ö', 'Ä']);
            if german && rng.random_bool(0.5) {
                let spelled = c
                    .full_name
                    .replace('ü', "ue")
                    .replace('ö', "oe")
                    .replace('ä', "ae")
                    .replace('Ü', "Ue")
                    .replace('Ö', "Oe")
                    .replace('Ä', "Ae");
                name_args(deunicode::deunicode(&spelled))
            } else {
                name_args(deunicode::deunicode(&c.full_name))
            }
        }
        Kind::NameOrderSwapped => {
            if rng.random_bool(0.5) {
                name_args(format!("{l} {f}"))
            } else {
                name_args(format!("{l}, {f}"))
            }
        }
        Kind::Initial => name_args(format!("{}. {l}", f.chars().next()?)),
        Kind::PartialName => {
            let fc: Vec<char> = f.chars().collect();
            let lc: Vec<char> = l.chars().collect();
            if fc.len() >= 6 {
                name_args(format!("{} {l}", fc[..4].iter().collect::<String>()))
            } else if lc.len() >= 7 {
                name_args(format!("{f} {}", lc[..5].iter().collect::<String>()))
            } else {
                return None;
            }
        }
        Kind::WithCompany => {
            let company = c.company.clone()?;
            if rng.random_bool(0.5) {
                name_args(format!("{f} from {company}"))
            } else {
                FindContactArgs {
                    company: Some(company),
                    ..name_args(f.to_owned())
                }
            }
        }
        Kind::Email => {
            let email = c.emails.first()?.email.clone();
            let noisy: String = email
                .chars()
                .map(|ch| {
                    if rng.random_bool(0.3) {
                        ch.to_ascii_uppercase()
                    } else {
                        ch
                    }
                })
                .collect();
            let detail = EmailAddress::fold(&email);
            return Some((
                FindContactArgs {
                    email: Some(format!("  {noisy} ")),
                    ..FindContactArgs::default()
                },
                detail,
            ));
        }
        Kind::Phone => {
            let typed = &c.phones.first()?.number;
            let index = account.contacts.iter().position(|x| x.id == c.id)?;
            let detail = account.sanitized_phones[index].first()?.clone();
            return Some((
                FindContactArgs {
                    phone: Some(reformat_phone(rng, typed, &detail)),
                    ..FindContactArgs::default()
                },
                detail,
            ));
        }
        Kind::Social => {
            let link = c
                .social_links
                .iter()
                .find(|l| l.network == SocialNetwork::Linkedin)?;
            return Some((
                FindContactArgs {
                    social_url: Some(reformat_linkedin(rng, &link.url)?),
                    ..FindContactArgs::default()
                },
                link.url.to_lowercase(),
            ));
        }
    };
    Some((args, String::new()))
}

fn cases(account: &Account) -> Vec<Case> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut cases = Vec::new();
    for kind in KINDS {
        let mut order: Vec<usize> = (0..account.contacts.len()).collect();
        order.shuffle(&mut rng);
        let mut made = 0;
        for i in order {
            if made == PER_KIND {
                break;
            }
            let contact = &account.contacts[i];
            if let Some((args, detail)) = perturb(&mut rng, kind, contact, account) {
                cases.push(Case {
                    kind,
                    args,
                    expected: i,
                    signature: signature(kind, contact, &detail),
                });
                made += 1;
            }
        }
    }
    cases
}

#[derive(Default)]
struct Tally {
    queries: usize,
    at_1: usize,
    /// The expected contact itself (or its planted duplicate) shares the
    /// top confidence: the stricter reading, ignoring the ambiguity rule.
    strict_at_1: usize,
    at_5: usize,
    ambiguous: usize,
    confidence_sum: u64,
}

/// One match as the evaluation needs it, whichever path produced it.
struct Found {
    id: String,
    name: String,
    confidence: u8,
    reasons: Vec<String>,
}

/// Answers a query: natively, or through the server.
type Resolver<'a> = dyn FnMut(&FindContactArgs) -> Vec<Found> + 'a;

/// The native path: the tool over a snapshot directory.
fn native(account: &Account) -> impl FnMut(&FindContactArgs) -> Vec<Found> + '_ {
    let directory = Snapshot {
        matcher: Arc::new(ContactMatcher::new(&account.contacts)),
        contacts: Arc::clone(&account.contacts),
    };
    move |args| {
        find_contact(&directory, args)
            .unwrap_or_else(|e| panic!("{args:?} failed: {e}"))
            .matches
            .into_iter()
            .map(|m| Found {
                id: m.contact.id,
                name: m.contact.full_name,
                confidence: m.confidence,
                reasons: m.reasons,
            })
            .collect()
    }
}

/// Runs every query against a seeded account through `resolve`, prints the
/// report (titled `path`) and returns (queries, precision@1, recall@5).
fn evaluate(account: &Account, path: &str, resolve: &mut Resolver<'_>) -> (usize, f64, f64) {
    let size = account.contacts.len();
    let id_index: HashMap<&str, usize> = account
        .contacts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let cases = cases(account);
    let mut tallies: HashMap<Kind, Tally> = HashMap::new();
    let mut misses = Vec::new();
    for case in &cases {
        let found = resolve(&case.args);
        let expected = &account.contacts[case.expected];
        let answers = |i: usize| {
            i == case.expected
                || account.person[i] == account.person[case.expected]
                || carries(account, i, case.kind, &case.signature)
        };
        let ranks: Vec<bool> = found
            .iter()
            .map(|m| answers(id_index[m.id.as_str()]))
            .collect();
        let tally = tallies.entry(case.kind).or_default();
        tally.queries += 1;
        let hit_1 = ranks.first().copied().unwrap_or(false);
        let hit_5 = ranks.iter().take(5).any(|&r| r);
        tally.at_1 += usize::from(hit_1);
        let top = found.first().map(|m| m.confidence);
        tally.strict_at_1 += usize::from(found.iter().any(|m| {
            let i = id_index[m.id.as_str()];
            Some(m.confidence) == top && account.person[i] == account.person[case.expected]
        }));
        tally.at_5 += usize::from(hit_5);
        let others_alike = (0..account.contacts.len())
            .filter(|&i| i != case.expected && answers(i))
            .count();
        tally.ambiguous += usize::from(others_alike > 0);
        if let Some(m) = found.iter().find(|m| m.id == expected.id) {
            tally.confidence_sum += u64::from(m.confidence);
        }
        if !hit_1 {
            misses.push(format!(
                "{:?} {:?} expected {} ({}), got {:?}",
                case.kind,
                case.args,
                expected.full_name,
                expected.id,
                found
                    .iter()
                    .map(|m| format!("{} {} {:?}", m.name, m.confidence, m.reasons))
                    .collect::<Vec<_>>()
            ));
        }
    }

    let total_queries: usize = tallies.values().map(|t| t.queries).sum();
    let total_1: usize = tallies.values().map(|t| t.at_1).sum();
    let total_5: usize = tallies.values().map(|t| t.at_5).sum();
    let precision = total_1 as f64 / total_queries as f64;
    let recall = total_5 as f64 / total_queries as f64;
    let strict: usize = tallies.values().map(|t| t.strict_at_1).sum();
    eprintln!(
        "find_contact evaluation ({path}): seed {SEED}, {size} contacts, {total_queries} queries"
    );
    eprintln!(
        "{:<18} {:>7} {:>6} {:>10} {:>6} {:>9} {:>9}",
        "kind", "queries", "P@1", "strict P@1", "R@5", "ambiguous", "mean conf"
    );
    let mut kinds: Vec<_> = tallies.iter().collect();
    kinds.sort_by_key(|(k, _)| **k);
    for (kind, t) in &kinds {
        eprintln!(
            "{:<18} {:>7} {:>6.3} {:>10.3} {:>6.3} {:>9} {:>9.1}",
            format!("{kind:?}"),
            t.queries,
            t.at_1 as f64 / t.queries as f64,
            t.strict_at_1 as f64 / t.queries as f64,
            t.at_5 as f64 / t.queries as f64,
            t.ambiguous,
            t.confidence_sum as f64 / t.at_5.max(1) as f64,
        );
    }
    eprintln!(
        "overall P@1 {precision:.3}  R@5 {recall:.3}  (strict P@1 {:.3})",
        strict as f64 / total_queries as f64
    );
    for miss in &misses {
        eprintln!("miss: {miss}");
    }

    for kind in KINDS {
        let made = tallies.get(&kind).map_or(0, |t| t.queries);
        assert!(
            made >= 20,
            "{kind:?} has only {made} queries: the dataset lacks cases for it"
        );
    }
    (total_queries, precision, recall)
}

fn assert_meets_the_bar(account: &Account, path: &str, resolve: &mut Resolver<'_>) {
    let (queries, precision, recall) = evaluate(account, path, resolve);
    assert!(queries >= 300, "only {queries} queries");
    assert!(
        precision >= MIN_PRECISION_AT_1,
        "P@1 {precision:.3} < {MIN_PRECISION_AT_1}"
    );
    assert!(
        recall >= MIN_RECALL_AT_5,
        "R@5 {recall:.3} < {MIN_RECALL_AT_5}"
    );
}

/// A small account: fewer people share a name.
#[test]
fn find_contact_meets_the_bar_on_a_500_contact_account() {
    let account = account(500);
    assert_meets_the_bar(&account, "native", &mut native(&account));
}

/// A large account: many people share names and numbers.
#[test]
fn find_contact_meets_the_bar_on_a_2000_contact_account() {
    let account = account(2_000);
    assert_meets_the_bar(&account, "native", &mut native(&account));
}

/// The same evaluation through the real path: the `dex-mcp` binary, the
/// component, MCP over stdio, and the simulator serving the same account.
#[test]
fn find_contact_meets_the_bar_through_mcp_on_a_500_contact_account() {
    use dex_mcp_tests::{Era, component, start_server};
    use rmcp::model::CallToolRequestParams;

    const KEY: &str = "dex_eval_key";
    let account = account(500);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dataset = dex_sim::generate(SEED, 500, dex_sim::default_today()).dataset;
    let config = dex_sim::SimConfig {
        api_key: KEY.into(),
        dataset: Some(dataset),
        ..Default::default()
    };
    let simulator = runtime
        .block_on(dex_sim::RunningSim::start(
            config,
            "127.0.0.1:0".parse().unwrap(),
        ))
        .unwrap();
    let base_url = simulator.v1_base_url();
    let args = vec![
        "--component".to_owned(),
        component("dex_guest").display().to_string(),
    ];
    let env = [
        ("DEX_API_KEY", KEY),
        ("DEX_API_BASE_URL", base_url.as_str()),
        ("DEX_MCP_LOG", "warn"),
    ];
    let client = runtime
        .block_on(start_server(&args, &env, Era::Legacy, None))
        .expect("dex-mcp starts");
    let mut through_mcp = |query: &FindContactArgs| -> Vec<Found> {
        let mut arguments = serde_json::Map::new();
        let text = [
            ("name", &query.name),
            ("email", &query.email),
            ("phone", &query.phone),
            ("social_url", &query.social_url),
            ("company", &query.company),
        ];
        for (key, value) in text {
            if let Some(value) = value {
                arguments.insert(key.into(), value.clone().into());
            }
        }
        if let Some(limit) = query.limit {
            arguments.insert("limit".into(), limit.into());
        }
        if let Some(min) = query.min_confidence {
            arguments.insert("min_confidence".into(), min.into());
        }
        let request = CallToolRequestParams::new("find_contact").with_arguments(arguments);
        let result = runtime
            .block_on(client.call_tool(request))
            .expect("tools/call answers");
        assert_ne!(result.is_error, Some(true), "{query:?}: {result:?}");
        let structured = result.structured_content.expect("structured content");
        structured["matches"]
            .as_array()
            .expect("matches")
            .iter()
            .map(|m| Found {
                id: m["contact"]["id"].as_str().unwrap().to_owned(),
                name: m["contact"]["full_name"].as_str().unwrap().to_owned(),
                confidence: m["confidence"].as_u64().unwrap() as u8,
                reasons: serde_json::from_value(m["reasons"].clone()).unwrap(),
            })
            .collect()
    };
    assert_meets_the_bar(&account, "through MCP", &mut through_mcp);
    runtime.block_on(client.cancel()).ok();
}

#[test]
fn names_nobody_has_find_nobody_above_the_default_threshold() {
    let account = account(2_000);
    let directory = Snapshot {
        matcher: Arc::new(ContactMatcher::new(&account.contacts)),
        contacts: Arc::clone(&account.contacts),
    };
    let strangers = [
        "Zebulon Quackenbush",
        "Hortensia Vandermolen",
        "Ulf Przybyszewski",
        "Xiomara Okonkwo-Delacroix",
        "Bartholomew Featherstonehaugh",
    ];
    for name in strangers {
        let found = find_contact(&directory, &name_args(name.to_owned())).unwrap();
        assert!(
            found.matches.is_empty(),
            "{name} found {:?}",
            found
                .matches
                .iter()
                .map(|m| (&m.contact.full_name, m.confidence))
                .collect::<Vec<_>>()
        );
    }
}
