//! Tags and groups through v1 (`docs/dex-api.md`, "Other v1 endpoints"):
//! their lists, read whole (an account has tens of them, not thousands),
//! and their writes.
//!
//! Creations are sent once, like every create ([`super::writes`]).
//! Renames, deletes and membership changes are repeated after a transient
//! failure: each sets a state (this name, these contacts carry this tag),
//! so a repetition changes nothing more, even the two membership changes
//! Dex takes as POSTs. Their answers are not read beyond the status: Dex
//! documents none for the membership changes, and a delete may carry no
//! `data`.

use serde::Deserialize;
use serde_json::{Value, json};

use super::answers::{self, GROUP, Kind, TAG};
use super::wire::{Envelope, Page};
use super::writes::V1Writer;
use crate::dex::wire_text::require_ids;
use crate::dex::{HttpResponse, HttpTransport, Method, check_status, decode_json};
use crate::model::{ContactId, ErrorKind, Group, GroupFields, Label, ToolError};

/// Pages of a label list read at most: 100 labels a page, so 10,000
/// labels; a list that goes on is a Dex fault, not an account.
const MAX_PAGES: usize = 100;

/// A tag as its endpoints answer it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WireTag {
    id: String,
    name: Option<String>,
}

impl From<WireTag> for Label {
    fn from(w: WireTag) -> Label {
        Label {
            id: w.id.into(),
            name: w.name.unwrap_or_default().trim().into(),
        }
    }
}

/// A group as its endpoints answer it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WireGroup {
    id: String,
    name: Option<String>,
    emoji: Option<String>,
    description: Option<String>,
}

fn present(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

impl From<WireGroup> for Group {
    fn from(w: WireGroup) -> Group {
        Group {
            id: w.id,
            name: w.name.unwrap_or_default().trim().to_owned(),
            emoji: present(w.emoji),
            description: present(w.description),
        }
    }
}

/// Which label endpoints a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    /// `/v1/tags`.
    Tag,
    /// `/v1/groups`.
    Group,
}

impl LabelKind {
    fn path(self) -> &'static str {
        match self {
            LabelKind::Tag => "/v1/tags",
            LabelKind::Group => "/v1/groups",
        }
    }

    fn kind(self) -> Kind {
        match self {
            LabelKind::Tag => TAG,
            LabelKind::Group => GROUP,
        }
    }

    /// `tag` or `group`.
    pub fn noun(self) -> &'static str {
        self.kind().singular
    }

    /// The tool that lists them, for messages.
    pub fn lister(self) -> &'static str {
        match self {
            LabelKind::Tag => "list_tags",
            LabelKind::Group => "list_groups",
        }
    }
}

/// `{"group": {...}}` with the fields `fields` sets; an empty emoji or
/// description is sent as `null`, which clears it.
fn group_body(fields: &GroupFields) -> Value {
    let mut group = serde_json::Map::new();
    if let Some(name) = &fields.name {
        group.insert("name".into(), json!(name));
    }
    for (key, value) in [
        ("emoji", &fields.emoji),
        ("description", &fields.description),
    ] {
        if let Some(text) = value {
            let text = Some(text.as_str()).filter(|t| !t.is_empty());
            group.insert(key.into(), json!(text));
        }
    }
    json!({ "group": group })
}

fn ids(ids: &[ContactId]) -> Vec<&str> {
    ids.iter().map(ContactId::as_str).collect()
}

impl<T: HttpTransport> V1Writer<T> {
    /// Every record of a list the account has tens of (tags, groups,
    /// custom fields: `noun`s at `list_path`), following its cursors.
    pub(super) fn read_all<W: for<'de> Deserialize<'de>>(
        &self,
        list_path: &str,
        noun: &str,
    ) -> Result<Vec<W>, ToolError> {
        let endpoint = format!("GET {list_path}");
        let what = format!("{noun}s ({endpoint})");
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut path = format!("{list_path}?take=100");
            if let Some(c) = &cursor {
                path.push_str("&cursor=");
                path.push_str(&form_urlencoded::byte_serialize(c.as_bytes()).collect::<String>());
            }
            let response = self.send_retried(Method::Get, &path, None, &what)?;
            let page: Envelope<Page<W>> = decode_json(&response, &what)?;
            items.extend(page.data.items);
            match page.data.next_cursor {
                Some(next) if Some(&next) != cursor.as_ref() => cursor = Some(next),
                _ => return Ok(items),
            }
        }
        Err(ToolError::new(
            ErrorKind::Upstream,
            format!("Dex answered {endpoint} with more than {MAX_PAGES} pages"),
        ))
    }

    /// Every tag of the account, in Dex's order.
    pub fn tags(&self) -> Result<Vec<Label>, ToolError> {
        let tags: Vec<WireTag> = self.read_all(LabelKind::Tag.path(), LabelKind::Tag.noun())?;
        require_ids(tags.iter().map(|t| t.id.as_str()), "tag", "GET /v1/tags")?;
        Ok(tags.into_iter().map(Label::from).collect())
    }

    /// Every group of the account, in Dex's order.
    pub fn groups(&self) -> Result<Vec<Group>, ToolError> {
        let groups: Vec<WireGroup> =
            self.read_all(LabelKind::Group.path(), LabelKind::Group.noun())?;
        require_ids(
            groups.iter().map(|g| g.id.as_str()),
            "group",
            "GET /v1/groups",
        )?;
        Ok(groups.into_iter().map(Group::from).collect())
    }

    /// Creates a tag named `name` (`POST /v1/tags`), sent once.
    pub fn create_tag(&self, name: &str) -> Result<Label, ToolError> {
        self.post_once(
            "/v1/tags",
            &json!({"tag": {"name": name}}),
            &format!("the tag {name:?}"),
            "list_tags",
            |r| label_answer::<WireTag, _>(r, LabelKind::Tag, "POST /v1/tags"),
        )
    }

    /// Renames tag `id` (`PUT /v1/tags/{id}`).
    pub fn rename_tag(&self, id: &str, name: &str) -> Result<Label, ToolError> {
        let response = self.send_retried(
            Method::Put,
            &format!("/v1/tags/{id}"),
            Some(&json!({"tag": {"name": name}})),
            &format!("tag with id {id}"),
        )?;
        label_answer::<WireTag, _>(&response, LabelKind::Tag, "PUT /v1/tags/{id}")
    }

    /// Creates a group (`POST /v1/groups`), sent once; `fields.name` is set.
    pub fn create_group(&self, fields: &GroupFields) -> Result<Group, ToolError> {
        let name = fields.name.as_deref().unwrap_or_default();
        self.post_once(
            "/v1/groups",
            &group_body(fields),
            &format!("the group {name:?}"),
            "list_groups",
            |r| label_answer::<WireGroup, _>(r, LabelKind::Group, "POST /v1/groups"),
        )
    }

    /// Changes the fields of group `id` that `fields` sets
    /// (`PUT /v1/groups/{id}`).
    pub fn update_group(&self, id: &str, fields: &GroupFields) -> Result<Group, ToolError> {
        let response = self.send_retried(
            Method::Put,
            &format!("/v1/groups/{id}"),
            Some(&group_body(fields)),
            &format!("group with id {id}"),
        )?;
        label_answer::<WireGroup, _>(&response, LabelKind::Group, "PUT /v1/groups/{id}")
    }

    /// Deletes tag or group `id`; Dex takes it off every contact.
    pub fn delete_label(&self, kind: LabelKind, id: &str) -> Result<(), ToolError> {
        let what = format!("{} with id {id}", kind.noun());
        self.send_retried(
            Method::Delete,
            &format!("{}/{id}", kind.path()),
            None,
            &what,
        )?;
        Ok(())
    }

    /// Puts every tag of `tag_ids` on every contact of `contacts` (`add`,
    /// `POST /v1/tags/contacts/add`) or takes them off (`.../remove`).
    pub fn tag_contacts(
        &self,
        tag_ids: &[&str],
        contacts: &[ContactId],
        add: bool,
    ) -> Result<(), ToolError> {
        let path = if add {
            "/v1/tags/contacts/add"
        } else {
            "/v1/tags/contacts/remove"
        };
        let body = json!({"contactIds": ids(contacts), "tagIds": tag_ids});
        self.send_repeatable(Method::Post, path, &body, "the tags or contacts named")?;
        Ok(())
    }

    /// Adds the contacts of `contacts` to group `id` (`add`,
    /// `PUT /v1/groups/{id}/contacts`) or takes them out (`POST` to it).
    pub fn group_members(
        &self,
        id: &str,
        contacts: &[ContactId],
        add: bool,
    ) -> Result<(), ToolError> {
        let method = if add { Method::Put } else { Method::Post };
        let body = json!({"contactIds": ids(contacts)});
        self.send_repeatable(
            method,
            &format!("/v1/groups/{id}/contacts"),
            &body,
            &format!("group with id {id}, or one of the contacts named"),
        )?;
        Ok(())
    }

    /// Sends a write that may be repeated, retrying transient failures,
    /// and checks its status; answers the response. When no answer came at
    /// all, the error says that the change may or may not have been made
    /// and that sending it again is safe.
    pub(super) fn send_repeatable(
        &self,
        method: Method,
        path: &str,
        body: &Value,
        what: &str,
    ) -> Result<HttpResponse, ToolError> {
        let request = self.request(method, path, Some(body));
        let answer = self
            .retrier
            .send_repeatable(&self.transport, request)
            .map_err(|e| {
                ToolError::new(
                    ErrorKind::Upstream,
                    format!(
                        "No answer from Dex to {method} {path}: {e}. The change may or may not have been made; calling the tool again is safe, as repeating it changes nothing more"
                    ),
                )
            })?;
        check_status(answer, what)
    }
}

/// The tag or group in a write's answer, wrapped in its kind or bare.
fn label_answer<W: for<'de> Deserialize<'de>, R: From<W>>(
    response: &HttpResponse,
    kind: LabelKind,
    endpoint: &str,
) -> Result<R, ToolError> {
    answers::record::<W>(response, kind.kind(), endpoint).map(|(wire, _)| wire.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dex::testing::{Scripted, no_wait};

    fn writer(script: &Scripted) -> V1Writer<&Scripted> {
        V1Writer::new("http://dex.test", script).with_retrier(no_wait())
    }

    fn asked(script: &Scripted) -> Vec<String> {
        script
            .seen()
            .iter()
            .map(|r| format!("{} {}", r.method, r.url))
            .collect()
    }

    fn contact(id: &str) -> ContactId {
        ContactId::parse("contact-ids", id).unwrap()
    }

    #[test]
    fn a_label_list_is_read_to_its_last_page() {
        let script = Scripted::new(&[
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"t1","name":" VC "}],"nextCursor":"a b","count":2}}"#,
            ),
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"t2","name":"Family"}],"nextCursor":null}}"#,
            ),
        ]);
        let tags = writer(&script).tags().unwrap();
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["VC", "Family"]);
        assert_eq!(
            asked(&script),
            [
                "GET http://dex.test/v1/tags?take=100",
                "GET http://dex.test/v1/tags?take=100&cursor=a+b",
            ]
        );
    }

    #[test]
    fn created_labels_are_read_wrapped_or_bare() {
        for body in [
            r#"{"error":false,"data":{"group":{"id":"g1","name":"Climbing","emoji":"🧗","description":""}}}"#,
            r#"{"error":false,"data":{"id":"g1","name":"Climbing","emoji":"🧗"}}"#,
        ] {
            let script = Scripted::new(&[(200, body)]);
            let fields = GroupFields {
                name: Some("Climbing".into()),
                emoji: Some("🧗".into()),
                description: Some(String::new()),
            };
            let group = writer(&script).create_group(&fields).unwrap();
            assert_eq!(group.id, "g1", "{body}");
            assert_eq!(group.emoji.as_deref(), Some("🧗"));
            assert_eq!(group.description, None);
            let sent = script.body(0);
            assert_eq!(
                sent,
                json!({"group": {"name": "Climbing", "emoji": "🧗", "description": null}})
            );
        }
    }

    #[test]
    fn a_create_that_lost_its_answer_is_sent_once_and_points_at_the_list() {
        let script = Scripted::new(&[(503, "busy")]);
        let err = writer(&script).create_tag("VC").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Upstream);
        assert!(err.message.contains("list_tags"), "{}", err.message);
        assert_eq!(script.seen().len(), 1);
    }

    #[test]
    fn membership_changes_are_repeated_after_a_server_error() {
        let script = Scripted::new(&[
            (503, ""),
            (200, r#"{"error":false,"message":"ok"}"#),
            (200, r#"{"error":false}"#),
        ]);
        let writer = writer(&script);
        writer
            .tag_contacts(&["t1"], &[contact("c1"), contact("c2")], true)
            .unwrap();
        writer.group_members("g1", &[contact("c1")], false).unwrap();
        assert_eq!(
            asked(&script),
            [
                "POST http://dex.test/v1/tags/contacts/add",
                "POST http://dex.test/v1/tags/contacts/add",
                "POST http://dex.test/v1/groups/g1/contacts",
            ]
        );
        let sent = script.body(0);
        assert_eq!(sent, json!({"contactIds": ["c1", "c2"], "tagIds": ["t1"]}));
    }

    #[test]
    fn an_unknown_label_is_not_found() {
        let script = Scripted::new(&[(404, r#"{"error":true,"message":"tag t9 not found"}"#)]);
        let err = writer(&script)
            .delete_label(LabelKind::Tag, "t9")
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert_eq!(asked(&script), ["DELETE http://dex.test/v1/tags/t9"]);
    }
}
