//! The pictures a component shows its tools (and itself) with: SVG files
//! in `wit/icons/`, named by a tool's `icon:` line, sent to clients as
//! `data:` URIs (WIT `types.icon`, MCP's `icons`).
//!
//! Every `tools/list` carries every tool's icon in full, so an icon is
//! held to [`MAX_URI_BYTES`] and written without what a picture does not
//! need (comments, line breaks, runs of spaces). Tools of one area share
//! one file; nothing is gained by drawing one per tool.

use std::path::Path;

/// The longest `data:` URI an icon may become. A listing of 50 tools
/// with an icon this size spends 16 KB on icons alone, so this is a
/// ceiling, not a target (ours are about half of it).
pub const MAX_URI_BYTES: usize = 320;

/// The directory of the pictures, inside the WIT directory.
pub const DIRECTORY: &str = "icons";

/// One picture, ready to be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Icon {
    /// The file's name without `.svg` (`contacts`).
    pub name: String,
    /// The picture as a `data:image/svg+xml,` URI.
    pub src: String,
}

impl Icon {
    /// Reads `<wit_dir>/icons/<name>.svg`; the error says what to fix.
    pub fn read(wit_dir: &Path, name: &str) -> Result<Self, String> {
        let path = wit_dir.join(DIRECTORY).join(format!("{name}.svg"));
        let svg = std::fs::read_to_string(&path)
            .map_err(|e| format!("icon `{name}`: cannot read {}: {e}", path.display()))?;
        let src = data_uri(&svg).map_err(|problem| format!("icon `{name}`: {problem}"))?;
        Ok(Self {
            name: name.to_owned(),
            src,
        })
    }
}

/// `svg` as a `data:image/svg+xml,` URI: one line, runs of white space
/// made one space, and percent-encoded where a URI may not hold the
/// character as it is (RFC 3986: `<`, `>`, `"`, `#`, `%`, space and the
/// like), so that a client's URL parser, strict or not, takes it.
pub fn data_uri(svg: &str) -> Result<String, String> {
    let compact = svg.split_whitespace().collect::<Vec<_>>().join(" ");
    let compact = compact.replace("> <", "><");
    if !compact.starts_with("<svg ") || !compact.ends_with("</svg>") {
        return Err("the file must hold one <svg ...>...</svg> element".to_owned());
    }
    if !compact.contains("xmlns='http://www.w3.org/2000/svg'")
        && !compact.contains("xmlns=\"http://www.w3.org/2000/svg\"")
    {
        return Err(
            "the <svg> element needs xmlns='http://www.w3.org/2000/svg', or clients show nothing"
                .to_owned(),
        );
    }
    if compact.contains("<!--") || compact.contains("<script") {
        return Err(
            "no comments and no scripts: a client shows the picture, nothing else".to_owned(),
        );
    }
    let mut uri = String::from("data:image/svg+xml,");
    for ch in compact.chars() {
        match ch {
            // Double quotes would be escaped in every JSON string that
            // carries the URI; single quotes need no escape anywhere.
            '"' => uri.push('\''),
            'A'..='Z' | 'a'..='z' | '0'..='9' => uri.push(ch),
            '-' | '.' | '_' | '~' | '!' | '$' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | ';'
            | '=' | ':' | '@' | '/' | '?' => uri.push(ch),
            other => {
                let mut bytes = [0; 4];
                for byte in other.encode_utf8(&mut bytes).bytes() {
                    uri.push_str(&format!("%{byte:02X}"));
                }
            }
        }
    }
    if uri.len() > MAX_URI_BYTES {
        return Err(format!(
            "it is {} bytes as a data: URI, over the {MAX_URI_BYTES} every tool listing can afford: draw it with fewer, shorter paths",
            uri.len()
        ));
    }
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">\n  <rect width=\"24\" height=\"24\" fill=\"#000\"/>\n</svg>\n";

    #[test]
    fn a_picture_becomes_one_encoded_line() {
        let uri = data_uri(SQUARE).unwrap();
        assert_eq!(
            uri,
            "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20viewBox='0%200%2024%2024'%3E%3Crect%20width='24'%20height='24'%20fill='%23000'/%3E%3C/svg%3E"
        );
        assert!(!uri.contains([' ', '"', '#', '<', '>', '\n']));
    }

    #[test]
    fn what_is_no_small_picture_is_refused() {
        let refused = [
            ("<div></div>", "one <svg"),
            ("<svg viewBox='0 0 1 1'></svg>", "xmlns"),
            (
                "<svg xmlns='http://www.w3.org/2000/svg'><!-- x --></svg>",
                "no comments",
            ),
        ];
        for (svg, problem) in refused {
            let err = data_uri(svg).unwrap_err();
            assert!(err.contains(problem), "{svg}: {err}");
        }
        let big = format!(
            "<svg xmlns='http://www.w3.org/2000/svg'><path d='{}'/></svg>",
            "M1 1".repeat(100)
        );
        assert!(data_uri(&big).unwrap_err().contains("over the 320"));
    }

    #[test]
    fn reading_names_the_missing_file() {
        let err = Icon::read(Path::new("/nowhere"), "bell").unwrap_err();
        assert!(
            err.contains("icon `bell`") && err.contains("/nowhere/icons/bell.svg"),
            "{err}"
        );
    }
}
