//! `list-note-types`: the kinds of note the user's account offers, so an
//! assistant can name one when it reads or writes notes.

use crate::dex::HttpTransport;
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

/// Reads the note types from Dex.
pub fn list_note_types<T: HttpTransport>(client: &V1Client<T>) -> Result<NoteTypes, ToolError> {
    let note_types = client.note_types()?;
    let names: Vec<&str> = note_types.iter().map(|t| t.name.as_str()).collect();
    let summary = match names.len() {
        0 => "The account defines no note types.".to_owned(),
        n => format!("{n} note types: {}.", names.join(", ")),
    };
    Ok(NoteTypes {
        note_types,
        summary,
    })
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
}
