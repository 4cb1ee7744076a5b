//! Caps on what one tool call may do over HTTP: how many requests it may
//! send and how large an answer it may read.
//!
//! A guest stuck in a retry loop, or one paging through an endless listing,
//! would otherwise hammer the Dex API under the user's key until the call's
//! deadline; an answer of unbounded size would fill the host's memory
//! through the guest's. Both caps are enforced in the outbound hook
//! ([`crate::outbound_http::PolicyHooks`]), which sees every request.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use wasmtime_wasi_http::{Error as HttpError, WasiBody};

/// The caps, configured once for the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboundLimits {
    /// Requests one tool call may send; the next one is refused.
    pub max_requests_per_call: u32,
    /// Bytes of one response body the guest may read; reading past them
    /// fails with `HTTP-response-body-size`.
    pub max_response_bytes: u64,
}

impl Default for OutboundLimits {
    /// 500 requests (a full read of a 10,000-contact account in pages of
    /// 100 is about 100 requests, notes and reminders included, plus
    /// retries) and 32 MiB per answer (a page of 100 contacts is well under
    /// 1 MiB).
    fn default() -> Self {
        Self {
            max_requests_per_call: 500,
            max_response_bytes: 32 << 20,
        }
    }
}

/// The requests the current call has sent. Lives in the call's store and
/// is reset when a (warm) instance starts a new call.
#[derive(Debug, Default)]
pub struct RequestBudget {
    sent: u32,
}

impl RequestBudget {
    /// Counts one more request, unless `max` have been sent already.
    pub fn spend(&mut self, max: u32) -> Result<(), BudgetSpent> {
        if self.sent >= max {
            return Err(BudgetSpent { max });
        }
        self.sent += 1;
        Ok(())
    }

    /// Starts counting anew for the next call.
    pub fn reset(&mut self) {
        self.sent = 0;
    }
}

/// The call has sent as many requests as it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this tool call reached the host's limit of {max} HTTP requests per call")]
pub struct BudgetSpent {
    /// The limit.
    pub max: u32,
}

/// Fails at once when the body announces more than `max` bytes; else a
/// body that fails as soon as more than `max` bytes have come through.
pub fn limit_body(body: WasiBody, max: u64) -> Result<WasiBody, HttpError> {
    let announced = body.size_hint().lower();
    if announced > max {
        return Err(HttpError::HttpResponseBodySize(Some(announced)));
    }
    Ok(WasiBody::new(LimitedBody {
        inner: body,
        seen: 0,
        max,
    }))
}

struct LimitedBody {
    inner: WasiBody,
    seen: u64,
    max: u64,
}

impl Body for LimitedBody {
    type Data = Bytes;
    type Error = HttpError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, HttpError>>> {
        let frame = std::task::ready!(Pin::new(&mut self.inner).poll_frame(cx));
        if let Some(Ok(frame)) = &frame
            && let Some(data) = frame.data_ref()
        {
            self.seen += data.len() as u64;
            if self.seen > self.max {
                tracing::warn!(
                    max_bytes = self.max,
                    "an upstream answer grew past the size limit (--max-response-mb); stopped reading it"
                );
                return Poll::Ready(Some(Err(HttpError::HttpResponseBodySize(Some(self.seen)))));
            }
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::{BodyExt, Full};

    fn full(bytes: usize) -> WasiBody {
        WasiBody::new(Full::new(Bytes::from(vec![b'x'; bytes])).map_err(|never| match never {}))
    }

    /// `chunks` frames of `size` bytes, with no length announced.
    struct Chunks {
        left: usize,
        size: usize,
    }

    impl Body for Chunks {
        type Data = Bytes;
        type Error = HttpError;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, HttpError>>> {
            if self.left == 0 {
                return Poll::Ready(None);
            }
            self.left -= 1;
            Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b'y'; self.size])))))
        }
    }

    fn chunked(chunks: usize, size: usize) -> WasiBody {
        WasiBody::new(Chunks { left: chunks, size })
    }

    #[test]
    fn budget_refuses_the_request_past_the_limit_until_reset() {
        let mut budget = RequestBudget::default();
        assert!(budget.spend(2).is_ok());
        assert!(budget.spend(2).is_ok());
        assert_eq!(budget.spend(2), Err(BudgetSpent { max: 2 }));
        budget.reset();
        assert!(budget.spend(2).is_ok());
    }

    #[test]
    fn announced_oversized_body_is_refused_before_reading() {
        let Err(err) = limit_body(full(11), 10) else {
            panic!("an oversized body was accepted")
        };
        assert!(matches!(err, HttpError::HttpResponseBodySize(Some(11))));
    }

    #[tokio::test]
    async fn body_within_the_limit_reads_whole() {
        let body = limit_body(full(10), 10).expect("accepted");
        assert_eq!(body.collect().await.unwrap().to_bytes().len(), 10);
        let body = limit_body(chunked(4, 5), 20).expect("accepted");
        assert_eq!(body.collect().await.unwrap().to_bytes().len(), 20);
    }

    #[tokio::test]
    async fn streamed_body_fails_once_past_the_limit() {
        let body = limit_body(chunked(4, 5), 12).expect("no length announced");
        let Err(err) = body.collect().await else {
            panic!("an oversized body was read whole")
        };
        assert!(matches!(err, HttpError::HttpResponseBodySize(Some(15))));
    }
}
