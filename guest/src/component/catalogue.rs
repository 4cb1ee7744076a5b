//! The `catalogue` export: the tools' prose and hints.

use super::Component;
use super::bindings::exports::dex::crm::catalogue;
use crate::tools;

impl catalogue::Guest for Component {
    fn describe() -> Vec<catalogue::ToolDoc> {
        tools::catalogue::catalogue()
            .into_iter()
            .map(|doc| catalogue::ToolDoc {
                name: doc.name.into(),
                title: doc.title.into(),
                description: doc.description.into(),
                hints: catalogue::ToolHints {
                    read_only: doc.hints.read_only,
                    destructive: doc.hints.destructive,
                    idempotent: doc.hints.idempotent,
                    open_world: doc.hints.open_world,
                },
                parameters: doc
                    .parameters
                    .iter()
                    .map(|(name, description)| catalogue::ParameterDoc {
                        name: (*name).into(),
                        description: (*description).into(),
                    })
                    .collect(),
            })
            .collect()
    }
}
