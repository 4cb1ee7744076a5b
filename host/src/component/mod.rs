//! The component side of the host: loading a `.wasm`, learning its tools
//! from its exports and what it says about itself, and running one call
//! in a warm or fresh instance.

mod catalogue;
mod engine;
mod failure;
mod guest_log;
mod icon;
mod interfaces;
mod maintenance;
pub mod offerings;
mod pool;
mod runner;
pub mod schema;
mod server;
mod store;
mod typed_export;
mod version;
pub mod wit_json;

pub use catalogue::{ToolHints, ToolSpec};
pub use engine::{EngineLimits, new_engine};
pub use failure::GuestFailure;
pub use guest_log::{CallReports, GuestReport, ProgressReport};
pub use icon::{Icon, IconTheme};
pub use maintenance::{MAINTENANCE_ENV, MaintenancePolicy, Outcome, Preparation, Schedule};
pub use runner::{
    CallError, CallOutcome, CallPolicy, LinkedComponent, LoadedComponent, start_epoch_ticker,
};
pub use server::{Description, Setting, SettingChoice};
pub use store::GuestContext;
pub use version::declared_version;
