//! Shared set-up for the benchmarks.

pub mod bare_store;
pub mod generated_account;
pub mod native_http;
pub mod queries;
pub mod served_component;
