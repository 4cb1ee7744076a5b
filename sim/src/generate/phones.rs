//! Phone numbers written the way people type them, in each country's habits
//! (and some not), with the sanitised form Dex stores beside them.

use rand::Rng;

use super::vocab::PhoneStyle;
use crate::model::ContactPhoneNumber;

/// A phone number in one of `style`'s written forms. The last digits come
/// from `serial` so numbers within a dataset differ.
pub fn phone_number(rng: &mut impl Rng, style: PhoneStyle, serial: usize) -> ContactPhoneNumber {
    let n = serial % 100;
    let form: u8 = rng.random_range(0..3);
    let (typed, country_code) = match style {
        PhoneStyle::NorthAmerica => {
            let area = ["415", "212", "512", "206", "416", "617"][serial % 6];
            let typed = match form {
                0 => format!("+1 {area}-555-01{n:02}"),
                1 => format!("({area}) 555 01{n:02}"),
                _ => format!("{area}.555.01{n:02}"),
            };
            (typed, "+1")
        }
        PhoneStyle::Uk => {
            let typed = match form {
                0 => format!("0044 20 7946 09{n:02}"),
                1 => format!("+44 7700 9001{n:02}"),
                _ => format!("020 7946 09{n:02}"),
            };
            (typed, "+44")
        }
        PhoneStyle::Germany => {
            let typed = match form {
                0 => format!("+49 30 901820{n:02}"),
                1 => format!("030 9018 20{n:02}"),
                _ => format!("+49 (0)151 2345 67{n:02}"),
            };
            (typed, "+49")
        }
        PhoneStyle::France => {
            let typed = match form {
                0 => format!("+33 1 23 45 67 {n:02}"),
                1 => format!("06 12 34 56 {n:02}"),
                _ => format!("+33 (0)6 12 34 56 {n:02}"),
            };
            (typed, "+33")
        }
        PhoneStyle::Spain => (format!("+34 912 345 6{n:02}"), "+34"),
        PhoneStyle::Poland => (format!("+48 22 123 45 {n:02}"), "+48"),
        PhoneStyle::Denmark => (format!("+45 32 12 34 {n:02}"), "+45"),
        PhoneStyle::Brazil => (format!("+55 11 91234-56{n:02}"), "+55"),
        PhoneStyle::Italy => (format!("+39 06 1234 56{n:02}"), "+39"),
        PhoneStyle::Japan => (format!("+81 3-1234-56{n:02}"), "+81"),
    };
    ContactPhoneNumber {
        phone_number_sanitized: Some(sanitize(&typed, country_code)),
        phone_number: typed,
        country_code: Some(country_code.to_owned()),
        label: Some(if form == 1 { "mobile" } else { "work" }.to_owned()),
        ranking: 0,
    }
}

/// The E.164-like form of a typed number: `+` and digits, with the
/// country code added to national numbers and `00` read as `+`.
pub fn sanitize(typed: &str, country_code: &str) -> String {
    // "(0)" is the optional trunk prefix written inside international numbers.
    let typed = typed.replace("(0)", "");
    let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
    if typed.trim_start().starts_with('+') {
        format!("+{digits}")
    } else if let Some(rest) = digits.strip_prefix("00") {
        format!("+{rest}")
    } else {
        let national = digits.strip_prefix('0').unwrap_or(&digits);
        format!("{country_code}{national}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes_international_and_national_forms_alike() {
        assert_eq!(sanitize("+1 415-555-0100", "+1"), "+14155550100");
        assert_eq!(sanitize("(415) 555 0100", "+1"), "+14155550100");
        assert_eq!(sanitize("0044 20 7946 0958", "+44"), "+442079460958");
        assert_eq!(sanitize("020 7946 0958", "+44"), "+442079460958");
        assert_eq!(sanitize("+33 (0)6 12 34 56 78", "+33"), "+33612345678");
    }
}
