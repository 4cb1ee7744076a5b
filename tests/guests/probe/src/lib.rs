//! The probe test guest (see `wit/probe.wit`). Only meaningful as a
//! WebAssembly component; natively it is empty.
#![cfg(target_arch = "wasm32")]

#[cfg(not(feature = "extra"))]
mod bindings {
    wit_bindgen::generate!({
        world: "dex-test:probe/probe-guest",
        path: ["../../../wit", "wit"],
        // `server` uses `dex:crm/types` (its `icon`), a package of its own.
        generate_all,
    });
}

#[cfg(feature = "extra")]
mod bindings {
    wit_bindgen::generate!({
        world: "dex-test:probe/probe-guest-plus",
        path: ["../../../wit", "wit"],
        // `server` uses `dex:crm/types` (its `icon`), a package of its own.
        generate_all,
    });
}

#[cfg(feature = "extra")]
impl bindings::exports::dex_test::probe::extra::Guest for Probe {
    fn echo(text: String) -> String {
        text
    }
}

use bindings::dex::crm::content::{Icon, IconTheme};
use bindings::exports::dex::crm::server;
use bindings::exports::dex_test::probe::probe::{Fetched, Guest, Outgoing};

struct Probe;

const BASE_URL_ENV: &str = "DEX_API_BASE_URL";

fn sent(request: waki::RequestBuilder) -> Result<Fetched, String> {
    let response = request.send().map_err(|e| format!("{e:#}"))?;
    let status = response.status_code();
    let body = response.body().map_err(|e| format!("{e:#}"))?;
    Ok(Fetched {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

impl Guest for Probe {
    fn fetch(url: String) -> Result<Fetched, String> {
        sent(
            waki::Client::new()
                .get(&url)
                .header("authorization", "Bearer ${secret:api-key}"),
        )
    }

    fn send(request: Outgoing) -> Result<Fetched, String> {
        let client = waki::Client::new();
        let mut builder = match request.method.as_str() {
            "GET" => client.get(&request.url),
            "POST" => client.post(&request.url),
            other => return Err(format!("the probe sends GET or POST, not {other}")),
        };
        for (name, value) in request.headers {
            let name = waki::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| format!("header name `{name}`: {e}"))?;
            builder = builder.header(name, value);
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        sent(builder)
    }

    fn environment() -> Vec<String> {
        std::env::vars().map(|(k, v)| format!("{k}={v}")).collect()
    }

    fn preopened_directories() -> Vec<String> {
        // With no preopens, the root is not accessible at all.
        match std::fs::read_dir("/") {
            Ok(entries) => entries
                .filter_map(|e| e.ok())
                .map(|e| e.path().display().to_string())
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}

/// The probe's name for people (`serverInfo.title`).
const PROBE_TITLE: &str = "Probe";

/// The probe's picture (`serverInfo.icons`): a square.
const PROBE_ICON: &str = "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20viewBox='0,0,1,1'%3E%3Crect%20width='1'%20height='1'/%3E%3C/svg%3E";

impl server::Guest for Probe {
    fn describe() -> server::Description {
        let setting = |name: &str, env: &str, description: &str, secret| server::Setting {
            name: name.into(),
            env: env.into(),
            description: description.into(),
            default: None,
            choices: Vec::new(),
            secret,
            deprecated: None,
        };
        server::Description {
            title: PROBE_TITLE.into(),
            // Every field of the icon record set, so that a test sees each
            // reach serverInfo.
            icons: vec![Icon {
                src: PROBE_ICON.into(),
                mime_type: Some("image/svg+xml".into()),
                sizes: vec!["any".into()],
                theme: Some(IconTheme::Dark),
            }],
            instructions: String::new(),
            settings: vec![
                setting(
                    "api-key",
                    "DEX_API_KEY",
                    "The key the probe's fetch sends.",
                    true,
                ),
                setting(
                    "base-url",
                    BASE_URL_ENV,
                    "Where the probe may send requests.",
                    false,
                ),
            ],
        }
    }

    fn upstream() -> Result<Option<server::UpstreamApi>, String> {
        Ok(std::env::var(BASE_URL_ENV)
            .ok()
            .map(|base_url| server::UpstreamApi { base_url }))
    }
}

bindings::export!(Probe with_types_in bindings);
