//! A note on the user's timeline: what happened with whom, and when.
//!
//! Notes are what people remember contacts by ("met at the climbing gym"),
//! so full-text search reads them alongside the contacts themselves.

use super::{CompactText, SharedName, TextRef};

/// One timeline item (a note about a call, a coffee, a meeting, ...).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Note {
    /// Dex's id (compact when UUID-shaped; renders as Dex gave it).
    pub id: CompactText,
    /// The note's text as the user wrote it, without spare capacity.
    pub text: Box<str>,
    /// When the event happened (RFC 3339, compact in Dex's usual
    /// spellings), when Dex gives one.
    pub event_time: Option<CompactText>,
    /// The kind of event, by name (`call`, `coffee`, `meeting`, ...): Dex's
    /// `meeting_type`. An account has a handful of kinds and tens of
    /// thousands of notes, so its name and id are [`SharedName`]s: one
    /// copy each, however the note was made.
    pub note_type: Option<SharedName>,
    /// Dex's id for that kind (`meeting_type_id`), when given.
    pub note_type_id: Option<SharedName>,
    /// The contacts the note is about, by id; possibly none.
    pub contact_ids: Vec<CompactText>,
}

impl Note {
    /// The event's time as Dex gave it, when it gave one.
    pub fn event_time(&self) -> Option<TextRef<'_>> {
        self.event_time.as_ref().map(CompactText::as_text)
    }

    /// Whether the note is about the contact `id`.
    pub fn is_about(&self, id: &str) -> bool {
        self.contact_ids.iter().any(|c| c == id)
    }
}
