//! Reading single contacts from the legacy API.

use super::api::LegacyApi;
use super::wire::LegacyContact;
use crate::dex::retry::Retrier;
use crate::dex::wire_text::{require_id, require_ids};
use crate::dex::{ContactRepository, HttpTransport, Method};
use crate::model::{Contact, ContactId, EmailAddress, ErrorKind, ToolError};

/// A legacy API client over some transport: the legacy side of
/// [`ContactRepository`].
pub struct LegacyClient<T> {
    pub(super) api: LegacyApi<T>,
}

impl<T: HttpTransport> LegacyClient<T> {
    /// A client for the API at `base_url` (`https://api.getdex.com/api/rest`),
    /// retrying with the default policy.
    pub fn new(base_url: &str, transport: T) -> Self {
        Self::with_retrier(base_url, transport, Retrier::default())
    }

    /// A client for the API at `base_url`, retrying as `retrier` does.
    pub fn with_retrier(base_url: &str, transport: T, retrier: Retrier) -> Self {
        Self {
            api: LegacyApi::new(base_url, transport, retrier),
        }
    }
}

impl<T: HttpTransport> ContactRepository for LegacyClient<T> {
    fn find_by_email(&self, email: &EmailAddress) -> Result<Vec<Contact>, ToolError> {
        let what = "contact search";
        let request = self.api.request(
            Method::Get,
            "/search/contacts",
            &[("email", email.as_str())],
            None,
        );
        let found: Vec<LegacyContact> = self
            .api
            .exchange(request, what)?
            .take("search_contacts_by_exact_email")?;
        let found: Vec<Contact> = found.into_iter().map(Contact::from).collect();
        require_ids(
            found.iter().map(|c| c.id.as_str()),
            "contact",
            "GET /search/contacts",
        )?;
        // Dex's search is exact already; checking again guards against a
        // server that folds differently than we do.
        Ok(found
            .into_iter()
            .filter(|c| {
                c.emails
                    .iter()
                    .any(|e| EmailAddress::fold(&e.email) == email.as_str())
            })
            .collect())
    }

    fn get(&self, id: &ContactId) -> Result<Contact, ToolError> {
        let what = format!("contact with id {id}");
        let request = self
            .api
            .request(Method::Get, &format!("/contacts/{id}"), &[], None);
        let found: Vec<LegacyContact> = self.api.exchange(request, &what)?.take("contacts")?;
        let contact = found
            .into_iter()
            .next()
            .map(Contact::from)
            .ok_or_else(|| ToolError::new(ErrorKind::NotFound, format!("Dex has no {what}")))?;
        require_id(&contact.id, "contact", "GET /contacts/{id}")?;
        Ok(contact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dex::testing::{Scripted, no_wait};

    fn client(script: &Scripted) -> LegacyClient<&Scripted> {
        LegacyClient::with_retrier("http://dex.test/api/rest/", script, no_wait())
    }

    #[test]
    fn email_search_asks_the_exact_email_query_and_keeps_exact_matches() {
        let script = Scripted::new(&[(
            200,
            r#"{"search_contacts_by_exact_email": [
                {"id": "1", "first_name": "Ada", "emails": [{"email": "Ada@X.org"}]},
                {"id": "2", "emails": [{"email": "ada@x.org.uk"}]}]}"#,
        )]);
        let email = EmailAddress::parse("email", "ada+work@x.org").unwrap();
        let found = client(&script).find_by_email(&email).unwrap();
        assert!(found.is_empty(), "neither address is ada+work@x.org");
        let seen = script.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].method, Method::Get);
        assert_eq!(
            seen[0].url,
            "http://dex.test/api/rest/search/contacts?email=ada%2Bwork%40x.org"
        );

        let script = Scripted::new(&[(
            200,
            r#"{"search_contacts_by_exact_email": [
                {"id": "1", "first_name": "Ada", "emails": [{"email": "Ada@X.org"}]},
                {"id": "2", "emails": [{"email": "ada@x.org.uk"}]}]}"#,
        )]);
        let email = EmailAddress::parse("email", "ada@x.org").unwrap();
        let found = client(&script).find_by_email(&email).unwrap();
        let ids: Vec<_> = found.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["1"]);
        assert_eq!(found[0].full_name, "Ada");
    }

    #[test]
    fn get_reads_the_one_contact_of_the_contacts_array() {
        let script = Scripted::new(&[(
            200,
            r#"{"contacts": [{"id": "c7", "first_name": "Bo", "phones": [{"phone_number": "555"}]}]}"#,
        )]);
        let id = ContactId::parse("id", "c7").unwrap();
        let contact = client(&script).get(&id).unwrap();
        assert_eq!(contact.full_name, "Bo");
        assert_eq!(contact.phones[0].number, "555");
        assert_eq!(script.seen()[0].url, "http://dex.test/api/rest/contacts/c7");
    }

    #[test]
    fn get_of_an_empty_array_or_a_404_is_not_found() {
        let script = Scripted::new(&[(200, r#"{"contacts": []}"#)]);
        let id = ContactId::parse("id", "gone").unwrap();
        let err = client(&script).get(&id).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert!(err.message.contains("gone"), "{}", err.message);

        let script =
            Scripted::new(&[(404, r#"{"error": "no such contact", "code": "not-found"}"#)]);
        let err = client(&script).get(&id).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
    }

    #[test]
    fn an_answer_without_the_query_key_is_an_upstream_error() {
        let script = Scripted::new(&[(200, r#"{"contacts_by_email": []}"#)]);
        let email = EmailAddress::parse("email", "ada@x.org").unwrap();
        let err = client(&script).find_by_email(&email).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Upstream);
        assert!(
            err.message.contains("search_contacts_by_exact_email"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_transient_failure_of_a_read_is_retried() {
        let script = Scripted::new(&[(503, "busy"), (200, r#"{"contacts": [{"id": "c1"}]}"#)]);
        let id = ContactId::parse("id", "c1").unwrap();
        assert_eq!(client(&script).get(&id).unwrap().id, "c1");
        assert_eq!(script.seen().len(), 2);
    }
}
