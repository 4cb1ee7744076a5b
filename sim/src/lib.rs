//! A simulated Dex API, for demos and offline tests.
//!
//! One loopback HTTP server answers both generations of the Dex API from
//! one shared store: v1 at `http://127.0.0.1:PORT/v1/...` and legacy
//! (Hasura REST) at `http://127.0.0.1:PORT/api/rest/...`. The data is a
//! seeded synthetic account ([`Dataset::generate`]) or a dataset file
//! ([`Dataset::load`]). Faults (latency, 5xx, 429, malformed bodies, dropped
//! connections, slow bodies) can be set per endpoint at start or while
//! running, and counters record what was served.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use dex_sim::{RunningSim, SimConfig};
//! let sim = RunningSim::start(SimConfig::default(), "127.0.0.1:0".parse().unwrap()).await?;
//! let base = sim.v1_base_url(); // GET {base}/v1/contacts with `Authorization: Bearer dex_sim_key`
//! # let _ = base;
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! From a plain test without a runtime, [`RunningSim::start_blocking`]
//! runs the server on a thread of its own. The control API under `/_sim`
//! (faults, counters, reset, state, answer shape) needs no key and only
//! answers loopback peers. v1 answers take Dex's reference shapes by
//! default and the older shapes behind [`SimConfig::shape`]. See `docs/simulator.md` for the routes and the assumptions made
//! where the real API is not documented.

#![deny(missing_docs)]

pub mod config;
pub mod counters;
pub mod dataset;
pub mod demo;
pub mod faults;
mod fold;
pub mod generate;
pub mod http;
mod ids;
pub mod model;
pub mod search;
pub mod server;
pub mod shape;
pub mod store;
mod timestamps;

pub use config::{DEFAULT_API_KEY, ListLinks, SimConfig, default_today, today_utc};
pub use counters::{Counters, EndpointCounters};
pub use dataset::{Dataset, DatasetError};
pub use faults::FaultRule;
pub use generate::{Generated, SeedFacts, generate};
pub use server::RunningSim;
pub use shape::AnswerShape;
