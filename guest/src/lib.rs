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
//! - [`snapshot`]: the whole account read through Dex's bulk lists, and
//!   its stored (versioned, checksummed) form;
//! - [`account`]: the snapshot with its indexes, kept between calls and
//!   kept current with the tools' own writes;
//! - [`matching`]: the contact resolver behind `find_contact`;
//! - [`search`]: the full-text index over contacts, notes and reminders;
//! - [`history`]: timelines, upcoming reminders and birthdays, reckoned in
//!   the owner's time zone;
//! - [`writes`]: confirmation, impact and enrichment rules shared by the
//!   write tools;
//! - [`tools`]: one module per exported WIT interface, with its tools'
//!   adapters and (for the component) its WIT glue, plus the
//!   [`tools::catalogue`] that describes them to the host, generated from
//!   the WIT doc comments.
//!
//! Beside them: [`settings`] (what the component reads from its
//! environment) and [`server`] (what it tells the host about itself: the
//! assistant's instructions, its settings, where requests go),
//! [`identity`] (what every request says about who sends it), [`paging`]
//! (cursors and the answer-size cap every list shares), [`telemetry`]
//! (reports to the host on stderr: progress of a long read, cache hits and
//! misses, read times) and [`doctor`] (the self-check behind `dex-mcp
//! doctor`).
#![deny(missing_docs)]

pub mod account;
pub mod dex;
pub mod doctor;
pub mod history;
pub mod icons;
pub mod identity;
pub mod matching;
pub mod model;
pub mod offerings;
pub mod paging;
pub mod search;
pub mod server;
pub mod settings;
pub mod snapshot;
pub mod telemetry;
pub mod tools;
pub mod writes;

#[cfg(target_arch = "wasm32")]
mod component;
