//! The guest's one way out: HTTP exchanges, one or a batch at a time.

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
    /// Headers of this request; the user agent and the key, which every
    /// request carries, are added by the transport ([`crate::identity`]).
    /// Names are fixed by the client code, hence `'static`.
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
    /// A 200 answer with `body` and no headers, for tests of decoders.
    #[cfg(test)]
    pub fn ok(body: &str) -> Self {
        Self {
            status: 200,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

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
    /// the one place where requests can overlap: the component's transport
    /// (over `wasi:http`) keeps several in flight, and callers that batch
    /// (the account snapshot) get the speed-up for free. The default, for
    /// in-memory transports, sends them one after another.
    fn send_all(&self, requests: Vec<HttpRequest>) -> Vec<Result<HttpResponse, TransportError>> {
        requests.into_iter().map(|r| self.send(r)).collect()
    }
}

/// An absolute URL in the parts `wasi:http` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitUrl<'a> {
    /// `https` rather than `http`.
    pub https: bool,
    /// `host[:port]`.
    pub authority: &'a str,
    /// `/path?query`, always starting with `/`.
    pub path_and_query: String,
}

/// Splits an absolute `http` or `https` URL (as the API clients build
/// them) into the parts a `wasi:http` request is made of; a fragment is
/// dropped (it is never sent).
pub fn split_url(url: &str) -> Result<SplitUrl<'_>, String> {
    let (https, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(format!("`{url}` is not an http or https URL"));
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let cut = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path_and_query) = rest.split_at(cut);
    if authority.is_empty() || authority.contains('@') {
        return Err(format!("`{url}` has no plain host"));
    }
    Ok(SplitUrl {
        https,
        authority,
        path_and_query: if path_and_query.starts_with('/') {
            path_and_query.to_owned()
        } else {
            format!("/{path_and_query}")
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_scheme_authority_and_path() {
        assert_eq!(
            split_url("https://api.prod.getdex.com/v1/contacts?take=5&cursor=a%20b").unwrap(),
            SplitUrl {
                https: true,
                authority: "api.prod.getdex.com",
                path_and_query: "/v1/contacts?take=5&cursor=a%20b".into(),
            }
        );
        assert_eq!(
            split_url("http://127.0.0.1:8787").unwrap(),
            SplitUrl {
                https: false,
                authority: "127.0.0.1:8787",
                path_and_query: "/".into(),
            }
        );
        assert_eq!(
            split_url("http://h:1/api/rest/contacts#x")
                .unwrap()
                .path_and_query,
            "/api/rest/contacts"
        );
        assert_eq!(split_url("http://h?x=1").unwrap().path_and_query, "/?x=1");
    }

    #[test]
    fn other_urls_are_refused_with_the_url_named() {
        for url in ["ftp://h/x", "h/x", "http:///x", "http://user@h/x"] {
            let err = split_url(url).unwrap_err();
            assert!(err.contains(url), "{err}");
        }
    }
}
