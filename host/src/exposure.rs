//! Which of the component's tools this server offers: all of them, a
//! subset chosen by name or by behaviour hint (`--tools`), and with
//! `--read-only` only the tools the component marks read-only.
//!
//! A tool left out is neither listed nor callable: a call to it is refused
//! here, before any instance runs, so `--read-only` is a guarantee the
//! operator can rely on, not a hint the client may ignore. A tool without
//! hints counts as not read-only: the host cannot promise what the
//! component did not.

use crate::component::{ToolHints, ToolSpec};

/// What the exposure rules look at in a tool.
#[derive(Debug, Clone, Copy)]
pub struct ToolFacts<'a> {
    /// The MCP name.
    pub name: &'a str,
    /// The component's hints, if it gave any.
    pub hints: Option<ToolHints>,
}

impl<'a> From<&'a ToolSpec> for ToolFacts<'a> {
    fn from(spec: &'a ToolSpec) -> Self {
        Self {
            name: &spec.name,
            hints: spec.hints,
        }
    }
}

/// One entry of `--tools`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Selector {
    /// A tool by its MCP name, as tools/list gives it.
    Name(String),
    /// Every tool with (or, negated, without) a behaviour hint.
    Hint { hint: Hint, present: bool },
}

/// The behaviour hints a selector may name, as MCP spells them in kebab
/// case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hint {
    ReadOnly,
    Destructive,
    Idempotent,
    OpenWorld,
}

impl Hint {
    const ALL: [(&'static str, Hint); 4] = [
        ("read-only", Hint::ReadOnly),
        ("destructive", Hint::Destructive),
        ("idempotent", Hint::Idempotent),
        ("open-world", Hint::OpenWorld),
    ];

    fn of(self, tool: ToolFacts<'_>) -> bool {
        tool.hints.is_some_and(|hints| match self {
            Hint::ReadOnly => hints.read_only,
            Hint::Destructive => hints.destructive,
            Hint::Idempotent => hints.idempotent,
            Hint::OpenWorld => hints.open_world,
        })
    }
}

/// The tools offered, from `--tools` and `--read-only`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolExposure {
    /// Empty: every tool.
    selectors: Vec<Selector>,
    read_only: bool,
}

/// A `--tools` entry that is neither a tool name nor a hint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` in --tools is not a tool name (lower-case letters, digits and `_`) or a hint \
     (read-only, destructive, idempotent, open-world, each maybe with a leading `!`)"
)]
pub struct BadSelector(String);

impl ToolExposure {
    /// From `--tools` (names and hints, comma-separated or repeated; empty
    /// for all) and `--read-only`.
    pub fn new(tools: &[String], read_only: bool) -> Result<Self, BadSelector> {
        let mut selectors = Vec::new();
        for entry in tools.iter().flat_map(|t| t.split(',')).map(str::trim) {
            if entry.is_empty() {
                continue;
            }
            let (present, hint_name) = match entry.strip_prefix('!') {
                Some(rest) => (false, rest),
                None => (true, entry),
            };
            if let Some((_, hint)) = Hint::ALL.iter().find(|(name, _)| *name == hint_name) {
                selectors.push(Selector::Hint {
                    hint: *hint,
                    present,
                });
            } else if present
                && entry
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                selectors.push(Selector::Name(entry.to_owned()));
            } else {
                return Err(BadSelector(entry.to_owned()));
            }
        }
        Ok(Self {
            selectors,
            read_only,
        })
    }

    /// Whether `tool` is offered.
    pub fn offers<'a>(&self, tool: impl Into<ToolFacts<'a>>) -> bool {
        let tool = tool.into();
        if self.read_only && !Hint::ReadOnly.of(tool) {
            return false;
        }
        self.selectors.is_empty()
            || self.selectors.iter().any(|selector| match selector {
                Selector::Name(name) => name == tool.name,
                Selector::Hint { hint, present } => hint.of(tool) == *present,
            })
    }

    /// Why a call to `tool`, which the component has, is refused; `None`
    /// when it is offered.
    pub fn refusal<'a>(&self, tool: impl Into<ToolFacts<'a>>) -> Option<String> {
        let tool = tool.into();
        if self.offers(tool) {
            return None;
        }
        Some(if self.read_only && !Hint::ReadOnly.of(tool) {
            format!(
                "tool `{}` changes data and this server runs with --read-only; tools/list shows the tools it offers",
                tool.name
            )
        } else {
            format!(
                "tool `{}` is not among the tools this server offers (--tools); tools/list shows them",
                tool.name
            )
        })
    }

    /// The names in `--tools` that name no tool of `tools`, to warn about
    /// (a typo, or a tool a new component dropped).
    pub fn unknown_names<'a>(&'a self, names: &'a [&str]) -> impl Iterator<Item = &'a str> {
        self.selectors
            .iter()
            .filter_map(move |selector| match selector {
                Selector::Name(name) if !names.contains(&name.as_str()) => Some(name.as_str()),
                _ => None,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, hints: Option<ToolHints>) -> ToolFacts<'_> {
        ToolFacts { name, hints }
    }

    fn reader() -> Option<ToolHints> {
        Some(ToolHints {
            read_only: true,
            idempotent: true,
            open_world: true,
            ..ToolHints::default()
        })
    }

    fn deleter() -> Option<ToolHints> {
        Some(ToolHints {
            destructive: true,
            open_world: true,
            ..ToolHints::default()
        })
    }

    #[test]
    fn by_default_every_tool_is_offered() {
        let all = ToolExposure::new(&[], false).unwrap();
        assert!(all.offers(spec("look_up", reader())));
        assert!(all.offers(spec("remove_record", deleter())));
        assert!(all.offers(spec("undescribed", None)));
    }

    #[test]
    fn read_only_offers_only_tools_marked_read_only_and_refuses_the_rest() {
        let read_only = ToolExposure::new(&[], true).unwrap();
        assert!(read_only.offers(spec("look_up", reader())));
        assert!(!read_only.offers(spec("remove_record", deleter())));
        assert!(
            !read_only.offers(spec("undescribed", None)),
            "no hints, no promise"
        );
        let refusal = read_only.refusal(spec("remove_record", deleter())).unwrap();
        assert!(refusal.contains("--read-only"), "{refusal}");
    }

    #[test]
    fn names_and_hints_select_the_union_and_read_only_still_applies() {
        let chosen = ToolExposure::new(&["look_up, destructive".into()], false).unwrap();
        assert!(chosen.offers(spec("look_up", reader())));
        assert!(chosen.offers(spec("remove_record", deleter())));
        assert!(!chosen.offers(spec("search", reader())));
        let not_destructive = ToolExposure::new(&["!destructive".into()], false).unwrap();
        assert!(not_destructive.offers(spec("search", reader())));
        assert!(!not_destructive.offers(spec("remove_record", deleter())));
        let both = ToolExposure::new(&["remove_record".into()], true).unwrap();
        assert!(!both.offers(spec("remove_record", deleter())));
    }

    #[test]
    fn a_bad_entry_is_refused_and_an_unknown_name_reported() {
        let err = ToolExposure::new(&["Find-Contact".into()], false).unwrap_err();
        assert!(err.to_string().contains("`Find-Contact`"), "{err}");
        assert!(ToolExposure::new(&["!look_up".into()], false).is_err());
        let chosen = ToolExposure::new(&["look_up,lok_up".into()], false).unwrap();
        assert_eq!(
            chosen.unknown_names(&["look_up"]).collect::<Vec<_>>(),
            ["lok_up"]
        );
    }
}
