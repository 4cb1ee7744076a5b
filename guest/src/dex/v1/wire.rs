//! v1's JSON shapes, as `docs/dex-api.md` documents them.
//!
//! Every field is optional and unknown fields are ignored: Dex may add
//! fields at any time, and a read must not fail because of them.

use serde::Deserialize;

use crate::dex::wire_text::{exact, present, present_compact};
use crate::model::{
    Contact, CustomFieldValue, EmailEntry, KeepInTouch, Label, PhoneEntry, SocialLink,
    SocialNetwork,
};

/// `{"error": false, "data": ...}`.
#[derive(Debug, Deserialize)]
pub struct Envelope<T> {
    /// The payload.
    pub data: T,
}

/// A page of a list. Dex answers `data = {items, nextCursor, count}`
/// (live); a `data` that is itself a list is read as one last page, so
/// that an endpoint answering everything at once reads too. A page object
/// without `items` is refused rather than read as empty.
#[derive(Debug)]
pub struct Page<T> {
    /// This page's items.
    pub items: Vec<T>,
    /// The cursor of the next page, opaque; absent or null on the last one.
    /// A number is kept as its text: it is sent back, never read.
    pub next_cursor: Option<String>,
    /// How many records the whole list holds, when Dex says.
    pub count: Option<u64>,
    /// Which of the two forms `data` had.
    pub shape: PageShape,
}

/// How a list answer held its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageShape {
    /// `data: {items, nextCursor, count}`.
    Paged,
    /// `data: [...]`: everything at once, no cursor.
    List,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PageVisitor(std::marker::PhantomData))
    }
}

/// Reads a page in one pass (no intermediate JSON value: pages of notes
/// are the bulk of a cold read).
struct PageVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for PageVisitor<T> {
    type Value = Page<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a page {items, nextCursor, count} or a list of records")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Page {
            items,
            next_cursor: None,
            count: None,
            shape: PageShape::List,
        })
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut items = None;
        let mut next_cursor = None;
        let mut count = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "items" => items = Some(map.next_value::<Vec<T>>()?),
                "nextCursor" => next_cursor = map.next_value::<Option<Cursor>>()?.map(|c| c.0),
                "count" => count = map.next_value::<serde_json::Value>()?.as_u64(),
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(Page {
            items: items.ok_or_else(|| serde::de::Error::missing_field("items"))?,
            next_cursor,
            count,
            shape: PageShape::Paged,
        })
    }
}

/// An opaque cursor: a string, or a number kept as its digits.
struct Cursor(String);

impl<'de> Deserialize<'de> for Cursor {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(text) => Ok(Cursor(text)),
            serde_json::Value::Number(number) => Ok(Cursor(number.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "`nextCursor` is {other}, not a string"
            ))),
        }
    }
}

/// `contact_emails[]`.
#[derive(Debug, Deserialize)]
pub struct WireEmail {
    email: Option<String>,
    label: Option<String>,
    ranking: Option<i64>,
}

/// `contact_phone_numbers[]`.
#[derive(Debug, Deserialize)]
pub struct WirePhone {
    phone_number: Option<String>,
    label: Option<String>,
    ranking: Option<i64>,
}

/// A v1 contact. `id` defaults to empty so that one odd record does not
/// fail serde with a vague message; the readers refuse an empty id by
/// name ([`super::answers::require_ids`]).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WireContact {
    id: String,
    full_name: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    job_title: Option<String>,
    company: Option<String>,
    description: Option<String>,
    website: Option<String>,
    starred: Option<bool>,
    is_archived: Option<bool>,
    birthday: Option<String>,
    birthday_year: Option<i32>,
    linkedin: Option<String>,
    twitter: Option<String>,
    facebook: Option<String>,
    instagram: Option<String>,
    telegram: Option<String>,
    tiktok: Option<String>,
    youtube: Option<String>,
    last_seen_at: Option<String>,
    next_reminder_at: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    contact_emails: Option<Vec<WireEmail>>,
    contact_phone_numbers: Option<Vec<WirePhone>>,
    frequency: Option<serde_json::Value>,
    never_keep_in_touch: Option<bool>,
    tags_contacts: Option<Vec<WireLabelLink>>,
    groups_contacts: Option<Vec<WireLabelLink>>,
    custom_fields: Option<Vec<WireCustomFieldValue>>,
    /// Read entry by entry ([`super::wire_related`]): its shape is a guess.
    related_contacts: Option<Vec<serde_json::Value>>,
}

/// A tag or group itself: `{id, name}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WireLabel {
    id: Option<String>,
    name: Option<String>,
}

/// One entry of `tags_contacts` or `groups_contacts`. The reference names
/// the fields without their shape, so each form a join row may take is
/// read (`docs/dex-api.md`, "Contacts"): the label inlined
/// (`{tag: {id, name}}`), its id beside it (`{tag_id, ...}`), or the label
/// itself (`{id, name}`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WireLabelLink {
    id: Option<String>,
    name: Option<String>,
    #[serde(alias = "group_id")]
    tag_id: Option<String>,
    #[serde(alias = "group")]
    tag: Option<WireLabel>,
}

impl WireLabelLink {
    fn into_label(self) -> Option<Label> {
        let inner = self.tag.unwrap_or_default();
        let joined = inner.id.is_some() || inner.name.is_some() || self.tag_id.is_some();
        let id = present(inner.id).or(present(self.tag_id));
        // A join row's own `id` is the row's, not the label's.
        let id = if joined { id } else { present(self.id) };
        let name = present(inner.name).or(present(self.name))?;
        Some(Label {
            id: id.as_deref().unwrap_or_default().into(),
            name: name.into(),
        })
    }
}

/// One entry of a contact's `custom_fields`: `{id, type, text_value}` in
/// the reference; a batch update writes `text_value`, `date_value` or
/// `array_value`, so each is read, and the field's id may come as
/// `custom_field_id` or inlined as `custom_field: {id, name}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WireCustomFieldValue {
    id: Option<String>,
    custom_field_id: Option<String>,
    custom_field: Option<WireLabel>,
    name: Option<String>,
    text_value: Option<String>,
    date_value: Option<String>,
    array_value: Option<Vec<Option<String>>>,
}

impl WireCustomFieldValue {
    fn into_value(self) -> Option<CustomFieldValue> {
        let inner = self.custom_field.unwrap_or_default();
        let field_id = present(self.custom_field_id)
            .or(present(inner.id))
            .or(present(self.id))?;
        let mut values: Vec<String> = present(self.text_value).into_iter().collect();
        if let Some(date) = present(self.date_value) {
            values.push(date.split('T').next().unwrap_or(&date).to_owned());
        }
        values.extend(self.array_value.into_iter().flatten().filter_map(present));
        values.shrink_to_fit();
        (!values.is_empty()).then(|| CustomFieldValue {
            field_id: field_id.into(),
            name: present(inner.name).or(present(self.name)).map(Into::into),
            values,
        })
    }
}

/// Keep-in-touch as v1 sends it: interval text (`1 mon`) or days as a
/// number; anything else is read as unset rather than failing the contact.
fn keep_in_touch(value: Option<serde_json::Value>) -> Option<KeepInTouch> {
    match value? {
        serde_json::Value::String(text) => KeepInTouch::parse(&text),
        serde_json::Value::Number(days) => KeepInTouch::parse(&days.as_u64()?.to_string()),
        _ => None,
    }
}

fn labels(links: Option<Vec<WireLabelLink>>) -> Vec<Label> {
    exact(
        links
            .unwrap_or_default()
            .into_iter()
            .filter_map(WireLabelLink::into_label),
    )
}

impl WireContact {
    /// Whether Dex sent the contact's emails or phones at all (an empty
    /// list counts: it says there are none).
    pub fn carries_links(&self) -> bool {
        self.contact_emails.is_some() || self.contact_phone_numbers.is_some()
    }
}

/// `birthday` may carry a year, or come as `MM-DD` with `birthday_year`
/// beside it (the doc lists both fields without saying which form is used).
fn birthday(day: Option<String>, year: Option<i32>) -> Option<String> {
    let day = present(day)?;
    let day = day.split('T').next().unwrap_or(&day).to_owned();
    match (day.len(), year) {
        (10, _) => Some(day),
        (5, Some(year)) => Some(format!("{year:04}-{day}")),
        (5, None) => Some(format!("--{day}")),
        _ => Some(day),
    }
}

impl From<WireContact> for Contact {
    fn from(w: WireContact) -> Self {
        let first_name = present(w.first_name);
        let last_name = present(w.last_name);
        let full_name = present(w.full_name).unwrap_or_else(|| {
            [first_name.as_deref(), last_name.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        });
        let mut emails = w.contact_emails.unwrap_or_default();
        emails.sort_by_key(|e| e.ranking.unwrap_or(i64::MAX));
        let mut phones = w.contact_phone_numbers.unwrap_or_default();
        phones.sort_by_key(|p| p.ranking.unwrap_or(i64::MAX));
        let links = [
            w.linkedin,
            w.twitter,
            w.facebook,
            w.instagram,
            w.telegram,
            w.tiktok,
            w.youtube,
        ];
        let related = w
            .related_contacts
            .map(|entries| super::wire_related::related_contacts(&w.id, entries));
        Contact {
            id: w.id,
            full_name,
            first_name,
            last_name,
            job_title: present(w.job_title),
            company: present(w.company),
            description: present(w.description),
            emails: exact(emails.into_iter().filter_map(|e| {
                Some(EmailEntry {
                    email: present(e.email)?,
                    label: present(e.label).map(Into::into),
                })
            })),
            phones: exact(phones.into_iter().filter_map(|p| {
                Some(PhoneEntry {
                    number: present(p.phone_number)?,
                    label: present(p.label).map(Into::into),
                })
            })),
            social_links: exact(SocialNetwork::ALL.into_iter().zip(links).filter_map(
                |(network, url)| {
                    Some(SocialLink {
                        network,
                        url: present(url)?,
                    })
                },
            )),
            website: present(w.website),
            birthday: birthday(w.birthday, w.birthday_year),
            starred: w.starred.unwrap_or(false),
            archived: w.is_archived.unwrap_or(false),
            last_seen_at: present_compact(w.last_seen_at),
            next_reminder_at: present_compact(w.next_reminder_at),
            created_at: present_compact(w.created_at),
            updated_at: present_compact(w.updated_at),
            keep_in_touch: keep_in_touch(w.frequency),
            never_keep_in_touch: w.never_keep_in_touch.unwrap_or(false),
            tags: labels(w.tags_contacts),
            groups: labels(w.groups_contacts),
            custom_fields: exact(
                w.custom_fields
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(WireCustomFieldValue::into_value),
            ),
            related,
        }
    }
}

/// Decodes one v1 contact object (as found in `data.items` of
/// `GET /v1/contacts`) into a [`Contact`], exactly as the client does.
///
/// Public so that native tests and evaluations can turn the simulator's
/// v1 JSON into contacts through the same decoding as production.
pub fn contact_from_v1_json(value: serde_json::Value) -> Result<Contact, serde_json::Error> {
    serde_json::from_value::<WireContact>(value).map(Contact::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_maps_every_documented_field() {
        let json = r#"{
            "id": "c1", "first_name": "Ada", "last_name": "Lovelace", "full_name": "",
            "job_title": "Analyst", "company": "Engines Ltd", "description": " ",
            "starred": true, "is_archived": false, "birthday": "12-10", "birthday_year": 1815,
            "linkedin": "https://linkedin.com/in/ada", "twitter": "",
            "contact_emails": [{"email": "b@x.org", "label": "home", "ranking": 2},
                               {"email": "ada@x.org", "label": "work", "ranking": 1}],
            "contact_phone_numbers": [{"phone_number": "+44 20 7946 0958", "country_code": "+44",
                                       "phone_number_sanitized": "442079460958", "label": null, "ranking": 1}],
            "something_new": {"nested": true}
        }"#;
        let contact: Contact = serde_json::from_str::<WireContact>(json).unwrap().into();
        assert_eq!(contact.full_name, "Ada Lovelace");
        assert_eq!(contact.company.as_deref(), Some("Engines Ltd"));
        assert_eq!(contact.description, None);
        assert_eq!(contact.birthday.as_deref(), Some("1815-12-10"));
        assert_eq!(contact.emails[0].email, "ada@x.org");
        assert_eq!(contact.phones[0].number, "+44 20 7946 0958");
        assert_eq!(contact.social_links.len(), 1);
        assert_eq!(contact.social_links[0].network, SocialNetwork::Linkedin);
        assert!(contact.starred);
    }

    #[test]
    fn contact_reads_how_the_user_organised_them_in_every_listed_form() {
        let json = serde_json::json!({
            "id": "c1", "first_name": "Ada", "frequency": "3 mons", "never_keep_in_touch": false,
            "tags_contacts": [{"tag": {"id": "t1", "name": "Investors"}},
                              {"id": "row9", "tag_id": "t2", "name": "VIP"},
                              {"id": "t3", "name": "Sailing"},
                              {"tag": {"id": "t4"}}],
            "groups_contacts": [{"group": {"id": "g1", "name": "Book club"}},
                                {"group_id": "g2", "group": {"name": "Board"}}],
            "custom_fields": [{"id": "f1", "type": "input", "text_value": "Via Bob"},
                              {"custom_field_id": "f2", "date_value": "2024-05-01T00:00:00Z"},
                              {"custom_field": {"id": "f3", "name": "Sports"}, "array_value": ["sail", null, " "]},
                              {"id": "f4", "text_value": ""}]
        });
        let contact = contact_from_v1_json(json).unwrap();
        let named = |labels: &[Label]| {
            labels
                .iter()
                .map(|l| (l.id.clone(), l.name.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            named(&contact.tags),
            [
                ("t1".into(), "Investors".into()),
                ("t2".into(), "VIP".into()),
                ("t3".into(), "Sailing".into())
            ],
            "a tag without a name is left out"
        );
        assert_eq!(
            named(&contact.groups),
            [
                ("g1".into(), "Book club".into()),
                ("g2".into(), "Board".into())
            ]
        );
        let values: Vec<(&str, Option<&str>, Vec<&str>)> = contact
            .custom_fields
            .iter()
            .map(|v| {
                (
                    v.field_id.as_str(),
                    v.name.as_deref(),
                    v.values.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            values,
            [
                ("f1", None, vec!["Via Bob"]),
                ("f2", None, vec!["2024-05-01"]),
                ("f3", Some("Sports"), vec!["sail"]),
            ]
        );
        assert_eq!(
            contact.keep_in_touch,
            Some(KeepInTouch::of(crate::model::Frequency::Quarterly))
        );
        assert!(!contact.never_keep_in_touch);
    }

    #[test]
    fn contacts_share_their_labels_and_keep_no_spare_room() {
        let read = |id: &str| {
            contact_from_v1_json(serde_json::json!({
                "id": id, "first_name": "Ada",
                "created_at": "2024-05-01T10:00:00.000Z", "last_seen_at": "yesterday",
                "contact_emails": [{"email": "a@x.org", "label": "work"},
                                   {"email": "b@x.org", "label": "home"}],
                "contact_phone_numbers": [{"phone_number": "+1 555 0100", "label": "mobile"}],
                "linkedin": "ada", "twitter": "@ada",
                "tags_contacts": [{"tag": {"id": "t1", "name": "Investors"}}],
                "custom_fields": [{"custom_field": {"id": "f3", "name": "Sports"},
                                   "array_value": ["sail"]}],
                "related_contacts": ["c9"]
            }))
            .unwrap()
        };
        let (first, second) = (read("c1"), read("c2"));
        assert!(first.tags[0].name.same_copy(&second.tags[0].name));
        assert!(first.tags[0].id.same_copy(&second.tags[0].id));
        let email_label = |c: &Contact| c.emails[0].label.clone().expect("a label");
        assert!(email_label(&first).same_copy(&email_label(&second)));
        let field = |c: &Contact| c.custom_fields[0].field_id.clone();
        assert!(field(&first).same_copy(&field(&second)));
        assert_eq!(first.emails.capacity(), 2);
        assert_eq!(first.phones.capacity(), 1);
        assert_eq!(first.social_links.capacity(), 2);
        assert_eq!(first.tags.capacity(), 1);
        assert_eq!(first.custom_fields.capacity(), 1);
        assert_eq!(first.related.as_ref().map(Vec::capacity), Some(1));
        assert!(first.created_at.as_ref().is_some_and(|t| t.is_compact()));
        assert_eq!(
            first.created_at().as_deref(),
            Some("2024-05-01T10:00:00.000Z")
        );
        assert_eq!(
            first.last_seen_at().as_deref(),
            Some("yesterday"),
            "a time in no usual spelling reads as given"
        );
    }

    #[test]
    fn keep_in_touch_reads_days_as_a_number_and_ignores_what_is_no_interval() {
        let read = |frequency: serde_json::Value| {
            contact_from_v1_json(serde_json::json!({"id": "c", "frequency": frequency}))
                .unwrap()
                .keep_in_touch
                .map(|k| k.days)
        };
        assert_eq!(read(serde_json::json!(14)), Some(14));
        assert_eq!(read(serde_json::json!("1 year")), Some(365));
        assert_eq!(read(serde_json::json!(null)), None);
        assert_eq!(read(serde_json::json!("whenever")), None);
        assert_eq!(read(serde_json::json!({"days": 7})), None);
    }

    #[test]
    fn v1_json_values_decode_like_the_client() {
        let value = serde_json::json!({"id": "c9", "first_name": "Zoë", "last_name": "Ng"});
        let contact = contact_from_v1_json(value).unwrap();
        assert_eq!(
            (contact.id.as_str(), contact.full_name.as_str()),
            ("c9", "Zoë Ng")
        );
        assert!(contact_from_v1_json(serde_json::json!({"id": 5})).is_err());
    }

    #[test]
    fn related_contacts_left_out_are_unknown_while_an_empty_list_says_none() {
        let related = |value: serde_json::Value| contact_from_v1_json(value).unwrap().related;
        assert_eq!(related(serde_json::json!({"id": "c"})), None);
        assert_eq!(
            related(serde_json::json!({"id": "c", "related_contacts": null})),
            None
        );
        assert_eq!(
            related(serde_json::json!({"id": "c", "related_contacts": []})),
            Some(vec![])
        );
        let rows = serde_json::json!({"id": "c", "related_contacts": [{"source": "b", "destination": "c"}]});
        assert_eq!(
            related(rows).unwrap()[0].id,
            "b",
            "read from the contact's own side"
        );
    }

    #[test]
    fn birthday_without_year_is_marked() {
        assert_eq!(
            birthday(Some("03-04".into()), None).as_deref(),
            Some("--03-04")
        );
        assert_eq!(
            birthday(Some("1990-03-04T00:00:00Z".into()), None).as_deref(),
            Some("1990-03-04")
        );
    }
}
