//! Contacts that are probably one person, found in the whole account
//! without comparing every contact with every other.
//!
//! Each contact is put into blocks by its normalised identifiers (folded
//! email, significant phone digits, social profile) and by name keys
//! (folded family or given name within one employer, and the whole folded
//! name); only contacts sharing a block are compared. A block many
//! contacts share is not evidence about a person (a switchboard number, a
//! shared inbox, the fifth "John Smith"), so blocks larger than a few
//! contacts are passed over, which also keeps the work linear at 10,000
//! contacts. Pairs are joined into groups, strongest link first, and each
//! group names the contact to keep and the ones to merge into it.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::company::CompanyKey;
use super::fold::collapse_umlaut_spelling;
use super::name_parts::{Role, contact_name_parts};
use super::nicknames::Nicknames;
use super::token_match::{QueryWord, WordFit, compare};
use crate::model::{Contact, EmailAddress, PhoneMatch, PhoneNumber, SocialProfile};

/// An identifier, or a whole name, held by more contacts than this says
/// nothing about any one of them, so its block is skipped.
const MAX_SHARED_BY: usize = 4;
/// Contacts with one family (or given) name at one employer beyond this
/// are compared by identifiers only: the block would cost too much for
/// what it could find.
const MAX_NAME_BLOCK: usize = 50;
/// Phones are blocked by their last digits, which every comparable number
/// has; the block is then compared exactly.
const PHONE_BLOCK_DIGITS: usize = 7;

/// Confidence of a shared email address: people rarely share one.
const EMAIL_CONFIDENCE: u8 = 95;
/// Confidence of the same profile on one social network.
const SOCIAL_CONFIDENCE: u8 = 95;
/// Confidence of a shared phone number: households and offices share some.
const PHONE_CONFIDENCE: u8 = 85;
/// Confidence of the same full name at the same employer.
const SAME_NAME_SAME_COMPANY: u8 = 85;
/// Confidence of nearly the same name (a nickname, one typo) at the same
/// employer.
const NEAR_NAME_SAME_COMPANY: u8 = 70;
/// Confidence of the same full name where at most one employer is known.
const SAME_NAME_ONLY: u8 = 60;

/// Which kind of evidence a reason is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DuplicateField {
    /// An email address both have.
    Email,
    /// A phone number both have, however written.
    Phone,
    /// A social profile both link.
    Social,
    /// Their names (and employer).
    Name,
}

impl DuplicateField {
    /// The name the answer uses.
    pub fn as_str(self) -> &'static str {
        match self {
            DuplicateField::Email => "email",
            DuplicateField::Phone => "phone",
            DuplicateField::Social => "social",
            DuplicateField::Name => "name",
        }
    }
}

/// Why two contacts look like one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateReason {
    /// The kind of evidence.
    pub field: DuplicateField,
    /// What matched and how, quoting the values.
    pub detail: String,
    /// The two contacts it links.
    pub contact_ids: [String; 2],
    /// How sure this reason alone makes it, 0-100.
    pub confidence: u8,
}

/// Contacts that are probably one person, with the merge to propose.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateGroup {
    /// The contacts, the one to keep first.
    pub contacts: Vec<Arc<Contact>>,
    /// Every reason linking two of them.
    pub reasons: Vec<DuplicateReason>,
    /// How sure it is that all are one person: the weakest link needed to
    /// join them, each link combining its reasons.
    pub confidence: u8,
    /// The contact to keep: the oldest (Dex keeps the oldest record of a
    /// merge anyway), then the one with the most fields filled, then the
    /// lowest id.
    pub keep_id: String,
    /// The others, to merge into it.
    pub duplicate_ids: Vec<String>,
}

/// What of a contact's name the comparison uses.
struct NameKey {
    first: String,
    last: String,
    company: Option<CompanyKey>,
}

fn name_key(contact: &Contact) -> Option<NameKey> {
    let parts = contact_name_parts(contact);
    let first = parts.iter().find(|p| p.role == Role::First)?;
    let last = parts.iter().rev().find(|p| p.role == Role::Last)?;
    Some(NameKey {
        first: collapse_umlaut_spelling(&first.folded).into_owned(),
        last: collapse_umlaut_spelling(&last.folded).into_owned(),
        company: contact.company.as_deref().and_then(CompanyKey::new),
    })
}

/// How two name words compare, for a duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordKinship {
    Same,
    Near(WordFit),
    Other,
}

fn kinship(a: &str, b: &str, nicknames: &Nicknames) -> WordKinship {
    if a == b {
        return WordKinship::Same;
    }
    // Most pairs in a block are two people: rule them out without the
    // matcher's full comparison, which allocates.
    if !within_one_edit(a.as_bytes(), b.as_bytes()) && !nicknames.related(a, b) {
        return WordKinship::Other;
    }
    match compare(&QueryWord::new(a, a), b, b, nicknames).map(|m| m.fit) {
        Some(WordFit::Exact | WordFit::Spelling) => WordKinship::Same,
        Some(fit @ (WordFit::Nickname | WordFit::Typo(1))) => WordKinship::Near(fit),
        _ => WordKinship::Other,
    }
}

/// Whether `a` becomes `b` by at most one insertion, deletion,
/// substitution or swap of neighbours: the only typos [`kinship`] counts.
fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let start = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        let rest = start + 1;
        // One substitution, or a swap of the first difference with the next.
        short.get(rest..) == long.get(rest..)
            || (short
                .get(start..start + 2)
                .is_some_and(|s| long.get(start..start + 2) == Some(&[s[1], s[0]][..]))
                && short.get(start + 2..) == long.get(start + 2..))
    } else {
        short[start..] == long[start + 1..]
    }
}

/// Collects the reasons of each pair (by position, lower first).
#[derive(Default)]
struct Evidence {
    pairs: BTreeMap<(u32, u32), Vec<DuplicateReason>>,
}

impl Evidence {
    fn add(
        &mut self,
        contacts: &[Arc<Contact>],
        a: u32,
        b: u32,
        field: DuplicateField,
        detail: String,
        confidence: u8,
    ) {
        if a == b {
            return;
        }
        let (a, b) = (a.min(b), a.max(b));
        let reasons = self.pairs.entry((a, b)).or_default();
        // One reason per kind of evidence and pair: two shared addresses
        // are no surer than one, and repeating them would only bloat.
        if reasons.iter().any(|r| r.field == field) {
            return;
        }
        reasons.push(DuplicateReason {
            field,
            detail,
            contact_ids: [
                contacts[a as usize].id.clone(),
                contacts[b as usize].id.clone(),
            ],
            confidence,
        });
    }

    /// Every pair within each small block of `blocks`, via `judge`.
    fn compare_in_blocks<K>(
        &mut self,
        contacts: &[Arc<Contact>],
        blocks: HashMap<K, Vec<u32>>,
        max: usize,
        mut judge: impl FnMut(&K, u32, u32) -> Option<(DuplicateField, String, u8)>,
    ) {
        for (key, members) in blocks {
            if members.len() < 2 || members.len() > max {
                continue;
            }
            for (i, &a) in members.iter().enumerate() {
                for &b in &members[i + 1..] {
                    if let Some((field, detail, confidence)) = judge(&key, a, b) {
                        self.add(contacts, a, b, field, detail, confidence);
                    }
                }
            }
        }
    }
}

fn push_once(block: &mut Vec<u32>, index: u32) {
    if block.last() != Some(&index) {
        block.push(index);
    }
}

/// Reasons from shared emails, phones and social profiles.
fn identifier_evidence(contacts: &[Arc<Contact>], evidence: &mut Evidence) {
    let mut emails: HashMap<String, Vec<u32>> = HashMap::new();
    let mut phones: HashMap<String, Vec<u32>> = HashMap::new();
    let mut digits_of: Vec<Vec<String>> = Vec::with_capacity(contacts.len());
    let mut profiles: HashMap<SocialProfile, Vec<u32>> = HashMap::new();
    for (i, contact) in contacts.iter().enumerate() {
        let i = i as u32;
        for entry in &contact.emails {
            let folded = EmailAddress::fold(&entry.email);
            if folded.contains('@') {
                push_once(emails.entry(folded).or_default(), i);
            }
        }
        let mut digits = Vec::new();
        for entry in &contact.phones {
            if let Some(significant) = PhoneNumber::significant_digits(&entry.number) {
                let block = &significant[significant.len() - PHONE_BLOCK_DIGITS..];
                push_once(phones.entry(block.to_owned()).or_default(), i);
                digits.push(significant);
            }
        }
        digits_of.push(digits);
        for link in &contact.social_links {
            if let Some(profile) = SocialProfile::from_stored(link.network, &link.url)
                && profile.network().is_some()
            {
                push_once(profiles.entry(profile).or_default(), i);
            }
        }
    }
    evidence.compare_in_blocks(contacts, emails, MAX_SHARED_BY, |address, _, _| {
        Some((
            DuplicateField::Email,
            format!("both have the address {address}"),
            EMAIL_CONFIDENCE,
        ))
    });
    evidence.compare_in_blocks(contacts, phones, MAX_SHARED_BY, |_, a, b| {
        let shared = digits_of[a as usize].iter().find_map(|x| {
            digits_of[b as usize]
                .iter()
                .find(|y| PhoneNumber::compare_stored(x, y) == PhoneMatch::Same)
                .map(|_| x)
        })?;
        let spelled = |i: u32| {
            contacts[i as usize]
                .phones
                .iter()
                .map(|p| p.number.as_str())
                .find(|n| {
                    PhoneNumber::significant_digits(n).is_some_and(|d| {
                        PhoneNumber::compare_stored(&d, shared) == PhoneMatch::Same
                    })
                })
                .unwrap_or_default()
                .to_owned()
        };
        let (x, y) = (spelled(a), spelled(b));
        let detail = if x == y {
            format!("both have the number {x}")
        } else {
            format!("{x} and {y} are one number")
        };
        Some((DuplicateField::Phone, detail, PHONE_CONFIDENCE))
    });
    evidence.compare_in_blocks(contacts, profiles, MAX_SHARED_BY, |profile, _, _| {
        let network = profile.network().map_or("", |n| n.field());
        Some((
            DuplicateField::Social,
            format!("both link the {network} profile {}", profile.handle()),
            SOCIAL_CONFIDENCE,
        ))
    });
}

/// Reasons from names: nearly the same at one employer, or the same where
/// the employers do not disagree.
fn name_evidence(contacts: &[Arc<Contact>], evidence: &mut Evidence) {
    let nicknames = Nicknames::shipped();
    let keys: Vec<Option<NameKey>> = contacts.iter().map(|c| name_key(c)).collect();
    // Within one employer, one of the two name words is the same in any
    // pair worth reporting: block by each.
    let mut by_last: HashMap<(&CompanyKey, &str), Vec<u32>> = HashMap::new();
    let mut by_first: HashMap<(&CompanyKey, &str), Vec<u32>> = HashMap::new();
    let mut by_name: HashMap<(&str, &str), Vec<u32>> = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        let Some(key) = key else { continue };
        let i = i as u32;
        if let Some(company) = &key.company {
            by_last.entry((company, &key.last)).or_default().push(i);
            by_first.entry((company, &key.first)).or_default().push(i);
        }
        by_name.entry((&key.first, &key.last)).or_default().push(i);
    }
    let name_of = |i: u32| contacts[i as usize].full_name.trim().to_owned();
    let company_of = |i: u32| contacts[i as usize].company.clone().unwrap_or_default();
    let at_one_company =
        |_: &(&CompanyKey, &str), a: u32, b: u32| -> Option<(DuplicateField, String, u8)> {
            let (x, y) = (keys[a as usize].as_ref()?, keys[b as usize].as_ref()?);
            let first = kinship(&x.first, &y.first, nicknames);
            let last = kinship(&x.last, &y.last, nicknames);
            let how = match (first, last) {
                (WordKinship::Same, WordKinship::Same) => None,
                (WordKinship::Near(fit), WordKinship::Same)
                | (WordKinship::Same, WordKinship::Near(fit)) => Some(fit),
                _ => return None,
            };
            Some(match how {
                None => (
                    DuplicateField::Name,
                    format!(
                        "same name, {}, at the same company, {}",
                        name_of(a),
                        company_of(a)
                    ),
                    SAME_NAME_SAME_COMPANY,
                ),
                Some(fit) => (
                    DuplicateField::Name,
                    format!(
                        "{} and {} ({}) at the same company, {}",
                        name_of(a),
                        name_of(b),
                        if fit == WordFit::Nickname {
                            "a nickname"
                        } else {
                            "one letter apart"
                        },
                        company_of(a)
                    ),
                    NEAR_NAME_SAME_COMPANY,
                ),
            })
        };
    evidence.compare_in_blocks(contacts, by_last, MAX_NAME_BLOCK, at_one_company);
    evidence.compare_in_blocks(contacts, by_first, MAX_NAME_BLOCK, at_one_company);
    evidence.compare_in_blocks(contacts, by_name, MAX_SHARED_BY, |_, a, b| {
        let (x, y) = (keys[a as usize].as_ref()?, keys[b as usize].as_ref()?);
        match (&x.company, &y.company) {
            // Judged above, at one employer; at two, two people.
            (Some(_), Some(_)) => None,
            _ => Some((
                DuplicateField::Name,
                format!("same name, {}, and at most one has a company", name_of(a)),
                SAME_NAME_ONLY,
            )),
        }
    });
}

/// How sure a pair is, all its reasons together: each independent reason
/// removes part of the remaining doubt; never a certain 100.
fn combined(reasons: &[DuplicateReason]) -> u8 {
    let doubt: f64 = reasons
        .iter()
        .map(|r| 1.0 - f64::from(r.confidence) / 100.0)
        .product();
    ((1.0 - doubt) * 100.0).round().clamp(0.0, 99.0) as u8
}

/// How many fields of `contact` are filled, to prefer the fuller record.
fn filled(contact: &Contact) -> usize {
    [
        &contact.first_name,
        &contact.last_name,
        &contact.job_title,
        &contact.company,
        &contact.description,
        &contact.website,
        &contact.birthday,
    ]
    .iter()
    .filter(|f| f.is_some())
    .count()
        + contact.emails.len()
        + contact.phones.len()
        + contact.social_links.len()
}

/// The groups of probable duplicates among `contacts`, surest first, then
/// larger first, then by the kept contact's id.
pub fn find_duplicates(contacts: &[Arc<Contact>]) -> Vec<DuplicateGroup> {
    let mut evidence = Evidence::default();
    identifier_evidence(contacts, &mut evidence);
    name_evidence(contacts, &mut evidence);
    // Strongest links first: a group's confidence is then the link that
    // joined it last, the weakest one it needs.
    let mut links: Vec<((u32, u32), Vec<DuplicateReason>, u8)> = evidence
        .pairs
        .into_iter()
        .map(|(pair, reasons)| {
            let confidence = combined(&reasons);
            (pair, reasons, confidence)
        })
        .collect();
    links.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let mut parent: Vec<u32> = (0..contacts.len() as u32).collect();
    fn root(parent: &mut [u32], mut i: u32) -> u32 {
        while parent[i as usize] != i {
            parent[i as usize] = parent[parent[i as usize] as usize];
            i = parent[i as usize];
        }
        i
    }
    let mut weakest: HashMap<u32, u8> = HashMap::new();
    for ((a, b), _, confidence) in &links {
        let (ra, rb) = (root(&mut parent, *a), root(&mut parent, *b));
        if ra != rb {
            parent[rb as usize] = ra;
            let joined = [weakest.remove(&ra), weakest.remove(&rb), Some(*confidence)]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(*confidence);
            weakest.insert(ra, joined);
        }
    }
    let mut members: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let mut reasons_of: HashMap<u32, Vec<DuplicateReason>> = HashMap::new();
    for ((a, b), reasons, _) in links {
        let group = root(&mut parent, a);
        for i in [a, b] {
            let list = members.entry(group).or_default();
            if !list.contains(&i) {
                list.push(i);
            }
        }
        reasons_of.entry(group).or_default().extend(reasons);
    }
    let mut groups: Vec<DuplicateGroup> = members
        .into_iter()
        .map(|(group, indexes)| {
            let mut people: Vec<Arc<Contact>> = indexes
                .iter()
                .map(|&i| contacts[i as usize].clone())
                .collect();
            people.sort_by(|x, y| {
                // Undated records after dated ones; RFC 3339 times in one
                // zone order as text.
                (x.created_at.is_none(), &x.created_at)
                    .cmp(&(y.created_at.is_none(), &y.created_at))
                    .then(filled(y).cmp(&filled(x)))
                    .then(x.id.cmp(&y.id))
            });
            let keep_id = people[0].id.clone();
            let duplicate_ids = people[1..].iter().map(|c| c.id.clone()).collect();
            let mut reasons = reasons_of.remove(&group).unwrap_or_default();
            reasons.sort_by(|x, y| y.confidence.cmp(&x.confidence).then(x.field.cmp(&y.field)));
            DuplicateGroup {
                contacts: people,
                reasons,
                confidence: weakest.get(&group).copied().unwrap_or(0),
                keep_id,
                duplicate_ids,
            }
        })
        .collect();
    groups.sort_by(|x, y| {
        y.confidence
            .cmp(&x.confidence)
            .then(y.contacts.len().cmp(&x.contacts.len()))
            .then(x.keep_id.cmp(&y.keep_id))
    });
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EmailEntry, PhoneEntry, SocialLink, SocialNetwork};

    fn person(id: &str, first: &str, last: &str) -> Contact {
        Contact {
            id: id.into(),
            full_name: format!("{first} {last}"),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            ..Contact::default()
        }
    }

    fn email(mut c: Contact, address: &str) -> Contact {
        c.emails.push(EmailEntry {
            email: address.into(),
            label: None,
        });
        c
    }

    fn phone(mut c: Contact, number: &str) -> Contact {
        c.phones.push(PhoneEntry {
            number: number.into(),
            label: None,
        });
        c
    }

    fn at(mut c: Contact, company: &str) -> Contact {
        c.company = Some(company.into());
        c
    }

    fn groups(contacts: Vec<Contact>) -> Vec<DuplicateGroup> {
        let contacts: Vec<Arc<Contact>> = contacts.into_iter().map(Arc::new).collect();
        find_duplicates(&contacts)
    }

    fn only_reason(contacts: Vec<Contact>) -> DuplicateReason {
        let found = groups(contacts);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].reasons.len(), 1, "{found:#?}");
        found[0].reasons[0].clone()
    }

    #[test]
    fn an_address_in_any_case_is_shared() {
        let reason = only_reason(vec![
            email(person("a", "Ada", "Lovelace"), "Ada@Example.com"),
            email(person("b", "Augusta", "King"), " ada@example.com"),
        ]);
        assert_eq!(reason.field, DuplicateField::Email);
        assert_eq!(reason.confidence, EMAIL_CONFIDENCE);
        assert!(
            reason.detail.contains("ada@example.com"),
            "{}",
            reason.detail
        );
    }

    #[test]
    fn a_number_with_and_without_country_code_is_shared() {
        let reason = only_reason(vec![
            phone(person("a", "Ada", "Lovelace"), "+44 20 7946 0958"),
            phone(person("b", "Augusta", "King"), "020 7946 0958"),
        ]);
        assert_eq!(reason.field, DuplicateField::Phone);
        assert!(
            reason.detail.contains("are one number"),
            "{}",
            reason.detail
        );
    }

    #[test]
    fn one_social_profile_written_two_ways_is_shared() {
        let link = |c: Contact, url: &str| Contact {
            social_links: vec![SocialLink {
                network: SocialNetwork::Linkedin,
                url: url.into(),
            }],
            ..c
        };
        let reason = only_reason(vec![
            link(
                person("a", "Ada", "Lovelace"),
                "https://www.linkedin.com/in/ada-l/",
            ),
            link(
                person("b", "Augusta", "King"),
                "linkedin.com/in/Ada-L?trk=x",
            ),
        ]);
        assert_eq!(reason.field, DuplicateField::Social);
        assert!(reason.detail.contains("linkedin"), "{}", reason.detail);
    }

    #[test]
    fn a_nickname_or_a_typo_at_the_same_company_is_a_near_name() {
        let nick = only_reason(vec![
            at(person("a", "Robert", "Smith"), "Acme Inc."),
            at(person("b", "Bob", "Smith"), "ACME"),
        ]);
        assert_eq!(
            (nick.field, nick.confidence),
            (DuplicateField::Name, NEAR_NAME_SAME_COMPANY)
        );
        assert!(nick.detail.contains("nickname"), "{}", nick.detail);
        let typo = only_reason(vec![
            at(person("a", "Katherine", "Johnson"), "NASA"),
            at(person("b", "Katherine", "Jonhson"), "NASA"),
        ]);
        assert!(typo.detail.contains("one letter apart"), "{}", typo.detail);
    }

    #[test]
    fn the_same_name_at_the_same_company_is_stronger_than_without_one() {
        let same = only_reason(vec![
            at(person("a", "José", "Müller"), "Acme"),
            at(person("b", "Jose", "Mueller"), "Acme GmbH"),
        ]);
        assert_eq!(same.confidence, SAME_NAME_SAME_COMPANY);
        let one_company = only_reason(vec![
            at(person("a", "Ada", "Lovelace"), "Acme"),
            person("b", "Ada", "Lovelace"),
        ]);
        assert_eq!(one_company.confidence, SAME_NAME_ONLY);
    }

    #[test]
    fn one_edit_is_an_insertion_a_deletion_a_substitution_or_a_swap() {
        for (a, b) in [
            ("smith", "smyth"),
            ("smith", "smiht"),
            ("smith", "smitth"),
            ("smith", "mith"),
        ] {
            assert!(within_one_edit(a.as_bytes(), b.as_bytes()), "{a} {b}");
            assert!(within_one_edit(b.as_bytes(), a.as_bytes()), "{b} {a}");
        }
        for (a, b) in [
            ("smith", "smyht"),
            ("smith", "smithers"),
            ("smith", "msiht"),
        ] {
            assert!(!within_one_edit(a.as_bytes(), b.as_bytes()), "{a} {b}");
        }
    }

    #[test]
    fn different_people_are_not_grouped() {
        assert!(
            groups(vec![
                // The same name at two employers.
                at(person("a", "John", "Smith"), "Acme"),
                at(person("b", "John", "Smith"), "Globex"),
                // A near name without a shared employer.
                person("c", "Bob", "Jones"),
                person("d", "Robert", "Jones"),
                // Different first names at one employer.
                at(person("e", "Tom", "Brown"), "Acme"),
                at(person("f", "Tim", "Brown"), "Acme"),
            ])
            .is_empty()
        );
    }

    #[test]
    fn an_identifier_many_contacts_share_is_no_evidence() {
        let office: Vec<Contact> = (0..=MAX_SHARED_BY)
            .map(|i| {
                phone(
                    person(&format!("c{i}"), &format!("P{i}x"), "Q"),
                    "+1 415 555 0100",
                )
            })
            .collect();
        assert!(groups(office).is_empty());
    }

    #[test]
    fn pairs_join_into_one_group_that_keeps_the_oldest_and_combines_reasons() {
        let mut old = email(
            at(person("z-old", "Robert", "Smith"), "Acme"),
            "bob@acme.com",
        );
        old.created_at = Some("2020-01-01T00:00:00Z".into());
        let mut newer = phone(
            email(at(person("a-new", "Bob", "Smith"), "Acme"), "bob@acme.com"),
            "+1 415 555 0199",
        );
        newer.created_at = Some("2024-01-01T00:00:00Z".into());
        let undated = phone(person("m", "Rob", "Smythe"), "(415) 555-0199");
        let found = groups(vec![newer, undated, old]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let group = &found[0];
        assert_eq!(group.keep_id, "z-old");
        assert_eq!(group.duplicate_ids, ["a-new", "m"]);
        // The email-and-name pair is surer than either reason; the group is
        // as sure as its weakest needed link, the phone.
        assert_eq!(group.confidence, PHONE_CONFIDENCE);
        assert_eq!(group.reasons.len(), 3);
        assert!(combined(&group.reasons[..1]) < combined(&group.reasons));
    }

    /// 10,000 contacts at 40 employers with 300 family names (so name
    /// blocks are crowded) and 100 planted copies: every copy is found, and
    /// nothing else is, in one pass (its time is printed; the criterion
    /// bench `find_duplicates_10k` measures the simulator's account).
    #[test]
    fn ten_thousand_contacts_group_the_planted_copies_only() {
        // Given names three letters apart or more, none a nickname.
        let syllables = ["bor", "kal", "mit", "sun", "ved", "zap"];
        let given = |n: usize| format!("{}{}", syllables[n / 6], syllables[n % 6]);
        let sounds = ["dor", "fen", "gul", "hix", "jow", "lup", "rak"];
        let family = |n: usize| format!("{}{}{}", sounds[n / 49], sounds[n / 7 % 7], sounds[n % 7]);
        let mut contacts: Vec<Contact> = (0..9_900)
            .map(|i| {
                let c = at(
                    person(&format!("c{i:05}"), &given(i / 300), &family(i % 300)),
                    &format!("Employer {}", i % 40),
                );
                email(c, &format!("p{i}@example.com"))
            })
            .collect();
        for k in 0..100 {
            let mut copy = contacts[k * 97].clone();
            copy.id = format!("copy{k:03}");
            copy.emails[0].email = copy.emails[0].email.to_uppercase();
            copy.company = None;
            contacts.push(copy);
        }
        let started = std::time::Instant::now();
        let found = groups(contacts);
        eprintln!(
            "find_duplicates over 10,000 contacts: {:?}",
            started.elapsed()
        );
        assert_eq!(found.len(), 100, "{:#?}", &found[..found.len().min(3)]);
        assert!(
            found
                .iter()
                .all(|g| g.contacts.len() == 2 && g.duplicate_ids[0].starts_with("copy"))
        );
    }
}
