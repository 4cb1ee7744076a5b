//! What the writing tools share: the shape of a write's outcome, the
//! confirmation rule of destructive tools, the checks of their arguments
//! and the planning of `enrich-contact`.
//!
//! Every write answers the record Dex stored and an [`AccountChange`], which
//! the component applies to the cached account so that the next read sees
//! the write without reading the whole account again.

mod confirm;
mod enrich;
mod impact;
mod input;

pub use confirm::require_confirmation;
pub use enrich::{EnrichItem, EnrichPlan, EnrichRequest, plan as plan_enrichment};
pub use impact::{contact_deletion, contacts_deletion, merge, note_deletion, reminder_deletion};
pub use input::{contact_ids, date, date_or_time, optional_text, required_text, time};

use crate::account::AccountChange;

/// A write Dex confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written<T> {
    /// The tool's answer.
    pub answer: T,
    /// One sentence for the assistant.
    pub summary: String,
    /// The same write, to apply to the cached account.
    pub change: AccountChange,
}
