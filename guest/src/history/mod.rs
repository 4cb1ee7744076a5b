//! A contact's history and what is coming up, read from the account
//! snapshot.
//!
//! The snapshot already holds every note and reminder with the contacts
//! they link, so the history tools answer from it (cached between calls)
//! instead of asking Dex contact by contact. This module holds what those
//! tools share: lookups by contact id, the ordering of notes and
//! reminders, date windows and birthdays; pages capped in size come from
//! [`crate::paging`].

mod birthdays;
mod book;
mod dates;
mod items;
pub mod keep_in_touch;
mod upcoming;
mod zone;

pub use birthdays::{Birthday, UpcomingBirthday, upcoming_birthdays};
pub use book::{ContactBook, ContactRef};
pub use dates::{day_of, instant_of, parse_day_argument, today_utc};
pub use items::{
    HistoryItem, NoteItem, ReminderItem, merged_newest_first, newest_first, notes_about,
    reminders_about,
};
// Paging is shared with the search; the history items reach it as
// `super::paging`.
use crate::paging;
pub use keep_in_touch::{DueContact, cadence, due_contacts, due_day, is_due};
pub use paging::{ANSWER_BUDGET_CHARS, Cursor, JsonSize, Page, continuation, page};
pub use upcoming::{UpcomingReminder, upcoming_reminders};
pub use zone::{OwnerZone, WallClock, ZoneSource};

use crate::model::ToolError;
use crate::snapshot::Snapshot;

/// Fails when no list of the account could be read: an empty history
/// would then mean "no data", not "nothing happened".
pub fn require_readable(snapshot: &Snapshot) -> Result<(), ToolError> {
    match snapshot.failures.first() {
        Some(first) if snapshot.failures.len() >= crate::dex::ListKind::ALL.len() => {
            Err(ToolError {
                message: format!(
                    "could not read the account from Dex: {}",
                    first.error.message
                ),
                ..first.error.clone()
            })
        }
        _ => Ok(()),
    }
}

/// Sentences naming the lists that could not be read in full, to append
/// to a summary; empty for a complete snapshot.
pub fn gaps_sentence(snapshot: &Snapshot) -> String {
    snapshot
        .failures
        .iter()
        .map(|gap| {
            format!(
                " The {} list could not be read in full ({}), so this answer may miss some.",
                gap.list.noun(),
                gap.error.message
            )
        })
        .collect()
}
