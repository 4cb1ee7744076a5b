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
/// Demo mode: a simulated upstream when the secrets have no value (the
/// simulator is linked only with the `demo` feature).
mod demo;
/// `dex-mcp doctor`; public because the binary runs it.
pub mod doctor;
/// Which of the component's tools the server offers (`--tools`,
/// `--read-only`).
mod exposure;
/// The schedule of maintenance passes between calls.
mod maintenance;
mod mcp;
/// Prometheus metrics; public because the loader counts upstream requests
/// in them.
pub mod metrics;
/// `--component oci://…`: the component pulled from an OCI registry and
/// checked against its digest.
mod oci_component;
/// The guest's one way out (HTTP to one origin); public because a
/// benchmark builds the policy its instances run under.
pub mod outbound_http;
/// Per-call caps on outbound HTTP; public because the outbound policy
/// carries them.
pub mod outbound_limits;
/// Secrets and how they are filled into requests; public because the
/// outbound policy holds them.
pub mod secret;
/// Wiring of upstream, engine, component and transports; public because
/// the binary runs it.
pub mod serve;
/// The component's settings, from its declaration to its environment;
/// public because the loader takes the operator's values.
pub mod settings;
/// The component's key-value state (`wasi:keyvalue`); public for `forget`
/// and the tests.
pub mod state;
/// Loading and swapping the component; public so that benchmarks load it
/// exactly as the server does.
pub mod swap;
/// The machine's time zone, which the host passes to every component as
/// `TZ`; public because the loader's caps carry it.
pub mod time_zone;
mod transport_http;
