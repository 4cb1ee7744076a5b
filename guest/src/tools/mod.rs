//! The tools: thin adapters that validate arguments, call the Dex layer and
//! shape answers. Their descriptions live in [`catalogue`].

pub mod catalogue;
mod contact_writes;
mod find_contact;
mod get_contact_details;
mod get_contact_history;
mod get_contact_notes;
mod get_contact_reminders;
mod history_args;
mod history_docs;
mod list_note_types;
mod note_writes;
mod reminder_writes;
mod search_contacts_full_text;
mod upcoming_birthdays;
mod upcoming_reminders;
mod write_docs;

pub use contact_writes::{
    ContactArgs, Enriched, Merged, SavedContact, create_contact, delete_contact, enrich_contact,
    merge_contacts, update_contact,
};
pub use find_contact::{ContactMatch, ContactMatches, FindContactArgs, find_contact};
pub use get_contact_details::{ContactDetails, OPEN_REMINDERS, RECENT_NOTES, get_contact_details};
pub use get_contact_history::{ContactHistory, ContactHistoryArgs, get_contact_history};
pub use get_contact_notes::{ContactNotes, ContactNotesArgs, get_contact_notes};
pub use get_contact_reminders::{
    ContactReminders, ContactRemindersArgs, ReminderStatus, get_contact_reminders,
};
pub use list_note_types::{NoteTypes, list_legacy_note_types, list_note_types};
pub use note_writes::{AddNoteArgs, UpdateNoteArgs, add_contact_note, delete_note, update_note};
pub use reminder_writes::{
    CreateReminderArgs, UpdateReminderArgs, complete_reminder, create_contact_reminder,
    delete_reminder, update_reminder,
};
pub use search_contacts_full_text::{
    ContactSummary, DEFAULT_MAX_RESULTS, DEFAULT_MIN_CONFIDENCE, FullTextArgs, FullTextHit,
    FullTextResults, MAX_RESULTS_LIMIT, ValidArgs, search_contacts_full_text,
};
pub use upcoming_birthdays::{UpcomingBirthdays, UpcomingBirthdaysArgs, upcoming_birthdays};
pub use upcoming_reminders::{UpcomingReminders, UpcomingRemindersArgs, upcoming_reminders};
