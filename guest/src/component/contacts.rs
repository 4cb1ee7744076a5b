//! The `contacts` export.

use super::Component;
use super::bindings::dex::crm::types as wit;
use super::bindings::exports::dex::crm::contacts;
use super::convert::{contact, tool_error};
use super::state::{account, cached_account};
use super::transport::WasiHttp;
use crate::account::AccountDirectory;
use crate::dex;
use crate::settings::Settings;
use crate::tools;

impl contacts::Guest for Component {
    fn find_contact(
        name: Option<String>,
        email: Option<String>,
        phone: Option<String>,
        social_url: Option<String>,
        company: Option<String>,
        limit: Option<u32>,
        min_confidence: Option<u8>,
    ) -> Result<contacts::ContactMatches, wit::ToolError> {
        let args = tools::FindContactArgs {
            name,
            email,
            phone,
            social_url,
            company,
            limit,
            min_confidence,
        };
        let settings = Settings::from_env().map_err(tool_error)?;
        let read = || account(&settings);
        let directory = AccountDirectory::new(
            cached_account(&settings),
            &read,
            dex::contact_repository(&settings, WasiHttp),
        );
        let found = tools::find_contact(&directory, &args).map_err(tool_error)?;
        Ok(contacts::ContactMatches {
            matches: found
                .matches
                .into_iter()
                .map(|m| contacts::ContactMatch {
                    contact: contact(m.contact),
                    confidence: m.confidence,
                    matched_fields: m.matched_fields,
                    reasons: m.reasons,
                })
                .collect(),
            summary: found.summary,
        })
    }
}
