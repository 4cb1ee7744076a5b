//! The `maintenance` export (`wit/maintenance.wit`): the host asks an idle
//! instance whether its account is due for replacing
//! ([`super::state::due`]) and gets new instances ready beside it
//! ([`super::state::prepare`]), so that no call waits for the account to
//! be read again.

use super::Component;
use super::bindings::exports::dex::crm::maintenance as wit;
use super::state::{self, Prepared};
use crate::settings::Settings;

impl wit::Guest for Component {
    fn due() -> wit::Schedule {
        match Settings::from_env() {
            Ok(settings) => {
                let schedule = state::due(&settings);
                wit::Schedule {
                    due: schedule.due,
                    next_in_seconds: schedule.next_in_seconds,
                    reason: schedule.reason,
                }
            }
            Err(error) => wit::Schedule {
                due: false,
                next_in_seconds: None,
                reason: format!("the settings are wrong: {}", error.message),
            },
        }
    }

    fn prepare() -> wit::Preparation {
        let preparation = match Settings::from_env() {
            Ok(settings) => state::prepare(&settings),
            Err(error) => state::Preparation {
                outcome: None,
                summary: format!("the settings are wrong: {}", error.message),
            },
        };
        wit::Preparation {
            outcome: match preparation.outcome {
                Some(Prepared::Loaded) => wit::Outcome::Loaded,
                Some(Prepared::Refreshed) => wit::Outcome::Refreshed,
                None => wit::Outcome::Failed,
            },
            summary: preparation.summary,
        }
    }
}
