//! How many typos a word may have, and whether a term is within them.
//!
//! The budget follows Meilisearch's rule of thumb, which keeps short words
//! precise (a typo in a 4-letter word makes a different common word too
//! often): no typo under 5 letters, one up to 8, two from 9 on. Distance is
//! the optimal-string-alignment variant of Damerau-Levenshtein, so swapping
//! two neighbouring letters ("jhon") costs one typo, not two.

/// Longest term checked for typos; longer ones only match exactly or by
/// prefix (no name or word people type is this long).
pub const MAX_TYPO_TERM_LEN: usize = 48;

/// The typos allowed in a query word of `len` letters.
pub fn allowed_typos(len: usize) -> u8 {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// A bit per letter or digit present in `term`: two words within `k`
/// edits differ in at most `k` such bits each way, which rules out most of
/// the vocabulary before any distance is computed.
pub fn letter_mask(term: &[u8]) -> u64 {
    term.iter().fold(0, |mask, &b| {
        mask | match b {
            b'a'..=b'z' => 1 << (b - b'a'),
            b'0'..=b'9' => 1 << (26 + b - b'0'),
            _ => 1 << 63,
        }
    })
}

/// Whether masks of two terms allow them to be within `k` edits.
pub fn masks_allow(a: u64, b: u64, k: u8) -> bool {
    (a & !b).count_ones() <= u32::from(k) && (b & !a).count_ones() <= u32::from(k)
}

/// The edit distance between `a` and `b` (insertions, deletions,
/// substitutions, adjacent transpositions), or `None` when it exceeds
/// `max`. Both must be at most [`MAX_TYPO_TERM_LEN`] bytes.
pub fn bounded_distance(a: &[u8], b: &[u8], max: u8) -> Option<u8> {
    if a.len().abs_diff(b.len()) > usize::from(max)
        || a.len() > MAX_TYPO_TERM_LEN
        || b.len() > MAX_TYPO_TERM_LEN
    {
        return None;
    }
    const W: usize = MAX_TYPO_TERM_LEN + 1;
    let mut before = [0u8; W];
    let mut previous: [u8; W] = std::array::from_fn(|j| j.min(255) as u8);
    let mut current = [0u8; W];
    for i in 1..=a.len() {
        current[0] = i as u8;
        let mut row_min = current[0];
        for j in 1..=b.len() {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        before = previous;
        previous = current;
    }
    let d = previous[b.len()];
    (d <= max).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: &str, b: &str) -> Option<u8> {
        bounded_distance(a.as_bytes(), b.as_bytes(), 2)
    }

    #[test]
    fn budget_is_zero_under_five_letters_one_to_eight_two_beyond() {
        let budgets: Vec<u8> = (1..=10).map(allowed_typos).collect();
        assert_eq!(budgets, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
    }

    #[test]
    fn a_transposition_is_one_edit() {
        assert_eq!(distance("john", "jhon"), Some(1));
        assert_eq!(distance("lovelace", "lovleace"), Some(1));
    }

    #[test]
    fn insertions_deletions_and_substitutions_count_one_each() {
        assert_eq!(distance("smith", "smyth"), Some(1));
        assert_eq!(distance("smith", "smiths"), Some(1));
        assert_eq!(distance("smith", "mith"), Some(1));
        assert_eq!(distance("katherine", "catharine"), Some(2));
        assert_eq!(distance("same", "same"), Some(0));
    }

    #[test]
    fn distances_past_the_bound_are_none() {
        assert_eq!(distance("smith", "jones"), None);
        assert_eq!(bounded_distance(b"abcdef", b"abcxyz", 2), None);
        assert_eq!(distance("ab", "abcde"), None);
    }

    #[test]
    fn masks_reject_words_with_too_many_different_letters() {
        let smith = letter_mask(b"smith");
        assert!(masks_allow(smith, letter_mask(b"smyth"), 1));
        assert!(!masks_allow(smith, letter_mask(b"jones"), 2));
    }
}
