//! Generated contacts: names from several languages, employers, emails,
//! phones, social links, birthdays, and a few near-duplicates.

use chrono::{Duration, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::phones::phone_number;
use super::vocab::{self, COMPANIES, JOB_TITLES, ORIGINS, Origin, SCHOOLS, STREETS};
use crate::fold::fold;
use crate::ids::new_id;
use crate::model::{
    Contact, ContactAddress, ContactEmail, CustomField, CustomFieldCategory, CustomFieldValue,
    Group, GroupLink, Tag, TagLink,
};
use crate::timestamps::format_instant;

/// Everything a person is generated from, kept so notes can mention them.
pub struct Person {
    /// The contact record.
    pub contact: Contact,
    /// What friends call them, if they go by a nickname.
    pub nickname: Option<&'static str>,
    /// Where they live.
    pub city: &'static str,
}

/// The account-wide labels the contacts are drawn onto.
pub struct Labels {
    /// Tags.
    pub tags: Vec<Tag>,
    /// Groups.
    pub groups: Vec<Group>,
    /// Custom field definitions.
    pub custom_fields: Vec<CustomField>,
}

/// Makes the account's tags, groups and custom field definitions.
pub fn labels(rng: &mut impl Rng) -> Labels {
    Labels {
        tags: vocab::TAGS
            .iter()
            .map(|name| Tag {
                id: new_id(rng),
                name: (*name).to_owned(),
            })
            .collect(),
        groups: vocab::GROUPS
            .iter()
            .map(|(name, emoji)| Group {
                id: new_id(rng),
                name: (*name).to_owned(),
                emoji: Some((*emoji).to_owned()),
                description: None,
            })
            .collect(),
        custom_fields: custom_fields(rng),
    }
}

/// The account's custom fields. The first two ids come from `rng`, as
/// they always have; the rest, and the options' ids, are derived from the
/// first, so that adding them left every other generated record as it was.
fn custom_fields(rng: &mut impl Rng) -> Vec<CustomField> {
    let mut ids = [new_id(rng), new_id(rng)];
    let mut derived = rand_chacha::ChaCha8Rng::seed_from_u64(stable_hash(&ids[0]));
    vocab::CUSTOM_FIELDS
        .iter()
        .enumerate()
        .map(|(i, (name, field_type, options))| CustomField {
            id: if i < ids.len() {
                std::mem::take(&mut ids[i])
            } else {
                new_id(&mut derived)
            },
            name: (*name).to_owned(),
            field_type: (*field_type).to_owned(),
            categories: options
                .iter()
                .map(|option| CustomFieldCategory {
                    id: new_id(&mut derived),
                    category: (*option).to_owned(),
                })
                .collect(),
        })
        .collect()
}

/// FNV-1a of `text`: a hash that is the same on every run and platform.
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One generated person, the `serial`-th of the dataset.
pub fn person(rng: &mut impl Rng, serial: usize, today: NaiveDate, labels: &Labels) -> Person {
    let origin = pick_origin(rng);
    let first = *origin.first_names.choose(rng).expect("non-empty list");
    let last = *origin.last_names.choose(rng).expect("non-empty list");
    let city = *origin.cities.choose(rng).expect("non-empty list");
    let nickname = vocab::NICKNAMES
        .iter()
        .find(|(name, _)| *name == first)
        .map(|(_, nick)| *nick);
    let employer = rng
        .random_bool(0.8)
        .then(|| *COMPANIES.choose(rng).expect("non-empty"));
    let slug = format!("{}.{}", ascii_slug(first), ascii_slug(last));

    let created = today - Duration::days(rng.random_range(30..2000));
    let mut contact = Contact {
        id: new_id(rng),
        full_name: Some(format!("{first} {last}")),
        first_name: Some(first.to_owned()),
        last_name: Some(last.to_owned()),
        company: employer.map(|(name, _)| name.to_owned()),
        job_title: employer.map(|_| (*JOB_TITLES.choose(rng).expect("non-empty")).to_owned()),
        created_at: format_instant(created.and_hms_opt(10, 0, 0).expect("valid time")),
        updated_at: format_instant(created.and_hms_opt(10, 5, 0).expect("valid time")),
        source: Some(["manual", "linkedin", "google", "csv"][serial % 4].to_owned()),
        ..Contact::default()
    };
    contact.contact_emails = emails(rng, origin, &slug, employer.map(|(_, d)| d));
    contact.contact_phone_numbers = phones(rng, origin, serial);
    add_profile(rng, &mut contact, &slug, city);
    add_labels(rng, &mut contact, labels);
    Person {
        contact,
        nickname,
        city,
    }
}

/// A second record of `original`'s person, as a CRM collects them: an
/// unaccented spelling, a nickname, or another email address.
pub fn near_duplicate(rng: &mut impl Rng, original: &Person, today: NaiveDate) -> Person {
    let mut contact = original.contact.clone();
    contact.id = new_id(rng);
    let first = contact.first_name.clone().unwrap_or_default();
    let last = contact.last_name.clone().unwrap_or_default();
    let created = today - Duration::days(rng.random_range(1..30));
    contact.created_at = format_instant(created.and_hms_opt(8, 0, 0).expect("valid time"));
    contact.updated_at = contact.created_at.clone();
    match (rng.random_range(0..3), original.nickname) {
        (0, Some(nick)) => {
            contact.first_name = Some(nick.to_owned());
            contact.full_name = Some(format!("{nick} {last}"));
            contact.contact_emails.clear();
        }
        (1, _) => {
            let plain_first = title_ascii(&first);
            let plain_last = title_ascii(&last);
            contact.full_name = Some(format!("{plain_first} {plain_last}"));
            contact.first_name = Some(plain_first);
            contact.last_name = Some(plain_last);
            for email in &mut contact.contact_emails {
                email.email = email.email.to_uppercase();
            }
            contact.contact_phone_numbers.clear();
        }
        _ => {
            contact.company = None;
            contact.job_title = None;
            contact.contact_emails = vec![ContactEmail {
                email: format!("{}{}@proton.me", ascii_slug(&first), ascii_slug(&last)),
                label: Some("personal".to_owned()),
                ranking: 0,
            }];
        }
    }
    contact.starred = false;
    Person {
        contact,
        nickname: original.nickname,
        city: original.city,
    }
}

fn pick_origin(rng: &mut impl Rng) -> &'static Origin {
    let total: u32 = ORIGINS.iter().map(|o| o.weight).sum();
    let mut roll = rng.random_range(0..total);
    for origin in ORIGINS {
        if roll < origin.weight {
            return origin;
        }
        roll -= origin.weight;
    }
    &ORIGINS[0]
}

fn emails(
    rng: &mut impl Rng,
    origin: &Origin,
    slug: &str,
    work_domain: Option<&str>,
) -> Vec<ContactEmail> {
    let personal_domain = *origin.mail_domains.choose(rng).expect("non-empty");
    let personal = ContactEmail {
        email: format!("{slug}@{personal_domain}"),
        label: Some("personal".to_owned()),
        ranking: 0,
    };
    let work = work_domain.map(|domain| ContactEmail {
        email: format!("{slug}@{domain}"),
        label: Some("work".to_owned()),
        ranking: 0,
    });
    let roll: f64 = rng.random();
    let mut list = match work {
        _ if roll < 0.1 => vec![],
        Some(work) if roll < 0.3 => vec![work, personal],
        Some(work) if roll < 0.8 => vec![work],
        _ => vec![personal],
    };
    for (rank, email) in list.iter_mut().enumerate() {
        email.ranking = rank as i64;
    }
    list
}

fn phones(
    rng: &mut impl Rng,
    origin: &Origin,
    serial: usize,
) -> Vec<crate::model::ContactPhoneNumber> {
    let count = match rng.random_range(0..100) {
        0..15 => 0,
        15..85 => 1,
        _ => 2,
    };
    (0..count)
        .map(|rank| {
            let mut phone = phone_number(rng, origin.phone_style, serial * 2 + rank);
            phone.ranking = rank as i64;
            phone
        })
        .collect()
}

fn add_profile(rng: &mut impl Rng, contact: &mut Contact, slug: &str, city: &str) {
    let handle = slug.replace('.', "_");
    if rng.random_bool(0.6) {
        // Stored the three ways a live sync found LinkedIn in Dex: a full
        // link, a link without scheme, a bare slug. Picked from the slug,
        // not the generator, so the rest of the data stays the same.
        let slug = slug.replace('.', "-");
        contact.linkedin = Some(match slug.len() % 3 {
            0 => format!("https://www.linkedin.com/in/{slug}"),
            1 => format!("linkedin.com/in/{slug}"),
            _ => slug,
        });
    }
    if rng.random_bool(0.25) {
        contact.twitter = Some(format!("@{handle}"));
    }
    if rng.random_bool(0.15) {
        contact.instagram = Some(handle.clone());
    }
    if rng.random_bool(0.05) {
        contact.telegram = Some(handle.clone());
    }
    if rng.random_bool(0.05) {
        contact.facebook = Some(format!("https://facebook.com/{handle}"));
    }
    if rng.random_bool(0.5) {
        let month = rng.random_range(1..=12);
        let day = rng.random_range(1..=28);
        if rng.random_bool(0.6) {
            let year = rng.random_range(1950..=2004);
            contact.birthday = Some(format!("{year:04}-{month:02}-{day:02}"));
            contact.birthday_year = Some(year);
        } else {
            contact.birthday = Some(format!("--{month:02}-{day:02}"));
        }
    }
    if rng.random_bool(0.4) {
        let street = STREETS.choose(rng).expect("non-empty");
        contact.legacy_contact_addresses = vec![ContactAddress {
            formatted: format!("{} {street}, {city}", rng.random_range(1..200)),
        }];
        contact.legacy_location = Some(city.to_owned());
    }
    if rng.random_bool(0.3) {
        contact.education = Some((*SCHOOLS.choose(rng).expect("non-empty")).to_owned());
    }
    if rng.random_bool(0.3) {
        contact.description = Some(format!(
            "Lives in {city}. {}",
            [
                "Great connector.",
                "Ask about the kids.",
                "Vegetarian.",
                "Loves sailing."
            ][rng.random_range(0..4)]
        ));
    }
    if rng.random_bool(0.1) {
        contact.website = Some(format!("https://{}.example.net", slug.replace('.', "")));
    }
    contact.starred = rng.random_bool(0.08);
    contact.is_archived = rng.random_bool(0.03);
    if rng.random_bool(0.4) {
        let every = [
            "7 days", "14 days", "1 mon", "42 days", "3 mons", "6 mons", "1 year",
        ];
        contact.frequency = Some(every[rng.random_range(0..every.len())].to_owned());
    } else {
        contact.never_keep_in_touch = rng.random_bool(0.2);
    }
}

fn add_labels(rng: &mut impl Rng, contact: &mut Contact, labels: &Labels) {
    for tag in &labels.tags {
        if rng.random_bool(0.12) {
            contact.tags_contacts.push(TagLink { tag: tag.clone() });
        }
    }
    for group in &labels.groups {
        if rng.random_bool(0.08) {
            contact.groups_contacts.push(GroupLink {
                group: group.clone(),
            });
        }
    }
    if let Some(field) = labels.custom_fields.first()
        && rng.random_bool(0.2)
    {
        contact.custom_fields.push(CustomFieldValue {
            id: field.id.clone(),
            kind: field.field_type.clone(),
            text_value: Some(
                [
                    "Through work",
                    "At a conference",
                    "University",
                    "Via a friend",
                ][rng.random_range(0..4)]
                .to_owned(),
            ),
        });
        other_custom_values(contact, &labels.custom_fields[1..]);
    }
}

/// Values of the other custom fields for some of the contacts that have
/// the first, drawn from the contact's id rather than the generator, so
/// that the rest of the dataset stays as it was before these fields.
fn other_custom_values(contact: &mut Contact, fields: &[CustomField]) {
    let hash = stable_hash(&contact.id);
    for (i, field) in fields.iter().enumerate() {
        let draw = hash.rotate_left(17 * (i as u32 + 1));
        if draw.is_multiple_of(2) {
            continue;
        }
        let value = match field.field_type.as_str() {
            "autocomplete" if !field.categories.is_empty() => {
                let pick = (draw / 2) as usize % field.categories.len();
                field.categories[pick].category.clone()
            }
            "datepicker" => {
                let start = NaiveDate::from_ymd_opt(2012, 1, 1).expect("a valid day");
                (start + Duration::days((draw / 2 % 4_000) as i64))
                    .format("%Y-%m-%d")
                    .to_string()
            }
            _ => continue,
        };
        contact.custom_fields.push(CustomFieldValue {
            id: field.id.clone(),
            kind: field.field_type.clone(),
            text_value: Some(value),
        });
    }
}

/// Lower-case ASCII for email local parts and handles: `Łukasz` -> `lukasz`,
/// `O'Brien` -> `obrien`, `De Luca` -> `deluca`.
pub fn ascii_slug(name: &str) -> String {
    fold(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

fn title_ascii(name: &str) -> String {
    let folded = fold(name);
    let mut chars = folded.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}
