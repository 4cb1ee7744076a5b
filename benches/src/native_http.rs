//! The guest's HTTP transport, natively: what `wasi:http` is inside the
//! component, over a blocking reqwest client here, so that the native side
//! of a benchmark reads the account from the same simulator the same way.

use dex_guest::dex::{HttpRequest, HttpResponse, HttpTransport, Method, TransportError};

/// Sends the guest's requests to the API with the key added, as the host's
/// outbound hook does for the component.
pub struct NativeHttp {
    client: reqwest::blocking::Client,
    authorization: String,
}

impl NativeHttp {
    /// A transport that authenticates with the v1 bearer `api_key`.
    pub fn new(api_key: &str) -> Self {
        Self {
            client: reqwest::blocking::Client::new(),
            authorization: format!("Bearer {api_key}"),
        }
    }
}

impl HttpTransport for NativeHttp {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let failed = |reason: String| TransportError::Failed {
            url: request.url.clone(),
            reason,
        };
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self
            .client
            .request(method, &request.url)
            .header("authorization", &self.authorization);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let response = builder.send().map_err(|e| failed(e.to_string()))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    v.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let body = response.bytes().map_err(|e| failed(e.to_string()))?;
        Ok(HttpResponse {
            status,
            headers,
            body: body.to_vec(),
        })
    }
    // `send_all` stays the default (one request after another): the
    // component's `wasi:http` transport sends a batch the same way, so both
    // sides read the account with the same pattern of requests.
}
