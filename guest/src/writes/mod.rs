//! What the writing tools share: the shape of a write's outcome, the
//! confirmation rule of destructive tools, the checks of their arguments
//! and the planning of `enrich-contact`.
//!
//! Every write answers the record Dex stored and an [`AccountChange`], which
//! the component applies to the cached account so that the next read sees
//! the write without reading the whole account again.

mod confirm;
mod enrich;
mod idempotency;
mod impact;
mod input;

pub use confirm::require_confirmation;
pub use enrich::{EnrichItem, EnrichPlan, EnrichRequest, plan as plan_enrichment};
#[cfg(test)]
pub(crate) use idempotency::tests::MemoryStore;
pub use idempotency::{IdempotencyKey, KeyNote, KeyStore, VALIDITY, create_once};
pub use impact::{contact_deletion, contacts_deletion, merge, note_deletion, reminder_deletion};
pub use input::{contact_ids, date, date_or_time, optional_text, required_text, time};

use crate::account::AccountChange;
use crate::dex::{Created, Creation};

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

/// The [`Written`] of a create: `summary` followed by how the answer came
/// (and the note of a key that could not be kept), and `change` of the
/// record, except for a replay, which was applied when first made.
pub fn written_create<T: Clone>(
    created: Created<T>,
    key_note: KeyNote,
    noun: &str,
    summary: String,
    change: impl FnOnce(T) -> AccountChange,
) -> Written<Created<T>> {
    let how = match created.creation {
        Creation::Answered => String::new(),
        Creation::Recovered => {
            format!(" Dex's answer was lost; the {noun} was found in Dex, created once.")
        }
        Creation::Resent => format!(
            " The first attempt did not reach Dex (its answer was lost and no {noun} was there), so it was sent once more."
        ),
        Creation::Replayed => format!(
            " This idempotency key was used before with the same arguments: this is that call's {noun}; nothing was written now."
        ),
    };
    let change = match created.creation {
        Creation::Replayed => AccountChange::Replayed,
        _ => change(created.record.clone()),
    };
    let summary = [Some(summary + &how), key_note.0]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Written {
        answer: created,
        summary,
        change,
    }
}
