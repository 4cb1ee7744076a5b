//! Requests against v1.

use std::cell::RefCell;
use std::collections::HashSet;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::answers::{self, CONTACT, Kind, RecordShape};
use super::wire::{Envelope, Page, WireContact};
use crate::dex::retry::Retrier;
use crate::dex::wire_text::require_ids;
use crate::dex::{
    ContactRepository, HttpRequest, HttpResponse, HttpTransport, Method, TransportError,
    check_status, decode_json,
};
use crate::model::{Contact, ContactId, EmailAddress, ErrorKind, ToolError};
use crate::settings::Settings;

/// Items per page when paging: Dex documents no maximum, and 100 keeps
/// answers small while needing few requests.
const PAGE_SIZE: usize = 100;
/// A search for one address matching more pages than this is not an
/// exact-address search any more; stop rather than list the account.
const MAX_SEARCH_PAGES: usize = 5;
/// Search hits that came without their emails and are read one by one to
/// check the address; more than this and the lookup gives up with an error.
const MAX_UNCHECKED_READS: usize = 10;

/// A v1 API client over some transport.
pub struct V1Client<T> {
    base_url: String,
    transport: T,
    retrier: Retrier,
}

impl<T: HttpTransport> V1Client<T> {
    /// A client for the API at `base_url` (`https://api.prod.getdex.com`),
    /// retrying reads with the default policy.
    pub fn new(base_url: &str, transport: T) -> Self {
        Self::with_retrier(base_url, transport, Retrier::default())
    }

    /// A client for the API at `base_url`, retrying reads as `retrier`
    /// does (tests pass one that never waits).
    pub fn with_retrier(base_url: &str, transport: T, retrier: Retrier) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            transport,
            retrier,
        }
    }

    /// A client for the API of `settings`, for a tool only v1 can serve:
    /// on the legacy API, the validation error saying that `needs` (what
    /// the tool does, "reading one note by id") takes the v1 API, before
    /// any request.
    /// The error is [`crate::settings::ApiGeneration::require_v1`]'s, the one every v1-only
    /// capability answers legacy users with.
    pub fn for_v1_only(settings: &Settings, transport: T, needs: &str) -> Result<Self, ToolError> {
        settings.generation.require_v1(needs)?;
        Ok(Self::new(&settings.base_url, transport))
    }

    pub(super) fn get_json(
        &self,
        path_and_query: &str,
        what: &str,
    ) -> Result<HttpResponse, ToolError> {
        let request = HttpRequest {
            method: Method::Get,
            url: format!("{}{}", self.base_url, path_and_query),
            headers: vec![("accept", "application/json".into())],
            body: None,
        };
        check_status(self.retrier.send_read(&self.transport, request)?, what)
    }

    /// The one record at `path` (`/v1/timeline/{id}`), decoded as `W`
    /// (one of the wire shapes in [`super`]). Its `data` may hold the
    /// record itself, wrap it in its `kind` (`{"note": {...}}`, the shape
    /// of v1's write answers) or be a list of one ([`answers`]); the record
    /// must have an id. A 404 or a null `data` is not-found. `what` names
    /// the record in errors ("note with id n1").
    pub fn get_one<W: DeserializeOwned>(
        &self,
        path: &str,
        kind: &'static str,
        what: &str,
    ) -> Result<W, ToolError> {
        let response = self.get_json(path, what)?;
        let endpoint = format!("GET {path}");
        let data = answers::optional_data(&response, &endpoint)?
            .ok_or_else(|| ToolError::new(ErrorKind::NotFound, format!("Dex has no {what}")))?;
        let kind = Kind {
            singular: kind,
            plural: None,
        };
        let (fields, _) = answers::record_value(data, kind, &endpoint)?;
        serde_json::from_value(Value::Object(fields)).map_err(|e| {
            ToolError::new(
                ErrorKind::Upstream,
                format!("Dex sent a malformed answer for {what}: {e}"),
            )
        })
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

/// Dex's exact lookup of `email`, `POST /v1/contacts/by-emails`, on the
/// API at `base_url`: what `find_contact` sends, and `dex-mcp doctor`
/// checks.
pub(super) fn by_emails_request(base_url: &str, email: &str) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url: format!("{base_url}/v1/contacts/by-emails"),
        headers: vec![
            ("accept", "application/json".into()),
            ("content-type", "application/json".into()),
        ],
        body: Some(
            serde_json::json!({ "emails": [email] })
                .to_string()
                .into_bytes(),
        ),
    }
}

thread_local! {
    /// The API addresses whose Dex answered `POST /v1/contacts/by-emails`
    /// with 404 or 405: asked once per instance (warm instances outlive
    /// calls), then the search endpoint is used directly.
    static WITHOUT_BY_EMAILS: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

impl<T: HttpTransport> V1Client<T> {
    /// Dex's exact lookup, `POST /v1/contacts/by-emails`; `None` when this
    /// Dex has no such route (404 or 405), which is remembered.
    fn by_emails(&self, email: &EmailAddress) -> Result<Option<Vec<Contact>>, ToolError> {
        if WITHOUT_BY_EMAILS.with_borrow(|missing| missing.contains(&self.base_url)) {
            return Ok(None);
        }
        let what = "the contacts with an email";
        let request = by_emails_request(&self.base_url, email.as_str());
        // A read, though a POST: sending it again cannot create anything,
        // so it is retried like a GET.
        let response = self.retrier.send_read(&self.transport, request)?;
        if matches!(response.status, 404 | 405) {
            WITHOUT_BY_EMAILS.with_borrow_mut(|missing| missing.insert(self.base_url.clone()));
            return Ok(None);
        }
        let response = check_status(response, what)?;
        // `data` is the reference's list of contacts, or a list page should
        // Dex wrap it like its other lists; `Page` reads both.
        let found: Vec<Contact> = decode_json::<Envelope<Page<WireContact>>>(&response, what)?
            .data
            .items
            .into_iter()
            .map(Contact::from)
            .collect();
        require_ids(
            found.iter().map(|c| c.id.as_str()),
            "contact",
            "POST /v1/contacts/by-emails",
        )?;
        Ok(Some(
            found
                .into_iter()
                // Dex matched them exactly; one that shows its addresses
                // must show this one (a batch answer could hold others).
                .filter(|c| c.emails.is_empty() || has_email(c, email))
                .collect(),
        ))
    }

    /// The search endpoint, filtered to contacts with exactly `email`:
    /// for a Dex without `by-emails`.
    fn search_by_email(&self, email: &EmailAddress) -> Result<Vec<Contact>, ToolError> {
        let what = "the contact search (GET /v1/search/contacts)";
        let take = PAGE_SIZE.to_string();
        let mut cursor: Option<String> = None;
        let mut found = Vec::new();
        let mut unchecked = Vec::new();
        for _ in 0..MAX_SEARCH_PAGES {
            let mut pairs = vec![("searchQuery", email.as_str()), ("take", take.as_str())];
            if let Some(cursor) = cursor.as_deref() {
                pairs.push(("cursor", cursor));
            }
            let response = self.get_json(&format!("/v1/search/contacts{}", query(&pairs)), what)?;
            let page: Envelope<Page<WireContact>> = decode_json(&response, what)?;
            let contacts: Vec<Contact> = page.data.items.into_iter().map(Contact::from).collect();
            require_ids(
                contacts.iter().map(|c| c.id.as_str()),
                "contact",
                "GET /v1/search/contacts",
            )?;
            for contact in contacts {
                if has_email(&contact, email) {
                    found.push(contact);
                } else if contact.emails.is_empty() {
                    unchecked.push(contact.id);
                }
            }
            match page.data.next_cursor {
                Some(next) if !next.is_empty() => cursor = Some(next),
                _ => break,
            }
        }
        // A search hit without its emails (a list may leave links out) can
        // be neither trusted nor dropped unseen: read it whole and check.
        // A search for one address that hits many such contacts is not
        // precise enough to read them all; those beyond the bound are an
        // upstream error rather than a quiet "nobody".
        if unchecked.len() > MAX_UNCHECKED_READS {
            return Err(ToolError::new(
                ErrorKind::Upstream,
                format!(
                    "Dex's contact search (GET /v1/search/contacts) answered {} contacts without their emails for {email}; too many to read one by one, so dex-mcp cannot tell which has the address. Try find_contact by name.",
                    unchecked.len()
                ),
            ));
        }
        for id in unchecked {
            let contact = self.get(&ContactId::parse("contact-id", &id)?)?;
            if has_email(&contact, email) {
                found.push(contact);
            }
        }
        Ok(found)
    }
}

fn has_email(contact: &Contact, email: &EmailAddress) -> bool {
    contact
        .emails
        .iter()
        .any(|e| EmailAddress::fold(&e.email) == email.as_str())
}

impl<T: HttpTransport> ContactRepository for V1Client<T> {
    /// `POST /v1/contacts/by-emails` (one request, exact); on a Dex
    /// without that route, the search endpoint filtered to exact matches.
    fn find_by_email(&self, email: &EmailAddress) -> Result<Vec<Contact>, ToolError> {
        match self.by_emails(email)? {
            Some(found) => Ok(found),
            None => self.search_by_email(email),
        }
    }

    fn get(&self, id: &ContactId) -> Result<Contact, ToolError> {
        self.get_with_shape(id).map(|(contact, _)| contact)
    }
}

impl<T: HttpTransport> V1Client<T> {
    /// One contact by id, and how the answer held it (bare in `data`,
    /// wrapped as `data.contact`, or a list of one): the same read as
    /// [`ContactRepository::get`], for `dex-mcp doctor` to report.
    pub fn get_with_shape(&self, id: &ContactId) -> Result<(Contact, RecordShape), ToolError> {
        let what = format!("contact with id {id}");
        let response = self.get_json(&format!("/v1/contacts/{id}"), &what)?;
        decode_contact(&response, &what)
    }
}

/// The answers of `GET /v1/contacts/{id}`, one per id of `ids` in order,
/// read as contacts (not-found for an id Dex has no contact for).
pub(super) fn contacts_read<I: std::fmt::Display>(
    replies: Vec<Result<HttpResponse, TransportError>>,
    ids: impl IntoIterator<Item = I>,
) -> Vec<Result<Contact, ToolError>> {
    replies
        .into_iter()
        .zip(ids)
        .map(|(reply, id)| {
            let what = format!("contact with id {id}");
            let response = check_status(reply?, &what)?;
            decode_contact(&response, &what).map(|(contact, _)| contact)
        })
        .collect()
}

/// A 2xx answer of `GET /v1/contacts/{id}` for the contact `what`: the
/// contact and how it was held; `data: null` is not-found (how an API may
/// say "no such record" with a 200).
pub(super) fn decode_contact(
    response: &HttpResponse,
    what: &str,
) -> Result<(Contact, RecordShape), ToolError> {
    let endpoint = "GET /v1/contacts/{id}";
    let data = answers::optional_data(response, endpoint)?
        .ok_or_else(|| ToolError::new(ErrorKind::NotFound, format!("Dex has no {what}")))?;
    let (fields, shape) = answers::record_value(data, CONTACT, endpoint)?;
    let wire: WireContact =
        serde_json::from_value(serde_json::Value::Object(fields)).map_err(|e| {
            ToolError::new(
                ErrorKind::Upstream,
                format!("Dex answered {endpoint} with a contact it could not read: {e}"),
            )
        })?;
    Ok((wire.into(), shape))
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::settings::ApiGeneration;

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

    /// The ids of the contacts `client` finds with `email`.
    fn ids_found(client: &V1Client<&Scripted>, email: &str) -> Vec<String> {
        let email = EmailAddress::parse("email", email).unwrap();
        client
            .find_by_email(&email)
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect()
    }

    #[test]
    fn email_lookup_asks_by_emails_once_and_trusts_its_exact_answer() {
        let script = Scripted::new(&[(
            200,
            r#"{"error":false,"data":[{"id":"1","contact_emails":[{"email":"Ada@X.org"}]},{"id":"2"},{"id":"3","contact_emails":[{"email":"bob@y.org"}]}]}"#,
        )]);
        let client = V1Client::new("http://by-emails.test/", &script);
        let ids = ids_found(&client, "ada@x.org");
        assert_eq!(
            ids,
            ["1", "2"],
            "one without addresses is kept, another's is not"
        );
        let seen = script.seen.borrow();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].method, Method::Post);
        assert_eq!(seen[0].url, "http://by-emails.test/v1/contacts/by-emails");
        assert_eq!(
            seen[0].body.as_deref(),
            Some(br#"{"emails":["ada@x.org"]}"#.as_slice())
        );
    }

    #[test]
    fn a_by_emails_answer_shaped_like_a_page_is_read_too() {
        let script = Scripted::new(&[(
            200,
            r#"{"error":false,"data":{"items":[{"id":"1","contact_emails":[{"email":"ada@x.org"}]}],"nextCursor":null}}"#,
        )]);
        let client = V1Client::new("http://by-emails-page.test", &script);
        let email = EmailAddress::parse("email", "ada@x.org").unwrap();
        assert_eq!(client.find_by_email(&email).unwrap().len(), 1);
    }

    #[test]
    fn a_by_emails_failure_other_than_a_missing_route_is_an_error() {
        let script = Scripted::new(&[(401, r#"{"error":true,"message":"bad key"}"#)]);
        let client = V1Client::new("http://by-emails-401.test", &script);
        let email = EmailAddress::parse("email", "ada@x.org").unwrap();
        let err = client.find_by_email(&email).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Unauthorized);
        assert_eq!(script.seen.borrow().len(), 1, "no fallback to search");
    }

    #[test]
    fn without_by_emails_the_search_is_used_and_the_missing_route_remembered() {
        let script = Scripted::new(&[
            (405, r#"{"error":true,"message":"Method Not Allowed"}"#),
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"1","contact_emails":[{"email":"ada@x.org"}]}],"nextCursor":null}}"#,
            ),
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"1","contact_emails":[{"email":"ada@x.org"}]}],"nextCursor":null}}"#,
            ),
        ]);
        let client = V1Client::new("http://no-by-emails.test", &script);
        let email = EmailAddress::parse("email", "ada@x.org").unwrap();
        assert_eq!(client.find_by_email(&email).unwrap()[0].id, "1");
        let again = V1Client::new("http://no-by-emails.test", &script);
        assert_eq!(again.find_by_email(&email).unwrap()[0].id, "1");
        let urls: Vec<_> = script.seen.borrow().iter().map(|r| r.url.clone()).collect();
        assert_eq!(urls.len(), 3);
        assert!(urls[0].ends_with("/v1/contacts/by-emails"));
        assert!(urls[1].contains("/v1/search/contacts?"), "{}", urls[1]);
        assert!(
            urls[2].contains("/v1/search/contacts?"),
            "remembered: {}",
            urls[2]
        );
    }

    #[test]
    fn email_search_follows_cursors_and_keeps_exact_matches_only() {
        let script = Scripted::new(&[
            (404, r#"{"error":true,"message":"no route"}"#),
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
        let ids = ids_found(&client, "ada@x.org");
        assert_eq!(ids, ["1", "3"]);
        let urls: Vec<_> = script.seen.borrow().iter().map(|r| r.url.clone()).collect();
        assert_eq!(
            urls[1],
            "http://dex.test/v1/search/contacts?searchQuery=ada%40x.org&take=100"
        );
        assert!(urls[2].ends_with("&cursor=p2"), "{}", urls[2]);
    }

    #[test]
    fn one_record_is_read_bare_or_wrapped_in_its_kind() {
        use crate::dex::v1::WireNote;
        use crate::model::Note;
        let script = Scripted::new(&[
            (200, r#"{"error":false,"data":{"id":"n1","note":"Lunch"}}"#),
            (
                200,
                r#"{"error":false,"data":{"note":{"id":"n2","note":"Tea"}}}"#,
            ),
            (200, r#"{"error":false,"data":null}"#),
            (200, r#"{"error":false,"data":[1]}"#),
        ]);
        let client = V1Client::new("http://dex.test", &script);
        let read = |id: &str| {
            client
                .get_one::<WireNote>(&format!("/v1/timeline/{id}"), "note", &format!("note {id}"))
                .map(Note::from)
        };
        let bare = read("n1").unwrap();
        assert_eq!((&*bare.id.as_text(), &*bare.text), ("n1", "Lunch"));
        let wrapped = read("n2").unwrap();
        assert_eq!((&*wrapped.id.as_text(), &*wrapped.text), ("n2", "Tea"));
        assert_eq!(read("n3").unwrap_err().kind, ErrorKind::NotFound);
        let malformed = read("n4").unwrap_err();
        assert_eq!(malformed.kind, ErrorKind::Upstream, "{malformed:?}");
        assert_eq!(
            script.seen.borrow()[0].url,
            "http://dex.test/v1/timeline/n1"
        );
    }

    #[test]
    fn a_v1_only_client_is_refused_on_legacy_before_any_request() {
        let settings = |generation| Settings {
            base_url: "http://dex.test".into(),
            generation,
            cache_ttl: std::time::Duration::ZERO,
            time_zone: None,
            host_maintenance: false,
        };
        let script = Scripted::new(&[]);
        let refused = V1Client::for_v1_only(
            &settings(ApiGeneration::Legacy),
            &script,
            "reading one note by id",
        )
        .err()
        .expect("refused on legacy");
        assert_eq!(refused.kind, ErrorKind::Validation);
        assert!(
            refused
                .message
                .starts_with("reading one note by id needs Dex's v1 API"),
            "{}",
            refused.message
        );
        assert!(V1Client::for_v1_only(&settings(ApiGeneration::V1), &script, "x").is_ok());
        assert!(script.seen.borrow().is_empty());
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

    #[test]
    fn a_transient_failure_of_by_emails_or_a_read_by_id_is_retried() {
        let script = Scripted::new(&[
            (503, "busy"),
            (
                200,
                r#"{"error":false,"data":[{"id":"1","contact_emails":[{"email":"ada@x.org"}]}]}"#,
            ),
            (429, ""),
            (200, r#"{"error":false,"data":{"id":"c1"}}"#),
        ]);
        let client = V1Client::with_retrier(
            "http://by-emails-retry.test",
            &script,
            crate::dex::testing::no_wait(),
        );
        let email = EmailAddress::parse("email", "ada@x.org").unwrap();
        assert_eq!(client.find_by_email(&email).unwrap().len(), 1);
        let id = ContactId::parse("id", "c1").unwrap();
        assert_eq!(client.get(&id).unwrap().id, "c1");
        assert_eq!(script.seen.borrow().len(), 4);
    }

    #[test]
    fn search_hits_without_emails_are_read_whole_before_they_are_trusted() {
        let script = Scripted::new(&[
            (404, ""),
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"1"},{"id":"2"}],"nextCursor":null}}"#,
            ),
            (
                200,
                r#"{"error":false,"data":{"id":"1","contact_emails":[{"email":"bob@y.org"}]}}"#,
            ),
            (
                200,
                r#"{"error":false,"data":{"id":"2","contact_emails":[{"email":"Ada@X.org"}]}}"#,
            ),
        ]);
        let client = V1Client::new("http://search-unlinked.test", &script);
        let ids = ids_found(&client, "ada@x.org");
        assert_eq!(ids, ["2"]);
        let seen: Vec<_> = script.seen.borrow().iter().map(|r| r.url.clone()).collect();
        assert!(seen[2].ends_with("/v1/contacts/1"), "{seen:?}");
        assert!(seen[3].ends_with("/v1/contacts/2"), "{seen:?}");
    }

    #[test]
    fn too_many_search_hits_without_emails_are_an_error_not_nobody() {
        let items: Vec<String> = (0..=MAX_UNCHECKED_READS)
            .map(|i| format!(r#"{{"id":"{i}"}}"#))
            .collect();
        let page = format!(
            r#"{{"error":false,"data":{{"items":[{}],"nextCursor":null}}}}"#,
            items.join(",")
        );
        let script = Scripted::new(&[(404, ""), (200, &page)]);
        let client = V1Client::new("http://search-too-many.test", &script);
        let email = EmailAddress::parse("email", "ada@x.org").unwrap();
        let err = client.find_by_email(&email).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Upstream);
        assert!(
            err.message.contains("without their emails"),
            "{}",
            err.message
        );
        assert_eq!(script.seen.borrow().len(), 2, "no reads one by one");
    }
}
