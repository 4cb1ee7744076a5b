//! The `notes` export.

use super::Component;
use super::bindings::dex::crm::types as wit;
use super::bindings::exports::dex::crm::notes;
use super::convert::tool_error;
use super::state::{account, record_write, v1_only};
use super::transport::WasiHttp;
use crate::dex::v1::V1Writer;
use crate::model;
use crate::settings::Settings;
use crate::tools;

fn note(n: model::Note) -> notes::Note {
    notes::Note {
        id: n.id,
        text: n.text,
        event_time: n.event_time,
        note_type: n.note_type,
        contact_ids: n.contact_ids,
    }
}

fn writer(tool: &str) -> Result<(Settings, V1Writer<WasiHttp>), model::ToolError> {
    let settings = Settings::from_env()?;
    v1_only(&settings, tool)?;
    let writer = V1Writer::new(&settings.base_url, WasiHttp);
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
        let (_, writer) = writer("add_contact_note").map_err(tool_error)?;
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
        let (_, writer) = writer("update_note").map_err(tool_error)?;
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
        let (settings, writer) = writer("delete_note").map_err(tool_error)?;
        let read = || account(&settings);
        let written = tools::delete_note(&writer, &read, &note_id, confirm);
        let (id, summary) = record_write(written).map_err(tool_error)?;
        Ok(notes::DeletedNote { id, summary })
    }
}
