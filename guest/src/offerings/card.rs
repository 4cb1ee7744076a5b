//! A contact with its recent history, as one piece: what the contact
//! resource holds and what the meeting prompts start from.

use std::sync::Arc;

use serde::Serialize;

use crate::account::Account;
use crate::history::{ContactBook, ReminderItem, notes_about, reminders_about};
use crate::model::{Contact, ContactId, Note, Reminder, TextRef, ToolError};

/// How many of the latest notes a card carries: the last few
/// conversations, which is what someone preparing to talk needs.
pub const CARD_NOTES: usize = 5;
/// How many open reminders a card carries, soonest due first.
pub const CARD_REMINDERS: usize = 10;
/// Longest note text on a card, in characters; a longer note is cut
/// (the note tools have the whole text).
const NOTE_CHARS: usize = 600;

/// A contact with its latest notes and open reminders.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactCard {
    /// The contact.
    pub contact: Arc<Contact>,
    /// The latest notes, newest first (at most [`CARD_NOTES`]).
    pub recent_notes: Vec<Arc<Note>>,
    /// How many notes the contact has in all.
    pub note_count: usize,
    /// Open reminders, soonest due first (at most [`CARD_REMINDERS`]).
    pub open_reminders: Vec<Arc<Reminder>>,
    /// How many open reminders the contact has in all.
    pub open_reminder_count: usize,
}

impl ContactCard {
    /// The card of the contact `id` in `account`, or `not-found`.
    pub fn of(account: &Account, id: &ContactId) -> Result<Self, ToolError> {
        let snapshot = &account.snapshot;
        let book = ContactBook::new(snapshot);
        let contact = book.contact(id)?.clone();
        let notes = notes_about(snapshot, &book, id);
        let open: Vec<ReminderItem> = reminders_about(snapshot, &book, id)
            .into_iter()
            .filter(ReminderItem::is_open)
            .collect();
        Ok(Self {
            contact,
            note_count: notes.len(),
            recent_notes: notes.into_iter().take(CARD_NOTES).map(|n| n.note).collect(),
            open_reminder_count: open.len(),
            open_reminders: open
                .into_iter()
                .take(CARD_REMINDERS)
                .map(|r| r.reminder)
                .collect(),
        })
    }

    /// The card as JSON: the contact's fields as the tools answer them
    /// (snake_case), with the notes and reminders.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }

    /// The card as markdown, for a person or an assistant to read.
    pub fn to_markdown(&self) -> String {
        let c = &self.contact;
        let mut out = format!("# {}\n\n", c.full_name);
        let role = match (&c.job_title, &c.company) {
            (Some(title), Some(company)) => Some(format!("{title} at {company}")),
            (Some(title), None) => Some(title.clone()),
            (None, Some(company)) => Some(format!("Works at {company}")),
            (None, None) => None,
        };
        let mut facts: Vec<String> = Vec::new();
        facts.push(format!("Dex id: `{}`", c.id));
        if let Some(role) = role {
            facts.push(role);
        }
        if c.starred {
            facts.push("Starred".into());
        }
        if c.archived {
            facts.push("Archived".into());
        }
        if !c.emails.is_empty() {
            let emails: Vec<&str> = c.emails.iter().map(|e| e.email.as_str()).collect();
            facts.push(format!("Email: {}", emails.join(", ")));
        }
        if !c.phones.is_empty() {
            let phones: Vec<&str> = c.phones.iter().map(|p| p.number.as_str()).collect();
            facts.push(format!("Phone: {}", phones.join(", ")));
        }
        for link in &c.social_links {
            facts.push(format!("{}: {}", link.network.field(), link.url));
        }
        if let Some(website) = &c.website {
            facts.push(format!("Website: {website}"));
        }
        if let Some(birthday) = &c.birthday {
            facts.push(format!("Birthday: {birthday}"));
        }
        facts.push(match &c.last_seen_at {
            Some(seen) => format!("Last seen: {seen}"),
            None => "Last seen: never recorded".into(),
        });
        if let Some(next) = &c.next_reminder_at {
            facts.push(format!("Next keep-in-touch reminder: {next}"));
        }
        for fact in facts {
            out.push_str(&format!("- {fact}\n"));
        }
        if let Some(about) = c.description.as_deref().filter(|d| !d.trim().is_empty()) {
            out.push_str(&format!("\n## About\n\n{}\n", about.trim()));
        }
        out.push_str(&format!(
            "\n## Recent notes ({} of {})\n\n",
            self.recent_notes.len(),
            self.note_count
        ));
        if self.recent_notes.is_empty() {
            out.push_str("No notes yet.\n");
        }
        for note in &self.recent_notes {
            let when = note.event_time().unwrap_or_else(|| "undated".into());
            let kind = note
                .note_type
                .as_deref()
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            out.push_str(&format!("- **{when}**{kind}: {}\n", cut(&note.text)));
        }
        out.push_str(&format!(
            "\n## Open reminders ({} of {})\n\n",
            self.open_reminders.len(),
            self.open_reminder_count
        ));
        if self.open_reminders.is_empty() {
            out.push_str("None open.\n");
        }
        for reminder in &self.open_reminders {
            out.push_str(&format!(
                "- {} (due {})\n",
                cut(&reminder.text),
                due_of(reminder)
            ));
        }
        out
    }
}

/// A reminder's due day or time as Dex stores it, or "no date".
pub fn due_of(reminder: &Reminder) -> TextRef<'_> {
    reminder
        .due_time()
        .or_else(|| reminder.due_date())
        .unwrap_or_else(|| "no date".into())
}

/// `text` on one line, cut at [`NOTE_CHARS`] characters.
pub fn cut(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(NOTE_CHARS) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}
