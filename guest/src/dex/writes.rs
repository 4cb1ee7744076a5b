//! Writing contacts, notes and reminders, whatever the API generation.
//!
//! One trait per kind of record, taking and returning domain types only,
//! so that each generation (v1 in [`super::v1::V1Writer`]) implements the
//! same contract and the tools never see a wire shape. Creations are sent
//! once (a lost answer may hide a created record, so they are never
//! retried); updates and deletes may be retried on transient failures.

use crate::model::{
    Contact, ContactFields, ContactId, NewNote, NewReminder, Note, NoteChanges, NoteId, Reminder,
    ReminderChanges, ReminderId, ToolError,
};

/// Creating, changing, deleting and merging contacts.
pub trait ContactWrites {
    /// Creates a contact with `fields`; answers it as Dex stored it.
    fn create_contact(&self, fields: &ContactFields) -> Result<Contact, ToolError>;

    /// Changes the fields `changes` sets and nothing else; answers the
    /// whole contact after the change.
    fn update_contact(&self, id: &ContactId, changes: &ContactFields)
    -> Result<Contact, ToolError>;

    /// Deletes a contact. Dex also deletes the notes and reminders that
    /// were only about it.
    fn delete_contact(&self, id: &ContactId) -> Result<(), ToolError>;

    /// Merges `duplicates` into `keep`: Dex fills `keep`'s empty fields from
    /// them, joins their lists, moves their notes and reminders and deletes
    /// them. Answers the kept contact.
    fn merge_contacts(
        &self,
        keep: &ContactId,
        duplicates: &[ContactId],
    ) -> Result<Contact, ToolError>;
}

/// Creating, changing and deleting notes.
pub trait NoteWrites {
    /// Creates one note linked to every contact of `note`.
    fn create_note(&self, note: &NewNote) -> Result<Note, ToolError>;

    /// Changes a note; answers it after the change.
    fn update_note(&self, id: &NoteId, changes: &NoteChanges) -> Result<Note, ToolError>;

    /// Deletes a note.
    fn delete_note(&self, id: &NoteId) -> Result<(), ToolError>;
}

/// Creating, changing and deleting reminders.
pub trait ReminderWrites {
    /// Creates one reminder linked to every contact of `reminder`.
    fn create_reminder(&self, reminder: &NewReminder) -> Result<Reminder, ToolError>;

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
