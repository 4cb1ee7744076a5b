//! The `groups` interface (`wit/groups.wit`): listing the account's groups
//! with their member counts, reading one with its members, creating,
//! changing and deleting groups, and adding contacts to and taking them out
//! of a group in bulk; and the interface's WIT glue.
//!
//! A group is named by its name (any case) or id, resolved against Dex's
//! group list, read whole at each call. Members and counts come from the
//! cached account, whose contacts carry their groups, rather than from
//! `GET /v1/groups/{id}/contacts`: the account is read anyway for names,
//! stays current after these tools' own writes, and pages with this
//! server's cursors and answer budget like every other list, at no request
//! per page; the endpoint's item shape is not documented either.

use std::rc::Rc;

use crate::account::{Account, AccountChange, LabelChange, LabelList, label_counts};
use crate::dex::HttpTransport;
use crate::dex::v1::{LabelKind, V1Writer};
use crate::model::{ErrorKind, Group, GroupFields, Label, ToolError};
use crate::paging::{
    ANSWER_BUDGET_CHARS, Cursor, JsonSize, Page, continuation, field_size, optional_field_size,
    page,
};
use crate::tools::tags::{bulk_contact_ids, count_caveat, require_new_name, resolve};
use crate::writes::{Written, require_confirmation, required_text};

/// What the group tools say they cannot do on the legacy API.
pub const GROUPS_NEED: &str = "Groups (Dex's group endpoints)";

/// A group and how many contacts are in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount {
    /// The group.
    pub group: Group,
    /// Its members.
    pub members: u32,
}

fn group_size(g: &Group) -> usize {
    field_size("id", &g.id)
        + field_size("name", &g.name)
        + optional_field_size("emoji", &g.emoji)
        + optional_field_size("description", &g.description)
        + 12
}

impl JsonSize for GroupCount {
    fn json_size(&self) -> usize {
        group_size(&self.group) + 24
    }
}

/// A member of a group: its id and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The contact's id.
    pub id: String,
    /// Its name.
    pub full_name: String,
}

impl JsonSize for Member {
    fn json_size(&self) -> usize {
        field_size("id", &self.id) + field_size("full_name", &self.full_name) + 2
    }
}

/// The answer of `list-groups`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupList {
    /// This page.
    pub groups: Page<GroupCount>,
    /// One sentence for the assistant.
    pub summary: String,
}

/// The answer of `get-group`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupMembers {
    /// The group.
    pub group: Group,
    /// This page of its members.
    pub members: Page<Member>,
    /// One sentence for the assistant.
    pub summary: String,
}

fn cursor(tool: &'static str, raw: Option<&str>) -> Result<Cursor, ToolError> {
    match raw {
        None => Ok(Cursor::start(tool)),
        Some(raw) => Cursor::parse(tool, "cursor", raw),
    }
}

fn labels(groups: &[Group]) -> Vec<Label> {
    groups
        .iter()
        .map(|g| Label {
            id: g.id.as_str().into(),
            name: g.name.as_str().into(),
        })
        .collect()
}

/// Checks a group argument: not blank.
fn group_arg(raw: &str) -> Result<String, ToolError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(ToolError::validation(
            "group",
            "group is empty; pass a group's name or id (list_groups)",
        ));
    }
    Ok(text.to_owned())
}

/// The group `given` names, from Dex's list.
fn find<T: HttpTransport>(
    dex: &V1Writer<T>,
    given: &str,
) -> Result<(Group, Vec<Group>), ToolError> {
    let groups = dex.groups()?;
    let id = resolve(&labels(&groups), given, "group", "list_groups")?
        .id
        .clone();
    let group = groups
        .iter()
        .find(|g| g.id == id)
        .cloned()
        .ok_or_else(|| ToolError::new(ErrorKind::NotFound, format!("no group {id}")))?;
    Ok((group, groups))
}

/// One page of the account's groups with their member counts; the cursor
/// is checked before anything is sent.
pub fn list_groups<T: HttpTransport>(
    dex: &V1Writer<T>,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    raw_cursor: Option<&str>,
) -> Result<GroupList, ToolError> {
    let start = cursor("list-groups", raw_cursor)?;
    let groups = dex.groups()?;
    let account = account()?;
    let counts = label_counts(&account.contacts, LabelList::Groups);
    let all: Vec<GroupCount> = groups
        .into_iter()
        .map(|group| GroupCount {
            members: counts.get(&group.id).copied().unwrap_or(0) as u32,
            group,
        })
        .collect();
    let groups = page(all, start, usize::MAX, ANSWER_BUDGET_CHARS);
    let summary = format!(
        "{} groups; {} on this page.{}{}",
        groups.total,
        groups.items.len(),
        continuation(&groups, "groups"),
        count_caveat(&account)
    );
    Ok(GroupList { groups, summary })
}

/// Group `group` with one page of its members, in the account's order.
pub fn get_group<T: HttpTransport>(
    dex: &V1Writer<T>,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    group: &str,
    raw_cursor: Option<&str>,
) -> Result<GroupMembers, ToolError> {
    let given = group_arg(group)?;
    let start = cursor("get-group", raw_cursor)?;
    let (group, _) = find(dex, &given)?;
    let account = account()?;
    let all: Vec<Member> = account
        .contacts
        .iter()
        .filter(|c| c.groups.iter().any(|g| g.id == group.id))
        .map(|c| Member {
            id: c.id.clone(),
            full_name: c.full_name.clone(),
        })
        .collect();
    let members = page(all, start, usize::MAX, ANSWER_BUDGET_CHARS);
    let summary = format!(
        "Group \"{}\" has {} members; {} on this page.{}{}",
        group.name,
        members.total,
        members.items.len(),
        continuation(&members, "members"),
        count_caveat(&account)
    );
    Ok(GroupMembers {
        group,
        members,
        summary,
    })
}

/// An emoji or description argument: kept as given ("" clears), trimmed.
fn optional(raw: Option<&str>) -> Option<String> {
    raw.map(|t| t.trim().to_owned())
}

/// Creates a group, refusing a name the account has.
pub fn create_group<T: HttpTransport>(
    dex: &V1Writer<T>,
    name: &str,
    emoji: Option<&str>,
    description: Option<&str>,
) -> Result<Written<Group>, ToolError> {
    let fields = GroupFields {
        name: Some(required_text("name", name)?),
        emoji: optional(emoji).filter(|e| !e.is_empty()),
        description: optional(description).filter(|d| !d.is_empty()),
    };
    let name = fields.name.as_deref().unwrap_or_default();
    require_new_name(&labels(&dex.groups()?), name, "group")?;
    let group = dex.create_group(&fields)?;
    Ok(Written {
        summary: format!("Created group \"{}\" (id {}).", group.name, group.id),
        change: AccountChange::Labels(LabelChange::Created),
        answer: group,
    })
}

/// Changes what the arguments set of group `group`.
pub fn update_group<T: HttpTransport>(
    dex: &V1Writer<T>,
    group: &str,
    name: Option<&str>,
    emoji: Option<&str>,
    description: Option<&str>,
) -> Result<Written<Group>, ToolError> {
    let given = group_arg(group)?;
    let fields = GroupFields {
        name: name.map(|n| required_text("name", n)).transpose()?,
        emoji: optional(emoji),
        description: optional(description),
    };
    if fields == GroupFields::default() {
        return Err(ToolError::validation(
            "name",
            "nothing to change: pass at least one of name, emoji, description",
        ));
    }
    let (old, groups) = find(dex, &given)?;
    if let Some(name) = &fields.name {
        let others: Vec<Group> = groups.into_iter().filter(|g| g.id != old.id).collect();
        require_new_name(&labels(&others), name, "group")?;
    }
    let group = dex.update_group(&old.id, &fields)?;
    Ok(Written {
        summary: format!("Updated group \"{}\".", group.name),
        change: AccountChange::Labels(LabelChange::Renamed {
            list: LabelList::Groups,
            label: Label {
                id: group.id.as_str().into(),
                name: group.name.as_str().into(),
            },
        }),
        answer: group,
    })
}

/// Deletes group `group` once `confirm` is true; otherwise says how many
/// members it has.
pub fn delete_group<T: HttpTransport>(
    dex: &V1Writer<T>,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    group: &str,
    confirm: Option<bool>,
) -> Result<Written<Group>, ToolError> {
    let given = group_arg(group)?;
    let (group, _) = find(dex, &given)?;
    require_confirmation(confirm, || {
        let account = account()?;
        let members = label_counts(&account.contacts, LabelList::Groups)
            .get(&group.id)
            .copied()
            .unwrap_or(0);
        Ok(format!(
            "It deletes the group \"{}\" of {members} members (the contacts stay).{}",
            group.name,
            count_caveat(&account)
        ))
    })?;
    dex.delete_label(LabelKind::Group, &group.id)?;
    Ok(Written {
        summary: format!("Deleted group \"{}\".", group.name),
        change: AccountChange::Labels(LabelChange::Deleted {
            list: LabelList::Groups,
            id: group.id.as_str().into(),
        }),
        answer: group,
    })
}

/// Adds the contacts of `contact_ids` to group `group` (`add`) or takes
/// them out.
pub fn change_members<T: HttpTransport>(
    dex: &V1Writer<T>,
    group: &str,
    contact_ids: &[String],
    add: bool,
) -> Result<Written<Group>, ToolError> {
    let given = group_arg(group)?;
    let contacts = bulk_contact_ids(contact_ids)?;
    let (group, _) = find(dex, &given)?;
    dex.group_members(&group.id, &contacts, add)?;
    let ids: Vec<String> = contacts.iter().map(|c| c.to_string()).collect();
    let label = Label {
        id: group.id.as_str().into(),
        name: group.name.as_str().into(),
    };
    let (summary, change) = if add {
        (
            format!("Added {} contacts to \"{}\".", ids.len(), group.name),
            LabelChange::Added {
                list: LabelList::Groups,
                labels: vec![label],
                contact_ids: ids,
            },
        )
    } else {
        (
            format!("Took {} contacts out of \"{}\".", ids.len(), group.name),
            LabelChange::Removed {
                list: LabelList::Groups,
                label_ids: vec![label.id.into()],
                contact_ids: ids,
            },
        )
    };
    Ok(Written {
        summary,
        change: AccountChange::Labels(change),
        answer: group,
    })
}

/// The `groups` export: WIT values into the adapters above and their
/// answers out; compiled for the component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use crate::component::Component;
    use crate::component::bindings::dex::crm::types as wit;
    use crate::component::bindings::exports::dex::crm::groups;
    use crate::component::convert::tool_error;
    use crate::component::state::{account, record_write};
    use crate::component::transport::WasiHttp;
    use crate::dex::v1::V1Writer;
    use crate::model;
    use crate::settings::Settings;

    /// The settings and a v1 writer; on the legacy API, the validation
    /// error, before any request.
    fn dex() -> Result<(Settings, V1Writer<WasiHttp>), wit::ToolError> {
        let settings = Settings::from_env_on_v1(super::GROUPS_NEED).map_err(tool_error)?;
        let writer = V1Writer::new(&settings.base_url, WasiHttp);
        Ok((settings, writer))
    }

    fn group(g: model::Group) -> groups::Group {
        groups::Group {
            id: g.id,
            name: g.name,
            emoji: g.emoji,
            description: g.description,
        }
    }

    fn written(
        written: Result<crate::writes::Written<model::Group>, model::ToolError>,
    ) -> Result<groups::GroupWrite, wit::ToolError> {
        let (g, summary) = record_write(written).map_err(tool_error)?;
        Ok(groups::GroupWrite {
            group: group(g),
            summary,
        })
    }

    impl groups::Guest for Component {
        fn list_groups(cursor: Option<String>) -> Result<groups::GroupList, wit::ToolError> {
            let (settings, dex) = dex()?;
            let read = || account(&settings);
            let list = super::list_groups(&dex, &read, cursor.as_deref()).map_err(tool_error)?;
            Ok(groups::GroupList {
                groups: list
                    .groups
                    .items
                    .into_iter()
                    .map(|g| groups::GroupCount {
                        group: group(g.group),
                        members: g.members,
                    })
                    .collect(),
                next_cursor: list.groups.next_cursor,
                summary: list.summary,
            })
        }

        fn get_group(
            group_: String,
            cursor: Option<String>,
        ) -> Result<groups::GroupMembers, wit::ToolError> {
            let (settings, dex) = dex()?;
            let read = || account(&settings);
            let found =
                super::get_group(&dex, &read, &group_, cursor.as_deref()).map_err(tool_error)?;
            Ok(groups::GroupMembers {
                group: group(found.group),
                members: found
                    .members
                    .items
                    .into_iter()
                    .map(|m| wit::ContactRef {
                        id: m.id,
                        full_name: Some(m.full_name),
                    })
                    .collect(),
                next_cursor: found.members.next_cursor,
                summary: found.summary,
            })
        }

        fn create_group(
            name: String,
            emoji: Option<String>,
            description: Option<String>,
        ) -> Result<groups::GroupWrite, wit::ToolError> {
            let (_, dex) = dex()?;
            written(super::create_group(
                &dex,
                &name,
                emoji.as_deref(),
                description.as_deref(),
            ))
        }

        fn update_group(
            group_: String,
            name: Option<String>,
            emoji: Option<String>,
            description: Option<String>,
        ) -> Result<groups::GroupWrite, wit::ToolError> {
            let (_, dex) = dex()?;
            written(super::update_group(
                &dex,
                &group_,
                name.as_deref(),
                emoji.as_deref(),
                description.as_deref(),
            ))
        }

        fn delete_group(
            group_: String,
            confirm: Option<bool>,
        ) -> Result<groups::GroupWrite, wit::ToolError> {
            let (settings, dex) = dex()?;
            let read = || account(&settings);
            written(super::delete_group(&dex, &read, &group_, confirm))
        }

        fn add_to_group(
            group_: String,
            contact_ids: Vec<String>,
        ) -> Result<groups::GroupWrite, wit::ToolError> {
            let (_, dex) = dex()?;
            written(super::change_members(&dex, &group_, &contact_ids, true))
        }

        fn remove_from_group(
            group_: String,
            contact_ids: Vec<String>,
        ) -> Result<groups::GroupWrite, wit::ToolError> {
            let (_, dex) = dex()?;
            written(super::change_members(&dex, &group_, &contact_ids, false))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::dex::testing::{Scripted, no_wait};
    use crate::model::Contact;
    use crate::snapshot::Snapshot;

    const GROUPS: &str = r#"{"error":false,"data":{"items":[{"id":"g1","name":"Book club","emoji":"📚"},{"id":"g2","name":"Climbing"}],"nextCursor":null}}"#;

    fn dex(script: &Scripted) -> V1Writer<&Scripted> {
        V1Writer::new("http://dex.test", script).with_retrier(no_wait())
    }

    fn account() -> Result<Rc<Account>, ToolError> {
        let member = |id: &str, name: &str| {
            Arc::new(Contact {
                id: id.into(),
                full_name: name.into(),
                groups: vec![Label {
                    id: "g1".into(),
                    name: "Book club".into(),
                }],
                ..Contact::default()
            })
        };
        let snapshot = Snapshot {
            contacts: vec![
                member("c1", "Ada"),
                Arc::new(Contact::default()),
                member("c2", "Grace"),
            ],
            ..Snapshot::default()
        };
        Ok(Rc::new(Account::index(snapshot, Duration::ZERO)))
    }

    #[test]
    fn a_group_by_name_answers_its_members_from_the_account() {
        let script = Scripted::new(&[(200, GROUPS), (200, GROUPS)]);
        let found = get_group(&dex(&script), &account, "book CLUB", None).unwrap();
        assert_eq!(found.group.emoji.as_deref(), Some("📚"));
        let names: Vec<&str> = found
            .members
            .items
            .iter()
            .map(|m| m.full_name.as_str())
            .collect();
        assert_eq!(names, ["Ada", "Grace"]);
        let list = list_groups(&dex(&script), &account, None).unwrap();
        let counts: Vec<u32> = list.groups.items.iter().map(|g| g.members).collect();
        assert_eq!(counts, [2, 0]);
        assert_eq!(script.seen().len(), 2, "one request each");
    }

    #[test]
    fn members_are_added_in_one_request_and_bad_input_sends_nothing() {
        let script = Scripted::new(&[]);
        let err = change_members(&dex(&script), "", &["c1".into()], true).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("group"));
        let err = change_members(&dex(&script), "g1", &["c/1".into()], true).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("contact_ids"));
        let err = update_group(&dex(&script), "g1", None, None, None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation);
        assert!(script.seen().is_empty());
        let script = Scripted::new(&[(200, GROUPS), (200, r#"{"error":false}"#)]);
        let written =
            change_members(&dex(&script), "Climbing", &["c1".into(), "c2".into()], true).unwrap();
        let seen = script.seen();
        assert_eq!(
            format!("{} {}", seen[1].method, seen[1].url),
            "PUT http://dex.test/v1/groups/g2/contacts"
        );
        assert_eq!(
            script.body(1),
            serde_json::json!({"contactIds": ["c1", "c2"]})
        );
        assert!(written.summary.contains("Added 2"), "{}", written.summary);
    }

    #[test]
    fn a_group_is_deleted_only_once_confirmed() {
        let script = Scripted::new(&[(200, GROUPS), (200, GROUPS), (200, "")]);
        let err = delete_group(&dex(&script), &account, "Book club", Some(false)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::ConfirmationRequired);
        assert!(err.message.contains("of 2 members"), "{}", err.message);
        delete_group(&dex(&script), &account, "g1", Some(true)).unwrap();
        let seen = script.seen();
        assert_eq!(seen[2].url, "http://dex.test/v1/groups/g1");
    }

    #[test]
    fn an_update_clears_an_emoji_with_an_empty_one_and_refuses_a_taken_name() {
        let script = Scripted::new(&[(200, GROUPS)]);
        let err = update_group(&dex(&script), "g1", Some("climbing"), None, None).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("name"));
        let script = Scripted::new(&[
            (200, GROUPS),
            (
                200,
                r#"{"error":false,"data":{"group":{"id":"g1","name":"Book club"}}}"#,
            ),
        ]);
        let written = update_group(&dex(&script), "g1", None, Some(""), None).unwrap();
        assert_eq!(written.answer.emoji, None);
        assert_eq!(
            script.body(1),
            serde_json::json!({"group": {"emoji": null}})
        );
    }
}
