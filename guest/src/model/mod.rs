//! The domain as the tools see it, independent of Dex's wire formats.

mod compact_text;
mod contact;
mod custom_field;
mod error;
mod group;
mod ids;
mod note;
mod note_type;
mod organisation;
mod pasted;
mod record_ids;
mod related;
mod reminder;
mod shared_name;
mod social;
mod writes;

pub use compact_text::{CompactText, TextRef};
pub use contact::{Contact, EmailEntry, PhoneEntry, SocialLink, SocialNetwork};
pub use custom_field::{CustomField, FieldType};
pub use error::{Confirmation, ErrorKind, ToolError};
pub use group::{Group, GroupFields};
pub use ids::{ContactId, EmailAddress, PhoneMatch, PhoneNumber};
pub use note::Note;
pub use note_type::NoteType;
pub use organisation::{CustomFieldValue, Frequency, KeepInTouch, Label};
pub use pasted::Pasted;
pub use record_ids::{NoteId, ReminderId};
pub use related::RelatedContact;
pub use reminder::Reminder;
pub use shared_name::SharedName;
pub use social::SocialProfile;
pub use writes::{
    ContactFields, KeepInTouchChange, NewNote, NewReminder, NoteChanges, Recurrence,
    RecurrenceChange, ReminderChanges,
};
