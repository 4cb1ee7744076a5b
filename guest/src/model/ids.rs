//! Identifiers that arrive from the assistant, validated once at the edge
//! so that the rest of the guest never handles a malformed one.

use std::fmt;

use super::ToolError;

/// The id of a Dex contact.
///
/// Ids are spliced into URL paths, so anything that could change the path
/// (slashes, spaces, `?`) is refused rather than escaped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContactId(String);

impl ContactId {
    /// Validates `raw` (surrounding whitespace ignored) as the argument `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, ToolError> {
        super::record_ids::checked(
            field,
            raw,
            "contact",
            "find_contact or search_contacts_full_text",
        )
        .map(Self)
    }

    /// The id as Dex spells it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ContactId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An email address, trimmed and case-folded.
///
/// Dex stores addresses as typed, so comparisons must fold case on both
/// sides; folding here makes equality of two `EmailAddress`es the match rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Validates `raw` as the argument `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, ToolError> {
        let address = raw.trim().to_lowercase();
        let example = "pass one full address, like `ada@example.com`";
        if address.is_empty() {
            return Err(ToolError::validation(
                field,
                format!("the email is empty: {example}"),
            ));
        }
        if address.chars().any(char::is_whitespace) {
            return Err(ToolError::validation(
                field,
                format!(
                    "`{}` contains a space, so it is not one email address: {example}",
                    raw.trim()
                ),
            ));
        }
        let Some((local, domain)) = address.split_once('@') else {
            return Err(ToolError::validation(
                field,
                format!(
                    "`{}` has no `@`, so it is not an email address: {example}",
                    raw.trim()
                ),
            ));
        };
        if local.is_empty() || domain.is_empty() || domain.contains('@') {
            return Err(ToolError::validation(
                field,
                format!("`{}` is not an email address: {example}", raw.trim()),
            ));
        }
        Ok(Self(address))
    }

    /// Folds an address read from Dex the same way, without validating it:
    /// stored data is compared, not rejected.
    pub fn fold(stored: &str) -> String {
        stored.trim().to_lowercase()
    }

    /// The folded address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone number reduced to what identifies it: its digits.
///
/// People write one number many ways (`+1 (415) 555-0100`, `415.555.0100`,
/// `0014155550100`), so numbers are compared on their last ten digits,
/// which drops country codes and trunk prefixes alike.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber {
    digits: String,
    significant: String,
}

/// How many trailing digits two numbers must share to be the same number.
const SIGNIFICANT_DIGITS: usize = 10;
/// Fewer digits than this cannot be a full phone number anywhere.
const MIN_DIGITS: usize = 7;

impl PhoneNumber {
    /// Validates `raw` as the argument `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, ToolError> {
        let trimmed = raw.trim();
        if let Some(bad) = trimmed
            .chars()
            .find(|c| !(c.is_ascii_digit() || " -().+/".contains(*c)))
        {
            return Err(ToolError::validation(
                field,
                format!(
                    "`{trimmed}` contains {bad:?}; a phone number may hold digits, spaces and `+ - ( ) . /`, like `+1 415 555 0100`"
                ),
            ));
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        if digits.len() < MIN_DIGITS {
            return Err(ToolError::validation(
                field,
                format!(
                    "`{trimmed}` has {} digits; pass the whole number (at least {MIN_DIGITS} digits), with or without country code",
                    digits.len()
                ),
            ));
        }
        let significant = significant_of(trimmed);
        Ok(Self {
            digits,
            significant,
        })
    }

    /// The comparison key of any stored number: its last ten digits, or all
    /// of them when it has fewer. `None` when it has too few to compare.
    pub fn match_key(stored: &str) -> Option<String> {
        let digits: String = stored.chars().filter(char::is_ascii_digit).collect();
        (digits.len() >= MIN_DIGITS).then(|| last_digits(&digits).to_owned())
    }

    /// This number's comparison key.
    pub fn key(&self) -> &str {
        last_digits(&self.digits)
    }
}

/// How two phone numbers compare, see [`PhoneNumber::compare_stored`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneMatch {
    /// The same number, written with or without country code or trunk
    /// prefix.
    Same,
    /// The shorter number (this many digits) is too short to be a whole
    /// number but the longer one ends with it: probably the same number
    /// typed without its area code.
    SameEnding(usize),
    /// Different numbers.
    Different,
}

/// A number with at least this many significant digits is a whole national
/// number in most countries (France, Spain, Poland: 9; North America: 10).
const WHOLE_NUMBER_DIGITS: usize = 9;

impl PhoneNumber {
    /// The digits that identify the number: all of them, less leading
    /// zeros, which are only ever international (`00`) or trunk (`0`)
    /// prefixes. `None` when fewer than seven remain.
    pub fn significant_digits(stored: &str) -> Option<String> {
        let significant = significant_of(stored);
        (significant.len() >= MIN_DIGITS).then_some(significant)
    }

    /// Whether the number was written with `011` in front, the
    /// international call prefix dialled from North America.
    pub fn dialled_with_north_american_exit_code(&self) -> bool {
        north_american_exit_code(&self.digits, &self.digits)
    }

    /// This number's significant digits (see
    /// [`PhoneNumber::significant_digits`]).
    pub fn significant(&self) -> &str {
        &self.significant
    }

    /// Compares two strings of significant digits. A number is the same
    /// when one is the other with a country code (and perhaps a kept trunk
    /// zero, `+49 (0)30 ...`) in front: the shorter must end the longer.
    /// Comparing only the last ten digits would fail for countries whose
    /// national numbers have nine (`+33 1 23 45 67 89` vs `01 23 45 67 89`).
    pub fn compare_stored(a: &str, b: &str) -> PhoneMatch {
        let (shorter, longer) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        if shorter.len() < MIN_DIGITS {
            return PhoneMatch::Different;
        }
        // `+33 (0)6 ...` copied as bare digits keeps its trunk zero right
        // after the country code (one to three digits): try without it.
        let with_trunk_dropped = || {
            (1..=3).any(|at| {
                longer.as_bytes().get(at) == Some(&b'0')
                    && format!("{}{}", &longer[..at], &longer[at + 1..]).ends_with(shorter)
            })
        };
        if !longer.ends_with(shorter) && !with_trunk_dropped() {
            PhoneMatch::Different
        } else if shorter.len() >= WHOLE_NUMBER_DIGITS || shorter.len() == longer.len() {
            PhoneMatch::Same
        } else {
            PhoneMatch::SameEnding(shorter.len())
        }
    }
}

/// Digits less the international call prefix (`00`, or North America's
/// `011`) or national trunk zero in front, and less a trunk zero written
/// in brackets after the country code (`+49 (0)30 ...`), which is never
/// dialled from abroad.
fn significant_of(text: &str) -> String {
    let digits: String = text
        .replace("(0)", "")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    if north_american_exit_code(text, &digits) {
        return digits[3..].trim_start_matches('0').to_owned();
    }
    digits.trim_start_matches('0').to_owned()
}

/// Whether `digits` (of `text`) start with `011`, North America's prefix
/// for calling abroad (`011 44 20 7946 0958`). Only when they are too
/// many for a national number (13 or more, against 11 at most for a
/// national number with its trunk zero): UK numbers such as
/// `0113 496 0000` also start with 011.
fn north_american_exit_code(text: &str, digits: &str) -> bool {
    !text.trim_start().starts_with('+') && digits.starts_with("011") && digits.len() >= 13
}

fn last_digits(digits: &str) -> &str {
    &digits[digits.len().saturating_sub(SIGNIFICANT_DIGITS)..]
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ErrorKind;

    #[test]
    fn email_is_trimmed_and_case_folded() {
        let email = EmailAddress::parse("email", "  Ada.Lovelace@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "ada.lovelace@example.com");
    }

    #[test]
    fn email_without_at_names_the_field_and_shows_an_example() {
        let err = EmailAddress::parse("email", "ada(at)example.com").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation);
        assert_eq!(err.field.as_deref(), Some("email"));
        assert!(err.message.contains("has no `@`"), "{}", err.message);
        assert!(err.message.contains("ada@example.com"), "{}", err.message);
    }

    #[test]
    fn email_with_two_ats_or_empty_parts_is_refused() {
        for bad in [
            "a@b@c",
            "@example.com",
            "ada@",
            "",
            "   ",
            "ada lovelace@x.org",
        ] {
            assert!(
                EmailAddress::parse("email", bad).is_err(),
                "{bad:?} was accepted"
            );
        }
    }

    #[test]
    fn phone_formats_of_one_number_share_a_key() {
        let forms = [
            "+1 (415) 555-0100",
            "415.555.0100",
            "001 415 555 0100",
            "4155550100",
        ];
        let keys: Vec<_> = forms
            .iter()
            .map(|f| PhoneNumber::parse("phone", f).unwrap().key().to_owned())
            .collect();
        assert!(keys.iter().all(|k| k == "4155550100"), "{keys:?}");
        assert_eq!(
            PhoneNumber::match_key("+1 415-555-0100").as_deref(),
            Some("4155550100")
        );
    }

    #[test]
    fn nine_digit_national_numbers_match_their_international_form() {
        let same = |a: &str, b: &str| {
            PhoneNumber::compare_stored(
                &PhoneNumber::significant_digits(a).unwrap(),
                &PhoneNumber::significant_digits(b).unwrap(),
            )
        };
        assert_eq!(
            same("+33 1 23 45 67 89", "01 23 45 67 89"),
            PhoneMatch::Same
        );
        assert_eq!(
            same("+49 (0)151 2345 6700", "0151 2345 6700"),
            PhoneMatch::Same
        );
        assert_eq!(same("0044 20 7946 0958", "020 7946 0958"), PhoneMatch::Same);
        assert_eq!(same("+1 (415) 555-0100", "415.555.0100"), PhoneMatch::Same);
        assert_eq!(
            same("+1 415 555 0100", "555 0100"),
            PhoneMatch::SameEnding(7)
        );
        assert_eq!(
            same("+1 415 555 0100", "+1 415 555 0199"),
            PhoneMatch::Different
        );
    }

    #[test]
    fn phone_with_letters_or_too_few_digits_is_refused() {
        assert!(PhoneNumber::parse("phone", "call me").is_err());
        let err = PhoneNumber::parse("phone", "555-01").unwrap_err();
        assert!(err.message.contains("5 digits"), "{}", err.message);
        assert_eq!(PhoneNumber::match_key("12"), None);
    }

    #[test]
    fn contact_id_refuses_path_characters() {
        assert!(ContactId::parse("contact_id", "abc-123_X").is_ok());
        for bad in ["", "a/b", "a b", "../x", "id?x=1"] {
            let err = ContactId::parse("contact_id", bad).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("contact_id"));
        }
    }
}
