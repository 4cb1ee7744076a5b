//! The pictures of `wit/icons/`, checked and encoded as `data:` URIs by
//! `build.rs`, one constant each, for what names its picture in code:
//! the server, the prompts and the resource templates. Tools name theirs
//! with the `icon:` line of their WIT comment (docs/adding-a-tool.md).

include!(concat!(env!("OUT_DIR"), "/icons.rs"));

/// A picture made into the WIT `icon` of a tool, a prompt, a resource
/// template or the server. The URI names its own MIME type and an SVG
/// scales, so no MIME type or size is added: every listing carries each
/// icon, and bytes said twice are bytes every session pays.
#[cfg(target_arch = "wasm32")]
pub(crate) fn wit(src: &str) -> crate::component::bindings::dex::crm::content::Icon {
    crate::component::bindings::dex::crm::content::Icon {
        src: src.into(),
        mime_type: None,
        sizes: Vec::new(),
        theme: None,
    }
}
