//! The contact a prompt or resource is about: read from what the user
//! typed (an id, a name, possibly misspelled), and suggested while they
//! type (`completion/complete`).
//!
//! MCP completion values are plain strings that replace what was typed,
//! so each argument completes to what it accepts:
//!
//! - a prompt's `contact` accepts a name and completes to names, with the
//!   id in parentheses when two contacts share the name
//!   (`Ada Lovelace (c42)`), so that every value picks one contact;
//! - the resource template's `{id}` is a Dex id, so it completes to ids,
//!   ranked by how well the typed text matches their names: typing "ada
//!   lovlace" offers Ada Lovelace's id.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Completion, RequestError};
use crate::account::Account;
use crate::matching::{MAX_LIMIT, MatchQuery};
use crate::model::Contact;

/// Least confidence a name needs to be picked for a prompt without
/// asking: below it, the matcher is more often wrong than right.
const PICK_CONFIDENCE: u8 = 60;
/// How far ahead of the next the best match must be to be picked when
/// several fit; closer than that, the user is asked which one.
const CLEAR_LEAD: u8 = 10;
/// Least confidence a completion offers: lower than for picking, since
/// what is typed is still partial.
const SUGGEST_CONFIDENCE: u8 = 35;

/// The contact that `typed` names in `account`: its id, a name with the id
/// in parentheses (what completion offers), or a name the matcher finds
/// one clear best match for. `argument` names the argument in errors.
pub fn contact_named(
    account: &Account,
    argument: &str,
    typed: &str,
) -> Result<Arc<Contact>, RequestError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(RequestError::InvalidArgument(format!(
            "`{argument}` is empty: pass the person's name or Dex id"
        )));
    }
    let by_id = |id: &str| account.contacts.iter().find(|c| c.id == id).cloned();
    if let Some(id) = id_in_parentheses(typed)
        && let Some(contact) = by_id(id)
    {
        return Ok(contact);
    }
    if let Some(contact) = by_id(typed) {
        return Ok(contact);
    }
    let query = MatchQuery {
        min_confidence: PICK_CONFIDENCE,
        ..MatchQuery::by_name(typed)
    };
    let found = account.matcher.find(&query);
    match found.as_slice() {
        [] => Err(RequestError::InvalidArgument(format!(
            "no contact in Dex matches `{typed}` for `{argument}`: check the spelling, or use find_contact to look the person up"
        ))),
        [only] => Ok(only.contact.clone()),
        [best, next, ..] if best.confidence >= next.confidence.saturating_add(CLEAR_LEAD) => {
            Ok(best.contact.clone())
        }
        several => {
            let names: Vec<String> = several
                .iter()
                .map(|s| format!("{} ({})", s.contact.full_name, s.contact.id))
                .collect();
            Err(RequestError::InvalidArgument(format!(
                "`{typed}` fits several contacts for `{argument}`: {}; pass one of these as written",
                names.join(", ")
            )))
        }
    }
}

/// `c42` of `Ada Lovelace (c42)`.
fn id_in_parentheses(typed: &str) -> Option<&str> {
    let inner = typed.strip_suffix(')')?;
    let (_, id) = inner.rsplit_once(" (")?;
    Some(id.trim()).filter(|id| !id.is_empty())
}

/// The contacts `typed` may be the start or a misspelling of, best first:
/// names with a word that starts with it, then the matcher's fuzzy
/// matches; with nothing typed, the starred contacts by name. Archived
/// contacts are left out.
fn suggested(account: &Account, typed: &str) -> Vec<Arc<Contact>> {
    let typed = typed.trim();
    let active = |c: &&Arc<Contact>| !c.archived;
    if typed.is_empty() {
        let mut starred: Vec<Arc<Contact>> = account
            .contacts
            .iter()
            .filter(active)
            .filter(|c| c.starred)
            .cloned()
            .collect();
        starred.sort_by(|a, b| a.full_name.cmp(&b.full_name).then(a.id.cmp(&b.id)));
        return starred;
    }
    let lower = typed.to_lowercase();
    let mut found: Vec<Arc<Contact>> = account
        .contacts
        .iter()
        .filter(active)
        .filter(|c| {
            let name = c.full_name.to_lowercase();
            name.starts_with(&lower) || name.split_whitespace().any(|w| w.starts_with(&lower))
        })
        .cloned()
        .collect();
    found.sort_by(|a, b| a.full_name.cmp(&b.full_name).then(a.id.cmp(&b.id)));
    let query = MatchQuery {
        limit: MAX_LIMIT,
        min_confidence: SUGGEST_CONFIDENCE,
        ..MatchQuery::by_name(typed)
    };
    for scored in account.matcher.find(&query) {
        if !scored.contact.archived && !found.iter().any(|c| c.id == scored.contact.id) {
            found.push(scored.contact);
        }
    }
    found
}

/// Completion of a prompt's contact argument: names, with the id in
/// parentheses for a name two contacts share.
pub fn complete_names(account: &Account, typed: &str) -> Completion {
    let mut shared: HashMap<&str, usize> = HashMap::new();
    for contact in account.contacts.iter() {
        *shared.entry(contact.full_name.as_str()).or_default() += 1;
    }
    let values = suggested(account, typed)
        .into_iter()
        .map(|c| {
            if shared.get(c.full_name.as_str()).copied().unwrap_or(0) > 1 {
                format!("{} ({})", c.full_name, c.id)
            } else {
                c.full_name.clone()
            }
        })
        .collect();
    Completion::first_of(values)
}

/// Completion of a contact id: ids that start with what was typed, then
/// the ids of the contacts whose names fit it.
pub fn complete_ids(account: &Account, typed: &str) -> Completion {
    let typed = typed.trim();
    let mut ids: Vec<String> = if typed.is_empty() {
        Vec::new()
    } else {
        account
            .contacts
            .iter()
            .filter(|c| c.id.starts_with(typed))
            .map(|c| c.id.clone())
            .collect()
    };
    for contact in suggested(account, typed) {
        if !ids.contains(&contact.id) {
            ids.push(contact.id.clone());
        }
    }
    Completion::first_of(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(id: &str, name: &str, starred: bool) -> Arc<Contact> {
        let mut parts = name.split_whitespace();
        Arc::new(Contact {
            id: id.into(),
            full_name: name.into(),
            first_name: parts.next().map(str::to_owned),
            last_name: parts.next().map(str::to_owned),
            starred,
            ..Contact::default()
        })
    }

    fn account() -> Account {
        Account::index(
            crate::snapshot::Snapshot {
                contacts: vec![
                    contact("c1", "Ada Lovelace", true),
                    contact("c2", "Charles Babbage", false),
                    contact("c3", "Grace Hopper", true),
                    contact("c4", "Alan Turing", false),
                    contact("c5", "Alan Turing", false),
                ],
                ..Default::default()
            },
            std::time::Duration::ZERO,
        )
    }

    #[test]
    fn a_misspelled_name_picks_the_contact() {
        let account = account();
        assert_eq!(
            contact_named(&account, "contact", "Ada Lovlace")
                .unwrap()
                .id,
            "c1"
        );
        assert_eq!(contact_named(&account, "contact", "c2").unwrap().id, "c2");
        assert_eq!(
            contact_named(&account, "contact", "Alan Turing (c5)")
                .unwrap()
                .id,
            "c5"
        );
    }

    #[test]
    fn a_shared_name_asks_which_and_nobody_is_refused() {
        let account = account();
        let err = contact_named(&account, "contact", "Alan Turing").unwrap_err();
        assert!(
            matches!(&err, RequestError::InvalidArgument(m) if m.contains("(c4)") && m.contains("(c5)")),
            "{err:?}"
        );
        let err = contact_named(&account, "contact", "Zebulon Quartz").unwrap_err();
        assert!(matches!(err, RequestError::InvalidArgument(_)), "{err:?}");
        let err = contact_named(&account, "contact", "  ").unwrap_err();
        assert!(matches!(err, RequestError::InvalidArgument(_)), "{err:?}");
    }

    #[test]
    fn names_complete_by_prefix_and_by_misspelling() {
        let account = account();
        assert_eq!(complete_names(&account, "gra").values, ["Grace Hopper"]);
        assert!(
            complete_names(&account, "Babage")
                .values
                .contains(&"Charles Babbage".to_owned())
        );
        assert_eq!(
            complete_names(&account, "Alan").values,
            ["Alan Turing (c4)", "Alan Turing (c5)"]
        );
        assert_eq!(
            complete_names(&account, "").values,
            ["Ada Lovelace", "Grace Hopper"]
        );
    }

    #[test]
    fn ids_complete_from_names_and_from_their_start() {
        let account = account();
        assert_eq!(complete_ids(&account, "Ada Lovlace").values[0], "c1");
        assert_eq!(complete_ids(&account, "c").values.len(), 5);
        let none = complete_ids(&account, "zzzz");
        assert!(none.values.is_empty());
        assert_eq!(none.total, Some(0));
    }
}
