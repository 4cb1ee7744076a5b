//! The account's state, shared by both API generations.
//!
//! The store knows nothing of HTTP or of either API's shapes: the routes
//! translate their bodies into v1 field maps and pass the field rules of
//! their generation. So a contact created through v1 is the same row that
//! legacy lists, and every rule (what links must exist, how completing a
//! recurring reminder moves it) is written once.

mod custom_fields;
mod labels;
pub mod paging;
pub mod patch;
pub mod recurrence;
mod relations;
pub mod table;

use std::collections::HashSet;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value};

use crate::dataset::Dataset;
use crate::generate::sanitize_phone;
use crate::ids::new_id;
use crate::model::{
    Contact, ContactEmail, ContactPhoneNumber, ContactRef, CustomField, Group, Note, Reminder, Tag,
    User, note_types,
};
use crate::timestamps::{
    format_date, format_instant, now, parse_date, parse_due_day, parse_instant,
};
use patch::FieldRules;
pub use relations::RelationWrite;
use table::Table;

/// Why a read or write was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// No record of this kind has this id.
    #[error("{kind} {id} not found")]
    NotFound {
        /// `contact`, `note` or `reminder`.
        kind: &'static str,
        /// The id asked for.
        id: String,
    },
    /// The request's fields break a rule; the message says which.
    #[error("{0}")]
    Invalid(String),
}

fn not_found(kind: &'static str, id: &str) -> StoreError {
    StoreError::NotFound {
        kind,
        id: id.to_owned(),
    }
}

fn invalid(message: impl Into<String>) -> StoreError {
    StoreError::Invalid(message.into())
}

/// Which contact of a merge group survives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Survivor {
    /// The first id of the group (what older texts say).
    First,
    /// The contact created first, whatever the order (what Dex's newest
    /// skill text says).
    Oldest,
}

/// One merged group: the contact that survived and the ids merged into it.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The surviving contact after the merge.
    pub kept: Contact,
    /// The other ids of the group, now deleted.
    pub removed: Vec<String>,
}

/// Contacts, notes, reminders and the account's labels.
#[derive(Debug, Clone)]
pub struct Store {
    contacts: Table<Contact>,
    notes: Table<Note>,
    reminders: Table<Reminder>,
    tags: Vec<Tag>,
    groups: Vec<Group>,
    custom_fields: Vec<CustomField>,
    user: User,
    /// Ids of records created while running; seeded so scripted runs
    /// repeat exactly.
    rng: ChaCha8Rng,
}

impl Store {
    /// A store holding `dataset`; `seed` drives the ids of new records.
    pub fn new(dataset: Dataset, seed: u64) -> Store {
        Store {
            contacts: Table::from_rows(dataset.contacts),
            notes: Table::from_rows(dataset.notes),
            reminders: Table::from_rows(dataset.reminders),
            tags: dataset.tags,
            groups: dataset.groups,
            custom_fields: dataset.custom_fields,
            user: dataset.user.unwrap_or_else(default_user),
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x05ee_d1d5),
        }
    }

    /// The whole state as a dataset, in listing order.
    pub fn snapshot(&self) -> Dataset {
        Dataset {
            contacts: self.contacts.iter().map(|(_, c)| c.clone()).collect(),
            notes: self.notes.iter().map(|(_, n)| n.clone()).collect(),
            reminders: self.reminders.iter().map(|(_, r)| r.clone()).collect(),
            tags: self.tags.clone(),
            groups: self.groups.clone(),
            custom_fields: self.custom_fields.clone(),
            user: Some(self.user.clone()),
        }
    }

    /// All contacts, in creation order.
    pub fn contacts(&self) -> &Table<Contact> {
        &self.contacts
    }

    /// All notes, in creation order.
    pub fn notes(&self) -> &Table<Note> {
        &self.notes
    }

    /// All reminders, in creation order.
    pub fn reminders(&self) -> &Table<Reminder> {
        &self.reminders
    }

    /// The account's tags.
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// The account's groups.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The account's custom field definitions.
    pub fn custom_fields(&self) -> &[CustomField] {
        &self.custom_fields
    }

    /// The account owner.
    pub fn user(&self) -> &User {
        &self.user
    }

    /// One contact.
    pub fn contact(&self, id: &str) -> Result<&Contact, StoreError> {
        self.contacts
            .get(id)
            .ok_or_else(|| not_found("contact", id))
    }

    /// One note.
    pub fn note(&self, id: &str) -> Result<&Note, StoreError> {
        self.notes.get(id).ok_or_else(|| not_found("note", id))
    }

    /// One reminder.
    pub fn reminder(&self, id: &str) -> Result<&Reminder, StoreError> {
        self.reminders
            .get(id)
            .ok_or_else(|| not_found("reminder", id))
    }

    /// Creates contacts from field maps: all of them or, if one is
    /// refused, none.
    pub fn create_contacts(
        &mut self,
        batch: &[Map<String, Value>],
        rules: FieldRules,
    ) -> Result<Vec<Contact>, StoreError> {
        let stamp = now();
        let mut created = Vec::with_capacity(batch.len());
        for fields in batch {
            let mut contact = patch::apply(&Contact::default(), fields, rules)?;
            normalize_contact(&mut contact, fields, true)?;
            contact.id = new_id(&mut self.rng);
            contact.created_at = stamp.clone();
            contact.updated_at = stamp.clone();
            created.push(contact);
        }
        for contact in &created {
            self.contacts.insert(contact.clone());
        }
        Ok(created)
    }

    /// Changes the given fields of a contact.
    pub fn update_contact(
        &mut self,
        id: &str,
        fields: &Map<String, Value>,
        rules: FieldRules,
    ) -> Result<Contact, StoreError> {
        let mut contact = patch::apply(self.contact(id)?, fields, rules)?;
        normalize_contact(&mut contact, fields, false)?;
        contact.updated_at = now();
        self.contacts.replace(contact.clone());
        Ok(contact)
    }

    /// Replaces a contact's email addresses.
    pub fn set_contact_emails(
        &mut self,
        id: &str,
        emails: Vec<ContactEmail>,
    ) -> Result<Contact, StoreError> {
        let mut contact = self.contact(id)?.clone();
        contact.contact_emails = emails;
        normalize_contact(&mut contact, &Map::new(), false)?;
        contact.updated_at = now();
        self.contacts.replace(contact.clone());
        Ok(contact)
    }

    /// Replaces a contact's phone numbers.
    pub fn set_contact_phones(
        &mut self,
        id: &str,
        phones: Vec<ContactPhoneNumber>,
    ) -> Result<Contact, StoreError> {
        let mut contact = self.contact(id)?.clone();
        contact.contact_phone_numbers = phones;
        normalize_contact(&mut contact, &Map::new(), false)?;
        contact.updated_at = now();
        self.contacts.replace(contact.clone());
        Ok(contact)
    }

    /// Deletes a contact, unlinks it from notes and reminders, and deletes
    /// the notes and reminders that were only about it.
    pub fn delete_contact(&mut self, id: &str) -> Result<Contact, StoreError> {
        let contact = self
            .contacts
            .remove(id)
            .ok_or_else(|| not_found("contact", id))?;
        self.forget_relations(id, &contact.related_contacts);
        self.notes.retain(|note| {
            note.timeline_items_contacts.is_empty()
                || note
                    .timeline_items_contacts
                    .iter()
                    .any(|l| l.contact_id != id)
        });
        for note in self.notes.values_mut() {
            note.timeline_items_contacts.retain(|l| l.contact_id != id);
        }
        self.reminders.retain(|reminder| {
            reminder.reminders_contacts.is_empty()
                || reminder
                    .reminders_contacts
                    .iter()
                    .any(|l| l.contact_id != id)
        });
        for reminder in self.reminders.values_mut() {
            reminder.reminders_contacts.retain(|l| l.contact_id != id);
        }
        Ok(contact)
    }

    /// Merges each group of contacts into the one `survivor` picks: empty
    /// fields are filled from the others (in the group's order), emails,
    /// phones and labels are joined, notes and reminders move to the kept
    /// contact, the others are deleted. All groups are checked before
    /// anything changes.
    pub fn merge_contacts(
        &mut self,
        groups: &[Vec<String>],
        survivor: Survivor,
    ) -> Result<Vec<Merged>, StoreError> {
        let mut seen = HashSet::new();
        for group in groups {
            if group.len() < 2 {
                return Err(invalid("each merge group needs at least two contact ids"));
            }
            for id in group {
                self.contact(id)?;
                if !seen.insert(id.as_str()) {
                    return Err(invalid(format!(
                        "contact {id} appears in more than one place"
                    )));
                }
            }
        }
        let mut merged = Vec::with_capacity(groups.len());
        for group in groups {
            let keep_id = match survivor {
                Survivor::First => group[0].clone(),
                Survivor::Oldest => self.oldest(group),
            };
            let mut keep = self.contact(&keep_id)?.clone();
            let mut removed = Vec::with_capacity(group.len() - 1);
            for dup_id in group.iter().filter(|id| **id != keep_id) {
                let dup = self
                    .contacts
                    .remove(dup_id)
                    .ok_or_else(|| not_found("contact", dup_id))?;
                let rows = dup.related_contacts.clone();
                let dup = Contact {
                    related_contacts: Vec::new(),
                    ..dup
                };
                keep = merge_fields(keep, &dup);
                self.relink(dup_id, &keep_id);
                // The duplicate's relations move to the kept contact as
                // pairs of its own, not as copies of the duplicate's rows.
                self.contacts.replace(keep.clone());
                self.move_relations(dup_id, &rows, &keep_id);
                keep = self.contact(&keep_id)?.clone();
                removed.push(dup_id.clone());
            }
            normalize_contact(&mut keep, &Map::new(), false)?;
            keep.updated_at = now();
            self.contacts.replace(keep.clone());
            merged.push(Merged {
                kept: keep,
                removed,
            });
        }
        Ok(merged)
    }

    /// The id of the group's contact created first: by `created_at`, then
    /// (equal or unreadable times) by the order the store got them in.
    fn oldest(&self, group: &[String]) -> String {
        let position: std::collections::HashMap<&str, usize> = self
            .contacts
            .iter()
            .enumerate()
            .map(|(i, (_, c))| (c.id.as_str(), i))
            .collect();
        let key = |id: &String| {
            let contact = self.contacts.get(id);
            let created = contact
                .and_then(|c| parse_instant(&c.created_at))
                .unwrap_or(chrono::NaiveDateTime::MAX);
            (
                created,
                position.get(id.as_str()).copied().unwrap_or(usize::MAX),
            )
        };
        group
            .iter()
            .min_by_key(|id| key(id))
            .unwrap_or(&group[0])
            .clone()
    }

    fn relink(&mut self, from: &str, to: &str) {
        for note in self.notes.values_mut() {
            relink_refs(&mut note.timeline_items_contacts, from, to);
        }
        for reminder in self.reminders.values_mut() {
            relink_refs(&mut reminder.reminders_contacts, from, to);
        }
    }

    /// Creates a note from a v1 field map (`note`, `event_time`,
    /// `meeting_type`, `meeting_type_id`, `timeline_items_contacts`).
    pub fn create_note(
        &mut self,
        fields: &Map<String, Value>,
        rules: FieldRules,
    ) -> Result<Note, StoreError> {
        if !fields.get("note").is_some_and(Value::is_string) {
            return Err(invalid("field `note` (text) is required"));
        }
        let mut note = patch::apply(&Note::default(), fields, rules)?;
        if note.meeting_type.is_empty() && note.meeting_type_id.is_none() {
            note.meeting_type = "note".to_owned();
        }
        if note.event_time.is_empty() {
            note.event_time = now();
        }
        if note.timeline_items_contacts.is_empty() {
            return Err(invalid("a note needs at least one contact"));
        }
        self.check_note(&mut note, fields)?;
        note.id = new_id(&mut self.rng);
        note.created_at = now();
        note.updated_at = note.created_at.clone();
        self.notes.insert(note.clone());
        Ok(note)
    }

    /// Changes the given fields of a note.
    pub fn update_note(
        &mut self,
        id: &str,
        fields: &Map<String, Value>,
        rules: FieldRules,
    ) -> Result<Note, StoreError> {
        let mut note = patch::apply(self.note(id)?, fields, rules)?;
        if note.timeline_items_contacts.is_empty() {
            return Err(invalid("a note needs at least one contact"));
        }
        self.check_note(&mut note, fields)?;
        note.updated_at = now();
        self.notes.replace(note.clone());
        Ok(note)
    }

    /// Deletes a note.
    pub fn delete_note(&mut self, id: &str) -> Result<Note, StoreError> {
        self.notes.remove(id).ok_or_else(|| not_found("note", id))
    }

    fn check_note(&self, note: &mut Note, fields: &Map<String, Value>) -> Result<(), StoreError> {
        note.event_time = format_instant(
            parse_instant(&note.event_time)
                .ok_or_else(|| invalid("field `event_time` must be an ISO 8601 date or time"))?,
        );
        let types = note_types();
        let by_id = note
            .meeting_type_id
            .as_deref()
            .map(|id| {
                types
                    .iter()
                    .find(|t| t.id == id)
                    .ok_or_else(|| invalid(format!("unknown meeting_type_id {id}")))
            })
            .transpose()?;
        match by_id {
            // An id sent without a name names the type.
            Some(t) if !fields.contains_key("meeting_type") => note.meeting_type = t.name.clone(),
            _ => {
                let t = types
                    .iter()
                    .find(|t| t.name == note.meeting_type)
                    .ok_or_else(|| {
                        invalid(format!("unknown meeting_type {}", note.meeting_type))
                    })?;
                note.meeting_type_id = Some(t.id.clone());
            }
        }
        note.timeline_items_contacts = self.checked_links(&note.timeline_items_contacts)?;
        Ok(())
    }

    /// Creates a reminder from a v1 field map (`text`, `due_at_date`,
    /// `due_at_time`, `is_complete`, `recurrence`, `reminders_contacts`).
    pub fn create_reminder(
        &mut self,
        fields: &Map<String, Value>,
        rules: FieldRules,
    ) -> Result<Reminder, StoreError> {
        if !fields.get("text").is_some_and(Value::is_string) {
            return Err(invalid("field `text` is required"));
        }
        let mut reminder = patch::apply(&Reminder::default(), fields, rules)?;
        self.check_reminder(&mut reminder)?;
        if reminder.is_complete {
            reminder.last_completed_at = Some(now());
        }
        reminder.next_occurrence_at = recurrence::next_occurrence(
            reminder.is_complete,
            reminder.due_at_date.as_deref(),
            reminder.due_at_time.as_deref(),
        );
        reminder.id = new_id(&mut self.rng);
        reminder.created_at = now();
        reminder.updated_at = reminder.created_at.clone();
        self.reminders.insert(reminder.clone());
        Ok(reminder)
    }

    /// Changes the given fields of a reminder. Completing a recurring
    /// reminder records `last_completed_at`, moves the due date (and due
    /// time) one period on and leaves it open.
    pub fn update_reminder(
        &mut self,
        id: &str,
        fields: &Map<String, Value>,
        rules: FieldRules,
    ) -> Result<Reminder, StoreError> {
        let before = self.reminder(id)?;
        let was_complete = before.is_complete;
        let mut reminder = patch::apply(before, fields, rules)?;
        self.check_reminder(&mut reminder)?;
        if reminder.is_complete && !was_complete {
            reminder.last_completed_at = Some(now());
            if let Some(every) = reminder.recurrence {
                roll_forward(&mut reminder, every);
            }
        }
        reminder.next_occurrence_at = recurrence::next_occurrence(
            reminder.is_complete,
            reminder.due_at_date.as_deref(),
            reminder.due_at_time.as_deref(),
        );
        reminder.updated_at = now();
        self.reminders.replace(reminder.clone());
        Ok(reminder)
    }

    /// Deletes a reminder.
    pub fn delete_reminder(&mut self, id: &str) -> Result<Reminder, StoreError> {
        self.reminders
            .remove(id)
            .ok_or_else(|| not_found("reminder", id))
    }

    fn check_reminder(&self, reminder: &mut Reminder) -> Result<(), StoreError> {
        if reminder.text.trim().is_empty() {
            return Err(invalid("field `text` must not be empty"));
        }
        if let Some(date) = &reminder.due_at_date {
            // Clients send a day or a datetime (a public one sends
            // midnight UTC); the day written in it is what is kept.
            let day = parse_due_day(date).ok_or_else(|| {
                invalid("field `due_at_date` must be YYYY-MM-DD or an ISO 8601 datetime")
            })?;
            reminder.due_at_date = Some(format_date(day));
        }
        if let Some(time) = &reminder.due_at_time {
            let instant = parse_instant(time)
                .ok_or_else(|| invalid("field `due_at_time` must be an ISO 8601 time"))?;
            reminder.due_at_time = Some(format_instant(instant));
            if reminder.due_at_date.is_none() {
                reminder.due_at_date = Some(format_date(instant.date()));
            }
        }
        reminder.reminders_contacts = self.checked_links(&reminder.reminders_contacts)?;
        Ok(())
    }

    /// The links without repeats, or an error naming a contact that does
    /// not exist.
    fn checked_links(&self, links: &[ContactRef]) -> Result<Vec<ContactRef>, StoreError> {
        let mut seen = HashSet::new();
        let mut out = Vec::with_capacity(links.len());
        for link in links {
            if !self.contacts.contains(&link.contact_id) {
                return Err(invalid(format!("unknown contact_id {}", link.contact_id)));
            }
            if seen.insert(link.contact_id.clone()) {
                out.push(link.clone());
            }
        }
        Ok(out)
    }
}

/// Moves a completed recurring reminder to its next occurrence.
fn roll_forward(reminder: &mut Reminder, every: crate::model::Recurrence) {
    reminder.is_complete = false;
    if let Some(due) = reminder.due_at_date.as_deref().and_then(parse_date) {
        let next = recurrence::advance(due, every);
        reminder.due_at_date = Some(format_date(next));
        if let Some(time) = reminder.due_at_time.as_deref().and_then(parse_instant) {
            let shifted = time + (next - due);
            reminder.due_at_time = Some(format_instant(shifted));
        }
    }
}

/// Derived fields after a write: the full name follows first and last
/// name (or splits into them when only it was sent), phone numbers get
/// their sanitised form, emails are checked and ranked.
fn normalize_contact(
    contact: &mut Contact,
    fields: &Map<String, Value>,
    creating: bool,
) -> Result<(), StoreError> {
    let names_sent = fields.contains_key("first_name") || fields.contains_key("last_name");
    if fields.contains_key("full_name") && !names_sent {
        let full = contact.full_name.clone().unwrap_or_default();
        let mut parts = full.trim().splitn(2, ' ');
        contact.first_name = parts.next().filter(|s| !s.is_empty()).map(str::to_owned);
        contact.last_name = parts.next().map(|s| s.trim().to_owned());
    } else if names_sent || creating {
        let joined = [contact.first_name.as_deref(), contact.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        contact.full_name = (!joined.is_empty()).then_some(joined);
    }
    for (rank, email) in contact.contact_emails.iter_mut().enumerate() {
        if !email.email.contains('@') {
            return Err(invalid(format!(
                "`{}` is not an email address",
                email.email
            )));
        }
        email.ranking = rank as i64;
    }
    for (rank, phone) in contact.contact_phone_numbers.iter_mut().enumerate() {
        if phone.phone_number.trim().is_empty() {
            return Err(invalid("a phone number is empty"));
        }
        if phone.phone_number_sanitized.is_none() {
            let code = phone.country_code.as_deref().unwrap_or("+1");
            phone.phone_number_sanitized = Some(sanitize_phone(&phone.phone_number, code));
        }
        phone.ranking = rank as i64;
    }
    Ok(())
}

/// `keep` with its empty fields filled from `dup` and its lists joined
/// with `dup`'s (without repeats).
fn merge_fields(keep: Contact, dup: &Contact) -> Contact {
    let (Ok(Value::Object(mut keep_obj)), Ok(Value::Object(dup_obj))) =
        (serde_json::to_value(&keep), serde_json::to_value(dup))
    else {
        unreachable!("contacts serialise to JSON objects");
    };
    for (key, dup_value) in dup_obj {
        match keep_obj.get_mut(&key) {
            Some(Value::Null) => {
                keep_obj.insert(key, dup_value);
            }
            Some(Value::Array(items)) => {
                if let Value::Array(extra) = dup_value {
                    for item in extra {
                        if !items.iter().any(|have| same_entry(have, &item)) {
                            items.push(item);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    serde_json::from_value(Value::Object(keep_obj)).unwrap_or(keep)
}

/// Whether two list entries are the same thing: emails ignoring case,
/// phone numbers by their sanitised form, anything else by value.
fn same_entry(a: &Value, b: &Value) -> bool {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_lowercase);
    if let (Some(x), Some(y)) = (text(a, "email"), text(b, "email")) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (
        text(a, "phone_number_sanitized"),
        text(b, "phone_number_sanitized"),
    ) {
        return x == y;
    }
    a == b
}

fn relink_refs(links: &mut Vec<ContactRef>, from: &str, to: &str) {
    if !links.iter().any(|l| l.contact_id == from) {
        return;
    }
    let mut seen = HashSet::new();
    let moved: Vec<ContactRef> = links
        .drain(..)
        .map(|l| {
            if l.contact_id == from {
                ContactRef::new(to)
            } else {
                l
            }
        })
        .filter(|l| seen.insert(l.contact_id.clone()))
        .collect();
    *links = moved;
}

/// The owner of an account whose dataset names none.
pub(crate) fn default_user() -> User {
    User {
        id: "00000000-0000-4000-8000-000000000001".to_owned(),
        email: "avery.quinn@example.com".to_owned(),
        first_name: "Avery".to_owned(),
        last_name: "Quinn".to_owned(),
        time_zone: "UTC".to_owned(),
    }
}
