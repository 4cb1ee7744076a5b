//! Splitting names into the words the matcher compares, each with the part
//! of the name it is.

use super::fold::{fold, folded_words};
use crate::model::Contact;

/// Which part of a person's name a word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A given name.
    First,
    /// A word between given and family name, or one Dex only has in the
    /// display name.
    Middle,
    /// A family name.
    Last,
}

/// One folded word of a contact's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePart {
    /// The word, folded.
    pub folded: String,
    /// Its part of the name.
    pub role: Role,
}

/// The words of a contact's name. Dex's `first_name` and `last_name` say
/// which word is which; words only the display name has are middle words,
/// and a display name alone is split as "given ... family".
pub fn contact_name_parts(contact: &Contact) -> Vec<NamePart> {
    let mut parts = Vec::new();
    let firsts = contact
        .first_name
        .as_deref()
        .map(folded_words)
        .unwrap_or_default();
    let lasts = contact
        .last_name
        .as_deref()
        .map(folded_words)
        .unwrap_or_default();
    let has_split = !firsts.is_empty() || !lasts.is_empty();
    for word in firsts {
        push_new(&mut parts, word, Role::First);
    }
    for word in lasts {
        push_new(&mut parts, word, Role::Last);
    }
    let display = folded_words(&contact.full_name);
    let count = display.len();
    for (i, word) in display.into_iter().enumerate() {
        let role = if has_split {
            Role::Middle
        } else if i == 0 {
            Role::First
        } else if i + 1 == count {
            Role::Last
        } else {
            Role::Middle
        };
        push_new(&mut parts, word, role);
    }
    parts
}

/// Adds a word once: a display name repeats the given and family names.
fn push_new(parts: &mut Vec<NamePart>, folded: String, role: Role) {
    if !parts.iter().any(|p| p.folded == folded) {
        parts.push(NamePart { folded, role });
    }
}

/// How the contact itself spells the name word that folds to `folded`
/// (`José` for `jose`), so explanations quote the contact, not the fold.
pub fn spelled_in_contact(contact: &Contact, folded: &str) -> String {
    [
        contact.first_name.as_deref(),
        contact.last_name.as_deref(),
        Some(contact.full_name.as_str()),
    ]
    .into_iter()
    .flatten()
    .flat_map(|name| name.split(|c: char| c.is_whitespace() || c == '-' || c == ','))
    .find(|word| fold(word) == folded)
    .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
    .unwrap_or_else(|| folded.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(first: Option<&str>, last: Option<&str>, full: &str) -> Contact {
        Contact {
            first_name: first.map(str::to_owned),
            last_name: last.map(str::to_owned),
            full_name: full.to_owned(),
            ..Contact::default()
        }
    }

    fn roles(parts: &[NamePart]) -> Vec<(&str, Role)> {
        parts.iter().map(|p| (p.folded.as_str(), p.role)).collect()
    }

    #[test]
    fn first_and_last_fields_decide_roles_and_display_adds_middle_words() {
        let c = contact(
            Some("María José"),
            Some("García-López"),
            "María José Inés García-López",
        );
        assert_eq!(
            roles(&contact_name_parts(&c)),
            [
                ("maria", Role::First),
                ("jose", Role::First),
                ("garcia", Role::Last),
                ("lopez", Role::Last),
                ("ines", Role::Middle),
            ]
        );
    }

    #[test]
    fn display_name_alone_is_split_given_then_family() {
        let c = contact(None, None, "Ada King Lovelace");
        assert_eq!(
            roles(&contact_name_parts(&c)),
            [
                ("ada", Role::First),
                ("king", Role::Middle),
                ("lovelace", Role::Last)
            ]
        );
        let mononym = contact(None, None, "Cher");
        assert_eq!(
            roles(&contact_name_parts(&mononym)),
            [("cher", Role::First)]
        );
    }

    #[test]
    fn explanations_quote_the_contacts_own_spelling() {
        let c = contact(Some("José"), Some("Müller"), "José Müller");
        assert_eq!(spelled_in_contact(&c, "jose"), "José");
        assert_eq!(spelled_in_contact(&c, "muller"), "Müller");
    }
}
