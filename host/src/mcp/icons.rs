//! WIT icons as MCP's `icons` (2025-11-25): the one conversion for every
//! place a component gives pictures (its tools and itself now; prompts
//! and resources once it offers them), so they all reach clients alike.

use rmcp::model::IconTheme as McpIconTheme;

use crate::component::{Icon, IconTheme};

/// `icons` as MCP lists them, or `None` (the field left out) when the
/// component gave none.
///
/// An icon whose `src` is empty says where no picture is; it is dropped
/// with a warning rather than sent to clients that would fetch nothing.
pub fn to_mcp(icons: &[Icon]) -> Option<Vec<rmcp::model::Icon>> {
    let icons: Vec<rmcp::model::Icon> = icons
        .iter()
        .filter(|icon| {
            let usable = !icon.src.trim().is_empty();
            if !usable {
                tracing::warn!("the component gave an icon with an empty `src`; it is left out");
            }
            usable
        })
        .map(|icon| {
            let mut mcp = rmcp::model::Icon::new(icon.src.clone());
            mcp.mime_type = icon.mime_type.clone();
            mcp.sizes = Some(icon.sizes.clone()).filter(|sizes| !sizes.is_empty());
            mcp.theme = icon.theme.map(|theme| match theme {
                IconTheme::Light => McpIconTheme::Light,
                IconTheme::Dark => McpIconTheme::Dark,
            });
            mcp
        })
        .collect();
    Some(icons).filter(|icons| !icons.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn icon(src: &str) -> Icon {
        Icon {
            src: src.into(),
            mime_type: None,
            sizes: Vec::new(),
            theme: None,
        }
    }

    #[test]
    fn every_field_given_is_carried_and_none_is_invented() {
        let full = Icon {
            mime_type: Some("image/png".into()),
            sizes: vec!["48x48".into()],
            theme: Some(IconTheme::Dark),
            ..icon("https://example.org/a.png")
        };
        let json = serde_json::to_value(to_mcp(&[full, icon("data:image/svg+xml,x")])).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"src": "https://example.org/a.png", "mimeType": "image/png", "sizes": ["48x48"], "theme": "dark"},
                {"src": "data:image/svg+xml,x"},
            ])
        );
    }

    #[test]
    fn no_usable_icon_leaves_the_field_out() {
        assert_eq!(to_mcp(&[]), None);
        assert_eq!(to_mcp(&[icon(" ")]), None);
    }
}
