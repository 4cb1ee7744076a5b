//! Integration tests of the simulated Dex API, one module per concern.

mod auth;
mod support;
mod v1_contacts;
