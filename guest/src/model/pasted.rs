//! Emails and phone numbers as people paste them, reduced to what
//! identifies them.
//!
//! An assistant passes on what the user copied: a mail header's
//! `"Ada Lovelace" <ada@x.org>`, a `mailto:` link with its subject, a
//! number from a signature with its extension, a `tel:` link. The
//! identifier inside is read and everything around it is dropped, and
//! each thing dropped is said (in the match's reasons), so a match on a
//! cleaned-up value never looks like a match on what was typed.

use super::{EmailAddress, PhoneNumber, ToolError};

/// An identifier read from pasted text, with a sentence for each part of
/// the text that was ignored to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pasted<T> {
    /// The identifier.
    pub value: T,
    /// What was ignored, one short sentence each ("ignored the display
    /// name 'Ada Lovelace'"); empty when the text was the bare identifier.
    pub ignored: Vec<String>,
}

/// Punctuation that sentences and lists put around an address.
const CLOSING: &[char] = &['.', ',', ';', ':', '!', '?', ')', ']', '}', '\'', '"', '>'];
const OPENING: &[char] = &['(', '[', '{', '\'', '"', '<'];
/// The same around a number, whose own brackets (`(415) 555-0100`) stay.
const CLOSING_NUMBER: &[char] = &['.', ',', ';', ':', '!', '?', '\'', '"'];
const OPENING_NUMBER: &[char] = &['\'', '"'];

/// Strips the punctuation of `opening` and `closing` from the ends of
/// `text`, saying what went.
fn strip_punctuation<'a>(text: &'a str, ignored: &mut Vec<String>) -> &'a str {
    strip_around(text, OPENING, CLOSING, ignored)
}

fn strip_around<'a>(
    text: &'a str,
    opening: &[char],
    closing: &[char],
    ignored: &mut Vec<String>,
) -> &'a str {
    let start = text.trim_start_matches(opening);
    let lead = &text[..text.len() - start.len()];
    let end = start.trim_end_matches(closing);
    let trail = &start[end.len()..];
    if !lead.is_empty() {
        ignored.push(format!("ignored the leading '{lead}'"));
    }
    if !trail.is_empty() {
        ignored.push(format!("ignored the trailing '{trail}'"));
    }
    end.trim()
}

/// `prefix` at the start of `text`, ignoring ASCII case.
fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

impl EmailAddress {
    /// Reads an address as people paste it: with a display name and angle
    /// brackets (`"Ada Lovelace" <ada@x.org>`), as a `mailto:` link with a
    /// query (`mailto:ada@x.org?subject=hi`), with the punctuation of the
    /// sentence it came from. What was ignored is listed; the address
    /// itself is then validated like [`EmailAddress::parse`].
    pub fn parse_pasted(field: &str, raw: &str) -> Result<Pasted<Self>, ToolError> {
        let mut ignored = Vec::new();
        let mut text = raw.trim();
        // `Name <address>`: the address is what is inside the brackets.
        if let (Some(open), Some(close)) = (text.rfind('<'), text.rfind('>'))
            && open < close
        {
            let name = text[..open].trim().trim_matches(['"', '\'']).trim();
            let after = text[close + 1..].trim();
            if !name.is_empty() {
                ignored.push(format!("ignored the display name '{name}'"));
            }
            if !after.is_empty() {
                ignored.push(format!("ignored '{after}' after the address"));
            }
            text = text[open + 1..close].trim();
        }
        text = strip_punctuation(text, &mut ignored);
        let decoded;
        if let Some(rest) = strip_prefix_ignoring_case(text, "mailto:") {
            ignored.push("ignored the mailto: prefix".to_owned());
            let (address, query) = match rest.split_once('?') {
                Some((address, query)) => (address, Some(query)),
                None => (rest, None),
            };
            if let Some(query) = query.filter(|q| !q.is_empty()) {
                ignored.push(format!("ignored '?{query}' after the address"));
            }
            // A link spells `@` and other characters percent-encoded.
            decoded = form_urlencoded::parse(format!("a={address}").as_bytes())
                .next()
                .map(|(_, value)| value.into_owned())
                .unwrap_or_default();
            text = strip_punctuation(&decoded, &mut ignored);
        }
        Ok(Pasted {
            value: EmailAddress::parse(field, text)?,
            ignored,
        })
    }
}

/// Words that introduce an extension, longest first so `ext.` is not read
/// as `ext` followed by a stray dot.
const EXTENSION_MARKERS: &[&str] = &["extension", "ext.", "ext", "x", "#"];

/// Splits a trailing extension (`x12`, `ext. 12`, `extension 12`, `#12`)
/// off `text`: the number before it and the extension's digits.
fn split_extension(text: &str) -> Option<(&str, &str)> {
    let lower = text.to_ascii_lowercase();
    let digits_start = lower.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits_start == lower.len() {
        return None;
    }
    let before_digits = lower[..digits_start].trim_end_matches([' ', ':', '=', '.']);
    EXTENSION_MARKERS.iter().find_map(|marker| {
        let number_end = before_digits.strip_suffix(marker)?.len();
        // `x` must stand apart from the number or follow a digit
        // (`555-0100x12`); a letter before it is not an extension marker.
        let previous = lower[..number_end].chars().next_back();
        if previous.is_some_and(|c| c.is_ascii_alphabetic()) {
            return None;
        }
        Some((text[..number_end].trim_end(), &text[digits_start..]))
    })
}

impl PhoneNumber {
    /// Reads a number as people paste it: as a `tel:` link (with its
    /// `;ext=` and other parameters), with an extension (`x12`,
    /// `ext. 12`), with the punctuation of the sentence it came from. The
    /// extension is not part of the number Dex stores, so it is dropped;
    /// what was ignored is listed, and the rest is validated like
    /// [`PhoneNumber::parse`] (international prefixes `+44`, `0044` and
    /// `011 44`, and the national trunk `0`, are understood there).
    pub fn parse_pasted(field: &str, raw: &str) -> Result<Pasted<Self>, ToolError> {
        let mut ignored = Vec::new();
        let mut text = strip_around(raw.trim(), OPENING_NUMBER, CLOSING_NUMBER, &mut ignored);
        for scheme in ["tel:", "callto:"] {
            if let Some(rest) = strip_prefix_ignoring_case(text, scheme) {
                ignored.push(format!("ignored the {scheme} prefix"));
                text = rest.trim();
            }
        }
        // RFC 3966 parameters: `;ext=12`, `;phone-context=...`.
        let mut parts = text.split(';');
        let number = parts.next().unwrap_or_default().trim();
        for parameter in parts.map(str::trim).filter(|p| !p.is_empty()) {
            match parameter.split_once('=') {
                Some((name, value)) if name.trim().eq_ignore_ascii_case("ext") => {
                    ignored.push(format!("ignored extension {}", value.trim()));
                }
                _ => ignored.push(format!("ignored ';{parameter}' after the number")),
            }
        }
        let number = match split_extension(number) {
            Some((number, extension)) => {
                ignored.push(format!("ignored extension {extension}"));
                number
            }
            None => number,
        };
        let value = PhoneNumber::parse(field, number)?;
        if value.dialled_with_north_american_exit_code() {
            ignored.push("read the leading 011 as the international call prefix".to_owned());
        }
        Ok(Pasted { value, ignored })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(raw: &str) -> (String, Vec<String>) {
        let pasted = EmailAddress::parse_pasted("email", raw).unwrap();
        (pasted.value.as_str().to_owned(), pasted.ignored)
    }

    fn phone(raw: &str) -> (String, Vec<String>) {
        let pasted = PhoneNumber::parse_pasted("phone", raw).unwrap();
        (pasted.value.significant().to_owned(), pasted.ignored)
    }

    #[test]
    fn a_bare_address_ignores_nothing() {
        assert_eq!(email(" Ada@X.org "), ("ada@x.org".into(), vec![]));
    }

    #[test]
    fn a_display_name_and_brackets_are_dropped_and_said() {
        assert_eq!(
            email(r#""Ada Lovelace" <ada@x.org>"#),
            (
                "ada@x.org".into(),
                vec!["ignored the display name 'Ada Lovelace'".into()]
            )
        );
        assert_eq!(
            email("Ada Lovelace <ADA@x.org>").1,
            ["ignored the display name 'Ada Lovelace'"]
        );
        assert_eq!(email("<ada@x.org>"), ("ada@x.org".into(), vec![]));
    }

    #[test]
    fn a_mailto_link_loses_its_scheme_and_query() {
        assert_eq!(
            email("mailto:ada@x.org?subject=hi"),
            (
                "ada@x.org".into(),
                vec![
                    "ignored the mailto: prefix".into(),
                    "ignored '?subject=hi' after the address".into()
                ]
            )
        );
        assert_eq!(email("MAILTO:ada%40x.org").0, "ada@x.org");
        assert_eq!(email("<mailto:ada@x.org>").0, "ada@x.org");
    }

    #[test]
    fn punctuation_of_the_sentence_is_dropped_and_said() {
        assert_eq!(
            email("ada@x.org."),
            ("ada@x.org".into(), vec!["ignored the trailing '.'".into()])
        );
        assert_eq!(email("(ada@x.org),").0, "ada@x.org");
        assert_eq!(email(r#""Ada" <ada@x.org>,"#).0, "ada@x.org");
    }

    #[test]
    fn what_is_left_must_still_be_one_address() {
        for bad in ["Ada Lovelace", "mailto:", "<>", "\"Ada\" <ada at x.org>"] {
            let err = EmailAddress::parse_pasted("email", bad).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("email"), "{bad}");
        }
    }

    #[test]
    fn tel_links_and_their_parameters() {
        assert_eq!(
            phone("tel:+1-415-555-0100"),
            ("14155550100".into(), vec!["ignored the tel: prefix".into()])
        );
        assert_eq!(
            phone("tel:+1-415-555-0100;ext=12").1,
            ["ignored the tel: prefix", "ignored extension 12"]
        );
        assert_eq!(
            phone("tel:+44-20-7946-0958;phone-context=example.com").1[1],
            "ignored ';phone-context=example.com' after the number"
        );
    }

    #[test]
    fn extensions_in_every_spelling() {
        for raw in [
            "+1 415 555 0100 x12",
            "+1 415 555 0100x12",
            "+1 415 555 0100 ext. 12",
            "+1 415 555 0100 ext 12",
            "+1 415 555 0100 Extension: 12",
            "+1 415 555 0100 #12",
        ] {
            assert_eq!(
                phone(raw),
                ("14155550100".into(), vec!["ignored extension 12".into()]),
                "{raw}"
            );
        }
    }

    #[test]
    fn international_prefixes_all_give_the_country_code() {
        for raw in [
            "+44 20 7946 0958",
            "0044 20 7946 0958",
            "011 44 20 7946 0958",
        ] {
            assert_eq!(phone(raw).0, "442079460958", "{raw}");
        }
        assert_eq!(
            phone("011 44 20 7946 0958").1,
            ["read the leading 011 as the international call prefix"]
        );
        // A national number that merely starts with 011 (Leeds, 0113) is
        // not an international call.
        assert_eq!(phone("0113 496 0000"), ("1134960000".into(), vec![]));
    }

    #[test]
    fn the_national_trunk_zero_is_not_a_digit_of_the_number() {
        assert_eq!(phone("020 7946 0958").0, "2079460958");
        assert_eq!(phone("+44 (0)20 7946 0958").0, "442079460958");
    }

    #[test]
    fn letters_that_are_not_an_extension_are_still_refused() {
        for bad in ["call me", "555-0100 box 12", "tel:"] {
            assert!(PhoneNumber::parse_pasted("phone", bad).is_err(), "{bad}");
        }
    }
}
