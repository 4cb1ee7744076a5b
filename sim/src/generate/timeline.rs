//! Generated notes and reminders: free text that mentions places,
//! employers and other contacts (by full name or nickname), dated around
//! the dataset's "today".

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;

use super::people::Person;
use super::vocab::{COMPANIES, EVENTS, TOPICS, VENUES};
use crate::ids::new_id;
use crate::model::{ContactRef, Note, Recurrence, Reminder, note_types};
use crate::store::recurrence::{advance, next_occurrence};
use crate::timestamps::{format_date, format_instant};

/// One note about `people[subject]`, sometimes also about another person.
pub fn note(rng: &mut impl Rng, people: &[Person], subject: usize, today: NaiveDate) -> Note {
    let person = &people[subject];
    let name = called(rng, person);
    let other = &people[rng.random_range(0..people.len())];
    let other_name = other.contact.full_name.clone().unwrap_or_default();
    let venue = VENUES.choose(rng).expect("non-empty");
    let event = EVENTS.choose(rng).expect("non-empty");
    let topic = TOPICS.choose(rng).expect("non-empty");
    let (company, _) = COMPANIES.choose(rng).expect("non-empty");
    let own_company = person
        .contact
        .company
        .clone()
        .unwrap_or_else(|| "their startup".into());
    let city = person.city;
    let (kind, text) = match rng.random_range(0..8) {
        0 => (
            "coffee",
            format!("Coffee with {name} at {venue} in {city}. Talked about {topic}."),
        ),
        1 => (
            "networking",
            format!(
                "Met {name} at {event}. Introduced me to {other_name}, who works at {company}."
            ),
        ),
        2 => (
            "call",
            format!(
                "Call with {name}: thinking about leaving {own_company} for {company}. Wants an intro to {other_name}."
            ),
        ),
        3 => (
            "meal",
            format!("Dinner in {city} with {name} and {other_name}. {name} mentioned {topic}."),
        ),
        4 => (
            "email",
            format!("{name} emailed about {topic}; replied with notes from {event}."),
        ),
        5 => (
            "meeting",
            format!(
                "Meeting at {own_company} with {name}. Next step: send the deck to {other_name}."
            ),
        ),
        6 => (
            "text",
            format!(
                "{name} texted from {city}: back from {event}, wants to catch up about {topic}."
            ),
        ),
        _ => (
            "note",
            format!("{name} is a good person to ask about {topic}. Old friend of {other_name}."),
        ),
    };
    let mut links = vec![ContactRef::new(&person.contact.id)];
    if rng.random_bool(0.1) && other.contact.id != person.contact.id && text.contains(&other_name) {
        links.push(ContactRef::new(&other.contact.id));
    }
    let when = today - Duration::days(rng.random_range(1..900));
    let event_time = format_instant(
        when.and_hms_opt(
            rng.random_range(8..21),
            [0, 15, 30, 45][rng.random_range(0..4)],
            0,
        )
        .expect("valid time"),
    );
    let type_id = note_types()
        .into_iter()
        .find(|t| t.name == kind)
        .map(|t| t.id);
    Note {
        id: new_id(rng),
        note: text,
        created_at: event_time.clone(),
        updated_at: event_time.clone(),
        event_time,
        meeting_type: kind.to_owned(),
        meeting_type_id: type_id,
        timeline_items_contacts: links,
    }
}

/// One reminder about `people[subject]`, due somewhere between four months
/// ago and six months ahead; past ones are often complete, some recur.
pub fn reminder(
    rng: &mut impl Rng,
    people: &[Person],
    subject: usize,
    today: NaiveDate,
) -> Reminder {
    let person = &people[subject];
    let name = called(rng, person);
    let topic = TOPICS.choose(rng).expect("non-empty");
    let (company, _) = COMPANIES.choose(rng).expect("non-empty");
    let text = match rng.random_range(0..5) {
        0 => format!("Call {name} about {topic}"),
        1 => format!("Send {name} the article on {topic}"),
        2 => format!("Follow up with {name} re: intro to {company}"),
        3 => format!("Check in with {name}"),
        _ => format!("Ask {name} how {topic} is going"),
    };
    let due = today + Duration::days(rng.random_range(-120..=180));
    let recurrence = rng
        .random_bool(0.2)
        .then(|| *Recurrence::ALL.choose(rng).expect("non-empty"));
    let is_complete = recurrence.is_none() && due < today && rng.random_bool(0.5);
    let due_at_time = rng
        .random_bool(0.3)
        .then(|| format_instant(due.and_hms_opt(9, 0, 0).expect("valid time")));
    let last_completed_at = if is_complete {
        Some(format_instant(
            (due + Duration::days(rng.random_range(0..3)))
                .and_hms_opt(18, 0, 0)
                .expect("valid time"),
        ))
    } else {
        recurrence.filter(|_| rng.random_bool(0.5)).map(|every| {
            let previous = step_back(due, every);
            format_instant(previous.and_hms_opt(17, 0, 0).expect("valid time"))
        })
    };
    let mut links = vec![ContactRef::new(&person.contact.id)];
    let other = &people[rng.random_range(0..people.len())];
    if rng.random_bool(0.05) && other.contact.id != person.contact.id {
        links.push(ContactRef::new(&other.contact.id));
    }
    let created = format_instant(
        (today - Duration::days(rng.random_range(121..400)))
            .and_hms_opt(12, 0, 0)
            .expect("valid time"),
    );
    let due_at_date = format_date(due);
    let next_occurrence_at =
        next_occurrence(is_complete, Some(&due_at_date), due_at_time.as_deref());
    Reminder {
        id: new_id(rng),
        text,
        due_at_date: Some(due_at_date),
        due_at_time,
        is_complete,
        recurrence,
        last_completed_at,
        next_occurrence_at,
        reminders_contacts: links,
        created_at: created.clone(),
        updated_at: created,
    }
}

/// The name a note uses for a person: often the nickname if they have one.
fn called(rng: &mut impl Rng, person: &Person) -> String {
    match person.nickname {
        Some(nick) if rng.random_bool(0.7) => nick.to_owned(),
        _ => person.contact.first_name.clone().unwrap_or_default(),
    }
}

/// The occurrence before `due`: found by stepping forward from far enough
/// back, since months do not subtract evenly.
fn step_back(due: NaiveDate, every: Recurrence) -> NaiveDate {
    let mut date = due - Duration::days(400);
    let mut previous = date;
    while date < due {
        previous = date;
        date = advance(date, every);
    }
    previous
}
