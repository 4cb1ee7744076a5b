//! A reminder: something the user means to do about one or more contacts.
//!
//! Reminders carry intent ("send Ada the paper"), which full-text search
//! makes findable next to contacts and notes.

use super::{CompactText, TextRef};

/// One reminder, possibly recurring.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Reminder {
    /// Dex's id.
    pub id: CompactText,
    /// What to do, without spare capacity.
    pub text: Box<str>,
    /// The day it is due, `YYYY-MM-DD`, when set.
    pub due_date: Option<CompactText>,
    /// The moment it is due (RFC 3339), for reminders with a time of day.
    pub due_time: Option<CompactText>,
    /// Marked done. A recurring reminder moves to its next occurrence
    /// instead of staying done.
    pub complete: bool,
    /// How it repeats (`weekly`, `biweekly`, `monthly`, `quarterly`,
    /// `biannually`, `yearly` have been seen), lower-cased; `None` for a
    /// one-off. Kept as text so that a value Dex adds later still reads.
    pub recurrence: Option<String>,
    /// When it was last marked done (RFC 3339).
    pub last_completed_at: Option<CompactText>,
    /// When it is next due (RFC 3339); absent once a one-off is done.
    pub next_occurrence_at: Option<CompactText>,
    /// The contacts the reminder is about, by id; possibly none.
    pub contact_ids: Vec<CompactText>,
}

impl Reminder {
    /// The day it is due, `YYYY-MM-DD`, when set.
    pub fn due_date(&self) -> Option<TextRef<'_>> {
        self.due_date.as_ref().map(CompactText::as_text)
    }

    /// The moment it is due, when it has a time of day.
    pub fn due_time(&self) -> Option<TextRef<'_>> {
        self.due_time.as_ref().map(CompactText::as_text)
    }

    /// When it was last marked done.
    pub fn last_completed_at(&self) -> Option<TextRef<'_>> {
        self.last_completed_at.as_ref().map(CompactText::as_text)
    }

    /// When it is next due.
    pub fn next_occurrence_at(&self) -> Option<TextRef<'_>> {
        self.next_occurrence_at.as_ref().map(CompactText::as_text)
    }

    /// Whether the reminder is about the contact `id`.
    pub fn is_about(&self, id: &str) -> bool {
        self.contact_ids.iter().any(|c| c == id)
    }
}
