//! The version a component declares about itself, for `--version` and the
//! start-up log.
//!
//! A component names its version in a custom section called `version`
//! (UTF-8 text): the convention `wasm-tools metadata` shows and OCI
//! tooling turns into an image's version annotation, which `cargo xtask
//! guest` stamps every component with. It is metadata, not an export, so a
//! host learns it without instantiating anything and a component without
//! it still loads.

/// The longest version text shown; anything longer is not a version.
const MAX_LEN: usize = 64;

/// The version `wasm` (a component's bytes) declares in its top-level
/// `version` section, if it declares one that reads as a version: UTF-8,
/// at most [`MAX_LEN`] bytes, visible characters only. A section inside a
/// nested module or component is its own, not this one's.
pub fn declared_version(wasm: &[u8]) -> Option<String> {
    let mut depth = 0usize;
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        match payload.ok()? {
            wasmparser::Payload::ModuleSection { .. }
            | wasmparser::Payload::ComponentSection { .. } => depth += 1,
            wasmparser::Payload::End(_) => {
                if depth == 0 {
                    return None;
                }
                depth -= 1;
            }
            wasmparser::Payload::CustomSection(section)
                if depth == 0 && section.name() == "version" =>
            {
                let text = std::str::from_utf8(section.data()).ok()?.trim();
                let readable = !text.is_empty()
                    && text.len() <= MAX_LEN
                    && text.chars().all(|c| c.is_ascii_graphic());
                return readable.then(|| text.to_owned());
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A component (text format) with a custom section `name` of `data`
    /// after its other sections.
    fn component_with(name: &str, data: &[u8], inner: &str) -> Vec<u8> {
        let mut bytes = wat::parse_str(format!("(component {inner})")).unwrap();
        let mut section = Vec::new();
        let put_len = |out: &mut Vec<u8>, mut n: usize| loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            out.push(if n == 0 { byte } else { byte | 0x80 });
            if n == 0 {
                break;
            }
        };
        put_len(&mut section, name.len());
        section.extend_from_slice(name.as_bytes());
        section.extend_from_slice(data);
        bytes.push(0);
        put_len(&mut bytes, section.len());
        bytes.extend_from_slice(&section);
        bytes
    }

    #[test]
    fn the_top_level_version_section_is_read() {
        let wasm = component_with("version", b"1.2.3", "");
        assert_eq!(declared_version(&wasm).as_deref(), Some("1.2.3"));
    }

    #[test]
    fn no_section_or_an_unreadable_one_declares_nothing() {
        let bare = wat::parse_str("(component)").unwrap();
        assert_eq!(declared_version(&bare), None);
        for data in [&b""[..], b"1.0 beta", &[0xff, 0xfe], &[b'9'; MAX_LEN + 1]] {
            let wasm = component_with("version", data, "");
            assert_eq!(declared_version(&wasm), None, "{data:?}");
        }
        let other = component_with("producers-ish", b"1.2.3", "");
        assert_eq!(declared_version(&other), None);
        assert_eq!(declared_version(b"not wasm at all"), None);
    }

    #[test]
    fn a_nested_module_s_version_is_not_the_component_s() {
        let wasm =
            wat::parse_str(r#"(component (core module (@custom "version" "9.9.9")))"#).unwrap();
        assert_eq!(declared_version(&wasm), None);
    }
}
