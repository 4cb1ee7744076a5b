//! The guest's HTTP transport over `wasi:http/outgoing-handler`.
//!
//! Raw `wasi:http` 0.2 bindings (the `wasi` crate), not a client library:
//! `outgoing-handler.handle` answers a future at once, so a batch can have
//! several requests in flight and wait on all of them with `wasi:io/poll`,
//! which is what makes reading a whole account take a few round trips
//! instead of hundreds. waki, the client used before, sends one request
//! and blocks until its answer, so it could not do that; single requests go
//! through the same code (a batch of one), which leaves one HTTP path and
//! no second set of `wasi:http` bindings in the component.

use wasi::http::outgoing_handler;
use wasi::http::types::{
    ErrorCode, Fields, FutureIncomingResponse, IncomingBody, IncomingResponse,
    Method as WasiMethod, OutgoingBody, OutgoingRequest, Scheme,
};
use wasi::io::poll::{Pollable, poll};
use wasi::io::streams::{InputStream, StreamError};

use crate::dex::{
    HttpRequest, HttpResponse, HttpTransport, Method, SplitUrl, TransportError, split_url,
};
use crate::identity::{self, Key};
use crate::settings::{self, ApiGeneration};

/// Requests of one batch in flight at once: enough to hide the latency of
/// a distant API, few enough not to look like a flood to Dex (whose rate
/// limit is undocumented) or to hold many large answers in memory.
const MAX_IN_FLIGHT: usize = 8;

/// Bytes asked for per read of an answer's body.
const READ_CHUNK: u64 = 64 * 1024;

/// Sends requests through `wasi:http/outgoing-handler`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WasiHttp;

impl HttpTransport for WasiHttp {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.send_all(vec![request])
            .pop()
            .unwrap_or_else(|| Err(failed("", "the transport gave no answer".into())))
    }

    /// Starts up to [`MAX_IN_FLIGHT`] requests, then waits on all of them
    /// at once, starting the next request as each answer has been read.
    fn send_all(&self, requests: Vec<HttpRequest>) -> Vec<Result<HttpResponse, TransportError>> {
        let mut answers: Vec<Option<Result<HttpResponse, TransportError>>> =
            (0..requests.len()).map(|_| None).collect();
        let mut waiting = requests.into_iter().enumerate();
        let mut in_flight: Vec<Exchange> = Vec::new();
        loop {
            while in_flight.len() < MAX_IN_FLIGHT {
                let Some((index, request)) = waiting.next() else {
                    break;
                };
                match Exchange::start(index, request) {
                    Ok(exchange) => in_flight.push(exchange),
                    Err((index, error)) => answers[index] = Some(Err(error)),
                }
            }
            if in_flight.is_empty() {
                break;
            }
            let ready = {
                let pollables: Vec<Pollable> = in_flight.iter().map(Exchange::subscribe).collect();
                let refs: Vec<&Pollable> = pollables.iter().collect();
                poll(&refs)
            };
            // Advance the ready ones, last first, so that removing one
            // leaves the indexes of the others in place.
            let mut ready: Vec<usize> = ready.into_iter().map(|i| i as usize).collect();
            ready.sort_unstable_by(|a, b| b.cmp(a));
            ready.dedup();
            for slot in ready {
                if let Some((index, answer)) = in_flight[slot].advance() {
                    answers[index] = Some(answer);
                    in_flight.swap_remove(slot);
                }
            }
        }
        answers
            .into_iter()
            .map(|a| a.unwrap_or_else(|| Err(failed("", "the request was never sent".into()))))
            .collect()
    }
}

/// One request on its way: waiting for the status and headers, then
/// reading the body.
struct Exchange {
    index: usize,
    url: String,
    /// Why the body could not be sent whole, if it could not: said only
    /// when no answer comes either (a server may answer, a 401 say, and
    /// close before reading the body; its answer is what counts).
    body_error: Option<String>,
    stage: Stage,
}

enum Stage {
    Waiting(FutureIncomingResponse),
    Reading(Body),
}

/// A body being read. Field order is drop order: the stream is a child of
/// the body, which is a child of the response, and a child must go first.
struct Body {
    stream: InputStream,
    _body: IncomingBody,
    _response: IncomingResponse,
    status: u16,
    headers: Vec<(String, String)>,
    bytes: Vec<u8>,
}

impl Exchange {
    /// Sends `request`; the request's index and the error when it could
    /// not even be started (refused by the host, bad URL).
    fn start(index: usize, request: HttpRequest) -> Result<Exchange, (usize, TransportError)> {
        let url = request.url.clone();
        let (future, body_error) = outgoing(request).map_err(|e| (index, e))?;
        Ok(Exchange {
            index,
            url,
            body_error,
            stage: Stage::Waiting(future),
        })
    }

    fn subscribe(&self) -> Pollable {
        match &self.stage {
            Stage::Waiting(future) => future.subscribe(),
            Stage::Reading(body) => body.stream.subscribe(),
        }
    }

    /// Moves on after a wake-up; the answer once it is complete.
    fn advance(&mut self) -> Option<(usize, Result<HttpResponse, TransportError>)> {
        match self.step() {
            Ok(None) => None,
            Ok(Some(response)) => Some((self.index, Ok(response))),
            Err(error) => Some((self.index, Err(error))),
        }
    }

    fn step(&mut self) -> Result<Option<HttpResponse>, TransportError> {
        match &mut self.stage {
            Stage::Waiting(future) => {
                let response = match future.get() {
                    None => return Ok(None),
                    Some(Err(())) => {
                        return Err(failed(&self.url, "the answer was taken twice".into()));
                    }
                    Some(Ok(Err(code))) => {
                        return Err(match &self.body_error {
                            Some(reason) => failed(&self.url, format!("{reason}, then {code:?}")),
                            None => from_code(&self.url, &code),
                        });
                    }
                    Some(Ok(Ok(response))) => response,
                };
                let status = response.status();
                let headers = response
                    .headers()
                    .entries()
                    .into_iter()
                    .map(|(name, value)| {
                        (
                            name.to_ascii_lowercase(),
                            String::from_utf8_lossy(&value).into_owned(),
                        )
                    })
                    .collect();
                let body = response
                    .consume()
                    .map_err(|()| failed(&self.url, "the answer's body was taken twice".into()))?;
                let stream = body
                    .stream()
                    .map_err(|()| failed(&self.url, "the answer's body was taken twice".into()))?;
                self.stage = Stage::Reading(Body {
                    stream,
                    _body: body,
                    _response: response,
                    status,
                    headers,
                    bytes: Vec::new(),
                });
                // The body may be there already; the next poll says so.
                Ok(None)
            }
            Stage::Reading(body) => loop {
                match body.stream.read(READ_CHUNK) {
                    Ok(chunk) if chunk.is_empty() => return Ok(None),
                    Ok(chunk) => body.bytes.extend_from_slice(&chunk),
                    Err(StreamError::Closed) => {
                        return Ok(Some(HttpResponse {
                            status: body.status,
                            headers: std::mem::take(&mut body.headers),
                            body: std::mem::take(&mut body.bytes),
                        }));
                    }
                    Err(StreamError::LastOperationFailed(error)) => {
                        return Err(failed(
                            &self.url,
                            format!("the answer was cut off: {}", error.to_debug_string()),
                        ));
                    }
                }
            },
        }
    }
}

/// Hands `request` to the host: the answer to come, and why the body
/// could not be sent whole, if it could not.
fn outgoing(
    request: HttpRequest,
) -> Result<(FutureIncomingResponse, Option<String>), TransportError> {
    let url = request.url;
    let SplitUrl {
        https,
        authority,
        path_and_query,
    } = split_url(&url).map_err(|reason| failed(&url, reason))?;
    let mut headers: Vec<(String, Vec<u8>)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.to_string(), value.clone().into_bytes()))
        .collect();
    // Our host never gives the key: the request names it by placeholder
    // and the host fills it in. A plain WASI runtime's user may give it
    // in the environment instead.
    let given_key = std::env::var(settings::API_KEY_ENV).ok();
    let key = given_key.as_deref().map_or(Key::Placeholder, Key::Given);
    let generation = match std::env::var(settings::API_GENERATION_ENV) {
        Ok(value) if value.trim() == "legacy" => ApiGeneration::Legacy,
        _ => ApiGeneration::V1,
    };
    for (name, value) in identity::request_headers(generation, key) {
        headers.push((name.into(), value.into_bytes()));
    }
    if request.body.is_some() {
        headers.push(("content-type".into(), b"application/json".to_vec()));
    }
    let fields = Fields::from_list(&headers)
        .map_err(|e| failed(&url, format!("a header was refused: {e:?}")))?;
    let outgoing = OutgoingRequest::new(fields);
    let refused = |what: &str| failed(&url, format!("the host refused the request's {what}"));
    outgoing
        .set_method(&match request.method {
            Method::Get => WasiMethod::Get,
            Method::Post => WasiMethod::Post,
            Method::Put => WasiMethod::Put,
            Method::Delete => WasiMethod::Delete,
        })
        .map_err(|()| refused("method"))?;
    outgoing
        .set_scheme(Some(if https { &Scheme::Https } else { &Scheme::Http }))
        .map_err(|()| refused("scheme"))?;
    outgoing
        .set_authority(Some(authority))
        .map_err(|()| refused("authority"))?;
    outgoing
        .set_path_with_query(Some(&path_and_query))
        .map_err(|()| refused("path"))?;
    // A request without a body never takes one: the host then sends a
    // known-empty body. A body taken and ended empty is of unknown length
    // until it ends, so it goes out chunked, and its end may arrive after
    // a server that does not read it (a DELETE) has answered and closed:
    // the late bytes reset the connection and the answer is lost
    // (hyper's IncompleteMessage), although the server did the work.
    let Some(bytes) = request.body.as_deref() else {
        let future =
            outgoing_handler::handle(outgoing, None).map_err(|code| from_code(&url, &code))?;
        return Ok((future, None));
    };
    let body = outgoing.body().map_err(|()| refused("body"))?;
    let future = outgoing_handler::handle(outgoing, None).map_err(|code| from_code(&url, &code))?;
    let body_error = write_body(body, bytes).err();
    Ok((future, body_error))
}

/// Writes `bytes` as the whole request body and ends it. The request is
/// already handed to the host, which streams the body as it comes.
fn write_body(body: OutgoingBody, bytes: &[u8]) -> Result<(), String> {
    {
        let stream = body
            .write()
            .map_err(|()| "the request body was taken twice".to_owned())?;
        // `blocking-write-and-flush` takes at most 4096 bytes a call.
        for chunk in bytes.chunks(4096) {
            stream
                .blocking_write_and_flush(chunk)
                .map_err(|e| format!("the request body could not be sent: {e:?}"))?;
        }
    }
    OutgoingBody::finish(body, None).map_err(|e| format!("the request could not be ended: {e:?}"))
}

/// A `wasi:http` error as a transport error: the host's refusal of another
/// origin is [`TransportError::Denied`], the rest is a failure to reach Dex.
fn from_code(url: &str, code: &ErrorCode) -> TransportError {
    match code {
        ErrorCode::HttpRequestDenied => TransportError::Denied {
            url: url.to_owned(),
            reason: "HttpRequestDenied: only the Dex API's origin may be reached".into(),
        },
        ErrorCode::InternalError(Some(reason)) => failed(url, reason.clone()),
        other => failed(url, format!("{other:?}")),
    }
}

fn failed(url: &str, reason: String) -> TransportError {
    TransportError::Failed {
        url: url.to_owned(),
        reason,
    }
}
