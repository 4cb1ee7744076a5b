//! Requests against v1.

use super::wire::{Envelope, Page, WireContact};
use crate::dex::{
    ContactRepository, HttpRequest, HttpTransport, Method, check_status, decode_json,
};
use crate::model::{Contact, ContactId, EmailAddress, ErrorKind, ToolError};

/// Items per page when paging: Dex documents no maximum, and 100 keeps
/// answers small while needing few requests.
const PAGE_SIZE: usize = 100;
/// A search for one address matching more pages than this is not an
/// exact-address search any more; stop rather than list the account.
const MAX_SEARCH_PAGES: usize = 5;

/// A v1 API client over some transport.
pub struct V1Client<T> {
    base_url: String,
    transport: T,
}

impl<T: HttpTransport> V1Client<T> {
    /// A client for the API at `base_url` (`https://api.prod.getdex.com`).
    pub fn new(base_url: &str, transport: T) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            transport,
        }
    }

    pub(super) fn get_json(
        &self,
        path_and_query: &str,
        what: &str,
    ) -> Result<crate::dex::HttpResponse, ToolError> {
        let request = HttpRequest {
            method: Method::Get,
            url: format!("{}{}", self.base_url, path_and_query),
            headers: vec![("accept", "application/json".into())],
            body: None,
        };
        check_status(self.transport.send(request)?, what)
    }
}

/// `?key=value&...` with values percent-encoded.
fn query(pairs: &[(&str, &str)]) -> String {
    let mut encoder = form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        encoder.append_pair(key, value);
    }
    format!("?{}", encoder.finish())
}

impl<T: HttpTransport> ContactRepository for V1Client<T> {
    fn find_by_email(&self, email: &EmailAddress) -> Result<Vec<Contact>, ToolError> {
        let what = "contact search";
        let take = PAGE_SIZE.to_string();
        let mut cursor: Option<String> = None;
        let mut found = Vec::new();
        for _ in 0..MAX_SEARCH_PAGES {
            let mut pairs = vec![("searchQuery", email.as_str()), ("take", take.as_str())];
            if let Some(cursor) = cursor.as_deref() {
                pairs.push(("cursor", cursor));
            }
            let response = self.get_json(&format!("/v1/search/contacts{}", query(&pairs)), what)?;
            let page: Envelope<Page<WireContact>> = decode_json(&response, what)?;
            found.extend(page.data.items.into_iter().map(Contact::from).filter(|c| {
                c.emails
                    .iter()
                    .any(|e| EmailAddress::fold(&e.email) == email.as_str())
            }));
            match page.data.next_cursor {
                Some(next) if !next.is_empty() => cursor = Some(next),
                _ => return Ok(found),
            }
        }
        Ok(found)
    }

    fn get(&self, id: &ContactId) -> Result<Contact, ToolError> {
        let what = format!("contact with id {id}");
        let response = self.get_json(&format!("/v1/contacts/{id}"), &what)?;
        let envelope: Envelope<Option<WireContact>> = decode_json(&response, &what)?;
        envelope
            .data
            .map(Contact::from)
            .ok_or_else(|| ToolError::new(ErrorKind::NotFound, format!("Dex has no {what}")))
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::dex::{HttpResponse, TransportError};

    /// Answers from a script and records what was asked.
    struct Scripted {
        answers: RefCell<Vec<HttpResponse>>,
        seen: RefCell<Vec<HttpRequest>>,
    }

    impl Scripted {
        fn new(bodies: &[(u16, &str)]) -> Self {
            Self {
                answers: RefCell::new(
                    bodies
                        .iter()
                        .rev()
                        .map(|(status, body)| HttpResponse {
                            status: *status,
                            headers: vec![],
                            body: body.as_bytes().to_vec(),
                        })
                        .collect(),
                ),
                seen: RefCell::new(vec![]),
            }
        }
    }

    impl HttpTransport for &Scripted {
        fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.seen.borrow_mut().push(request);
            Ok(self
                .answers
                .borrow_mut()
                .pop()
                .expect("more requests than scripted answers"))
        }
    }

    #[test]
    fn email_search_follows_cursors_and_keeps_exact_matches_only() {
        let script = Scripted::new(&[
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"1","contact_emails":[{"email":"Ada@X.org"}]},{"id":"2","contact_emails":[{"email":"ada@x.org.uk"}]}],"nextCursor":"p2","count":3}}"#,
            ),
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"3","contact_emails":[{"email":"other@y.org"},{"email":"ada@x.org "}]}],"nextCursor":null,"count":3}}"#,
            ),
        ]);
        let client = V1Client::new("http://dex.test/", &script);
        let email = EmailAddress::parse("email", "ada@x.org").unwrap();
        let ids: Vec<_> = client
            .find_by_email(&email)
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(ids, ["1", "3"]);
        let urls: Vec<_> = script.seen.borrow().iter().map(|r| r.url.clone()).collect();
        assert_eq!(
            urls[0],
            "http://dex.test/v1/search/contacts?searchQuery=ada%40x.org&take=100"
        );
        assert!(urls[1].ends_with("&cursor=p2"), "{}", urls[1]);
    }

    #[test]
    fn get_of_unknown_id_is_not_found() {
        let script = Scripted::new(&[(404, r#"{"error":true,"message":"Contact not found"}"#)]);
        let client = V1Client::new("http://dex.test", &script);
        let err = client
            .get(&ContactId::parse("id", "nope").unwrap())
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert!(err.message.contains("nope"));
    }
}
