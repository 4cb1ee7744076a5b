//! A kind of note (call, coffee, meeting, ...), as the user's Dex account
//! defines them; a note names its kind by `note_type` and `note_type_id`.

/// One kind of note.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NoteType {
    /// Dex's id, the `meeting_type_id` of notes of this kind.
    pub id: String,
    /// The name, the `meeting_type` of notes of this kind.
    pub name: String,
    /// The name of the icon Dex shows for it, when it has one.
    pub icon: Option<String>,
}
