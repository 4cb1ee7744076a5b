//! The `contact-lists` interface (`wit/contact-lists.wit`): `list-contacts`
//! and `filter-contacts`, pages of contact summaries answered from the
//! account snapshot, so a filter costs no Dex request of its own.

use std::rc::Rc;

use chrono::NaiveDate;

use crate::account::Account;
use crate::dex::ListKind;
use crate::history::keep_in_touch;
use crate::history::{
    ANSWER_BUDGET_CHARS, JsonSize, OwnerZone, Page, WallClock, continuation, gaps_sentence, page,
    parse_day_argument, require_readable,
};
use crate::matching::fold::fold;
use crate::model::{Contact, Label, ToolError};
use crate::paging::{field_size, list_field_size, optional_field_size};
use crate::snapshot::Needs;
use crate::tools::history::shared_args;

/// Summaries per page when the caller does not say.
pub const DEFAULT_LIMIT: u32 = 50;
/// The most summaries one page may ask for.
pub const MAX_LIMIT: u32 = 200;

/// What both tools answer from: the contacts, with their emails (a
/// summary names the first one).
pub const CONTACT_LISTS_NEEDS: Needs = Needs {
    lists: &[ListKind::Contacts],
    links: &[ListKind::Contacts],
};

/// One contact in a list: enough to recognise them and pick their id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactSummary {
    /// Dex's id.
    pub id: String,
    /// The display name (the first email when there is no name).
    pub name: String,
    /// Employer.
    pub company: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// The first email address.
    pub email: Option<String>,
    /// Tag names.
    pub tags: Vec<String>,
    /// Starred in Dex.
    pub starred: bool,
    /// Archived in Dex.
    pub archived: bool,
    /// When the user last saw them.
    pub last_seen_at: Option<String>,
}

impl ContactSummary {
    /// The summary of `contact`.
    pub fn of(contact: &Contact) -> Self {
        let email = contact.emails.first().map(|e| e.email.clone());
        let name = if contact.full_name.trim().is_empty() {
            email.clone().unwrap_or_default()
        } else {
            contact.full_name.clone()
        };
        Self {
            id: contact.id.clone(),
            name,
            company: contact.company.clone(),
            job_title: contact.job_title.clone(),
            email,
            tags: contact.tags.iter().map(|t| t.name.to_string()).collect(),
            starred: contact.starred,
            archived: contact.archived,
            last_seen_at: contact.last_seen_at.as_ref().map(String::from),
        }
    }
}

impl JsonSize for ContactSummary {
    fn json_size(&self) -> usize {
        // Braces, and the two flags with their keys.
        const FRAME: usize = 40;
        FRAME
            + field_size("id", &self.id)
            + field_size("name", &self.name)
            + optional_field_size("company", &self.company)
            + optional_field_size("job_title", &self.job_title)
            + optional_field_size("email", &self.email)
            + list_field_size("tags", &self.tags)
            + optional_field_size("last_seen_at", &self.last_seen_at)
    }
}

/// A page of summaries and the sentence about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactList {
    /// This page, by name.
    pub contacts: Page<ContactSummary>,
    /// One sentence for the assistant.
    pub summary: String,
}

/// The contacts of `snapshot` that `keep` accepts, by name (folded, so
/// accents and case do not scatter them) then id: an order that stays put
/// between pages.
fn sorted_summaries(account: &Account, keep: impl Fn(&Contact) -> bool) -> Vec<ContactSummary> {
    let mut found: Vec<(String, ContactSummary)> = account
        .snapshot
        .contacts
        .iter()
        .filter(|c| keep(c))
        .map(|c| {
            let summary = ContactSummary::of(c);
            (fold(&summary.name), summary)
        })
        .collect();
    found.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.id.cmp(&y.id)));
    found.into_iter().map(|(_, s)| s).collect()
}

/// `list-contacts`: every contact not archived, by name, a page at a time.
pub fn list_contacts(
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    limit: Option<u32>,
    cursor: Option<&str>,
) -> Result<ContactList, ToolError> {
    const TOOL: &str = "list-contacts";
    let limit = shared_args::limit(limit, DEFAULT_LIMIT, MAX_LIMIT)?;
    let start = shared_args::cursor(TOOL, cursor)?;
    let account = account()?;
    require_readable(&account.snapshot)?;
    let archived = account
        .snapshot
        .contacts
        .iter()
        .filter(|c| c.archived)
        .count();
    let contacts = page(
        sorted_summaries(&account, |c| !c.archived),
        start,
        limit,
        ANSWER_BUDGET_CHARS,
    );
    let hidden = match archived {
        0 => String::new(),
        n => format!(" {n} archived left out (filter_contacts with archived true lists them)."),
    };
    let summary = format!(
        "{} contacts, by name.{hidden}{}{}",
        contacts.total,
        continuation(&contacts, "contacts"),
        gaps_sentence(&account.snapshot)
    );
    Ok(ContactList { contacts, summary })
}

/// The arguments of `filter-contacts`; every filter given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterArgs {
    /// A tag's name or id.
    pub tag: Option<String>,
    /// A group's name or id.
    pub group: Option<String>,
    /// Starred or not.
    pub starred: Option<bool>,
    /// Archived ones only (true) or the others (false, the default).
    pub archived: Option<bool>,
    /// Has a birthday or not.
    pub has_birthday: Option<bool>,
    /// Due for a catch-up (true) or not.
    pub keep_in_touch_due: Option<bool>,
    /// Part of the employer's name.
    pub company: Option<String>,
    /// Created on or after, `YYYY-MM-DD`.
    pub created_from: Option<String>,
    /// Created on or before, `YYYY-MM-DD`.
    pub created_to: Option<String>,
    /// Last seen on or after, `YYYY-MM-DD`.
    pub last_seen_from: Option<String>,
    /// Last seen on or before, `YYYY-MM-DD`.
    pub last_seen_to: Option<String>,
    /// Summaries per page.
    pub limit: Option<u32>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// A day range, both ends included and optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DayRange {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

impl DayRange {
    fn parse(
        (from_field, from): (&str, Option<&str>),
        (to_field, to): (&str, Option<&str>),
    ) -> Result<Option<DayRange>, ToolError> {
        let from = from
            .map(|d| parse_day_argument(from_field, d))
            .transpose()?;
        let to = to.map(|d| parse_day_argument(to_field, d)).transpose()?;
        if let (Some(a), Some(b)) = (from, to)
            && a > b
        {
            return Err(ToolError::validation(
                from_field,
                format!("{from_field} {a} is after {to_field} {b}; swap them"),
            ));
        }
        Ok((from.is_some() || to.is_some()).then_some(DayRange { from, to }))
    }

    /// Whether the owner's day of `stamp` is in the range; a contact
    /// without the date is not.
    fn holds(self, stamp: Option<&str>, zone: &OwnerZone) -> bool {
        let Some(day) = stamp.and_then(|s| zone.day_of(s)) else {
            return false;
        };
        self.from.is_none_or(|from| from <= day) && self.to.is_none_or(|to| day <= to)
    }
}

/// Some text with its blanks trimmed, `None` when there is none.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Whether `labels` hold the one `wanted` names, by id or by name (case
/// and accents aside).
fn has_label(labels: &[Label], wanted: &str) -> bool {
    let folded = fold(wanted);
    labels
        .iter()
        .any(|l| l.id == wanted || fold(&l.name) == folded)
}

/// `filter-contacts`: the contacts every given filter holds for, by name.
pub fn filter_contacts(
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    clock: &WallClock,
    args: &FilterArgs,
) -> Result<ContactList, ToolError> {
    const TOOL: &str = "filter-contacts";
    let limit = shared_args::limit(args.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
    let start = shared_args::cursor(TOOL, args.cursor.as_deref())?;
    let created = DayRange::parse(
        ("created_from", args.created_from.as_deref()),
        ("created_to", args.created_to.as_deref()),
    )?;
    let last_seen = DayRange::parse(
        ("last_seen_from", args.last_seen_from.as_deref()),
        ("last_seen_to", args.last_seen_to.as_deref()),
    )?;
    let (tag, group, company) = (given(&args.tag), given(&args.group), given(&args.company));
    let any_filter = tag.is_some()
        || group.is_some()
        || company.is_some()
        || created.is_some()
        || last_seen.is_some()
        || args.starred.is_some()
        || args.archived.is_some()
        || args.has_birthday.is_some()
        || args.keep_in_touch_due.is_some();
    if !any_filter {
        return Err(ToolError::validation(
            "tag",
            "no filter given; pass at least one (tag, group, starred, archived, has_birthday, keep_in_touch_due, company, a created or last-seen date), or use list_contacts for everyone",
        ));
    }
    let account = account()?;
    let snapshot = &account.snapshot;
    require_readable(snapshot)?;
    let zone = OwnerZone::resolve(
        snapshot.owner_time_zone.as_deref(),
        clock.zone_setting.as_deref(),
    );
    let today = zone.today(clock.now);
    let company = company.map(fold);
    let archived = args.archived.unwrap_or(false);
    let keep = |c: &Contact| {
        c.archived == archived
            && tag.is_none_or(|t| has_label(&c.tags, t))
            && group.is_none_or(|g| has_label(&c.groups, g))
            && args.starred.is_none_or(|s| c.starred == s)
            && args.has_birthday.is_none_or(|b| c.birthday.is_some() == b)
            && args
                .keep_in_touch_due
                .is_none_or(|due| keep_in_touch::is_due(c, &zone, today) == due)
            && company.as_deref().is_none_or(|wanted| {
                c.company
                    .as_deref()
                    .is_some_and(|has| fold(has).contains(wanted))
            })
            && created.is_none_or(|r| r.holds(c.created_at().as_deref(), &zone))
            && last_seen.is_none_or(|r| r.holds(c.last_seen_at().as_deref(), &zone))
    };
    let contacts = page(
        sorted_summaries(&account, keep),
        start,
        limit,
        ANSWER_BUDGET_CHARS,
    );
    let due_note = if args.keep_in_touch_due.is_some() {
        format!(" Due is reckoned for today, {today} ({}).", zone.describe())
    } else {
        String::new()
    };
    let summary = format!(
        "{} {}contacts match, by name.{due_note}{}{}",
        contacts.total,
        if archived { "archived " } else { "" },
        continuation(&contacts, "contacts"),
        gaps_sentence(snapshot)
    );
    Ok(ContactList { contacts, summary })
}

/// The `contact-lists` export: WIT values into the adapters above and
/// their answers out; compiled for the component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::{CONTACT_LISTS_NEEDS, ContactList, ContactSummary, FilterArgs};
    use crate::account::Account;
    use crate::component::Component;
    use crate::component::bindings::dex::crm::types as wit;
    use crate::component::bindings::exports::dex::crm::contact_lists as cl;
    use crate::component::convert::tool_error;
    use crate::component::state::account;
    use crate::history::WallClock;
    use crate::settings::Settings;

    fn summary(s: ContactSummary) -> cl::ContactSummary {
        cl::ContactSummary {
            id: s.id,
            name: s.name,
            company: s.company,
            job_title: s.job_title,
            email: s.email,
            tags: s.tags,
            starred: s.starred,
            archived: s.archived,
            last_seen_at: s.last_seen_at,
        }
    }

    /// Runs a tool with a reader of the account and converts its page,
    /// adding why it may miss something.
    fn answered(
        tool: impl FnOnce(
            &dyn Fn() -> Result<Rc<Account>, crate::model::ToolError>,
            &WallClock,
        ) -> Result<ContactList, crate::model::ToolError>,
    ) -> Result<cl::ContactPage, wit::ToolError> {
        let settings =
            Settings::from_env_on_v1("listing and filtering contacts by how they are organised")
                .map_err(tool_error)?;
        let clock = WallClock::system(settings.time_zone.clone());
        let read: RefCell<Option<Rc<Account>>> = RefCell::new(None);
        let list = tool(
            &|| {
                let account = account(&settings)?;
                read.replace(Some(account.clone()));
                Ok(account)
            },
            &clock,
        )
        .map_err(tool_error)?;
        let incomplete_reason = read
            .take()
            .and_then(|a| a.snapshot.incomplete_reason(&CONTACT_LISTS_NEEDS));
        Ok(cl::ContactPage {
            total: u32::try_from(list.contacts.total).unwrap_or(u32::MAX),
            next_cursor: list.contacts.next_cursor,
            contacts: list.contacts.items.into_iter().map(summary).collect(),
            summary: list.summary,
            incomplete_reason,
        })
    }

    impl cl::Guest for Component {
        fn list_contacts(
            limit: Option<u32>,
            cursor: Option<String>,
        ) -> Result<cl::ContactPage, wit::ToolError> {
            answered(|account, _| super::list_contacts(account, limit, cursor.as_deref()))
        }

        fn filter_contacts(
            tag: Option<String>,
            group: Option<String>,
            starred: Option<bool>,
            archived: Option<bool>,
            has_birthday: Option<bool>,
            keep_in_touch_due: Option<bool>,
            company: Option<String>,
            created_from: Option<String>,
            created_to: Option<String>,
            last_seen_from: Option<String>,
            last_seen_to: Option<String>,
            limit: Option<u32>,
            cursor: Option<String>,
        ) -> Result<cl::ContactPage, wit::ToolError> {
            let args = FilterArgs {
                tag,
                group,
                starred,
                archived,
                has_birthday,
                keep_in_touch_due,
                company,
                created_from,
                created_to,
                last_seen_from,
                last_seen_to,
                limit,
                cursor,
            };
            answered(|account, clock| super::filter_contacts(account, clock, &args))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{EmailEntry, ErrorKind, Frequency, KeepInTouch};
    use crate::snapshot::Snapshot;
    use crate::tools::history::shared_args::{clock_at, counted, held};

    fn label(id: &str, name: &str) -> Label {
        Label {
            id: id.into(),
            name: name.into(),
        }
    }

    fn people() -> Snapshot {
        let person = |id: &str, name: &str| Contact {
            id: id.into(),
            full_name: name.into(),
            ..Contact::default()
        };
        let contacts = vec![
            Contact {
                tags: vec![label("t1", "Investors")],
                company: Some("Acme Corp".into()),
                starred: true,
                created_at: Some("2025-01-10T12:00:00Z".into()),
                keep_in_touch: Some(KeepInTouch::of(Frequency::Weekly)),
                last_seen_at: Some("2026-02-01T12:00:00Z".into()),
                ..person("c1", "Zoë Adams")
            },
            Contact {
                groups: vec![label("g1", "Book club")],
                birthday: Some("1990-05-01".into()),
                keep_in_touch: Some(KeepInTouch::of(Frequency::Yearly)),
                last_seen_at: Some("2026-02-01T12:00:00Z".into()),
                created_at: Some("2026-02-20T12:00:00Z".into()),
                ..person("c2", "ada lovelace")
            },
            Contact {
                archived: true,
                tags: vec![label("t1", "Investors")],
                ..person("c3", "Old Friend")
            },
            Contact {
                emails: vec![EmailEntry {
                    email: "nameless@example.com".into(),
                    label: None,
                }],
                ..person("c4", "")
            },
        ];
        Snapshot {
            contacts: contacts.into_iter().map(Arc::new).collect(),
            owner_time_zone: Some("UTC".into()),
            ..Snapshot::default()
        }
    }

    fn ids(list: &ContactList) -> Vec<&str> {
        list.contacts.items.iter().map(|c| c.id.as_str()).collect()
    }

    fn filtered(args: FilterArgs) -> Result<ContactList, ToolError> {
        filter_contacts(&held(people()), &clock_at("2026-03-01T12:00:00Z"), &args)
    }

    #[test]
    fn list_contacts_pages_the_unarchived_by_folded_name() {
        let account = held(people());
        let first = list_contacts(&account, Some(2), None).unwrap();
        assert_eq!(ids(&first), ["c2", "c4"]);
        assert_eq!(first.contacts.total, 3);
        assert!(
            first.summary.contains("1 archived left out"),
            "{}",
            first.summary
        );
        let cursor = first.contacts.next_cursor.clone().unwrap();
        let rest = list_contacts(&account, Some(2), Some(&cursor)).unwrap();
        assert_eq!(ids(&rest), ["c1"]);
        assert_eq!(rest.contacts.next_cursor, None);
        assert_eq!(first.contacts.items[1].name, "nameless@example.com");
    }

    #[test]
    fn each_filter_narrows_by_its_own_field() {
        let by = |args: FilterArgs| ids(&filtered(args).unwrap()).join(",");
        let tag = |t: &str| FilterArgs {
            tag: Some(t.into()),
            ..FilterArgs::default()
        };
        assert_eq!(by(tag("investors")), "c1");
        assert_eq!(by(tag("t1")), "c1");
        assert_eq!(
            by(FilterArgs {
                archived: Some(true),
                ..tag("Investors")
            }),
            "c3"
        );
        let group = FilterArgs {
            group: Some("BOOK CLUB".into()),
            ..FilterArgs::default()
        };
        assert_eq!(by(group), "c2");
        let starred = FilterArgs {
            starred: Some(false),
            ..FilterArgs::default()
        };
        assert_eq!(by(starred), "c2,c4");
        let birthday = FilterArgs {
            has_birthday: Some(true),
            ..FilterArgs::default()
        };
        assert_eq!(by(birthday), "c2");
        let company = FilterArgs {
            company: Some("acme".into()),
            ..FilterArgs::default()
        };
        assert_eq!(by(company), "c1");
        let created = FilterArgs {
            created_from: Some("2026-01-01".into()),
            ..FilterArgs::default()
        };
        assert_eq!(by(created), "c2");
        let seen = FilterArgs {
            last_seen_to: Some("2026-02-01".into()),
            ..FilterArgs::default()
        };
        assert_eq!(by(seen), "c2,c1");
    }

    #[test]
    fn keep_in_touch_due_is_reckoned_for_the_owner_today() {
        // Weekly, last seen a month ago: due; yearly: not yet.
        let due = filtered(FilterArgs {
            keep_in_touch_due: Some(true),
            ..FilterArgs::default()
        })
        .unwrap();
        assert_eq!(ids(&due), ["c1"]);
        assert!(due.summary.contains("2026-03-01"), "{}", due.summary);
    }

    #[test]
    fn bad_filters_are_refused_before_the_account_is_read() {
        let (account, reads) = counted(people());
        let clock = clock_at("2026-03-01T12:00:00Z");
        for (args, field) in [
            (FilterArgs::default(), "tag"),
            (
                FilterArgs {
                    created_from: Some("March".into()),
                    ..FilterArgs::default()
                },
                "created_from",
            ),
            (
                FilterArgs {
                    last_seen_from: Some("2026-03-02".into()),
                    last_seen_to: Some("2026-03-01".into()),
                    ..FilterArgs::default()
                },
                "last_seen_from",
            ),
            (
                FilterArgs {
                    starred: Some(true),
                    limit: Some(0),
                    ..FilterArgs::default()
                },
                "limit",
            ),
        ] {
            let err = filter_contacts(&account, &clock, &args).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Validation, "{args:?}");
            assert_eq!(err.field.as_deref(), Some(field), "{}", err.message);
        }
        assert_eq!(reads.get(), 0);
    }

    #[test]
    fn a_long_list_stops_near_the_answer_budget() {
        let many: Vec<Arc<Contact>> = (0..400)
            .map(|i| {
                Arc::new(Contact {
                    id: format!("c{i:03}"),
                    full_name: format!("Person {i:03}"),
                    description: Some("x".repeat(10)),
                    job_title: Some("y".repeat(120)),
                    ..Contact::default()
                })
            })
            .collect();
        let account = held(Snapshot {
            contacts: many,
            ..Snapshot::default()
        });
        let page = list_contacts(&account, Some(MAX_LIMIT), None).unwrap();
        let size: usize = page.contacts.items.iter().map(|c| c.json_size()).sum();
        assert!(page.contacts.items.len() < MAX_LIMIT as usize);
        assert!(size <= ANSWER_BUDGET_CHARS, "{size}");
        assert!(page.contacts.next_cursor.is_some());
    }
}
