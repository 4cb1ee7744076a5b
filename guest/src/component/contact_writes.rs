//! The `contact-writes` export.

use super::Component;
use super::bindings::dex::crm::types as wit;
use super::bindings::exports::dex::crm::contact_writes as cw;
use super::convert::{contact, tool_error};
use super::state::{account, record_write};
use super::transport::WasiHttp;
use crate::dex;
use crate::model;
use crate::settings::Settings;
use crate::tools;
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
                label: e.label,
            })
            .collect()
    })
}

fn phones(list: Option<Vec<wit::PhoneEntry>>) -> Option<Vec<model::PhoneEntry>> {
    list.map(|l| {
        l.into_iter()
            .map(|p| model::PhoneEntry {
                number: p.number,
                label: p.label,
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
    written: Result<crate::writes::Written<tools::SavedContact>, model::ToolError>,
) -> Result<cw::SavedContact, wit::ToolError> {
    let (saved, summary) = record_write(written).map_err(tool_error)?;
    Ok(cw::SavedContact {
        contact: contact(saved.contact),
        changed_fields: saved.changed_fields,
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
    ) -> Result<cw::SavedContact, wit::ToolError> {
        let (_, writer) = writer().map_err(tool_error)?;
        let args = tools::ContactArgs {
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
        saved(tools::create_contact(&writer, &args))
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
        let args = tools::ContactArgs {
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
        saved(tools::update_contact(&writer, &contact_id, &args))
    }

    fn delete_contact(
        contact_id: String,
        confirm: Option<bool>,
    ) -> Result<cw::DeletedContact, wit::ToolError> {
        let (settings, writer) = writer().map_err(tool_error)?;
        let read = || account(&settings);
        let written = tools::delete_contact(&writer, &read, &contact_id, confirm);
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
        let written = tools::merge_contacts(&writer, &read, &keep_id, &duplicate_ids, confirm);
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
        let written = tools::enrich_contact(&reader, &writer, &contact_id, &request);
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
