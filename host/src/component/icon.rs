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

/// WIT's `icon` as the host's one [`Icon`] type, so that the icons of
/// tools, prompts, resources and the server convert to MCP in one place.
/// (bindgen's `with` can swap in a host type for a whole interface or a
/// resource, not for one record; the catalogue's bindings share these.)
impl From<super::offerings::bindings::dex::crm::content::Icon> for Icon {
    fn from(icon: super::offerings::bindings::dex::crm::content::Icon) -> Self {
        use super::offerings::bindings::dex::crm::content::IconTheme as WitTheme;
        Self {
            src: icon.src,
            mime_type: icon.mime_type,
            sizes: icon.sizes,
            theme: icon.theme.map(|theme| match theme {
                WitTheme::Light => IconTheme::Light,
                WitTheme::Dark => IconTheme::Dark,
            }),
        }
    }
}
