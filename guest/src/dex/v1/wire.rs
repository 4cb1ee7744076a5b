//! v1's JSON shapes, as `docs/dex-api.md` documents them.
//!
//! Every field is optional and unknown fields are ignored: Dex may add
//! fields at any time, and a read must not fail because of them.

use serde::Deserialize;

use crate::dex::wire_text::present;
use crate::model::{Contact, EmailEntry, PhoneEntry, SocialLink, SocialNetwork};

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
        Contact {
            id: w.id,
            full_name,
            first_name,
            last_name,
            job_title: present(w.job_title),
            company: present(w.company),
            description: present(w.description),
            emails: emails
                .into_iter()
                .filter_map(|e| {
                    Some(EmailEntry {
                        email: present(e.email)?,
                        label: present(e.label),
                    })
                })
                .collect(),
            phones: phones
                .into_iter()
                .filter_map(|p| {
                    Some(PhoneEntry {
                        number: present(p.phone_number)?,
                        label: present(p.label),
                    })
                })
                .collect(),
            social_links: SocialNetwork::ALL
                .into_iter()
                .zip(links)
                .filter_map(|(network, url)| {
                    Some(SocialLink {
                        network,
                        url: present(url)?,
                    })
                })
                .collect(),
            website: present(w.website),
            birthday: birthday(w.birthday, w.birthday_year),
            starred: w.starred.unwrap_or(false),
            archived: w.is_archived.unwrap_or(false),
            last_seen_at: present(w.last_seen_at),
            next_reminder_at: present(w.next_reminder_at),
            created_at: present(w.created_at),
            updated_at: present(w.updated_at),
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
