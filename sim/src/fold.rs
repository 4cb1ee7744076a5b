//! Case and accent folding, so that `jose` finds `José` and email
//! addresses can be made from names with diacritics.

/// Lower-cases `text` and strips the diacritics of Latin letters
/// (`Łukasz Wiśniewska` becomes `lukasz wisniewska`, `Weiß` becomes `weiss`).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        match base_letters(ch) {
            Some(base) => out.push_str(base),
            None => out.push(ch),
        }
    }
    out
}

/// The ASCII letters a lower-case accented letter reads as.
fn base_letters(ch: char) -> Option<&'static str> {
    Some(match ch {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ą' => "a",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'ı' => "i",
        'ł' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' | 'ő' => "o",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ť' => "t",
        'ú' | 'ù' | 'û' | 'ü' | 'ů' | 'ū' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_accents_and_case() {
        assert_eq!(fold("José ÁLVAREZ"), "jose alvarez");
        assert_eq!(fold("Łukasz Wiśniewska"), "lukasz wisniewska");
        assert_eq!(fold("Søren Weiß"), "soren weiss");
        assert_eq!(fold("Zoë Satō"), "zoe sato");
    }

    #[test]
    fn leaves_other_scripts_alone() {
        assert_eq!(fold("東京 ok"), "東京 ok");
    }

    #[test]
    fn finds_unaccented_needle_in_accented_text() {
        assert!(fold("Met François at Café Einstein").contains("francois"));
        assert!(!fold("Met François").contains("franz"));
    }
}
