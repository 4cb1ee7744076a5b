//! A generated account read into a snapshot the way the component reads
//! it: through the v1 list reader over an in-memory transport serving the
//! simulator's dataset as JSON pages, so the records are exactly what the
//! wire decoding makes of them. Shared by the benchmarks that start from
//! a whole account (search, the stored snapshot).

use std::collections::HashMap;

use dex_guest::dex::v1::V1Lists;
use dex_guest::dex::{HttpRequest, HttpResponse, HttpTransport, TransportError};
use dex_guest::snapshot::Snapshot;
use dex_sim::Dataset;

const SEED: u64 = 7;
const PAGE: usize = 100;

/// Serves pre-rendered v1 list pages by URL.
struct Pages(HashMap<String, Vec<u8>>);

impl HttpTransport for Pages {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let body = self
            .0
            .get(&page_key(&request.url))
            .cloned()
            .ok_or(TransportError::Failed {
                url: request.url,
                reason: "no such page".into(),
            })?;
        Ok(HttpResponse {
            status: 200,
            headers: vec![],
            body,
        })
    }
}

fn render<T: serde::Serialize>(pages: &mut HashMap<String, Vec<u8>>, path: &str, items: &[T]) {
    let chunks: Vec<&[T]> = items.chunks(PAGE).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        let url = if i == 0 {
            format!("http://sim{path}?take={PAGE}")
        } else {
            format!("http://sim{path}?take={PAGE}&cursor={i}")
        };
        let next = (i + 1 < chunks.len()).then(|| (i + 1).to_string());
        let body = serde_json::json!({
            "error": false,
            "data": {"items": chunk, "nextCursor": next, "count": items.len()},
        });
        pages.insert(url, serde_json::to_vec(&body).unwrap());
    }
}

/// `url` without its `include[...]` parameters: the pages are rendered
/// with every link already in them, whatever the reader asks to include.
fn page_key(url: &str) -> String {
    let Some((path, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.starts_with("include"))
        .collect();
    format!("{path}?{}", kept.join("&"))
}

/// A generated account of `contacts` people (about five notes and two
/// reminders each), read into a snapshot.
pub fn snapshot(contacts: usize) -> Snapshot {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let data = Dataset::generate(SEED, contacts, today);
    let mut pages = HashMap::new();
    render(&mut pages, "/v1/contacts", &data.contacts);
    render(&mut pages, "/v1/timeline/", &data.notes);
    render(&mut pages, "/v1/reminders", &data.reminders);
    let snapshot = Snapshot::fetch(&V1Lists::new("http://sim", Pages(pages)).with_page_size(PAGE));
    assert!(!snapshot.is_partial(), "{:?}", snapshot.failures);
    snapshot
}
