//! The WebAssembly face of the guest: WIT bindings and `wasi:http`.
//!
//! Only type conversions and the per-instance state live here; every
//! decision is made in the native modules so that it is tested without a
//! runtime. One file per exported interface; [`convert`] holds the
//! conversions they share, [`state`] the account kept between calls.

mod catalogue;
mod contact_writes;
mod contacts;
mod convert;
mod history;
mod notes;
mod reminders;
mod search;
mod state;
mod transport;

mod bindings {
    wit_bindgen::generate!({
        world: "dex-tools",
        path: "../wit",
    });
}

/// The type every export is implemented on.
struct Component;

bindings::export!(Component with_types_in bindings);
