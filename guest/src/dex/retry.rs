//! Trying a request again when Dex or the network failed for a moment.
//!
//! Rate limits (429) and server errors (5xx) are usually gone a second
//! later, and one lost page of a long listing would otherwise cost the whole
//! listing. Only requests that are safe to repeat are retried (never POST:
//! a lost answer may hide a created record), a bounded number of times,
//! and never past a total time budget, so that a tool call still answers
//! while the assistant waits.

use std::time::{Duration, Instant};

use super::{HttpRequest, HttpResponse, HttpTransport, Method, TransportError};

/// How many times, how long apart, and for how long in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first one included.
    pub max_attempts: u32,
    /// The pause after the first failure; it doubles after each further one.
    pub first_backoff: Duration,
    /// The longest pause chosen by backoff (a `Retry-After` from Dex is
    /// honoured even when longer, within `time_budget`).
    pub max_backoff: Duration,
    /// No retry starts once this much time has passed since the first
    /// attempt, nor when its pause would end past it.
    pub time_budget: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, 0.5 s then 1 s apart, within 20 s: long enough to
    /// ride out a short rate limit, short enough for an interactive call.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            first_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            time_budget: Duration::from_secs(20),
        }
    }
}

/// Time as retrying sees it, so that tests can check the pauses without
/// waiting through them.
pub trait Clock {
    /// Time elapsed since some fixed start.
    fn now(&self) -> Duration;
    /// Blocks for `pause`.
    fn sleep(&self, pause: Duration);
}

/// The real clock. `std::thread::sleep` works in a WASI component (it maps
/// to `wasi:clocks` polling), so the guest needs no host help to wait.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    start: Instant,
}

impl Default for SystemClock {
    fn default() -> Self {
        Self {
            start: Instant::now(),
        }
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.start.elapsed()
    }

    fn sleep(&self, pause: Duration) {
        std::thread::sleep(pause);
    }
}

/// Sends batches of requests, retrying the ones that failed transiently.
pub struct Retrier {
    policy: RetryPolicy,
    clock: Box<dyn Clock>,
}

impl Default for Retrier {
    fn default() -> Self {
        Self::new(RetryPolicy::default(), Box::new(SystemClock::default()))
    }
}

impl Retrier {
    /// A retrier following `policy`, waiting on `clock`.
    pub fn new(policy: RetryPolicy, clock: Box<dyn Clock>) -> Self {
        Self { policy, clock }
    }

    /// Sends `requests` as one batch through [`HttpTransport::send_all`],
    /// then re-sends the transient failures together, pausing in between for
    /// the longest `Retry-After` (or backoff) among them. Answers come back
    /// in request order; a request that never succeeded answers with its
    /// last failure, for the caller to report.
    pub fn send_all(
        &self,
        transport: &dyn HttpTransport,
        requests: &[HttpRequest],
    ) -> Vec<Result<HttpResponse, TransportError>> {
        self.send_batch(transport, requests, false)
    }

    /// Sends one request whose repetition changes nothing more than the
    /// request itself does (putting a tag on contacts that may already
    /// carry it), retrying it like a GET even when it is a POST.
    pub fn send_repeatable(
        &self,
        transport: &dyn HttpTransport,
        request: HttpRequest,
    ) -> Result<HttpResponse, TransportError> {
        self.send_read(transport, request)
    }

    /// Sends one request that only reads, retrying it like a GET even when
    /// its method is POST: Dex answers some lookups only to a POST with a
    /// body (`POST /v1/contacts/by-emails`), and repeating a read cannot
    /// create anything.
    pub fn send_read(
        &self,
        transport: &dyn HttpTransport,
        request: HttpRequest,
    ) -> Result<HttpResponse, TransportError> {
        let mut answers = self.send_batch(transport, std::slice::from_ref(&request), true);
        answers.pop().unwrap_or_else(|| {
            Err(TransportError::Failed {
                url: request.url.clone(),
                reason: "the request was never sent".into(),
            })
        })
    }

    fn send_batch(
        &self,
        transport: &dyn HttpTransport,
        requests: &[HttpRequest],
        reads_only: bool,
    ) -> Vec<Result<HttpResponse, TransportError>> {
        let start = self.clock.now();
        let mut answers: Vec<Option<Result<HttpResponse, TransportError>>> =
            vec![None; requests.len()];
        let mut pending: Vec<usize> = (0..requests.len()).collect();
        // Deletes sent again after an answer that may have been lost (a
        // dropped connection, a 5xx): their first attempt may have done
        // the work.
        let mut resent_delete = vec![false; requests.len()];
        let mut attempt = 1;
        while !pending.is_empty() {
            let batch = pending.iter().map(|&i| requests[i].clone()).collect();
            let mut replies = transport.send_all(batch).into_iter();
            let mut again = Vec::new();
            let mut pause = Duration::ZERO;
            for &i in &pending {
                let reply = replies.next().unwrap_or_else(|| {
                    Err(TransportError::Failed {
                        url: requests[i].url.clone(),
                        reason: "the transport gave no answer for this request".into(),
                    })
                });
                let repeatable = reads_only || requests[i].method != Method::Post;
                if attempt < self.policy.max_attempts && repeatable && is_transient(&reply) {
                    pause = pause.max(self.pause_after(attempt, &reply));
                    again.push(i);
                    resent_delete[i] |= requests[i].method == Method::Delete && lost(&reply);
                }
                answers[i] = Some(reply);
            }
            let elapsed = self.clock.now().saturating_sub(start);
            if again.is_empty() || elapsed + pause > self.policy.time_budget {
                break;
            }
            self.clock.sleep(pause);
            pending = again;
            attempt += 1;
        }
        answers
            .into_iter()
            .zip(requests)
            .zip(resent_delete)
            .map(|((answer, request), resent_delete)| {
                // A delete that finds nothing once sent again was done by
                // the attempt whose answer was lost: it happened, once.
                if resent_delete && matches!(&answer, Some(Ok(r)) if r.status == 404) {
                    return Ok(HttpResponse {
                        status: 204,
                        headers: Vec::new(),
                        body: Vec::new(),
                    });
                }
                answer.unwrap_or_else(|| {
                    Err(TransportError::Failed {
                        url: request.url.clone(),
                        reason: "the request was never sent".into(),
                    })
                })
            })
            .collect()
    }

    /// The pause before attempt `attempt + 1`: Dex's `Retry-After` when it
    /// sent one in seconds, else exponential backoff.
    fn pause_after(&self, attempt: u32, reply: &Result<HttpResponse, TransportError>) -> Duration {
        let asked = reply
            .as_ref()
            .ok()
            .and_then(|r| r.header("retry-after"))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        asked.unwrap_or_else(|| {
            let doubled = self
                .policy
                .first_backoff
                .saturating_mul(1 << (attempt - 1).min(16));
            doubled.min(self.policy.max_backoff)
        })
    }
}

/// A failure that may pass by itself (whether the request may be repeated
/// is the caller's question).
/// Whether the request may have reached Dex and been done although its
/// answer did not arrive: the connection failed, or Dex failed after
/// taking it (5xx). A 429 says it was not done.
fn lost(reply: &Result<HttpResponse, TransportError>) -> bool {
    match reply {
        Ok(response) => (500..600).contains(&response.status),
        Err(TransportError::Failed { .. }) => true,
        Err(TransportError::Denied { .. }) => false,
    }
}

fn is_transient(reply: &Result<HttpResponse, TransportError>) -> bool {
    match reply {
        Ok(response) => response.status == 429 || (500..600).contains(&response.status),
        Err(TransportError::Failed { .. }) => true,
        Err(TransportError::Denied { .. }) => false,
    }
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use super::*;

    /// A clock that moves only when slept on, and remembers the pauses;
    /// clones share one timeline.
    #[derive(Default, Clone)]
    pub(crate) struct FakeClock {
        pub(crate) pauses: Rc<RefCell<Vec<Duration>>>,
    }

    impl Clock for FakeClock {
        fn now(&self) -> Duration {
            self.pauses.borrow().iter().sum()
        }
        fn sleep(&self, pause: Duration) {
            self.pauses.borrow_mut().push(pause);
        }
    }

    /// A scripted answer: status (0 for a connection failure) and the
    /// `Retry-After` header, if any.
    type Answer = (u16, Option<&'static str>);

    /// Answers each URL from its own script, in order.
    struct PerUrl {
        scripts: RefCell<Vec<(String, Vec<Answer>)>>,
        sent: Cell<usize>,
    }

    impl PerUrl {
        fn new(scripts: &[(&str, &[Answer])]) -> Self {
            Self {
                scripts: RefCell::new(
                    scripts
                        .iter()
                        .map(|(url, answers)| (url.to_string(), answers.to_vec()))
                        .collect(),
                ),
                sent: Cell::new(0),
            }
        }
    }

    impl HttpTransport for PerUrl {
        fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.sent.set(self.sent.get() + 1);
            let mut scripts = self.scripts.borrow_mut();
            let (_, answers) = scripts
                .iter_mut()
                .find(|(url, _)| *url == request.url)
                .expect("unscripted url");
            let (status, retry_after) = answers.remove(0);
            if status == 0 {
                return Err(TransportError::Failed {
                    url: request.url,
                    reason: "connection reset".into(),
                });
            }
            Ok(HttpResponse {
                status,
                headers: retry_after
                    .map(|v| vec![("retry-after".to_owned(), v.to_owned())])
                    .unwrap_or_default(),
                body: vec![],
            })
        }
    }

    fn get(url: &str) -> HttpRequest {
        HttpRequest {
            method: Method::Get,
            url: url.into(),
            headers: vec![],
            body: None,
        }
    }

    fn statuses(answers: &[Result<HttpResponse, TransportError>]) -> Vec<u16> {
        answers
            .iter()
            .map(|a| a.as_ref().map(|r| r.status).unwrap_or(0))
            .collect()
    }

    #[test]
    fn rate_limit_is_retried_after_the_pause_dex_asked_for() {
        let transport = PerUrl::new(&[("a", &[(429, Some("2")), (200, None)])]);
        let clock = FakeClock::default();
        let retrier = Retrier::new(RetryPolicy::default(), Box::new(clock.clone()));
        let answers = retrier.send_all(&transport, &[get("a")]);
        assert_eq!(statuses(&answers), [200]);
        assert_eq!(*clock.pauses.borrow(), [Duration::from_secs(2)]);
    }

    #[test]
    fn server_errors_back_off_exponentially_and_stop_after_three_attempts() {
        let transport = PerUrl::new(&[("a", &[(503, None), (0, None), (502, None), (200, None)])]);
        let clock = FakeClock::default();
        let retrier = Retrier::new(RetryPolicy::default(), Box::new(clock.clone()));
        let answers = retrier.send_all(&transport, &[get("a")]);
        assert_eq!(statuses(&answers), [502], "the last failure is reported");
        assert_eq!(transport.sent.get(), 3);
        assert_eq!(
            *clock.pauses.borrow(),
            [Duration::from_millis(500), Duration::from_millis(1000)]
        );
    }

    #[test]
    fn a_delete_whose_answer_was_lost_and_that_then_finds_nothing_was_done() {
        let delete = |url: &str| HttpRequest {
            method: Method::Delete,
            ..get(url)
        };
        // The connection dropped after Dex deleted it: the second attempt
        // finds nothing, which is the first attempt's work.
        let transport = PerUrl::new(&[
            ("lost", &[(0, None), (404, None)]),
            ("never-there", &[(404, None)]),
            ("slowed", &[(429, None), (404, None)]),
        ]);
        let retrier = Retrier::new(RetryPolicy::default(), Box::new(FakeClock::default()));
        let answers = retrier.send_all(
            &transport,
            &[delete("lost"), delete("never-there"), delete("slowed")],
        );
        assert_eq!(
            statuses(&answers),
            [204, 404, 404],
            "only a delete whose answer may have been lost counts a later 404 as done"
        );
        let read = PerUrl::new(&[("gone", &[(0, None), (404, None)])]);
        assert_eq!(statuses(&retrier.send_all(&read, &[get("gone")])), [404]);
    }

    #[test]
    fn only_the_failed_requests_of_a_batch_are_sent_again() {
        let transport = PerUrl::new(&[
            ("a", &[(200, None)]),
            ("b", &[(500, None), (200, None)]),
            ("c", &[(429, Some("1")), (429, Some("3")), (200, None)]),
        ]);
        let clock = FakeClock::default();
        let retrier = Retrier::new(RetryPolicy::default(), Box::new(clock.clone()));
        let answers = retrier.send_all(&transport, &[get("a"), get("b"), get("c")]);
        assert_eq!(statuses(&answers), [200, 200, 200]);
        assert_eq!(transport.sent.get(), 6);
        assert_eq!(
            *clock.pauses.borrow(),
            [Duration::from_secs(1), Duration::from_secs(3)],
            "each round waits for the longest pause asked in it"
        );
    }

    #[test]
    fn client_errors_and_posts_are_not_retried() {
        let transport = PerUrl::new(&[("a", &[(404, None)]), ("b", &[(503, None)])]);
        let clock = FakeClock::default();
        let retrier = Retrier::new(RetryPolicy::default(), Box::new(clock.clone()));
        let post = HttpRequest {
            method: Method::Post,
            ..get("b")
        };
        let answers = retrier.send_all(&transport, &[get("a"), post]);
        assert_eq!(statuses(&answers), [404, 503]);
        assert_eq!(transport.sent.get(), 2);
        assert!(clock.pauses.borrow().is_empty());
    }

    #[test]
    fn a_pause_past_the_time_budget_gives_up_at_once() {
        let transport = PerUrl::new(&[("a", &[(429, Some("3600")), (200, None)])]);
        let clock = FakeClock::default();
        let retrier = Retrier::new(RetryPolicy::default(), Box::new(clock.clone()));
        let answers = retrier.send_all(&transport, &[get("a")]);
        assert_eq!(statuses(&answers), [429]);
        assert_eq!(transport.sent.get(), 1);
        assert!(clock.pauses.borrow().is_empty());
    }
}
