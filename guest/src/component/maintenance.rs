//! The `maintenance` export (`wit/maintenance.wit`): the host's passes
//! between calls, which keep the account current ([`super::state::maintenance`])
//! so that no call waits for it to be read again.

use super::Component;
use super::bindings::exports::dex::crm::maintenance as wit;
use super::state::{self, PassOutcome};
use crate::settings::Settings;

impl wit::Guest for Component {
    fn run() -> wit::Pass {
        let pass = match Settings::from_env() {
            Ok(settings) => state::maintenance(&settings),
            Err(error) => state::Pass {
                outcome: PassOutcome::Failed,
                next_in_seconds: None,
                summary: format!("the settings are wrong: {}", error.message),
            },
        };
        wit::Pass {
            outcome: match pass.outcome {
                PassOutcome::NothingDue => wit::PassOutcome::NothingDue,
                PassOutcome::Loaded => wit::PassOutcome::Loaded,
                PassOutcome::Refreshed => wit::PassOutcome::Refreshed,
                PassOutcome::Failed => wit::PassOutcome::Failed,
            },
            next_in_seconds: pass.next_in_seconds,
            summary: pass.summary,
        }
    }
}
