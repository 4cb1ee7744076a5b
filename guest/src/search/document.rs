//! What gets indexed: records, their searchable fields, and field weights.

use std::borrow::Cow;
use std::sync::Arc;

use crate::model::{CompactText, Contact, Note, Reminder, TextRef};
use crate::snapshot::Snapshot;

/// The kinds of record search covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    /// A contact.
    Contact,
    /// A note (timeline item).
    Note,
    /// A reminder.
    Reminder,
}

impl RecordKind {
    /// All kinds.
    pub const ALL: [RecordKind; 3] = [RecordKind::Contact, RecordKind::Note, RecordKind::Reminder];

    /// The kind's plural name in arguments and answers.
    pub fn name(self) -> &'static str {
        match self {
            RecordKind::Contact => "contacts",
            RecordKind::Note => "notes",
            RecordKind::Reminder => "reminders",
        }
    }
}

/// A searchable field. The weight says how much a match in it is worth
/// relative to the others: who someone is (name) counts more than where
/// they are mentioned in passing (a note's text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// A contact's full, first and last names.
    Name,
    /// A contact's email addresses.
    Email,
    /// A contact's employer.
    Company,
    /// A contact's job title.
    JobTitle,
    /// A contact's free-text description.
    Description,
    /// The names of a contact's tags.
    Tags,
    /// The names of the groups a contact is in.
    Groups,
    /// A contact's custom field values.
    CustomFields,
    /// A note's text.
    NoteText,
    /// A reminder's text.
    ReminderText,
}

impl Field {
    /// Every field, in index order (`self as usize`).
    pub const ALL: [Field; 10] = [
        Field::Name,
        Field::Email,
        Field::Company,
        Field::JobTitle,
        Field::Description,
        Field::Tags,
        Field::Groups,
        Field::CustomFields,
        Field::NoteText,
        Field::ReminderText,
    ];

    /// How much a match in this field counts, relative to a note's text.
    pub fn weight(self) -> f32 {
        match self {
            Field::Name => 4.0,
            Field::Email => 2.5,
            Field::Company => 2.5,
            Field::JobTitle => 1.5,
            Field::Description => 1.2,
            // How the user files someone: worth about a job title.
            Field::Tags => 1.5,
            Field::Groups => 1.5,
            Field::CustomFields => 1.2,
            Field::NoteText => 1.0,
            Field::ReminderText => 1.0,
        }
    }

    /// Whether the field is free text the user wrote, where a word may be
    /// in any of its forms (see [`super::stem`]); names, addresses and
    /// labels are not.
    pub fn is_prose(self) -> bool {
        matches!(
            self,
            Field::Description | Field::NoteText | Field::ReminderText
        )
    }

    /// The kind of record the field belongs to.
    pub fn kind(self) -> RecordKind {
        match self {
            Field::NoteText => RecordKind::Note,
            Field::ReminderText => RecordKind::Reminder,
            _ => RecordKind::Contact,
        }
    }

    /// The field's name in answers (`name`, `email`, `note`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::Company => "company",
            Field::JobTitle => "job_title",
            Field::Description => "description",
            Field::Tags => "tags",
            Field::Groups => "groups",
            Field::CustomFields => "custom_fields",
            Field::NoteText => "note",
            Field::ReminderText => "reminder",
        }
    }
}

/// One indexed record, shared with the snapshot it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A contact.
    Contact(Arc<Contact>),
    /// A note.
    Note(Arc<Note>),
    /// A reminder.
    Reminder(Arc<Reminder>),
}

impl Record {
    /// Every record of `snapshot`, contacts first, then notes, then
    /// reminders: the order the index numbers them in.
    pub fn all_of(snapshot: &Snapshot) -> impl Iterator<Item = Record> + '_ {
        let contacts = snapshot.contacts.iter().cloned().map(Record::Contact);
        let notes = snapshot.notes.iter().cloned().map(Record::Note);
        let reminders = snapshot.reminders.iter().cloned().map(Record::Reminder);
        contacts.chain(notes).chain(reminders)
    }

    /// Its kind.
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::Contact(_) => RecordKind::Contact,
            Record::Note(_) => RecordKind::Note,
            Record::Reminder(_) => RecordKind::Reminder,
        }
    }

    /// Dex's id of the record.
    pub fn id(&self) -> TextRef<'_> {
        match self {
            Record::Contact(c) => c.id.as_str().into(),
            Record::Note(n) => n.id.as_text(),
            Record::Reminder(r) => r.id.as_text(),
        }
    }

    /// The contacts a note or reminder is about (none for a contact).
    pub fn linked_contact_ids(&self) -> &[CompactText] {
        match self {
            Record::Contact(_) => &[],
            Record::Note(n) => &n.contact_ids,
            Record::Reminder(r) => &r.contact_ids,
        }
    }

    /// The text of `field` in this record, when it has any.
    pub fn field_text(&self, field: Field) -> Option<Cow<'_, str>> {
        let text: Cow<'_, str> = match (self, field) {
            (Record::Contact(c), Field::Name) => name_text(c),
            (Record::Contact(c), Field::Email) => Cow::Owned(
                c.emails
                    .iter()
                    .map(|e| e.email.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            (Record::Contact(c), Field::Company) => Cow::Borrowed(c.company.as_deref()?),
            (Record::Contact(c), Field::JobTitle) => Cow::Borrowed(c.job_title.as_deref()?),
            (Record::Contact(c), Field::Description) => Cow::Borrowed(c.description.as_deref()?),
            (Record::Contact(c), Field::Tags) => joined(c.tags.iter().map(|t| t.name.as_str())),
            (Record::Contact(c), Field::Groups) => joined(c.groups.iter().map(|g| g.name.as_str())),
            (Record::Contact(c), Field::CustomFields) => joined(
                c.custom_fields
                    .iter()
                    .flat_map(|f| f.values.iter().map(String::as_str)),
            ),
            (Record::Note(n), Field::NoteText) => Cow::Borrowed(&n.text),
            (Record::Reminder(r), Field::ReminderText) => Cow::Borrowed(&r.text),
            _ => return None,
        };
        (!text.trim().is_empty()).then_some(text)
    }

    /// The fields this record can have.
    pub fn fields(&self) -> &'static [Field] {
        match self {
            Record::Contact(_) => &[
                Field::Name,
                Field::Email,
                Field::Company,
                Field::JobTitle,
                Field::Description,
                Field::Tags,
                Field::Groups,
                Field::CustomFields,
            ],
            Record::Note(_) => &[Field::NoteText],
            Record::Reminder(_) => &[Field::ReminderText],
        }
    }
}

/// Texts joined with ", " (a snippet shows them as a list); borrowed when
/// there is one, nothing allocated when there is none.
fn joined<'a>(mut texts: impl Iterator<Item = &'a str>) -> Cow<'a, str> {
    let Some(first) = texts.next() else {
        return Cow::Borrowed("");
    };
    match texts.next() {
        None => Cow::Borrowed(first),
        Some(second) => {
            let mut text = format!("{first}, {second}");
            for more in texts {
                text.push_str(", ");
                text.push_str(more);
            }
            Cow::Owned(text)
        }
    }
}

/// The full name, followed by the first or last name when the full name
/// does not already contain it (Dex lets them disagree).
fn name_text(contact: &Contact) -> Cow<'_, str> {
    let full = contact.full_name.as_str();
    let folded = full.to_lowercase();
    let missing: Vec<&str> = [contact.first_name.as_deref(), contact.last_name.as_deref()]
        .into_iter()
        .flatten()
        .filter(|part| !folded.contains(&part.to_lowercase()))
        .collect();
    if missing.is_empty() {
        Cow::Borrowed(full)
    } else {
        let mut text = full.to_owned();
        for part in missing {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(part);
        }
        Cow::Owned(text)
    }
}
