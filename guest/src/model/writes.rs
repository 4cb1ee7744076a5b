//! What a tool asks Dex to create or change, in domain terms.
//!
//! These are the inputs of the write repositories ([`crate::dex::ContactWrites`],
//! [`crate::dex::NoteWrites`], [`crate::dex::ReminderWrites`]): already
//! validated by the tools, and free of any API generation's field names,
//! so that v1 and legacy implement the same traits.

use super::{ContactId, EmailEntry, Frequency, PhoneEntry, SocialLink};

/// How a reminder repeats: the values Dex accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recurrence {
    /// Every week.
    Weekly,
    /// Every two weeks.
    Biweekly,
    /// Every month.
    Monthly,
    /// Every three months.
    Quarterly,
    /// Every six months.
    Biannually,
    /// Every year.
    Yearly,
}

impl Recurrence {
    /// Dex's spelling, as stored on reminders.
    pub fn as_str(self) -> &'static str {
        match self {
            Recurrence::Weekly => "weekly",
            Recurrence::Biweekly => "biweekly",
            Recurrence::Monthly => "monthly",
            Recurrence::Quarterly => "quarterly",
            Recurrence::Biannually => "biannually",
            Recurrence::Yearly => "yearly",
        }
    }

    /// The repetition Dex spells `text` (any case), or `None` for one this
    /// version does not know by name.
    pub fn from_dex(text: &str) -> Option<Self> {
        [
            Recurrence::Weekly,
            Recurrence::Biweekly,
            Recurrence::Monthly,
            Recurrence::Quarterly,
            Recurrence::Biannually,
            Recurrence::Yearly,
        ]
        .into_iter()
        .find(|r| r.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// A note to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    /// The text, non-empty.
    pub text: String,
    /// When it happened (`YYYY-MM-DD` or RFC 3339); Dex uses "now" without it.
    pub event_time: Option<String>,
    /// The note type's name (`call`, `coffee`, ...); Dex's default without it.
    pub note_type: Option<String>,
    /// The contacts it is about, at least one, without repeats.
    pub contact_ids: Vec<ContactId>,
}

/// Changes to a note; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteChanges {
    /// New text.
    pub text: Option<String>,
    /// New event time.
    pub event_time: Option<String>,
    /// New note type name.
    pub note_type: Option<String>,
}

/// A change to how a reminder repeats. Stopping needs its own case
/// because `None` in [`ReminderChanges`] already means "leave it as it is".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecurrenceChange {
    /// Repeat this way from now on.
    Repeat(Recurrence),
    /// Stop repeating: the reminder becomes a one-off.
    Stop,
}

/// A reminder to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReminder {
    /// What to do, non-empty.
    pub text: String,
    /// The day it is due, `YYYY-MM-DD`.
    pub due_date: String,
    /// The moment it is due (RFC 3339), for a reminder with a time of day.
    pub due_time: Option<String>,
    /// How it repeats; `None` for a one-off.
    pub recurrence: Option<Recurrence>,
    /// The contacts it is about, at least one, without repeats.
    pub contact_ids: Vec<ContactId>,
}

/// Changes to a reminder; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderChanges {
    /// New text.
    pub text: Option<String>,
    /// New due date.
    pub due_date: Option<String>,
    /// New due time.
    pub due_time: Option<String>,
    /// New recurrence, or [`RecurrenceChange::Stop`] to make it a one-off.
    pub recurrence: Option<RecurrenceChange>,
    /// Marks it done (a recurring one moves to its next occurrence) or open.
    pub complete: Option<bool>,
}

/// The fields of a contact a tool can set: on creation, every `Some` is
/// written; on update, every `Some` replaces what Dex has and `None` leaves
/// the field alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFields {
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Employer.
    pub company: Option<String>,
    /// Free-text "about".
    pub description: Option<String>,
    /// Personal website.
    pub website: Option<String>,
    /// `YYYY-MM-DD`.
    pub birthday: Option<String>,
    /// The whole list of email addresses (replaces the old list on update).
    pub emails: Option<Vec<EmailEntry>>,
    /// The whole list of phone numbers (replaces the old list on update).
    pub phones: Option<Vec<PhoneEntry>>,
    /// Profile links to set, one per network; networks not listed are kept.
    pub social_links: Vec<SocialLink>,
    /// Starred in Dex.
    pub starred: Option<bool>,
    /// Archived in Dex.
    pub archived: Option<bool>,
    /// A new keep-in-touch setting (v1 only).
    pub keep_in_touch: Option<KeepInTouchChange>,
    /// When the user last was in touch, RFC 3339: what marking a contact
    /// kept in touch sets (v1 only).
    pub last_seen_at: Option<String>,
}

/// A change to a contact's keep-in-touch setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeepInTouchChange {
    /// Catch up at this frequency.
    Every(Frequency),
    /// Never remind the user about this contact.
    Never,
}

impl ContactFields {
    /// The names (WIT spelling) of the fields this sets, for answers.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = [
            ("first_name", self.first_name.is_some()),
            ("last_name", self.last_name.is_some()),
            ("job_title", self.job_title.is_some()),
            ("company", self.company.is_some()),
            ("description", self.description.is_some()),
            ("website", self.website.is_some()),
            ("birthday", self.birthday.is_some()),
            ("emails", self.emails.is_some()),
            ("phones", self.phones.is_some()),
            ("starred", self.starred.is_some()),
            ("archived", self.archived.is_some()),
            ("keep_in_touch", self.keep_in_touch.is_some()),
            ("last_seen_at", self.last_seen_at.is_some()),
        ]
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| name.to_owned())
        .collect();
        names.extend(
            self.social_links
                .iter()
                .map(|l| format!("social-links.{}", l.network.field())),
        );
        names
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self.names().is_empty()
    }
}
