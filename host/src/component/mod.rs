//! The component side of the host: loading a `.wasm`, learning its tools
//! from its exports, and running one call in a fresh instance.

mod catalogue;
mod engine;
mod failure;
mod guest_log;
mod pool;
mod runner;
pub mod schema;
mod store;
pub mod wit_json;

pub use catalogue::ToolSpec;
pub use engine::{EngineLimits, new_engine};
pub use failure::GuestFailure;
pub use guest_log::{CallReports, GuestReport, ProgressReport};
pub use runner::{CallError, CallOutcome, CallPolicy, LoadedComponent, start_epoch_ticker};
pub use store::GuestContext;
