//! The tools of a WIT world with their prose, read from the WIT doc
//! comments.
//!
//! A tool's description, parameter descriptions, title and hints live
//! once, in the doc comment of its function in `wit/` (the convention is
//! in [`comment`]). This crate reads them with `wit-parser` and checks
//! them, so that what is built from them cannot drift apart: the guest's
//! build script turns them into the data of its `catalogue.describe()`
//! export, and `cargo xtask docs` into the README's tool table and
//! `docs/tools.md`. It fails on a tool without a description, title or
//! hints, a parameter without a description, and a parameter doc that
//! names no parameter.

pub mod answer;
pub mod comment;
pub mod icon;
mod wit_type;

use std::path::{Path, PathBuf};

use wit_parser::{Function, Interface, Resolve, WorldItem};

pub use comment::Hints;

/// Exported interfaces a host reads rather than serves: their functions
/// are not tools (`catalogue` describes the tools, `server` is what the
/// component says about itself, `self-check` is what `dex-mcp doctor`
/// runs, `prompts` and `resources` are served as MCP prompts and
/// resources). The host's own list is `NOT_TOOLS` in
/// `host/src/component/interfaces.rs`; a host test checks they agree.
pub const HOST_INTERFACES: &[&str] = &[
    "catalogue",
    "server",
    "self-check",
    "maintenance",
    "prompts",
    "resources",
];

/// One exported function as a tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolDoc {
    /// The WIT name of the interface that exports it (`history`).
    pub interface: String,
    /// The function's WIT name (`get-contact-details`).
    pub name: String,
    /// A short title for tool pickers.
    pub title: String,
    /// When to use it and what it answers, for the assistant.
    pub description: String,
    /// MCP's behaviour hints.
    pub hints: Hints,
    /// The `icon:` the comment names: the file's name in `wit/icons/`
    /// and its picture as a `data:` URI.
    pub icon: icon::Icon,
    /// Every parameter, in call order.
    pub parameters: Vec<ParameterDoc>,
    /// The doc comments of the fields of the tool's answer (the `ok` of
    /// its result), for the output schema of `--output-schemas full` and
    /// for docs/tools.md; see [`answer::fields`].
    pub answer_fields: Vec<answer::FieldDoc>,
}

/// One parameter of a tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterDoc {
    /// The WIT name (`contact-id`).
    pub name: String,
    /// What to pass and what it changes.
    pub description: String,
    /// The WIT type, without the `option<...>` of an optional parameter.
    pub wit_type: String,
    /// False for an `option<...>` parameter, which may be left out.
    pub required: bool,
}

impl ToolDoc {
    /// The MCP name: the WIT name with `-` as `_` (`get_contact_details`).
    pub fn mcp_name(&self) -> String {
        mcp_name(&self.name)
    }

    /// The first sentence of the description: up to the first `. `
    /// outside parentheses that a capital letter follows, or all of its
    /// first paragraph.
    pub fn summary(&self) -> &str {
        let paragraph = self.description.split("\n\n").next().unwrap_or_default();
        let bytes = paragraph.as_bytes();
        let mut depth = 0usize;
        for (at, byte) in bytes.iter().enumerate() {
            match byte {
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                b'.' if depth == 0
                    && bytes.get(at + 1) == Some(&b' ')
                    && bytes.get(at + 2).is_some_and(u8::is_ascii_uppercase) =>
                {
                    return &paragraph[..=at];
                }
                _ => {}
            }
        }
        paragraph
    }
}

/// A WIT name as MCP spells it: `-` becomes `_`.
pub fn mcp_name(wit_name: &str) -> String {
    wit_name.replace('-', "_")
}

/// Why the tools could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The WIT files do not parse or resolve.
    #[error("reading the WIT package in {dir}: {message}")]
    Wit {
        /// The directory read.
        dir: PathBuf,
        /// wit-parser's account, with file and line.
        message: String,
    },
    /// Doc comments break the convention; every problem is listed.
    #[error(
        "the WIT doc comments of {} tool(s) break the convention of tool-docs/src/comment.rs:\n{}",
        .0.len(),
        .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    )]
    Docs(Vec<Problem>),
}

/// What is wrong with the comment of one function or interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `interface.function`, or the interface alone.
    pub place: String,
    /// What to fix.
    pub messages: Vec<String>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "- {}:", self.place)?;
        for message in &self.messages {
            write!(f, "\n    {message}")?;
        }
        Ok(())
    }
}

/// The tools `world` exports, in the order of its exports and of the
/// functions in each interface, from the WIT package in `dir`.
pub fn read(dir: &Path, world: &str) -> Result<Vec<ToolDoc>, Error> {
    let wit_error = |e: &dyn std::fmt::Display| Error::Wit {
        dir: dir.to_owned(),
        message: format!("{e:#}"),
    };
    let mut resolve = Resolve::default();
    let (package, _) = resolve.push_dir(dir).map_err(|e| wit_error(&e))?;
    let world = resolve
        .select_world(&[package], Some(world))
        .map_err(|e| wit_error(&e))?;
    let mut tools = Vec::new();
    let mut problems = Vec::new();
    for item in resolve.worlds[world].exports.values() {
        let WorldItem::Interface { id, .. } = item else {
            continue;
        };
        let interface = &resolve.interfaces[*id];
        let Some(name) = interface.name.as_deref() else {
            continue;
        };
        if HOST_INTERFACES.contains(&name) {
            continue;
        }
        interface_tools(&resolve, dir, name, interface, &mut tools, &mut problems);
    }
    if problems.is_empty() {
        Ok(tools)
    } else {
        Err(Error::Docs(problems))
    }
}

/// The tools of one interface, or what is wrong with their comments.
fn interface_tools(
    resolve: &Resolve,
    dir: &Path,
    name: &str,
    interface: &Interface,
    tools: &mut Vec<ToolDoc>,
    problems: &mut Vec<Problem>,
) {
    let docs = interface.docs.contents.as_deref().unwrap_or_default();
    let shared = match comment::parse(docs, comment::Sections::Interface) {
        Ok(comment) => comment.parameters,
        Err(messages) => {
            problems.push(Problem {
                place: name.to_owned(),
                messages,
            });
            Vec::new()
        }
    };
    let unused: Vec<String> = shared
        .iter()
        .filter(|(param, _)| {
            !interface
                .functions
                .values()
                .any(|f| f.params.iter().any(|(p, _)| p == param))
        })
        .map(|(param, _)| {
            format!("the interface describes parameter `{param}`, which none of its functions has")
        })
        .collect();
    if !unused.is_empty() {
        problems.push(Problem {
            place: name.to_owned(),
            messages: unused,
        });
    }
    for function in interface.functions.values() {
        match tool(resolve, dir, name, function, &shared) {
            Ok(tool) => tools.push(tool),
            Err(messages) => problems.push(Problem {
                place: format!("{name}.{}", function.name),
                messages: messages
                    .into_iter()
                    .map(|message| match message.as_str() {
                        comment::MISSING_ICON => missing_icon(dir, name, interface),
                        _ => message,
                    })
                    .collect(),
            }),
        }
    }
}

/// What to write when a tool has no `icon:` line: the line itself, with
/// the picture the interface's other tools show, or else the pictures
/// there are. Tools are added in parallel branches, and a merge that
/// brings one without an icon should be fixed by reading the error.
fn missing_icon(dir: &Path, name: &str, interface: &Interface) -> String {
    let mut shown: Vec<String> = interface
        .functions
        .values()
        .filter_map(|f| {
            comment::parse(f.docs.contents.as_deref()?, comment::Sections::Function).ok()
        })
        .filter_map(|c| c.tool.map(|t| t.icon))
        .collect();
    shown.sort();
    shown.dedup();
    let add = |icon: &str| {
        format!(
            "add the line `/// icon: {icon}` below the `/// hints:` line of its `# Tool` section"
        )
    };
    match shown.as_slice() {
        [one] => format!(
            "{}: {} (the picture the other tools of `{name}` show)",
            comment::MISSING_ICON,
            add(one)
        ),
        _ => {
            let mut pictures: Vec<String> = std::fs::read_dir(dir.join(icon::DIRECTORY))
                .into_iter()
                .flatten()
                .filter_map(|entry| {
                    let file = entry.ok()?.file_name().into_string().ok()?;
                    file.strip_suffix(".svg").map(str::to_owned)
                })
                .collect();
            pictures.sort();
            format!(
                "{}: {}, NAME being one of the pictures in wit/icons/ ({}) or a new wit/icons/NAME.svg drawn for this area (docs/adding-a-tool.md)",
                comment::MISSING_ICON,
                add("NAME"),
                pictures.join(", ")
            )
        }
    }
}

/// One function as a tool: its own comment, with the interface's shared
/// parameter docs for the parameters it does not describe itself.
fn tool(
    resolve: &Resolve,
    dir: &Path,
    interface: &str,
    function: &Function,
    shared: &[(String, String)],
) -> Result<ToolDoc, Vec<String>> {
    let text = function.docs.contents.as_deref().unwrap_or_default();
    let comment = comment::parse(text, comment::Sections::Function)?;
    let mut problems = Vec::new();
    if comment.description.is_empty() {
        problems.push("no description: the comment's first paragraph says when to use the tool and what it answers".to_owned());
    }
    if comment.tool.is_none() {
        problems.push("no `# Tool` section with `title:`, `hints:` and `icon:`".to_owned());
    }
    let icon =
        comment
            .tool
            .as_ref()
            .and_then(|section| match icon::Icon::read(dir, &section.icon) {
                Ok(icon) => Some(icon),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            });
    for (name, _) in &comment.parameters {
        if !function.params.iter().any(|(p, _)| p == name) {
            problems.push(format!(
                "describes parameter `{name}`, which the function does not have"
            ));
        }
    }
    let mut parameters = Vec::new();
    for (name, ty) in &function.params {
        let own = comment.parameters.iter().find(|(n, _)| n == name);
        let description = own.or_else(|| shared.iter().find(|(n, _)| n == name));
        let Some((_, description)) = description else {
            problems.push(format!(
                "parameter `{name}` has no description: add - `{name}`: ... under `# Parameters`"
            ));
            continue;
        };
        let (wit_type, required) = wit_type::parameter(resolve, ty);
        parameters.push(ParameterDoc {
            name: name.clone(),
            description: description.clone(),
            wit_type,
            required,
        });
    }
    match (comment.tool, icon, problems.is_empty()) {
        (Some(section), Some(icon), true) => Ok(ToolDoc {
            interface: interface.to_owned(),
            name: function.name.clone(),
            title: section.title,
            description: comment.description,
            hints: section.hints,
            icon,
            parameters,
            answer_fields: answer::fields(resolve, function),
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WIT package in a fresh directory.
    fn package(files: &[(&str, &str)]) -> PathBuf {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("tool-docs-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const WORLD: &str =
        "package t:t@0.1.0;\nworld w {\n  export catalogue;\n  export history;\n}\n";
    const CATALOGUE: &str = "interface catalogue {\n  describe: func() -> string;\n}\n";
    const ICON: (&str, &str) = (
        "icons/page.svg",
        "<svg xmlns='http://www.w3.org/2000/svg'><rect width='1' height='1'/></svg>",
    );

    #[test]
    fn tools_come_with_their_prose_types_and_shared_parameters() {
        let history = "/// Reads.\n///\n/// # Parameters\n/// - `cursor`: The next page.\ninterface history {\n  record page { n: u32 }\n  /// One contact.\n  ///\n  /// # Parameters\n  /// - `contact-id`: The id.\n  /// - `kinds`: Which kinds.\n  ///\n  /// # Tool\n  /// title: Details\n  /// hints: read-only\n  /// icon: page\n  get-details: func(contact-id: string, cursor: option<string>, kinds: option<list<page>>) -> result<page, string>;\n}\n";
        let dir = package(&[
            ("world.wit", WORLD),
            ("catalogue.wit", CATALOGUE),
            ("history.wit", history),
            ICON,
        ]);
        let tools = read(&dir, "w").unwrap();
        assert_eq!(tools.len(), 1, "the catalogue is not a tool: {tools:#?}");
        let tool = &tools[0];
        assert_eq!(
            (tool.interface.as_str(), tool.name.as_str()),
            ("history", "get-details")
        );
        assert_eq!(tool.mcp_name(), "get_details");
        assert_eq!(tool.title, "Details");
        assert!(tool.hints.read_only && !tool.hints.open_world);
        assert_eq!(tool.icon.name, "page");
        assert!(tool.icon.src.starts_with("data:image/svg+xml,%3Csvg"));
        let params: Vec<_> = tool
            .parameters
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.wit_type.as_str(),
                    p.required,
                    p.description.as_str(),
                )
            })
            .collect();
        assert_eq!(
            params,
            [
                ("contact-id", "string", true, "The id."),
                ("cursor", "string", false, "The next page."),
                ("kinds", "list<page>", false, "Which kinds."),
            ]
        );
    }

    #[test]
    fn every_undocumented_tool_and_parameter_fails_the_read() {
        let history = "/// # Parameters\n/// - `page-size`: Unused.\ninterface history {\n  /// # Parameters\n  /// - `id`: The id.\n  /// - `idd`: A typo.\n  ///\n  /// # Tool\n  /// title: T\n  /// hints: none\n  /// icon: absent\n  no-description: func(id: string, other: u32);\n  untitled: func();\n}\n";
        let dir = package(&[
            ("world.wit", WORLD),
            ("catalogue.wit", CATALOGUE),
            ("history.wit", history),
        ]);
        let Err(Error::Docs(problems)) = read(&dir, "w") else {
            panic!("the read succeeded")
        };
        let text = Error::Docs(problems.clone()).to_string();
        for fragment in [
            "- history:\n    the interface describes parameter `page-size`, which none of its functions has",
            "- history.no-description:\n    no description",
            "describes parameter `idd`, which the function does not have",
            "parameter `other` has no description",
            "- history.untitled:\n    no description",
            "no `# Tool` section",
            "icon `absent`: cannot read",
        ] {
            assert!(text.contains(fragment), "{fragment:?} not in\n{text}");
        }
        assert_eq!(problems.len(), 3, "{text}");
    }

    #[test]
    fn the_answers_fields_are_documented_by_their_json_path() {
        let history = "interface history {\n  record entry {\n    /// The entry's\n    /// address.\n    email-address: string,\n    label: option<string>,\n  }\n  record person {\n    /// Every entry.\n    entries: list<entry>,\n    /// Who it is.\n    best-friend: option<entry>,\n  }\n  /// Reads.\n  ///\n  /// # Tool\n  /// title: T\n  /// hints: read-only\n  /// icon: page\n  get: func() -> result<person, string>;\n  /// Lists.\n  ///\n  /// # Tool\n  /// title: T\n  /// hints: read-only\n  /// icon: page\n  all: func() -> list<entry>;\n}\n";
        let dir = package(&[
            ("world.wit", WORLD),
            ("catalogue.wit", CATALOGUE),
            ("history.wit", history),
            ICON,
        ]);
        let tools = read(&dir, "w").unwrap();
        let paths = |tool: &ToolDoc| {
            tool.answer_fields
                .iter()
                .map(|f| format!("{}: {}", f.path, f.description))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            paths(&tools[0]),
            [
                "entries: Every entry.",
                "entries[].email_address: The entry's address.",
                "best_friend: Who it is.",
                "best_friend.email_address: The entry's address.",
            ]
        );
        assert_eq!(
            paths(&tools[1]),
            ["value[].email_address: The entry's address."]
        );
    }

    #[test]
    fn a_missing_icon_is_answered_with_the_line_to_add() {
        let tool = |name: &str, icon: &str| {
            format!(
                "  /// Reads.\n  ///\n  /// # Tool\n  /// title: T\n  /// hints: read-only\n{icon}  {name}: func();\n"
            )
        };
        let history = format!(
            "interface history {{\n{}{}}}\n",
            tool("shown", "  /// icon: page\n"),
            tool("bare", "")
        );
        let lone = format!("interface lone {{\n{}}}\n", tool("alone", ""));
        let world = "package t:t@0.1.0;\nworld w {\n  export history;\n  export lone;\n}\n";
        let dir = package(&[
            ("world.wit", world),
            ("history.wit", &history),
            ("lone.wit", &lone),
            ICON,
        ]);
        let Err(Error::Docs(problems)) = read(&dir, "w") else {
            panic!("the read succeeded")
        };
        let text = Error::Docs(problems).to_string();
        for fragment in [
            "- history.bare:\n    `# Tool` has no `icon:` line: add the line `/// icon: page` below the `/// hints:` line of its `# Tool` section (the picture the other tools of `history` show)",
            "- lone.alone:\n    `# Tool` has no `icon:` line: add the line `/// icon: NAME` below the `/// hints:` line of its `# Tool` section, NAME being one of the pictures in wit/icons/ (page) or",
        ] {
            assert!(text.contains(fragment), "{fragment:?} not in\n{text}");
        }
    }

    #[test]
    fn a_wit_error_names_the_directory() {
        let dir = package(&[("world.wit", "package t:t;\nworld w { export nowhere; }\n")]);
        let err = read(&dir, "w").unwrap_err().to_string();
        assert!(err.contains(&dir.display().to_string()), "{err}");
    }

    #[test]
    fn the_summary_is_the_first_sentence() {
        let tool = |description: &str| ToolDoc {
            interface: String::new(),
            name: String::new(),
            title: String::new(),
            description: description.to_owned(),
            hints: Hints::default(),
            icon: icon::Icon {
                name: String::new(),
                src: String::new(),
            },
            parameters: Vec::new(),
            answer_fields: Vec::new(),
        };
        assert_eq!(
            tool("Finds people (e.g. Ada). Then more.").summary(),
            "Finds people (e.g. Ada)."
        );
        assert_eq!(tool("One paragraph\n\nTwo.").summary(), "One paragraph");
    }
}
