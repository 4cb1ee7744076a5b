//! The probe test guest (see `wit/probe.wit`). Only meaningful as a
//! WebAssembly component; natively it is empty.
#![cfg(target_arch = "wasm32")]

#[cfg(not(feature = "extra"))]
mod bindings {
    wit_bindgen::generate!({ world: "probe-guest", path: "wit" });
}

#[cfg(feature = "extra")]
mod bindings {
    wit_bindgen::generate!({ world: "probe-guest-plus", path: "wit" });
}

#[cfg(feature = "extra")]
impl bindings::exports::dex_test::probe::extra::Guest for Probe {
    fn echo(text: String) -> String {
        text
    }
}

use bindings::exports::dex_test::probe::probe::{Fetched, Guest};

struct Probe;

impl Guest for Probe {
    fn fetch(url: String) -> Result<Fetched, String> {
        let response = waki::Client::new()
            .get(&url)
            .send()
            .map_err(|e| format!("{e:#}"))?;
        let status = response.status_code();
        let body = response.body().map_err(|e| format!("{e:#}"))?;
        Ok(Fetched {
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
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

bindings::export!(Probe with_types_in bindings);
