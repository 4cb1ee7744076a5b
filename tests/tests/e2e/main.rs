//! End-to-end: the real `dex-mcp` binary, real components, the simulated
//! Dex, and rmcp's MCP client over stdio.

mod account_read;
mod cache;
mod component_settings;
mod consent;
mod doctor;
mod exposure;
mod find_contact;
mod guest_reports;
mod history;
mod http;
mod legacy;
mod limits;
mod lost_creates;
mod metrics;
mod oci;
mod prompts_resources;
mod protocol;
mod sandbox;
mod search_paging;
mod state;
mod state_redis;
mod streamed_limits;
mod swap;
mod tool_matrix;
mod writes;
