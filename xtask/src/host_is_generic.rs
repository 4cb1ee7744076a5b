//! The check that the host knows no Dex: no Dex tool name, CRM noun,
//! Dex header, credential format, URL or setting in `host/src`, outside
//! comments and `#[cfg(test)]` code.
//!
//! Everything Dex is the component's (`guest/`, `wit/`) or the
//! simulator's (`sim/`); the host serves whatever component it is given.
//! The check reads the Rust source as text: comments are dropped (string
//! literals kept, since that is where a message would name Dex), then
//! every item under `#[cfg(test)]`, then the project's own names
//! ([`ALLOWED_NAMES`]: `dex-mcp`, the `dex-sim` crate, the default
//! component file `dex_guest.wasm`, the bindings path of the catalogue). What is left is split into words (at anything but
//! letters and digits, and between a lower-case letter and an upper-case
//! one, so `find_contact`, `ContactWrites` and `x-hasura-dex-api-key` all
//! give their words) and compared with [`FORBIDDEN_WORDS`], the tool
//! names read from `wit/`, and [`FORBIDDEN_TEXT`].

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Words that only a Dex client would use: the API's and the CRM's.
pub const FORBIDDEN_WORDS: &[&str] = &[
    "dex",
    "getdex",
    "hasura",
    "crm",
    "contact",
    "contacts",
    "note",
    "notes",
    "reminder",
    "reminders",
    "birthday",
    "birthdays",
    "timeline",
];

/// Pieces of text, compared case-sensitively: Dex's credential format
/// and API paths, and the key's name.
pub const FORBIDDEN_TEXT: &[&str] = &[
    "Bearer {",
    "/api/rest",
    "/v1/",
    "api-key",
    "api_key",
    "ApiKey",
    "API_KEY",
];

/// The project's own names, removed before the words are compared: the
/// product, the simulator's crate, the default component's file, and the
/// paths wasmtime's `bindgen!` gives the typed bindings of
/// `wit/catalogue.wit`, `wit/prompts.wit`, `wit/resources.wit` and their
/// shared `wit/content.wit`, which the catalogue's bindings take from the
/// prompts' (the WIT package's name; the host finds each
/// interface by its bare name, whatever a component's package).
const ALLOWED_NAMES: &[&str] = &[
    "dex-mcp",
    "dex_mcp",
    "dex-sim",
    "dex_sim",
    "dex_guest.wasm",
    "dex:crm/catalogue@0.1.0",
    "exports::dex::crm::catalogue",
    "dex:crm/prompts@0.1.0",
    "exports::dex::crm::prompts",
    "dex:crm/resources@0.1.0",
    "exports::dex::crm::resources",
    "bindings::dex::crm::content",
    "dex:crm/content",
];

/// One forbidden word or text found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The file, relative to the workspace.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// What was found.
    pub what: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.what)
    }
}

/// Fails, listing every finding, unless `host/src` is free of Dex.
pub fn check(workspace: &Path) -> Result<()> {
    let findings = findings(workspace)?;
    if findings.is_empty() {
        eprintln!("xtask: host/src names no Dex tool, noun, header, URL or setting");
        return Ok(());
    }
    for finding in &findings {
        eprintln!("{finding}");
    }
    bail!(
        "host/src knows Dex in {} places (outside comments and tests); move that knowledge to \
         the component (guest/, wit/) or the simulator (sim/)",
        findings.len()
    )
}

/// Every finding in `host/src`.
pub fn findings(workspace: &Path) -> Result<Vec<Finding>> {
    let tools = tool_names(&workspace.join("wit"))?;
    let mut files = Vec::new();
    rust_files(&workspace.join("host").join("src"), &mut files)?;
    files.sort();
    let mut findings = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        let relative = file.strip_prefix(workspace).unwrap_or(&file).to_path_buf();
        for (line, what) in scan(&source, &tools) {
            findings.push(Finding {
                file: relative.clone(),
                line,
                what,
            });
        }
    }
    Ok(findings)
}

/// What `source` names of Dex, by line: forbidden words, tool names and
/// texts, in the code that is neither comment nor test.
pub fn scan(source: &str, tools: &[String]) -> Vec<(usize, String)> {
    let code = without_test_items(&without_comments(source));
    let mut found = Vec::new();
    for (index, line) in code.lines().enumerate() {
        let mut line = line.to_owned();
        for text in FORBIDDEN_TEXT {
            if line.contains(text) {
                found.push((index + 1, format!("`{text}`")));
            }
        }
        let lower = line.to_ascii_lowercase();
        for tool in tools {
            if lower.contains(tool.as_str()) || lower.contains(&tool.replace('-', "_")) {
                found.push((index + 1, format!("the tool name `{tool}`")));
            }
        }
        for name in ALLOWED_NAMES {
            line = replace_ignoring_case(&line, name);
        }
        for word in words(&line) {
            if FORBIDDEN_WORDS.contains(&word.as_str()) {
                found.push((index + 1, format!("the word `{word}`")));
            }
        }
    }
    found
}

/// The names of the Dex component's tools (kebab-case), read from `wit/`
/// the way its catalogue is built ([`tool_docs::read`]).
pub fn tool_names(wit: &Path) -> Result<Vec<String>> {
    let tools = tool_docs::read(wit, "dex-tools")
        .map_err(|e| anyhow::anyhow!("reading the tools of {}: {e}", wit.display()))?;
    let mut names: Vec<String> = tools.into_iter().map(|tool| tool.name).collect();
    names.sort();
    if names.is_empty() {
        bail!("found no tool function in {}", wit.display());
    }
    Ok(names)
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            rust_files(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

/// `source` with every comment replaced by spaces (line breaks kept),
/// string and character literals untouched.
pub fn without_comments(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if let Some(end) = literal_end(&chars, i) {
            out.extend(&chars[i..end]);
            i = end;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Where the string or character literal starting at `i` ends (one past
/// its last character), if one starts there.
fn literal_end(chars: &[char], i: usize) -> Option<usize> {
    let at = |k: usize| chars.get(k).copied();
    // An identifier ending in r or b (`for`, `sub`) starts no literal.
    let follows_word = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    let mut start = i;
    if !follows_word && at(start) == Some('b') {
        start += 1;
    }
    if !follows_word && at(start) == Some('r') && matches!(at(start + 1), Some('"' | '#')) {
        let mut hashes = 0;
        let mut k = start + 1;
        while at(k) == Some('#') {
            hashes += 1;
            k += 1;
        }
        if at(k) != Some('"') {
            return None;
        }
        k += 1;
        while k < chars.len() {
            if chars[k] == '"' && (1..=hashes).all(|h| at(k + h) == Some('#')) {
                return Some(k + 1 + hashes);
            }
            k += 1;
        }
        return Some(chars.len());
    }
    match at(start) {
        Some('"') if start == i || !follows_word => {
            let mut k = start + 1;
            while k < chars.len() {
                match chars[k] {
                    '\\' => k += 2,
                    '"' => return Some(k + 1),
                    _ => k += 1,
                }
            }
            Some(chars.len())
        }
        Some('\'') => {
            // A character literal ('x', '\n', '\u{1F600}'), not a lifetime.
            if at(start + 1) == Some('\\') {
                let mut k = start + 2;
                while k < chars.len() && chars[k] != '\'' {
                    k += 1;
                }
                Some(k + 1)
            } else if at(start + 2) == Some('\'') {
                Some(start + 3)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `code` (comments gone) with every item under `#[cfg(test)]` replaced
/// by spaces, line breaks kept.
pub fn without_test_items(code: &str) -> String {
    const MARK: &str = "#[cfg(test)]";
    let chars: Vec<char> = code.chars().collect();
    let mut out: Vec<char> = chars.clone();
    let mut from = 0;
    while let Some(found) = find(&chars, MARK, from) {
        // The item ends at the first `;` or at the `}` closing the first
        // `{`, outside literals.
        let mut i = found + MARK.chars().count();
        let mut depth = 0usize;
        let end = loop {
            if i >= chars.len() {
                break chars.len();
            }
            if let Some(literal) = literal_end(&chars, i) {
                i = literal;
                continue;
            }
            match chars[i] {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break i + 1;
                    }
                }
                ';' if depth == 0 => break i + 1,
                _ => {}
            }
            i += 1;
        };
        for c in &mut out[found..end] {
            if *c != '\n' {
                *c = ' ';
            }
        }
        from = end;
    }
    out.into_iter().collect()
}

fn find(chars: &[char], needle: &str, from: usize) -> Option<usize> {
    let needle: Vec<char> = needle.chars().collect();
    (from..chars.len().saturating_sub(needle.len() - 1))
        .find(|&i| chars[i..i + needle.len()] == needle[..])
}

fn replace_ignoring_case(line: &str, name: &str) -> String {
    let lower = line.to_ascii_lowercase();
    let mut out = String::with_capacity(line.len());
    let mut rest = 0;
    while let Some(at) = lower[rest..].find(name) {
        out.push_str(&line[rest..rest + at]);
        out.push_str(&" ".repeat(name.len()));
        rest += at + name.len();
    }
    out.push_str(&line[rest..]);
    out
}

/// The words of `text`, lower-cased: split at anything but letters and
/// digits, and where a lower-case letter or digit meets an upper-case one.
pub fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
        } else {
            let boundary = c.is_ascii_uppercase()
                && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if boundary && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            word.push(c.to_ascii_lowercase());
        }
        previous = Some(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tools() -> Vec<String> {
        vec!["find-contact".to_owned(), "list-note-types".to_owned()]
    }

    fn flagged(source: &str) -> Vec<String> {
        scan(source, &tools()).into_iter().map(|(_, w)| w).collect()
    }

    #[test]
    fn words_split_at_case_and_punctuation() {
        assert_eq!(words("find_contact"), ["find", "contact"]);
        assert_eq!(words("ContactWrites"), ["contact", "writes"]);
        assert_eq!(
            words("x-hasura-dex-api-key"),
            ["x", "hasura", "dex", "api", "key"]
        );
        assert_eq!(
            words("ComponentExportIndex v1"),
            ["component", "export", "index", "v1"]
        );
    }

    #[test]
    fn dex_in_strings_and_names_is_found() {
        assert_eq!(flagged(r#"let s = "the Dex answer";"#), ["the word `dex`"]);
        assert_eq!(flagged("fn note_types() {}"), ["the word `note`"]);
        assert!(
            flagged(r#"let t = "find_contact";"#)
                .contains(&"the tool name `find-contact`".to_owned())
        );
        assert!(flagged(r#"h("x-hasura-dex-api-key")"#).contains(&"the word `hasura`".to_owned()));
        assert!(flagged(r#"format!("Bearer {}", key)"#).contains(&"`Bearer {`".to_owned()));
        assert!(
            flagged(r#"const U: &str = "https://api.getdex.com/api/rest";"#)
                .contains(&"`/api/rest`".to_owned())
        );
        assert!(flagged(r#"env = "DEX_API_KEY""#).contains(&"`API_KEY`".to_owned()));
    }

    #[test]
    fn comments_are_not_code() {
        assert!(flagged("// find_contact, the Dex tool\nlet x = 1;").is_empty());
        assert!(flagged("/* contacts /* nested */ notes */ let x = 1;").is_empty());
        assert!(flagged("/// Dex's header\nfn f() {}").is_empty());
    }

    #[test]
    fn a_string_holding_a_comment_marker_is_still_a_string() {
        assert_eq!(
            flagged(r#"let u = "http://x/"; let n = "contact";"#),
            ["the word `contact`"]
        );
        assert_eq!(
            flagged(r##"let r = r#"a // "b""#; let n = "dex";"##),
            ["the word `dex`"]
        );
        // A lifetime is no character literal, a quote in a char is no string.
        assert_eq!(
            flagged("fn f<'a>(x: &'a str) -> char { let q = '\"'; 'x' } // notes"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn test_items_are_not_code() {
        let source = "fn real() {}\n#[cfg(test)]\nmod tests {\n    fn t() { let s = \"}\"; \"find_contact\"; }\n}\nfn after() { \"dex\"; }\n";
        let found = scan(source, &tools());
        assert_eq!(found, [(6, "the word `dex`".to_owned())]);
        assert!(flagged("#[cfg(test)]\nuse crate::contact;\nfn x() {}").is_empty());
    }

    #[test]
    fn the_project_s_own_names_are_allowed() {
        assert!(flagged(r#"Implementation::new("dex-mcp", v); Registry::with_prefix("dex_mcp"); env = "DEX_MCP_LOG"; use dex_sim::demo; "/target/components/dex_guest.wasm""#).is_empty());
        assert_eq!(flagged(r#""DEX_API_BASE_URL""#), ["the word `dex`"]);
    }

    #[test]
    fn tool_names_come_from_the_wit_files() {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let names = tool_names(&workspace.join("wit")).unwrap();
        assert!(names.contains(&"find-contact".to_owned()), "{names:?}");
        assert!(!names.contains(&"describe".to_owned()), "{names:?}");
        assert!(!names.contains(&"upstream".to_owned()), "{names:?}");
    }

    #[test]
    fn the_host_is_free_of_dex() {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let findings = findings(&workspace).unwrap();
        let listed: Vec<String> = findings.iter().map(ToString::to_string).collect();
        assert!(listed.is_empty(), "{listed:#?}");
    }
}
