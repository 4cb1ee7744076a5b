//! [`ContactMatcher`]: every contact of a snapshot prepared once, so that
//! each query only compares against what could match.

use std::collections::HashMap;
use std::sync::Arc;

use super::company::{CompanyFit, CompanyKey, compare as compare_company};
use super::fold::collapse_umlaut_spelling;
use super::identifiers::{IdentifierHit, IdentifierIndex};
use super::name_parts::{NamePart, Role, contact_name_parts};
use super::name_score::{NameVerdict, score_name};
use super::nicknames::Nicknames;
use super::query::{MAX_LIMIT, MatchQuery};
use super::scored::{Evidence, Scored, explain};
use super::token_match::{QueryWord, WordFit, WordMatch, compare};
use crate::model::Contact;

/// One distinct folded name word across all contacts.
#[derive(Debug)]
struct Word {
    folded: String,
    collapsed: String,
    /// The contacts whose name has this word.
    contacts: Vec<u32>,
}

/// One distinct employer across all contacts.
#[derive(Debug)]
struct Company {
    key: CompanyKey,
    contacts: Vec<u32>,
}

/// A contact's name as word ids with roles.
#[derive(Debug, Default)]
struct NameEntry {
    words: Vec<u32>,
    roles: Vec<Role>,
}

/// Finds contacts by name, identifier and company in a snapshot.
///
/// Built once per snapshot ([`ContactMatcher::new`]) and then queried many
/// times ([`ContactMatcher::find`]). Building folds every name and
/// indexes every identifier; a query then compares its words with the
/// distinct name words of the account (a few thousand even for large
/// accounts) instead of with every contact, and scores only the contacts
/// that share a fitting word.
#[derive(Debug)]
pub struct ContactMatcher {
    contacts: Vec<Arc<Contact>>,
    names: Vec<NameEntry>,
    words: Vec<Word>,
    companies: Vec<Company>,
    company_of: Vec<Option<u32>>,
    identifiers: IdentifierIndex,
    nicknames: &'static Nicknames,
}

/// Confidence of a company-only match, by fit: a list of the people at a
/// company is a weak answer to "who is it".
fn company_only_confidence(fit: CompanyFit) -> Option<u8> {
    match fit {
        CompanyFit::Same => Some(60),
        CompanyFit::Part => Some(55),
        CompanyFit::Close => Some(50),
        CompanyFit::Different => None,
    }
}

impl ContactMatcher {
    /// Prepares `contacts` for matching; the contacts are shared, not
    /// copied.
    pub fn new(contacts: &[Arc<Contact>]) -> Self {
        let mut word_ids: HashMap<String, u32> = HashMap::new();
        let mut words: Vec<Word> = Vec::new();
        let mut company_ids: HashMap<CompanyKey, u32> = HashMap::new();
        let mut companies: Vec<Company> = Vec::new();
        let mut names = Vec::with_capacity(contacts.len());
        let mut company_of = Vec::with_capacity(contacts.len());
        let mut identifiers = IdentifierIndex::default();
        for (index, contact) in contacts.iter().enumerate() {
            let index = index as u32;
            let mut entry = NameEntry::default();
            for NamePart { folded, role } in contact_name_parts(contact) {
                let id = *word_ids.entry(folded.clone()).or_insert_with(|| {
                    words.push(Word {
                        collapsed: collapse_umlaut_spelling(&folded).into_owned(),
                        folded,
                        contacts: Vec::new(),
                    });
                    (words.len() - 1) as u32
                });
                words[id as usize].contacts.push(index);
                entry.words.push(id);
                entry.roles.push(role);
            }
            names.push(entry);
            let company = contact
                .company
                .as_deref()
                .and_then(CompanyKey::new)
                .map(|key| {
                    let id = *company_ids.entry(key.clone()).or_insert_with(|| {
                        companies.push(Company {
                            key,
                            contacts: Vec::new(),
                        });
                        (companies.len() - 1) as u32
                    });
                    companies[id as usize].contacts.push(index);
                    id
                });
            company_of.push(company);
            identifiers.add(index, contact);
        }
        Self {
            contacts: contacts.to_vec(),
            names,
            words,
            companies,
            company_of,
            identifiers,
            nicknames: Nicknames::shipped(),
        }
    }

    /// How many contacts the matcher holds.
    pub fn len(&self) -> usize {
        self.contacts.len()
    }

    /// Whether the matcher holds no contact.
    pub fn is_empty(&self) -> bool {
        self.contacts.is_empty()
    }

    /// The contacts that fit `query`, best first: at most `query.limit`,
    /// none below `query.min_confidence`. Ties are broken by a finer
    /// similarity, then starred contacts first, then by id, so the order
    /// is stable.
    pub fn find(&self, query: &MatchQuery) -> Vec<Scored> {
        let (words, company) = query.name_and_company();
        let company_key = company.as_deref().and_then(CompanyKey::new);
        let mut evidence: HashMap<u32, Evidence> = HashMap::new();

        let mut hits: Vec<(u32, IdentifierHit)> = Vec::new();
        if let Some(email) = &query.email {
            hits.extend(self.identifiers.by_email(email));
        }
        if let Some(phone) = &query.phone {
            hits.extend(self.identifiers.by_phone(phone));
        }
        if let Some(profile) = &query.social {
            hits.extend(self.identifiers.by_profile(profile));
        }
        for (contact, hit) in hits {
            evidence.entry(contact).or_default().identifiers.push(hit);
        }

        let word_fits: Vec<HashMap<u32, WordMatch>> =
            words.iter().map(|w| self.fits_of(w)).collect();
        for fits in &word_fits {
            for &word in fits.keys() {
                for &contact in &self.words[word as usize].contacts {
                    evidence.entry(contact).or_default();
                }
            }
        }

        let company_fits: Vec<CompanyFit> = match &company_key {
            Some(key) => self
                .companies
                .iter()
                .map(|c| compare_company(key, &c.key))
                .collect(),
            None => Vec::new(),
        };
        let name_given = !words.is_empty();
        if !name_given && query.email.is_none() && query.phone.is_none() && query.social.is_none() {
            for (company, fit) in self.companies.iter().zip(&company_fits) {
                if fit.supports() {
                    for &contact in &company.contacts {
                        evidence.entry(contact).or_default();
                    }
                }
            }
        }

        let mut ranked: Vec<(u8, f32, u32, Evidence)> = Vec::with_capacity(evidence.len());
        for (contact, mut ev) in evidence {
            let verdict = if name_given {
                self.score_contact_name(contact, &words, &word_fits)
            } else {
                None
            };
            ev.name_differs = name_given && verdict.is_none();
            ev.company = company_key.as_ref().and_then(|_| {
                self.company_of[contact as usize].map(|id| company_fits[id as usize])
            });
            ev.company_asked = company.clone();
            let (confidence, similarity) = combine(&ev, verdict.as_ref(), name_given);
            ev.name = verdict;
            if confidence > 0 && confidence >= query.min_confidence {
                ranked.push((confidence, similarity, contact, ev));
            }
        }
        ranked.sort_by(|a, b| {
            b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then_with(|| {
                let (ca, cb) = (&self.contacts[a.2 as usize], &self.contacts[b.2 as usize]);
                cb.starred.cmp(&ca.starred).then_with(|| ca.id.cmp(&cb.id))
            })
        });
        ranked.truncate(query.limit.clamp(1, MAX_LIMIT));
        ranked
            .into_iter()
            .map(|(confidence, _, contact, ev)| {
                let parts = self.parts_of(contact);
                explain(
                    Arc::clone(&self.contacts[contact as usize]),
                    confidence,
                    &ev,
                    &words,
                    &parts,
                )
            })
            .collect()
    }

    /// The name words of the account that the typed word `word` fits.
    /// Initials fit by first letter when scoring and are not looked up here:
    /// a lone letter would make half the account a candidate.
    fn fits_of(&self, word: &QueryWord) -> HashMap<u32, WordMatch> {
        let mut fits = HashMap::new();
        if word.is_initial() {
            return fits;
        }
        for (id, stored) in self.words.iter().enumerate() {
            if let Some(m) = compare(word, &stored.folded, &stored.collapsed, self.nicknames) {
                fits.insert(id as u32, m);
            }
        }
        fits
    }

    fn score_contact_name(
        &self,
        contact: u32,
        words: &[QueryWord],
        word_fits: &[HashMap<u32, WordMatch>],
    ) -> Option<NameVerdict> {
        let entry = &self.names[contact as usize];
        score_name(words.len(), &entry.roles, |w, p| {
            let stored = entry.words[p];
            if words[w].is_initial() {
                let letter = words[w].folded.as_bytes()[0];
                return (self.words[stored as usize].folded.as_bytes().first() == Some(&letter))
                    .then_some(WordMatch {
                        fit: WordFit::Initial,
                        similarity: 0.5,
                    });
            }
            word_fits[w].get(&stored).copied()
        })
    }

    fn parts_of(&self, contact: u32) -> Vec<NamePart> {
        let entry = &self.names[contact as usize];
        entry
            .words
            .iter()
            .zip(&entry.roles)
            .map(|(id, role)| NamePart {
                folded: self.words[*id as usize].folded.clone(),
                role: *role,
            })
            .collect()
    }
}

/// Company evidence moves a name match by this much when only part of
/// the name was given ("Sarah from Google"): it is then what tells two
/// Sarahs apart.
const COMPANY_WEIGHT_PARTIAL: i32 = 12;
/// ...and by this much when the whole name was given.
const COMPANY_WEIGHT_FULL: i32 = 4;

/// The confidence and tie-break similarity of one contact from its
/// evidence. An exact identifier decides alone; otherwise the name, moved
/// by the company; otherwise the company alone.
fn combine(ev: &Evidence, name: Option<&NameVerdict>, name_given: bool) -> (u8, f32) {
    let identifier = ev.identifiers.iter().map(|h| h.confidence()).max();
    let company_shift = |whole_name: bool| -> i32 {
        let weight = if whole_name {
            COMPANY_WEIGHT_FULL
        } else {
            COMPANY_WEIGHT_PARTIAL
        };
        match ev.company {
            Some(CompanyFit::Same | CompanyFit::Part) => weight,
            Some(CompanyFit::Close) => weight / 2,
            Some(CompanyFit::Different) => -weight,
            None => 0,
        }
    };
    let by_name = name.map(|v| {
        let shifted = i32::from(v.confidence) + company_shift(v.coverage.is_whole_name());
        (shifted.clamp(1, 99) as u8, v.similarity)
    });
    let by_company = if name_given {
        None
    } else {
        ev.company
            .and_then(company_only_confidence)
            .map(|c| (c, 0.0))
    };
    let best_other = by_name.or(by_company);
    match (identifier, best_other) {
        (Some(id), Some((other, similarity))) => (id.max(other), similarity + 1.0),
        (Some(id), None) => (id, 0.0),
        (None, Some(other)) => other,
        (None, None) => (0, 0.0),
    }
}
