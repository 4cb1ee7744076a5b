//! Conversions between the guest's types and the WIT ones, shared by
//! every export.

use super::bindings::dex::crm::types as wit;
use crate::model;

pub(super) fn tool_error(e: model::ToolError) -> wit::ToolError {
    use model::ErrorKind as K;
    wit::ToolError {
        kind: match e.kind {
            K::NotFound => wit::ErrorKind::NotFound,
            K::Unauthorized => wit::ErrorKind::Unauthorized,
            K::Forbidden => wit::ErrorKind::Forbidden,
            K::RateLimited => wit::ErrorKind::RateLimited,
            K::Validation => wit::ErrorKind::Validation,
            K::Upstream => wit::ErrorKind::Upstream,
            K::ConfirmationRequired => wit::ErrorKind::ConfirmationRequired,
        },
        code: e.kind.code(),
        message: e.message,
        field: e.field,
        retry_after_seconds: e.retry_after_seconds,
    }
}

pub(super) fn contact(c: model::Contact) -> wit::Contact {
    use model::SocialNetwork as N;
    wit::Contact {
        id: c.id,
        full_name: c.full_name,
        first_name: c.first_name,
        last_name: c.last_name,
        job_title: c.job_title,
        company: c.company,
        description: c.description,
        emails: c
            .emails
            .into_iter()
            .map(|e| wit::EmailEntry {
                email: e.email,
                label: e.label,
            })
            .collect(),
        phones: c
            .phones
            .into_iter()
            .map(|p| wit::PhoneEntry {
                number: p.number,
                label: p.label,
            })
            .collect(),
        social_links: c
            .social_links
            .into_iter()
            .map(|l| wit::SocialLink {
                network: match l.network {
                    N::Linkedin => wit::SocialNetwork::Linkedin,
                    N::Twitter => wit::SocialNetwork::Twitter,
                    N::Facebook => wit::SocialNetwork::Facebook,
                    N::Instagram => wit::SocialNetwork::Instagram,
                    N::Telegram => wit::SocialNetwork::Telegram,
                    N::Tiktok => wit::SocialNetwork::Tiktok,
                    N::Youtube => wit::SocialNetwork::Youtube,
                },
                url: l.url,
            })
            .collect(),
        website: c.website,
        birthday: c.birthday,
        starred: c.starred,
        archived: c.archived,
        last_seen_at: c.last_seen_at,
        next_reminder_at: c.next_reminder_at,
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}
