//! The tools: thin adapters that validate arguments, call the Dex layer and
//! shape answers. Their descriptions live in [`catalogue`].

pub mod catalogue;
mod contact_writes;
mod find_contact;
mod note_writes;
mod reminder_writes;
mod search_contacts_full_text;
mod write_docs;

pub use contact_writes::{
    ContactArgs, Enriched, Merged, SavedContact, create_contact, delete_contact, enrich_contact,
    merge_contacts, update_contact,
};
pub use find_contact::{ContactMatch, ContactMatches, FindContactArgs, find_contact};
pub use search_contacts_full_text::{
    DEFAULT_MAX_RESULTS, DEFAULT_MIN_CONFIDENCE, FullTextArgs, FullTextResults, MAX_RESULTS_LIMIT,
    ValidArgs, search_contacts_full_text,
};
pub use note_writes::{AddNoteArgs, UpdateNoteArgs, add_contact_note, delete_note, update_note};
pub use reminder_writes::{
    CreateReminderArgs, UpdateReminderArgs, complete_reminder, create_contact_reminder,
    delete_reminder, update_reminder,
};
