//! One copy of each value that many records of a snapshot repeat.
//!
//! Fifty thousand notes name a handful of kinds (`coffee`, `call`, ...),
//! each by name and id; kept per note, those copies were about a seventh
//! of the notes' memory. The decoders give every note its own copy; the
//! snapshot swaps it for the first one it saw, and the decoded copy is
//! freed at once.

use std::collections::HashSet;
use std::sync::Arc;

use crate::model::Note;

/// The values kept once, for the time of one read.
#[derive(Debug, Default)]
pub(super) struct SharedText {
    seen: HashSet<Arc<str>>,
}

impl SharedText {
    /// Makes `note` use the kept copies of its kind's name and id.
    pub(super) fn share_note(&mut self, note: &mut Note) {
        self.share(&mut note.note_type);
        self.share(&mut note.note_type_id);
    }

    fn share(&mut self, value: &mut Option<Arc<str>>) {
        let Some(text) = value else {
            return;
        };
        match self.seen.get(text) {
            Some(kept) => *text = kept.clone(),
            None => {
                self.seen.insert(text.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(kind: &str, kind_id: &str) -> Note {
        Note {
            note_type: Some(kind.into()),
            note_type_id: Some(kind_id.into()),
            ..Note::default()
        }
    }

    #[test]
    fn notes_of_one_kind_share_its_name_and_id() {
        let mut shared = SharedText::default();
        let mut first = note("coffee", "t1");
        let mut second = note("coffee", "t1");
        let mut other = note("call", "t2");
        for n in [&mut first, &mut second, &mut other] {
            shared.share_note(n);
        }
        let (a, b) = (first.note_type.unwrap(), second.note_type.unwrap());
        assert!(Arc::ptr_eq(&a, &b), "one copy of `coffee`");
        assert!(Arc::ptr_eq(
            first.note_type_id.as_ref().unwrap(),
            second.note_type_id.as_ref().unwrap()
        ));
        assert_eq!(&*other.note_type.unwrap(), "call", "values are unchanged");
        assert_eq!(other.note_type_id.as_deref(), Some("t2"));
    }

    #[test]
    fn a_note_without_a_kind_stays_without() {
        let mut shared = SharedText::default();
        let mut bare = Note::default();
        shared.share_note(&mut bare);
        assert_eq!((bare.note_type, bare.note_type_id), (None, None));
    }
}
