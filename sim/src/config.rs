//! What a simulator starts with.

use chrono::NaiveDate;

use crate::dataset::Dataset;
use crate::faults::FaultRule;

/// The key accepted when none is configured. Not a secret: it only opens
/// the local simulator.
pub const DEFAULT_API_KEY: &str = "dex_sim_key";

/// The "today" generated data is dated around when none is configured,
/// fixed so that seeded datasets are the same on every day they are made.
pub fn default_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("valid date")
}

/// Today's date (UTC): for a demo account whose reminders and birthdays
/// fall around the day it is shown, unlike [`default_today`].
pub fn today_utc() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// How to start a simulator. `Default` gives the 200-contact demo account
/// with key [`DEFAULT_API_KEY`], no faults and API access on.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The API key both generations accept.
    pub api_key: String,
    /// Seed of the generated data, of new records' ids and of the fault
    /// dice.
    pub seed: u64,
    /// How many contacts to generate (ignored when `dataset` is given).
    pub contacts: usize,
    /// Data to serve instead of generating it.
    pub dataset: Option<Dataset>,
    /// The date generated data is dated around, and that "upcoming" and
    /// legacy's `birthday_current_year` are reckoned from.
    pub today: NaiveDate,
    /// Fault rules in force from the start.
    pub faults: Vec<FaultRule>,
    /// When false, valid keys get 403 (a plan without API access).
    pub api_access: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            api_key: DEFAULT_API_KEY.to_owned(),
            seed: 42,
            contacts: 200,
            dataset: None,
            today: default_today(),
            faults: Vec::new(),
            api_access: true,
        }
    }
}
