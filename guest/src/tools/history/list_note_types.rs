//! `list-note-types`: the kinds of note the user's account offers, so an
//! assistant can name one when it reads or writes notes. v1 asks Dex;
//! legacy has no such endpoint and answers the types Dex is known to use.

use crate::dex::HttpTransport;
use crate::dex::legacy::known_note_types;
use crate::dex::v1::V1Client;
use crate::model::{NoteType, ToolError};

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteTypes {
    /// In Dex's order.
    pub note_types: Vec<NoteType>,
    /// One sentence for the assistant.
    pub summary: String,
}

fn names(note_types: &[NoteType]) -> String {
    let names: Vec<&str> = note_types.iter().map(|t| t.name.as_str()).collect();
    names.join(", ")
}

/// Reads the note types from Dex's v1 API.
pub fn list_note_types<T: HttpTransport>(client: &V1Client<T>) -> Result<NoteTypes, ToolError> {
    let note_types = client.note_types()?;
    let summary = match note_types.len() {
        0 => "The account defines no note types.".to_owned(),
        n => format!("{n} note types: {}.", names(&note_types)),
    };
    Ok(NoteTypes {
        note_types,
        summary,
    })
}

/// The note types on the legacy API, without asking Dex: it has no
/// note-types endpoint, so the answer is the built-in set Dex is known to
/// use, and says so.
pub fn list_legacy_note_types() -> NoteTypes {
    let note_types = known_note_types();
    let summary = format!(
        "The legacy Dex API (DEX_API_GENERATION=legacy) has no note-types endpoint, so these are the \
         {} built-in types Dex is known to use, not read from the account: {}. Notes written through \
         the legacy API are always of type note.",
        note_types.len(),
        names(&note_types)
    );
    NoteTypes {
        note_types,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dex::{HttpRequest, HttpResponse, TransportError};

    struct TwoTypes;

    impl HttpTransport for TwoTypes {
        fn send(&self, _: HttpRequest) -> Result<HttpResponse, TransportError> {
            Ok(HttpResponse {
                status: 200,
                headers: vec![],
                body: br#"{"error":false,"data":[{"id":"a","name":"call","icon":"phone"},{"id":"b","name":"meal","icon":"utensils"}]}"#.to_vec(),
            })
        }
    }

    #[test]
    fn the_summary_names_every_type() {
        let answer = list_note_types(&V1Client::new("http://dex.test", TwoTypes)).unwrap();
        assert_eq!(answer.summary, "2 note types: call, meal.");
        assert_eq!(answer.note_types[1].icon.as_deref(), Some("utensils"));
    }

    #[test]
    fn legacy_answers_the_known_types_and_says_they_are_not_from_the_account() {
        let answer = list_legacy_note_types();
        let names: Vec<&str> = answer.note_types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, crate::dex::legacy::KNOWN_NOTE_TYPES);
        assert!(
            answer.summary.contains("no note-types endpoint")
                && answer.summary.contains("call, coffee, email"),
            "{}",
            answer.summary
        );
    }
}
