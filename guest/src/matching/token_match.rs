//! How one word the user typed compares to one word of a stored name.

use super::fold::collapse_umlaut_spelling;
use super::nicknames::Nicknames;

/// The ways a typed word can stand for a stored one, from surest down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordFit {
    /// Equal once case and accents are folded (`jose` = `José`).
    Exact,
    /// Equal once German umlaut spellings are collapsed (`Mueller` =
    /// `Müller`).
    Spelling,
    /// A nickname or diminutive of it, or the other way round (`Bob` ->
    /// `Robert`).
    Nickname,
    /// The start of it, or it is the start of the typed word (`Kat` ->
    /// `Katherine`).
    Prefix,
    /// This many edits away (insert, delete, substitute, swap two
    /// neighbours): 1 or 2.
    Typo(u8),
    /// A single letter that starts it (`J.` -> `John`).
    Initial,
}

impl WordFit {
    /// Confidence points this fit costs against an exact match. These set
    /// the calibration in `docs/matching.md`: one nickname in a full name
    /// gives about 88, one typo about 82, an initial about 83.
    pub fn penalty(self) -> u8 {
        match self {
            WordFit::Exact | WordFit::Spelling => 0,
            WordFit::Nickname => 7,
            WordFit::Prefix => 10,
            WordFit::Initial => 12,
            WordFit::Typo(1) => 13,
            WordFit::Typo(_) => 25,
        }
    }
}

/// A fit with a finer similarity in 0..=1, used only to order matches of
/// equal confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordMatch {
    /// The kind of fit.
    pub fit: WordFit,
    /// Finer similarity.
    pub similarity: f32,
}

/// A typed word prepared for many comparisons.
#[derive(Debug, Clone)]
pub struct QueryWord {
    /// As typed, for explanations.
    pub typed: String,
    /// Folded.
    pub folded: String,
    /// Folded with umlaut spellings collapsed.
    pub collapsed: String,
}

impl QueryWord {
    /// Prepares the folded word `folded`, typed as `typed`.
    pub fn new(typed: &str, folded: &str) -> Self {
        Self {
            typed: typed.to_owned(),
            folded: folded.to_owned(),
            collapsed: collapse_umlaut_spelling(folded).into_owned(),
        }
    }

    /// Whether the word is a lone initial (`J`, typed `J.`).
    pub fn is_initial(&self) -> bool {
        self.folded.len() == 1
    }
}

/// Shortest typed word that may be a prefix of a stored one: two letters
/// would make `Ma` a partial of half the address book.
const MIN_PREFIX: usize = 3;
/// Shortest word a typo is looked for in: in shorter words one edit makes
/// another common name (`Tom`, `Tim`).
const MIN_TYPO_LEN: usize = 4;
/// Longer words than this may carry two typos.
const TWO_TYPO_LEN: usize = 7;

/// How `query` fits the stored folded word `stored` (with its collapsed
/// form `stored_collapsed`), if at all. Initials are not judged here: the
/// caller matches them against first letters.
pub fn compare(
    query: &QueryWord,
    stored: &str,
    stored_collapsed: &str,
    nicknames: &Nicknames,
) -> Option<WordMatch> {
    let q = query.folded.as_str();
    if q == stored {
        return Some(WordMatch {
            fit: WordFit::Exact,
            similarity: 1.0,
        });
    }
    if query.collapsed == stored_collapsed {
        return Some(WordMatch {
            fit: WordFit::Spelling,
            similarity: 0.99,
        });
    }
    if nicknames.related(q, stored) {
        return Some(WordMatch {
            fit: WordFit::Nickname,
            similarity: 0.9,
        });
    }
    let (shorter, longer) = if q.len() <= stored.len() {
        (q, stored)
    } else {
        (stored, q)
    };
    if shorter.len() >= MIN_PREFIX && longer.starts_with(shorter) {
        return Some(WordMatch {
            fit: WordFit::Prefix,
            similarity: 0.5 + 0.4 * shorter.len() as f32 / longer.len() as f32,
        });
    }
    typo(q, stored)
}

/// A typo fit: one edit in words of four letters or more, two in words
/// longer than seven. The length check runs first because most stored
/// words are ruled out by it without computing a distance.
fn typo(q: &str, stored: &str) -> Option<WordMatch> {
    let longest = q.len().max(stored.len());
    if q.len() < MIN_TYPO_LEN || stored.len() < MIN_TYPO_LEN {
        return None;
    }
    let allowed = if longest > TWO_TYPO_LEN { 2 } else { 1 };
    if q.len().abs_diff(stored.len()) > allowed {
        return None;
    }
    let distance = strsim::osa_distance(q, stored);
    (distance <= allowed).then(|| WordMatch {
        fit: WordFit::Typo(distance as u8),
        similarity: strsim::jaro_winkler(q, stored) as f32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fit(query: &str, stored: &str) -> Option<WordFit> {
        let q = QueryWord::new(query, query);
        let collapsed = collapse_umlaut_spelling(stored).into_owned();
        compare(&q, stored, &collapsed, Nicknames::shipped()).map(|m| m.fit)
    }

    #[test]
    fn exact_beats_everything_else() {
        assert_eq!(fit("robert", "robert"), Some(WordFit::Exact));
    }

    #[test]
    fn umlaut_spelled_out_matches_the_folded_umlaut() {
        assert_eq!(fit("mueller", "muller"), Some(WordFit::Spelling));
    }

    #[test]
    fn nicknames_match_both_ways() {
        assert_eq!(fit("bob", "robert"), Some(WordFit::Nickname));
        assert_eq!(fit("elizabeth", "liz"), Some(WordFit::Nickname));
    }

    #[test]
    fn a_swapped_pair_of_letters_is_one_typo() {
        assert_eq!(fit("smtih", "smith"), Some(WordFit::Typo(1)));
        assert_eq!(fit("jonhson", "johnson"), Some(WordFit::Typo(1)));
    }

    #[test]
    fn long_words_tolerate_two_typos_short_ones_one() {
        assert_eq!(fit("christofer", "christopher"), Some(WordFit::Typo(2)));
        assert_eq!(fit("smyht", "smith"), None);
        assert_eq!(fit("tom", "tim"), None, "three-letter words get no typo");
    }

    #[test]
    fn partial_words_match_as_prefixes_from_three_letters() {
        assert_eq!(fit("kathe", "katherine"), Some(WordFit::Prefix));
        assert_eq!(fit("lovelace", "love"), Some(WordFit::Prefix));
        assert_eq!(fit("ka", "katherine"), None);
    }

    #[test]
    fn unrelated_words_do_not_match() {
        assert_eq!(fit("smith", "jones"), None);
    }

    #[test]
    fn penalties_order_fits_from_surest_down() {
        let order = [
            WordFit::Exact,
            WordFit::Nickname,
            WordFit::Prefix,
            WordFit::Initial,
            WordFit::Typo(1),
            WordFit::Typo(2),
        ];
        assert!(order.windows(2).all(|w| w[0].penalty() < w[1].penalty()));
    }
}
