//! dex-mcp as a library: everything the `dex-mcp` binary runs, so that the
//! benchmarks (`benches/`, package dex-mcp-benches) can drive the real
//! engine, pool and runner instead of a copy of them.
//!
//! The binary (`src/main.rs`) only parses flags, sets up logging and calls
//! [`serve::run`]. Modules are public where a benchmark or the binary needs
//! them; the rest stay private to the server.

/// Command-line flags; public because the binary parses them.
pub mod cli;
/// Compiled components kept on disk; public so that benchmarks load the
/// component the way the server does.
pub mod compile_cache;
/// Loading a component, its pool of warm instances and running one call;
/// public because the benchmarks measure exactly this.
pub mod component;
mod mcp;
mod metrics;
/// The guest's one way out (HTTP to one origin); public because a
/// benchmark builds the policy its instances run under.
pub mod outbound_http;
/// Per-call caps on outbound HTTP; public because the outbound policy
/// carries them.
pub mod outbound_limits;
/// The API key type; public because the outbound policy is built from one.
pub mod secret;
/// Wiring of upstream, engine, component and transports; public because
/// the binary runs it.
pub mod serve;
mod swap;
mod transport_http;
/// Which Dex API the guest talks to; public so that a benchmark configures
/// its instances as the server does.
pub mod upstream;
