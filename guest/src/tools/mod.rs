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
pub mod groups;
pub mod history;
pub mod keep_in_touch;
pub mod notes;
pub mod reminders;
pub mod search;
pub mod tags;

/// A picture made into the WIT `icon` of a tool or of the server (the
/// `data:` URIs `build.rs` makes from `wit/icons/`). The URI names its own
/// MIME type and an SVG scales, so no MIME type is added: every listing
/// carries each icon, and bytes said twice are bytes every session pays.
#[cfg(target_arch = "wasm32")]
pub(crate) fn icon(src: &str) -> crate::component::bindings::dex::crm::types::Icon {
    crate::component::bindings::dex::crm::types::Icon {
        src: src.into(),
        mime_type: None,
        sizes: Vec::new(),
        theme: None,
    }
}
