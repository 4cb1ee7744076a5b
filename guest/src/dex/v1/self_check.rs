//! The v1 side of `dex-mcp doctor` ([`crate::doctor`]): one request to each
//! endpoint the tools use, decoded by the tools' own decoders, reported
//! without personal data.
//!
//! The list pages are asked exactly as a snapshot's read asks them
//! ([`V1Lists::first_page_request`]), so whatever links the read asks for
//! (`include`) are asked here too; when that request carries `include`, the
//! same page is also asked without it, to show what `include` changes. The
//! account's owner, the contact count, tags, groups and custom fields are
//! read too: the tools need none of them to work, so their checks are not
//! required.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::answers::{self, USER};
use super::client::{by_emails_request, decode_contact};
use super::lists::{V1Lists, decode_page};
use super::note_types::{self, WireNoteType, decode_note_types};
use super::wire::{Envelope, Page, PageShape, WireContact};
use super::wire_records::{WireNote, WireReminder};
use crate::dex::retry::Retrier;
use crate::dex::wire_text::require_ids;
use crate::dex::{
    HttpRequest, HttpResponse, HttpTransport, ListKind, Method, PageItems, TransportError,
    check_status, decode_json,
};
use crate::doctor::CheckResult;
use crate::model::Contact;

/// The query the contact search is checked with: it names no one, so its
/// (likely empty) answer shows only the shape.
const SEARCH_PROBE: &str = "dex-mcp-doctor";

/// The address the exact email lookup is checked with: `.invalid` is
/// reserved (RFC 2606), so it belongs to no one.
const EMAIL_PROBE: &str = "dex-mcp-doctor@example.invalid";

/// What to do when a list leaves links out.
const LINKS_FIX: &str = "Dex's list answered without the links the tools need: answers that depend on them may be incomplete; please report this table (docs/dex-api.md, \"Links in bulk lists\")";

/// What to do when a field could not be read.
const FIELDS_FIX: &str = "Some fields came in a form dex-mcp does not read; please report this table (docs/dex-api.md lists the forms known)";

/// Runs the checks against the API at `base_url`, retrying as the tools do.
pub fn run<T: HttpTransport + Clone>(base_url: &str, transport: T) -> Vec<CheckResult> {
    run_with(base_url, transport, Retrier::default())
}

/// [`run`] with the retry policy given (tests use a clock that does not
/// wait).
pub fn run_with<T: HttpTransport + Clone>(
    base_url: &str,
    transport: T,
    retrier: Retrier,
) -> Vec<CheckResult> {
    let base = base_url.trim_end_matches('/');
    let lists = V1Lists::new(base, transport.clone());
    let get = |path: &str| HttpRequest {
        method: Method::Get,
        url: format!("{base}{path}"),
        headers: vec![("accept", "application/json".into())],
        body: None,
    };
    let search = {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("searchQuery", SEARCH_PROBE);
        query.append_pair("take", "25");
        format!("/v1/search/contacts?{}", query.finish())
    };

    // One batch of everything that depends on nothing else.
    let mut probes: Vec<(Probe, HttpRequest)> = vec![
        (Probe::Owner, get("/v1/users/me")),
        (Probe::Count, get("/v1/contacts/count")),
    ];
    for list in ListKind::ALL {
        let request = lists.first_page_request(list);
        let bare = without_include(&request);
        probes.push((Probe::List { list, bare: false }, request));
        if let Some(bare) = bare {
            probes.push((Probe::List { list, bare: true }, bare));
        }
    }
    probes.push((Probe::ByEmails, by_emails_request(base, EMAIL_PROBE)));
    probes.push((Probe::Search, get(&search)));
    probes.push((Probe::NoteTypes, get(note_types::PATH)));
    for (name, path) in [
        ("tags", "/v1/tags"),
        ("groups", "/v1/groups"),
        ("custom fields", "/v1/custom-fields"),
    ] {
        probes.push((Probe::Labels(name, path), get(path)));
    }
    let requests: Vec<HttpRequest> = probes.iter().map(|(_, r)| r.clone()).collect();
    let replies = answered(retrier.send_all(&transport, &requests), &requests);

    let mut results = Vec::with_capacity(probes.len() + 1);
    let mut first_contact: Option<Result<Option<String>, ()>> = None;
    for ((probe, _), reply) in probes.iter().zip(replies) {
        let result = match *probe {
            Probe::Owner => owner(reply),
            Probe::Count => count(reply),
            Probe::List { list, bare } => {
                let (result, first) = list_page(list, bare, reply);
                if list == ListKind::Contacts && !bare {
                    first_contact = Some(first);
                }
                result
            }
            Probe::ByEmails => by_emails(reply),
            Probe::Search => search_page(reply),
            Probe::NoteTypes => note_type_list(reply),
            Probe::Labels(name, path) => labels(name, path, reply),
        };
        results.push(result);
    }

    // Then one contact read by id, as enriching and merging read them.
    let endpoint = "GET /v1/contacts/{id}";
    let by_id = match first_contact {
        Some(Ok(Some(id))) => {
            let request = get(&format!(
                "/v1/contacts/{}",
                form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
            ));
            let reply = answered(
                retrier.send_all(&transport, std::slice::from_ref(&request)),
                std::slice::from_ref(&request),
            )
            .remove(0);
            one_contact(&id, reply)
        }
        Some(Ok(None)) => CheckResult::skipped(
            endpoint,
            true,
            "the contacts page was empty, so there is no contact to read",
        ),
        _ => CheckResult::skipped(
            endpoint,
            true,
            "the contacts page could not be read, so there is no contact to read",
        ),
    };
    let at = results
        .iter()
        .position(|r| r.endpoint == "POST /v1/contacts/by-emails")
        .unwrap_or(results.len());
    results.insert(at, by_id);
    results
}

/// What each request of the first batch checks.
#[derive(Debug, Clone, Copy)]
enum Probe {
    /// `GET /v1/users/me`.
    Owner,
    /// `GET /v1/contacts/count`.
    Count,
    /// A bulk list's first page, as the tools ask it or without `include`.
    List { list: ListKind, bare: bool },
    /// `POST /v1/contacts/by-emails`.
    ByEmails,
    /// `GET /v1/search/contacts`.
    Search,
    /// `GET /v1/timeline/note-types`.
    NoteTypes,
    /// `GET /v1/tags` and the like: read by no tool yet.
    Labels(&'static str, &'static str),
}

/// One reply per request, whatever the transport gave back.
fn answered(
    mut replies: Vec<Result<HttpResponse, TransportError>>,
    requests: &[HttpRequest],
) -> Vec<Result<HttpResponse, TransportError>> {
    for request in requests.iter().skip(replies.len()) {
        replies.push(Err(TransportError::Failed {
            url: request.url.clone(),
            reason: "the transport gave no answer".into(),
        }));
    }
    replies
}

/// `request` without its `include` parameters, when it has any.
fn without_include(request: &HttpRequest) -> Option<HttpRequest> {
    let (path, query) = request.url.split_once('?')?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let kept: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(key, _)| !key.starts_with("include"))
        .collect();
    if kept.len() == pairs.len() {
        return None;
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (key, value) in kept {
        query.append_pair(key, value);
    }
    Some(HttpRequest {
        url: format!("{path}?{}", query.finish()),
        ..request.clone()
    })
}

/// The status of `reply`, and the 2xx answer or the check failed by it.
fn status_checked(
    mut result: CheckResult,
    reply: Result<HttpResponse, TransportError>,
    what: &str,
) -> Result<(CheckResult, HttpResponse), Box<CheckResult>> {
    let response = match reply {
        Ok(response) => response,
        Err(error) => return Err(Box::new(result.fail(&error.into()))),
    };
    result.http_status = Some(response.status);
    match check_status(response, what) {
        Ok(response) => Ok((result, response)),
        Err(error) => Err(Box::new(result.fail(&error))),
    }
}

fn owner(reply: Result<HttpResponse, TransportError>) -> CheckResult {
    let endpoint = "GET /v1/users/me";
    let (result, response) =
        match status_checked(CheckResult::passed(endpoint, false), reply, "current user") {
            Ok(ok) => ok,
            Err(failed) => return *failed,
        };
    let read = answers::data(&response, endpoint)
        .and_then(|data| answers::record_value(data, USER, endpoint));
    match read {
        Err(error) => result.fail(&error),
        Ok((fields, shape)) => {
            let mut result = CheckResult {
                shape: Some(shape.as_str()),
                ..result
            };
            match fields.get("time_zone") {
                Some(Value::String(_)) | Some(Value::Null) | None => {}
                Some(_) => result.unreadable_fields.push("time_zone".into()),
            }
            if !result.unreadable_fields.is_empty() {
                result = result.warn("the time zone is not text".into(), FIELDS_FIX);
            }
            result
        }
    }
}

fn count(reply: Result<HttpResponse, TransportError>) -> CheckResult {
    let endpoint = "GET /v1/contacts/count";
    let (result, response) =
        match status_checked(CheckResult::passed(endpoint, false), reply, "contact count") {
            Ok(ok) => ok,
            Err(failed) => return *failed,
        };
    match answers::data(&response, endpoint) {
        Err(error) => result.fail(&error),
        Ok(data) => match data.get("count").map(Value::as_u64) {
            Some(Some(_)) => CheckResult {
                shape: Some("bare"),
                ..result
            },
            _ => {
                let mut result = result.warn(
                    "the answer has no `data.count` number; progress reports go without a total"
                        .into(),
                    FIELDS_FIX,
                );
                result.unreadable_fields.push("count".into());
                result
            }
        },
    }
}

/// One bulk list page, and the first contact's id when it is the contacts
/// list (`Err` when the page could not be read).
fn list_page(
    list: ListKind,
    bare: bool,
    reply: Result<HttpResponse, TransportError>,
) -> (CheckResult, Result<Option<String>, ()>) {
    let path = super::lists::path(list).trim_end_matches('/');
    let endpoint = if bare {
        format!("GET {path} (without include)")
    } else {
        format!("GET {path}")
    };
    // Needed by every tool that reads the account; the bare variant only
    // shows what `include` changes.
    let result = CheckResult::passed(endpoint, !bare);
    let raw_items = reply.as_ref().ok().and_then(|r| items_of(&r.body));
    let status = reply.as_ref().ok().map(|r| r.status);
    let (page, shape) = match decode_page(list, reply) {
        Ok(decoded) => decoded,
        Err(error) => {
            let mut failed = CheckResult {
                http_status: status,
                ..result
            }
            .fail(&error);
            failed.unreadable_fields = match (list, raw_items) {
                (ListKind::Contacts, Some(items)) => unreadable::<WireContact>(&items),
                (ListKind::Notes, Some(items)) => unreadable::<WireNote>(&items),
                (ListKind::Reminders, Some(items)) => unreadable::<WireReminder>(&items),
                (_, None) => Vec::new(),
            };
            return (failed, Err(()));
        }
    };
    let (size, links, first, odd_dates) = match &page.items {
        PageItems::Contacts(c) => (
            c.len(),
            any(c, |c: &Contact| {
                !c.emails.is_empty() || !c.phones.is_empty()
            }),
            c.first().map(|c| c.id.clone()),
            false,
        ),
        PageItems::Notes(n) => (n.len(), any(n, |n| !n.contact_ids.is_empty()), None, false),
        PageItems::Reminders(r) => (
            r.len(),
            any(r, |r| !r.contact_ids.is_empty()),
            None,
            r.iter().any(|r| {
                r.due_date()
                    .as_deref()
                    .is_some_and(|d| crate::history::day_of(d).is_none())
            }),
        ),
    };
    let mut result = CheckResult {
        http_status: status,
        shape: Some(page_shape(shape)),
        page_size: Some(size as u32),
        links_present: links,
        ..result
    };
    let mut detail = match (&page.next, page.total) {
        (Some(_), Some(total)) => format!("{total} in all; more pages follow"),
        (Some(_), None) => "more pages follow".to_owned(),
        (None, _) => "the whole list fits this page".to_owned(),
    };
    if list == ListKind::Reminders
        && let Some(form) = raw_items.as_ref().and_then(|items| due_date_form(items))
    {
        detail.push_str(&format!("; due dates come as {form}"));
    }
    result.detail = Some(detail);
    if links == Some(false) {
        let what = match list {
            ListKind::Contacts => "no contact on the page has an email or phone",
            ListKind::Notes => "no note on the page names its contacts",
            ListKind::Reminders => "no reminder on the page names its contacts",
        };
        result = result.warn(what.to_owned(), LINKS_FIX);
    }
    if odd_dates {
        result.unreadable_fields.push("due_at_date".into());
        result = result.warn(
            "some due dates are neither a date nor a datetime".into(),
            FIELDS_FIX,
        );
    }
    (result, Ok(first))
}

/// How the raw reminders write `due_at_date`: `dates` (`YYYY-MM-DD`),
/// `datetimes`, or `dates and datetimes`; `None` when none has one.
fn due_date_form(items: &[Value]) -> Option<&'static str> {
    let (mut dates, mut datetimes) = (false, false);
    for due in items.iter().filter_map(|r| r.get("due_at_date")?.as_str()) {
        if due.len() == 10 {
            dates = true;
        } else {
            datetimes = true;
        }
    }
    match (dates, datetimes) {
        (true, false) => Some("dates"),
        (false, true) => Some("datetimes"),
        (true, true) => Some("dates and datetimes"),
        (false, false) => None,
    }
}

/// Whether any record passes `test`; `None` for no records.
fn any<R>(records: &[R], test: impl Fn(&R) -> bool) -> Option<bool> {
    (!records.is_empty()).then(|| records.iter().any(test))
}

fn page_shape(shape: PageShape) -> &'static str {
    match shape {
        PageShape::Paged => "page",
        PageShape::List => "list",
    }
}

fn one_contact(id: &str, reply: Result<HttpResponse, TransportError>) -> CheckResult {
    let endpoint = "GET /v1/contacts/{id}";
    let what = format!("contact with id {id}");
    let raw = reply
        .as_ref()
        .ok()
        .and_then(|r| answers::data(r, endpoint).ok());
    let (result, response) = match status_checked(CheckResult::passed(endpoint, true), reply, &what)
    {
        Ok(ok) => ok,
        Err(failed) => return *failed,
    };
    match decode_contact(&response, &what) {
        // One contact without an email or phone is common: shown, not
        // warned about.
        Ok((contact, shape)) => CheckResult {
            shape: Some(shape.as_str()),
            links_present: Some(!contact.emails.is_empty() || !contact.phones.is_empty()),
            detail: Some("the first contact of the list, read by its id".into()),
            ..result
        },
        Err(error) => {
            let mut failed = result.fail(&error);
            if let Some(record) = raw.and_then(|data| {
                answers::record_value(data, answers::CONTACT, endpoint)
                    .ok()
                    .map(|(fields, _)| Value::Object(fields))
            }) {
                failed.unreadable_fields = unreadable::<WireContact>(&[record]);
            }
            failed
        }
    }
}

/// Not required: without the route, `find_contact` falls back to the
/// search endpoint, which has its own check.
fn by_emails(reply: Result<HttpResponse, TransportError>) -> CheckResult {
    let endpoint = "POST /v1/contacts/by-emails";
    let what = format!("exact email lookup ({endpoint})");
    if let Ok(response) = &reply
        && matches!(response.status, 404 | 405)
    {
        return CheckResult {
            http_status: Some(response.status),
            ..CheckResult::passed(endpoint, false)
        }
        .warn(
            "this Dex has no exact email lookup; find_contact searches by the address instead (slower, and it reads unconfirmed hits one by one)".into(),
            "Nothing to do: email lookups still work; please report this table if they seem wrong",
        );
    }
    contact_list(
        CheckResult::passed(endpoint, false),
        reply,
        &what,
        format!("looked up `{EMAIL_PROBE}`, which is no one's, to see the shape"),
    )
}

/// The check of an answer that lists contacts (a search, a lookup): its
/// status, then the list decoded as the tools decode it; `detail` says
/// what was asked. A failed decoding names the fields it could not read.
fn contact_list(
    result: CheckResult,
    reply: Result<HttpResponse, TransportError>,
    what: &str,
    detail: String,
) -> CheckResult {
    let endpoint = result.endpoint.clone();
    let (result, response) = match status_checked(result, reply, what) {
        Ok(ok) => ok,
        Err(failed) => return *failed,
    };
    let read = decode_json::<Envelope<Page<WireContact>>>(&response, what).and_then(|page| {
        let contacts: Vec<Contact> = page.data.items.into_iter().map(Contact::from).collect();
        require_ids(contacts.iter().map(|c| c.id.as_str()), "contact", &endpoint)?;
        Ok((contacts.len(), page.data.shape))
    });
    match read {
        Ok((size, shape)) => CheckResult {
            shape: Some(page_shape(shape)),
            page_size: Some(size as u32),
            detail: Some(detail),
            ..result
        },
        Err(error) => {
            let mut failed = result.fail(&error);
            if let Some(items) = items_of(&response.body) {
                failed.unreadable_fields = unreadable::<WireContact>(&items);
            }
            failed
        }
    }
}

fn search_page(reply: Result<HttpResponse, TransportError>) -> CheckResult {
    let endpoint = "GET /v1/search/contacts";
    contact_list(
        CheckResult::passed(endpoint, true),
        reply,
        &format!("contact search ({endpoint})"),
        format!("searched for `{SEARCH_PROBE}`, which names no one, to see the shape"),
    )
}

fn note_type_list(reply: Result<HttpResponse, TransportError>) -> CheckResult {
    let endpoint = note_types::ENDPOINT;
    let (result, response) =
        match status_checked(CheckResult::passed(endpoint, true), reply, "note types") {
            Ok(ok) => ok,
            Err(failed) => return *failed,
        };
    match decode_note_types(&response) {
        Ok((types, shape)) => CheckResult {
            shape: Some(page_shape(shape)),
            page_size: Some(types.len() as u32),
            ..result
        },
        Err(error) => {
            let mut failed = result.fail(&error);
            if let Some(items) = items_of(&response.body) {
                failed.unreadable_fields = unreadable::<WireNoteType>(&items);
            }
            failed
        }
    }
}

/// Tags, groups or custom fields: no tool reads them yet, so only the
/// answer's form and size are checked.
fn labels(
    name: &str,
    path: &'static str,
    reply: Result<HttpResponse, TransportError>,
) -> CheckResult {
    let endpoint = format!("GET {path}");
    let (result, response) =
        match status_checked(CheckResult::passed(endpoint.clone(), false), reply, name) {
            Ok(ok) => ok,
            Err(failed) => return *failed,
        };
    match decode_json::<Envelope<Page<Value>>>(&response, &endpoint) {
        Ok(page) => CheckResult {
            shape: Some(page_shape(page.data.shape)),
            page_size: Some(page.data.items.len() as u32),
            detail: Some(format!("no tool reads the {name} yet")),
            ..result
        },
        Err(error) => result.fail(&error),
    }
}

/// The records of a list answer as JSON values (`data.items`, or `data`
/// when it is a list), when the body has them.
fn items_of(body: &[u8]) -> Option<Vec<Value>> {
    let mut envelope: Map<String, Value> = serde_json::from_slice(body).ok()?;
    match envelope.remove("data")? {
        Value::Array(items) => Some(items),
        Value::Object(mut page) => match page.remove("items")? {
            Value::Array(items) => Some(items),
            _ => None,
        },
        _ => None,
    }
}

/// The names of the fields, over all `records`, that the decoder `W`
/// cannot read: each field of a record the decoder refuses is tried alone.
fn unreadable<W: DeserializeOwned>(records: &[Value]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for record in records {
        let Value::Object(fields) = record else {
            continue;
        };
        if serde_json::from_value::<W>(record.clone()).is_ok() {
            continue;
        }
        for (name, value) in fields {
            let alone = Value::Object(Map::from_iter([(name.clone(), value.clone())]));
            if serde_json::from_value::<W>(alone).is_err() && !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::time::Duration;

    use super::*;
    use crate::dex::retry::{Clock, RetryPolicy};
    use crate::doctor::CheckStatus;

    /// Answers by path (query dropped), and records the URLs asked.
    #[derive(Clone)]
    struct Routed {
        routes: Rc<Vec<(&'static str, u16, String)>>,
        asked: Rc<RefCell<Vec<String>>>,
    }

    impl Routed {
        fn new(routes: Vec<(&'static str, u16, String)>) -> Self {
            Self {
                routes: Rc::new(routes),
                asked: Rc::default(),
            }
        }
    }

    impl HttpTransport for Routed {
        fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.asked.borrow_mut().push(request.url.clone());
            let path = request.url.trim_start_matches("http://dex.test");
            let path = path.split('?').next().unwrap().trim_end_matches('/');
            let (_, status, body) = self
                .routes
                .iter()
                .find(|(p, _, _)| *p == path)
                .unwrap_or_else(|| panic!("unrouted {path}"));
            Ok(HttpResponse {
                status: *status,
                headers: vec![],
                body: body.clone().into_bytes(),
            })
        }
    }

    struct NoWait;

    impl Clock for NoWait {
        fn now(&self) -> Duration {
            Duration::ZERO
        }
        fn sleep(&self, _: Duration) {}
    }

    fn ok(data: &str) -> String {
        format!(r#"{{"error":false,"data":{data}}}"#)
    }

    /// An account in the reference's shapes, with `changes` replacing
    /// routes.
    fn account(changes: Vec<(&'static str, u16, String)>) -> Routed {
        let mut routes = vec![
            (
                "/v1/users/me",
                200,
                ok(r#"{"id":"u1","first_name":"Avery","time_zone":"Europe/Berlin"}"#),
            ),
            ("/v1/contacts/count", 200, ok(r#"{"count":1200}"#)),
            (
                "/v1/contacts",
                200,
                ok(
                    r#"{"items":[{"id":"c1","first_name":"Ada","contact_emails":[{"email":"ada@x.org"}]},{"id":"c2"}],"nextCursor":"9b1de2c4-0000-4000-8000-00000000000a","count":1200}"#,
                ),
            ),
            (
                "/v1/timeline",
                200,
                ok(
                    r#"{"items":[{"id":"n1","note":"Tea","timeline_items_contacts":[{"contact_id":"c1"}]}],"nextCursor":null}"#,
                ),
            ),
            (
                "/v1/reminders",
                200,
                ok(
                    r#"{"items":[{"id":"r1","text":"Call","due_at_date":"2026-04-01T00:00:00.000Z","reminders_contacts":[{"contact_id":"c1"}]}]}"#,
                ),
            ),
            (
                "/v1/contacts/c1",
                200,
                ok(r#"{"contact":{"id":"c1","first_name":"Ada"}}"#),
            ),
            ("/v1/contacts/by-emails", 200, ok("[]")),
            (
                "/v1/search/contacts",
                200,
                ok(r#"{"items":[],"nextCursor":null}"#),
            ),
            (
                "/v1/timeline/note-types",
                200,
                ok(r#"[{"id":"t1","name":"call"}]"#),
            ),
            (
                "/v1/tags",
                200,
                ok(r#"{"items":[{"id":"g1","name":"Friends"}]}"#),
            ),
            ("/v1/groups", 200, ok("[]")),
            ("/v1/custom-fields", 200, ok(r#"{"items":[]}"#)),
        ];
        for (path, status, body) in changes {
            routes.retain(|(p, _, _)| *p != path);
            routes.insert(0, (path, status, body));
        }
        Routed::new(routes)
    }

    fn checks(transport: Routed) -> Vec<CheckResult> {
        run_with(
            "http://dex.test/",
            transport,
            Retrier::new(RetryPolicy::default(), Box::new(NoWait)),
        )
    }

    fn find<'a>(results: &'a [CheckResult], endpoint: &str) -> &'a CheckResult {
        results
            .iter()
            .find(|r| r.endpoint == endpoint)
            .unwrap_or_else(|| panic!("no {endpoint} in {results:#?}"))
    }

    #[test]
    fn a_reference_shaped_account_passes_every_check_and_shows_its_shapes() {
        let results = checks(account(vec![]));
        let endpoints: Vec<&str> = results.iter().map(|r| r.endpoint.as_str()).collect();
        assert_eq!(
            endpoints,
            [
                "GET /v1/users/me",
                "GET /v1/contacts/count",
                "GET /v1/contacts",
                "GET /v1/contacts (without include)",
                "GET /v1/timeline",
                "GET /v1/timeline (without include)",
                "GET /v1/reminders",
                "GET /v1/reminders (without include)",
                "GET /v1/contacts/{id}",
                "POST /v1/contacts/by-emails",
                "GET /v1/search/contacts",
                "GET /v1/timeline/note-types",
                "GET /v1/tags",
                "GET /v1/groups",
                "GET /v1/custom-fields",
            ]
        );
        for result in &results {
            assert_eq!(result.status, CheckStatus::Passed, "{result:#?}");
            assert_eq!(result.http_status, Some(200));
            assert!(result.unreadable_fields.is_empty());
            assert_eq!(result.fix, None);
        }
        let contacts = find(&results, "GET /v1/contacts");
        assert_eq!(
            (contacts.shape, contacts.page_size, contacts.links_present),
            (Some("page"), Some(2), Some(true))
        );
        assert!(contacts.required);
        assert_eq!(
            find(&results, "GET /v1/contacts/{id}").shape,
            Some("wrapped")
        );
        assert_eq!(find(&results, "GET /v1/users/me").shape, Some("bare"));
        assert!(!find(&results, "GET /v1/users/me").required);
        assert_eq!(
            find(&results, "GET /v1/timeline/note-types").shape,
            Some("list")
        );
        assert_eq!(find(&results, "GET /v1/groups").page_size, Some(0));
    }

    #[test]
    fn a_dex_without_the_exact_email_lookup_is_a_warning_not_a_failure() {
        let results = checks(account(vec![(
            "/v1/contacts/by-emails",
            405,
            r#"{"error":true,"message":"Method Not Allowed"}"#.into(),
        )]));
        let lookup = find(&results, "POST /v1/contacts/by-emails");
        assert_eq!(lookup.status, CheckStatus::Warned, "{lookup:#?}");
        assert_eq!(lookup.http_status, Some(405));
        assert!(!lookup.required);
        assert!(
            lookup
                .detail
                .as_deref()
                .unwrap()
                .contains("searches by the address"),
            "{lookup:#?}"
        );
    }

    #[test]
    fn a_bare_contact_read_is_reported_bare() {
        let results = checks(account(vec![(
            "/v1/contacts/c1",
            200,
            ok(r#"{"id":"c1","first_name":"Ada"}"#),
        )]));
        assert_eq!(find(&results, "GET /v1/contacts/{id}").shape, Some("bare"));
    }

    #[test]
    fn a_refused_key_fails_the_required_checks_with_the_key_fix() {
        let refused = (401, r#"{"error":true,"message":"bad key"}"#.to_owned());
        let paths = [
            "/v1/users/me",
            "/v1/contacts/count",
            "/v1/contacts",
            "/v1/timeline",
            "/v1/reminders",
            "/v1/search/contacts",
            "/v1/timeline/note-types",
            "/v1/tags",
            "/v1/groups",
            "/v1/custom-fields",
        ];
        let results = checks(account(
            paths
                .iter()
                .map(|p| (*p, refused.0, refused.1.clone()))
                .collect(),
        ));
        let contacts = find(&results, "GET /v1/contacts");
        assert_eq!(contacts.status, CheckStatus::Failed);
        assert_eq!(contacts.http_status, Some(401));
        assert!(contacts.fix.as_deref().unwrap().contains("DEX_API_KEY"));
        let by_id = find(&results, "GET /v1/contacts/{id}");
        assert_eq!(by_id.status, CheckStatus::Skipped);
    }

    #[test]
    fn a_list_that_keeps_failing_fails_its_check_alone() {
        let results = checks(account(vec![("/v1/timeline", 503, "busy".into())]));
        let notes = find(&results, "GET /v1/timeline");
        assert_eq!(notes.status, CheckStatus::Failed);
        assert_eq!(notes.http_status, Some(503));
        assert!(notes.fix.as_deref().unwrap().contains("network"));
        assert_eq!(
            find(&results, "GET /v1/reminders").status,
            CheckStatus::Passed
        );
    }

    #[test]
    fn unreadable_fields_are_named_and_their_values_never_shown() {
        let results = checks(account(vec![(
            "/v1/contacts",
            200,
            ok(
                r#"{"items":[{"id":"c1","starred":"Ada Lovelace","job_title":7,"company":"Engines"}]}"#,
            ),
        )]));
        let contacts = find(&results, "GET /v1/contacts");
        assert_eq!(contacts.status, CheckStatus::Failed);
        assert_eq!(contacts.unreadable_fields, ["job_title", "starred"]);
        let shown = format!("{:?} {:?}", contacts.detail, contacts.fix);
        assert!(
            !shown.contains("Ada") && !shown.contains("Engines"),
            "{shown}"
        );
        assert!(contacts.fix.as_deref().unwrap().contains("shape"));
    }

    #[test]
    fn a_list_without_links_and_odd_due_dates_is_a_warning() {
        let results = checks(account(vec![
            (
                "/v1/timeline",
                200,
                ok(r#"{"items":[{"id":"n1","note":"Tea"}]}"#),
            ),
            (
                "/v1/reminders",
                200,
                ok(
                    r#"{"items":[{"id":"r1","text":"Call","due_at_date":"soon","reminders_contacts":[{"contact_id":"c1"}]}]}"#,
                ),
            ),
        ]));
        let notes = find(&results, "GET /v1/timeline");
        assert_eq!(notes.status, CheckStatus::Warned);
        assert_eq!(notes.links_present, Some(false));
        assert!(notes.fix.as_deref().unwrap().contains("links"));
        let reminders = find(&results, "GET /v1/reminders");
        assert_eq!(reminders.status, CheckStatus::Warned);
        assert_eq!(reminders.unreadable_fields, ["due_at_date"]);
        let fine = checks(account(vec![]));
        let detail = find(&fine, "GET /v1/reminders").detail.clone().unwrap();
        assert!(detail.ends_with("due dates come as datetimes"), "{detail}");
    }

    #[test]
    fn an_empty_contacts_page_skips_the_read_by_id() {
        let results = checks(account(vec![(
            "/v1/contacts",
            200,
            ok(r#"{"items":[],"nextCursor":null}"#),
        )]));
        let contacts = find(&results, "GET /v1/contacts");
        assert_eq!(
            (contacts.status, contacts.links_present),
            (CheckStatus::Passed, None)
        );
        assert_eq!(
            find(&results, "GET /v1/contacts/{id}").status,
            CheckStatus::Skipped
        );
    }

    #[test]
    fn the_page_requests_are_the_snapshots_own_and_the_same_without_include() {
        let transport = account(vec![]);
        checks(transport.clone());
        let asked = transport.asked.borrow();
        let snapshot = V1Lists::new("http://dex.test", transport.clone());
        for list in ListKind::ALL {
            let request = snapshot.first_page_request(list);
            assert!(request.url.contains("include"), "{}", request.url);
            assert!(asked.contains(&request.url), "{asked:?}");
            let bare = without_include(&request).unwrap().url;
            assert!(asked.contains(&bare), "{asked:?}");
        }
        assert!(
            asked.contains(&"http://dex.test/v1/contacts?take=1000".to_owned()),
            "{asked:?}"
        );
    }

    #[test]
    fn include_parameters_are_taken_out_for_the_bare_variant() {
        let with = HttpRequest {
            method: Method::Get,
            url: "http://dex.test/v1/contacts?take=1000&include%5Bcontact_emails%5D=true".into(),
            headers: vec![],
            body: None,
        };
        assert_eq!(
            without_include(&with).unwrap().url,
            "http://dex.test/v1/contacts?take=1000"
        );
        let plain = HttpRequest {
            url: "http://dex.test/v1/contacts?take=1000".into(),
            ..with
        };
        assert!(without_include(&plain).is_none());
    }
}
