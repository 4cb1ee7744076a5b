//! A match as the tool reports it, and the short sentences that explain it.

use std::sync::Arc;

use super::company::CompanyFit;
use super::identifiers::IdentifierHit;
use super::name_parts::{NamePart, Role, spelled_in_contact};
use super::name_score::{Coverage, NameVerdict};
use super::token_match::{QueryWord, WordFit};
use crate::model::{Contact, SocialNetwork};

/// One contact that fits a query, with how well and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    /// The contact, shared with the snapshot it came from.
    pub contact: Arc<Contact>,
    /// 0-100; 100 only for an exact identifier.
    pub confidence: u8,
    /// The contact fields that matched, each once, in the order the
    /// evidence was found.
    pub matched_fields: Vec<MatchedField>,
    /// Why it matched, one short sentence each.
    pub reasons: Vec<String>,
}

/// A field of a contact that a query matched (`matched-field` in
/// `wit/contacts.wit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedField {
    /// One of the contact's email addresses.
    Email,
    /// One of the contact's phone numbers.
    Phone,
    /// One of the contact's social profile links.
    SocialLinks,
    /// The contact's website.
    Website,
    /// The first name.
    FirstName,
    /// The last name.
    LastName,
    /// Another part of the full name (a middle name).
    FullName,
    /// The employer.
    Company,
}

/// Everything the matcher found out about one contact, kept as data until
/// the contact makes the cut, so that sentences are only written for the
/// few matches returned.
#[derive(Debug, Clone, Default)]
pub(crate) struct Evidence {
    pub identifiers: Vec<IdentifierHit>,
    pub name: Option<NameVerdict>,
    /// A name was asked for and this contact's name does not fit it.
    pub name_differs: bool,
    pub company: Option<CompanyFit>,
    /// The company asked for, as typed.
    pub company_asked: Option<String>,
}

/// Writes the fields and reasons of `evidence` for `contact`.
pub(crate) fn explain(
    contact: Arc<Contact>,
    confidence: u8,
    evidence: &Evidence,
    words: &[QueryWord],
    parts: &[NamePart],
) -> Scored {
    let mut fields: Vec<MatchedField> = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    for hit in &evidence.identifiers {
        match hit {
            IdentifierHit::Email(address) => {
                add_field(&mut fields, MatchedField::Email);
                reasons.push(format!("email {address} matches exactly"));
            }
            IdentifierHit::Phone => {
                add_field(&mut fields, MatchedField::Phone);
                reasons.push("phone number matches (formatting and country code ignored)".into());
            }
            IdentifierHit::PhoneSuffix { digits } => {
                add_field(&mut fields, MatchedField::Phone);
                reasons.push(format!(
                    "phone number ends with the same {digits} digits (no area code was given)"
                ));
            }
            IdentifierHit::Social(network) => {
                add_field(&mut fields, MatchedField::SocialLinks);
                reasons.push(format!("{} profile matches", network_name(*network)));
            }
            IdentifierHit::Handle(network) => {
                add_field(&mut fields, MatchedField::SocialLinks);
                reasons.push(format!(
                    "handle matches their {} profile (no network was given)",
                    network_name(*network)
                ));
            }
            IdentifierHit::Website => {
                add_field(&mut fields, MatchedField::Website);
                reasons.push("website matches".into());
            }
        }
    }
    if let Some(verdict) = &evidence.name {
        name_reasons(&contact, verdict, words, parts, &mut fields, &mut reasons);
    } else if evidence.name_differs {
        reasons.push("the name given does not match this contact".into());
    }
    if let Some(fit) = evidence.company {
        let asked = evidence.company_asked.as_deref().unwrap_or("");
        let theirs = contact.company.as_deref().unwrap_or("");
        match fit {
            CompanyFit::Same => {
                add_field(&mut fields, MatchedField::Company);
                reasons.push(format!("company matches ({theirs})"));
            }
            CompanyFit::Part => {
                add_field(&mut fields, MatchedField::Company);
                reasons.push(format!("company matches in part ({asked} ~ {theirs})"));
            }
            CompanyFit::Close => {
                add_field(&mut fields, MatchedField::Company);
                reasons.push(format!(
                    "company is spelled almost the same ({asked} ~ {theirs})"
                ));
            }
            CompanyFit::Different => {
                reasons.push(format!("works at {theirs}, not {asked}"));
            }
        }
    }
    Scored {
        contact,
        confidence,
        matched_fields: fields,
        reasons,
    }
}

fn name_reasons(
    contact: &Contact,
    verdict: &NameVerdict,
    words: &[QueryWord],
    parts: &[NamePart],
    fields: &mut Vec<MatchedField>,
    reasons: &mut Vec<String>,
) {
    let all_exact = verdict
        .pairings
        .iter()
        .all(|p| matches!(p.fit, WordFit::Exact | WordFit::Spelling));
    for pairing in &verdict.pairings {
        let part = &parts[pairing.part];
        let field_name = match part.role {
            Role::First => MatchedField::FirstName,
            Role::Last => MatchedField::LastName,
            Role::Middle => MatchedField::FullName,
        };
        add_field(fields, field_name);
    }
    if verdict.coverage == Coverage::Full && all_exact && verdict.unmatched.is_empty() {
        reasons.push("full name matches exactly".into());
    }
    for pairing in &verdict.pairings {
        let part = &parts[pairing.part];
        let typed = words[pairing.word].typed.trim_end_matches('.');
        let theirs = spelled_in_contact(contact, &part.folded);
        let which = match part.role {
            Role::First => "first name",
            Role::Last => "last name",
            Role::Middle => "middle name",
        };
        let sentence = match pairing.fit {
            WordFit::Exact if typed.to_lowercase() != theirs.to_lowercase() => {
                format!("accents ignored: {typed} = {theirs}")
            }
            WordFit::Exact if all_exact && verdict.coverage == Coverage::Full => continue,
            WordFit::Exact => format!("{which} {theirs} matches"),
            WordFit::Spelling => format!("spelling {typed} -> {theirs}"),
            WordFit::Nickname => format!("nickname {typed} -> {theirs}"),
            WordFit::Prefix => format!("partial {which} {typed} -> {theirs}"),
            WordFit::Typo(1) => format!("1 typo in {which} ({typed} -> {theirs})"),
            WordFit::Typo(n) => format!("{n} typos in {which} ({typed} -> {theirs})"),
            WordFit::Initial => format!("initial {typed}. -> {theirs}"),
        };
        reasons.push(sentence);
    }
    if verdict.swapped {
        reasons.push("first and last name swapped".into());
    }
    match verdict.coverage {
        Coverage::FirstOnly => reasons.push("only the first name was given".into()),
        Coverage::LastOnly => reasons.push("only the last name was given".into()),
        Coverage::MiddleOnly => reasons.push("only a middle name matches".into()),
        Coverage::Full | Coverage::MostOf => {}
    }
    for &w in &verdict.unmatched {
        reasons.push(format!(
            "\"{}\" is not in this contact's name",
            words[w].typed
        ));
    }
}

/// Records that `field` matched, once.
fn add_field(fields: &mut Vec<MatchedField>, field: MatchedField) {
    if !fields.contains(&field) {
        fields.push(field);
    }
}

/// The network's name as people write it.
fn network_name(network: SocialNetwork) -> &'static str {
    match network {
        SocialNetwork::Linkedin => "LinkedIn",
        SocialNetwork::Twitter => "Twitter/X",
        SocialNetwork::Facebook => "Facebook",
        SocialNetwork::Instagram => "Instagram",
        SocialNetwork::Telegram => "Telegram",
        SocialNetwork::Tiktok => "TikTok",
        SocialNetwork::Youtube => "YouTube",
    }
}
