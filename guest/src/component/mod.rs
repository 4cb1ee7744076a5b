//! The WebAssembly side of the guest: WIT bindings, `wasi:http`, and what
//! an instance keeps between calls.
//!
//! Each exported interface's `impl Guest` lives with its tools in
//! [`crate::tools`]; what they share is here: the bindings and the type
//! they are implemented on, [`convert`] for the conversions between the
//! guest's types and the WIT ones that several interfaces use, [`state`]
//! for the account kept between calls, [`stored`] for its copy in the
//! host's key-value store, [`maintenance`] for the host's passes that keep
//! it current between calls, and [`transport`] for HTTP.

pub(crate) mod convert;
mod maintenance;
pub(crate) mod state;
pub(crate) mod stored;
pub(crate) mod transport;

pub(crate) mod bindings {
    wit_bindgen::generate!({
        world: "dex-tools",
        path: "../wit",
        // The key-value import is generated here; wasi:http and
        // wasi:cli come from the `wasi` crate and std.
        with: { "wasi:keyvalue/store@0.2.0-draft": generate },
    });
}

/// The type every export is implemented on.
pub(crate) struct Component;

bindings::export!(Component with_types_in bindings);
