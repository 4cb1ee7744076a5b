//! The guest's HTTP transport over `wasi:http/outgoing-handler`.

use crate::dex::{HttpRequest, HttpResponse, HttpTransport, Method, TransportError};

/// Sends requests through `wasi:http/outgoing-handler`, via waki.
pub(super) struct WasiHttp;

impl HttpTransport for WasiHttp {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let client = waki::Client::new();
        let builder = match request.method {
            Method::Get => client.get(&request.url),
            Method::Post => client.post(&request.url),
            Method::Put => client.put(&request.url),
            Method::Delete => client.delete(&request.url),
        };
        let mut builder = builder.headers(request.headers.clone());
        // Only outside our host (stock wasmtime, jco) is the key handed to the
        // guest; our host never sets it and adds the header itself. Each
        // API generation reads the key from its own header.
        if let Ok(key) = std::env::var("DEX_API_KEY") {
            builder = match std::env::var("DEX_API_GENERATION")
                .as_deref()
                .map(str::trim)
            {
                Ok("legacy") => builder.header("x-hasura-dex-api-key", key),
                _ => builder.header("authorization", format!("Bearer {key}")),
            };
        }
        if let Some(body) = request.body {
            builder = builder
                .header("content-type", "application/json")
                .body(body);
        }
        let failed = |e: anyhow::Error| {
            let reason = format!("{e:#}");
            if reason.contains("HttpRequestDenied") || reason.contains("denied") {
                TransportError::Denied {
                    url: request.url.clone(),
                    reason,
                }
            } else {
                TransportError::Failed {
                    url: request.url.clone(),
                    reason,
                }
            }
        };
        let response = builder.send().map_err(failed)?;
        let status = response.status_code();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response.body().map_err(failed)?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}
