//! The legacy bulk lists (`/contacts`, `/timeline_items`, `/reminders`),
//! read page by page with `limit`/`offset`.
//!
//! The snapshot pages with opaque cursors; here a cursor is the offset of
//! the next page, as a decimal string. A list ends at a short page, or, for
//! notes and reminders, once the total Dex reports has been read.

use serde::Deserialize;

use super::api::{Answer, LegacyApi};
use super::wire::{LegacyContact, LegacyNote, LegacyReminder};
use crate::dex::retry::Retrier;
use crate::dex::{
    AccountLists, HttpRequest, HttpResponse, HttpTransport, ListKind, ListPage, Method, PageItems,
    PageRequest, TransportError,
};
use crate::model::{ErrorKind, ToolError};

/// Records per page. Legacy's default of 10 would take 1,000 requests per
/// 10,000 records; 100 matches the v1 reader.
const LIST_PAGE_SIZE: usize = 100;

/// Reads the legacy contact, timeline and reminder lists.
pub struct LegacyLists<T> {
    api: LegacyApi<T>,
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
        }
    }

    fn request(&self, list: ListKind, offset: usize) -> HttpRequest {
        let path = match list {
            ListKind::Contacts => "/contacts",
            ListKind::Notes => "/timeline_items",
            ListKind::Reminders => "/reminders",
        };
        self.api.request(
            Method::Get,
            path,
            &[
                ("limit", &LIST_PAGE_SIZE.to_string()),
                ("offset", &offset.to_string()),
            ],
            None,
        )
    }
}

impl<T: HttpTransport> AccountLists for LegacyLists<T> {
    fn fetch_pages(&self, requests: &[PageRequest]) -> Vec<Result<ListPage, ToolError>> {
        let offsets: Vec<Result<usize, ToolError>> = requests.iter().map(offset).collect();
        let sendable: Vec<HttpRequest> = requests
            .iter()
            .zip(&offsets)
            .filter_map(|(page, offset)| Some(self.request(page.list, *offset.as_ref().ok()?)))
            .collect();
        let mut replies = self.api.send_all(&sendable).into_iter();
        requests
            .iter()
            .zip(offsets)
            .map(|(page, offset)| {
                let offset = offset?;
                let reply = replies.next().unwrap_or_else(|| {
                    Err(TransportError::Failed {
                        url: String::new(),
                        reason: "the transport gave no answer for this page".into(),
                    })
                });
                decode_page(page.list, offset, reply)
            })
            .collect()
    }
}

/// Where a page starts: its cursor read as an offset.
fn offset(page: &PageRequest) -> Result<usize, ToolError> {
    match page.cursor.as_deref() {
        None => Ok(0),
        Some(cursor) => cursor.parse().map_err(|_| {
            ToolError::new(
                ErrorKind::Upstream,
                format!(
                    "`{cursor}` is not an offset into the legacy {} list",
                    page.list.noun()
                ),
            )
        }),
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
    offset: usize,
    reply: Result<HttpResponse, TransportError>,
) -> Result<ListPage, ToolError> {
    let what = format!("the {} list", list.noun());
    let mut answer = Answer::read(reply, &what)?;
    let (items, read, total) = match list {
        ListKind::Contacts => {
            let items: Vec<LegacyContact> = answer.take("contacts")?;
            let read = items.len();
            let items = items.into_iter().map(Into::into).collect();
            (PageItems::Contacts(items), read, None)
        }
        ListKind::Notes => {
            let items: Vec<LegacyNote> = answer.take("timeline_items")?;
            let total = answer
                .take_optional::<NotesPagination>("pagination")?
                .map(|p| p.total.count);
            let read = items.len();
            let items = items.into_iter().map(Into::into).collect();
            (PageItems::Notes(items), read, total)
        }
        ListKind::Reminders => {
            let items: Vec<LegacyReminder> = answer.take("reminders")?;
            let total = answer
                .take_optional::<Aggregate>("total")?
                .map(|t| t.aggregate.count);
            let read = items.len();
            let items = items.into_iter().map(Into::into).collect();
            (PageItems::Reminders(items), read, total)
        }
    };
    let next = offset + read;
    let more = read >= LIST_PAGE_SIZE && total.is_none_or(|total| next < total);
    Ok(ListPage {
        items,
        next_cursor: more.then(|| next.to_string()),
        total: total.map(|t| t as u64),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{Scripted, no_wait};
    use super::*;
    use crate::snapshot::Snapshot;

    fn lists(script: &Scripted) -> LegacyLists<&Scripted> {
        LegacyLists::with_retrier("http://dex.test/api/rest", script, no_wait())
    }

    fn page(list: ListKind, cursor: Option<&str>) -> PageRequest {
        PageRequest {
            list,
            cursor: cursor.map(str::to_owned),
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
            page(ListKind::Notes, Some("200")),
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
            PageItems::Reminders(r) => assert_eq!(r[0].text, "call"),
            other => panic!("expected reminders, got {other:?}"),
        }
        assert!(
            pages.iter().all(|p| p.next_cursor.is_none()),
            "short pages end their lists"
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
            page(ListKind::Notes, Some("100")),
            page(ListKind::Notes, Some("100")),
        ]);
        assert_eq!(
            pages[0].as_ref().unwrap().next_cursor.as_deref(),
            Some("200")
        );
        assert_eq!(
            pages[1].as_ref().unwrap().next_cursor,
            None,
            "the total is read, though the page was full"
        );
    }

    #[test]
    fn a_snapshot_pages_contacts_until_a_short_page() {
        let (first, second) = (contacts(0, 100), contacts(100, 3));
        let script = Scripted::new(&[
            (200, &first),
            (
                200,
                r#"{"timeline_items": [], "pagination": {"total": {"count": 0}}}"#,
            ),
            (
                200,
                r#"{"reminders": [], "total": {"aggregate": {"count": 0}}}"#,
            ),
            (200, &second),
        ]);
        let snapshot = Snapshot::fetch(&lists(&script));
        assert!(!snapshot.is_partial(), "{:?}", snapshot.failures);
        assert_eq!(snapshot.contacts.len(), 103);
        assert_eq!(snapshot.contacts[102].id, "c102");
        assert_eq!(
            script.paths()[3],
            "/contacts?limit=100&offset=100",
            "the second page starts where the first ended"
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
    fn a_cursor_that_is_not_an_offset_fails_without_a_request() {
        let script = Scripted::new(&[(200, r#"{"contacts": []}"#)]);
        let pages = lists(&script).fetch_pages(&[
            page(ListKind::Notes, Some("abc")),
            page(ListKind::Contacts, Some("5")),
        ]);
        assert_eq!(pages[0].as_ref().unwrap_err().kind, ErrorKind::Upstream);
        assert!(pages[1].is_ok());
        assert_eq!(script.paths(), ["/contacts?limit=100&offset=5"]);
    }
}
