//! From text to search terms: words, folded.
//!
//! Users type names without accents ("Jose" for "José"), in any case, and
//! Dex stores them as typed, so both sides go through the same folding:
//! words are runs of letters and digits, transliterated to ASCII with
//! `deunicode` ("Müller" -> "muller", "Łódź" -> "lodz", "ß" -> "ss") and
//! lower-cased. Apostrophes inside a word are dropped so that "O'Brien"
//! is one term, `obrien`. Terms keep the byte span of the word they came
//! from, which is what snippets highlight.

use deunicode::deunicode;

/// Calls `each(term, start, end)` for every term of `text`, in order, where
/// `start..end` is the byte span of the original word. A word that
/// transliterates to several words ("北京" -> "bei jing") gives several
/// terms with the same span.
pub fn for_each_term(text: &str, mut each: impl FnMut(&str, usize, usize)) {
    let mut folded = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut ascii = c.is_ascii();
        while let Some(&(i, next)) = chars.peek() {
            let joins = next.is_alphanumeric()
                || (is_apostrophe(next)
                    && text[i + next.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric));
            if !joins {
                break;
            }
            ascii &= next.is_ascii();
            end = i + next.len_utf8();
            chars.next();
        }
        let word = &text[start..end];
        folded.clear();
        if ascii {
            folded.extend(
                word.chars()
                    .filter(|c| !is_apostrophe(*c))
                    .map(|c| c.to_ascii_lowercase()),
            );
        } else {
            let without: String = word.chars().filter(|c| !is_apostrophe(*c)).collect();
            folded.extend(deunicode(&without).chars().map(|c| c.to_ascii_lowercase()));
        }
        for term in folded
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
        {
            each(term, start, end);
        }
    }
}

/// The terms of `text`, in order (repeats kept).
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |term, _, _| out.push(term.to_owned()));
    out
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_fold_to_plain_lower_case_ascii() {
        assert_eq!(terms("José MÜLLER-Łódź"), ["jose", "muller", "lodz"]);
        assert_eq!(terms("Straße"), ["strasse"]);
    }

    #[test]
    fn apostrophes_inside_a_word_are_dropped() {
        assert_eq!(terms("O'Brien’s dog's"), ["obriens", "dogs"]);
        assert_eq!(terms("'quoted'"), ["quoted"]);
    }

    #[test]
    fn emails_split_into_their_words() {
        assert_eq!(
            terms("Ada.Lovelace@Example.com"),
            ["ada", "lovelace", "example", "com"]
        );
    }

    #[test]
    fn spans_point_at_the_original_words() {
        let text = "Café Ölmühle";
        let mut spans = Vec::new();
        for_each_term(text, |term, start, end| {
            spans.push((term.to_owned(), &text[start..end]))
        });
        assert_eq!(
            spans,
            [
                ("cafe".to_owned(), "Café"),
                ("olmuhle".to_owned(), "Ölmühle")
            ]
        );
    }
}
