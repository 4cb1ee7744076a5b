//! The misbehaving test guest (see `wit/misbehave.wit`). Only meaningful as
//! a WebAssembly component; natively it is empty.
#![cfg(target_arch = "wasm32")]

mod bindings {
    wit_bindgen::generate!({
        world: "dex-test:misbehave/misbehave-guest",
        path: ["../../../wit", "wit"],
        // `server` uses `dex:crm/types` (its `icon`), a package of its own.
        generate_all,
    });
}

use bindings::exports::dex::crm::server;
use bindings::exports::dex_test::misbehave::misbehave::Guest;

const BASE_URL_ENV: &str = "DEX_API_BASE_URL";

struct Misbehave;

fn get(url: &str) -> Result<Vec<u8>, String> {
    let response = waki::Client::new()
        .get(url)
        .send()
        .map_err(|e| format!("{e:#}"))?;
    response.body().map_err(|e| format!("{e:#}"))
}

impl Guest for Misbehave {
    fn panic_now() -> String {
        eprintln!("misbehave: about to panic on purpose");
        panic!("misbehave: deliberate panic")
    }

    fn spin_forever() -> u64 {
        let mut turns = 0u64;
        loop {
            turns = std::hint::black_box(turns.wrapping_add(1));
            if std::hint::black_box(turns) == u64::MAX {
                return turns;
            }
        }
    }

    fn allocate_without_bound() -> u64 {
        const CHUNK: usize = 8 << 20;
        let mut held: Vec<Vec<u8>> = Vec::new();
        loop {
            let mut chunk = Vec::new();
            if chunk.try_reserve_exact(CHUNK).is_err() {
                return (held.len() * CHUNK) as u64;
            }
            chunk.resize(CHUNK, 0xa5);
            held.push(std::hint::black_box(chunk));
        }
    }

    fn request_flood(url: String, count: u32) -> Result<u32, String> {
        for sent in 0..count {
            get(&url).map_err(|e| format!("request {} failed: {e}", sent + 1))?;
        }
        Ok(count)
    }

    fn download(url: String) -> Result<u64, String> {
        get(&url).map(|body| body.len() as u64)
    }

    fn log_line(text: String) -> String {
        eprintln!("{text}");
        text
    }

    fn ok() -> String {
        "ok".to_owned()
    }
}

impl server::Guest for Misbehave {
    fn describe() -> server::Description {
        server::Description {
            title: String::new(),
            icons: Vec::new(),
            instructions: String::new(),
            settings: vec![server::Setting {
                name: "base-url".into(),
                env: BASE_URL_ENV.into(),
                description: "Where the misbehaving requests may go.".into(),
                default: None,
                choices: Vec::new(),
                secret: false,
                deprecated: None,
            }],
        }
    }

    fn upstream() -> Result<Option<server::UpstreamApi>, String> {
        Ok(std::env::var(BASE_URL_ENV)
            .ok()
            .map(|base_url| server::UpstreamApi { base_url }))
    }
}

bindings::export!(Misbehave with_types_in bindings);
