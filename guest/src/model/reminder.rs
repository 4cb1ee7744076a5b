//! A reminder: something the user means to do about one or more contacts.
//!
//! Reminders carry intent ("send Ada the paper"), which full-text search
//! makes findable next to contacts and notes.

/// One reminder, possibly recurring.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Reminder {
    /// Dex's id.
    pub id: String,
    /// What to do.
    pub text: String,
    /// The day it is due, `YYYY-MM-DD`, when set.
    pub due_date: Option<String>,
    /// The moment it is due (RFC 3339), for reminders with a time of day.
    pub due_time: Option<String>,
    /// Marked done. A recurring reminder moves to its next occurrence
    /// instead of staying done.
    pub complete: bool,
    /// How it repeats (`weekly`, `biweekly`, `monthly`, `quarterly`,
    /// `biannually`, `yearly` have been seen), lower-cased; `None` for a
    /// one-off. Kept as text so that a value Dex adds later still reads.
    pub recurrence: Option<String>,
    /// When it was last marked done (RFC 3339).
    pub last_completed_at: Option<String>,
    /// When it is next due (RFC 3339); absent once a one-off is done.
    pub next_occurrence_at: Option<String>,
    /// The contacts the reminder is about, by id; possibly none.
    pub contact_ids: Vec<String>,
}
