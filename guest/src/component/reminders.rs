//! The `reminders` export.

use super::Component;
use super::bindings::dex::crm::types as wit;
use super::bindings::exports::dex::crm::reminders;
use super::convert::tool_error;
use super::state::{account, record_write};
use super::transport::WasiHttp;
use crate::dex;
use crate::model;
use crate::settings::Settings;
use crate::tools;

fn reminder(r: model::Reminder) -> reminders::Reminder {
    reminders::Reminder {
        id: r.id,
        text: r.text,
        due_date: r.due_date,
        due_time: r.due_time,
        complete: r.complete,
        recurrence: r.recurrence,
        last_completed_at: r.last_completed_at,
        next_occurrence_at: r.next_occurrence_at,
        contact_ids: r.contact_ids,
    }
}

fn recurrence(r: reminders::Recurrence) -> model::Recurrence {
    use reminders::Recurrence as W;
    match r {
        W::Weekly => model::Recurrence::Weekly,
        W::Biweekly => model::Recurrence::Biweekly,
        W::Monthly => model::Recurrence::Monthly,
        W::Quarterly => model::Recurrence::Quarterly,
        W::Biannually => model::Recurrence::Biannually,
        W::Yearly => model::Recurrence::Yearly,
    }
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
        summary,
    })
}

impl reminders::Guest for Component {
    fn create_contact_reminder(
        contact_ids: Vec<String>,
        text: String,
        due_date: String,
        due_time: Option<String>,
        recurrence_: Option<reminders::Recurrence>,
    ) -> Result<reminders::SavedReminder, wit::ToolError> {
        let (_, writer) = writer().map_err(tool_error)?;
        let args = tools::CreateReminderArgs {
            contact_ids,
            text,
            due_date,
            due_time,
            recurrence: recurrence_.map(recurrence),
        };
        saved(tools::create_contact_reminder(&writer, &args))
    }

    fn complete_reminder(reminder_id: String) -> Result<reminders::SavedReminder, wit::ToolError> {
        let (_, writer) = writer().map_err(tool_error)?;
        saved(tools::complete_reminder(&writer, &reminder_id))
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
        let args = tools::UpdateReminderArgs {
            reminder_id,
            text,
            due_date,
            due_time,
            recurrence: recurrence_.map(recurrence_change),
            complete,
        };
        saved(tools::update_reminder(&writer, &args))
    }

    fn delete_reminder(
        reminder_id: String,
        confirm: Option<bool>,
    ) -> Result<reminders::DeletedReminder, wit::ToolError> {
        let (settings, writer) = writer().map_err(tool_error)?;
        let read = || account(&settings);
        let written = tools::delete_reminder(&writer, &read, &reminder_id, confirm);
        let (id, summary) = record_write(written).map_err(tool_error)?;
        Ok(reminders::DeletedReminder { id, summary })
    }
}
