//! How many records to ask for per list page.
//!
//! Few large pages read an account in fewer round trips than many small
//! ones (at 30 ms a request, 50,000 notes are 15 s at 100 a page and 1.5 s
//! at 1,000), but Dex documents no largest page. So a reader asks for
//! [`PREFERRED`], and when Dex refuses a list page as invalid (400 or 422:
//! the page size is the only value a first page sends), halves the size and
//! asks again, keeping the size that worked for the pages after. A server
//! that gives fewer records than asked needs nothing of this: a reader goes
//! on from where the page ended.

use std::cell::Cell;

use super::{HttpRequest, HttpResponse, TransportError};

/// The page size asked for first: the simulator's largest `take`.
pub const PREFERRED: usize = 1000;

/// Halving stops below this: a refusal of a page this small is about
/// something else, and is reported as it is.
pub const SMALLEST: usize = 25;

/// The page size a reader uses, shrunk when Dex refuses it.
#[derive(Debug)]
pub struct PageSize {
    start: usize,
    current: Cell<usize>,
}

impl Default for PageSize {
    fn default() -> Self {
        Self::starting_at(PREFERRED)
    }
}

impl PageSize {
    /// A size that starts at `size`.
    pub fn starting_at(size: usize) -> Self {
        Self {
            start: size.max(1),
            current: Cell::new(size.max(1)),
        }
    }

    /// Back to the size it started at, for requests that changed in a way
    /// that may make it acceptable again.
    pub fn reset(&self) {
        self.current.set(self.start);
    }

    /// The size to ask for now.
    pub fn get(&self) -> usize {
        self.current.get()
    }

    /// Whether a page asked for with `asked` records should be asked for
    /// again, smaller, because of `reply`; shrinks the size when so. Several
    /// pages of one batch refused together halve it once.
    pub fn retry_smaller(
        &self,
        asked: usize,
        reply: &Result<HttpResponse, TransportError>,
    ) -> bool {
        let refused = matches!(reply, Ok(response) if matches!(response.status, 400 | 422));
        if !refused {
            return false;
        }
        if self.current.get() < asked {
            return true;
        }
        let half = asked / 2;
        if half < SMALLEST {
            return false;
        }
        self.current.set(half);
        true
    }
}

/// A reply to a page request, with the page size it asked for.
pub struct SizedReply {
    /// Records asked for.
    pub asked: usize,
    /// What came back.
    pub reply: Result<HttpResponse, TransportError>,
}

/// Sends `count` page requests, built by `build(index, page_size)`, through
/// `send` (one batch), and asks again, smaller, for the pages refused for
/// their size. Answers in request order.
pub fn send_pages(
    size: &PageSize,
    count: usize,
    build: impl Fn(usize, usize) -> HttpRequest,
    send: impl Fn(&[HttpRequest]) -> Vec<Result<HttpResponse, TransportError>>,
) -> Vec<SizedReply> {
    let mut answers: Vec<Option<SizedReply>> = (0..count).map(|_| None).collect();
    let mut pending: Vec<usize> = (0..count).collect();
    while !pending.is_empty() {
        let asked = size.get();
        let requests: Vec<HttpRequest> = pending.iter().map(|&i| build(i, asked)).collect();
        let mut replies = send(&requests).into_iter();
        let mut again = Vec::new();
        for (&i, request) in pending.iter().zip(&requests) {
            let reply = replies.next().unwrap_or_else(|| {
                Err(TransportError::Failed {
                    url: request.url.clone(),
                    reason: "the transport gave no answer for this page".into(),
                })
            });
            if size.retry_smaller(asked, &reply) {
                again.push(i);
            } else {
                answers[i] = Some(SizedReply { asked, reply });
            }
        }
        pending = again;
    }
    answers
        .into_iter()
        .map(|a| a.expect("every page answered"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16) -> Result<HttpResponse, TransportError> {
        Ok(HttpResponse {
            status,
            headers: vec![],
            body: vec![],
        })
    }

    #[test]
    fn a_refused_size_is_halved_once_per_batch_down_to_the_smallest() {
        let size = PageSize::default();
        assert!(size.retry_smaller(1000, &status(400)));
        assert_eq!(size.get(), 500);
        assert!(size.retry_smaller(1000, &status(422)), "same batch");
        assert_eq!(size.get(), 500, "halved once for the batch");
        let sizes: Vec<usize> = std::iter::from_fn(|| {
            let asked = size.get();
            size.retry_smaller(asked, &status(400)).then(|| size.get())
        })
        .collect();
        assert_eq!(sizes, [250, 125, 62, 31]);
        assert!(!size.retry_smaller(31, &status(400)));
    }

    #[test]
    fn other_answers_keep_the_size() {
        let size = PageSize::default();
        for reply in [
            status(200),
            status(404),
            status(503),
            Err(TransportError::Failed {
                url: "u".into(),
                reason: "r".into(),
            }),
        ] {
            assert!(!size.retry_smaller(1000, &reply));
        }
        assert_eq!(size.get(), PREFERRED);
    }
}
