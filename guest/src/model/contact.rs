//! A contact as the tools return it: `contact` in `wit/types.wit`.

use super::{
    CompactText, CustomFieldValue, KeepInTouch, Label, RelatedContact, SharedName, TextRef,
};

/// One email address of a contact.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct EmailEntry {
    /// The address as stored.
    pub email: String,
    /// Dex's label, when set (one shared copy of each: `work`, `home`).
    pub label: Option<SharedName>,
}

/// One phone number of a contact.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct PhoneEntry {
    /// The number as typed into Dex.
    pub number: String,
    /// Dex's label, when set (one shared copy of each: `mobile`, `work`).
    pub label: Option<SharedName>,
}

/// The social networks Dex keeps a profile field for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SocialNetwork {
    /// `linkedin`
    Linkedin,
    /// `twitter`
    Twitter,
    /// `facebook`
    Facebook,
    /// `instagram`
    Instagram,
    /// `telegram`
    Telegram,
    /// `tiktok`
    Tiktok,
    /// `youtube`
    Youtube,
}

impl SocialNetwork {
    /// Every network, in the order Dex's contact fields list them.
    pub const ALL: [SocialNetwork; 7] = [
        SocialNetwork::Linkedin,
        SocialNetwork::Twitter,
        SocialNetwork::Facebook,
        SocialNetwork::Instagram,
        SocialNetwork::Telegram,
        SocialNetwork::Tiktok,
        SocialNetwork::Youtube,
    ];

    /// The Dex field that holds this network's link.
    pub fn field(self) -> &'static str {
        match self {
            SocialNetwork::Linkedin => "linkedin",
            SocialNetwork::Twitter => "twitter",
            SocialNetwork::Facebook => "facebook",
            SocialNetwork::Instagram => "instagram",
            SocialNetwork::Telegram => "telegram",
            SocialNetwork::Tiktok => "tiktok",
            SocialNetwork::Youtube => "youtube",
        }
    }
}

/// A link to one social profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SocialLink {
    /// Which network.
    pub network: SocialNetwork,
    /// The link or handle as stored.
    pub url: String,
}

/// A person in the user's Dex account.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    /// Dex's id.
    pub id: String,
    /// The display name: Dex's `full_name`, or first and last joined.
    pub full_name: String,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Employer (v1 only).
    pub company: Option<String>,
    /// Free-text "about".
    pub description: Option<String>,
    /// Email addresses, in Dex's ranking order.
    pub emails: Vec<EmailEntry>,
    /// Phone numbers, in Dex's ranking order.
    pub phones: Vec<PhoneEntry>,
    /// Social profile links.
    pub social_links: Vec<SocialLink>,
    /// Personal website.
    pub website: Option<String>,
    /// `YYYY-MM-DD`, or `--MM-DD` without a year.
    pub birthday: Option<String>,
    /// Starred in Dex.
    pub starred: bool,
    /// Archived in Dex.
    pub archived: bool,
    /// When the user last saw them (RFC 3339; this and the other times
    /// are [`CompactText`], read through [`Contact::last_seen_at`] and its
    /// siblings).
    pub last_seen_at: Option<CompactText>,
    /// The next keep-in-touch reminder.
    pub next_reminder_at: Option<CompactText>,
    /// How often the user means to be in touch, when set (v1 only).
    pub keep_in_touch: Option<KeepInTouch>,
    /// The user asked Dex never to remind them about this contact.
    pub never_keep_in_touch: bool,
    /// The contact's tags, in Dex's order (v1 only).
    pub tags: Vec<Label>,
    /// The groups the contact belongs to (v1 only).
    pub groups: Vec<Label>,
    /// Values of the account's custom fields (v1 only).
    pub custom_fields: Vec<CustomFieldValue>,
    /// The contacts this one is related to (v1 only); `None` when Dex's
    /// answer did not say (a list may leave them out, and the legacy API
    /// has none), which is not the same as none.
    pub related: Option<Vec<RelatedContact>>,
    /// Creation time.
    pub created_at: Option<CompactText>,
    /// Last update time.
    pub updated_at: Option<CompactText>,
}

impl Contact {
    /// When the user last saw them, as Dex gave it.
    pub fn last_seen_at(&self) -> Option<TextRef<'_>> {
        self.last_seen_at.as_ref().map(CompactText::as_text)
    }

    /// The next keep-in-touch reminder, as Dex gave it.
    pub fn next_reminder_at(&self) -> Option<TextRef<'_>> {
        self.next_reminder_at.as_ref().map(CompactText::as_text)
    }

    /// Creation time, as Dex gave it.
    pub fn created_at(&self) -> Option<TextRef<'_>> {
        self.created_at.as_ref().map(CompactText::as_text)
    }
}
