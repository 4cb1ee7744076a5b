//! v1's bulk list endpoints, read page by page with retries.

use super::wire::{Envelope, Page, WireContact};
use super::wire_records::{WireNote, WireReminder};
use crate::dex::page_size::{PageSize, send_pages};
use crate::dex::retry::Retrier;
use crate::dex::{
    AccountLists, HttpRequest, HttpResponse, HttpTransport, ListKind, ListPage, Method, PageAt,
    PageItems, PageRequest, TransportError, check_status, decode_json,
};
use crate::model::{ErrorKind, ToolError};

/// Reads Dex v1's contact, timeline and reminder lists.
///
/// v1 pages by opaque cursor, so each list is read one page after another;
/// pages are as large as Dex accepts ([`crate::dex::page_size`]), which is
/// what keeps the number of round trips down.
pub struct V1Lists<T> {
    base_url: String,
    transport: T,
    retrier: Retrier,
    page_size: PageSize,
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
        }
    }

    /// The same, asking for `size` records a page at first.
    pub fn with_page_size(mut self, size: usize) -> Self {
        self.page_size = PageSize::starting_at(size);
        self
    }

    fn request(&self, page: &PageRequest, take: usize) -> HttpRequest {
        let path = match page.list {
            ListKind::Contacts => "/v1/contacts",
            // The trailing slash is how Dex's reference spells this path.
            ListKind::Notes => "/v1/timeline/",
            ListKind::Reminders => "/v1/reminders",
        };
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("take", &take.to_string());
        if let PageAt::Cursor(cursor) = &page.at {
            query.append_pair("cursor", cursor);
        }
        HttpRequest {
            method: Method::Get,
            url: format!("{}{path}?{}", self.base_url, query.finish()),
            headers: vec![("accept", "application/json".into())],
            body: None,
        }
    }
}

impl<T: HttpTransport> AccountLists for V1Lists<T> {
    fn fetch_pages(&self, requests: &[PageRequest]) -> Vec<Result<ListPage, ToolError>> {
        let replies = send_pages(
            &self.page_size,
            requests.len(),
            |i, take| self.request(&requests[i], take),
            |http| self.retrier.send_all(&self.transport, http),
        );
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
                _ => decode_page(page.list, sized.reply),
            })
            .collect()
    }
}

fn decode_page(
    list: ListKind,
    reply: Result<HttpResponse, TransportError>,
) -> Result<ListPage, ToolError> {
    let what = format!("the {} list", list.noun());
    let response = check_status(reply?, &what).map_err(|e| list.read_error(e))?;
    fn page<W: serde::de::DeserializeOwned>(
        response: &HttpResponse,
        what: &str,
    ) -> Result<Page<W>, ToolError> {
        decode_json::<Envelope<Page<W>>>(response, what).map(|e| e.data)
    }
    let (items, next_cursor, total) = match list {
        ListKind::Contacts => {
            let p = page::<WireContact>(&response, &what)?;
            let items = p.items.into_iter().map(Into::into).collect();
            (PageItems::Contacts(items), p.next_cursor, p.count)
        }
        ListKind::Notes => {
            let p = page::<WireNote>(&response, &what)?;
            let items = p.items.into_iter().map(Into::into).collect();
            (PageItems::Notes(items), p.next_cursor, p.count)
        }
        ListKind::Reminders => {
            let p = page::<WireReminder>(&response, &what)?;
            let items = p.items.into_iter().map(Into::into).collect();
            (PageItems::Reminders(items), p.next_cursor, p.count)
        }
    };
    Ok(ListPage {
        items,
        next: next_cursor.filter(|c| !c.is_empty()).map(PageAt::Cursor),
        total,
    })
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::time::Duration;

    use super::*;
    use crate::dex::retry::{Clock, RetryPolicy};
    use crate::model::ErrorKind;

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
                "http://dex.test/v1/contacts?take=1000",
                "http://dex.test/v1/timeline/?take=1000&cursor=n+2",
                "http://dex.test/v1/reminders?take=1000",
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
                "http://dex.test/v1/timeline/?take=1000",
                "http://dex.test/v1/timeline/?take=500",
                "http://dex.test/v1/contacts?take=500",
            ]
        );
    }

    #[test]
    fn a_refusal_of_a_small_page_is_reported_as_it_is() {
        let script = script(&[(400, r#"{"error":true,"message":"bad cursor"}"#)]);
        let lists = lists(&script).with_page_size(40);
        let pages = lists.fetch_pages(&[PageRequest {
            list: ListKind::Notes,
            at: PageAt::Cursor("x".into()),
        }]);
        let err = pages.into_iter().next().unwrap().unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation);
        assert!(err.message.contains("bad cursor"), "{}", err.message);
        assert_eq!(script.urls.borrow().len(), 1);
    }
}
