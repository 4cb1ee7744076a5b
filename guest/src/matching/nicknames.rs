//! Which given names are forms of one another (`Bob` and `Robert`, `Sasha`
//! and `Alexander`, `Paco` and `Francisco`).
//!
//! The table is data, `guest/data/nicknames.txt`, compiled by the project
//! and documented there (source and licence). It is parsed once, on first
//! use, into a map from each folded name to the families it belongs to.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::fold::fold;

/// The nickname families, as shipped in the crate.
const TABLE: &str = include_str!("../../data/nicknames.txt");

/// Given names grouped into families of forms of one name.
#[derive(Debug, Default)]
pub struct Nicknames {
    /// Folded name -> the families (line numbers) it appears in.
    families_of: HashMap<String, Vec<u32>>,
    /// Family -> its folded names.
    members: Vec<Vec<String>>,
}

impl Nicknames {
    /// The table shipped with the crate, parsed once per process.
    pub fn shipped() -> &'static Nicknames {
        static SHIPPED: OnceLock<Nicknames> = OnceLock::new();
        SHIPPED.get_or_init(|| Nicknames::parse(TABLE))
    }

    /// Parses `formal: short, short` lines; `#` starts a comment line.
    /// Lines without a colon are ignored, so a stray line cannot break
    /// matching.
    pub fn parse(text: &str) -> Nicknames {
        let mut table = Nicknames::default();
        for line in text.lines().map(str::trim) {
            if line.starts_with('#') {
                continue;
            }
            let Some((formal, shorts)) = line.split_once(':') else {
                continue;
            };
            let mut family: Vec<String> = std::iter::once(formal)
                .chain(shorts.split(','))
                .map(fold)
                .filter(|name| !name.is_empty())
                .collect();
            family.sort();
            family.dedup();
            if family.len() < 2 {
                continue;
            }
            let id = table.members.len() as u32;
            for name in &family {
                table.families_of.entry(name.clone()).or_default().push(id);
            }
            table.members.push(family);
        }
        table
    }

    /// Whether the folded names `a` and `b` are different forms of one
    /// given name.
    pub fn related(&self, a: &str, b: &str) -> bool {
        if a == b {
            return false;
        }
        let (Some(fa), Some(fb)) = (self.families_of.get(a), self.families_of.get(b)) else {
            return false;
        };
        fa.iter().any(|f| fb.contains(f))
    }

    /// Every other form of the folded name `name`, each once.
    pub fn forms_of(&self, name: &str) -> Vec<&str> {
        let mut forms: Vec<&str> = self
            .families_of
            .get(name)
            .into_iter()
            .flatten()
            .flat_map(|f| self.members[*f as usize].iter().map(String::as_str))
            .filter(|form| *form != name)
            .collect();
        forms.sort_unstable();
        forms.dedup();
        forms
    }

    /// How many families the table holds.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the table holds no family at all.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_table_relates_common_diminutives() {
        let t = Nicknames::shipped();
        for (short, formal) in [
            ("bob", "robert"),
            ("liz", "elizabeth"),
            ("sasha", "alexander"),
            ("paco", "francisco"),
            ("sepp", "josef"),
            ("gosia", "malgorzata"),
            ("lasse", "lars"),
            ("pepe", "jose"),
        ] {
            assert!(t.related(short, formal), "{short} -> {formal}");
            assert!(t.related(formal, short), "{formal} -> {short}");
        }
    }

    #[test]
    fn shipped_table_covers_hundreds_of_names() {
        assert!(
            Nicknames::shipped().len() >= 300,
            "{}",
            Nicknames::shipped().len()
        );
    }

    #[test]
    fn forms_of_one_family_relate_to_each_other_but_not_across_families() {
        let t = Nicknames::parse("robert: bob, bert\nalbert: al, bert\n# alan: al");
        assert!(t.related("bob", "bert"));
        assert!(!t.related("bob", "albert"));
        assert!(!t.related("al", "alan"), "comment lines are skipped");
        assert_eq!(t.forms_of("bert"), ["al", "albert", "bob", "robert"]);
    }

    #[test]
    fn a_name_is_not_its_own_nickname_and_unknown_names_relate_to_nothing() {
        let t = Nicknames::shipped();
        assert!(!t.related("robert", "robert"));
        assert!(!t.related("zzyzx", "robert"));
        assert!(t.forms_of("zzyzx").is_empty());
    }

    #[test]
    fn lines_are_folded_so_accents_do_not_matter() {
        let t = Nicknames::parse("José: Pepe\nbroken line without colon");
        assert!(t.related("jose", "pepe"));
        assert_eq!(t.len(), 1);
    }
}
