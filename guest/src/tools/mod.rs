//! The tools, one module per exported WIT interface (`wit/<interface>.wit`).
//!
//! A module holds its tools' adapters, which validate the arguments, call
//! the Dex layer and shape the answer as plain Rust (unit-tested natively,
//! without a runtime), and, compiled for wasm32 only, the interface's
//! `impl Guest`, which turns WIT values into the adapters' arguments and
//! their answers back into WIT values. The tools' prose is in the WIT doc
//! comments of their functions, from which [`catalogue`] is generated.
//! Adding a tool: docs/adding-a-tool.md.

pub mod catalogue;
pub mod contact_batches;
pub mod contact_lists;
pub mod contact_writes;
pub mod contacts;
pub mod custom_fields;
pub mod groups;
pub mod history;
pub mod keep_in_touch;
pub mod notes;
pub mod related_contacts;
pub mod reminders;
pub mod search;
pub mod tags;
