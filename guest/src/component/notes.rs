//! The `notes` export.

use super::Component;
use super::bindings::dex::crm::types as wit;
use super::bindings::exports::dex::crm::notes;
use super::convert::tool_error;
use super::state::{account, record_write};
use super::transport::WasiHttp;
use crate::dex;
use crate::model;
use crate::settings::Settings;
use crate::tools;

fn note(n: model::Note) -> notes::Note {
    notes::Note {
        id: n.id,
        text: n.text,
        event_time: n.event_time,
        note_type: n.note_type.as_deref().map(str::to_owned),
        contact_ids: n.contact_ids,
    }
}

/// The settings, and the writer of their API generation.
fn writer() -> Result<(Settings, Box<dyn dex::NoteWrites>), model::ToolError> {
    let settings = Settings::from_env()?;
    let writer = dex::note_writes(&settings, WasiHttp);
    Ok((settings, writer))
}

fn saved(
    written: Result<crate::writes::Written<model::Note>, model::ToolError>,
) -> Result<notes::SavedNote, wit::ToolError> {
    let (n, summary) = record_write(written).map_err(tool_error)?;
    Ok(notes::SavedNote {
        note: note(n),
        summary,
    })
}

impl notes::Guest for Component {
    fn add_contact_note(
        contact_ids: Vec<String>,
        text: String,
        note_type: Option<String>,
        event_time: Option<String>,
    ) -> Result<notes::SavedNote, wit::ToolError> {
        let (_, writer) = writer().map_err(tool_error)?;
        let args = tools::AddNoteArgs {
            contact_ids,
            text,
            note_type,
            event_time,
        };
        saved(tools::add_contact_note(&writer, &args))
    }

    fn update_note(
        note_id: String,
        text: Option<String>,
        note_type: Option<String>,
        event_time: Option<String>,
    ) -> Result<notes::SavedNote, wit::ToolError> {
        let (_, writer) = writer().map_err(tool_error)?;
        let args = tools::UpdateNoteArgs {
            note_id,
            text,
            note_type,
            event_time,
        };
        saved(tools::update_note(&writer, &args))
    }

    fn delete_note(
        note_id: String,
        confirm: Option<bool>,
    ) -> Result<notes::DeletedNote, wit::ToolError> {
        let (settings, writer) = writer().map_err(tool_error)?;
        let read = || account(&settings);
        let written = tools::delete_note(&writer, &read, &note_id, confirm);
        let (id, summary) = record_write(written).map_err(tool_error)?;
        Ok(notes::DeletedNote { id, summary })
    }
}
