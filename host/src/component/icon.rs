//! The WIT `icon` record (`wit/types.wit`): a picture a component gives
//! whatever it offers (its tools, itself as a server, and prompts and
//! resources alike), read as a typed value wherever it appears. One Rust
//! type for every place, so that one conversion turns it into MCP's
//! `icons` ([`crate::mcp::icons`]).

use wasmtime::component::{ComponentType, Lift, Lower};

/// `icon-theme`: the background an icon is drawn for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ComponentType, Lift, Lower)]
#[component(enum)]
#[repr(u8)]
pub enum IconTheme {
    /// A light background.
    #[component(name = "light")]
    Light,
    /// A dark background.
    #[component(name = "dark")]
    Dark,
}

/// `icon`: one picture, as the component wrote it; the host passes it on
/// unchanged and judges nothing in it but that it says where the picture
/// is.
#[derive(Debug, Clone, PartialEq, Eq, ComponentType, Lift, Lower)]
#[component(record)]
pub struct Icon {
    /// A `data:` URI holding the picture, or a URL a client may fetch.
    pub src: String,
    /// Its MIME type, when `src` does not say it.
    #[component(name = "mime-type")]
    pub mime_type: Option<String>,
    /// `WxH` or `any`; empty when unknown.
    pub sizes: Vec<String>,
    /// The background it is drawn for; `None` for any.
    pub theme: Option<IconTheme>,
}
