//! The tools: thin adapters that validate arguments, call the Dex layer and
//! shape answers. Their descriptions live in [`catalogue`].

pub mod catalogue;
mod find_contact;
mod search_contacts_full_text;

pub use find_contact::{ContactMatch, ContactMatches, FindContactArgs, find_contact};
pub use search_contacts_full_text::{
    DEFAULT_MAX_RESULTS, DEFAULT_MIN_CONFIDENCE, FullTextArgs, FullTextResults, MAX_RESULTS_LIMIT,
    ValidArgs, search_contacts_full_text,
};
