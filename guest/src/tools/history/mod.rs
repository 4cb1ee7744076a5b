//! The `history` interface (`wit/history.wit`): one contact's notes and
//! reminders, and what is coming up across the account. Every tool
//! answers from the cached account, on either API generation, except
//! `list-note-types`, which asks v1 Dex (the legacy API has no such
//! endpoint; see [`list_legacy_note_types`]), and `list-notes`, new
//! capability that, like all of it, is served on v1 only.
//!
//! Each tool's adapter is a module of its own, for their size; [`shared_args`]
//! checks the arguments they share. The interface's WIT glue is at the
//! end of this file. A new tool's adapter goes here too, in this file,
//! until it is big enough to deserve one (docs/adding-a-tool.md).

mod get_contact_details;
mod get_contact_history;
mod get_contact_notes;
mod get_contact_reminders;
mod list_note_types;
mod list_notes;
pub(crate) mod shared_args;
mod upcoming_birthdays;
mod upcoming_reminders;

pub use get_contact_details::{ContactDetails, OPEN_REMINDERS, RECENT_NOTES, get_contact_details};
pub use get_contact_history::{ContactHistory, ContactHistoryArgs, get_contact_history};
pub use get_contact_notes::{ContactNotes, ContactNotesArgs, get_contact_notes};
pub use get_contact_reminders::{
    ContactReminders, ContactRemindersArgs, ReminderStatus, get_contact_reminders,
};
pub use list_note_types::{NoteTypes, list_legacy_note_types, list_note_types};
pub use list_notes::{LIST_NOTES_NEEDS, ListNotesArgs, NoteList, list_notes};
#[cfg(test)]
pub use shared_args::{clock_at, counted, held};
pub use upcoming_birthdays::{UpcomingBirthdays, UpcomingBirthdaysArgs, upcoming_birthdays};
pub use upcoming_reminders::{UpcomingReminders, UpcomingRemindersArgs, upcoming_reminders};

/// What each tool's answer is built from, so that an answer built on an
/// account read in part says so (`incomplete-reason`) only when the part
/// missing is one it uses: birthdays need no note's contacts, a contact's
/// notes need no phone numbers.
pub mod needs {
    use crate::dex::ListKind::{Contacts, Notes, Reminders};
    use crate::snapshot::Needs;

    /// `get-contact-details`: the contact, its notes and reminders.
    pub const CONTACT_DETAILS: Needs = Needs::ALL;

    /// `get-contact-history`: notes and reminders with their contacts.
    pub const CONTACT_HISTORY: Needs = Needs {
        lists: &[Notes, Reminders],
        links: &[Notes, Reminders],
    };

    /// `get-contact-notes`: notes with their contacts.
    pub const CONTACT_NOTES: Needs = Needs {
        lists: &[Notes],
        links: &[Notes],
    };

    /// `list-notes`: notes with their contacts, and the contacts' names.
    pub const LIST_NOTES: Needs = Needs {
        lists: &[Contacts, Notes],
        links: &[Notes],
    };

    /// `get-contact-reminders`: reminders with their contacts.
    pub const CONTACT_REMINDERS: Needs = Needs {
        lists: &[Reminders],
        links: &[Reminders],
    };

    /// `upcoming-reminders`: reminders with their contacts, and the contacts'
    /// names.
    pub const UPCOMING_REMINDERS: Needs = Needs {
        lists: &[Contacts, Reminders],
        links: &[Reminders],
    };

    /// `upcoming-birthdays`: contacts only, and none of their links.
    pub const UPCOMING_BIRTHDAYS: Needs = Needs {
        lists: &[Contacts],
        links: &[],
    };
}

/// The `history` export: WIT values into the adapters above and their
/// answers out; compiled for the component only.
#[cfg(target_arch = "wasm32")]
pub(crate) mod export {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::needs;
    use crate::account::Account;
    use crate::component::Component;
    use crate::component::bindings::dex::crm::types as wit;
    use crate::component::bindings::exports::dex::crm::history as wit_history;
    use crate::component::convert::{self, contact, contact_ref, tool_error};
    use crate::component::state::account;
    use crate::component::transport::WasiHttp;
    use crate::dex::v1::V1Client;
    use crate::history::{HistoryItem, NoteItem, Page, ReminderItem, WallClock};
    use crate::model;
    use crate::settings::{ApiGeneration, Settings};
    use crate::snapshot::Needs;

    /// Runs `tool` with a reader of the account (cached, or read from Dex),
    /// which the tool calls only once its arguments are valid; with the
    /// answer, why it may miss something of what it `needs`.
    pub(crate) fn with_account<T>(
        needs: Needs,
        tool: impl FnOnce(
            &dyn Fn() -> Result<Rc<Account>, model::ToolError>,
        ) -> Result<T, model::ToolError>,
    ) -> Result<(T, Option<String>), wit::ToolError> {
        let settings = Settings::from_env().map_err(tool_error)?;
        let read: RefCell<Option<Rc<Account>>> = RefCell::new(None);
        let answer = tool(&|| {
            let account = account(&settings)?;
            read.replace(Some(account.clone()));
            Ok(account)
        })
        .map_err(tool_error)?;
        let reason = read
            .take()
            .and_then(|account| account.snapshot.incomplete_reason(&needs));
        Ok((answer, reason))
    }

    /// Now, with the zone setting that "today" falls back to.
    pub(crate) fn clock() -> Result<WallClock, wit::ToolError> {
        let settings = Settings::from_env().map_err(tool_error)?;
        Ok(WallClock::system(settings.time_zone))
    }

    pub(crate) fn count(n: usize) -> u32 {
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    fn note(item: NoteItem) -> wit::Note {
        convert::note(&item.note, item.contacts)
    }

    fn reminder(item: ReminderItem) -> wit::Reminder {
        convert::reminder(&item.reminder, item.contacts)
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
            let settings = Settings::from_env().map_err(tool_error)?;
            let client = V1Client::new(&settings.base_url, WasiHttp);
            let read_related = |id: &model::ContactId| match settings.generation {
                ApiGeneration::V1 => {
                    crate::dex::ContactRepository::get(&client, id).map(|c| c.related)
                }
                ApiGeneration::Legacy => Ok(None),
            };
            let (details, incomplete_reason) = with_account(needs::CONTACT_DETAILS, |account| {
                super::get_contact_details(account, &read_related, &contact_id)
            })?;
            Ok(wit_history::ContactDetails {
                contact: contact((*details.contact).clone()),
                recent_notes: details.recent_notes.into_iter().map(note).collect(),
                note_count: count(details.note_count),
                open_reminders: details.open_reminders.into_iter().map(reminder).collect(),
                open_reminder_count: count(details.open_reminder_count),
                related_contacts: details
                    .related
                    .map(|related| related.into_iter().map(contact_ref).collect()),
                summary: details.summary,
                incomplete_reason,
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
            let args = super::ContactHistoryArgs {
                contact_id,
                date_from,
                date_to,
                include_notes,
                include_reminders,
                limit,
                cursor,
            };
            let (history, incomplete_reason) = with_account(needs::CONTACT_HISTORY, |account| {
                super::get_contact_history(account, &args)
            })?;
            let (entries, total, next_cursor) = converted(history.entries, |item| match item {
                HistoryItem::Note(n) => wit_history::HistoryEntry::Note(note(n)),
                HistoryItem::Reminder(r) => wit_history::HistoryEntry::Reminder(reminder(r)),
            });
            Ok(wit_history::ContactHistory {
                entries,
                total,
                next_cursor,
                summary: history.summary,
                incomplete_reason,
            })
        }

        fn get_contact_notes(
            contact_id: String,
            limit: Option<u32>,
            cursor: Option<String>,
        ) -> Result<wit_history::ContactNotes, wit::ToolError> {
            let args = super::ContactNotesArgs {
                contact_id,
                limit,
                cursor,
            };
            let (found, incomplete_reason) = with_account(needs::CONTACT_NOTES, |account| {
                super::get_contact_notes(account, &args)
            })?;
            let (notes, total, next_cursor) = converted(found.notes, note);
            Ok(wit_history::ContactNotes {
                notes,
                total,
                next_cursor,
                summary: found.summary,
                incomplete_reason,
            })
        }

        fn list_notes(
            contact_id: Option<String>,
            date_from: Option<String>,
            date_to: Option<String>,
            limit: Option<u32>,
            cursor: Option<String>,
        ) -> Result<wit_history::NoteList, wit::ToolError> {
            Settings::from_env_on_v1(super::LIST_NOTES_NEEDS).map_err(tool_error)?;
            let args = super::ListNotesArgs {
                contact_id,
                date_from,
                date_to,
                limit,
                cursor,
            };
            let (found, incomplete_reason) = with_account(needs::LIST_NOTES, |account| {
                super::list_notes(account, &args)
            })?;
            let (notes, total, next_cursor) = converted(found.notes, note);
            Ok(wit_history::NoteList {
                notes,
                total,
                next_cursor,
                summary: found.summary,
                incomplete_reason,
            })
        }

        fn get_contact_reminders(
            contact_id: String,
            status: Option<wit_history::ReminderStatus>,
            cursor: Option<String>,
        ) -> Result<wit_history::ContactReminders, wit::ToolError> {
            use super::ReminderStatus as S;
            use wit_history::ReminderStatus as W;
            let args = super::ContactRemindersArgs {
                contact_id,
                status: status.map(|s| match s {
                    W::Active => S::Active,
                    W::Completed => S::Completed,
                    W::All => S::All,
                }),
                cursor,
            };
            let (found, incomplete_reason) = with_account(needs::CONTACT_REMINDERS, |account| {
                super::get_contact_reminders(account, &args)
            })?;
            let (reminders, total, next_cursor) = converted(found.reminders, reminder);
            Ok(wit_history::ContactReminders {
                reminders,
                total,
                next_cursor,
                summary: found.summary,
                incomplete_reason,
            })
        }

        fn list_note_types() -> Result<wit_history::NoteTypes, wit::ToolError> {
            let settings = Settings::from_env().map_err(tool_error)?;
            let found = match settings.generation {
                ApiGeneration::V1 => {
                    super::list_note_types(&V1Client::new(&settings.base_url, WasiHttp))
                        .map_err(tool_error)?
                }
                ApiGeneration::Legacy => super::list_legacy_note_types(),
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
            let args = super::UpcomingRemindersArgs {
                days,
                include_overdue,
                cursor,
            };
            let clock = clock()?;
            let (found, incomplete_reason) = with_account(needs::UPCOMING_REMINDERS, |account| {
                super::upcoming_reminders(account, &clock, &args)
            })?;
            let (reminders, total, next_cursor) =
                converted(found.reminders, |due| wit_history::UpcomingReminder {
                    reminder: reminder(due.item),
                    due_day: due.due_day.to_string(),
                    days_until_due: i32::try_from(due.days_until_due).unwrap_or(i32::MIN),
                });
            let today = found.today;
            Ok(wit_history::RemindersDue {
                reminders,
                total,
                next_cursor,
                keep_in_touch: found
                    .keep_in_touch
                    .into_iter()
                    .map(|d| crate::tools::keep_in_touch::export::due_contact(d, today))
                    .collect(),
                keep_in_touch_total: count(found.keep_in_touch_total),
                summary: found.summary,
                incomplete_reason,
            })
        }

        fn upcoming_birthdays(
            days: Option<u32>,
            cursor: Option<String>,
        ) -> Result<wit_history::BirthdaysAhead, wit::ToolError> {
            let args = super::UpcomingBirthdaysArgs { days, cursor };
            let clock = clock()?;
            let (found, incomplete_reason) = with_account(needs::UPCOMING_BIRTHDAYS, |account| {
                super::upcoming_birthdays(account, &clock, &args)
            })?;
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
                incomplete_reason,
            })
        }
    }
}
