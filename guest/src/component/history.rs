//! The `history` export: every tool answers from the cached account, on
//! either API generation, except `list-note-types`, which asks v1 Dex (the
//! legacy API has no such endpoint; see [`tools::list_legacy_note_types`]).

use std::rc::Rc;

use super::Component;
use super::bindings::dex::crm::types as wit;
use super::bindings::exports::dex::crm::history as wit_history;
use super::convert::{contact, tool_error};
use super::state::account;
use super::transport::WasiHttp;
use crate::account::Account;
use crate::dex::v1::V1Client;
use crate::history::{ContactRef, HistoryItem, NoteItem, Page, ReminderItem, today_utc};
use crate::settings::{ApiGeneration, Settings};
use crate::{model, tools};

/// Runs `tool` with a reader of the account (cached, or read from Dex),
/// which the tool calls only once its arguments are valid.
fn with_account<T>(
    tool: impl FnOnce(&dyn Fn() -> Result<Rc<Account>, model::ToolError>) -> Result<T, model::ToolError>,
) -> Result<T, wit::ToolError> {
    let settings = Settings::from_env().map_err(tool_error)?;
    tool(&|| account(&settings)).map_err(tool_error)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn contact_ref(r: ContactRef) -> wit_history::ContactRef {
    wit_history::ContactRef {
        id: r.id,
        full_name: r.full_name,
    }
}

fn note(item: NoteItem) -> wit_history::Note {
    let n = &*item.note;
    wit_history::Note {
        id: n.id.clone(),
        text: n.text.clone(),
        event_time: n.event_time.clone(),
        note_type: n.note_type.as_deref().map(str::to_owned),
        contacts: item.contacts.into_iter().map(contact_ref).collect(),
    }
}

fn reminder(item: ReminderItem) -> wit_history::Reminder {
    let r = &*item.reminder;
    wit_history::Reminder {
        id: r.id.clone(),
        text: r.text.clone(),
        due_date: r.due_date.clone(),
        due_time: r.due_time.clone(),
        complete: r.complete,
        recurrence: r.recurrence.clone(),
        last_completed_at: r.last_completed_at.clone(),
        next_occurrence_at: r.next_occurrence_at.clone(),
        contacts: item.contacts.into_iter().map(contact_ref).collect(),
    }
}

/// A page's items converted, with its count and cursor.
fn converted<T, W>(page: Page<T>, convert: impl Fn(T) -> W) -> (Vec<W>, u32, Option<String>) {
    (
        page.items.into_iter().map(convert).collect(),
        count(page.total),
        page.next_cursor,
    )
}

impl wit_history::Guest for Component {
    fn get_contact_details(
        contact_id: String,
    ) -> Result<wit_history::ContactDetails, wit::ToolError> {
        let details = with_account(|account| tools::get_contact_details(account, &contact_id))?;
        Ok(wit_history::ContactDetails {
            contact: contact((*details.contact).clone()),
            recent_notes: details.recent_notes.into_iter().map(note).collect(),
            note_count: count(details.note_count),
            open_reminders: details.open_reminders.into_iter().map(reminder).collect(),
            open_reminder_count: count(details.open_reminder_count),
            summary: details.summary,
        })
    }

    fn get_contact_history(
        contact_id: String,
        date_from: Option<String>,
        date_to: Option<String>,
        include_notes: Option<bool>,
        include_reminders: Option<bool>,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<wit_history::ContactHistory, wit::ToolError> {
        let args = tools::ContactHistoryArgs {
            contact_id,
            date_from,
            date_to,
            include_notes,
            include_reminders,
            limit,
            cursor,
        };
        let history = with_account(|account| tools::get_contact_history(account, &args))?;
        let (entries, total, next_cursor) = converted(history.entries, |item| match item {
            HistoryItem::Note(n) => wit_history::HistoryEntry::Note(note(n)),
            HistoryItem::Reminder(r) => wit_history::HistoryEntry::Reminder(reminder(r)),
        });
        Ok(wit_history::ContactHistory {
            entries,
            total,
            next_cursor,
            summary: history.summary,
        })
    }

    fn get_contact_notes(
        contact_id: String,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<wit_history::ContactNotes, wit::ToolError> {
        let args = tools::ContactNotesArgs {
            contact_id,
            limit,
            cursor,
        };
        let found = with_account(|account| tools::get_contact_notes(account, &args))?;
        let (notes, total, next_cursor) = converted(found.notes, note);
        Ok(wit_history::ContactNotes {
            notes,
            total,
            next_cursor,
            summary: found.summary,
        })
    }

    fn get_contact_reminders(
        contact_id: String,
        status: Option<wit_history::ReminderStatus>,
        cursor: Option<String>,
    ) -> Result<wit_history::ContactReminders, wit::ToolError> {
        use tools::ReminderStatus as S;
        use wit_history::ReminderStatus as W;
        let args = tools::ContactRemindersArgs {
            contact_id,
            status: status.map(|s| match s {
                W::Active => S::Active,
                W::Completed => S::Completed,
                W::All => S::All,
            }),
            cursor,
        };
        let found = with_account(|account| tools::get_contact_reminders(account, &args))?;
        let (reminders, total, next_cursor) = converted(found.reminders, reminder);
        Ok(wit_history::ContactReminders {
            reminders,
            total,
            next_cursor,
            summary: found.summary,
        })
    }

    fn list_note_types() -> Result<wit_history::NoteTypes, wit::ToolError> {
        let settings = Settings::from_env().map_err(tool_error)?;
        let found = match settings.generation {
            ApiGeneration::V1 => {
                tools::list_note_types(&V1Client::new(&settings.base_url, WasiHttp))
                    .map_err(tool_error)?
            }
            ApiGeneration::Legacy => tools::list_legacy_note_types(),
        };
        Ok(wit_history::NoteTypes {
            note_types: found
                .note_types
                .into_iter()
                .map(|t| wit_history::NoteType {
                    id: t.id,
                    name: t.name,
                    icon: t.icon,
                })
                .collect(),
            summary: found.summary,
        })
    }

    fn upcoming_reminders(
        days: Option<u32>,
        include_overdue: Option<bool>,
        cursor: Option<String>,
    ) -> Result<wit_history::RemindersDue, wit::ToolError> {
        let args = tools::UpcomingRemindersArgs {
            days,
            include_overdue,
            cursor,
        };
        let found = with_account(|account| tools::upcoming_reminders(account, today_utc(), &args))?;
        let (reminders, total, next_cursor) =
            converted(found.reminders, |due| wit_history::UpcomingReminder {
                reminder: reminder(due.item),
                due_day: due.due_day.to_string(),
                days_until_due: i32::try_from(due.days_until_due).unwrap_or(i32::MIN),
            });
        Ok(wit_history::RemindersDue {
            reminders,
            total,
            next_cursor,
            summary: found.summary,
        })
    }

    fn upcoming_birthdays(
        days: Option<u32>,
        cursor: Option<String>,
    ) -> Result<wit_history::BirthdaysAhead, wit::ToolError> {
        let args = tools::UpcomingBirthdaysArgs { days, cursor };
        let found = with_account(|account| tools::upcoming_birthdays(account, today_utc(), &args))?;
        let (birthdays, total, next_cursor) =
            converted(found.birthdays, |b| wit_history::UpcomingBirthday {
                contact: contact_ref(b.contact),
                birthday: b.birthday,
                date: b.date.to_string(),
                days_until: b.days_until,
                turning: b.turning,
            });
        Ok(wit_history::BirthdaysAhead {
            birthdays,
            total,
            next_cursor,
            summary: found.summary,
        })
    }
}
