//! The `reminders` interface (`wit/reminders.wit`): `get-reminder`, which
//! reads one reminder from v1 Dex, and `create-contact-reminder`,
//! `complete-reminder`, `update-reminder` and `delete-reminder`, the
//! adapters that check arguments, call a [`ReminderWrites`] and word the
//! answer; and the interface's WIT glue.

use std::rc::Rc;

use crate::account::{Account, AccountChange};
use crate::dex::v1::{V1Client, WireReminder};
use crate::dex::{Created, HttpTransport, ReminderWrites};
use crate::model::{
    NewReminder, Recurrence, RecurrenceChange, Reminder, ReminderChanges, ReminderId, ToolError,
};
use crate::writes::{
    IdempotencyKey, KeyStore, Written, contact_ids, create_once, date, optional_text,
    reminder_deletion, require_confirmation, required_text, time, written_create,
};

/// What `get-reminder` says it cannot do on the legacy API.
pub const GET_REMINDER_NEEDS: &str = "get_reminder (reading one reminder by its id)";

/// The reminder `reminder_id` as Dex holds it now
/// (`GET /v1/reminders/{id}`), not the cached account's copy; the id is
/// checked before anything is sent.
pub fn get_reminder<T: HttpTransport>(
    client: &V1Client<T>,
    reminder_id: &str,
) -> Result<Reminder, ToolError> {
    let id = ReminderId::parse("reminder-id", reminder_id)?;
    client
        .get_one::<WireReminder>(
            &format!("/v1/reminders/{id}"),
            "reminder",
            &format!("reminder with id {id}"),
        )
        .map(Reminder::from)
}

/// The arguments of `create-contact-reminder`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateReminderArgs {
    /// The contacts it is about.
    pub contact_ids: Vec<String>,
    /// What to do.
    pub text: String,
    /// `YYYY-MM-DD`.
    pub due_date: String,
    /// RFC 3339.
    pub due_time: Option<String>,
    /// How it repeats.
    pub recurrence: Option<Recurrence>,
    /// Names this one write, so that a repeat does not write it again.
    pub idempotency_key: Option<String>,
}

fn saved(reminder: Reminder, summary: String) -> Written<Reminder> {
    Written {
        summary,
        change: AccountChange::ReminderSaved(reminder.clone()),
        answer: reminder,
    }
}

/// Creates one reminder linked to every contact of `args`, once per
/// idempotency key (kept in `keys`, when the host lends a store).
pub fn create_contact_reminder(
    reminders: &dyn ReminderWrites,
    keys: Option<&dyn KeyStore>,
    args: &CreateReminderArgs,
    now: std::time::SystemTime,
) -> Result<Written<Created<Reminder>>, ToolError> {
    let new = NewReminder {
        contact_ids: contact_ids("contact-ids", &args.contact_ids)?,
        text: required_text("text", &args.text)?,
        due_date: date("due-date", &args.due_date)?,
        due_time: args
            .due_time
            .as_deref()
            .map(|t| time("due-time", t))
            .transpose()?,
        recurrence: args.recurrence,
    };
    let key = args
        .idempotency_key
        .as_deref()
        .map(|k| IdempotencyKey::parse("idempotency-key", k))
        .transpose()?;
    let (created, key_note) = create_once(
        keys,
        key.as_ref(),
        "create_contact_reminder",
        &new,
        now,
        || reminders.create_reminder(&new),
    )?;
    let reminder = &created.record;
    let summary = format!(
        "Created reminder {}, due {}{}.",
        reminder.id,
        reminder.due_date().as_deref().unwrap_or(&new.due_date),
        reminder
            .recurrence
            .as_deref()
            .map(|r| format!(", repeating {r}"))
            .unwrap_or_default()
    );
    Ok(written_create(
        created,
        key_note,
        "reminder",
        summary,
        AccountChange::ReminderSaved,
    ))
}

/// Marks a reminder done.
pub fn complete_reminder(
    reminders: &dyn ReminderWrites,
    reminder_id: &str,
) -> Result<Written<Reminder>, ToolError> {
    let id = ReminderId::parse("reminder-id", reminder_id)?;
    let changes = ReminderChanges {
        complete: Some(true),
        ..ReminderChanges::default()
    };
    let reminder = reminders.update_reminder(&id, &changes)?;
    let summary = if reminder.complete {
        format!("Marked reminder {id} done.")
    } else {
        format!(
            "Marked reminder {id} done; it repeats, so it is now due {}.",
            reminder
                .due_date()
                .as_deref()
                .unwrap_or("at its next occurrence")
        )
    };
    Ok(saved(reminder, summary))
}

/// The arguments of `update-reminder`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateReminderArgs {
    /// The reminder.
    pub reminder_id: String,
    /// New text.
    pub text: Option<String>,
    /// New due date.
    pub due_date: Option<String>,
    /// New due time.
    pub due_time: Option<String>,
    /// New recurrence, or stop repeating.
    pub recurrence: Option<RecurrenceChange>,
    /// Done or open.
    pub complete: Option<bool>,
}

/// Changes the fields of a reminder that `args` sets.
pub fn update_reminder(
    reminders: &dyn ReminderWrites,
    args: &UpdateReminderArgs,
) -> Result<Written<Reminder>, ToolError> {
    let id = ReminderId::parse("reminder-id", &args.reminder_id)?;
    let changes = ReminderChanges {
        text: optional_text("text", args.text.as_deref())?,
        due_date: args
            .due_date
            .as_deref()
            .map(|d| date("due-date", d))
            .transpose()?,
        due_time: args
            .due_time
            .as_deref()
            .map(|t| time("due-time", t))
            .transpose()?,
        recurrence: args.recurrence,
        complete: args.complete,
    };
    if changes == ReminderChanges::default() {
        return Err(ToolError::validation(
            "text",
            "nothing to change: pass at least one of text, due-date, due-time, recurrence, complete",
        ));
    }
    let reminder = reminders.update_reminder(&id, &changes)?;
    let repetition = match changes.recurrence {
        Some(RecurrenceChange::Stop) => " It no longer repeats.".to_owned(),
        Some(RecurrenceChange::Repeat(every)) => format!(" It repeats {}.", every.as_str()),
        None => String::new(),
    };
    Ok(saved(
        reminder,
        format!("Updated reminder {id}.{repetition}"),
    ))
}

/// Deletes a reminder once `confirm` is true; otherwise says what would
/// be lost, reading the account through `account`.
pub fn delete_reminder(
    reminders: &dyn ReminderWrites,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    reminder_id: &str,
    confirm: Option<bool>,
) -> Result<Written<String>, ToolError> {
    let id = ReminderId::parse("reminder-id", reminder_id)?;
    require_confirmation(confirm, || reminder_deletion(&*account()?, &id))?;
    reminders.delete_reminder(&id)?;
    Ok(Written {
        summary: format!("Deleted reminder {id}."),
        change: AccountChange::ReminderDeleted(id.to_string()),
        answer: id.to_string(),
    })
}

/// The `reminders` export: WIT values into the adapters above and their
/// answers out; compiled for the component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use crate::component::Component;
    use crate::component::bindings::dex::crm::types as wit;
    use crate::component::bindings::exports::dex::crm::reminders;
    use crate::component::convert::{self, from_wit_recurrence, tool_error};
    use crate::component::state::{account, contact_refs, record_write};
    use crate::component::transport::WasiHttp;
    use crate::dex;
    use crate::dex::v1::V1Client;
    use crate::model;
    use crate::settings::Settings;

    fn reminder(r: model::Reminder) -> wit::Reminder {
        let contacts = contact_refs(&r.contact_ids);
        convert::reminder(&r, contacts)
    }

    fn recurrence_change(r: reminders::RecurrenceChange) -> model::RecurrenceChange {
        use model::Recurrence as R;
        use model::RecurrenceChange::{Repeat, Stop};
        use reminders::RecurrenceChange as W;
        match r {
            W::None => Stop,
            W::Weekly => Repeat(R::Weekly),
            W::Biweekly => Repeat(R::Biweekly),
            W::Monthly => Repeat(R::Monthly),
            W::Quarterly => Repeat(R::Quarterly),
            W::Biannually => Repeat(R::Biannually),
            W::Yearly => Repeat(R::Yearly),
        }
    }

    /// The settings, and the writer of their API generation.
    fn writer() -> Result<(Settings, Box<dyn dex::ReminderWrites>), model::ToolError> {
        let settings = Settings::from_env()?;
        let writer = dex::reminder_writes(&settings, WasiHttp);
        Ok((settings, writer))
    }

    fn saved(
        written: Result<crate::writes::Written<model::Reminder>, model::ToolError>,
    ) -> Result<reminders::SavedReminder, wit::ToolError> {
        let (r, summary) = record_write(written).map_err(tool_error)?;
        Ok(reminders::SavedReminder {
            reminder: reminder(r),
            creation: None,
            summary,
        })
    }

    impl reminders::Guest for Component {
        fn get_reminder(reminder_id: String) -> Result<reminders::Reminder, wit::ToolError> {
            let settings = Settings::from_env().map_err(tool_error)?;
            let client = V1Client::for_v1_only(&settings, WasiHttp, super::GET_REMINDER_NEEDS)
                .map_err(tool_error)?;
            super::get_reminder(&client, &reminder_id)
                .map(reminder)
                .map_err(tool_error)
        }

        fn create_contact_reminder(
            contact_ids: Vec<String>,
            text: String,
            due_date: String,
            due_time: Option<String>,
            recurrence_: Option<wit::Recurrence>,
            idempotency_key: Option<String>,
        ) -> Result<reminders::SavedReminder, wit::ToolError> {
            let (_, writer) = writer().map_err(tool_error)?;
            let args = super::CreateReminderArgs {
                contact_ids,
                text,
                due_date,
                due_time,
                recurrence: recurrence_.map(from_wit_recurrence),
                idempotency_key,
            };
            let keys = crate::component::stored::key_store();
            let written = super::create_contact_reminder(
                &writer,
                keys.as_ref().map(|k| k as _),
                &args,
                std::time::SystemTime::now(),
            );
            let (created, summary) = record_write(written).map_err(tool_error)?;
            Ok(reminders::SavedReminder {
                reminder: reminder(created.record),
                creation: Some(crate::component::convert::creation(created.creation)),
                summary,
            })
        }

        fn complete_reminder(
            reminder_id: String,
        ) -> Result<reminders::SavedReminder, wit::ToolError> {
            let (_, writer) = writer().map_err(tool_error)?;
            saved(super::complete_reminder(&writer, &reminder_id))
        }

        fn update_reminder(
            reminder_id: String,
            text: Option<String>,
            due_date: Option<String>,
            due_time: Option<String>,
            recurrence_: Option<reminders::RecurrenceChange>,
            complete: Option<bool>,
        ) -> Result<reminders::SavedReminder, wit::ToolError> {
            let (_, writer) = writer().map_err(tool_error)?;
            let args = super::UpdateReminderArgs {
                reminder_id,
                text,
                due_date,
                due_time,
                recurrence: recurrence_.map(recurrence_change),
                complete,
            };
            saved(super::update_reminder(&writer, &args))
        }

        fn delete_reminder(
            reminder_id: String,
            confirm: Option<bool>,
        ) -> Result<reminders::DeletedReminder, wit::ToolError> {
            let (settings, writer) = writer().map_err(tool_error)?;
            let read = || account(&settings);
            let written = super::delete_reminder(&writer, &read, &reminder_id, confirm);
            let (id, summary) = record_write(written).map_err(tool_error)?;
            Ok(reminders::DeletedReminder { id, summary })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::dex::testing::Scripted;
    use crate::model::ErrorKind;

    #[test]
    fn a_reminder_is_read_from_its_v1_path() {
        let dex = Scripted::new(&[
            (
                200,
                r#"{"error":false,"data":{"reminder":{"id":"r4","text":"Call Ada","due_at_date":"2026-03-02","is_complete":false,"recurrence":"MONTHLY","reminders_contacts":[{"contact_id":"c1"},{"contact_id":"c2"}]}}}"#,
            ),
            (404, r#"{"error":true,"message":"not found"}"#),
        ]);
        let client = V1Client::new("http://dex.test", &dex);
        let reminder = get_reminder(&client, "r4").unwrap();
        assert_eq!(
            (&*reminder.id.as_text(), &*reminder.text),
            ("r4", "Call Ada")
        );
        assert_eq!(reminder.due_date().as_deref(), Some("2026-03-02"));
        assert_eq!(reminder.recurrence.as_deref(), Some("monthly"));
        assert_eq!(reminder.contact_ids, ["c1", "c2"]);
        let missing = get_reminder(&client, "r5").unwrap_err();
        assert_eq!(missing.kind, ErrorKind::NotFound);
        let urls: Vec<String> = dex.seen().into_iter().map(|r| r.url).collect();
        assert_eq!(
            urls,
            [
                "http://dex.test/v1/reminders/r4",
                "http://dex.test/v1/reminders/r5"
            ]
        );
    }

    #[test]
    fn a_bad_reminder_id_is_refused_before_anything_is_sent() {
        let dex = Scripted::new(&[]);
        let err = get_reminder(&V1Client::new("http://dex.test", &dex), "").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("reminder_id"));
        assert!(dex.seen().is_empty());
    }

    /// Records the changes asked for; answers a recurring reminder rolled on.
    #[derive(Default)]
    struct Recorder {
        changes: RefCell<Vec<ReminderChanges>>,
    }

    impl ReminderWrites for Recorder {
        fn create_reminder(&self, r: &NewReminder) -> Result<Created<Reminder>, ToolError> {
            Ok(Created::answered(Reminder {
                id: "r1".into(),
                text: r.text.clone().into(),
                due_date: Some(r.due_date.clone().into()),
                recurrence: r.recurrence.map(|x| x.as_str().to_owned()),
                ..Reminder::default()
            }))
        }
        fn update_reminder(
            &self,
            id: &ReminderId,
            changes: &ReminderChanges,
        ) -> Result<Reminder, ToolError> {
            self.changes.borrow_mut().push(changes.clone());
            Ok(Reminder {
                id: id.to_string().into(),
                due_date: Some("2025-02-01".into()),
                recurrence: Some("monthly".into()),
                ..Reminder::default()
            })
        }
        fn delete_reminder(&self, _: &ReminderId) -> Result<(), ToolError> {
            Ok(())
        }
    }

    #[test]
    fn completing_sends_is_complete_and_reports_the_next_occurrence() {
        let repo = Recorder::default();
        let written = complete_reminder(&repo, "r1").unwrap();
        assert_eq!(repo.changes.borrow()[0].complete, Some(true));
        assert!(
            written.summary.contains("now due 2025-02-01"),
            "{}",
            written.summary
        );
    }

    #[test]
    fn a_reminder_needs_a_real_due_date_and_a_zoned_due_time() {
        let repo = Recorder::default();
        let args = CreateReminderArgs {
            contact_ids: vec!["c1".into()],
            text: "Call".into(),
            due_date: "2025-02-30".into(),
            ..CreateReminderArgs::default()
        };
        let err =
            create_contact_reminder(&repo, None, &args, std::time::SystemTime::now()).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("due_date"));
        let args = CreateReminderArgs {
            due_date: "2025-02-28".into(),
            due_time: Some("09:00".into()),
            ..args
        };
        let err =
            create_contact_reminder(&repo, None, &args, std::time::SystemTime::now()).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("due_time"));
        let args = CreateReminderArgs {
            due_time: None,
            recurrence: Some(Recurrence::Quarterly),
            ..args
        };
        let written =
            create_contact_reminder(&repo, None, &args, std::time::SystemTime::now()).unwrap();
        assert!(
            written.summary.contains("repeating quarterly"),
            "{}",
            written.summary
        );
    }

    #[test]
    fn an_update_can_stop_a_reminder_repeating() {
        let repo = Recorder::default();
        let args = UpdateReminderArgs {
            reminder_id: "r1".into(),
            recurrence: Some(RecurrenceChange::Stop),
            ..UpdateReminderArgs::default()
        };
        let written = update_reminder(&repo, &args).unwrap();
        assert_eq!(
            repo.changes.borrow()[0].recurrence,
            Some(RecurrenceChange::Stop)
        );
        assert!(
            written.summary.contains("no longer repeats"),
            "{}",
            written.summary
        );
        let nothing = UpdateReminderArgs {
            reminder_id: "r1".into(),
            ..UpdateReminderArgs::default()
        };
        assert!(update_reminder(&repo, &nothing).is_err());
        assert_eq!(
            repo.changes.borrow().len(),
            1,
            "an update with nothing in it was sent"
        );
    }

    #[test]
    fn a_reminder_is_not_deleted_without_confirmation() {
        let repo = Recorder::default();
        let account = || -> Result<Rc<Account>, ToolError> {
            Ok(Rc::new(Account::index(
                crate::snapshot::Snapshot::default(),
                std::time::Duration::ZERO,
            )))
        };
        let err = delete_reminder(&repo, &account, "r1", Some(false)).unwrap_err();
        assert_eq!(
            err.kind,
            crate::model::ErrorKind::NotFound,
            "unknown to the account"
        );
    }
}
