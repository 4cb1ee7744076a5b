//! Conversions between the guest's types and the WIT ones, shared by
//! every export.

use super::bindings::dex::crm::types as wit;
use crate::history::ContactRef;
use crate::model;

pub(crate) fn tool_error(e: model::ToolError) -> wit::ToolError {
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
        confirmation: e.confirmation.map(|c| wit::Confirmation {
            question: c.question,
            parameter: c.parameter,
        }),
    }
}

pub(crate) fn contact(c: model::Contact) -> wit::Contact {
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
                label: e.label.map(String::from),
            })
            .collect(),
        phones: c
            .phones
            .into_iter()
            .map(|p| wit::PhoneEntry {
                number: p.number,
                label: p.label.map(String::from),
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
        last_seen_at: c.last_seen_at.map(String::from),
        next_reminder_at: c.next_reminder_at.map(String::from),
        created_at: c.created_at.map(String::from),
        updated_at: c.updated_at.map(String::from),
        keep_in_touch: c.keep_in_touch.map(keep_in_touch),
        never_keep_in_touch: c.never_keep_in_touch,
        tags: c.tags.into_iter().map(label).collect(),
        groups: c.groups.into_iter().map(label).collect(),
        custom_fields: c
            .custom_fields
            .into_iter()
            .map(|v| wit::CustomFieldValue {
                field_id: v.field_id.into(),
                name: v.name.map(String::from),
                values: v.values,
            })
            .collect(),
    }
}

pub(crate) fn label(l: model::Label) -> wit::Label {
    wit::Label {
        id: l.id.into(),
        name: l.name.into(),
    }
}

pub(crate) fn frequency(f: model::Frequency) -> wit::Frequency {
    use model::Frequency as F;
    match f {
        F::Weekly => wit::Frequency::Weekly,
        F::EveryTwoWeeks => wit::Frequency::EveryTwoWeeks,
        F::Monthly => wit::Frequency::Monthly,
        F::EverySixWeeks => wit::Frequency::EverySixWeeks,
        F::Quarterly => wit::Frequency::Quarterly,
        F::EverySixMonths => wit::Frequency::EverySixMonths,
        F::Yearly => wit::Frequency::Yearly,
    }
}

pub(crate) fn keep_in_touch(k: model::KeepInTouch) -> wit::KeepInTouch {
    wit::KeepInTouch {
        every_days: k.days,
        frequency: k.frequency.map(frequency),
    }
}

pub(crate) fn contact_ref(r: ContactRef) -> wit::ContactRef {
    wit::ContactRef {
        id: r.id,
        full_name: r.full_name,
    }
}

/// The one WIT note, for reads and writes alike.
pub(crate) fn note(n: &model::Note, contacts: Vec<ContactRef>) -> wit::Note {
    wit::Note {
        id: n.id.to_string(),
        text: n.text.to_string(),
        event_time: n.event_time.as_ref().map(String::from),
        note_type: n.note_type.as_deref().map(str::to_owned),
        contacts: contacts.into_iter().map(contact_ref).collect(),
    }
}

/// The one WIT reminder, for reads and writes alike.
pub(crate) fn reminder(r: &model::Reminder, contacts: Vec<ContactRef>) -> wit::Reminder {
    wit::Reminder {
        id: r.id.to_string(),
        text: r.text.to_string(),
        due_date: r.due_date.as_ref().map(String::from),
        due_time: r.due_time.as_ref().map(String::from),
        complete: r.complete,
        recurrence: r
            .recurrence
            .as_deref()
            .and_then(model::Recurrence::from_dex)
            .map(recurrence),
        last_completed_at: r.last_completed_at.as_ref().map(String::from),
        next_occurrence_at: r.next_occurrence_at.as_ref().map(String::from),
        contacts: contacts.into_iter().map(contact_ref).collect(),
    }
}

/// How a create's record came to be answered.
pub(crate) fn creation(c: crate::dex::Creation) -> wit::Creation {
    use crate::dex::Creation as C;
    match c {
        C::Answered => wit::Creation::Answered,
        C::Recovered => wit::Creation::Recovered,
        C::Resent => wit::Creation::Resent,
        C::Replayed => wit::Creation::Replayed,
    }
}

pub(crate) fn recurrence(r: model::Recurrence) -> wit::Recurrence {
    use model::Recurrence as R;
    match r {
        R::Weekly => wit::Recurrence::Weekly,
        R::Biweekly => wit::Recurrence::Biweekly,
        R::Monthly => wit::Recurrence::Monthly,
        R::Quarterly => wit::Recurrence::Quarterly,
        R::Biannually => wit::Recurrence::Biannually,
        R::Yearly => wit::Recurrence::Yearly,
    }
}

pub(crate) fn from_wit_recurrence(r: wit::Recurrence) -> model::Recurrence {
    use wit::Recurrence as W;
    match r {
        W::Weekly => model::Recurrence::Weekly,
        W::Biweekly => model::Recurrence::Biweekly,
        W::Monthly => model::Recurrence::Monthly,
        W::Quarterly => model::Recurrence::Quarterly,
        W::Biannually => model::Recurrence::Biannually,
        W::Yearly => model::Recurrence::Yearly,
    }
}
