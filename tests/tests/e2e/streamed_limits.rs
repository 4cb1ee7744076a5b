//! An upstream answer that announces no length and streams on past
//! `--max-response-mb`: the host stops reading it mid-stream, that one call
//! fails saying why, and the server goes on serving.

use std::time::Duration;

use dex_mcp_tests::{Client, Era, Scratch, component, start_server};
use rmcp::model::{CallToolRequestParams, CallToolResult};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

/// What the origin streams at most before it stops by itself.
const STREAM_CAP: u64 = 256 << 20;
/// One chunk of the chunked answer.
const CHUNK: usize = 64 << 10;

/// How one streamed answer ended, seen from the origin.
#[derive(Debug)]
struct Streamed {
    /// Body bytes written before the end.
    sent: u64,
    /// Whether the reader went away before the origin finished.
    cut_off: bool,
}

/// A stand-in for the Dex origin. `/stream` answers with a chunked body of
/// up to [`STREAM_CAP`] bytes and reports how it ended; anything else
/// answers "ok".
async fn origin() -> (String, mpsc::UnboundedReceiver<Streamed>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let (report, reports) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let report = report.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head);
                if head.split_whitespace().nth(1) != Some("/stream") {
                    let ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
                    socket.write_all(ok).await.ok();
                    socket.shutdown().await.ok();
                    return;
                }
                let start = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\
                             Connection: close\r\n\r\n";
                let mut chunk = format!("{CHUNK:x}\r\n").into_bytes();
                chunk.extend(std::iter::repeat_n(b'x', CHUNK));
                chunk.extend_from_slice(b"\r\n");
                let mut sent = 0u64;
                let mut cut_off = socket.write_all(start.as_bytes()).await.is_err();
                while !cut_off && sent < STREAM_CAP {
                    cut_off = socket.write_all(&chunk).await.is_err();
                    if !cut_off {
                        sent += CHUNK as u64;
                    }
                }
                if !cut_off {
                    cut_off = socket.write_all(b"0\r\n\r\n").await.is_err();
                }
                report.send(Streamed { sent, cut_off }).ok();
            });
        }
    });
    (base_url, reports)
}

async fn download(client: &Client, url: String) -> CallToolResult {
    let arguments = json!({ "url": url }).as_object().unwrap().clone();
    client
        .call_tool(CallToolRequestParams::new("download").with_arguments(arguments))
        .await
        .expect("tools/call answers")
}

#[tokio::test]
async fn a_streamed_answer_past_the_limit_is_cut_off_and_fails_alone() {
    let (base_url, mut reports) = origin().await;
    let log = Scratch::new("streamed-limits.log");
    let args = [
        "--component",
        &component("misbehave_guest").display().to_string(),
        "--max-response-mb",
        "1",
    ]
    .map(String::from);
    let env = [
        ("DEX_API_KEY", "dex_test_streamed_key"),
        ("DEX_API_BASE_URL", base_url.as_str()),
        ("DEX_MCP_LOG", "info"),
    ];
    let client = start_server(&args, &env, Era::Legacy, Some(&log))
        .await
        .expect("dex-mcp starts with the misbehaving component");

    let streamed = download(&client, format!("{base_url}/stream")).await;

    assert_eq!(streamed.is_error, Some(true), "{streamed:?}");
    let error: Value = streamed
        .structured_content
        .clone()
        .unwrap_or_else(|| panic!("no structured error: {streamed:?}"));
    // The test guest's HTTP client (waki) words the failed read its own way;
    // the host's reason is in its log, checked below.
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("read failed")),
        "the call did not fail on reading the answer: {error}"
    );
    let ended = tokio::time::timeout(Duration::from_secs(60), reports.recv())
        .await
        .expect("the origin stopped streaming within a minute")
        .expect("the origin reported");
    assert!(
        ended.cut_off && ended.sent < STREAM_CAP,
        "the host read on past the limit: {ended:?}"
    );

    let small = download(&client, format!("{base_url}/small")).await;
    assert_ne!(small.is_error, Some(true), "{small:?}");
    assert_eq!(small.structured_content.unwrap()["value"], json!(2));
    client.cancel().await.ok();
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    std::fs::remove_file(&log).ok();
    assert!(
        logged.contains("grew past the size limit (--max-response-mb)"),
        "the operator is not told why: {logged}"
    );
}
