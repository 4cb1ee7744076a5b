//! Scoring a typed name against one contact's name: which typed word
//! stands for which part of the name, and how sure that makes the match.

use super::name_parts::Role;
use super::token_match::{WordFit, WordMatch};

/// How much of the contact's name the typed name accounts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Given and family name (or the one word the contact's name has).
    Full,
    /// Given and family name, but the contact has further given or family
    /// words the query left out (`María García` for `María José García
    /// López`).
    MostOf,
    /// Only the family name.
    LastOnly,
    /// Only the given name.
    FirstOnly,
    /// Only a middle word.
    MiddleOnly,
}

impl Coverage {
    /// The confidence an exact match with this coverage starts from.
    fn base(self) -> u8 {
        match self {
            Coverage::Full => 95,
            Coverage::MostOf => 93,
            Coverage::LastOnly => 72,
            Coverage::FirstOnly => 70,
            Coverage::MiddleOnly => 60,
        }
    }

    /// Whether the query named the person rather than one part of the name:
    /// company evidence then weighs less.
    pub fn is_whole_name(self) -> bool {
        matches!(self, Coverage::Full | Coverage::MostOf)
    }
}

/// One typed word and the part of the name it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pairing {
    /// Index of the typed word.
    pub word: usize,
    /// Index of the contact's name part.
    pub part: usize,
    /// How it fits.
    pub fit: WordFit,
}

/// The best reading of a typed name as one contact's name.
#[derive(Debug, Clone, PartialEq)]
pub struct NameVerdict {
    /// 1-99 (100 is kept for exact identifiers).
    pub confidence: u8,
    /// Finer similarity, to order equal confidences.
    pub similarity: f32,
    /// Typed words that found a part, in typed order.
    pub pairings: Vec<Pairing>,
    /// Typed words that found none.
    pub unmatched: Vec<usize>,
    /// Family name typed before the given name.
    pub swapped: bool,
    /// How much of the name was matched.
    pub coverage: Coverage,
}

/// Cost of a typed word at either end of the name that is not in the
/// contact's name: the query then probably means someone else.
const OUTER_WORD_MISSING: u8 = 35;
/// Cost of a typed middle word the contact lacks: Dex often has no middle
/// name on file.
const INNER_WORD_MISSING: u8 = 8;
/// Cost of typing the family name first: common in some languages, so mild.
const SWAPPED: u8 = 3;
/// A query with more words than this is not a name; extra words are ignored.
pub const MAX_WORDS: usize = 5;

/// Scores typed words against a contact's name parts (their roles in
/// `roles`); `fit(word, part)` says how typed word `word` fits part `part`.
/// `None` when no typed word fits any part, or only initials do.
pub fn score_name(
    word_count: usize,
    roles: &[Role],
    fit: impl Fn(usize, usize) -> Option<WordMatch>,
) -> Option<NameVerdict> {
    let word_count = word_count.min(MAX_WORDS);
    // Every fitting (word, part) pair, per word: few, since most parts fit
    // no typed word.
    let options: Vec<Vec<(usize, WordMatch)>> = (0..word_count)
        .map(|w| {
            (0..roles.len())
                .filter_map(|p| fit(w, p).map(|m| (p, m)))
                .collect()
        })
        .collect();
    let mut best: Option<NameVerdict> = None;
    let mut chosen: Vec<Option<(usize, WordMatch)>> = Vec::with_capacity(word_count);
    search(&options, roles, &mut chosen, 0, &mut best);
    best
}

/// Tries every assignment of words to distinct parts (a word may also stay
/// unmatched) and keeps the most confident. Queries have at most
/// [`MAX_WORDS`] words and each word fits few parts, so this stays tiny.
fn search(
    options: &[Vec<(usize, WordMatch)>],
    roles: &[Role],
    chosen: &mut Vec<Option<(usize, WordMatch)>>,
    used: u64,
    best: &mut Option<NameVerdict>,
) {
    if chosen.len() == options.len() {
        if let Some(verdict) = judge(chosen, roles)
            && best.as_ref().is_none_or(|b| {
                (verdict.confidence, verdict.similarity) > (b.confidence, b.similarity)
            })
        {
            *best = Some(verdict);
        }
        return;
    }
    let word = chosen.len();
    for &(part, m) in &options[word] {
        if part < 64 && used & (1 << part) == 0 {
            chosen.push(Some((part, m)));
            search(options, roles, chosen, used | (1 << part), best);
            chosen.pop();
        }
    }
    chosen.push(None);
    search(options, roles, chosen, used, best);
    chosen.pop();
}

/// The verdict for one complete assignment.
fn judge(chosen: &[Option<(usize, WordMatch)>], roles: &[Role]) -> Option<NameVerdict> {
    let pairings: Vec<Pairing> = chosen
        .iter()
        .enumerate()
        .filter_map(|(word, c)| {
            c.map(|(part, m)| Pairing {
                word,
                part,
                fit: m.fit,
            })
        })
        .collect();
    if pairings.iter().all(|p| p.fit == WordFit::Initial) {
        return None;
    }
    let covered = |role: Role| pairings.iter().any(|p| roles[p.part] == role);
    let has = |role: Role| roles.contains(&role);
    let first_ok = covered(Role::First) || !has(Role::First);
    let last_ok = covered(Role::Last) || !has(Role::Last);
    let coverage = if first_ok && last_ok {
        let left_out = roles
            .iter()
            .enumerate()
            .any(|(i, r)| *r != Role::Middle && !pairings.iter().any(|p| p.part == i));
        if left_out {
            Coverage::MostOf
        } else {
            Coverage::Full
        }
    } else if covered(Role::Last) {
        Coverage::LastOnly
    } else if covered(Role::First) {
        Coverage::FirstOnly
    } else {
        Coverage::MiddleOnly
    };
    let unmatched: Vec<usize> = (0..chosen.len()).filter(|w| chosen[*w].is_none()).collect();
    let last_word = chosen.len() - 1;
    let first_given = pairings.iter().find(|p| roles[p.part] == Role::First);
    let last_family = pairings.iter().rev().find(|p| roles[p.part] == Role::Last);
    let swapped = matches!((first_given, last_family), (Some(g), Some(f)) if g.word > f.word);

    let mut cost: u32 = pairings.iter().map(|p| u32::from(p.fit.penalty())).sum();
    for &w in &unmatched {
        cost += u32::from(if w == 0 || w == last_word {
            OUTER_WORD_MISSING
        } else {
            INNER_WORD_MISSING
        });
    }
    if swapped {
        cost += u32::from(SWAPPED);
    }
    let confidence = u32::from(coverage.base()).saturating_sub(cost).clamp(1, 99) as u8;
    let similarity = chosen
        .iter()
        .flatten()
        .map(|(_, m)| m.similarity)
        .sum::<f32>()
        / chosen.len() as f32;
    Some(NameVerdict {
        confidence,
        similarity,
        pairings,
        unmatched,
        swapped,
        coverage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXACT: WordMatch = WordMatch {
        fit: WordFit::Exact,
        similarity: 1.0,
    };

    fn with(fit: WordFit) -> WordMatch {
        WordMatch {
            fit,
            similarity: 0.8,
        }
    }

    /// Scores where word `w` fits part `p` as `table[w][p]`.
    fn score(roles: &[Role], table: &[&[Option<WordMatch>]]) -> Option<NameVerdict> {
        score_name(table.len(), roles, |w, p| table[w][p])
    }

    const FIRST_LAST: [Role; 2] = [Role::First, Role::Last];

    #[test]
    fn exact_full_name_scores_95() {
        let v = score(&FIRST_LAST, &[&[Some(EXACT), None], &[None, Some(EXACT)]]).unwrap();
        assert_eq!(v.confidence, 95);
        assert_eq!(v.coverage, Coverage::Full);
        assert!(!v.swapped);
    }

    #[test]
    fn nickname_and_typo_cost_their_penalties() {
        let nick = with(WordFit::Nickname);
        let typo = with(WordFit::Typo(1));
        let v = score(&FIRST_LAST, &[&[Some(nick), None], &[None, Some(EXACT)]]).unwrap();
        assert_eq!(v.confidence, 88);
        let v = score(&FIRST_LAST, &[&[Some(EXACT), None], &[None, Some(typo)]]).unwrap();
        assert_eq!(v.confidence, 82);
    }

    #[test]
    fn family_name_first_is_a_mild_swap() {
        let v = score(&FIRST_LAST, &[&[None, Some(EXACT)], &[Some(EXACT), None]]).unwrap();
        assert!(v.swapped);
        assert_eq!(v.confidence, 92);
    }

    #[test]
    fn one_part_alone_is_a_partial_match() {
        let v = score(&FIRST_LAST, &[&[None, Some(EXACT)]]).unwrap();
        assert_eq!((v.coverage, v.confidence), (Coverage::LastOnly, 72));
        let v = score(&FIRST_LAST, &[&[Some(EXACT), None]]).unwrap();
        assert_eq!((v.coverage, v.confidence), (Coverage::FirstOnly, 70));
    }

    #[test]
    fn a_wrong_family_name_sinks_the_match_below_the_default_threshold() {
        let v = score(&FIRST_LAST, &[&[Some(EXACT), None], &[None, None]]).unwrap();
        assert_eq!(v.unmatched, [1]);
        assert!(v.confidence < 50, "{}", v.confidence);
    }

    #[test]
    fn an_unknown_middle_word_costs_little() {
        let v = score(
            &FIRST_LAST,
            &[&[Some(EXACT), None], &[None, None], &[None, Some(EXACT)]],
        )
        .unwrap();
        assert_eq!(v.confidence, 95 - INNER_WORD_MISSING);
    }

    #[test]
    fn initials_alone_match_nothing_but_help_a_family_name() {
        let initial = with(WordFit::Initial);
        assert!(score(&FIRST_LAST, &[&[Some(initial), None]]).is_none());
        let v = score(&FIRST_LAST, &[&[Some(initial), None], &[None, Some(EXACT)]]).unwrap();
        assert_eq!((v.coverage, v.confidence), (Coverage::Full, 83));
    }

    #[test]
    fn each_part_is_used_by_one_word_only() {
        // Both words fit only the family name: one must stay unmatched.
        let v = score(&FIRST_LAST, &[&[None, Some(EXACT)], &[None, Some(EXACT)]]).unwrap();
        assert_eq!(v.pairings.len(), 1);
        assert_eq!(v.unmatched.len(), 1);
    }

    #[test]
    fn extra_given_or_family_words_leave_most_of_the_name() {
        let roles = [Role::First, Role::First, Role::Last];
        let v = score(
            &roles,
            &[&[Some(EXACT), None, None], &[None, None, Some(EXACT)]],
        )
        .unwrap();
        assert_eq!((v.coverage, v.confidence), (Coverage::MostOf, 93));
    }
}
