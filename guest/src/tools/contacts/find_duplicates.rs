//! `find-duplicates`: groups of contacts that are probably one person,
//! from the cached account (no request per contact), surest first, a page
//! at a time, each with the `merge-contacts` arguments to resolve it.

use std::rc::Rc;

use crate::account::Account;
use crate::history::{
    ANSWER_BUDGET_CHARS, Page, continuation, gaps_sentence, page, require_readable,
};
use crate::matching::{DuplicateGroup, find_duplicates as group_duplicates};
use crate::model::ToolError;
use crate::paging::{JsonSize, optional_size, text_size};
use crate::tools::history::shared_args;

/// The tool's name, also the tag of its cursors.
const TOOL: &str = "find-duplicates";
/// Groups per page when the caller does not say.
pub const DEFAULT_DUPLICATES_LIMIT: u32 = 20;
/// The most groups one page may ask for.
pub const MAX_DUPLICATES_LIMIT: u32 = 100;
/// What `find-duplicates` says it cannot do on the legacy API.
pub const FIND_DUPLICATES_NEEDS: &str = "find_duplicates (finding contacts that are one person)";

/// The arguments of `find-duplicates`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindDuplicatesArgs {
    /// Leave out groups less sure than this, 0-100.
    pub min_confidence: Option<u8>,
    /// Groups per page.
    pub limit: Option<u32>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicatesFound {
    /// This page of the groups, surest first.
    pub groups: Page<DuplicateGroup>,
    /// One sentence for the assistant.
    pub summary: String,
}

/// Characters of JSON a group spends on keys and brackets beyond its texts,
/// and each of its contacts and reasons.
const GROUP_FRAME_CHARS: usize = 120;
const MEMBER_FRAME_CHARS: usize = 60;

impl JsonSize for DuplicateGroup {
    fn json_size(&self) -> usize {
        let members: usize = self
            .contacts
            .iter()
            .map(|c| {
                MEMBER_FRAME_CHARS
                    + text_size(&c.id)
                    + text_size(&c.full_name)
                    + optional_size(&c.company)
                    + c.created_at().map_or(0, |t| text_size(&t))
                    + c.emails.iter().map(|e| text_size(&e.email)).sum::<usize>()
                    + c.phones.iter().map(|p| text_size(&p.number)).sum::<usize>()
                    // The id again, in keep-id or duplicate-ids.
                    + text_size(&c.id)
            })
            .sum();
        let reasons: usize = self
            .reasons
            .iter()
            .map(|r| {
                MEMBER_FRAME_CHARS
                    + text_size(&r.detail)
                    + r.contact_ids.iter().map(|id| text_size(id)).sum::<usize>()
            })
            .sum();
        GROUP_FRAME_CHARS + members + reasons
    }
}

/// One page of the groups of probable duplicates in the account. The
/// arguments are checked before `account` is asked.
pub fn find_duplicates(
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    args: &FindDuplicatesArgs,
) -> Result<DuplicatesFound, ToolError> {
    let floor = args.min_confidence.unwrap_or(0);
    if floor > 100 {
        return Err(ToolError::validation(
            "min-confidence",
            format!("min-confidence is {floor}; pass 0 to 100"),
        ));
    }
    let limit = shared_args::limit(args.limit, DEFAULT_DUPLICATES_LIMIT, MAX_DUPLICATES_LIMIT)?;
    let start = shared_args::cursor(TOOL, args.cursor.as_deref())?;
    let account = account()?;
    let snapshot = &account.snapshot;
    require_readable(snapshot)?;
    let groups: Vec<DuplicateGroup> = group_duplicates(&snapshot.contacts)
        .into_iter()
        .filter(|g| g.confidence >= floor)
        .collect();
    let contacts: usize = groups.iter().map(|g| g.contacts.len()).sum();
    let groups = page(groups, start, limit, ANSWER_BUDGET_CHARS);
    let summary = format!(
        "{} groups of probable duplicates ({contacts} contacts) among {} contacts; this page holds {}, surest first. Each names keep_id and duplicate_ids for merge_contacts; check the reasons with the user first.{}{}",
        groups.total,
        snapshot.contacts.len(),
        groups.items.len(),
        continuation(&groups, "groups"),
        gaps_sentence(snapshot)
    );
    Ok(DuplicatesFound { groups, summary })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Contact, EmailEntry};
    use crate::snapshot::Snapshot;
    use crate::tools::history::shared_args::{counted, held};

    /// `pairs` pairs of contacts, each pair sharing an address.
    fn snapshot(pairs: usize) -> Snapshot {
        let contact = |id: String, email: String| {
            Arc::new(Contact {
                id: id.clone(),
                full_name: format!("Person {id}"),
                emails: vec![EmailEntry { email, label: None }],
                ..Contact::default()
            })
        };
        Snapshot {
            contacts: (0..pairs)
                .flat_map(|i| {
                    let email = format!("person{i}@example.com");
                    [
                        contact(format!("a{i:03}"), email.clone()),
                        contact(format!("b{i:03}"), email.to_uppercase()),
                    ]
                })
                .collect(),
            ..Snapshot::default()
        }
    }

    #[test]
    fn every_group_is_on_exactly_one_page() {
        let account = held(snapshot(250));
        let mut kept = Vec::new();
        let mut cursor = None;
        loop {
            let answer = find_duplicates(
                &account,
                &FindDuplicatesArgs {
                    limit: Some(100),
                    cursor: cursor.take(),
                    ..FindDuplicatesArgs::default()
                },
            )
            .unwrap();
            assert_eq!(answer.groups.total, 250);
            kept.extend(answer.groups.items.iter().map(|g| g.keep_id.clone()));
            match answer.groups.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let mut unique = kept.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((kept.len(), unique.len()), (250, 250));
    }

    #[test]
    fn min_confidence_leaves_out_less_sure_groups() {
        let account = held(snapshot(3));
        let sure = |floor| {
            find_duplicates(
                &account,
                &FindDuplicatesArgs {
                    min_confidence: Some(floor),
                    ..FindDuplicatesArgs::default()
                },
            )
            .unwrap()
            .groups
            .total
        };
        assert_eq!((sure(95), sure(96)), (3, 0));
    }

    #[test]
    fn bad_arguments_are_refused_before_the_account_is_read() {
        let (read, reads) = counted(snapshot(1));
        let bad = [
            FindDuplicatesArgs {
                min_confidence: Some(101),
                ..FindDuplicatesArgs::default()
            },
            FindDuplicatesArgs {
                limit: Some(0),
                ..FindDuplicatesArgs::default()
            },
            FindDuplicatesArgs {
                cursor: Some("list-notes.1".into()),
                ..FindDuplicatesArgs::default()
            },
        ];
        let fields: Vec<_> = bad
            .iter()
            .map(|a| {
                find_duplicates(&read, a)
                    .unwrap_err()
                    .field
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(fields, ["min_confidence", "limit", "cursor"]);
        assert_eq!(reads.get(), 0);
    }
}
