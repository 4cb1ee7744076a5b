//! The doc-comment convention: what a tool function's (or an interface's)
//! WIT doc comment says, split into its parts.
//!
//! A tool function's comment is
//!
//! ```text
//! When to use the tool and what it answers, for the assistant; one or
//! more paragraphs.
//!
//! # Parameters
//!
//! - `contact-id`: what to pass and what it changes; an item may go on
//!   over several lines.
//!
//! # Tool
//!
//! title: Contact details
//! hints: read-only, idempotent, open-world
//! icon: contacts
//! ```
//!
//! `icon:` names a picture in `wit/icons/` (`contacts` is
//! `wit/icons/contacts.svg`); tools of one area share one, since every
//! listing sends each tool's icon in full.
//!
//! An interface's comment may hold a `# Parameters` list too, for the
//! parameters several of its functions share. Lines are unwrapped: the
//! lines of a paragraph or an item become one line of text, paragraphs
//! stay apart.

/// What a comment says, before it is checked against the function.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comment {
    /// The text before the first section, unwrapped; empty when none.
    pub description: String,
    /// `# Parameters`: (WIT name, description) in the order written.
    pub parameters: Vec<(String, String)>,
    /// `# Tool`, when the comment has that section.
    pub tool: Option<ToolSection>,
}

/// The `# Tool` section: what MCP shows beside the description.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolSection {
    /// `title:`.
    pub title: String,
    /// `hints:`, as the flags named.
    pub hints: Hints,
    /// `icon:`, the name of a picture in `wit/icons/`.
    pub icon: String,
}

/// MCP's behaviour hints; a hint not named is false.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hints {
    /// `read-only`: the tool changes nothing anywhere.
    pub read_only: bool,
    /// `destructive`: it may delete or overwrite what cannot be recovered.
    pub destructive: bool,
    /// `idempotent`: twice with the same arguments does what once does.
    pub idempotent: bool,
    /// `open-world`: it talks to a service outside the component.
    pub open_world: bool,
}

/// The sections a comment may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sections {
    /// A tool function's: `# Parameters` and `# Tool`.
    Function,
    /// An interface's: `# Parameters` only.
    Interface,
}

/// Splits `text` (a doc comment without its `///`) into its parts; every
/// line that breaks the convention is one message.
pub fn parse(text: &str, allowed: Sections) -> Result<Comment, Vec<String>> {
    let mut problems = Vec::new();
    let mut comment = Comment::default();
    let mut description = Vec::new();
    let mut parameters: Vec<(String, Vec<&str>)> = Vec::new();
    let mut tool_lines = Vec::new();
    let mut section = Section::Description;
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("# ") {
            section = match (heading.trim(), allowed) {
                ("Parameters", _) => Section::Parameters,
                ("Tool", Sections::Function) => Section::Tool,
                (other, _) => {
                    let known = match allowed {
                        Sections::Function => "`# Parameters` and `# Tool`",
                        Sections::Interface => "`# Parameters`",
                    };
                    problems.push(format!("unknown section `# {other}` (known: {known})"));
                    Section::Unknown
                }
            };
            continue;
        }
        match section {
            Section::Description => description.push(line),
            Section::Parameters => parameter_line(line, &mut parameters, &mut problems),
            Section::Tool => tool_lines.push(line),
            Section::Unknown => {}
        }
    }
    comment.description = unwrap(&description);
    for (name, lines) in parameters {
        let text = unwrap(&lines);
        if text.is_empty() {
            problems.push(format!("parameter `{name}` has an empty description"));
        }
        if comment.parameters.iter().any(|(n, _)| *n == name) {
            problems.push(format!("parameter `{name}` is described twice"));
        }
        comment.parameters.push((name, text));
    }
    if allowed == Sections::Function && section_seen(text, "Tool") {
        match tool_section(&tool_lines) {
            Ok(tool) => comment.tool = Some(tool),
            Err(mut more) => problems.append(&mut more),
        }
    }
    if problems.is_empty() {
        Ok(comment)
    } else {
        Err(problems)
    }
}

#[derive(Clone, Copy)]
enum Section {
    Description,
    Parameters,
    Tool,
    Unknown,
}

fn section_seen(text: &str, name: &str) -> bool {
    text.lines()
        .any(|l| l.strip_prefix("# ").is_some_and(|h| h.trim() == name))
}

/// One line of a `# Parameters` list: a new item (`` - `name`: text ``),
/// the continuation of the last one, or a blank line.
fn parameter_line<'a>(
    line: &'a str,
    parameters: &mut Vec<(String, Vec<&'a str>)>,
    problems: &mut Vec<String>,
) {
    if let Some(item) = line.strip_prefix("- ") {
        let parsed = item
            .strip_prefix('`')
            .and_then(|rest| rest.split_once("`:"))
            .filter(|(name, _)| !name.is_empty() && !name.contains(char::is_whitespace));
        match parsed {
            Some((name, text)) => parameters.push((name.to_owned(), vec![text])),
            None => problems.push(format!(
                "`{line}` is not a parameter item: write - `name`: what it means"
            )),
        }
    } else if line.trim().is_empty() {
        if let Some((_, lines)) = parameters.last_mut() {
            lines.push("");
        }
    } else if let Some((_, lines)) = parameters.last_mut() {
        lines.push(line);
    } else {
        problems.push(format!(
            "`{}` comes before the first parameter item of `# Parameters`",
            line.trim()
        ));
    }
}

/// The problem of a `# Tool` section without an `icon:` line. The caller,
/// which sees the whole interface and `wit/icons/`, replaces it with the
/// line to add ([`crate::read`]).
pub const MISSING_ICON: &str = "`# Tool` has no `icon:` line";

/// The `title:`, `hints:` and `icon:` lines.
fn tool_section(lines: &[&str]) -> Result<ToolSection, Vec<String>> {
    let mut problems = Vec::new();
    let mut title = None;
    let mut hints = None;
    let mut icon = None;
    let (mut title_seen, mut hints_seen) = (false, false);
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        match line.split_once(':') {
            Some(("title", text)) => {
                title_seen = true;
                match text.trim() {
                    "" => problems.push("`title:` is empty".to_owned()),
                    text => title = Some(text.to_owned()),
                }
            }
            Some(("hints", list)) => {
                hints_seen = true;
                match parse_hints(list) {
                    Ok(parsed) => hints = Some(parsed),
                    Err(problem) => problems.push(problem),
                }
            }
            Some(("icon", name)) => match name.trim() {
                name if is_icon_name(name) => icon = Some(name.to_owned()),
                name => problems.push(format!(
                    "`icon: {name}` names no picture: write the name of a file in wit/icons/ without `.svg` (lower-case letters, digits and `-`)"
                )),
            },
            _ => problems.push(format!(
                "`{line}` in `# Tool`: write `title: ...`, `hints: ...` and `icon: ...`"
            )),
        }
    }
    if !title_seen {
        problems.push("`# Tool` has no `title:` line".to_owned());
    }
    if !hints_seen {
        problems.push(
            "`# Tool` has no `hints:` line (read-only, destructive, idempotent, open-world, or none)"
                .to_owned(),
        );
    }
    if icon.is_none() && !problems.iter().any(|p| p.starts_with("`icon:")) {
        problems.push(MISSING_ICON.to_owned());
    }
    match (title, hints, icon, problems.is_empty()) {
        (Some(title), Some(hints), Some(icon), true) => Ok(ToolSection { title, hints, icon }),
        _ => Err(problems),
    }
}

/// A name that can only be a file directly in `wit/icons/`.
fn is_icon_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn parse_hints(list: &str) -> Result<Hints, String> {
    let mut hints = Hints::default();
    if list.trim() == "none" {
        return Ok(hints);
    }
    for hint in list.split(',').map(str::trim) {
        let flag = match hint {
            "read-only" => &mut hints.read_only,
            "destructive" => &mut hints.destructive,
            "idempotent" => &mut hints.idempotent,
            "open-world" => &mut hints.open_world,
            other => {
                return Err(format!(
                    "unknown hint `{other}` (known: read-only, destructive, idempotent, open-world, or none)"
                ));
            }
        };
        if *flag {
            return Err(format!("hint `{hint}` is named twice"));
        }
        *flag = true;
    }
    Ok(hints)
}

/// The lines of paragraphs as text: the lines of one paragraph joined by
/// spaces, paragraphs by a blank line, ends trimmed.
fn unwrap(lines: &[&str]) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in lines.iter().map(|l| l.trim()) {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "Everything about one contact in one call: all\ncontact fields.\n\nUse it after find_contact.\n\n# Parameters\n\n- `contact-id`: The contact's id,\n  from find_contact.\n- `cursor`: The next page.\n\n# Tool\n\ntitle: Contact details\nhints: read-only, idempotent, open-world\nicon: contacts";

    #[test]
    fn a_full_comment_splits_into_unwrapped_parts() {
        let comment = parse(FULL, Sections::Function).unwrap();
        assert_eq!(
            comment.description,
            "Everything about one contact in one call: all contact fields.\n\nUse it after find_contact."
        );
        assert_eq!(
            comment.parameters,
            [
                (
                    "contact-id".to_owned(),
                    "The contact's id, from find_contact.".to_owned()
                ),
                ("cursor".to_owned(), "The next page.".to_owned()),
            ]
        );
        let tool = comment.tool.unwrap();
        assert_eq!(tool.title, "Contact details");
        assert_eq!(tool.icon, "contacts");
        assert_eq!(
            tool.hints,
            Hints {
                read_only: true,
                destructive: false,
                idempotent: true,
                open_world: true,
            }
        );
    }

    #[test]
    fn no_hints_is_said_with_none_and_no_tool_section_is_not_an_error_here() {
        let comment = parse(
            "Adds.\n\n# Tool\ntitle: Add\nhints: none\nicon: add",
            Sections::Function,
        );
        assert_eq!(comment.unwrap().tool.unwrap().hints, Hints::default());
        assert_eq!(parse("Adds.", Sections::Function).unwrap().tool, None);
    }

    #[test]
    fn every_break_of_the_convention_is_reported() {
        let text = "Text.\n\n# Params\n- x\n# Parameters\nstray\n- `a`: one\n- `a`: two\n- `b`:\n- not an item\n# Tool\ntitle:\nhints: read-only, fast\ncolour: red\nicon: ../secret";
        let problems = parse(text, Sections::Function).unwrap_err();
        let expected = [
            "unknown section `# Params`",
            "`stray` comes before the first parameter item",
            "`- not an item` is not a parameter item",
            "parameter `a` is described twice",
            "parameter `b` has an empty description",
            "unknown hint `fast`",
            "`colour: red` in `# Tool`",
            "`title:` is empty",
            "`icon: ../secret` names no picture",
        ];
        for fragment in expected {
            assert!(
                problems.iter().any(|p| p.contains(fragment)),
                "no problem says {fragment:?}: {problems:#?}"
            );
        }
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    }

    #[test]
    fn an_interface_may_only_share_parameters() {
        let shared = parse(
            "Tools that read.\n\n# Parameters\n- `cursor`: The next page.",
            Sections::Interface,
        )
        .unwrap();
        assert_eq!(shared.description, "Tools that read.");
        assert_eq!(shared.parameters.len(), 1);
        let problems = parse("# Tool\ntitle: x\nhints: none", Sections::Interface).unwrap_err();
        assert!(
            problems[0].contains("known: `# Parameters`)"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_tool_section_needs_all_three_lines() {
        let problems = parse("T.\n# Tool\n", Sections::Function).unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].contains("no `title:` line")
                && problems[1].contains("no `hints:` line")
                && problems[2].contains("no `icon:` line")
        );
    }

    #[test]
    fn a_hint_named_twice_is_refused() {
        let problems = parse(
            "T.\n# Tool\ntitle: T\nhints: idempotent, idempotent\nicon: t",
            Sections::Function,
        )
        .unwrap_err();
        assert!(problems[0].contains("named twice"), "{problems:?}");
    }
}
