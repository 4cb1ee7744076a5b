//! What a simulator starts with.

use chrono::NaiveDate;

use crate::dataset::Dataset;
use crate::faults::FaultRule;
use crate::shape::AnswerShape;

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
    /// Whether list pages carry the links between records (see
    /// [`ListLinks`]).
    pub list_links: ListLinks,
    /// Whether `POST /v1/contacts/by-emails` is served; false answers it
    /// 404, like a Dex without the route, so a client's fallback to the
    /// search endpoint can be tested.
    pub by_emails_route: bool,
    /// The account owner's `time_zone` (an IANA name) in
    /// `GET /v1/users/me`, replacing the dataset's.
    pub owner_time_zone: Option<String>,
    /// The shape v1 answers take: Dex's reference (default) or the older
    /// one (see [`AnswerShape`]).
    pub shape: AnswerShape,
}

/// When the bulk lists (`GET /v1/contacts`, `/v1/timeline`,
/// `/v1/reminders`) carry the links between records: a contact's
/// `contact_emails` and `contact_phone_numbers`, a note's
/// `timeline_items_contacts`, a reminder's `reminders_contacts`.
///
/// Public material says Dex's lists may leave them out unless `include`
/// asks for them; the default follows that, the others let tests cover a
/// client that never asks and a Dex that never gives them in lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ListLinks {
    /// Only when `include` names them (`include[contact_emails]=true`,
    /// or `include=contact_emails,contact_phone_numbers`).
    #[default]
    OnInclude,
    /// Always, whatever the request says (the simulator's older shape).
    Always,
    /// Never in lists, whatever `include` says; single reads
    /// (`GET /v1/contacts/{id}`) and per-contact lists still tell them.
    Never,
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
            list_links: ListLinks::default(),
            by_emails_route: true,
            owner_time_zone: None,
            shape: AnswerShape::default(),
        }
    }
}
