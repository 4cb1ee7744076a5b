//! The `contact-writes` interface (`wit/contact-writes.wit`):
//! `create-contact`, `update-contact`, `delete-contact`, `merge-contacts`
//! and `enrich-contact`, the adapters that check arguments, call a
//! [`ContactWrites`] and word the answer, and the interface's WIT glue.

use std::rc::Rc;

use crate::account::{Account, AccountChange};
use crate::dex::{ContactRepository, ContactWrites, Created, Creation};
use crate::model::{
    Contact, ContactFields, ContactId, EmailAddress, EmailEntry, ErrorKind, PhoneEntry,
    PhoneNumber, SocialLink, SocialProfile, ToolError,
};
use crate::writes::{
    EnrichPlan, EnrichRequest, IdempotencyKey, KeyStore, Written, contact_deletion, create_once,
    date, merge, optional_text, plan_enrichment, require_confirmation, written_create,
};

/// The contact fields of `create-contact` and `update-contact`, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactArgs {
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Email addresses.
    pub emails: Option<Vec<EmailEntry>>,
    /// Phone numbers.
    pub phones: Option<Vec<PhoneEntry>>,
    /// Employer.
    pub company: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// About.
    pub description: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// `YYYY-MM-DD`.
    pub birthday: Option<String>,
    /// Profile links.
    pub social_links: Option<Vec<SocialLink>>,
    /// Starred (update only).
    pub starred: Option<bool>,
    /// Archived (update only).
    pub archived: Option<bool>,
}

impl ContactArgs {
    /// Checks every field, naming the first one at fault.
    fn validate(&self) -> Result<ContactFields, ToolError> {
        let emails = self
            .emails
            .as_ref()
            .map(|list| {
                list.iter()
                    .map(|e| {
                        EmailAddress::parse("emails", &e.email)?;
                        Ok(EmailEntry {
                            email: e.email.trim().to_owned(),
                            label: e.label.clone().filter(|l| !l.trim().is_empty()),
                        })
                    })
                    .collect::<Result<Vec<_>, ToolError>>()
            })
            .transpose()?;
        let phones = self
            .phones
            .as_ref()
            .map(|list| {
                list.iter()
                    .map(|p| {
                        PhoneNumber::parse("phones", &p.number)?;
                        Ok(PhoneEntry {
                            number: p.number.trim().to_owned(),
                            label: p.label.clone().filter(|l| !l.trim().is_empty()),
                        })
                    })
                    .collect::<Result<Vec<_>, ToolError>>()
            })
            .transpose()?;
        let mut social_links: Vec<SocialLink> = Vec::new();
        for link in self.social_links.iter().flatten() {
            SocialProfile::parse("social-links", &link.url)?;
            if social_links.iter().any(|l| l.network == link.network) {
                return Err(ToolError::validation(
                    "social-links",
                    format!(
                        "two {} links given; Dex keeps one per network",
                        link.network.field()
                    ),
                ));
            }
            social_links.push(SocialLink {
                network: link.network,
                url: link.url.trim().to_owned(),
            });
        }
        Ok(ContactFields {
            first_name: optional_text("first-name", self.first_name.as_deref())?,
            last_name: optional_text("last-name", self.last_name.as_deref())?,
            job_title: optional_text("job-title", self.job_title.as_deref())?,
            company: optional_text("company", self.company.as_deref())?,
            description: optional_text("description", self.description.as_deref())?,
            website: optional_text("website", self.website.as_deref())?,
            birthday: self
                .birthday
                .as_deref()
                .map(|b| date("birthday", b))
                .transpose()?,
            emails,
            phones,
            social_links,
            starred: self.starred,
            archived: self.archived,
            // Set by the keep-in-touch tools, not by these arguments.
            keep_in_touch: None,
            last_seen_at: None,
        })
    }
}

fn display_name(contact: &Contact) -> String {
    if contact.full_name.trim().is_empty() {
        contact
            .emails
            .first()
            .map(|e| e.email.clone())
            .unwrap_or_else(|| contact.id.clone())
    } else {
        contact.full_name.clone()
    }
}

/// A contact saved, with the fields the call set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedContact {
    /// As Dex stored it.
    pub contact: Contact,
    /// WIT names of the fields set.
    pub changed_fields: Vec<String>,
    /// How a created contact came to be answered; `None` for a change.
    pub creation: Option<Creation>,
}

fn saved(contact: Contact, changed_fields: Vec<String>, summary: String) -> Written<SavedContact> {
    Written {
        summary,
        change: AccountChange::ContactSaved(contact.clone()),
        answer: SavedContact {
            contact,
            changed_fields,
            creation: None,
        },
    }
}

/// Creates a contact; it needs a name or an email. Created once per
/// idempotency key (kept in `keys`, when the host lends a store).
pub fn create_contact(
    contacts: &dyn ContactWrites,
    keys: Option<&dyn KeyStore>,
    args: &ContactArgs,
    idempotency_key: Option<&str>,
    now: std::time::SystemTime,
) -> Result<Written<SavedContact>, ToolError> {
    let fields = args.validate()?;
    let has_email = fields.emails.as_ref().is_some_and(|e| !e.is_empty());
    if fields.first_name.is_none() && fields.last_name.is_none() && !has_email {
        return Err(ToolError::validation(
            "first-name",
            "a contact needs a first-name, a last-name or an email, so that it can be found again",
        ));
    }
    let key = idempotency_key
        .map(|k| IdempotencyKey::parse("idempotency-key", k))
        .transpose()?;
    let (created, key_note) =
        create_once(keys, key.as_ref(), "create_contact", &fields, now, || {
            contacts.create_contact(&fields)
        })?;
    let summary = format!(
        "Created contact {} ({}).",
        display_name(&created.record),
        created.record.id
    );
    let written = written_create(
        created,
        key_note,
        "contact",
        summary,
        AccountChange::ContactSaved,
    );
    let Created { record, creation } = written.answer;
    Ok(Written {
        summary: written.summary,
        change: written.change,
        answer: SavedContact {
            contact: record,
            changed_fields: fields.names(),
            creation: Some(creation),
        },
    })
}

/// Changes the fields `args` sets and nothing else.
pub fn update_contact(
    contacts: &dyn ContactWrites,
    contact_id: &str,
    args: &ContactArgs,
) -> Result<Written<SavedContact>, ToolError> {
    let id = ContactId::parse("contact-id", contact_id)?;
    let changes = args.validate()?;
    if changes.is_empty() {
        return Err(ToolError::validation(
            "contact-id",
            "nothing to change: pass at least one field to set",
        ));
    }
    let contact = contacts.update_contact(&id, &changes)?;
    let names = changes.names();
    let summary = format!(
        "Updated {} of {} ({id}).",
        names.join(", "),
        display_name(&contact)
    );
    Ok(saved(contact, names, summary))
}

/// Deletes a contact once `confirm` is true; otherwise says what would be
/// lost, reading the account through `account`.
pub fn delete_contact(
    contacts: &dyn ContactWrites,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    contact_id: &str,
    confirm: Option<bool>,
) -> Result<Written<String>, ToolError> {
    let id = ContactId::parse("contact-id", contact_id)?;
    require_confirmation(confirm, || contact_deletion(&*account()?, &id))?;
    contacts.delete_contact(&id)?;
    Ok(Written {
        summary: format!(
            "Deleted contact {id}, with the notes and reminders that were only about it."
        ),
        change: AccountChange::ContactDeleted(id.to_string()),
        answer: id.to_string(),
    })
}

/// The record that survived and the ids merged into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The surviving contact after the merge: Dex's choice, which may be
    /// another record of the group than the one asked to be kept.
    pub contact: Contact,
    /// The other records of the group, merged into it and deleted.
    pub removed_ids: Vec<String>,
}

/// Merges `duplicate_ids` into `keep_id` once `confirm` is true.
pub fn merge_contacts(
    contacts: &dyn ContactWrites,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    keep_id: &str,
    duplicate_ids: &[String],
    confirm: Option<bool>,
) -> Result<Written<Merged>, ToolError> {
    let keep = ContactId::parse("keep-id", keep_id)?;
    let mut duplicates: Vec<ContactId> = Vec::with_capacity(duplicate_ids.len());
    for raw in duplicate_ids {
        let id = ContactId::parse("duplicate-ids", raw)?;
        if id == keep {
            return Err(ToolError::validation(
                "duplicate-ids",
                format!("{id} is the contact to keep; it cannot also be merged away"),
            ));
        }
        if !duplicates.contains(&id) {
            duplicates.push(id);
        }
    }
    if duplicates.is_empty() {
        return Err(ToolError::validation(
            "duplicate-ids",
            "duplicate_ids is empty; pass the ids of the contacts to merge into keep_id",
        ));
    }
    require_confirmation(confirm, || merge(&*account()?, &keep, &duplicates))?;
    let outcome = contacts.merge_contacts(&keep, &duplicates)?;
    let contact = outcome.survivor;
    let removed_ids: Vec<String> = outcome.merged.iter().map(ContactId::to_string).collect();
    let count = format!(
        "{} contact{}",
        removed_ids.len(),
        if removed_ids.len() == 1 { "" } else { "s" }
    );
    let summary = if contact.id == keep.as_str() {
        format!("Merged {count} into {} ({keep}).", display_name(&contact))
    } else {
        format!(
            "Dex kept {} ({}), not {keep} as asked (Dex may keep the oldest record of a merge), and merged {count} into it: {}.",
            display_name(&contact),
            contact.id,
            removed_ids.join(", ")
        )
    };
    Ok(Written {
        summary,
        change: AccountChange::ContactsMerged {
            kept: contact.clone(),
            removed: removed_ids.clone(),
        },
        answer: Merged {
            contact,
            removed_ids,
        },
    })
}

/// The contact after enriching, and the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enriched {
    /// The contact as Dex has it now.
    pub contact: Contact,
    /// What became of each value given.
    pub plan: EnrichPlan,
}

/// Adds to a contact what it does not have yet, reading it fresh from Dex
/// first so that the comparison is against what Dex holds now.
pub fn enrich_contact(
    reader: &dyn ContactRepository,
    contacts: &dyn ContactWrites,
    contact_id: &str,
    request: &EnrichRequest,
) -> Result<Written<Enriched>, ToolError> {
    let id = ContactId::parse("contact-id", contact_id)?;
    let nothing_given = request == &EnrichRequest::default();
    if nothing_given {
        return Err(ToolError::validation(
            "contact-id",
            "nothing to add: pass at least one of emails, phones, social-links, company, job-title, description, website, birthday",
        ));
    }
    let current = reader.get(&id)?;
    let mut plan = plan_enrichment(&current, request);
    // A writer refuses a field it cannot store (legacy has no company)
    // before sending anything; that value is reported as ignored and the
    // rest is written. Each round drops a field, so this ends.
    let contact = loop {
        if plan.changes.is_empty() {
            break current;
        }
        match contacts.update_contact(&id, &plan.changes) {
            Err(e)
                if e.kind == ErrorKind::Validation
                    && e.field
                        .as_deref()
                        .is_some_and(|field| plan.refuse(field, &e.message)) => {}
            written => break written?,
        }
    };
    let summary = plan.summary(&display_name(&contact));
    Ok(Written {
        summary,
        change: AccountChange::ContactSaved(contact.clone()),
        answer: Enriched { contact, plan },
    })
}

/// The `contact-writes` export: WIT values into the adapters above and
/// their answers out; compiled for the component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use crate::component::Component;
    use crate::component::bindings::dex::crm::types as wit;
    use crate::component::bindings::exports::dex::crm::contact_writes as cw;
    use crate::component::convert::{contact, tool_error};
    use crate::component::state::{account, record_write};
    use crate::component::transport::WasiHttp;
    use crate::dex;
    use crate::model;
    use crate::settings::Settings;
    use crate::writes::{EnrichItem, EnrichRequest};

    /// The settings, and the writer of their API generation.
    fn writer() -> Result<(Settings, Box<dyn dex::ContactWrites>), model::ToolError> {
        let settings = Settings::from_env()?;
        let writer = dex::contact_writes(&settings, WasiHttp);
        Ok((settings, writer))
    }

    fn emails(list: Option<Vec<wit::EmailEntry>>) -> Option<Vec<model::EmailEntry>> {
        list.map(|l| {
            l.into_iter()
                .map(|e| model::EmailEntry {
                    email: e.email,
                    label: e.label.map(Into::into),
                })
                .collect()
        })
    }

    fn phones(list: Option<Vec<wit::PhoneEntry>>) -> Option<Vec<model::PhoneEntry>> {
        list.map(|l| {
            l.into_iter()
                .map(|p| model::PhoneEntry {
                    number: p.number,
                    label: p.label.map(Into::into),
                })
                .collect()
        })
    }

    fn social_links(list: Option<Vec<wit::SocialLink>>) -> Option<Vec<model::SocialLink>> {
        use model::SocialNetwork as N;
        use wit::SocialNetwork as W;
        list.map(|l| {
            l.into_iter()
                .map(|s| model::SocialLink {
                    network: match s.network {
                        W::Linkedin => N::Linkedin,
                        W::Twitter => N::Twitter,
                        W::Facebook => N::Facebook,
                        W::Instagram => N::Instagram,
                        W::Telegram => N::Telegram,
                        W::Tiktok => N::Tiktok,
                        W::Youtube => N::Youtube,
                    },
                    url: s.url,
                })
                .collect()
        })
    }

    fn saved(
        written: Result<crate::writes::Written<super::SavedContact>, model::ToolError>,
    ) -> Result<cw::SavedContact, wit::ToolError> {
        let (saved, summary) = record_write(written).map_err(tool_error)?;
        Ok(cw::SavedContact {
            contact: contact(saved.contact),
            changed_fields: saved.changed_fields,
            creation: saved.creation.map(crate::component::convert::creation),
            summary,
        })
    }

    fn items(list: Vec<EnrichItem>) -> Vec<cw::EnrichmentItem> {
        list.into_iter()
            .map(|i| cw::EnrichmentItem {
                field: i.field.into(),
                value: i.value,
                reason: i.reason,
            })
            .collect()
    }

    impl cw::Guest for Component {
        fn create_contact(
            first_name: Option<String>,
            last_name: Option<String>,
            emails_: Option<Vec<wit::EmailEntry>>,
            phones_: Option<Vec<wit::PhoneEntry>>,
            company: Option<String>,
            job_title: Option<String>,
            description: Option<String>,
            website: Option<String>,
            birthday: Option<String>,
            social_links_: Option<Vec<wit::SocialLink>>,
            idempotency_key: Option<String>,
        ) -> Result<cw::SavedContact, wit::ToolError> {
            let (_, writer) = writer().map_err(tool_error)?;
            let args = super::ContactArgs {
                first_name,
                last_name,
                emails: emails(emails_),
                phones: phones(phones_),
                company,
                job_title,
                description,
                website,
                birthday,
                social_links: social_links(social_links_),
                starred: None,
                archived: None,
            };
            let keys = crate::component::stored::key_store();
            saved(super::create_contact(
                &writer,
                keys.as_ref().map(|k| k as _),
                &args,
                idempotency_key.as_deref(),
                std::time::SystemTime::now(),
            ))
        }

        fn update_contact(
            contact_id: String,
            first_name: Option<String>,
            last_name: Option<String>,
            emails_: Option<Vec<wit::EmailEntry>>,
            phones_: Option<Vec<wit::PhoneEntry>>,
            company: Option<String>,
            job_title: Option<String>,
            description: Option<String>,
            website: Option<String>,
            birthday: Option<String>,
            social_links_: Option<Vec<wit::SocialLink>>,
            starred: Option<bool>,
            archived: Option<bool>,
        ) -> Result<cw::SavedContact, wit::ToolError> {
            let (_, writer) = writer().map_err(tool_error)?;
            let args = super::ContactArgs {
                first_name,
                last_name,
                emails: emails(emails_),
                phones: phones(phones_),
                company,
                job_title,
                description,
                website,
                birthday,
                social_links: social_links(social_links_),
                starred,
                archived,
            };
            saved(super::update_contact(&writer, &contact_id, &args))
        }

        fn delete_contact(
            contact_id: String,
            confirm: Option<bool>,
        ) -> Result<cw::DeletedContact, wit::ToolError> {
            let (settings, writer) = writer().map_err(tool_error)?;
            let read = || account(&settings);
            let written = super::delete_contact(&writer, &read, &contact_id, confirm);
            let (id, summary) = record_write(written).map_err(tool_error)?;
            Ok(cw::DeletedContact { id, summary })
        }

        fn merge_contacts(
            keep_id: String,
            duplicate_ids: Vec<String>,
            confirm: Option<bool>,
        ) -> Result<cw::MergedContacts, wit::ToolError> {
            let (settings, writer) = writer().map_err(tool_error)?;
            let read = || account(&settings);
            let written = super::merge_contacts(&writer, &read, &keep_id, &duplicate_ids, confirm);
            let (merged, summary) = record_write(written).map_err(tool_error)?;
            Ok(cw::MergedContacts {
                contact: contact(merged.contact),
                removed_ids: merged.removed_ids,
                summary,
            })
        }

        fn enrich_contact(
            contact_id: String,
            emails_: Option<Vec<String>>,
            phones_: Option<Vec<String>>,
            social_links_: Option<Vec<String>>,
            company: Option<String>,
            job_title: Option<String>,
            description: Option<String>,
            website: Option<String>,
            birthday: Option<String>,
        ) -> Result<cw::Enrichment, wit::ToolError> {
            let (settings, writer) = writer().map_err(tool_error)?;
            let reader = dex::contact_repository(&settings, WasiHttp);
            let request = EnrichRequest {
                emails: emails_.unwrap_or_default(),
                phones: phones_.unwrap_or_default(),
                social_links: social_links_.unwrap_or_default(),
                company,
                job_title,
                description,
                website,
                birthday,
            };
            let written = super::enrich_contact(&reader, &writer, &contact_id, &request);
            let (enriched, summary) = record_write(written).map_err(tool_error)?;
            Ok(cw::Enrichment {
                contact: contact(enriched.contact),
                added: items(enriched.plan.added),
                already_present: items(enriched.plan.already_present),
                ignored: items(enriched.plan.ignored),
                summary,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::dex::MergeOutcome;
    use crate::model::{EmailAddress, ErrorKind};

    /// Answers like Dex and records what was sent.
    #[derive(Default)]
    struct Recorder {
        updates: RefCell<Vec<ContactFields>>,
        merges: RefCell<Vec<(ContactId, Vec<ContactId>)>>,
    }

    impl ContactWrites for Recorder {
        fn create_contact(&self, fields: &ContactFields) -> Result<Created<Contact>, ToolError> {
            Ok(Created::answered(Contact {
                id: "new".into(),
                first_name: fields.first_name.clone(),
                full_name: fields.first_name.clone().unwrap_or_default(),
                ..Contact::default()
            }))
        }
        fn update_contact(
            &self,
            id: &ContactId,
            changes: &ContactFields,
        ) -> Result<Contact, ToolError> {
            self.updates.borrow_mut().push(changes.clone());
            Ok(Contact {
                id: id.to_string(),
                full_name: "Ada Lovelace".into(),
                job_title: changes.job_title.clone(),
                ..Contact::default()
            })
        }
        fn delete_contact(&self, _: &ContactId) -> Result<(), ToolError> {
            Ok(())
        }
        fn merge_contacts(
            &self,
            keep: &ContactId,
            duplicates: &[ContactId],
        ) -> Result<MergeOutcome, ToolError> {
            self.merges
                .borrow_mut()
                .push((keep.clone(), duplicates.to_vec()));
            // Like Dex keeping the oldest record: ids sort here by age.
            let mut group: Vec<ContactId> =
                std::iter::once(keep).chain(duplicates).cloned().collect();
            group.sort();
            let survivor = group.remove(0);
            Ok(MergeOutcome {
                survivor: Contact {
                    id: survivor.to_string(),
                    full_name: format!("Person {survivor}"),
                    ..Contact::default()
                },
                merged: group,
            })
        }
    }

    impl ContactRepository for Recorder {
        fn find_by_email(&self, _: &EmailAddress) -> Result<Vec<Contact>, ToolError> {
            Ok(vec![])
        }
        fn get(&self, id: &ContactId) -> Result<Contact, ToolError> {
            Ok(Contact {
                id: id.to_string(),
                full_name: "Ada Lovelace".into(),
                job_title: Some("Analyst".into()),
                ..Contact::default()
            })
        }
    }

    /// Refuses a company before sending anything, as the legacy writer
    /// does; writes the rest through a [`Recorder`].
    #[derive(Default)]
    struct NoCompany(Recorder);

    impl ContactWrites for NoCompany {
        fn create_contact(&self, fields: &ContactFields) -> Result<Created<Contact>, ToolError> {
            self.0.create_contact(fields)
        }
        fn update_contact(
            &self,
            id: &ContactId,
            changes: &ContactFields,
        ) -> Result<Contact, ToolError> {
            if changes.company.is_some() {
                return Err(ToolError::validation(
                    "company",
                    "the legacy Dex API has no company field",
                ));
            }
            self.0.update_contact(id, changes)
        }
        fn delete_contact(&self, id: &ContactId) -> Result<(), ToolError> {
            self.0.delete_contact(id)
        }
        fn merge_contacts(
            &self,
            keep: &ContactId,
            duplicates: &[ContactId],
        ) -> Result<MergeOutcome, ToolError> {
            self.0.merge_contacts(keep, duplicates)
        }
    }

    #[test]
    fn a_field_the_writer_cannot_store_is_ignored_and_the_rest_is_written() {
        let writer = NoCompany::default();
        let request = EnrichRequest {
            emails: vec!["ada@engines.example".into()],
            company: Some("Analytical Engines".into()),
            ..EnrichRequest::default()
        };
        let written = enrich_contact(&Recorder::default(), &writer, "c1", &request).unwrap();
        let plan = &written.answer.plan;
        let added: Vec<_> = plan.added.iter().map(|i| i.field).collect();
        assert_eq!(added, ["emails"]);
        assert_eq!(plan.ignored.len(), 1);
        assert_eq!(plan.ignored[0].field, "company");
        assert!(
            plan.ignored[0]
                .reason
                .as_deref()
                .is_some_and(|r| r.contains("no company field")),
            "{:?}",
            plan.ignored
        );
        let updates = writer.0.updates.borrow();
        assert_eq!(updates.len(), 1, "one write, without the company");
        assert_eq!(updates[0].company, None);
        assert!(updates[0].emails.is_some());

        let only_company = EnrichRequest {
            company: Some("Analytical Engines".into()),
            ..EnrichRequest::default()
        };
        let written = enrich_contact(&Recorder::default(), &writer, "c1", &only_company).unwrap();
        assert!(written.answer.plan.added.is_empty());
        assert_eq!(written.answer.plan.ignored.len(), 1);
        assert_eq!(writer.0.updates.borrow().len(), 1, "nothing left to send");
    }

    fn never_read() -> Result<Rc<Account>, ToolError> {
        panic!("the account was read although nothing needed it")
    }

    #[test]
    fn a_contact_needs_a_name_or_an_email() {
        let repo = Recorder::default();
        let now = std::time::SystemTime::now();
        let err = create_contact(
            &repo,
            None,
            &ContactArgs {
                company: Some("Acme".into()),
                ..ContactArgs::default()
            },
            None,
            now,
        )
        .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("first_name"));
        let only_email = ContactArgs {
            emails: Some(vec![EmailEntry {
                email: "a@b.org".into(),
                label: None,
            }]),
            ..ContactArgs::default()
        };
        assert!(create_contact(&repo, None, &only_email, None, now).is_ok());
        let err = create_contact(&repo, None, &only_email, Some("short"), now).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("idempotency_key"));
    }

    #[test]
    fn malformed_fields_are_refused_by_name() {
        let repo = Recorder::default();
        let cases = [
            (
                "emails",
                ContactArgs {
                    emails: Some(vec![EmailEntry {
                        email: "nope".into(),
                        label: None,
                    }]),
                    ..ContactArgs::default()
                },
            ),
            (
                "phones",
                ContactArgs {
                    phones: Some(vec![PhoneEntry {
                        number: "12".into(),
                        label: None,
                    }]),
                    ..ContactArgs::default()
                },
            ),
            (
                "birthday",
                ContactArgs {
                    birthday: Some("10 Dec".into()),
                    ..ContactArgs::default()
                },
            ),
            (
                "company",
                ContactArgs {
                    company: Some("  ".into()),
                    ..ContactArgs::default()
                },
            ),
        ];
        for (field, args) in cases {
            let err = update_contact(&repo, "c1", &args).unwrap_err();
            assert_eq!(err.field.as_deref(), Some(field), "{}", err.message);
        }
        let err = update_contact(&repo, "c1", &ContactArgs::default()).unwrap_err();
        assert!(err.message.contains("nothing to change"));
        assert!(repo.updates.borrow().is_empty());
    }

    #[test]
    fn an_update_sends_only_what_was_given_and_names_it() {
        let repo = Recorder::default();
        let written = update_contact(
            &repo,
            "c1",
            &ContactArgs {
                job_title: Some("CTO".into()),
                ..ContactArgs::default()
            },
        )
        .unwrap();
        assert_eq!(written.answer.changed_fields, ["job_title"]);
        assert_eq!(repo.updates.borrow()[0].names(), ["job_title"]);
    }

    #[test]
    fn a_merge_refuses_keeping_and_merging_the_same_contact_and_needs_confirmation() {
        let repo = Recorder::default();
        let err = merge_contacts(&repo, &never_read, "c1", &["c1".into()], Some(true)).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("duplicate_ids"));
        let err = merge_contacts(&repo, &never_read, "c1", &[], Some(true)).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("duplicate_ids"));
        let account = || {
            Ok(Rc::new(Account::index(
                crate::snapshot::Snapshot::default(),
                std::time::Duration::ZERO,
            )))
        };
        let err = merge_contacts(&repo, &account, "c1", &["c2".into()], None).unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::NotFound,
            "c1 is not in the empty account"
        );
        assert!(repo.merges.borrow().is_empty());
        let written = merge_contacts(
            &repo,
            &never_read,
            "c1",
            &["c2".into(), "c2".into()],
            Some(true),
        )
        .unwrap();
        assert_eq!(written.answer.removed_ids, ["c2"]);
        assert_eq!(written.answer.contact.id, "c1");
        assert!(
            written.summary.starts_with("Merged 1 contact into"),
            "{}",
            written.summary
        );
    }

    #[test]
    fn a_merge_where_dex_kept_another_record_says_which_and_moves_the_cache_to_it() {
        let repo = Recorder::default();
        let written = merge_contacts(
            &repo,
            &never_read,
            "c9",
            &["c2".into(), "c5".into()],
            Some(true),
        )
        .unwrap();
        assert_eq!(written.answer.contact.id, "c2");
        assert_eq!(written.answer.removed_ids, ["c5", "c9"]);
        assert!(
            written
                .summary
                .contains("Dex kept Person c2 (c2), not c9 as asked"),
            "{}",
            written.summary
        );
        assert!(written.summary.contains("c5, c9"), "{}", written.summary);
        match written.change {
            AccountChange::ContactsMerged { kept, removed } => {
                assert_eq!(kept.id, "c2");
                assert_eq!(removed, ["c5", "c9"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn enriching_with_nothing_new_sends_no_update() {
        let repo = Recorder::default();
        let request = EnrichRequest {
            job_title: Some("analyst".into()),
            ..EnrichRequest::default()
        };
        let written = enrich_contact(&repo, &repo, "c1", &request).unwrap();
        assert!(repo.updates.borrow().is_empty());
        assert_eq!(written.answer.plan.already_present.len(), 1);
        assert!(
            written.summary.starts_with("0 added"),
            "{}",
            written.summary
        );
    }

    #[test]
    fn deleting_with_confirmation_does_not_read_the_account() {
        let written = delete_contact(&Recorder::default(), &never_read, "c1", Some(true)).unwrap();
        assert_eq!(written.change, AccountChange::ContactDeleted("c1".into()));
    }
}
