//! Word forms: "sailed", "sails" and "sailing" all stem to `sail`, so a
//! query in one form finds notes written in another.
//!
//! The stemmer is Snowball's English (Porter2, from `rust-stemmers`): the
//! accounts this serves write their notes in English (the simulated
//! account does), and a stemmer for the wrong language mostly leaves
//! words alone rather than merging unrelated ones. It runs on folded terms
//! ([`super::fold`]), which are lower-case ASCII, so accented words stem
//! like their plain spelling.
//!
//! A stemmed match counts only in prose fields (a note's or reminder's
//! text, a contact's description): names are not word forms ("Jones" is
//! not a plural of "Jone"), and a name query keeps matching names exactly
//! or with typos.

use std::borrow::Cow;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// The stem of a folded term: the term itself when it has no suffix to
/// strip.
pub fn stem(term: &str) -> Cow<'_, str> {
    ENGLISH.stem(term)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_of_one_verb_share_a_stem() {
        for form in ["sail", "sails", "sailed", "sailing"] {
            assert_eq!(stem(form), "sail", "{form}");
        }
        assert_eq!(stem("meetings"), stem("meeting"));
        assert_eq!(stem("introduced"), stem("introduce"));
    }

    #[test]
    fn different_words_keep_different_stems() {
        assert_ne!(stem("sail"), stem("sale"));
        assert_ne!(stem("call"), stem("coffee"));
    }
}
