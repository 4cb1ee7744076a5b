//! A scripted transport for unit tests of code that talks to Dex: the
//! clients of both generations and the tools that call them.

use std::cell::RefCell;
use std::time::Duration;

use crate::dex::retry::{Clock, Retrier, RetryPolicy};
use crate::dex::{HttpRequest, HttpResponse, HttpTransport, Method, TransportError};

/// Answers from a script, in order, and records every request.
pub struct Scripted {
    answers: RefCell<Vec<(u16, String)>>,
    seen: RefCell<Vec<HttpRequest>>,
}

impl Scripted {
    /// A transport answering `(status, body)` pairs in order; status 0
    /// stands for no answer at all (the connection reset).
    pub fn new(answers: &[(u16, &str)]) -> Self {
        Self {
            answers: RefCell::new(answers.iter().map(|(s, b)| (*s, b.to_string())).collect()),
            seen: RefCell::new(vec![]),
        }
    }

    /// The requests sent so far.
    pub fn seen(&self) -> Vec<HttpRequest> {
        self.seen.borrow().clone()
    }

    /// The requests sent so far as `METHOD path`, with the v1 base URL the
    /// tool tests use (`http://dex.test`) cut off.
    pub fn asked(&self) -> Vec<String> {
        self.seen
            .borrow()
            .iter()
            .map(|r| {
                format!(
                    "{} {}",
                    r.method,
                    r.url.trim_start_matches("http://dex.test")
                )
            })
            .collect()
    }

    /// How many requests with `method` were sent so far: a write that must
    /// go out once is checked by its count.
    pub fn sent(&self, method: Method) -> usize {
        self.seen
            .borrow()
            .iter()
            .filter(|r| r.method == method)
            .count()
    }

    /// The URLs asked so far, with the legacy base URL the tests use
    /// (`http://dex.test/api/rest`) cut off.
    pub fn paths(&self) -> Vec<String> {
        self.seen
            .borrow()
            .iter()
            .map(|r| {
                r.url
                    .trim_start_matches("http://dex.test/api/rest")
                    .to_owned()
            })
            .collect()
    }

    /// The JSON body of the `index`th request.
    pub fn body(&self, index: usize) -> serde_json::Value {
        let body = self.seen.borrow()[index]
            .body
            .clone()
            .expect("the request had a body");
        serde_json::from_slice(&body).expect("the body is JSON")
    }
}

impl HttpTransport for &Scripted {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.seen.borrow_mut().push(request);
        let mut answers = self.answers.borrow_mut();
        assert!(!answers.is_empty(), "more requests than scripted answers");
        let (status, body) = answers.remove(0);
        if status == 0 {
            return Err(TransportError::Failed {
                url: self
                    .seen
                    .borrow()
                    .last()
                    .map(|r| r.url.clone())
                    .unwrap_or_default(),
                reason: "connection reset".into(),
            });
        }
        Ok(HttpResponse {
            status,
            headers: vec![],
            body: body.into_bytes(),
        })
    }
}

/// A clock that never waits, so retries in tests are instant.
struct NoWait;

impl Clock for NoWait {
    fn now(&self) -> Duration {
        Duration::ZERO
    }
    fn sleep(&self, _: Duration) {}
}

/// The default retry policy on a clock that never waits.
pub fn no_wait() -> Retrier {
    Retrier::new(RetryPolicy::default(), Box::new(NoWait))
}
