//! The `tags` interface (`wit/tags.wit`): listing the account's tags with
//! how many contacts carry each, creating, renaming and deleting them, and
//! putting them on and taking them off many contacts at once; and the
//! interface's WIT glue.
//!
//! Tags are named by the assistant as it heard them ("investors"), so
//! every tool takes a name (any case) or an id and resolves it against
//! Dex's tag list, read whole at each call (an account has tens of tags).
//! Counts come from the cached account, whose contacts carry their tags,
//! so listing costs one request however many tags there are.
//!
//! `tag-contacts` creates the tags it is given by a new name, as Dex's own
//! `create-assign` does, but through `POST /v1/tags` and the bulk
//! `POST /v1/tags/contacts/add`: `create-assign` takes one contact per
//! request and documents no answer, so the cached contacts could not learn
//! the new tags' ids.

use std::rc::Rc;

use crate::account::{Account, AccountChange, LabelChange, LabelList, label_counts};
use crate::dex::HttpTransport;
use crate::dex::v1::V1Writer;
use crate::model::{ContactId, ErrorKind, Label, ToolError};
use crate::paging::{ANSWER_BUDGET_CHARS, Cursor, JsonSize, Page, continuation, field_size, page};
use crate::snapshot::Needs;
use crate::writes::{Written, contact_ids, require_confirmation, required_text};

/// What the tag tools say they cannot do on the legacy API.
pub const TAGS_NEED: &str = "Tags (Dex's tag endpoints)";

/// What the counts are built from: the contacts, which carry their tags.
pub const COUNT_NEEDS: Needs = Needs {
    lists: &[crate::dex::ListKind::Contacts],
    links: &[],
};

/// The most tags or contacts one call takes, so that one request body stays
/// a size Dex takes.
pub const MAX_BULK: usize = 500;

/// A tag and how many contacts carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagCount {
    /// The tag.
    pub tag: Label,
    /// Contacts carrying it.
    pub contacts: u32,
}

impl JsonSize for TagCount {
    fn json_size(&self) -> usize {
        field_size("id", &self.tag.id) + field_size("name", &self.tag.name) + 24
    }
}

/// The answer of `list-tags`.
#[derive(Debug, Clone, PartialEq)]
pub struct TagList {
    /// This page.
    pub tags: Page<TagCount>,
    /// One sentence for the assistant.
    pub summary: String,
}

/// The label whose id is `given`, or else whose name is `given` ignoring
/// case and surrounding spaces; not-found names the tool that lists them.
pub fn resolve<'a>(
    labels: &'a [Label],
    given: &str,
    noun: &str,
    lister: &str,
) -> Result<&'a Label, ToolError> {
    let given = given.trim();
    labels
        .iter()
        .find(|l| l.id == given)
        .or_else(|| labels.iter().find(|l| l.name == given))
        .or_else(|| {
            labels
                .iter()
                .find(|l| l.name.to_lowercase() == given.to_lowercase())
        })
        .ok_or_else(|| {
            ToolError::new(
                ErrorKind::NotFound,
                format!(
                    "The account has no {noun} named or with id `{given}`; {lister} lists them."
                ),
            )
        })
}

/// Checks a tag argument: not blank.
fn tag_arg(field: &str, raw: &str) -> Result<String, ToolError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(ToolError::validation(
            field,
            format!("{field} is empty; pass a tag's name or id (list_tags)"),
        ));
    }
    Ok(text.to_owned())
}

/// Checks a list of tag arguments: at least one, each not blank, repeats
/// (ignoring case) dropped.
fn tag_args(raws: &[String]) -> Result<Vec<String>, ToolError> {
    if raws.is_empty() {
        return Err(ToolError::validation(
            "tags",
            "tags is empty; pass at least one tag name or id",
        ));
    }
    if raws.len() > MAX_BULK {
        return Err(ToolError::validation(
            "tags",
            format!("{} tags at once; pass at most {MAX_BULK}", raws.len()),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(raws.len());
    for raw in raws {
        let tag = tag_arg("tags", raw)?;
        if !out.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            out.push(tag);
        }
    }
    Ok(out)
}

/// Contact ids of a bulk call: [`contact_ids`], at most [`MAX_BULK`].
pub fn bulk_contact_ids(raws: &[String]) -> Result<Vec<ContactId>, ToolError> {
    if raws.len() > MAX_BULK {
        return Err(ToolError::validation(
            "contact-ids",
            format!(
                "{} contacts at once; pass at most {MAX_BULK} and call again for the rest",
                raws.len()
            ),
        ));
    }
    contact_ids("contact-ids", raws)
}

/// Names of `labels`, quoted and joined.
fn names(labels: &[Label]) -> String {
    labels
        .iter()
        .map(|l| format!("\"{}\"", l.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// " (count is from an incomplete account read: ...)" when it is one.
pub fn count_caveat(account: &Account) -> String {
    account
        .snapshot
        .incomplete_reason(&COUNT_NEEDS)
        .map(|reason| format!(" Counts may be low: {reason}"))
        .unwrap_or_default()
}

/// One page of the account's tags with their counts. The cursor is
/// checked before anything is sent.
pub fn list_tags<T: HttpTransport>(
    dex: &V1Writer<T>,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    cursor: Option<&str>,
) -> Result<TagList, ToolError> {
    const TOOL: &str = "list-tags";
    let start = match cursor {
        None => Cursor::start(TOOL),
        Some(raw) => Cursor::parse(TOOL, "cursor", raw)?,
    };
    let tags = dex.tags()?;
    let account = account()?;
    let counts = label_counts(&account.contacts, LabelList::Tags);
    let all: Vec<TagCount> = tags
        .into_iter()
        .map(|tag| TagCount {
            contacts: counts.get(tag.id.as_str()).copied().unwrap_or(0) as u32,
            tag,
        })
        .collect();
    let tags = page(all, start, usize::MAX, ANSWER_BUDGET_CHARS);
    let summary = format!(
        "{} tags; {} on this page.{}{}",
        tags.total,
        tags.items.len(),
        continuation(&tags, "tags"),
        count_caveat(&account)
    );
    Ok(TagList { tags, summary })
}

/// Refuses `name` when a label of `labels` has it already (ignoring case).
pub fn require_new_name(labels: &[Label], name: &str, noun: &str) -> Result<(), ToolError> {
    match labels
        .iter()
        .find(|l| l.name.to_lowercase() == name.to_lowercase())
    {
        Some(taken) => Err(ToolError::validation(
            "name",
            format!(
                "the account has a {noun} named \"{}\" already (id {}); use it, or pick another name",
                taken.name, taken.id
            ),
        )),
        None => Ok(()),
    }
}

/// Creates the tag `name`, refusing a name the account has.
pub fn create_tag<T: HttpTransport>(
    dex: &V1Writer<T>,
    name: &str,
) -> Result<Written<Vec<Label>>, ToolError> {
    let name = required_text("name", name)?;
    require_new_name(&dex.tags()?, &name, "tag")?;
    let tag = dex.create_tag(&name)?;
    Ok(Written {
        summary: format!("Created tag \"{}\" (id {}).", tag.name, tag.id),
        change: AccountChange::Labels(LabelChange::Created),
        answer: vec![tag],
    })
}

/// Renames tag `tag` to `name`.
pub fn rename_tag<T: HttpTransport>(
    dex: &V1Writer<T>,
    tag: &str,
    name: &str,
) -> Result<Written<Vec<Label>>, ToolError> {
    let given = tag_arg("tag", tag)?;
    let name = required_text("name", name)?;
    let tags = dex.tags()?;
    let old = resolve(&tags, &given, "tag", "list_tags")?.clone();
    let others: Vec<Label> = tags.into_iter().filter(|t| t.id != old.id).collect();
    require_new_name(&others, &name, "tag")?;
    let renamed = dex.rename_tag(&old.id, &name)?;
    Ok(Written {
        summary: format!("Renamed tag \"{}\" to \"{}\".", old.name, renamed.name),
        change: AccountChange::Labels(LabelChange::Renamed {
            list: LabelList::Tags,
            label: renamed.clone(),
        }),
        answer: vec![renamed],
    })
}

/// Deletes tag `tag` once `confirm` is true; otherwise says how many
/// contacts carry it.
pub fn delete_tag<T: HttpTransport>(
    dex: &V1Writer<T>,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    tag: &str,
    confirm: Option<bool>,
) -> Result<Written<Vec<Label>>, ToolError> {
    let given = tag_arg("tag", tag)?;
    let tags = dex.tags()?;
    let tag = resolve(&tags, &given, "tag", "list_tags")?.clone();
    require_confirmation(confirm, || {
        let account = account()?;
        let carried = label_counts(&account.contacts, LabelList::Tags)
            .get(tag.id.as_str())
            .copied()
            .unwrap_or(0);
        Ok(format!(
            "It deletes the tag \"{}\" and takes it off the {carried} contacts that carry it (the contacts stay).{}",
            tag.name,
            count_caveat(&account)
        ))
    })?;
    dex.delete_label(crate::dex::v1::LabelKind::Tag, &tag.id)?;
    Ok(Written {
        summary: format!("Deleted tag \"{}\".", tag.name),
        change: AccountChange::Labels(LabelChange::Deleted {
            list: LabelList::Tags,
            id: tag.id.to_string(),
        }),
        answer: vec![tag],
    })
}

/// Puts the tags of `tags` on the contacts of `contact_ids`, creating the
/// tags given by a name no tag has.
pub fn tag_contacts<T: HttpTransport>(
    dex: &V1Writer<T>,
    contact_ids: &[String],
    tags: &[String],
) -> Result<Written<Vec<Label>>, ToolError> {
    let contacts = bulk_contact_ids(contact_ids)?;
    let given = tag_args(tags)?;
    let known = dex.tags()?;
    let mut labels: Vec<Label> = Vec::with_capacity(given.len());
    let mut created: Vec<Label> = Vec::new();
    for name in &given {
        let label = match resolve(&known, name, "tag", "list_tags") {
            Ok(label) => label.clone(),
            Err(_) => {
                let label = dex
                    .create_tag(name)
                    .map_err(|e| with_created(e, &created))?;
                created.push(label.clone());
                label
            }
        };
        if !labels.iter().any(|l| l.id == label.id) {
            labels.push(label);
        }
    }
    let ids: Vec<&str> = labels.iter().map(|l| l.id.as_str()).collect();
    dex.tag_contacts(&ids, &contacts, true)
        .map_err(|e| with_created(e, &created))?;
    let created_sentence = if created.is_empty() {
        String::new()
    } else {
        format!(" Created {} first.", names(&created))
    };
    Ok(Written {
        summary: format!(
            "Tagged {} contacts with {}.{created_sentence}",
            contacts.len(),
            names(&labels)
        ),
        change: AccountChange::Labels(LabelChange::Added {
            list: LabelList::Tags,
            labels: labels.clone(),
            contact_ids: contacts.iter().map(|c| c.to_string()).collect(),
        }),
        answer: labels,
    })
}

/// `error`, saying which tags were created before it.
fn with_created(error: ToolError, created: &[Label]) -> ToolError {
    if created.is_empty() {
        return error;
    }
    ToolError {
        message: format!(
            "{} (the new tags {} were created before this; they exist now)",
            error.message,
            names(created)
        ),
        ..error
    }
}

/// Takes the tags of `tags` off the contacts of `contact_ids`; a tag the
/// account does not have is refused before anything changes.
pub fn untag_contacts<T: HttpTransport>(
    dex: &V1Writer<T>,
    contact_ids: &[String],
    tags: &[String],
) -> Result<Written<Vec<Label>>, ToolError> {
    let contacts = bulk_contact_ids(contact_ids)?;
    let given = tag_args(tags)?;
    let known = dex.tags()?;
    let mut labels: Vec<Label> = Vec::with_capacity(given.len());
    for name in &given {
        let label = resolve(&known, name, "tag", "list_tags")?;
        if !labels.iter().any(|l| l.id == label.id) {
            labels.push(label.clone());
        }
    }
    let ids: Vec<&str> = labels.iter().map(|l| l.id.as_str()).collect();
    dex.tag_contacts(&ids, &contacts, false)?;
    Ok(Written {
        summary: format!("Took {} off {} contacts.", names(&labels), contacts.len()),
        change: AccountChange::Labels(LabelChange::Removed {
            list: LabelList::Tags,
            label_ids: ids.iter().map(|id| id.to_string()).collect(),
            contact_ids: contacts.iter().map(|c| c.to_string()).collect(),
        }),
        answer: labels,
    })
}

/// The `tags` export: WIT values into the adapters above and their
/// answers out; compiled for the component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use crate::component::Component;
    use crate::component::bindings::dex::crm::types as wit;
    use crate::component::bindings::exports::dex::crm::tags;
    use crate::component::convert::{label, tool_error};
    use crate::component::state::{account, record_write};
    use crate::component::transport::WasiHttp;
    use crate::dex::v1::V1Writer;
    use crate::model;
    use crate::settings::Settings;

    /// The settings and a v1 writer; on the legacy API, the validation
    /// error, before any request.
    fn dex() -> Result<(Settings, V1Writer<WasiHttp>), wit::ToolError> {
        let settings = Settings::from_env_on_v1(super::TAGS_NEED).map_err(tool_error)?;
        let writer = V1Writer::new(&settings.base_url, WasiHttp);
        Ok((settings, writer))
    }

    fn written(
        written: Result<crate::writes::Written<Vec<model::Label>>, model::ToolError>,
    ) -> Result<tags::TagWrite, wit::ToolError> {
        let (labels, summary) = record_write(written).map_err(tool_error)?;
        Ok(tags::TagWrite {
            tags: labels.into_iter().map(label).collect(),
            summary,
        })
    }

    impl tags::Guest for Component {
        fn list_tags(cursor: Option<String>) -> Result<tags::TagList, wit::ToolError> {
            let (settings, dex) = dex()?;
            let read = || account(&settings);
            let list = super::list_tags(&dex, &read, cursor.as_deref()).map_err(tool_error)?;
            Ok(tags::TagList {
                tags: list
                    .tags
                    .items
                    .into_iter()
                    .map(|t| tags::TagCount {
                        id: t.tag.id.into(),
                        name: t.tag.name.into(),
                        contacts: t.contacts,
                    })
                    .collect(),
                next_cursor: list.tags.next_cursor,
                summary: list.summary,
            })
        }

        fn create_tag(name: String) -> Result<tags::TagWrite, wit::ToolError> {
            let (_, dex) = dex()?;
            written(super::create_tag(&dex, &name))
        }

        fn rename_tag(tag: String, name: String) -> Result<tags::TagWrite, wit::ToolError> {
            let (_, dex) = dex()?;
            written(super::rename_tag(&dex, &tag, &name))
        }

        fn delete_tag(
            tag: String,
            confirm: Option<bool>,
        ) -> Result<tags::TagWrite, wit::ToolError> {
            let (settings, dex) = dex()?;
            let read = || account(&settings);
            written(super::delete_tag(&dex, &read, &tag, confirm))
        }

        fn tag_contacts(
            contact_ids: Vec<String>,
            tags_: Vec<String>,
        ) -> Result<tags::TagWrite, wit::ToolError> {
            let (_, dex) = dex()?;
            written(super::tag_contacts(&dex, &contact_ids, &tags_))
        }

        fn untag_contacts(
            contact_ids: Vec<String>,
            tags_: Vec<String>,
        ) -> Result<tags::TagWrite, wit::ToolError> {
            let (_, dex) = dex()?;
            written(super::untag_contacts(&dex, &contact_ids, &tags_))
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

    const TAGS: &str = r#"{"error":false,"data":{"items":[{"id":"t1","name":"VC"},{"id":"t2","name":"Family"}],"nextCursor":null}}"#;

    fn dex(script: &Scripted) -> V1Writer<&Scripted> {
        V1Writer::new("http://dex.test", script).with_retrier(no_wait())
    }

    fn account() -> Result<Rc<Account>, ToolError> {
        let carrying = |id: &str| {
            Arc::new(Contact {
                id: id.into(),
                tags: vec![Label {
                    id: "t1".into(),
                    name: "VC".into(),
                }],
                ..Contact::default()
            })
        };
        let snapshot = Snapshot {
            contacts: vec![carrying("c1"), carrying("c2"), Arc::new(Contact::default())],
            ..Snapshot::default()
        };
        Ok(Rc::new(Account::index(snapshot, Duration::ZERO)))
    }

    #[test]
    fn tags_are_listed_with_the_contacts_carrying_them() {
        let script = Scripted::new(&[(200, TAGS)]);
        let list = list_tags(&dex(&script), &account, None).unwrap();
        let counts: Vec<(&str, u32)> = list
            .tags
            .items
            .iter()
            .map(|t| (t.tag.name.as_str(), t.contacts))
            .collect();
        assert_eq!(counts, [("VC", 2), ("Family", 0)]);
        assert_eq!(script.asked(), ["GET /v1/tags?take=100"], "one request");
        let err = list_tags(&dex(&script), &account, Some("search.3")).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation);
    }

    #[test]
    fn tagging_by_name_creates_only_the_missing_tags_then_tags_in_one_request() {
        let script = Scripted::new(&[
            (200, TAGS),
            (
                200,
                r#"{"error":false,"data":{"tag":{"id":"t3","name":"Rowing"}}}"#,
            ),
            (200, r#"{"error":false,"message":"ok"}"#),
        ]);
        let written = tag_contacts(
            &dex(&script),
            &["c1".into(), "c2".into()],
            &["vc".into(), "Rowing".into(), "VC".into()],
        )
        .unwrap();
        assert_eq!(
            script.asked(),
            [
                "GET /v1/tags?take=100",
                "POST /v1/tags",
                "POST /v1/tags/contacts/add"
            ]
        );
        assert_eq!(
            script.body(2),
            serde_json::json!({"contactIds": ["c1", "c2"], "tagIds": ["t1", "t3"]})
        );
        assert!(
            written.summary.contains("Created \"Rowing\""),
            "{}",
            written.summary
        );
        assert!(matches!(
            written.change,
            AccountChange::Labels(LabelChange::Added { ref labels, .. }) if labels.len() == 2
        ));
    }

    #[test]
    fn bad_arguments_and_unknown_tags_send_no_write() {
        let script = Scripted::new(&[]);
        let err = tag_contacts(&dex(&script), &[], &["VC".into()]).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("contact_ids"));
        let err = tag_contacts(&dex(&script), &["c1".into()], &[" ".into()]).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("tags"));
        let err = create_tag(&dex(&script), "").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("name"));
        assert!(script.seen().is_empty());
        let script = Scripted::new(&[(200, TAGS), (200, TAGS)]);
        let err = untag_contacts(&dex(&script), &["c1".into()], &["Rowing".into()]).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert!(err.message.contains("list_tags"), "{}", err.message);
        let err = create_tag(&dex(&script), "family").unwrap_err();
        assert!(err.message.contains("id t2"), "{}", err.message);
        assert_eq!(script.seen().len(), 2, "only the two list reads");
    }

    #[test]
    fn a_tag_is_deleted_only_once_confirmed_and_the_question_counts_its_contacts() {
        let script = Scripted::new(&[(200, TAGS), (200, TAGS), (200, r#"{"error":false}"#)]);
        let err = delete_tag(&dex(&script), &account, "VC", None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::ConfirmationRequired);
        assert!(err.message.contains("the 2 contacts"), "{}", err.message);
        let written = delete_tag(&dex(&script), &account, "t1", Some(true)).unwrap();
        assert_eq!(written.answer[0].name, "VC");
        assert_eq!(script.asked()[2], "DELETE /v1/tags/t1");
    }

    #[test]
    fn a_rename_to_a_name_another_tag_has_is_refused() {
        let script = Scripted::new(&[(200, TAGS)]);
        let err = rename_tag(&dex(&script), "VC", "FAMILY").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("name"));
        let script = Scripted::new(&[
            (200, TAGS),
            (200, r#"{"error":false,"data":{"id":"t1","name":"vc"}}"#),
        ]);
        let written = rename_tag(&dex(&script), "VC", "vc").unwrap();
        assert_eq!(written.answer[0].name, "vc");
    }
}
