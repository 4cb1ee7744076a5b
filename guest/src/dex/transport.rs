//! The guest's one way out: a synchronous HTTP exchange.

use std::fmt;

/// The HTTP methods the Dex API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Reads.
    Get,
    /// Creates (never retried automatically: a lost answer could mean a
    /// duplicate).
    Post,
    /// Partial updates.
    Put,
    /// Deletes.
    Delete,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        })
    }
}

/// A request, complete with its absolute URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// Absolute URL, already percent-encoded.
    pub url: String,
    /// Headers other than authentication, which the host adds. Names are
    /// fixed by the client code, hence `'static`.
    pub headers: Vec<(&'static str, String)>,
    /// A JSON body, for POST and PUT.
    pub body: Option<Vec<u8>>,
}

/// A response, read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first header called `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why no response arrived at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The host refused to send the request (its origin is not allowed).
    #[error("the host refused the request to {url}: {reason}")]
    Denied {
        /// The refused URL.
        url: String,
        /// The host's words.
        reason: String,
    },
    /// The connection failed or the answer was cut off.
    #[error("no answer from {url}: {reason}")]
    Failed {
        /// The URL that failed.
        url: String,
        /// What the network layer said.
        reason: String,
    },
}

/// Sends requests. Implemented over `wasi:http` in the component and in
/// memory in tests.
pub trait HttpTransport {
    /// Sends `request` and waits for the whole response.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;

    /// Sends independent `requests` and answers each, in order.
    ///
    /// The guest is single-threaded with a blocking transport, so this is
    /// the one place where requests can overlap: a transport that can keep
    /// several requests in flight (the component's, over `wasi:http`)
    /// overrides it, and callers that batch (the account snapshot) get the
    /// speed-up for free. The default sends them one after another.
    fn send_all(&self, requests: Vec<HttpRequest>) -> Vec<Result<HttpResponse, TransportError>> {
        requests.into_iter().map(|r| self.send(r)).collect()
    }
}
