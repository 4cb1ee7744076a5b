//! Dex's legacy API (Hasura REST under `/api/rest`, `x-hasura-dex-api-key`
//! added by the host, one top-level key per query, `limit`/`offset`
//! paging), kept for users whose setup still points at it.
//!
//! It implements the same traits as [`super::v1`], so the tools cannot tell
//! the generations apart except where legacy lacks a feature, which the
//! implementations answer with a validation error naming the limitation.
//! `docs/dex-api-generations.md` maps one generation onto the other.

mod api;
mod client;
mod lists;
mod note_types;
mod wire;
mod wire_writes;
mod writes;

pub use client::LegacyClient;
pub use lists::LegacyLists;
pub use note_types::{KNOWN_NOTE_TYPES, known_note_types};
pub use writes::LegacyWriter;
