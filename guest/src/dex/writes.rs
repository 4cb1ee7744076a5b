//! Writing contacts, notes and reminders, whatever the API generation.
//!
//! One trait per kind of record, taking and returning domain types only,
//! so that each generation (v1 in [`super::v1::V1Writer`]) implements the
//! same contract and the tools never see a wire shape. Creations are never
//! sent again blindly (a lost answer may hide a created record): v1 first
//! checks whether the record landed ([`Created`] says how the answer came);
//! updates and deletes may be retried on transient failures.

use crate::model::{
    Contact, ContactFields, ContactId, NewNote, NewReminder, Note, NoteChanges, NoteId, Reminder,
    ReminderChanges, ReminderId, ToolError,
};

/// A record a create made, and how its answer came: a create whose answer
/// was lost is looked for in Dex before anything is said, so that the
/// assistant neither repeats it (a duplicate) nor reports it missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created<T> {
    /// The record as Dex holds it.
    pub record: T,
    /// How it came to be answered.
    pub creation: Creation,
}

impl<T> Created<T> {
    /// A record Dex created and answered at once.
    pub fn answered(record: T) -> Self {
        Self {
            record,
            creation: Creation::Answered,
        }
    }
}

/// How a create's record came to be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Creation {
    /// Dex created it and answered.
    Answered,
    /// Dex's answer was lost (a 5xx, a dropped connection, an unreadable
    /// body), and the record was found in Dex: it was created once.
    Recovered,
    /// The first attempt's answer was lost and the record was not in Dex,
    /// so it was sent once more, and that attempt created it.
    Resent,
    /// The same idempotency key was used before with the same arguments:
    /// this is the first call's record, and nothing was written.
    Replayed,
}

/// Creating, changing, deleting and merging contacts.
pub trait ContactWrites {
    /// Creates a contact with `fields`; answers it as Dex stored it.
    fn create_contact(&self, fields: &ContactFields) -> Result<Created<Contact>, ToolError>;

    /// Changes the fields `changes` sets and nothing else; answers the
    /// whole contact after the change.
    fn update_contact(&self, id: &ContactId, changes: &ContactFields)
    -> Result<Contact, ToolError>;

    /// Deletes a contact. Dex also deletes the notes and reminders that
    /// were only about it.
    fn delete_contact(&self, id: &ContactId) -> Result<(), ToolError>;

    /// Merges `duplicates` into `keep`: Dex fills the survivor's empty
    /// fields from the others, joins their lists, moves their notes and
    /// reminders and deletes them. Which record survives is Dex's choice
    /// (it may keep the oldest of the group whatever was asked, see
    /// `docs/dex-api.md`, "Merging"), so the answer says which one did.
    fn merge_contacts(
        &self,
        keep: &ContactId,
        duplicates: &[ContactId],
    ) -> Result<MergeOutcome, ToolError>;
}

/// What a merge did, as Dex answered or as read back from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeOutcome {
    /// The record that survived, as Dex has it after the merge.
    pub survivor: Contact,
    /// The other records of the group, merged into it and deleted (the
    /// contact asked to be kept is among them when Dex kept another).
    pub merged: Vec<ContactId>,
}

/// Creating, changing and deleting notes.
pub trait NoteWrites {
    /// Creates one note linked to every contact of `note`.
    fn create_note(&self, note: &NewNote) -> Result<Created<Note>, ToolError>;

    /// Changes a note; answers it after the change.
    fn update_note(&self, id: &NoteId, changes: &NoteChanges) -> Result<Note, ToolError>;

    /// Deletes a note.
    fn delete_note(&self, id: &NoteId) -> Result<(), ToolError>;
}

/// Creating, changing and deleting reminders.
pub trait ReminderWrites {
    /// Creates one reminder linked to every contact of `reminder`.
    fn create_reminder(&self, reminder: &NewReminder) -> Result<Created<Reminder>, ToolError>;

    /// Changes a reminder (completing included); answers it after the
    /// change.
    fn update_reminder(
        &self,
        id: &ReminderId,
        changes: &ReminderChanges,
    ) -> Result<Reminder, ToolError>;

    /// Deletes a reminder.
    fn delete_reminder(&self, id: &ReminderId) -> Result<(), ToolError>;
}
