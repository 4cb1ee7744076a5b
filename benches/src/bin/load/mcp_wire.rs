//! One `tools/call` of the stateless MCP revision (2026-07-28) as an HTTP
//! request, and the reading of its answer.
//!
//! A request of that revision carries everything a server needs: the
//! version and capabilities in `params._meta`, and the method and tool name
//! repeated in the `Mcp-Method` / `Mcp-Name` headers (SEP-2243) so a proxy
//! can route without reading the body. No `initialize`, no session: every
//! POST stands alone, which is what lets 16 connections share one server
//! with no per-session state.

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use http::{HeaderValue, Request, header};
use http_body_util::Full;
use serde_json::{Value, json};

/// The MCP revision these requests speak.
pub const PROTOCOL_VERSION: &str = "2026-07-28";

/// The path both dex-mcp and the echo baseline serve MCP at.
pub const MCP_PATH: &str = "/mcp";

/// The JSON-RPC body of a stateless `tools/call` with id `id`.
pub fn tools_call_body(id: u64, tool: &str, arguments: &Value) -> Bytes {
    let body = json!({
        "jsonrpc": "2.0",
        "id": id,
        "method": "tools/call",
        "params": {
            "name": tool,
            "arguments": arguments,
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": PROTOCOL_VERSION,
                "io.modelcontextprotocol/clientInfo": { "name": "dex-mcp-load", "version": "1" },
                "io.modelcontextprotocol/clientCapabilities": {}
            }
        }
    });
    Bytes::from(serde_json::to_vec(&body).expect("a JSON value serialises"))
}

/// The POST of `body` (from [`tools_call_body`]) for `tool` to `authority`
/// (`127.0.0.1:PORT`, also the `Host` header the server checks).
pub fn tools_call_request(
    authority: &HeaderValue,
    tool: &str,
    body: Bytes,
) -> Request<Full<Bytes>> {
    Request::post(MCP_PATH)
        .header(header::HOST, authority)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json, text/event-stream")
        .header("MCP-Protocol-Version", PROTOCOL_VERSION)
        .header("Mcp-Method", "tools/call")
        .header("Mcp-Name", tool)
        .body(Full::new(body))
        .expect("a well-formed request")
}

/// How the server framed its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `application/json`: the JSON-RPC response is the whole body.
    Json,
    /// `text/event-stream`: the response is the `data:` of an SSE event.
    Sse,
}

impl Framing {
    /// The framing a `Content-Type` header names.
    pub fn of(content_type: Option<&HeaderValue>) -> Result<Self> {
        let value = content_type
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if value.starts_with("application/json") {
            Ok(Self::Json)
        } else if value.starts_with("text/event-stream") {
            Ok(Self::Sse)
        } else {
            bail!("unexpected content type `{value}`")
        }
    }
}

/// Reads a `tools/call` answer: `Ok` with the result's structured content
/// (or `null`) when the call succeeded, else `Err` saying why (a JSON-RPC
/// error, or a result flagged `isError` with its text).
pub fn read_call_answer(framing: Framing, body: &[u8]) -> Result<Value> {
    let message: Value = match framing {
        Framing::Json => serde_json::from_slice(body).context("the answer is not JSON")?,
        Framing::Sse => sse_message(body)?,
    };
    if let Some(error) = message.get("error") {
        bail!("JSON-RPC error: {error}");
    }
    let result = message
        .get("result")
        .with_context(|| format!("no result in {message}"))?;
    if result.get("isError").and_then(Value::as_bool) == Some(true) {
        let text = result
            .pointer("/content/0/text")
            .and_then(Value::as_str)
            .map_or_else(|| result.to_string(), str::to_owned);
        bail!("tool error: {text}");
    }
    Ok(result
        .get("structuredContent")
        .cloned()
        .unwrap_or(Value::Null))
}

/// The JSON-RPC response among the events of an SSE body (rmcp may send
/// a priming event with empty data first).
fn sse_message(body: &[u8]) -> Result<Value> {
    let text = std::str::from_utf8(body).context("the SSE body is not UTF-8")?;
    for event in text.split("\n\n") {
        let data: String = event
            .lines()
            .filter_map(|line| line.strip_prefix("data:"))
            .map(str::trim_start)
            .collect::<Vec<_>>()
            .join("\n");
        if data.is_empty() {
            continue;
        }
        let message: Value = serde_json::from_str(&data).context("an SSE event is not JSON")?;
        if message.get("result").is_some() || message.get("error").is_some() {
            return Ok(message);
        }
    }
    bail!("no JSON-RPC response in the SSE body")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_gives_structured_content() {
        let body =
            br#"{"jsonrpc":"2.0","id":1,"result":{"content":[],"structuredContent":{"a":1}}}"#;
        assert_eq!(
            read_call_answer(Framing::Json, body).unwrap(),
            json!({"a": 1})
        );
    }

    #[test]
    fn tool_error_and_rpc_error_are_errors() {
        let tool = br#"{"jsonrpc":"2.0","id":1,"result":{"isError":true,"content":[{"type":"text","text":"no such contact"}]}}"#;
        let err = read_call_answer(Framing::Json, tool).unwrap_err();
        assert!(err.to_string().contains("no such contact"), "{err}");
        let rpc = br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"bad"}}"#;
        assert!(read_call_answer(Framing::Json, rpc).is_err());
    }

    #[test]
    fn sse_answer_skips_the_priming_event() {
        let body = b"id: 0\ndata: \n\ndata: {\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"structuredContent\":7}}\n\n";
        assert_eq!(read_call_answer(Framing::Sse, body).unwrap(), json!(7));
    }

    #[test]
    fn unknown_content_type_is_refused() {
        assert!(Framing::of(Some(&HeaderValue::from_static("text/plain"))).is_err());
        assert_eq!(
            Framing::of(Some(&HeaderValue::from_static(
                "application/json; charset=utf-8"
            )))
            .unwrap(),
            Framing::Json
        );
    }
}
