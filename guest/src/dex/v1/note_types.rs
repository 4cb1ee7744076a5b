//! `GET /v1/timeline/note-types`: the kinds of note the account offers.
//!
//! Not part of the account snapshot: the list is short, changes rarely,
//! and only the tool that lists it needs it.

use serde::Deserialize;

use super::client::V1Client;
use super::wire::Envelope;
use crate::dex::{HttpTransport, decode_json};
use crate::model::{NoteType, ToolError};

/// One entry of `data`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WireNoteType {
    id: String,
    name: Option<String>,
    icon: Option<String>,
}

impl<T: HttpTransport> V1Client<T> {
    /// Every kind of note, in Dex's order; entries without a name are
    /// left out, since a note could not refer to them.
    pub fn note_types(&self) -> Result<Vec<NoteType>, ToolError> {
        let what = "note types";
        let response = self.get_json("/v1/timeline/note-types", what)?;
        let envelope: Envelope<Vec<WireNoteType>> = decode_json(&response, what)?;
        Ok(envelope
            .data
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
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dex::{HttpRequest, HttpResponse, TransportError};
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
