//! Module cycles that were broken on purpose stay broken (issue 14): each
//! pair names a module that must not import the other, so a change that
//! brings a cycle back fails `cargo xtask test`.

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// `(file, module path it must not import)`: the side of each broken
    /// cycle that now depends on nothing of the other.
    const ONE_WAY: &[(&str, &str)] = &[
        // The index knows nothing of how it is queried and ranked.
        ("guest/src/search/index.rs", "super::query"),
        ("guest/src/search/index.rs", "super::maxscore"),
        // The dataset's shape knows nothing of how one is generated.
        ("sim/src/dataset.rs", "crate::generate"),
        // The control API is served by the server, not the other way round.
        ("sim/src/http/control.rs", "crate::server"),
    ];

    #[test]
    fn broken_module_cycles_stay_broken() {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut found = Vec::new();
        for (file, forbidden) in ONE_WAY {
            let text = std::fs::read_to_string(workspace.join(file))
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            if imports(&text, forbidden) {
                found.push(format!("{file} imports {forbidden}"));
            }
        }
        assert!(found.is_empty(), "module cycles are back: {found:?}");
    }

    /// Whether the code of `text` (comments left out) names `module`: in a
    /// `use` (grouped imports spelled out: `use crate::{generate::x}` names
    /// `crate::generate`) or as an inline path (`crate::generate::x()`).
    fn imports(text: &str, module: &str) -> bool {
        let code: String = text
            .lines()
            .map(|line| line.split("//").next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join(" ");
        let squeezed: String = code.split_whitespace().collect();
        squeezed.contains(module) || spelled_out_uses(&squeezed).any(|path| path.contains(module))
    }

    /// Every path of every grouped `use` in `code` (whitespace removed),
    /// one level of braces deep: `usecrate::{a::b,c}` gives `crate::a::b`
    /// and `crate::c`.
    fn spelled_out_uses(code: &str) -> impl Iterator<Item = String> + '_ {
        code.split(';').flat_map(|statement| {
            let statement = statement.rsplit_once("use").map_or("", |(_, rest)| rest);
            let mut paths = Vec::new();
            if let Some((prefix, group)) = statement.split_once("::{") {
                for item in group.trim_end_matches('}').split(',') {
                    let item = item.trim_start_matches('{').trim_end_matches('}');
                    paths.push(format!("{prefix}::{item}"));
                }
            }
            paths
        })
    }

    #[test]
    fn an_import_is_seen_and_a_mention_in_prose_is_not() {
        assert!(imports(
            "//! x\nuse super::query::Scratch;\n",
            "super::query"
        ));
        assert!(imports("    pub use super::query::{A, B};", "super::query"));
        assert!(!imports(
            "/// see super::query for why\nuse super::scratch::Scratch;",
            "super::query"
        ));
        assert!(!imports("let x = 1; // super::query", "super::query"));
    }

    #[test]
    fn grouped_imports_and_inline_paths_are_seen() {
        assert!(imports(
            "use crate::{\n    dataset::Dataset,\n    generate::people,\n};",
            "crate::generate"
        ));
        assert!(imports(
            "fn f() { crate::generate::people(1) }",
            "crate::generate"
        ));
        assert!(!imports(
            "use crate::{dataset::Dataset, model::Contact};",
            "crate::generate"
        ));
    }
}
