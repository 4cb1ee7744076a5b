//! `GET /v1/timeline/note-types`: the kinds of note the account offers.
//!
//! Not part of the account snapshot: the list is short, changes rarely,
//! and only the tool that lists it needs it.

use serde::Deserialize;

use super::client::V1Client;
use super::wire::{Envelope, Page, PageShape};
use crate::dex::wire_text::require_ids;
use crate::dex::{HttpResponse, HttpTransport, decode_json};
use crate::model::{NoteType, ToolError};

/// One entry of `data`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct WireNoteType {
    id: String,
    name: Option<String>,
    icon: Option<String>,
}

/// The endpoint, for messages.
pub(super) const ENDPOINT: &str = "GET /v1/timeline/note-types";
/// Its path.
pub(super) const PATH: &str = "/v1/timeline/note-types";

impl<T: HttpTransport> V1Client<T> {
    /// Every kind of note, in Dex's order; entries without a name are
    /// left out, since a note could not refer to them. `data` may be the
    /// list (the reference) or a page of it; an entry without an id is an
    /// upstream error.
    pub fn note_types(&self) -> Result<Vec<NoteType>, ToolError> {
        let response = self.get_json(PATH, &what())?;
        decode_note_types(&response).map(|(types, _)| types)
    }
}

fn what() -> String {
    format!("note types ({ENDPOINT})")
}

/// A 2xx answer of the note types, and the form `data` had.
pub(super) fn decode_note_types(
    response: &HttpResponse,
) -> Result<(Vec<NoteType>, PageShape), ToolError> {
    let envelope: Envelope<Page<WireNoteType>> = decode_json(response, &what())?;
    require_ids(
        envelope.data.items.iter().map(|t| t.id.as_str()),
        "note type",
        ENDPOINT,
    )?;
    let types = envelope
        .data
        .items
        .into_iter()
        .filter_map(|w| {
            let name = w
                .name
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())?;
            Some(NoteType {
                id: w.id,
                name,
                icon: w.icon.filter(|i| !i.trim().is_empty()),
            })
        })
        .collect();
    Ok((types, envelope.data.shape))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dex::{HttpRequest, TransportError};
    use crate::model::ErrorKind;

    /// Answers every request with one status and body.
    struct Fixed(u16, &'static str);

    impl HttpTransport for Fixed {
        fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            assert_eq!(request.url, "http://dex.test/v1/timeline/note-types");
            Ok(HttpResponse {
                status: self.0,
                headers: vec![],
                body: self.1.as_bytes().to_vec(),
            })
        }
    }

    #[test]
    fn note_types_are_read_in_order_without_nameless_entries() {
        let client = V1Client::new(
            "http://dex.test",
            Fixed(
                200,
                r#"{"error":false,"data":[{"id":"t1","name":"call","icon":"phone"},{"id":"t2","name":" "},{"id":"t3","name":"coffee","icon":""}]}"#,
            ),
        );
        let types = client.note_types().unwrap();
        assert_eq!(types.len(), 2);
        assert_eq!(types[0].icon.as_deref(), Some("phone"));
        assert_eq!(types[1].name, "coffee");
        assert_eq!(types[1].icon, None);
    }

    #[test]
    fn a_page_of_note_types_reads_and_an_entry_without_id_is_refused() {
        let client = V1Client::new(
            "http://dex.test",
            Fixed(
                200,
                r#"{"error":false,"data":{"items":[{"id":"t1","name":"call"}],"nextCursor":null}}"#,
            ),
        );
        assert_eq!(client.note_types().unwrap()[0].name, "call");
        let client = V1Client::new(
            "http://dex.test",
            Fixed(200, r#"{"error":false,"data":[{"name":"call"}]}"#),
        );
        let err = client.note_types().unwrap_err();
        assert_eq!(err.kind, ErrorKind::Upstream);
        assert!(
            err.message.contains("note type without an id"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_refused_key_is_unauthorized() {
        let client = V1Client::new(
            "http://dex.test",
            Fixed(401, r#"{"error":true,"message":"bad key"}"#),
        );
        assert_eq!(
            client.note_types().unwrap_err().kind,
            ErrorKind::Unauthorized
        );
    }
}
