//! The `contacts` interface (`wit/contacts.wit`). `find-contact`: from a
//! description of a person to ranked contacts.
//!
//! This adapter validates the arguments into a [`MatchQuery`], picks the
//! cheapest way to answer (Dex's own email search when only an email is
//! given and no snapshot is at hand, the in-memory matcher otherwise) and
//! writes the summary. Matching itself lives in [`crate::matching`].
//! `find-duplicates` (its own module) groups the contacts that are probably
//! one person, from the same normalisations.

mod find_duplicates;

use crate::dex::ListKind;
use crate::matching::{
    ContactDirectory, DEFAULT_LIMIT, DEFAULT_MIN_CONFIDENCE, MAX_LIMIT, MatchQuery, MatchedField,
    Scored,
};
use crate::model::{Contact, EmailAddress, Pasted, PhoneNumber, SocialProfile, ToolError};
use crate::snapshot::Needs;

/// The arguments of `find-contact`, as the assistant sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindContactArgs {
    /// A name, possibly misspelled, partial or a nickname.
    pub name: Option<String>,
    /// An email address.
    pub email: Option<String>,
    /// A phone number.
    pub phone: Option<String>,
    /// A social profile link or handle.
    pub social_url: Option<String>,
    /// An employer.
    pub company: Option<String>,
    /// Most matches to return (default 5, at most 50).
    pub limit: Option<u32>,
    /// Least confidence to return (default 50).
    pub min_confidence: Option<u8>,
}

/// One candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactMatch {
    /// The contact.
    pub contact: Contact,
    /// 0-100; 100 only for an exact identifier.
    pub confidence: u8,
    /// Fields that matched.
    pub matched_fields: Vec<MatchedField>,
    /// Why, one short sentence each.
    pub reasons: Vec<String>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactMatches {
    /// Best first.
    pub matches: Vec<ContactMatch>,
    /// One sentence for the assistant.
    pub summary: String,
}

pub use find_duplicates::{
    DuplicatesFound, FIND_DUPLICATES_NEEDS, FindDuplicatesArgs, find_duplicates,
};

/// What `find-contact`'s answer is built from (contacts, with their emails
/// and phones), so that it says it may miss something only when a part it
/// uses was not read whole; `find-duplicates` uses the same.
pub const FIND_CONTACT_NEEDS: Needs = Needs {
    lists: &[ListKind::Contacts],
    links: &[ListKind::Contacts],
};

/// Finds the contacts that fit `args` among those of `directory`.
pub fn find_contact(
    directory: &dyn ContactDirectory,
    args: &FindContactArgs,
) -> Result<ContactMatches, ToolError> {
    let (query, ignored) = validate(args)?;
    let email_only = query.email.is_some()
        && query.name.is_none()
        && query.phone.is_none()
        && query.social.is_none()
        && query.company.is_none();
    let mut matches: Vec<ContactMatch> = match &query.email {
        Some(email) if email_only && !directory.has_snapshot() => directory
            .find_by_email(email)?
            .into_iter()
            .take(query.limit)
            .map(|contact| ContactMatch {
                contact,
                confidence: 100,
                matched_fields: vec![MatchedField::Email],
                reasons: vec![format!("email {email} matches exactly")],
            })
            .collect(),
        _ => directory
            .matcher()?
            .find(&query)
            .into_iter()
            .map(into_match)
            .collect(),
    };
    // What was dropped from a pasted email or number belongs to every
    // match: each was found by the cleaned-up value, not the text typed.
    for found in &mut matches {
        found.reasons.extend(ignored.iter().cloned());
    }
    let summary = summarize(&matches, &query);
    Ok(ContactMatches { matches, summary })
}

/// Turns the arguments into a query, with what was ignored of a pasted
/// email or phone number, or names the argument at fault.
fn validate(args: &FindContactArgs) -> Result<(MatchQuery, Vec<String>), ToolError> {
    let given = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let mut ignored = Vec::new();
    let email = given(&args.email)
        .map(|e| EmailAddress::parse_pasted("email", &e))
        .transpose()?
        .map(|pasted| kept(pasted, &mut ignored));
    let phone = given(&args.phone)
        .map(|p| PhoneNumber::parse_pasted("phone", &p))
        .transpose()?
        .map(|pasted| kept(pasted, &mut ignored));
    let query = MatchQuery {
        name: given(&args.name),
        email,
        phone,
        social: given(&args.social_url)
            .map(|s| SocialProfile::parse("social_url", &s))
            .transpose()?,
        company: given(&args.company),
        limit: match args.limit {
            None => DEFAULT_LIMIT,
            Some(0) => {
                return Err(ToolError::validation(
                    "limit",
                    format!(
                        "limit is 0; pass 1 to {MAX_LIMIT}, or leave it out for {DEFAULT_LIMIT}"
                    ),
                ));
            }
            // More than the maximum is a wish for "all of them": give the
            // most we give rather than fail the call.
            Some(n) => (n as usize).min(MAX_LIMIT),
        },
        min_confidence: match args.min_confidence {
            None => DEFAULT_MIN_CONFIDENCE,
            Some(c) if c > 100 => {
                return Err(ToolError::validation(
                    "min_confidence",
                    format!(
                        "min_confidence is {c}; confidences run from 0 to 100 (default {DEFAULT_MIN_CONFIDENCE})"
                    ),
                ));
            }
            Some(c) => c,
        },
    };
    if !query.has_criteria() {
        return Err(ToolError::validation(
            "name",
            "find_contact needs at least one of `name`, `email`, `phone`, `social_url` or `company`",
        ));
    }
    Ok((query, ignored))
}

/// The identifier of `pasted`, its ignored parts added to `ignored`.
fn kept<T>(pasted: Pasted<T>, ignored: &mut Vec<String>) -> T {
    ignored.extend(pasted.ignored);
    pasted.value
}

fn into_match(scored: Scored) -> ContactMatch {
    ContactMatch {
        // The answer leaves the guest as owned WIT values: the one copy of
        // a contact happens here, for the few contacts returned.
        contact: Contact::clone(&scored.contact),
        confidence: scored.confidence,
        matched_fields: scored.matched_fields,
        reasons: scored.reasons,
    }
}

/// One sentence on what was found, and what to do when it is ambiguous or
/// empty.
fn summarize(matches: &[ContactMatch], query: &MatchQuery) -> String {
    let name = |m: &ContactMatch| {
        if m.contact.full_name.is_empty() {
            format!("contact {}", m.contact.id)
        } else {
            m.contact.full_name.clone()
        }
    };
    match matches {
        [] if query.name.is_none()
            && query.phone.is_none()
            && query.social.is_none()
            && query.company.is_none() =>
        {
            match &query.email {
                Some(email) => {
                    format!("No contact has the email {email}; try the person's name instead.")
                }
                None => "No contact matches.".to_owned(),
            }
        }
        [] => format!(
            "No contact matches with confidence {} or more; try another spelling, add the company, or lower min_confidence.",
            query.min_confidence
        ),
        [one] => format!("One match: {} (confidence {}).", name(one), one.confidence),
        [first, second, ..] if first.confidence == second.confidence => {
            let tied = matches
                .iter()
                .filter(|m| m.confidence == first.confidence)
                .count();
            format!(
                "{tied} contacts match equally well (confidence {}), e.g. {} and {}; ask the user which one is meant, or narrow by company or email.",
                first.confidence,
                name(first),
                name(second)
            )
        }
        [first, ..] => format!(
            "{} matches; best: {} (confidence {}).",
            matches.len(),
            name(first),
            first.confidence
        ),
    }
}

/// The `contacts` export: WIT values into [`FindContactArgs`] and out of
/// [`ContactMatches`]; compiled for the component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use crate::component::Component;
    use crate::component::bindings::dex::crm::types as wit;
    use crate::component::bindings::exports::dex::crm::contacts;
    use crate::component::convert::{contact, tool_error};
    use crate::component::state::{account, cached_account};
    use crate::component::transport::WasiHttp;
    use crate::dex;
    use std::cell::RefCell;
    use std::rc::Rc;

    use crate::account::{Account, AccountDirectory};
    use crate::matching::{DuplicateField, DuplicateGroup, MatchedField};
    use crate::settings::Settings;

    impl contacts::Guest for Component {
        fn find_contact(
            name: Option<String>,
            email: Option<String>,
            phone: Option<String>,
            social_url: Option<String>,
            company: Option<String>,
            limit: Option<u32>,
            min_confidence: Option<u8>,
        ) -> Result<contacts::ContactMatches, wit::ToolError> {
            let args = super::FindContactArgs {
                name,
                email,
                phone,
                social_url,
                company,
                limit,
                min_confidence,
            };
            let settings = Settings::from_env().map_err(tool_error)?;
            let read = || account(&settings);
            let directory = AccountDirectory::new(
                cached_account(&settings),
                &read,
                dex::contact_repository(&settings, WasiHttp),
            );
            let found = super::find_contact(&directory, &args).map_err(tool_error)?;
            let incomplete_reason = directory.incomplete_reason(&super::FIND_CONTACT_NEEDS);
            Ok(contacts::ContactMatches {
                matches: found
                    .matches
                    .into_iter()
                    .map(|m| contacts::ContactMatch {
                        contact: contact(m.contact),
                        confidence: m.confidence,
                        matched_fields: m.matched_fields.into_iter().map(matched_field).collect(),
                        reasons: m.reasons,
                    })
                    .collect(),
                summary: found.summary,
                incomplete_reason,
            })
        }

        fn find_duplicates(
            min_confidence: Option<u8>,
            limit: Option<u32>,
            cursor: Option<String>,
        ) -> Result<contacts::DuplicateGroups, wit::ToolError> {
            Component::find_duplicates_export(min_confidence, limit, cursor)
        }
    }

    impl Component {
        /// `find-duplicates`, called by the `contacts::Guest` impl above.
        fn find_duplicates_export(
            min_confidence: Option<u8>,
            limit: Option<u32>,
            cursor: Option<String>,
        ) -> Result<contacts::DuplicateGroups, wit::ToolError> {
            let settings =
                Settings::from_env_on_v1(super::FIND_DUPLICATES_NEEDS).map_err(tool_error)?;
            let args = super::FindDuplicatesArgs {
                min_confidence,
                limit,
                cursor,
            };
            let read: RefCell<Option<Rc<Account>>> = RefCell::new(None);
            let found = super::find_duplicates(
                &|| {
                    let account = account(&settings)?;
                    read.replace(Some(account.clone()));
                    Ok(account)
                },
                &args,
            )
            .map_err(tool_error)?;
            let incomplete_reason = read
                .take()
                .and_then(|a| a.snapshot.incomplete_reason(&super::FIND_CONTACT_NEEDS));
            let groups = found.groups;
            Ok(contacts::DuplicateGroups {
                total: u32::try_from(groups.total).unwrap_or(u32::MAX),
                next_cursor: groups.next_cursor,
                groups: groups.items.into_iter().map(duplicate_group).collect(),
                summary: found.summary,
                incomplete_reason,
            })
        }
    }

    fn duplicate_group(group: DuplicateGroup) -> contacts::DuplicateGroup {
        contacts::DuplicateGroup {
            contacts: group
                .contacts
                .iter()
                .map(|c| contacts::DuplicateCandidate {
                    id: c.id.clone(),
                    full_name: c.full_name.clone(),
                    company: c.company.clone(),
                    emails: c.emails.iter().map(|e| e.email.clone()).collect(),
                    phones: c.phones.iter().map(|p| p.number.clone()).collect(),
                    created_at: c.created_at.as_ref().map(String::from),
                })
                .collect(),
            reasons: group
                .reasons
                .into_iter()
                .map(|r| contacts::DuplicateReason {
                    field: match r.field {
                        DuplicateField::Email => contacts::DuplicateField::Email,
                        DuplicateField::Phone => contacts::DuplicateField::Phone,
                        DuplicateField::Social => contacts::DuplicateField::Social,
                        DuplicateField::Name => contacts::DuplicateField::Name,
                    },
                    detail: r.detail,
                    contact_ids: r.contact_ids.to_vec(),
                    confidence: r.confidence,
                })
                .collect(),
            confidence: group.confidence,
            keep_id: group.keep_id,
            duplicate_ids: group.duplicate_ids,
        }
    }

    fn matched_field(field: MatchedField) -> contacts::MatchedField {
        use contacts::MatchedField as W;
        match field {
            MatchedField::Email => W::Email,
            MatchedField::Phone => W::Phone,
            MatchedField::SocialLinks => W::SocialLinks,
            MatchedField::Website => W::Website,
            MatchedField::FirstName => W::FirstName,
            MatchedField::LastName => W::LastName,
            MatchedField::FullName => W::FullName,
            MatchedField::Company => W::Company,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::sync::Arc;

    use super::*;
    use crate::model::{EmailEntry, ErrorKind};

    /// A directory over fixed contacts that records which path was taken.
    struct Fixed {
        contacts: Arc<[Arc<Contact>]>,
        snapshot: bool,
        listed: Cell<bool>,
        searched: Cell<bool>,
    }

    impl Fixed {
        fn new(snapshot: bool) -> Self {
            let ada = Contact {
                id: "ada".into(),
                full_name: "Ada Lovelace".into(),
                first_name: Some("Ada".into()),
                last_name: Some("Lovelace".into()),
                emails: vec![EmailEntry {
                    email: "ada@example.org".into(),
                    label: None,
                }],
                ..Contact::default()
            };
            let bob = Contact {
                id: "bob".into(),
                full_name: "Robert Smith".into(),
                first_name: Some("Robert".into()),
                last_name: Some("Smith".into()),
                company: Some("Acme".into()),
                ..Contact::default()
            };
            let bob2 = Contact {
                id: "bob2".into(),
                company: Some("Globex".into()),
                ..bob.clone()
            };
            Self {
                contacts: vec![Arc::new(ada), Arc::new(bob), Arc::new(bob2)].into(),
                snapshot,
                listed: Cell::new(false),
                searched: Cell::new(false),
            }
        }
    }

    impl ContactDirectory for Fixed {
        fn all_contacts(&self) -> Result<Arc<[Arc<Contact>]>, ToolError> {
            self.listed.set(true);
            Ok(Arc::clone(&self.contacts))
        }
        fn has_snapshot(&self) -> bool {
            self.snapshot
        }
        fn find_by_email(&self, email: &EmailAddress) -> Result<Vec<Contact>, ToolError> {
            self.searched.set(true);
            Ok(self
                .contacts
                .iter()
                .filter(|c| c.emails.iter().any(|e| e.email == email.as_str()))
                .map(|c| Contact::clone(c))
                .collect())
        }
    }

    fn args(name: &str) -> FindContactArgs {
        FindContactArgs {
            name: Some(name.into()),
            ..FindContactArgs::default()
        }
    }

    #[test]
    fn a_call_without_criteria_is_a_validation_error() {
        for empty in [
            FindContactArgs::default(),
            FindContactArgs {
                name: Some("  ".into()),
                limit: Some(3),
                ..FindContactArgs::default()
            },
        ] {
            let err = find_contact(&Fixed::new(true), &empty).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Validation);
            assert!(err.message.contains("at least one of"), "{}", err.message);
        }
    }

    #[test]
    fn malformed_identifiers_name_their_argument() {
        let bad = FindContactArgs {
            phone: Some("call me".into()),
            ..FindContactArgs::default()
        };
        let err = find_contact(&Fixed::new(true), &bad).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("phone"));
        let bad = FindContactArgs {
            social_url: Some("https://linkedin.com/in/".into()),
            ..FindContactArgs::default()
        };
        let err = find_contact(&Fixed::new(true), &bad).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("social_url"));
    }

    #[test]
    fn bounds_are_checked() {
        let err = find_contact(
            &Fixed::new(true),
            &FindContactArgs {
                limit: Some(0),
                ..args("Ada")
            },
        )
        .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("limit"));
        let err = find_contact(
            &Fixed::new(true),
            &FindContactArgs {
                min_confidence: Some(101),
                ..args("Ada")
            },
        )
        .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("min_confidence"));
    }

    #[test]
    fn email_only_without_snapshot_uses_dex_search_not_a_listing() {
        let directory = Fixed::new(false);
        let found = find_contact(
            &directory,
            &FindContactArgs {
                email: Some(" ADA@example.org".into()),
                ..FindContactArgs::default()
            },
        )
        .unwrap();
        assert!(directory.searched.get() && !directory.listed.get());
        assert_eq!(found.matches[0].confidence, 100);
        assert_eq!(found.summary, "One match: Ada Lovelace (confidence 100).");
    }

    #[test]
    fn what_was_dropped_from_pasted_identifiers_is_in_every_matchs_reasons() {
        for snapshot in [false, true] {
            let found = find_contact(
                &Fixed::new(snapshot),
                &FindContactArgs {
                    email: Some("\"Ada L.\" <mailto:ADA@example.org?subject=hi>".into()),
                    ..FindContactArgs::default()
                },
            )
            .unwrap();
            let reasons = &found.matches[0].reasons;
            assert_eq!(reasons[0], "email ada@example.org matches exactly");
            assert_eq!(
                reasons[1..],
                [
                    "ignored the display name 'Ada L.'",
                    "ignored the mailto: prefix",
                    "ignored '?subject=hi' after the address"
                ],
                "with a snapshot: {snapshot}"
            );
        }
        let err = find_contact(
            &Fixed::new(true),
            &FindContactArgs {
                phone: Some("tel:call-me".into()),
                ..FindContactArgs::default()
            },
        )
        .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("phone"));
    }

    #[test]
    fn email_with_a_snapshot_uses_the_matcher() {
        let directory = Fixed::new(true);
        let found = find_contact(
            &directory,
            &FindContactArgs {
                email: Some("ada@example.org".into()),
                ..FindContactArgs::default()
            },
        )
        .unwrap();
        assert!(directory.listed.get() && !directory.searched.get());
        assert_eq!(found.matches[0].contact.id, "ada");
    }

    #[test]
    fn names_are_matched_with_reasons() {
        let found = find_contact(&Fixed::new(false), &args("Ada Lovelase")).unwrap();
        let best = &found.matches[0];
        assert_eq!(best.contact.id, "ada");
        assert_eq!(
            best.matched_fields,
            [MatchedField::FirstName, MatchedField::LastName]
        );
        assert!(
            best.reasons.iter().any(|r| r.contains("typo")),
            "{:?}",
            best.reasons
        );
    }

    #[test]
    fn equal_matches_are_called_ambiguous() {
        let found = find_contact(&Fixed::new(true), &args("Bob Smith")).unwrap();
        assert_eq!(found.matches.len(), 2);
        assert!(found.summary.contains("equally well"), "{}", found.summary);
        let narrowed = find_contact(
            &Fixed::new(true),
            &FindContactArgs {
                company: Some("Globex".into()),
                ..args("Bob Smith")
            },
        )
        .unwrap();
        assert_eq!(narrowed.matches[0].contact.id, "bob2");
        assert!(
            narrowed.summary.starts_with("2 matches; best"),
            "{}",
            narrowed.summary
        );
    }

    #[test]
    fn nobody_found_says_what_to_try() {
        let found = find_contact(&Fixed::new(true), &args("Zebulon")).unwrap();
        assert!(found.matches.is_empty());
        assert!(
            found.summary.contains("lower min_confidence"),
            "{}",
            found.summary
        );
    }
}
