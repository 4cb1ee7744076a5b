//! v1's bulk list endpoints, read page by page with retries.

use std::cell::Cell;

use super::client::contacts_read;
use super::wire::{Envelope, Page, PageShape, WireContact};
use super::wire_records::{WireNote, WireReminder};
use crate::dex::page_size::{PageSize, SizedReply, send_pages};
use crate::dex::retry::Retrier;
use crate::dex::wire_text::require_ids;
use crate::dex::{
    AccountLists, AccountPreamble, HttpRequest, HttpResponse, HttpTransport, LinkedRecords,
    ListKind, ListPage, Method, PageAt, PageItems, PageRequest, TransportError, check_status,
    decode_json,
};
use crate::model::{Contact, ErrorKind, Note, Reminder, ToolError};

/// The relations a list is asked to include, so that its records come
/// with their links: the reference gives `include` (typed as an object)
/// to `GET /v1/timeline` and `GET /v1/contacts/{id}`, and public material
/// says lists may leave links out unless asked. Which names and which
/// spelling Dex takes is a guess (docs/dex-api.md, "Links in bulk lists"):
/// the relation names are the fields the records carry them in, sent as
/// `include[name]=true`, the form an object takes in a query string.
fn include_names(list: ListKind) -> &'static [&'static str] {
    match list {
        ListKind::Contacts => &["contact_emails", "contact_phone_numbers"],
        ListKind::Notes => &["timeline_items_contacts"],
        ListKind::Reminders => &["reminders_contacts"],
    }
}

/// Records per page when reading one contact's notes or reminders to fill
/// links: one answer covers all but the busiest contacts.
const PER_CONTACT_TAKE: usize = 1000;

/// Reads Dex v1's contact, timeline and reminder lists.
///
/// v1 pages by opaque cursor, so each list is read one page after another;
/// pages are as large as Dex accepts ([`crate::dex::page_size`]), which is
/// what keeps the number of round trips down. Every page asks for the
/// links the snapshot needs (`include`); a list whose pages Dex refuses
/// with `include`, at any page size, is read without it (and its pages
/// then say their links are missing).
pub struct V1Lists<T> {
    base_url: String,
    transport: T,
    retrier: Retrier,
    page_size: PageSize,
    /// Per list (in [`ListKind::ALL`] order): whether `include` is sent.
    include: [Cell<bool>; 3],
}

impl<T: HttpTransport> V1Lists<T> {
    /// Lists from the API at `base_url`, retrying with the default policy.
    pub fn new(base_url: &str, transport: T) -> Self {
        Self::with_retrier(base_url, transport, Retrier::default())
    }

    /// Lists from the API at `base_url`, retrying as `retrier` does.
    pub fn with_retrier(base_url: &str, transport: T, retrier: Retrier) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            transport,
            retrier,
            page_size: PageSize::default(),
            include: [Cell::new(true), Cell::new(true), Cell::new(true)],
        }
    }

    /// The same, asking for `size` records a page at first.
    pub fn with_page_size(mut self, size: usize) -> Self {
        self.page_size = PageSize::starting_at(size);
        self
    }

    /// The same, never sending `include` (to measure what it saves).
    pub fn without_include(self) -> Self {
        for flag in &self.include {
            flag.set(false);
        }
        self
    }

    fn get(&self, path_and_query: String) -> HttpRequest {
        HttpRequest {
            method: Method::Get,
            url: format!("{}{path_and_query}", self.base_url),
            headers: vec![("accept", "application/json".into())],
            body: None,
        }
    }

    fn append_include(&self, list: ListKind, query: &mut form_urlencoded::Serializer<String>) {
        if self.include[list as usize].get() {
            for name in include_names(list) {
                query.append_pair(&format!("include[{name}]"), "true");
            }
        }
    }

    /// The request for the first page of `list`, exactly as a snapshot's
    /// read sends it (for `dex-mcp doctor` to send the same).
    pub(super) fn first_page_request(&self, list: ListKind) -> HttpRequest {
        let page = PageRequest {
            list,
            at: PageAt::Start,
        };
        self.request(&page, self.page_size.get())
    }

    fn request(&self, page: &PageRequest, take: usize) -> HttpRequest {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("take", &take.to_string());
        if let PageAt::Cursor(cursor) = &page.at {
            query.append_pair("cursor", cursor);
        }
        self.append_include(page.list, &mut query);
        self.get(format!("{}?{}", path(page.list), query.finish()))
    }

    fn send_sized(&self, requests: &[PageRequest], indices: &[usize]) -> Vec<SizedReply> {
        send_pages(
            &self.page_size,
            indices.len(),
            |i, take| self.request(&requests[indices[i]], take),
            |http| self.retrier.send_all(&self.transport, http),
        )
    }
}

/// Whether `reply` refuses the request as invalid.
fn refused(reply: &Result<HttpResponse, TransportError>) -> bool {
    matches!(reply, Ok(response) if matches!(response.status, 400 | 422))
}

impl<T: HttpTransport> AccountLists for V1Lists<T> {
    fn fetch_pages(&self, requests: &[PageRequest]) -> Vec<Result<ListPage, ToolError>> {
        let all: Vec<usize> = (0..requests.len()).collect();
        let mut replies = self.send_sized(requests, &all);
        // Refused at every page size while asking for links: perhaps Dex
        // takes no `include` on this list. Ask once more without it, from
        // the preferred size again.
        let again: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&i| {
                refused(&replies[i].reply) && self.include[requests[i].list as usize].get()
            })
            .collect();
        if !again.is_empty() {
            for &i in &again {
                self.include[requests[i].list as usize].set(false);
            }
            self.page_size.reset();
            for (i, reply) in again.iter().zip(self.send_sized(requests, &again)) {
                replies[*i] = reply;
            }
        }
        replies
            .into_iter()
            .zip(requests)
            .map(|(sized, page)| match page.at {
                PageAt::Offset(_) => Err(ToolError::new(
                    ErrorKind::Upstream,
                    format!(
                        "the v1 {} list pages by cursor, not offset",
                        page.list.noun()
                    ),
                )),
                _ => decode_page(page.list, sized.reply).map(|(page, _)| page),
            })
            .collect()
    }

    fn preamble(&self) -> AccountPreamble {
        let requests = [
            self.get("/v1/contacts/count".to_owned()),
            self.get("/v1/users/me".to_owned()),
        ];
        // Nice to have, not needed: one attempt each, and a failure only
        // leaves its part out.
        let mut replies = self.transport.send_all(requests.into()).into_iter();
        let mut decoded = |what: &str| -> Option<serde_json::Value> {
            let response = check_status(replies.next()?.ok()?, what).ok()?;
            decode_json::<Envelope<serde_json::Value>>(&response, what)
                .ok()
                .map(|e| e.data)
        };
        let count = decoded("the number of contacts");
        let me = decoded("the current user");
        AccountPreamble {
            contacts_total: count.and_then(|data| data.get("count")?.as_u64()),
            owner_time_zone: me.and_then(|data| {
                let zone = data.get("time_zone")?.as_str()?.trim();
                (!zone.is_empty()).then(|| zone.to_owned())
            }),
        }
    }

    fn can_fill_links(&self) -> bool {
        true
    }

    fn contacts_by_id(&self, ids: &[&str]) -> Vec<Result<Contact, ToolError>> {
        let requests: Vec<HttpRequest> = ids
            .iter()
            .map(|id| {
                let mut query = form_urlencoded::Serializer::new(String::new());
                self.append_include(ListKind::Contacts, &mut query);
                let query = query.finish();
                let segment: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
                let path = format!("/v1/contacts/{segment}");
                self.get(if query.is_empty() {
                    path
                } else {
                    format!("{path}?{query}")
                })
            })
            .collect();
        contacts_read(self.retrier.send_all(&self.transport, &requests), ids)
    }

    fn linked_to(
        &self,
        list: ListKind,
        contact_ids: &[&str],
    ) -> Vec<Result<LinkedRecords, ToolError>> {
        let requests: Vec<HttpRequest> = contact_ids
            .iter()
            .map(|id| {
                let mut query = form_urlencoded::Serializer::new(String::new());
                query.append_pair("contactId", id);
                query.append_pair("take", &PER_CONTACT_TAKE.to_string());
                self.get(format!("{}?{}", path(list), query.finish()))
            })
            .collect();
        self.retrier
            .send_all(&self.transport, &requests)
            .into_iter()
            .zip(contact_ids)
            .map(|(reply, id)| {
                let (page, _) = decode_page(list, reply).map_err(|e| ToolError {
                    message: format!("reading the {} of contact {id}: {}", list.noun(), e.message),
                    ..e
                })?;
                if page.next.is_some() {
                    return Ok(LinkedRecords::TooMany);
                }
                Ok(LinkedRecords::Ids(match page.items {
                    PageItems::Notes(notes) => notes.into_iter().map(|n| n.id.into()).collect(),
                    PageItems::Reminders(reminders) => {
                        reminders.into_iter().map(|r| r.id.into()).collect()
                    }
                    PageItems::Contacts(contacts) => contacts.into_iter().map(|c| c.id).collect(),
                }))
            })
            .collect()
    }
}

/// The list's path. The trailing slash on the timeline is how Dex's
/// reference spells it.
pub(super) fn path(list: ListKind) -> &'static str {
    match list {
        ListKind::Contacts => "/v1/contacts",
        ListKind::Notes => "/v1/timeline/",
        ListKind::Reminders => "/v1/reminders",
    }
}

/// Decodes one page of `list`: a page in either of v1's forms whose
/// records all have ids (with the form, for `dex-mcp doctor` to report), or
/// an upstream error naming the endpoint.
pub(super) fn decode_page(
    list: ListKind,
    reply: Result<HttpResponse, TransportError>,
) -> Result<(ListPage, PageShape), ToolError> {
    let endpoint = format!("GET {}", path(list).trim_end_matches('/'));
    let what = format!("the {} list ({endpoint})", list.noun());
    let response = check_status(reply?, &what).map_err(|e| list.read_error(e))?;
    fn page<W: serde::de::DeserializeOwned>(
        response: &HttpResponse,
        what: &str,
    ) -> Result<Page<W>, ToolError> {
        decode_json::<Envelope<Page<W>>>(response, what).map(|e| e.data)
    }
    /// A page misses its links when it has records and none carries them.
    fn missing<W>(items: &[W], carries: impl Fn(&W) -> bool) -> bool {
        !items.is_empty() && !items.iter().any(carries)
    }
    let (items, next_cursor, total, links_missing, shape) = match list {
        ListKind::Contacts => {
            let p = page::<WireContact>(&response, &what)?;
            let missing = missing(&p.items, WireContact::carries_links);
            let items: Vec<Contact> = p.items.into_iter().map(Into::into).collect();
            require_ids(items.iter().map(|c| c.id.as_str()), "contact", &endpoint)?;
            let items = PageItems::Contacts(items);
            (items, p.next_cursor, p.count, missing, p.shape)
        }
        ListKind::Notes => {
            let p = page::<WireNote>(&response, &what)?;
            let missing = missing(&p.items, WireNote::carries_links);
            let items: Vec<Note> = p.items.into_iter().map(Into::into).collect();
            require_ids(items.iter().map(|n| n.id.as_text()), "note", &endpoint)?;
            (
                PageItems::Notes(items),
                p.next_cursor,
                p.count,
                missing,
                p.shape,
            )
        }
        ListKind::Reminders => {
            let p = page::<WireReminder>(&response, &what)?;
            let missing = missing(&p.items, WireReminder::carries_links);
            let items: Vec<Reminder> = p.items.into_iter().map(Into::into).collect();
            require_ids(items.iter().map(|r| r.id.as_text()), "reminder", &endpoint)?;
            let items = PageItems::Reminders(items);
            (items, p.next_cursor, p.count, missing, p.shape)
        }
    };
    let page = ListPage {
        items,
        // Only a missing or null cursor ends a list; an empty one is taken
        // as the end too, since sending it back would start the list over.
        next: next_cursor.filter(|c| !c.is_empty()).map(PageAt::Cursor),
        total,
        links_missing,
    };
    Ok((page, shape))
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::time::Duration;

    use super::*;
    use crate::dex::retry::{Clock, RetryPolicy};
    use crate::model::ErrorKind;

    /// What each list's requests end with: the links asked for.
    const WITH_EMAILS: &str =
        "&include%5Bcontact_emails%5D=true&include%5Bcontact_phone_numbers%5D=true";
    const WITH_NOTE_LINKS: &str = "&include%5Btimeline_items_contacts%5D=true";
    const WITH_REMINDER_LINKS: &str = "&include%5Breminders_contacts%5D=true";

    /// A clock that never waits, for tests of what is sent.
    struct NoWait;

    impl Clock for NoWait {
        fn now(&self) -> Duration {
            Duration::ZERO
        }
        fn sleep(&self, _: Duration) {}
    }

    /// Answers from a script in order and records the URLs asked.
    struct Scripted {
        answers: RefCell<Vec<(u16, String)>>,
        urls: RefCell<Vec<String>>,
    }

    impl HttpTransport for &Scripted {
        fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.urls.borrow_mut().push(request.url);
            let (status, body) = self.answers.borrow_mut().remove(0);
            Ok(HttpResponse {
                status,
                headers: vec![],
                body: body.into_bytes(),
            })
        }
    }

    fn lists(script: &Scripted) -> V1Lists<&Scripted> {
        V1Lists::with_retrier(
            "http://dex.test/",
            script,
            Retrier::new(RetryPolicy::default(), Box::new(NoWait)),
        )
    }

    fn script(answers: &[(u16, &str)]) -> Scripted {
        Scripted {
            answers: RefCell::new(answers.iter().map(|(s, b)| (*s, b.to_string())).collect()),
            urls: RefCell::new(vec![]),
        }
    }

    #[test]
    fn one_batch_reads_a_page_of_each_list_from_its_bulk_endpoint() {
        let script = script(&[
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"c1","first_name":"Ada"}],"nextCursor":"c-next","count":2}}"#,
            ),
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"n1","note":"hi","timeline_items_contacts":[{"contact_id":"c1"}]}],"nextCursor":null}}"#,
            ),
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"r1","text":"call"}],"nextCursor":""}}"#,
            ),
        ]);
        let pages = lists(&script).fetch_pages(&[
            PageRequest {
                list: ListKind::Contacts,
                at: PageAt::Start,
            },
            PageRequest {
                list: ListKind::Notes,
                at: PageAt::Cursor("n 2".into()),
            },
            PageRequest {
                list: ListKind::Reminders,
                at: PageAt::Start,
            },
        ]);
        assert_eq!(
            *script.urls.borrow(),
            [
                format!("http://dex.test/v1/contacts?take=1000{WITH_EMAILS}"),
                format!("http://dex.test/v1/timeline/?take=1000&cursor=n+2{WITH_NOTE_LINKS}"),
                format!("http://dex.test/v1/reminders?take=1000{WITH_REMINDER_LINKS}"),
            ]
        );
        let pages: Vec<ListPage> = pages.into_iter().map(Result::unwrap).collect();
        assert_eq!(pages[0].next, Some(PageAt::Cursor("c-next".into())));
        assert_eq!(pages[0].total, Some(2), "v1's `count` is the list's size");
        assert_eq!(pages[1].total, None);
        assert!(matches!(&pages[0].items, PageItems::Contacts(c) if c[0].full_name == "Ada"));
        assert!(matches!(&pages[1].items, PageItems::Notes(n) if n[0].contact_ids == ["c1"]));
        assert_eq!(pages[1].next, None);
        assert_eq!(pages[2].next, None, "an empty cursor ends the list");
    }

    #[test]
    fn a_page_that_keeps_failing_is_an_error_after_three_attempts() {
        let script = script(&[(503, "busy"), (500, "oops"), (502, "bad gateway")]);
        let pages = lists(&script).fetch_pages(&[PageRequest {
            list: ListKind::Reminders,
            at: PageAt::Start,
        }]);
        let err = pages.into_iter().next().unwrap().unwrap_err();
        assert_eq!(err.kind, ErrorKind::Upstream);
        assert!(err.message.contains("502"), "{}", err.message);
        assert!(err.message.contains("reminders"), "{}", err.message);
        assert_eq!(script.urls.borrow().len(), 3);
    }

    #[test]
    fn a_missing_list_endpoint_points_at_the_servers_set_up() {
        let script = script(&[(404, "")]);
        let pages = lists(&script).fetch_pages(&[PageRequest {
            list: ListKind::Contacts,
            at: PageAt::Start,
        }]);
        let err = pages.into_iter().next().unwrap().unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert!(
            err.message
                .starts_with("Dex answered 404 Not Found for the contacts list")
                && err.message.contains("DEX_API_BASE_URL"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_transient_failure_then_success_reads_the_page() {
        let script = script(&[
            (429, ""),
            (
                200,
                r#"{"error":false,"data":{"items":[],"nextCursor":null}}"#,
            ),
        ]);
        let pages = lists(&script).fetch_pages(&[PageRequest {
            list: ListKind::Contacts,
            at: PageAt::Start,
        }]);
        assert!(pages[0].is_ok());
        assert_eq!(script.urls.borrow().len(), 2);
    }

    #[test]
    fn a_page_size_dex_refuses_is_halved_and_kept_for_later_pages() {
        let script = script(&[
            (
                400,
                r#"{"error":true,"message":"take must be at most 500"}"#,
            ),
            (
                200,
                r#"{"error":false,"data":{"items":[],"nextCursor":"next"}}"#,
            ),
            (
                200,
                r#"{"error":false,"data":{"items":[],"nextCursor":null}}"#,
            ),
        ]);
        let lists = lists(&script);
        let first = lists.fetch_pages(&[PageRequest {
            list: ListKind::Notes,
            at: PageAt::Start,
        }]);
        assert!(first[0].is_ok(), "{:?}", first[0]);
        let second = lists.fetch_pages(&[PageRequest {
            list: ListKind::Contacts,
            at: PageAt::Start,
        }]);
        assert!(second[0].is_ok());
        assert_eq!(
            *script.urls.borrow(),
            [
                format!("http://dex.test/v1/timeline/?take=1000{WITH_NOTE_LINKS}"),
                format!("http://dex.test/v1/timeline/?take=500{WITH_NOTE_LINKS}"),
                format!("http://dex.test/v1/contacts?take=500{WITH_EMAILS}"),
            ]
        );
    }

    #[test]
    fn a_refusal_of_a_small_page_is_reported_as_it_is() {
        let script = script(&[
            (400, r#"{"error":true,"message":"bad cursor"}"#),
            (400, r#"{"error":true,"message":"bad cursor"}"#),
        ]);
        let lists = lists(&script).with_page_size(40);
        let pages = lists.fetch_pages(&[PageRequest {
            list: ListKind::Notes,
            at: PageAt::Cursor("x".into()),
        }]);
        let err = pages.into_iter().next().unwrap().unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation);
        assert!(err.message.contains("bad cursor"), "{}", err.message);
        assert_eq!(
            *script.urls.borrow(),
            [
                format!("http://dex.test/v1/timeline/?take=40&cursor=x{WITH_NOTE_LINKS}"),
                "http://dex.test/v1/timeline/?take=40&cursor=x".to_owned(),
            ],
            "asked once more without `include`, then given up"
        );
    }

    #[test]
    fn a_list_refused_with_include_at_every_size_is_read_without_it() {
        let refused = (
            400,
            r#"{"error":true,"message":"unknown parameter include"}"#,
        );
        let mut answers = vec![refused; 6];
        answers.push((
            200,
            r#"{"error":false,"data":{"items":[{"id":"c1"}],"nextCursor":"more"}}"#,
        ));
        answers.push((
            200,
            r#"{"error":false,"data":{"items":[{"id":"c2"}],"nextCursor":null}}"#,
        ));
        let script = script(&answers);
        let lists = lists(&script);
        let first = [PageRequest {
            list: ListKind::Contacts,
            at: PageAt::Start,
        }];
        let page = lists.fetch_pages(&first).remove(0).unwrap();
        assert!(page.links_missing, "contacts without emails or phones");
        let next = [PageRequest {
            list: ListKind::Contacts,
            at: PageAt::Cursor("more".into()),
        }];
        assert!(lists.fetch_pages(&next)[0].is_ok());
        let urls = script.urls.borrow();
        assert_eq!(urls.len(), 8);
        assert!(urls[5].starts_with("http://dex.test/v1/contacts?take=31&include"));
        assert_eq!(
            urls[6], "http://dex.test/v1/contacts?take=1000",
            "from the top, bare"
        );
        assert_eq!(
            urls[7], "http://dex.test/v1/contacts?take=1000&cursor=more",
            "remembered for later pages"
        );
    }

    #[test]
    fn pages_say_whether_their_links_came() {
        let script = script(&[
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"c1"},{"id":"c2","contact_emails":[]}],"nextCursor":null}}"#,
            ),
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"n1","note":"x"}],"nextCursor":null}}"#,
            ),
            (
                200,
                r#"{"error":false,"data":{"items":[],"nextCursor":null}}"#,
            ),
        ]);
        let pages = lists(&script).fetch_pages(&[
            PageRequest {
                list: ListKind::Contacts,
                at: PageAt::Start,
            },
            PageRequest {
                list: ListKind::Notes,
                at: PageAt::Start,
            },
            PageRequest {
                list: ListKind::Reminders,
                at: PageAt::Start,
            },
        ]);
        let missing: Vec<bool> = pages
            .into_iter()
            .map(|p| p.unwrap().links_missing)
            .collect();
        assert_eq!(
            missing,
            [false, true, false],
            "an empty list of emails is an answer; no contacts field is not; an empty page misses nothing"
        );
    }

    #[test]
    fn the_preamble_reads_the_count_and_the_owners_zone_and_survives_failures() {
        let script = script(&[
            (200, r#"{"error":false,"data":{"count":10000}}"#),
            (
                200,
                r#"{"error":false,"data":{"id":"u1","time_zone":"America/Los_Angeles"}}"#,
            ),
            (503, "busy"),
            (200, r#"{"error":false,"data":{"id":"u1","time_zone":""}}"#),
        ]);
        let lists = lists(&script);
        let preamble = lists.preamble();
        assert_eq!(preamble.contacts_total, Some(10000));
        assert_eq!(
            preamble.owner_time_zone.as_deref(),
            Some("America/Los_Angeles")
        );
        assert_eq!(lists.preamble(), AccountPreamble::default());
        assert_eq!(
            script.urls.borrow()[..2],
            [
                "http://dex.test/v1/contacts/count",
                "http://dex.test/v1/users/me"
            ]
        );
    }

    #[test]
    fn links_are_filled_per_contact() {
        let script = script(&[
            (
                200,
                r#"{"error":false,"data":{"id":"c1","contact_emails":[{"email":"ada@x.org"}]}}"#,
            ),
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"n1"},{"id":"n2"}],"nextCursor":null}}"#,
            ),
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"n3"}],"nextCursor":"more"}}"#,
            ),
        ]);
        let lists = lists(&script);
        let contact = lists.contacts_by_id(&["c1"]).remove(0).unwrap();
        assert_eq!(contact.emails[0].email, "ada@x.org");
        let linked = lists.linked_to(ListKind::Notes, &["c1", "c2"]);
        assert_eq!(
            linked[0].as_ref().unwrap(),
            &LinkedRecords::Ids(vec!["n1".into(), "n2".into()])
        );
        assert_eq!(linked[1].as_ref().unwrap(), &LinkedRecords::TooMany);
        let urls = script.urls.borrow();
        assert_eq!(
            urls[0],
            format!("http://dex.test/v1/contacts/c1?{}", &WITH_EMAILS[1..])
        );
        assert_eq!(
            urls[1],
            "http://dex.test/v1/timeline/?contactId=c1&take=1000"
        );
    }

    fn contacts_from(script: &Scripted, at: PageAt) -> Result<ListPage, ToolError> {
        lists(script)
            .fetch_pages(&[PageRequest {
                list: ListKind::Contacts,
                at,
            }])
            .remove(0)
    }

    #[test]
    fn a_page_smaller_than_asked_is_followed_while_a_cursor_comes_back() {
        // Asked for 1,000, answered 2: not the end, since the cursor is set.
        let script = script(&[(
            200,
            r#"{"error":false,"data":{"items":[{"id":"a"},{"id":"b"}],"nextCursor":"4f0c8a3e-2b1d-4c6e-9a7f-1e2d3c4b5a69","count":1200}}"#,
        )]);
        let page = contacts_from(&script, PageAt::Start).unwrap();
        assert_eq!(page.items.len(), 2);
        assert_eq!(
            page.next,
            Some(PageAt::Cursor(
                "4f0c8a3e-2b1d-4c6e-9a7f-1e2d3c4b5a69".into()
            ))
        );
    }

    #[test]
    fn cursors_are_sent_back_as_given_and_numbers_kept_as_their_digits() {
        let script = script(&[
            (
                200,
                r#"{"error":false,"data":{"items":[{"id":"a"}],"nextCursor":500}}"#,
            ),
            (200, r#"{"error":false,"data":{"items":[]}}"#),
        ]);
        let page = contacts_from(&script, PageAt::Start).unwrap();
        assert_eq!(page.next, Some(PageAt::Cursor("500".into())));
        let last = contacts_from(&script, PageAt::Cursor("a/b+c==".into())).unwrap();
        assert_eq!(last.next, None, "a missing cursor ends the list");
        assert!(
            script.urls.borrow()[1].contains("&cursor=a%2Fb%2Bc%3D%3D"),
            "{:?}",
            script.urls.borrow()
        );
    }

    #[test]
    fn a_list_answered_whole_is_one_last_page() {
        let script = script(&[(200, r#"{"error":false,"data":[{"id":"a"},{"id":"b"}]}"#)]);
        let page = contacts_from(&script, PageAt::Start).unwrap();
        assert_eq!((page.items.len(), page.next, page.total), (2, None, None));
    }

    #[test]
    fn a_page_in_no_known_shape_is_an_error_naming_the_list_never_an_empty_page() {
        let cases = [
            (
                r#"{"error":false,"data":{"records":[{"id":"a"}],"nextCursor":null}}"#,
                "`items`",
            ),
            (r#"{"error":false,"data":{"items":null}}"#, "null"),
            (r#"{"error":false}"#, "`data`"),
            (r#"{"error":false,"data":"none"}"#, "a page"),
            (
                r#"{"error":false,"data":{"items":[{"id":"a"},{"first_name":"No id"}]}}"#,
                "item 2",
            ),
            (
                r#"{"error":false,"data":{"items":[{"id":"a"}],"nextCursor":{"after":1}}}"#,
                "not a string",
            ),
        ];
        for (body, expected) in cases {
            let script = script(&[(200, body)]);
            let err = contacts_from(&script, PageAt::Start).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Upstream, "{body}");
            assert!(
                err.message.contains("GET /v1/contacts"),
                "{body}: {}",
                err.message
            );
            assert!(err.message.contains(expected), "{body}: {}", err.message);
        }
    }
}
