//! dex-mcp's guest: everything that knows Dex.
//!
//! This crate is compiled twice. As a WebAssembly component it is what the
//! host loads and serves as MCP tools (see `wit/` for the contract and
//! [`component`] for the thin binding layer). Natively it is a plain Rust
//! library, so its logic is unit-tested and benchmarked without a runtime.
//!
//! Layers, from the wire up:
//! - [`model`]: value objects validated where input enters, and the domain
//!   records the tools return;
//! - [`dex`]: the Dex HTTP API (both generations) over an [`dex::HttpTransport`];
//! - [`matching`]: the contact resolver behind `find_contact`;
//! - [`tools`]: one adapter per tool, plus the [`tools::catalogue`] that
//!   describes them to the host.
//!
//! Beside them, [`telemetry`] reports to the host on stderr (progress of a
//! long read, cache hits and misses, read times).
#![deny(missing_docs)]

pub mod account;
pub mod dex;
pub mod history;
pub mod matching;
pub mod model;
pub mod paging;
pub mod search;
pub mod settings;
pub mod snapshot;
pub mod telemetry;
pub mod tools;
pub mod writes;

#[cfg(target_arch = "wasm32")]
mod component;
