//! The `search` export.

use super::Component;
use super::bindings::dex::crm::types as wit;
use super::bindings::exports::dex::crm::search as wit_search;
use super::convert::tool_error;
use super::state::account;
use crate::dex;
use crate::settings::Settings;
use crate::tools;

impl wit_search::Guest for Component {
    fn search_contacts_full_text(
        query: String,
        max_results: Option<u32>,
        min_confidence: Option<u8>,
        include_types: Option<Vec<wit_search::RecordKind>>,
        cursor: Option<String>,
    ) -> Result<wit_search::SearchResults, wit::ToolError> {
        use crate::search::RecordKind as K;
        use wit_search::RecordKind as W;
        let kind_in = |k: W| match k {
            W::Contacts => K::Contact,
            W::Notes => K::Note,
            W::Reminders => K::Reminder,
        };
        let kind_out = |k: K| match k {
            K::Contact => W::Contacts,
            K::Note => W::Notes,
            K::Reminder => W::Reminders,
        };
        let args = tools::FullTextArgs {
            query,
            max_results,
            min_confidence,
            include_types: include_types.map(|kinds| kinds.into_iter().map(kind_in).collect()),
            cursor,
        };
        // Refuse bad arguments before reading the whole account.
        args.validate().map_err(tool_error)?;
        let settings = Settings::from_env().map_err(tool_error)?;
        let account = account(&settings).map_err(tool_error)?;
        let found =
            tools::search_contacts_full_text(&account.index, &account.snapshot.failures, &args)
                .map_err(tool_error)?;
        Ok(wit_search::SearchResults {
            hits: found
                .hits
                .into_iter()
                .map(|hit| wit_search::SearchHit {
                    kind: kind_out(hit.kind),
                    id: hit.id,
                    contacts: hit.contacts.into_iter().map(contact_summary).collect(),
                    matched_field: matched_field(hit.field),
                    confidence: hit.confidence,
                    snippet: hit.snippet,
                    date: hit.date,
                })
                .collect(),
            incomplete: found
                .incomplete
                .into_iter()
                .map(|gap| wit_search::IncompleteList {
                    kind: match gap.list {
                        dex::ListKind::Contacts => W::Contacts,
                        dex::ListKind::Notes => W::Notes,
                        dex::ListKind::Reminders => W::Reminders,
                    },
                    pages_read: u32::try_from(gap.pages_read).unwrap_or(u32::MAX),
                    error: tool_error(gap.error),
                })
                .collect(),
            next_cursor: found.next_cursor,
            summary: found.summary,
        })
    }
}

fn contact_summary(summary: tools::ContactSummary) -> wit_search::ContactSummary {
    wit_search::ContactSummary {
        id: summary.id,
        full_name: summary.full_name,
        company: summary.company,
        job_title: summary.job_title,
        email: summary.email,
    }
}

fn matched_field(field: crate::search::Field) -> wit_search::MatchedField {
    use crate::search::Field as F;
    use wit_search::MatchedField as M;
    match field {
        F::Name => M::Name,
        F::Email => M::Email,
        F::Company => M::Company,
        F::JobTitle => M::JobTitle,
        F::Description => M::Description,
        F::NoteText => M::Note,
        F::ReminderText => M::Reminder,
    }
}
