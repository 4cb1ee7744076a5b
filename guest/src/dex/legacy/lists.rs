//! The legacy bulk lists (`/contacts`, `/timeline_items`, `/reminders`),
//! read page by page with `limit`/`offset`.
//!
//! Pages are addressed by offset ([`PageAt::Offset`]), so the snapshot can
//! ask for many pages of a list at once. Notes and reminders end once the
//! total Dex reports has been read (a page shorter than asked, with more
//! to come, is followed from where it ended); contacts come without a
//! total and end at a short page.

use serde::Deserialize;

use super::api::{Answer, LegacyApi};
use super::wire::{LegacyContact, LegacyNote, LegacyReminder};
use crate::dex::page_size::{PageSize, send_pages};
use crate::dex::retry::Retrier;
use crate::dex::wire_text::require_ids;
use crate::dex::{
    AccountLists, HttpRequest, HttpResponse, HttpTransport, ListKind, ListPage, Method, PageAt,
    PageItems, PageRequest, TransportError,
};
use crate::model::{Contact, ErrorKind, Note, Reminder, ToolError};

/// Reads the legacy contact, timeline and reminder lists.
///
/// Legacy's default page of 10 would take 1,000 requests per 10,000
/// records; pages are as large as Dex accepts ([`crate::dex::page_size`]).
pub struct LegacyLists<T> {
    api: LegacyApi<T>,
    page_size: PageSize,
}

impl<T: HttpTransport> LegacyLists<T> {
    /// Lists from the API at `base_url`, retrying with the default policy.
    pub fn new(base_url: &str, transport: T) -> Self {
        Self::with_retrier(base_url, transport, Retrier::default())
    }

    /// Lists from the API at `base_url`, retrying as `retrier` does.
    pub fn with_retrier(base_url: &str, transport: T, retrier: Retrier) -> Self {
        Self {
            api: LegacyApi::new(base_url, transport, retrier),
            page_size: PageSize::default(),
        }
    }

    /// The same, asking for `size` records a page at first.
    pub fn with_page_size(mut self, size: usize) -> Self {
        self.page_size = PageSize::starting_at(size);
        self
    }

    fn request(&self, list: ListKind, offset: u64, limit: usize) -> HttpRequest {
        let path = match list {
            ListKind::Contacts => "/contacts",
            ListKind::Notes => "/timeline_items",
            ListKind::Reminders => "/reminders",
        };
        self.api.request(
            Method::Get,
            path,
            &[
                ("limit", &limit.to_string()),
                ("offset", &offset.to_string()),
            ],
            None,
        )
    }
}

impl<T: HttpTransport> AccountLists for LegacyLists<T> {
    fn fetch_pages(&self, requests: &[PageRequest]) -> Vec<Result<ListPage, ToolError>> {
        let offsets: Vec<Result<u64, ToolError>> = requests.iter().map(offset).collect();
        let sendable: Vec<(ListKind, u64)> = requests
            .iter()
            .zip(&offsets)
            .filter_map(|(page, offset)| Some((page.list, *offset.as_ref().ok()?)))
            .collect();
        let mut replies = send_pages(
            &self.page_size,
            sendable.len(),
            |i, limit| self.request(sendable[i].0, sendable[i].1, limit),
            |http| self.api.send_all(http),
        )
        .into_iter();
        requests
            .iter()
            .zip(offsets)
            .map(|(page, offset)| {
                let offset = offset?;
                let sized = replies.next().ok_or_else(|| {
                    ToolError::new(
                        ErrorKind::Upstream,
                        "the transport gave no answer for this page",
                    )
                })?;
                decode_page(page.list, offset, sized.asked, sized.reply)
            })
            .collect()
    }
}

/// Where a page starts, as an offset.
fn offset(page: &PageRequest) -> Result<u64, ToolError> {
    match &page.at {
        PageAt::Start => Ok(0),
        PageAt::Offset(offset) => Ok(*offset),
        PageAt::Cursor(cursor) => Err(ToolError::new(
            ErrorKind::Upstream,
            format!(
                "the legacy {} list pages by offset, not by cursor (`{cursor}`)",
                page.list.noun()
            ),
        )),
    }
}

/// `pagination: {total: {count}}` on notes.
#[derive(Debug, Deserialize)]
struct NotesPagination {
    total: Count,
}

/// `total: {aggregate: {count}}` on reminders.
#[derive(Debug, Deserialize)]
struct Aggregate {
    aggregate: Count,
}

/// `{count}`.
#[derive(Debug, Deserialize)]
struct Count {
    count: usize,
}

fn decode_page(
    list: ListKind,
    offset: u64,
    asked: usize,
    reply: Result<HttpResponse, TransportError>,
) -> Result<ListPage, ToolError> {
    let what = format!("the {} list", list.noun());
    let mut answer = Answer::read(reply, &what).map_err(|e| list.read_error(e))?;
    let (items, read, total) = match list {
        ListKind::Contacts => {
            let items: Vec<LegacyContact> = answer.take("contacts")?;
            let read = items.len();
            let items: Vec<Contact> = items.into_iter().map(Into::into).collect();
            require_ids(
                items.iter().map(|c| c.id.as_str()),
                "contact",
                "GET /contacts",
            )?;
            (PageItems::Contacts(items), read, None)
        }
        ListKind::Notes => {
            let items: Vec<LegacyNote> = answer.take("timeline_items")?;
            let total = answer
                .take_optional::<NotesPagination>("pagination")?
                .map(|p| p.total.count);
            let read = items.len();
            let items: Vec<Note> = items.into_iter().map(Into::into).collect();
            require_ids(
                items.iter().map(|n| n.id.as_text()),
                "note",
                "GET /timeline_items",
            )?;
            (PageItems::Notes(items), read, total)
        }
        ListKind::Reminders => {
            let items: Vec<LegacyReminder> = answer.take("reminders")?;
            let total = answer
                .take_optional::<Aggregate>("total")?
                .map(|t| t.aggregate.count);
            let read = items.len();
            let items: Vec<Reminder> = items.into_iter().map(Into::into).collect();
            require_ids(
                items.iter().map(|r| r.id.as_text()),
                "reminder",
                "GET /reminders",
            )?;
            (PageItems::Reminders(items), read, total)
        }
    };
    let total = total.map(|t| t as u64);
    let next = offset + read as u64;
    let more = match total {
        Some(total) => read > 0 && next < total,
        None => read >= asked,
    };
    Ok(ListPage {
        items,
        next: more.then_some(PageAt::Offset(next)),
        total,
        // Legacy lists carry emails, phones and contact ids inline.
        links_missing: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dex::testing::{Scripted, no_wait};
    use crate::snapshot::Snapshot;

    /// Lists asking for pages of 100, which the scripts below answer.
    fn lists(script: &Scripted) -> LegacyLists<&Scripted> {
        LegacyLists::with_retrier("http://dex.test/api/rest", script, no_wait()).with_page_size(100)
    }

    fn page(list: ListKind, offset: Option<u64>) -> PageRequest {
        PageRequest {
            list,
            at: offset.map_or(PageAt::Start, PageAt::Offset),
        }
    }

    /// `count` legacy contacts with ids `c{from}`.. as a `contacts` answer.
    fn contacts(from: usize, count: usize) -> String {
        let items: Vec<_> = (from..from + count)
            .map(|i| serde_json::json!({"id": format!("c{i}"), "first_name": "N"}))
            .collect();
        serde_json::json!({ "contacts": items }).to_string()
    }

    #[test]
    fn one_batch_reads_each_list_from_its_path_with_string_offsets() {
        let script = Scripted::new(&[
            (200, r#"{"contacts": [{"id": "c1", "first_name": "Ada"}]}"#),
            (
                200,
                r#"{"timeline_items": [{"id": "n1", "note": "hi", "contacts": [{"contact_id": "c1"}]}],
                    "pagination": {"total": {"count": 201}}}"#,
            ),
            (
                200,
                r#"{"reminders": [{"id": "r1", "body": "call", "contact_ids": [{"contact_id": "c1"}]}],
                    "total": {"aggregate": {"count": 1}}}"#,
            ),
        ]);
        let pages = lists(&script).fetch_pages(&[
            page(ListKind::Contacts, None),
            page(ListKind::Notes, Some(200)),
            page(ListKind::Reminders, None),
        ]);
        assert_eq!(
            script.paths(),
            [
                "/contacts?limit=100&offset=0",
                "/timeline_items?limit=100&offset=200",
                "/reminders?limit=100&offset=0",
            ]
        );
        let pages: Vec<ListPage> = pages.into_iter().map(Result::unwrap).collect();
        match &pages[0].items {
            PageItems::Contacts(c) => assert_eq!(c[0].full_name, "Ada"),
            other => panic!("expected contacts, got {other:?}"),
        }
        match &pages[1].items {
            PageItems::Notes(n) => assert_eq!(n[0].contact_ids, ["c1"]),
            other => panic!("expected notes, got {other:?}"),
        }
        match &pages[2].items {
            PageItems::Reminders(r) => assert_eq!(&*r[0].text, "call"),
            other => panic!("expected reminders, got {other:?}"),
        }
        assert!(
            pages.iter().all(|p| p.next.is_none()),
            "short pages end their lists"
        );
    }

    #[test]
    fn a_record_without_an_id_fails_the_page_by_name() {
        let script =
            Scripted::new(&[(200, r#"{"timeline_items": [{"id": "n1"}, {"note": "x"}]}"#)]);
        let err = lists(&script)
            .fetch_pages(&[page(ListKind::Notes, None)])
            .remove(0)
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Upstream);
        assert!(
            err.message.contains("a note without an id (item 2"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_full_page_continues_at_the_next_offset_until_the_total() {
        let notes: Vec<_> = (0..100)
            .map(|i| serde_json::json!({"id": format!("n{i}")}))
            .collect();
        let answer = |total: usize| {
            serde_json::json!({"timeline_items": notes, "pagination": {"total": {"count": total}}})
                .to_string()
        };
        let (more, exact) = (answer(250), answer(200));
        let script = Scripted::new(&[(200, &more), (200, &exact)]);
        let pages = lists(&script).fetch_pages(&[
            page(ListKind::Notes, Some(100)),
            page(ListKind::Notes, Some(100)),
        ]);
        assert_eq!(pages[0].as_ref().unwrap().next, Some(PageAt::Offset(200)));
        assert_eq!(
            pages[1].as_ref().unwrap().next,
            None,
            "the total is read, though the page was full"
        );
    }

    #[test]
    fn a_snapshot_asks_for_a_window_of_contact_pages_and_stops_at_a_short_one() {
        let (first, second, third) = (contacts(0, 100), contacts(100, 100), contacts(200, 3));
        let empty = contacts(0, 0);
        let mut answers = vec![
            (200, first.as_str()),
            (
                200,
                r#"{"timeline_items": [], "pagination": {"total": {"count": 0}}}"#,
            ),
            (
                200,
                r#"{"reminders": [], "total": {"aggregate": {"count": 0}}}"#,
            ),
            (200, &second),
            (200, &third),
        ];
        answers.extend([(200, empty.as_str()); 6]);
        let script = Scripted::new(&answers);
        let snapshot = Snapshot::fetch(&lists(&script));
        assert!(!snapshot.is_partial(), "{:?}", snapshot.failures);
        assert_eq!(snapshot.contacts.len(), 203);
        assert_eq!(snapshot.contacts[202].id, "c202");
        let window: Vec<String> = (1..=8)
            .map(|k| format!("/contacts?limit=100&offset={}", k * 100))
            .collect();
        assert_eq!(
            script.paths()[3..],
            window,
            "the pages after the first are asked for together"
        );
    }

    #[test]
    fn a_page_shorter_than_asked_goes_on_while_the_total_says_more() {
        let notes: Vec<_> = (0..60)
            .map(|i| serde_json::json!({"id": format!("n{i}")}))
            .collect();
        let answer =
            serde_json::json!({"timeline_items": notes, "pagination": {"total": {"count": 250}}})
                .to_string();
        let script = Scripted::new(&[(200, &answer)]);
        let pages = lists(&script).fetch_pages(&[page(ListKind::Notes, None)]);
        let page = pages[0].as_ref().unwrap();
        assert_eq!(page.next, Some(PageAt::Offset(60)));
        assert_eq!(page.total, Some(250));
    }

    #[test]
    fn pages_start_large_and_halve_when_dex_refuses_the_size() {
        let script = Scripted::new(&[
            (400, r#"{"error": "limit too large"}"#),
            (200, r#"{"contacts": []}"#),
        ]);
        let lists = LegacyLists::with_retrier("http://dex.test/api/rest", &script, no_wait());
        let pages = lists.fetch_pages(&[page(ListKind::Contacts, None)]);
        assert!(pages[0].is_ok(), "{:?}", pages[0]);
        assert_eq!(
            script.paths(),
            [
                "/contacts?limit=1000&offset=0",
                "/contacts?limit=500&offset=0"
            ]
        );
    }

    #[test]
    fn a_failed_list_reports_its_name_after_retries() {
        let script = Scripted::new(&[(503, "busy"), (500, "oops"), (502, "bad gateway")]);
        let pages = lists(&script).fetch_pages(&[page(ListKind::Reminders, None)]);
        let err = pages.into_iter().next().unwrap().unwrap_err();
        assert_eq!(err.kind, ErrorKind::Upstream);
        assert!(err.message.contains("reminders"), "{}", err.message);
        assert_eq!(script.seen().len(), 3);
    }

    #[test]
    fn a_cursor_fails_without_a_request() {
        let script = Scripted::new(&[(200, r#"{"contacts": []}"#)]);
        let pages = lists(&script).fetch_pages(&[
            PageRequest {
                list: ListKind::Notes,
                at: PageAt::Cursor("abc".into()),
            },
            page(ListKind::Contacts, Some(5)),
        ]);
        assert_eq!(pages[0].as_ref().unwrap_err().kind, ErrorKind::Upstream);
        assert!(pages[1].is_ok());
        assert_eq!(script.paths(), ["/contacts?limit=100&offset=5"]);
    }
}
