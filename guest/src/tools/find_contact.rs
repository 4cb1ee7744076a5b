//! `find-contact`: from a description of a person to ranked contacts.

use crate::dex::ContactRepository;
use crate::model::{Contact, EmailAddress, ErrorKind, ToolError};

/// The arguments of `find-contact`, as the assistant sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindContactArgs {
    /// A name, possibly misspelled.
    pub name: Option<String>,
    /// An email address.
    pub email: Option<String>,
    /// A phone number.
    pub phone: Option<String>,
    /// A social profile link.
    pub social_url: Option<String>,
    /// An employer.
    pub company: Option<String>,
    /// Most matches to return.
    pub limit: Option<u32>,
    /// Least confidence to return.
    pub min_confidence: Option<u8>,
}

/// One candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactMatch {
    /// The contact.
    pub contact: Contact,
    /// 0-100.
    pub confidence: u8,
    /// Fields that matched.
    pub matched_fields: Vec<String>,
    /// Why, one reason each.
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

/// Finds the contacts that fit `args`.
pub fn find_contact(
    contacts: &dyn ContactRepository,
    args: &FindContactArgs,
) -> Result<ContactMatches, ToolError> {
    let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let Some(raw_email) = args.email.as_deref().filter(|_| given(&args.email)) else {
        if [&args.name, &args.phone, &args.social_url, &args.company]
            .into_iter()
            .any(given)
        {
            return Err(ToolError::new(
                ErrorKind::Validation,
                "this build of find_contact matches by email only; pass `email`",
            ));
        }
        return Err(ToolError::validation(
            "name",
            "find_contact needs at least one of `name`, `email`, `phone`, `social_url` or `company`",
        ));
    };
    let email = EmailAddress::parse("email", raw_email)?;
    let matches: Vec<ContactMatch> = contacts
        .find_by_email(&email)?
        .into_iter()
        .map(|contact| ContactMatch {
            contact,
            confidence: 100,
            matched_fields: vec!["email".to_owned()],
            reasons: vec![format!("email {email} matches exactly")],
        })
        .collect();
    let summary = match matches.as_slice() {
        [] => format!("No contact has the email {email}."),
        [one] => format!("{} has the email {email}.", one.contact.full_name),
        many => format!("{} contacts share the email {email}.", many.len()),
    };
    Ok(ContactMatches { matches, summary })
}
