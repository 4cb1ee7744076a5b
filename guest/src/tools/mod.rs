//! The tools: thin adapters that validate arguments, call the Dex layer and
//! shape answers. Their descriptions live in [`catalogue`].

pub mod catalogue;
mod find_contact;

pub use find_contact::{ContactMatch, ContactMatches, FindContactArgs, find_contact};
