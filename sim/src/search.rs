//! What the search endpoints match: a case- and accent-insensitive
//! substring of the record's visible text.

use crate::fold::fold;
use crate::model::{Contact, Note, Reminder};

/// A folded query, ready to match many records.
#[derive(Debug, Clone)]
pub struct Query(String);

impl Query {
    /// Folds `text` once for all the matches that follow.
    pub fn new(text: &str) -> Self {
        Query(fold(text.trim()))
    }

    fn hit(&self, text: &str) -> bool {
        fold(text).contains(&self.0)
    }

    /// Names, employer, title, emails and phone numbers (a query of digits
    /// also matches a number written with spaces or dashes).
    pub fn matches_contact(&self, contact: &Contact) -> bool {
        let names = [
            &contact.full_name,
            &contact.first_name,
            &contact.last_name,
            &contact.company,
            &contact.job_title,
        ];
        if names
            .iter()
            .any(|field| field.as_deref().is_some_and(|t| self.hit(t)))
        {
            return true;
        }
        if contact.contact_emails.iter().any(|e| self.hit(&e.email)) {
            return true;
        }
        let digits: String = self.0.chars().filter(char::is_ascii_digit).collect();
        contact.contact_phone_numbers.iter().any(|p| {
            self.hit(&p.phone_number)
                || (digits.len() >= 4
                    && p.phone_number
                        .chars()
                        .filter(char::is_ascii_digit)
                        .collect::<String>()
                        .contains(&digits))
        })
    }

    /// The note's text.
    pub fn matches_note(&self, note: &Note) -> bool {
        self.hit(&note.note)
    }

    /// The reminder's text.
    pub fn matches_reminder(&self, reminder: &Reminder) -> bool {
        self.hit(&reminder.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContactEmail, ContactPhoneNumber};

    fn jose() -> Contact {
        Contact {
            full_name: Some("José Álvarez".into()),
            first_name: Some("José".into()),
            last_name: Some("Álvarez".into()),
            company: Some("Sierra Alta Vinos".into()),
            contact_emails: vec![ContactEmail {
                email: "jose.alvarez@sierraalta.es".into(),
                ..Default::default()
            }],
            contact_phone_numbers: vec![ContactPhoneNumber {
                phone_number: "+34 912 345 678".into(),
                ..Default::default()
            }],
            ..Contact::default()
        }
    }

    #[test]
    fn matches_names_without_accents_or_case() {
        assert!(Query::new("jose alv").matches_contact(&jose()));
        assert!(Query::new("ÁLVAREZ").matches_contact(&jose()));
    }

    #[test]
    fn matches_company_email_and_phone_digits() {
        assert!(Query::new("sierra").matches_contact(&jose()));
        assert!(Query::new("sierraalta.es").matches_contact(&jose()));
        assert!(Query::new("912345678").matches_contact(&jose()));
        assert!(!Query::new("müller").matches_contact(&jose()));
    }
}
