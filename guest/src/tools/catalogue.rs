//! What each tool is for, in the words an assistant reads: the data behind
//! the `catalogue` interface of `wit/catalogue.wit`.
//!
//! Nothing here is written by hand: `build.rs` generates [`CATALOGUE`]
//! from the WIT doc comments of the tool functions (description,
//! `# Parameters`, `# Tool` with title, hints and icon; the convention is in
//! `tool-docs/src/comment.rs`), and fails the build when a tool or a
//! parameter has no description.

/// MCP behaviour hints of one tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ToolHints {
    /// Changes nothing.
    pub read_only: bool,
    /// May destroy data.
    pub destructive: bool,
    /// Repeating it changes nothing more.
    pub idempotent: bool,
    /// Talks to Dex.
    pub open_world: bool,
}

/// The description of one tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolDoc {
    /// WIT name of the exported function (kebab-case).
    pub name: &'static str,
    /// Short title.
    pub title: &'static str,
    /// The picture of the tool's area, as a `data:` URI (from the file
    /// in `wit/icons/` its `icon:` line names).
    pub icon: &'static str,
    /// When to use it and what it returns.
    pub description: &'static str,
    /// Behaviour hints.
    pub hints: ToolHints,
    /// `(parameter, description)` pairs in call order, WIT names.
    pub parameters: &'static [(&'static str, &'static str)],
    /// `(path, description)` of the documented fields of the answer
    /// (`tool_docs::answer`).
    pub answer_fields: &'static [(&'static str, &'static str)],
}

/// Every tool the component exports, in the order of the world's exports
/// and of the functions in each interface.
pub static CATALOGUE: &[ToolDoc] = include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// The `catalogue` export: [`CATALOGUE`] as WIT values; compiled for the
/// component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use super::CATALOGUE;
    use crate::component::Component;
    use crate::component::bindings::exports::dex::crm::catalogue;

    impl catalogue::Guest for Component {
        fn describe() -> Vec<catalogue::ToolDoc> {
            CATALOGUE
                .iter()
                .map(|doc| catalogue::ToolDoc {
                    name: doc.name.into(),
                    title: doc.title.into(),
                    icons: vec![crate::icons::wit(doc.icon)],
                    description: doc.description.into(),
                    hints: catalogue::ToolHints {
                        read_only: doc.hints.read_only,
                        destructive: doc.hints.destructive,
                        idempotent: doc.hints.idempotent,
                        open_world: doc.hints.open_world,
                    },
                    parameters: doc
                        .parameters
                        .iter()
                        .map(|(name, description)| catalogue::ParameterDoc {
                            name: (*name).into(),
                            description: (*description).into(),
                        })
                        .collect(),
                    answer_fields: doc
                        .answer_fields
                        .iter()
                        .map(|(path, description)| catalogue::FieldDoc {
                            path: (*path).into(),
                            description: (*description).into(),
                        })
                        .collect(),
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_documents_every_parameter_once() {
        for tool in CATALOGUE {
            let mut names: Vec<_> = tool.parameters.iter().map(|(n, _)| *n).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(
                names.len(),
                tool.parameters.len(),
                "{} repeats a parameter",
                tool.name
            );
            assert!(tool.parameters.iter().all(|(_, d)| !d.is_empty()));
            assert!(!tool.description.is_empty() && !tool.title.is_empty());
            assert!(
                tool.icon.starts_with("data:image/svg+xml,"),
                "{}",
                tool.name
            );
        }
    }

    #[test]
    fn reads_are_read_only_deletes_destructive_and_creates_not_idempotent() {
        for tool in CATALOGUE {
            let name = tool.name;
            let hints = tool.hints;
            assert!(hints.open_world, "{name}: every tool talks to Dex");
            let writes = [
                "create-",
                "update-",
                "delete-",
                "merge-",
                "enrich-",
                "add-",
                "complete-",
                "set-",
                "mark-",
                // Tags and groups: putting them on, taking them off.
                "rename-",
                "tag-",
                "untag-",
                "remove-",
                // Contacts in batches.
                "archive-",
                "unarchive-",
                "star-",
                "unstar-",
                // Related contacts.
                "relate-",
                "unrelate-",
            ]
            .iter()
            .any(|verb| name.starts_with(verb));
            assert_eq!(hints.read_only, !writes, "{name}");
            let destructive = name.starts_with("delete-") || name == "merge-contacts";
            assert_eq!(hints.destructive, destructive, "{name}");
            if destructive {
                assert!(
                    tool.parameters.iter().any(|(n, _)| *n == "confirm"),
                    "{name} destroys without a confirm parameter"
                );
            }
            // Adding contacts to a group sets a membership: repeating it
            // changes nothing more, unlike adding a note.
            let creates =
                name.starts_with("create-") || (name.starts_with("add-") && name != "add-to-group");
            assert_eq!(hints.idempotent, !creates && !destructive, "{name}");
        }
    }
}
