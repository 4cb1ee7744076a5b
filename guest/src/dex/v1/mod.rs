//! Dex's current API (`/v1/...`, bearer key, `{error, data}` envelope,
//! take/cursor paging).

mod client;
mod wire;

pub use client::V1Client;
