//! Dex's current API (`/v1/...`, bearer key, `{error, data}` envelope,
//! take/cursor paging).

pub mod answers;
mod client;
mod contact_batches;
mod custom_fields;
mod labels;
mod landed;
mod lists;
mod merge;
mod note_types;
mod relations;
pub mod self_check;
mod wire;
mod wire_records;
mod wire_related;
mod wire_writes;
mod writes;

pub use client::V1Client;
pub use contact_batches::{ContactBatchDeletes, DeletedContacts};
pub use labels::LabelKind;
pub use lists::V1Lists;
pub use relations::ContactRelations;
pub use wire::contact_from_v1_json;
pub use wire_records::{WireNote, WireReminder};
pub use writes::V1Writer;
