//! The records the simulator keeps, in the shape of the Dex v1 API.
//!
//! These types are both the store's rows and the v1 wire objects: a v1
//! response serialises them as they are, the legacy routes derive their
//! older shapes from them (see `crate::http::legacy`), and the dataset file
//! is a list of each. Keeping one shape avoids a second model that could
//! drift from the first.

use serde::{Deserialize, Serialize};

/// A person in the CRM, with every field the v1 API documents.
///
/// Field names are the v1 wire names. Timestamps are kept as the strings the
/// API sends (RFC 3339), so a dataset file round-trips byte for byte.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Contact {
    /// Stable identifier (a UUID string).
    pub id: String,
    /// Display name; derived from first and last name when those change.
    pub full_name: Option<String>,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Role at the company.
    pub job_title: Option<String>,
    /// Employer (v1 only: the legacy API has no company field).
    pub company: Option<String>,
    /// Free text about the person.
    pub description: Option<String>,
    /// Schools, degrees.
    pub education: Option<String>,
    /// Free-text location carried over from older Dex versions.
    pub legacy_location: Option<String>,
    /// Personal or company web site.
    pub website: Option<String>,
    /// Avatar URL.
    pub image_url: Option<String>,
    /// Marked as a favourite.
    pub starred: bool,
    /// Hidden from the default lists.
    pub is_archived: bool,
    /// `YYYY-MM-DD` when the year is known, `--MM-DD` when it is not.
    pub birthday: Option<String>,
    /// The birth year alone, when known.
    pub birthday_year: Option<i32>,
    /// LinkedIn profile: a link, a link without scheme or a bare slug (all
    /// three are found in real accounts).
    pub linkedin: Option<String>,
    /// Twitter/X handle or URL.
    pub twitter: Option<String>,
    /// Facebook profile URL.
    pub facebook: Option<String>,
    /// Instagram handle.
    pub instagram: Option<String>,
    /// Telegram handle.
    pub telegram: Option<String>,
    /// TikTok handle.
    pub tiktok: Option<String>,
    /// YouTube channel URL.
    pub youtube: Option<String>,
    /// Keep-in-touch frequency as Dex writes it: an interval such as
    /// `7 days`, `1 mon`, `3 mons` or `1 year` (what a public client sends;
    /// see `docs/dex-api.md`).
    pub frequency: Option<String>,
    /// Opted out of keep-in-touch reminders.
    pub never_keep_in_touch: bool,
    /// Last interaction (RFC 3339).
    pub last_seen_at: Option<String>,
    /// Next keep-in-touch date (RFC 3339).
    pub next_reminder_at: Option<String>,
    /// Where the contact came from (e.g. `linkedin`, `manual`).
    pub source: Option<String>,
    /// Creation time (RFC 3339), read-only.
    pub created_at: String,
    /// Last change (RFC 3339), read-only.
    pub updated_at: String,
    /// Email addresses, best first.
    pub contact_emails: Vec<ContactEmail>,
    /// Phone numbers, best first.
    pub contact_phone_numbers: Vec<ContactPhoneNumber>,
    /// Postal addresses as one formatted line each.
    pub legacy_contact_addresses: Vec<ContactAddress>,
    /// Tags on this contact.
    pub tags_contacts: Vec<TagLink>,
    /// Groups this contact belongs to.
    pub groups_contacts: Vec<GroupLink>,
    /// Values of the account's custom fields.
    pub custom_fields: Vec<CustomFieldValue>,
    /// The contacts this one is related to: one row per pair, the same
    /// row on both contacts (relations are symmetric), `source` being the
    /// contact the pair was written on.
    pub related_contacts: Vec<RelatedContactRow>,
}

/// A relation between two contacts, as the reference shape serves it (a
/// guess: no source shows how v1 reads relations; see
/// `docs/simulator.md`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RelatedContactRow {
    /// The row's own id.
    pub id: String,
    /// The contact the relation was written on.
    pub source: String,
    /// The contact it was related to.
    pub destination: String,
}

impl RelatedContactRow {
    /// The end of the row that is not `own`.
    pub fn other(&self, own: &str) -> &str {
        if self.source == own {
            &self.destination
        } else {
            &self.source
        }
    }

    /// Whether the row links `a` and `b`, either way round.
    pub fn links(&self, a: &str, b: &str) -> bool {
        (self.source == a && self.destination == b) || (self.source == b && self.destination == a)
    }
}

/// One email address of a contact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContactEmail {
    /// The address.
    pub email: String,
    /// `work`, `personal`, ...
    pub label: Option<String>,
    /// Order among the contact's emails, 0 first.
    pub ranking: i64,
}

/// One phone number of a contact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContactPhoneNumber {
    /// The number as the user typed it.
    pub phone_number: String,
    /// Calling code such as `+1`, when known.
    pub country_code: Option<String>,
    /// Digits only (with a leading `+` when international).
    pub phone_number_sanitized: Option<String>,
    /// `mobile`, `work`, ...
    pub label: Option<String>,
    /// Order among the contact's numbers, 0 first.
    pub ranking: i64,
}

/// A postal address.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContactAddress {
    /// The address on one line.
    pub formatted: String,
}

/// A tag attached to a contact (the join row, with the tag inlined).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TagLink {
    /// The tag.
    pub tag: Tag,
}

/// A group a contact belongs to (the join row, with the group inlined).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GroupLink {
    /// The group.
    pub group: Group,
}

/// A contact's value for one custom field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CustomFieldValue {
    /// The custom field's id (see [`CustomField`]).
    pub id: String,
    /// The field's type (its definition's `field_type`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The value: the text of an `input` field, the chosen option of an
    /// `autocomplete` one, the `YYYY-MM-DD` day of a `datepicker` one.
    pub text_value: Option<String>,
}

/// A label the user puts on contacts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Tag {
    /// Stable identifier.
    pub id: String,
    /// Shown name.
    pub name: String,
}

/// A named set of contacts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Group {
    /// Stable identifier.
    pub id: String,
    /// Shown name.
    pub name: String,
    /// Optional emoji shown beside the name.
    pub emoji: Option<String>,
    /// Optional words about the group.
    pub description: Option<String>,
}

/// The definition of an account-wide custom contact field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CustomField {
    /// Stable identifier.
    pub id: String,
    /// Shown name.
    pub name: String,
    /// What values it takes: `input` (free text), `autocomplete` (one of
    /// its categories) or `datepicker` (a day). Datasets of the first
    /// simulator wrote it as `type` (`text`), which reads as free text.
    #[serde(alias = "type")]
    pub field_type: String,
    /// The options of an `autocomplete` field; empty for the others.
    pub categories: Vec<CustomFieldCategory>,
}

/// One option of an `autocomplete` custom field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CustomFieldCategory {
    /// Stable identifier.
    pub id: String,
    /// The option's text.
    pub category: String,
}

/// A reference from a note or reminder to one contact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactRef {
    /// The linked contact's id.
    pub contact_id: String,
}

impl ContactRef {
    /// A reference to the contact with this id.
    pub fn new(contact_id: impl Into<String>) -> Self {
        Self {
            contact_id: contact_id.into(),
        }
    }
}

/// A timeline item (a note about a meeting, call, ...), linked to one or
/// more contacts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Note {
    /// Stable identifier.
    pub id: String,
    /// The note's text.
    pub note: String,
    /// When it happened (RFC 3339).
    pub event_time: String,
    /// One of the note type names (see [`NoteType`]).
    pub meeting_type: String,
    /// The id of that note type.
    pub meeting_type_id: Option<String>,
    /// The contacts the note is about.
    pub timeline_items_contacts: Vec<ContactRef>,
    /// Creation time (RFC 3339), read-only.
    pub created_at: String,
    /// Last change (RFC 3339), read-only.
    pub updated_at: String,
}

/// A to-do about one or more contacts, possibly recurring.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Reminder {
    /// Stable identifier.
    pub id: String,
    /// What to do (the legacy API reads this as `body`).
    pub text: String,
    /// Due date, `YYYY-MM-DD`.
    pub due_at_date: Option<String>,
    /// Due time (RFC 3339), when the reminder has one.
    pub due_at_time: Option<String>,
    /// Done. A recurring reminder never stays complete: completing it moves
    /// it to its next occurrence.
    pub is_complete: bool,
    /// How it repeats, if it does.
    pub recurrence: Option<Recurrence>,
    /// When it was last completed (RFC 3339), read-only.
    pub last_completed_at: Option<String>,
    /// When it is next due (RFC 3339), read-only; null once a one-off
    /// reminder is complete.
    pub next_occurrence_at: Option<String>,
    /// The contacts the reminder is about.
    pub reminders_contacts: Vec<ContactRef>,
    /// Creation time (RFC 3339), read-only.
    pub created_at: String,
    /// Last change (RFC 3339), read-only.
    pub updated_at: String,
}

/// How a reminder repeats: the values Dex clients have been seen to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Recurrence {
    /// Every 7 days.
    Weekly,
    /// Every 14 days.
    Biweekly,
    /// Every month, same day (clamped to the month's end).
    Monthly,
    /// Every 3 months.
    Quarterly,
    /// Every 6 months.
    Biannually,
    /// Every 12 months.
    Yearly,
}

impl Recurrence {
    /// Every variant, for generators and tests.
    pub const ALL: [Recurrence; 6] = [
        Recurrence::Weekly,
        Recurrence::Biweekly,
        Recurrence::Monthly,
        Recurrence::Quarterly,
        Recurrence::Biannually,
        Recurrence::Yearly,
    ];
}

/// A kind of note, as `GET /v1/timeline/note-types` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteType {
    /// Stable identifier.
    pub id: String,
    /// Name, also used as a note's `meeting_type`.
    pub name: String,
    /// Icon name.
    pub icon: String,
}

/// The note types Dex is known to offer, with fixed ids so that datasets
/// and clients can refer to them.
pub fn note_types() -> Vec<NoteType> {
    const TYPES: [(&str, &str); 10] = [
        ("call", "phone"),
        ("coffee", "coffee"),
        ("email", "mail"),
        ("meal", "utensils"),
        ("meeting", "users"),
        ("networking", "handshake"),
        ("note", "sticky-note"),
        ("other", "circle"),
        ("party", "party-popper"),
        ("text", "message-circle"),
    ];
    TYPES
        .iter()
        .enumerate()
        .map(|(index, (name, icon))| NoteType {
            id: format!("0d3e0000-0000-4000-8000-{:012}", index + 1),
            name: (*name).to_owned(),
            icon: (*icon).to_owned(),
        })
        .collect()
}

/// The account owner, as `GET /v1/users/me` returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct User {
    /// Stable identifier.
    pub id: String,
    /// Login email.
    pub email: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// IANA time zone name: what "today" and "upcoming" mean for the
    /// owner. `time_zone` is the reference's spelling; `timezone`, which
    /// earlier dataset files used, is read too.
    #[serde(alias = "timezone")]
    pub time_zone: String,
}
