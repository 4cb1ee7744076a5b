//! Sending requests to the legacy API and unwrapping its answers.
//!
//! Hasura's REST layer answers each query under a key named after it
//! (`contacts`, `search_contacts_by_exact_email`, `insert_contacts_one`,
//! ...), so every answer is read through [`Answer::take`] with the key the
//! request expects. Requests go through the shared [`Retrier`], which
//! repeats reads, updates and deletes after a transient failure but never
//! a create.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::dex::retry::Retrier;
use crate::dex::{
    HttpRequest, HttpResponse, HttpTransport, Method, TransportError, check_status, decode_json,
};
use crate::model::{ErrorKind, ToolError};

/// The legacy API at one base URL (`https://api.getdex.com/api/rest`).
pub struct LegacyApi<T> {
    base_url: String,
    transport: T,
    retrier: Retrier,
}

impl<T: HttpTransport> LegacyApi<T> {
    /// The API at `base_url`, retrying as `retrier` does.
    pub fn new(base_url: &str, transport: T, retrier: Retrier) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            transport,
            retrier,
        }
    }

    /// A request for `path` (starting with `/`) with `query` pairs,
    /// percent-encoded, and a JSON `body` when given.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> HttpRequest {
        let mut url = format!("{}{path}", self.base_url);
        if !query.is_empty() {
            let mut encoder = form_urlencoded::Serializer::new(String::new());
            for (key, value) in query {
                encoder.append_pair(key, value);
            }
            url.push('?');
            url.push_str(&encoder.finish());
        }
        HttpRequest {
            method,
            url,
            headers: vec![("accept", "application/json".into())],
            body: body.map(|b| b.to_string().into_bytes()),
        }
    }

    /// Sends independent requests together, retrying transient failures.
    pub fn send_all(&self, requests: &[HttpRequest]) -> Vec<Result<HttpResponse, TransportError>> {
        self.retrier.send_all(&self.transport, requests)
    }

    /// Sends one request and reads its answer; `what` names the thing
    /// asked for, for error messages.
    pub fn exchange(&self, request: HttpRequest, what: &str) -> Result<Answer, ToolError> {
        let reply = self
            .send_all(std::slice::from_ref(&request))
            .pop()
            .unwrap_or_else(|| {
                Err(TransportError::Failed {
                    url: request.url.clone(),
                    reason: "the transport gave no answer".into(),
                })
            });
        Answer::read(reply, what)
    }
}

/// A successful answer: its top-level keys.
#[derive(Debug)]
pub struct Answer {
    keys: BTreeMap<String, Value>,
    what: String,
}

impl Answer {
    /// Checks the status of `reply` and decodes its body as an object.
    pub fn read(
        reply: Result<HttpResponse, TransportError>,
        what: &str,
    ) -> Result<Answer, ToolError> {
        let response = check_status(reply?, what)?;
        Ok(Answer {
            keys: decode_json(&response, what)?,
            what: what.to_owned(),
        })
    }

    /// The value under `key`, decoded; an upstream error when Dex left it
    /// out or sent something else there.
    pub fn take<V: DeserializeOwned>(&mut self, key: &str) -> Result<V, ToolError> {
        let value = self.keys.remove(key).ok_or_else(|| {
            ToolError::new(
                ErrorKind::Upstream,
                format!("Dex's answer for {} has no `{key}`", self.what),
            )
        })?;
        serde_json::from_value(value).map_err(|e| {
            ToolError::new(
                ErrorKind::Upstream,
                format!("Dex sent a malformed `{key}` for {}: {e}", self.what),
            )
        })
    }

    /// Like [`Answer::take`], but a missing or null key reads as `None`.
    pub fn take_optional<V: DeserializeOwned>(
        &mut self,
        key: &str,
    ) -> Result<Option<V>, ToolError> {
        match self.keys.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.take(key).map(Some),
        }
    }
}
