//! A short excerpt of a field around the first match, matches marked.
//!
//! The assistant reads the snippet to tell the user why a record came up
//! ("...coffee with **Ada** about the engine..."), so it is cut around the
//! first match, at word boundaries, with whitespace collapsed.

use super::fold::for_each_term;

/// About how many characters of the field a snippet shows.
pub const SNIPPET_CHARS: usize = 120;
/// How many characters before the first match a cut snippet starts.
const LEAD_CHARS: usize = 30;

/// The snippet of `text` with every word whose term `is_match` marked as
/// `**word**`.
pub fn snippet(text: &str, is_match: impl Fn(&str) -> bool) -> String {
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for_each_term(text, |term, start, end| {
        if is_match(term) && marks.last() != Some(&(start, end)) {
            marks.push((start, end));
        }
    });
    let (from, to) = window(text, marks.first().map_or(0, |m| m.0));
    let mut out = String::with_capacity(SNIPPET_CHARS + 16);
    if from > 0 {
        out.push('…');
    }
    let mut at = from;
    for &(start, end) in marks.iter().filter(|m| m.0 >= from && m.1 <= to) {
        push_collapsed(&mut out, &text[at..start]);
        out.push_str("**");
        out.push_str(&text[start..end]);
        out.push_str("**");
        at = end;
    }
    push_collapsed(&mut out, &text[at..to]);
    if to < text.len() {
        out.push('…');
    }
    out.trim().to_owned()
}

/// The byte range to show: all of a short text, or about
/// [`SNIPPET_CHARS`] starting a little before `anchor`, cut between words.
fn window(text: &str, anchor: usize) -> (usize, usize) {
    if text.chars().count() <= SNIPPET_CHARS {
        return (0, text.len());
    }
    let before: Vec<(usize, char)> = text[..anchor].char_indices().collect();
    let mut from = before
        .len()
        .checked_sub(LEAD_CHARS)
        .map_or(0, |i| before[i].0);
    if from > 0 {
        // Start at the next word, not in the middle of one.
        if let Some((space, c)) = text[from..anchor]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
        {
            from += space + c.len_utf8();
        } else {
            from = anchor;
        }
    }
    let mut to = text[from..]
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(text.len(), |(i, _)| from + i);
    if to < text.len()
        && let Some(space) = text[from..to].rfind(char::is_whitespace)
        && from + space > anchor
    {
        to = from + space;
    }
    (from, to)
}

fn push_collapsed(out: &mut String, text: &str) {
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space && !out.is_empty() {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_shown_whole_with_matches_marked() {
        let s = snippet("Coffee with  Ada\nabout engines", |t| t == "ada");
        assert_eq!(s, "Coffee with **Ada** about engines");
    }

    #[test]
    fn long_text_is_cut_around_the_first_match_at_word_boundaries() {
        let text = format!(
            "{}the analytical engine was discussed with Lovelace today {}",
            "lorem ipsum dolor ".repeat(10),
            "sit amet consectetur ".repeat(10)
        );
        let s = snippet(&text, |t| t == "lovelace");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("**Lovelace**"), "{s}");
        assert!(s.chars().count() <= SNIPPET_CHARS + 10, "{s}");
        let inner = s.trim_matches('…').trim();
        assert!(
            text.contains(&inner.replace("**", "")),
            "cut inside a word: {s}"
        );
    }

    #[test]
    fn accented_words_are_marked_as_written() {
        let s = snippet("Dinner at Café Müller", |t| t == "muller" || t == "cafe");
        assert_eq!(s, "Dinner at **Café** **Müller**");
    }
}
