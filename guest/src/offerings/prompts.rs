//! The `prompts` interface (`wit/prompts.wit`): conversations started
//! from the account's real data. Each prompt reads the account (cached
//! between calls, like the tools) and writes one user message holding
//! what it found and what to do with it, so that the assistant starts
//! from facts rather than from a template.
//!
//! - `meeting_prep`: a contact, who they are, what happened lately, what
//!   is open, and what to ask;
//! - `log_meeting`: a contact and what happened, to propose the note and
//!   the follow-up reminders (written only once the user agrees);
//! - `weekly_review`: who is due to keep in touch, birthdays, reminders
//!   overdue or due, and the starred people without a frequency not seen
//!   for a month;
//! - `reconnect`: whom to reach out to, and why.
//!
//! Who is due to keep in touch is reckoned by `history::keep_in_touch`,
//! as the `who_to_reach_out_to` tool reckons it.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::NaiveDate;

use super::card::{ContactCard, cut, due_of};
use super::pick;
use super::{AccountReader, Completion, RequestError};
use crate::account::Account;
use crate::history::{
    ContactBook, OwnerZone, WallClock, cadence, due_contacts, upcoming_birthdays,
    upcoming_reminders,
};
use crate::model::Contact;

/// One argument of a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgumentSpec {
    /// Its name.
    pub name: &'static str,
    /// A human title.
    pub title: &'static str,
    /// What to pass.
    pub description: &'static str,
    /// Whether the prompt needs it.
    pub required: bool,
    /// Whether it completes to contact names.
    pub completes: bool,
}

/// One prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromptSpec {
    /// The MCP name.
    pub name: &'static str,
    /// A human title.
    pub title: &'static str,
    /// What it prepares.
    pub description: &'static str,
    /// Its picture, from [`crate::icons`].
    pub icon: &'static str,
    /// Its arguments.
    pub arguments: &'static [ArgumentSpec],
}

const CONTACT: ArgumentSpec = ArgumentSpec {
    name: "contact",
    title: "Contact",
    description: "The person: a name as you would say it (misspellings and nicknames are fine) or a Dex contact id. Completion offers the names in Dex.",
    required: true,
    completes: true,
};

/// Days the weekly review looks ahead when none are given.
const REVIEW_DAYS: u32 = 7;
/// Most days the weekly review looks ahead.
const MAX_REVIEW_DAYS: u32 = 31;
/// People suggested by `reconnect` when no count is given.
const RECONNECT_COUNT: u32 = 5;
/// Most people `reconnect` suggests.
const MAX_RECONNECT_COUNT: u32 = 20;
/// Most entries of one section of the weekly review; the tools list the
/// rest.
const SECTION_ITEMS: usize = 15;
/// Days without contact after which a starred person is worth a word in
/// the weekly review.
const QUIET_DAYS: i64 = 30;

/// The prompts, in listing order.
pub const PROMPTS: &[PromptSpec] = &[
    PromptSpec {
        name: "meeting_prep",
        title: "Prepare for a meeting",
        description: "Before meeting someone: who they are, what you talked about lately, the reminders still open with them, and questions worth asking, from their Dex record.",
        icon: crate::icons::CONTACTS,
        arguments: &[CONTACT],
    },
    PromptSpec {
        name: "log_meeting",
        title: "Log a meeting",
        description: "After meeting someone: from what happened, proposes the note to add to their Dex record and the follow-up reminders, and writes them once you agree.",
        icon: crate::icons::NOTES,
        arguments: &[
            CONTACT,
            ArgumentSpec {
                name: "what_happened",
                title: "What happened",
                description: "What you talked about, decided or promised, in your own words.",
                required: true,
                completes: false,
            },
        ],
    },
    PromptSpec {
        name: "weekly_review",
        title: "Weekly review",
        description: "A review of the week ahead from Dex: who is due to keep in touch, birthdays, reminders overdue or coming due, and starred people you have not seen for a while.",
        icon: crate::icons::REMINDERS,
        arguments: &[ArgumentSpec {
            name: "days",
            title: "Days ahead",
            description: "How many days ahead to look, 1 to 31 (default 7).",
            required: false,
            completes: false,
        }],
    },
    PromptSpec {
        name: "reconnect",
        title: "Reconnect",
        description: "Whom to reach out to and why: people due to keep in touch or not in touch for longest, weighed by starred, overdue reminders and birthdays coming up, with a reason and an opening for each.",
        icon: crate::icons::KEEP_IN_TOUCH,
        arguments: &[ArgumentSpec {
            name: "count",
            title: "How many people",
            description: "How many people to suggest, 1 to 20 (default 5).",
            required: false,
            completes: false,
        }],
    },
];

/// A prompt rendered: one user message, and a line about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Whom or what this rendering is about.
    pub description: String,
    /// The user message, markdown.
    pub text: String,
}

/// The prompt named `name`, or `not-found` naming the prompts there are.
fn spec(name: &str) -> Result<&'static PromptSpec, RequestError> {
    PROMPTS.iter().find(|p| p.name == name).ok_or_else(|| {
        let names: Vec<&str> = PROMPTS.iter().map(|p| p.name).collect();
        RequestError::NotFound(format!(
            "no prompt `{name}`; the prompts are {}",
            names.join(", ")
        ))
    })
}

/// The arguments of a call, checked against the prompt's: an unknown one
/// or a missing required one is `invalid-argument`.
struct Arguments<'a> {
    given: &'a [(String, String)],
}

impl<'a> Arguments<'a> {
    fn check(spec: &PromptSpec, given: &'a [(String, String)]) -> Result<Self, RequestError> {
        for (name, _) in given {
            if !spec.arguments.iter().any(|a| a.name == name) {
                let names: Vec<&str> = spec.arguments.iter().map(|a| a.name).collect();
                return Err(RequestError::InvalidArgument(format!(
                    "`{}` takes no argument `{name}`; its arguments are: {}",
                    spec.name,
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    }
                )));
            }
        }
        let arguments = Self { given };
        for argument in spec.arguments.iter().filter(|a| a.required) {
            if arguments.get(argument.name).is_none() {
                return Err(RequestError::InvalidArgument(format!(
                    "`{}` needs the argument `{}`: {}",
                    spec.name, argument.name, argument.description
                )));
            }
        }
        Ok(arguments)
    }

    /// The value of `name`, trimmed, when given and not blank.
    fn get(&self, name: &str) -> Option<&'a str> {
        self.given
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The number `name`, within `1..=max`, or `default`.
    fn number(&self, name: &str, default: u32, max: u32) -> Result<u32, RequestError> {
        let Some(raw) = self.get(name) else {
            return Ok(default);
        };
        match raw.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(RequestError::InvalidArgument(format!(
                "`{name}` is `{raw}`: pass a whole number from 1 to {max}"
            ))),
        }
    }
}

/// The prompt `name` rendered with `arguments`, from the account `account`
/// reads and the day at `clock`. Arguments are checked before the account
/// is read, so bad input costs no request.
pub fn get_prompt(
    account: AccountReader,
    clock: &WallClock,
    name: &str,
    arguments: &[(String, String)],
) -> Result<Rendered, RequestError> {
    let spec = spec(name)?;
    let args = Arguments::check(spec, arguments)?;
    match spec.name {
        "meeting_prep" => {
            let typed = args.get("contact").unwrap_or_default();
            let account = account()?;
            let card = card_of(&account, typed)?;
            Ok(meeting_prep(&card))
        }
        "log_meeting" => {
            let typed = args.get("contact").unwrap_or_default();
            let happened = args.get("what_happened").unwrap_or_default();
            let account = account()?;
            let card = card_of(&account, typed)?;
            Ok(log_meeting(&card, happened))
        }
        "weekly_review" => {
            let days = args.number("days", REVIEW_DAYS, MAX_REVIEW_DAYS)?;
            let account = account()?;
            Ok(weekly_review(&account, clock, days))
        }
        _ => {
            let count = args.number("count", RECONNECT_COUNT, MAX_RECONNECT_COUNT)?;
            let account = account()?;
            Ok(reconnect(&account, clock, count))
        }
    }
}

/// Values for the argument `argument` of the prompt `prompt`: contact
/// names for an argument that takes a contact, none for the others.
pub fn complete(
    account: AccountReader,
    prompt: &str,
    argument: &str,
    typed: &str,
) -> Result<Completion, RequestError> {
    let spec = spec(prompt)?;
    let Some(found) = spec.arguments.iter().find(|a| a.name == argument) else {
        return Err(RequestError::InvalidArgument(format!(
            "`{prompt}` has no argument `{argument}`"
        )));
    };
    if !found.completes {
        return Ok(Completion::first_of(Vec::new()));
    }
    let account = account()?;
    Ok(pick::complete_names(&account, typed))
}

/// The card of the contact `typed` names.
fn card_of(account: &Account, typed: &str) -> Result<ContactCard, RequestError> {
    crate::history::require_readable(&account.snapshot)?;
    let contact = pick::contact_named(account, "contact", typed)?;
    let id = crate::model::ContactId::parse("contact", &contact.id)?;
    Ok(ContactCard::of(account, &id)?)
}

fn meeting_prep(card: &ContactCard) -> Rendered {
    let name = &card.contact.full_name;
    let text = format!(
        "I am about to meet {name}. Here is what my Dex CRM holds about them:\n\n{}\n---\n\nPrepare me for the meeting, from the record above only:\n\n1. Who {name} is, in two or three sentences.\n2. What we talked about most recently, and anything I promised or was promised.\n3. The open reminders with them, and which could be settled in this meeting.\n4. Three to five questions worth asking, drawn from the notes (follow-ups on what they told me last time).\n\nSay plainly where the record is thin (no notes, no recent contact) instead of guessing. For older notes, get_contact_history with contact_id `{}` has the rest.",
        card.to_markdown(),
        card.contact.id
    );
    Rendered {
        description: format!("Meeting preparation for {name}, from Dex"),
        text,
    }
}

fn log_meeting(card: &ContactCard, happened: &str) -> Rendered {
    let name = &card.contact.full_name;
    let id = &card.contact.id;
    let text = format!(
        "I just met {name} (Dex contact id `{id}`). What happened, in my words:\n\n> {}\n\nTheir record in my Dex CRM, for context:\n\n{}\n---\n\nPlease:\n\n1. Propose the note to add to {name}'s record: a clean, factual summary of what happened, dated today, in the first person. Do not invent anything I did not say.\n2. Propose follow-up reminders for what was promised or needs doing, each with a due date; and say which open reminders above this meeting settles.\n3. Show me the note and reminders and wait for my agreement. Only then write them: add_contact_note (contact_id `{id}`) for the note, create_contact_reminder for each reminder, complete_reminder for any settled one.",
        happened.lines().collect::<Vec<_>>().join("\n> "),
        card.to_markdown()
    );
    Rendered {
        description: format!("Logging a meeting with {name} in Dex"),
        text,
    }
}

/// The owner's zone and today at `clock`.
fn today(account: &Account, clock: &WallClock) -> (OwnerZone, NaiveDate) {
    let zone = OwnerZone::resolve(
        account.snapshot.owner_time_zone.as_deref(),
        clock.zone_setting.as_deref(),
    );
    let today = zone.today(clock.now);
    (zone, today)
}

/// The day of each contact's latest contact: the later of when they were
/// last seen and their latest note's day.
fn last_contact_days(account: &Account, zone: &OwnerZone) -> HashMap<String, NaiveDate> {
    let mut latest: HashMap<String, NaiveDate> = HashMap::new();
    let mut note_of = |id: &str, day: NaiveDate| {
        let entry = latest.entry(id.to_owned()).or_insert(day);
        if day > *entry {
            *entry = day;
        }
    };
    for contact in account.contacts.iter() {
        if let Some(day) = contact
            .last_seen_at()
            .as_deref()
            .and_then(|s| zone.day_of(s))
        {
            note_of(&contact.id, day);
        }
    }
    for note in &account.snapshot.notes {
        if let Some(day) = note.event_time().as_deref().and_then(|s| zone.day_of(s)) {
            for id in &note.contact_ids {
                note_of(&id.as_text(), day);
            }
        }
    }
    latest
}

/// "12 days ago", "today", "never".
fn ago(today: NaiveDate, day: Option<NaiveDate>) -> String {
    match day.map(|d| (today - d).num_days()) {
        None => "never recorded".into(),
        Some(0) => "today".into(),
        Some(1) => "yesterday".into(),
        Some(n) if n < 0 => format!("on {}", day.unwrap_or(today)),
        Some(n) => format!("{n} days ago"),
    }
}

fn weekly_review(account: &Account, clock: &WallClock, days: u32) -> Rendered {
    let snapshot = &account.snapshot;
    let (zone, today) = today(account, clock);
    let until = today + chrono::Days::new(u64::from(days));
    let book = ContactBook::new(snapshot);
    let names = |refs: &[crate::history::ContactRef]| {
        let names: Vec<String> = refs
            .iter()
            .map(|r| match &r.full_name {
                Some(name) => format!("{name} (`{}`)", r.id),
                None => format!("`{}`", r.id),
            })
            .collect();
        if names.is_empty() {
            "no contact".to_owned()
        } else {
            names.join(", ")
        }
    };
    let mut text = format!(
        "Here is my week ahead from my Dex CRM: today is {today}, and this review runs to {until} ({days} days, {}).\n",
        zone.describe()
    );

    let birthdays = upcoming_birthdays(snapshot, today, days);
    let _ = write!(text, "\n## Birthdays ({})\n\n", birthdays.len());
    if birthdays.is_empty() {
        text.push_str("None in this window.\n");
    }
    for b in birthdays.iter().take(SECTION_ITEMS) {
        let turning = b
            .turning
            .map(|t| format!(", turning {t}"))
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "- {} (`{}`): {}{turning}, in {} days",
            b.contact.full_name.as_deref().unwrap_or("?"),
            b.contact.id,
            b.date,
            b.days_until
        );
    }

    let due = upcoming_reminders(snapshot, &book, &zone, today, days, true);
    let (overdue, coming): (Vec<_>, Vec<_>) = due.iter().partition(|r| r.days_until_due < 0);
    let _ = write!(text, "\n## Overdue reminders ({})\n\n", overdue.len());
    if overdue.is_empty() {
        text.push_str("None.\n");
    }
    for r in overdue.iter().take(SECTION_ITEMS) {
        let _ = writeln!(
            text,
            "- {} (reminder `{}`, due {}, {} days overdue; with {})",
            cut(&r.item.reminder.text),
            r.item.reminder.id,
            r.due_day,
            -r.days_until_due,
            names(&r.item.contacts)
        );
    }
    let _ = write!(text, "\n## Reminders due by {until} ({})\n\n", coming.len());
    if coming.is_empty() {
        text.push_str("None.\n");
    }
    for r in coming.iter().take(SECTION_ITEMS) {
        let _ = writeln!(
            text,
            "- {} (reminder `{}`, due {}; with {})",
            cut(&r.item.reminder.text),
            r.item.reminder.id,
            r.due_day,
            names(&r.item.contacts)
        );
    }

    let last = last_contact_days(account, &zone);
    // Who is due, as keep-in-touch reckons it (history::keep_in_touch).
    let due_people = due_contacts(snapshot, &zone, today, days);
    let _ = write!(
        text,
        "\n## Due to keep in touch by {until} ({})\n\n",
        due_people.len()
    );
    if due_people.is_empty() {
        text.push_str("Nobody: every contact with a keep-in-touch frequency is in touch.\n");
    }
    for due in due_people.iter().take(SECTION_ITEMS) {
        let when = match due.days_overdue {
            d if d > 0 => format!("{d} days overdue"),
            0 => "due today".to_owned(),
            d => format!("due in {} days", -d),
        };
        let _ = writeln!(
            text,
            "- {} (`{}`): {}, last contact {}, {when}",
            due.contact.full_name,
            due.contact.id,
            cadence(due.keep_in_touch),
            ago(today, last.get(&due.contact.id).copied())
        );
    }
    // Starred people with a frequency are in the list above when due.
    let mut quiet: Vec<(&Arc<Contact>, Option<NaiveDate>)> = account
        .contacts
        .iter()
        .filter(|c| c.starred && !c.archived && c.keep_in_touch.is_none())
        .map(|c| (c, last.get(&c.id).copied()))
        .filter(|(_, day)| day.is_none_or(|d| (today - d).num_days() >= QUIET_DAYS))
        .collect();
    // Never seen first, then the longest silence.
    quiet.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then_with(|| a.0.full_name.cmp(&b.0.full_name))
    });
    let _ = write!(
        text,
        "\n## Starred people without a frequency, not in touch for {QUIET_DAYS} days or more ({})\n\n",
        quiet.len()
    );
    if quiet.is_empty() {
        text.push_str("None: every starred contact was in touch within the month.\n");
    }
    for (contact, day) in quiet.iter().take(SECTION_ITEMS) {
        let _ = writeln!(
            text,
            "- {} (`{}`): last contact {}",
            contact.full_name,
            contact.id,
            ago(today, *day)
        );
    }
    text.push_str("\n---\n\nWalk me through this week: what needs doing first, which overdue reminders to do, move or drop, whom to greet on their birthday, and whom to get in touch with (those due to keep in touch first). Keep it short and concrete. Ask before changing anything in Dex (complete_reminder, update_reminder).");
    Rendered {
        description: format!("Weekly review from Dex, {today} to {until}"),
        text,
    }
}

/// Why one person is worth reaching out to.
struct Candidate<'a> {
    contact: &'a Arc<Contact>,
    last: Option<NaiveDate>,
    reasons: Vec<String>,
    weight: i64,
}

fn reconnect(account: &Account, clock: &WallClock, count: u32) -> Rendered {
    let snapshot = &account.snapshot;
    let (zone, today) = today(account, clock);
    let last = last_contact_days(account, &zone);
    let mut overdue: HashMap<String, usize> = HashMap::new();
    for reminder in snapshot.reminders.iter().filter(|r| !r.complete) {
        let due = reminder
            .due_time()
            .as_deref()
            .or(reminder.due_date().as_deref())
            .and_then(|s| zone.day_of(s));
        if due.is_some_and(|d| d < today) {
            for id in &reminder.contact_ids {
                *overdue.entry(id.to_string()).or_default() += 1;
            }
        }
    }
    // Catch-ups overdue or due within the week, by contact: days overdue
    // (negative while ahead) and how often.
    let keep_in_touch: HashMap<String, (i64, String)> = due_contacts(snapshot, &zone, today, 7)
        .into_iter()
        .map(|d| {
            (
                d.contact.id.clone(),
                (d.days_overdue, cadence(d.keep_in_touch)),
            )
        })
        .collect();
    let birthdays: HashMap<String, u32> = upcoming_birthdays(snapshot, today, 14)
        .into_iter()
        .map(|b| (b.contact.id, b.days_until))
        .collect();
    let mut candidates: Vec<Candidate> = account
        .contacts
        .iter()
        .filter(|c| !c.archived)
        .filter_map(|contact| {
            let day = last.get(&contact.id).copied();
            let silence = day.map_or(365, |d| (today - d).num_days().clamp(0, 365));
            let mut reasons = Vec::new();
            let mut weight = silence;
            reasons.push(format!("last contact {}", ago(today, day)));
            if contact.starred {
                weight += 180;
                reasons.push("starred".into());
            }
            let late = overdue.get(contact.id.as_str()).copied().unwrap_or(0);
            if late > 0 {
                weight += 60 * i64::try_from(late).unwrap_or(1);
                reasons.push(format!("{late} overdue reminder(s)"));
            }
            let due = keep_in_touch.get(&contact.id);
            match due {
                Some((overdue, every)) if *overdue >= 0 => {
                    weight += 240 + overdue.min(&365);
                    reasons.push(match overdue {
                        0 => format!("due to keep in touch ({every}), today"),
                        d => format!("due to keep in touch ({every}), {d} days overdue"),
                    });
                }
                Some((overdue, every)) => {
                    weight += 60;
                    reasons.push(format!("keep-in-touch due in {} days ({every})", -overdue));
                }
                None => {}
            }
            if let Some(days) = birthdays.get(&contact.id) {
                weight += 120;
                reasons.push(match days {
                    0 => "birthday today".into(),
                    d => format!("birthday in {d} days"),
                });
            }
            // Someone seen this fortnight with nothing pending needs no
            // nudge; nor does someone never met and never starred.
            // Nor someone the user asked Dex never to remind them about,
            // unless a reminder about them is overdue.
            let worth =
                (silence >= 14 || late > 0 || birthdays.contains_key(&contact.id) || due.is_some())
                    && (day.is_some() || contact.starred || late > 0 || due.is_some())
                    && (!contact.never_keep_in_touch || late > 0);
            worth.then_some(Candidate {
                contact,
                last: day,
                reasons,
                weight,
            })
        })
        .collect();
    candidates.sort_by(|a, b| {
        b.weight
            .cmp(&a.weight)
            .then_with(|| a.last.cmp(&b.last))
            .then_with(|| a.contact.id.cmp(&b.contact.id))
    });
    let chosen: Vec<&Candidate> = candidates.iter().take(count as usize).collect();
    let latest_note = |id: &str| {
        snapshot
            .notes
            .iter()
            .filter(|n| n.is_about(id))
            .max_by(|a, b| a.event_time.cmp(&b.event_time))
    };
    let mut text = format!(
        "From my Dex CRM (today is {today}), the people most worth reaching out to, with why:\n\n"
    );
    if chosen.is_empty() {
        text.push_str("Nobody stands out: everyone I keep notes on was in touch within the last two weeks and nothing is overdue.\n");
    }
    for (rank, candidate) in chosen.iter().enumerate() {
        let c = candidate.contact;
        let role = match (&c.job_title, &c.company) {
            (Some(t), Some(co)) => format!(", {t} at {co}"),
            (Some(t), None) => format!(", {t}"),
            (None, Some(co)) => format!(", {co}"),
            (None, None) => String::new(),
        };
        let _ = writeln!(
            text,
            "{}. **{}** (`{}`{role}): {}",
            rank + 1,
            c.full_name,
            c.id,
            candidate.reasons.join("; ")
        );
        if let Some(note) = latest_note(&c.id) {
            let _ = writeln!(
                text,
                "   - Latest note ({}): {}",
                note.event_time().as_deref().unwrap_or("undated"),
                cut(&note.text)
            );
        }
        for reminder in snapshot
            .reminders
            .iter()
            .filter(|r| !r.complete && r.contact_ids.iter().any(|id| *id == c.id))
            .take(3)
        {
            let _ = writeln!(
                text,
                "   - Open reminder: {} (due {})",
                cut(&reminder.text),
                due_of(reminder)
            );
        }
    }
    text.push_str("\n---\n\nFor each person, tell me in one line why now is a good moment, and draft a short, natural opening message that picks up from the latest note. Do not invent shared history beyond what is above.");
    Rendered {
        description: format!("People to reconnect with, from Dex ({today})"),
        text,
    }
}

/// The `prompts` export; compiled for the component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use super::super::export::{completion, request_error};
    use crate::component::Component;
    use crate::component::bindings::dex::crm::content as wit_content;
    use crate::component::bindings::exports::dex::crm::prompts as wit;
    use crate::component::state::account;
    use crate::history::WallClock;
    use crate::settings::Settings;

    fn settings() -> Result<Settings, wit_content::RequestError> {
        Settings::from_env()
            .map_err(|err| request_error(super::RequestError::Unavailable(err.message)))
    }

    impl wit::Guest for Component {
        fn list_prompts() -> Vec<wit::Prompt> {
            super::PROMPTS
                .iter()
                .map(|p| wit::Prompt {
                    name: p.name.into(),
                    title: p.title.into(),
                    description: p.description.into(),
                    icons: vec![crate::icons::wit(p.icon)],
                    arguments: p
                        .arguments
                        .iter()
                        .map(|a| wit::PromptArgument {
                            name: a.name.into(),
                            title: a.title.into(),
                            description: a.description.into(),
                            required: a.required,
                            completes: a.completes,
                        })
                        .collect(),
                })
                .collect()
        }

        fn get_prompt(
            name: String,
            arguments: Vec<(String, String)>,
        ) -> Result<wit::RenderedPrompt, wit_content::RequestError> {
            let settings = settings()?;
            let clock = WallClock::system(settings.time_zone.clone());
            let rendered = super::get_prompt(&|| account(&settings), &clock, &name, &arguments)
                .map_err(request_error)?;
            Ok(wit::RenderedPrompt {
                description: Some(rendered.description),
                messages: vec![wit::Message {
                    role: wit::Role::User,
                    content: wit::MessageContent::Text(rendered.text),
                }],
            })
        }

        fn complete(
            prompt: String,
            argument: String,
            value: String,
            _context: Vec<(String, String)>,
        ) -> Result<wit_content::Completion, wit_content::RequestError> {
            let settings = settings()?;
            super::complete(&|| account(&settings), &prompt, &argument, &value)
                .map(completion)
                .map_err(request_error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Note, Reminder};
    use crate::snapshot::Snapshot;
    use crate::tools::history::{clock_at, counted, held};

    fn contact(id: &str, name: &str, f: impl FnOnce(&mut Contact)) -> Arc<Contact> {
        let mut parts = name.split_whitespace();
        let mut contact = Contact {
            id: id.into(),
            full_name: name.into(),
            first_name: parts.next().map(str::to_owned),
            last_name: parts.next().map(str::to_owned),
            ..Contact::default()
        };
        f(&mut contact);
        Arc::new(contact)
    }

    fn snapshot() -> Snapshot {
        Snapshot {
            contacts: vec![
                contact("c1", "Ada Lovelace", |c| {
                    c.starred = true;
                    c.job_title = Some("Analyst".into());
                    c.last_seen_at = Some("2025-01-10T12:00:00Z".into());
                }),
                contact("c2", "Charles Babbage", |c| {
                    c.birthday = Some("1791-12-26".into());
                }),
                contact("c3", "Grace Hopper", |c| {
                    c.last_seen_at = Some("2025-12-20T12:00:00Z".into());
                }),
                contact("c4", "Alan Turing", |c| {
                    c.last_seen_at = Some("2025-11-01T12:00:00Z".into());
                    c.keep_in_touch = Some(crate::model::KeepInTouch::of(
                        crate::model::Frequency::Monthly,
                    ));
                }),
                contact("c5", "Kurt Goedel", |c| {
                    c.last_seen_at = Some("2024-01-01T12:00:00Z".into());
                    c.never_keep_in_touch = true;
                }),
            ],
            notes: vec![
                Arc::new(Note {
                    id: "n1".into(),
                    text: "Discussed the Bernoulli numbers program".into(),
                    event_time: Some("2025-01-10T12:00:00Z".into()),
                    contact_ids: vec!["c1".into()],
                    ..Note::default()
                }),
                Arc::new(Note {
                    id: "n2".into(),
                    text: "Difference engine funding".into(),
                    event_time: Some("2025-06-01T12:00:00Z".into()),
                    contact_ids: vec!["c2".into()],
                    ..Note::default()
                }),
            ],
            reminders: vec![
                Arc::new(Reminder {
                    id: "r1".into(),
                    text: "Send Ada the notes on Menabrea".into(),
                    due_date: Some("2025-12-01".into()),
                    contact_ids: vec!["c1".into()],
                    ..Reminder::default()
                }),
                Arc::new(Reminder {
                    id: "r2".into(),
                    text: "Book the workshop".into(),
                    due_date: Some("2025-12-24".into()),
                    contact_ids: vec!["c3".into()],
                    ..Reminder::default()
                }),
            ],
            ..Snapshot::default()
        }
    }

    fn render(name: &str, args: &[(&str, &str)]) -> Result<Rendered, RequestError> {
        let args: Vec<(String, String)> = args
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        get_prompt(
            &held(snapshot()),
            &clock_at("2025-12-22T09:00:00Z"),
            name,
            &args,
        )
    }

    #[test]
    fn meeting_prep_carries_the_contacts_real_record() {
        let rendered = render("meeting_prep", &[("contact", "ada lovlace")]).unwrap();
        assert!(rendered.description.contains("Ada Lovelace"));
        for fact in [
            "Analyst",
            "Bernoulli numbers",
            "Send Ada the notes on Menabrea",
            "`c1`",
        ] {
            assert!(rendered.text.contains(fact), "{fact}: {}", rendered.text);
        }
    }

    #[test]
    fn log_meeting_quotes_what_happened_and_names_the_write_tools() {
        let rendered = render(
            "log_meeting",
            &[
                ("contact", "c2"),
                ("what_happened", "Agreed on a demo\nin March"),
            ],
        )
        .unwrap();
        assert!(
            rendered.text.contains("> Agreed on a demo\n> in March"),
            "{}",
            rendered.text
        );
        assert!(rendered.text.contains("add_contact_note (contact_id `c2`)"));
        assert!(rendered.text.contains("Difference engine funding"));
    }

    #[test]
    fn the_weekly_review_lists_birthdays_overdue_and_quiet_starred_people() {
        let text = render("weekly_review", &[]).unwrap().text;
        assert!(
            text.contains("Charles Babbage (`c2`): 2025-12-26, turning 234, in 4 days"),
            "{text}"
        );
        assert!(
            text.contains(
                "Send Ada the notes on Menabrea (reminder `r1`, due 2025-12-01, 21 days overdue"
            ),
            "{text}"
        );
        assert!(
            text.contains("Book the workshop (reminder `r2`, due 2025-12-24"),
            "{text}"
        );
        assert!(
            text.contains("Ada Lovelace (`c1`): last contact 346 days ago"),
            "{text}"
        );
        assert!(
            !text.contains("Grace Hopper (`c3`): last contact"),
            "{text}"
        );
        assert!(
            text.contains("Alan Turing (`c4`): monthly, last contact 51 days ago, 21 days overdue"),
            "{text}"
        );
        let short = render("weekly_review", &[("days", "1")]).unwrap().text;
        assert!(!short.contains("Book the workshop"), "{short}");
    }

    #[test]
    fn reconnect_ranks_the_starred_and_overdue_first_with_reasons() {
        let text = render("reconnect", &[("count", "2")]).unwrap().text;
        let ada = text.find("**Ada Lovelace**").expect("Ada is suggested");
        let charles = text
            .find("**Charles Babbage**")
            .expect("Charles is suggested");
        assert!(ada < charles, "{text}");
        assert!(text.contains("starred; 1 overdue reminder(s)"), "{text}");
        assert!(text.contains("birthday in 4 days"), "{text}");
        // Grace was seen two days ago and is third at best.
        assert!(!text.contains("Grace Hopper"), "{text}");
        let all = render("reconnect", &[("count", "20")]).unwrap().text;
        assert!(
            all.contains("due to keep in touch (monthly), 21 days overdue"),
            "{all}"
        );
        // Kurt asked never to be reminded about.
        assert!(!all.contains("Kurt Goedel"), "{all}");
    }

    #[test]
    fn bad_arguments_and_unknown_prompts_fail_before_reading_the_account() {
        let (read, reads) = counted(snapshot());
        let clock = clock_at("2025-12-22T09:00:00Z");
        let call = |name: &str, args: &[(&str, &str)]| {
            let args: Vec<(String, String)> = args
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect();
            get_prompt(&read, &clock, name, &args).unwrap_err()
        };
        assert!(matches!(call("meeting", &[]), RequestError::NotFound(_)));
        assert!(
            matches!(call("meeting_prep", &[]), RequestError::InvalidArgument(m) if m.contains("`contact`"))
        );
        assert!(
            matches!(call("weekly_review", &[("days", "90")]), RequestError::InvalidArgument(m) if m.contains("1 to 31"))
        );
        assert!(matches!(
            call("reconnect", &[("whom", "x")]),
            RequestError::InvalidArgument(_)
        ));
        assert!(
            matches!(call("log_meeting", &[("contact", "Ada")]), RequestError::InvalidArgument(m) if m.contains("what_happened"))
        );
        assert_eq!(reads.get(), 0);
        assert!(matches!(
            call("meeting_prep", &[("contact", "Zebulon Quartz")]),
            RequestError::InvalidArgument(_)
        ));
    }

    #[test]
    fn the_contact_argument_completes_to_names() {
        let found = complete(&held(snapshot()), "meeting_prep", "contact", "babage").unwrap();
        assert_eq!(found.values, ["Charles Babbage"]);
        let none = complete(&held(snapshot()), "log_meeting", "what_happened", "x").unwrap();
        assert!(none.values.is_empty());
        assert!(complete(&held(snapshot()), "nope", "contact", "x").is_err());
    }
}
