//! The `resources` interface (`wit/resources.wit`): each contact as a
//! resource, `dex://contacts/{id}`, whose contents are the contact with
//! its latest notes and open reminders, as markdown and as JSON.
//!
//! Contacts are reached through the template, not listed one by one: an
//! account holds thousands, and a client finds one by completing `{id}`
//! from a name ([`super::pick::complete_ids`]). So `list-resources`
//! answers no fixed resource.

use super::card::ContactCard;
use super::pick;
use super::{AccountReader, Completion, RequestError};
use crate::model::ContactId;

/// The template every contact's URI follows.
pub const CONTACT_TEMPLATE: &str = "dex://contacts/{id}";
/// What comes before the id in a contact's URI.
const CONTACT_PREFIX: &str = "dex://contacts/";

/// A template as the component lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSpec {
    /// The RFC 6570 pattern.
    pub uri_template: &'static str,
    /// A name for programs.
    pub name: &'static str,
    /// A human title.
    pub title: &'static str,
    /// What each resource holds.
    pub description: &'static str,
    /// The picture of each resource, from [`crate::icons`].
    pub icon: &'static str,
}

/// The templates, in listing order.
pub const TEMPLATES: &[TemplateSpec] = &[TemplateSpec {
    uri_template: CONTACT_TEMPLATE,
    name: "contact",
    title: "Contact",
    description: "A contact in Dex with its latest notes and open reminders, as markdown (text/markdown) and as JSON (application/json). `{id}` is the contact's Dex id; completing it from a name (even misspelled) offers the ids of the contacts that fit.",
    icon: crate::icons::CONTACTS,
}];

/// One body of a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    /// The URI read.
    pub uri: String,
    /// `text/markdown` or `application/json`.
    pub mime_type: &'static str,
    /// The text.
    pub text: String,
}

/// The contents at `uri`: the contact's card as markdown, then as JSON.
/// A URI outside the template, or an id of no contact, is `not-found`;
/// the URI is checked before the account is read.
pub fn read_resource(account: AccountReader, uri: &str) -> Result<Vec<Contents>, RequestError> {
    let Some(raw_id) = uri.strip_prefix(CONTACT_PREFIX) else {
        return Err(RequestError::NotFound(format!(
            "no resource at `{uri}`: this server's resources are contacts, `{CONTACT_TEMPLATE}`"
        )));
    };
    let id = ContactId::parse("id", raw_id).map_err(|err| {
        RequestError::NotFound(format!("no resource at `{uri}`: {}", err.message))
    })?;
    let account = account()?;
    crate::history::require_readable(&account.snapshot)?;
    let card = ContactCard::of(&account, &id).map_err(|err| {
        RequestError::NotFound(format!("no resource at `{uri}`: {}", err.message))
    })?;
    Ok(vec![
        Contents {
            uri: uri.to_owned(),
            mime_type: "text/markdown",
            text: card.to_markdown(),
        },
        Contents {
            uri: uri.to_owned(),
            mime_type: "application/json",
            text: card.to_json(),
        },
    ])
}

/// Values for the template variable `argument` of `template`: ids whose
/// contacts' names fit `typed`. Another template or variable is
/// `not-found` / `invalid-argument`, before the account is read.
pub fn complete(
    account: AccountReader,
    template: &str,
    argument: &str,
    typed: &str,
) -> Result<Completion, RequestError> {
    if template != CONTACT_TEMPLATE {
        return Err(RequestError::NotFound(format!(
            "no resource template `{template}`: this server's is `{CONTACT_TEMPLATE}`"
        )));
    }
    if argument != "id" {
        return Err(RequestError::InvalidArgument(format!(
            "`{CONTACT_TEMPLATE}` has no variable `{argument}`; its one variable is `id`"
        )));
    }
    let account = account()?;
    Ok(pick::complete_ids(&account, typed))
}

/// The `resources` export; compiled for the component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use super::super::export::{completion, request_error};
    use crate::component::Component;
    use crate::component::bindings::dex::crm::content as wit_content;
    use crate::component::bindings::exports::dex::crm::resources as wit;
    use crate::component::state::account;
    use crate::settings::Settings;

    /// Runs `answer` with a reader of the account under this call's
    /// settings.
    fn with_account<T>(
        answer: impl FnOnce(super::AccountReader) -> Result<T, super::RequestError>,
    ) -> Result<T, wit_content::RequestError> {
        let settings = Settings::from_env()
            .map_err(|err| request_error(super::RequestError::Unavailable(err.message)))?;
        answer(&|| account(&settings)).map_err(request_error)
    }

    impl wit::Guest for Component {
        fn list_resources(
            cursor: Option<String>,
        ) -> Result<wit::ResourcePage, wit_content::RequestError> {
            match cursor {
                None => Ok(wit::ResourcePage {
                    resources: Vec::new(),
                    next_cursor: None,
                }),
                Some(cursor) => Err(wit_content::RequestError::InvalidArgument(format!(
                    "`{cursor}` is not a cursor this server gave: it lists no fixed resource, only the template `{}`",
                    super::CONTACT_TEMPLATE
                ))),
            }
        }

        fn list_templates() -> Vec<wit::ResourceTemplate> {
            super::TEMPLATES
                .iter()
                .map(|t| wit::ResourceTemplate {
                    uri_template: t.uri_template.into(),
                    name: t.name.into(),
                    title: t.title.into(),
                    description: t.description.into(),
                    mime_type: None,
                    icons: vec![crate::icons::wit(t.icon)],
                })
                .collect()
        }

        fn read_resource(
            uri: String,
        ) -> Result<Vec<wit_content::ResourceContents>, wit_content::RequestError> {
            let contents = with_account(|account| super::read_resource(account, &uri))?;
            Ok(contents
                .into_iter()
                .map(|c| wit_content::ResourceContents {
                    uri: c.uri,
                    mime_type: c.mime_type.into(),
                    body: wit_content::ResourceBody::Text(c.text),
                })
                .collect())
        }

        fn complete(
            template: String,
            argument: String,
            value: String,
            _context: Vec<(String, String)>,
        ) -> Result<wit_content::Completion, wit_content::RequestError> {
            with_account(|account| super::complete(account, &template, &argument, &value))
                .map(completion)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Contact, Note, Reminder};
    use crate::snapshot::Snapshot;
    use crate::tools::history::held;

    fn snapshot() -> Snapshot {
        Snapshot {
            contacts: vec![Arc::new(Contact {
                id: "c1".into(),
                full_name: "Ada Lovelace".into(),
                first_name: Some("Ada".into()),
                last_name: Some("Lovelace".into()),
                job_title: Some("Analyst".into()),
                ..Contact::default()
            })],
            notes: vec![Arc::new(Note {
                id: "n1".into(),
                text: "Talked about the Analytical Engine".into(),
                event_time: Some("2025-03-01T10:00:00Z".into()),
                contact_ids: vec!["c1".into()],
                ..Note::default()
            })],
            reminders: vec![Arc::new(Reminder {
                id: "r1".into(),
                text: "Send the translation".into(),
                due_date: Some("2025-04-01".into()),
                contact_ids: vec!["c1".into()],
                ..Reminder::default()
            })],
            ..Snapshot::default()
        }
    }

    #[test]
    fn a_contact_reads_as_markdown_and_json_with_its_history() {
        let contents = read_resource(&held(snapshot()), "dex://contacts/c1").unwrap();
        assert_eq!(contents[0].mime_type, "text/markdown");
        let markdown = &contents[0].text;
        assert!(markdown.starts_with("# Ada Lovelace\n"), "{markdown}");
        assert!(markdown.contains("Analytical Engine"), "{markdown}");
        assert!(
            markdown.contains("Send the translation (due 2025-04-01)"),
            "{markdown}"
        );
        assert_eq!(contents[1].mime_type, "application/json");
        let json: serde_json::Value = serde_json::from_str(&contents[1].text).unwrap();
        assert_eq!(json["contact"]["full_name"], "Ada Lovelace");
        assert_eq!(json["recent_notes"][0]["id"], "n1");
        assert_eq!(json["open_reminders"][0]["id"], "r1");
        assert_eq!(json["note_count"], 1);
    }

    #[test]
    fn unknown_uris_and_ids_are_not_found_and_bad_ones_read_nothing() {
        let (read, reads) = crate::tools::history::counted(snapshot());
        for uri in [
            "dex://contacts/c404",
            "dex://notes/n1",
            "test://static-text",
        ] {
            let err = read_resource(&read, uri).unwrap_err();
            assert!(
                matches!(&err, RequestError::NotFound(m) if m.contains(uri)),
                "{err:?}"
            );
        }
        // Only the well-formed contact URI read the account.
        assert_eq!(reads.get(), 1);
        let err = read_resource(&read, "dex://contacts/a/b").unwrap_err();
        assert!(matches!(err, RequestError::NotFound(_)), "{err:?}");
        assert_eq!(reads.get(), 1);
    }

    #[test]
    fn the_id_completes_from_a_misspelled_name() {
        let found = complete(&held(snapshot()), CONTACT_TEMPLATE, "id", "lovlace").unwrap();
        assert_eq!(found.values, ["c1"]);
        let err = complete(&held(snapshot()), CONTACT_TEMPLATE, "name", "x").unwrap_err();
        assert!(matches!(err, RequestError::InvalidArgument(_)));
        let err = complete(&held(snapshot()), "dex://notes/{id}", "id", "x").unwrap_err();
        assert!(matches!(err, RequestError::NotFound(_)));
    }
}
