//! Note types on the legacy API, which has no endpoint listing them.
//!
//! v1 answers `GET /v1/timeline/note-types`; legacy has nothing like it,
//! so the legacy side of `list-note-types` answers the meeting types Dex is
//! known to use (`docs/dex-api.md`, "Notes"). Legacy
//! notes carry the type's name (`meeting_type`) and no type id, so the
//! name doubles as the id.

use crate::model::NoteType;

/// The meeting types seen in Dex's public material, alphabetically.
pub const KNOWN_NOTE_TYPES: [&str; 10] = [
    "call",
    "coffee",
    "email",
    "meal",
    "meeting",
    "networking",
    "note",
    "other",
    "party",
    "text",
];

/// The known types as [`NoteType`]s: the name as id, no icon (legacy
/// names none).
pub fn known_note_types() -> Vec<NoteType> {
    KNOWN_NOTE_TYPES
        .iter()
        .map(|name| NoteType {
            id: (*name).to_owned(),
            name: (*name).to_owned(),
            icon: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_type_is_its_own_id_once() {
        let types = known_note_types();
        assert_eq!(types.len(), 10);
        assert!(types.iter().all(|t| t.id == t.name && t.icon.is_none()));
        let mut names: Vec<_> = types.iter().map(|t| t.name.as_str()).collect();
        names.dedup();
        assert_eq!(names, KNOWN_NOTE_TYPES, "sorted and without repeats");
    }
}
