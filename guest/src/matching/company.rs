//! Comparing employers: "Google", "Google LLC" and "google inc." are one
//! company; "Google Cloud" is part of it.

use super::fold::folded_words;

/// Words that only say what legal form a company has; they are dropped so
/// that `Acme` and `ACME GmbH` compare equal.
const LEGAL_FORMS: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "ag",
    "kg",
    "se",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "plc",
    "pty",
    "oy",
    "ab",
    "as",
    "aps",
    "sp",
    "zoo",
    "the",
];

/// An employer's name folded for comparison.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CompanyKey {
    words: Vec<String>,
    joined: String,
}

impl CompanyKey {
    /// The key of `raw`; `None` when nothing but legal-form words or
    /// punctuation is left.
    pub fn new(raw: &str) -> Option<Self> {
        // Dots only abbreviate (`S.A.`, `J.P. Morgan`): dropping them keeps
        // the abbreviation one word.
        let all = folded_words(&raw.replace('.', ""));
        let mut words: Vec<String> = all
            .iter()
            .filter(|w| !LEGAL_FORMS.contains(&w.as_str()))
            .cloned()
            .collect();
        if words.is_empty() {
            // A company called just "The Company" keeps its words.
            words = all;
        }
        if words.is_empty() {
            return None;
        }
        let joined = words.join(" ");
        Some(Self { words, joined })
    }
}

/// How a company the user named fits a contact's employer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompanyFit {
    /// The same company.
    Same,
    /// One name contains the other's words (`Google` and `Google Cloud`).
    Part,
    /// Nearly the same spelling (`Gogle`, `Microsfot`).
    Close,
    /// A different company.
    Different,
}

impl CompanyFit {
    /// Whether this fit speaks for the match.
    pub fn supports(self) -> bool {
        !matches!(self, CompanyFit::Different)
    }
}

/// How the named company `query` fits the stored employer `stored`.
pub fn compare(query: &CompanyKey, stored: &CompanyKey) -> CompanyFit {
    if query.joined == stored.joined {
        return CompanyFit::Same;
    }
    let contains = |outer: &CompanyKey, inner: &CompanyKey| {
        inner.words.iter().all(|w| outer.words.contains(w))
    };
    if contains(stored, query) || contains(query, stored) {
        return CompanyFit::Part;
    }
    let (q, s) = (query.joined.as_str(), stored.joined.as_str());
    if q.len() >= 4 && strsim::osa_distance(q, s) <= if q.len() > 7 { 2 } else { 1 } {
        return CompanyFit::Close;
    }
    CompanyFit::Different
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fit(query: &str, stored: &str) -> CompanyFit {
        compare(
            &CompanyKey::new(query).unwrap(),
            &CompanyKey::new(stored).unwrap(),
        )
    }

    #[test]
    fn legal_forms_and_case_are_ignored() {
        assert_eq!(fit("google", "Google LLC"), CompanyFit::Same);
        assert_eq!(fit("Siemens AG", "siemens"), CompanyFit::Same);
        assert_eq!(fit("Nestlé", "Nestle S.A."), CompanyFit::Same);
    }

    #[test]
    fn a_division_is_part_of_the_company() {
        assert_eq!(fit("Google", "Google Cloud"), CompanyFit::Part);
        assert_eq!(
            fit("Deutsche Bank Research", "Deutsche Bank"),
            CompanyFit::Part
        );
    }

    #[test]
    fn small_misspellings_are_close() {
        assert_eq!(fit("Microsfot", "Microsoft"), CompanyFit::Close);
        assert_eq!(fit("Gogle", "Google"), CompanyFit::Close);
    }

    #[test]
    fn other_companies_differ() {
        assert_eq!(fit("Google", "Apple"), CompanyFit::Different);
        assert_eq!(
            fit("IBM", "HBM"),
            CompanyFit::Different,
            "short names need exactness"
        );
    }

    #[test]
    fn a_name_of_legal_words_only_is_kept() {
        assert!(CompanyKey::new("The Company").is_some());
        assert!(CompanyKey::new(" - ").is_none());
    }
}
