//! The catalogue entries of the history tools (`wit/history.wit`), kept
//! apart from `catalogue.rs` because the seven of them share the paging
//! and date rules stated here once.

use super::catalogue::{ToolDoc, ToolHints};

/// Hints of a history tool: reads the account Dex holds, changes nothing.
const READS_DEX: ToolHints = ToolHints {
    read_only: true,
    destructive: false,
    idempotent: true,
    open_world: true,
};

/// A description followed by the paging rule every list answer follows.
macro_rules! paged {
    ($text:literal) => {
        concat!(
            $text,
            " Answers are capped at the limit (where the tool takes one) and at about 25,000 \
            characters of JSON; when more remain, the answer has next_cursor: call again with the \
            same arguments and cursor set to it. total counts the whole list."
        )
    };
}

const CONTACT_ID: (&str, &str) = (
    "contact-id",
    "The contact's id, as returned by find_contact or search_contacts_full_text. An unknown id \
     fails with not-found.",
);

const CURSOR: (&str, &str) = (
    "cursor",
    "The next_cursor of the previous answer, to get the next page; leave out for the first page.",
);

/// The history tools, in listing order.
pub(super) fn history_docs() -> Vec<ToolDoc> {
    vec![
        ToolDoc {
            name: "get-contact-details",
            title: "Contact details",
            description: "Everything about one contact in one call: all contact fields (emails, \
                phones, company, birthday, ...), the 5 latest notes (newest first) and the open \
                reminders (up to 20, soonest due first), with the total number of each. Use it \
                after find_contact when the user asks about a person (\"what's new with Ada?\"); \
                use get_contact_notes or get_contact_history for older notes.",
            hints: READS_DEX,
            parameters: &[CONTACT_ID],
        },
        ToolDoc {
            name: "get-contact-history",
            title: "Contact history timeline",
            description: paged!(
                "One contact's notes and reminders merged into one timeline, newest first (a \
                reminder sits at its due date, so future reminders come first; undated notes \
                last), optionally between two days. Use it for \"what happened with Ada last \
                spring?\" or a full chronology; each entry has kind note or reminder. Reminders \
                shared with other contacts are included and name all their contacts."
            ),
            hints: READS_DEX,
            parameters: &[
                CONTACT_ID,
                (
                    "date-from",
                    "First day to include, YYYY-MM-DD (UTC). Entries without a date are left out \
                     when a date is given.",
                ),
                ("date-to", "Last day to include, YYYY-MM-DD (UTC)."),
                ("include-notes", "List notes (default true)."),
                (
                    "include-reminders",
                    "List reminders, open and done (default true).",
                ),
                (
                    "limit",
                    "At most this many entries per page (default 20, at most 100).",
                ),
                CURSOR,
            ],
        },
        ToolDoc {
            name: "get-contact-notes",
            title: "Contact notes",
            description: paged!(
                "One contact's notes (calls, coffees, meetings, ...), newest first, with their \
                text, event time, note type and every contact each note is about. Use it to \
                recall what the user discussed with someone."
            ),
            hints: READS_DEX,
            parameters: &[
                CONTACT_ID,
                (
                    "limit",
                    "At most this many notes per page (default 20, at most 100).",
                ),
                CURSOR,
            ],
        },
        ToolDoc {
            name: "get-contact-reminders",
            title: "Contact reminders",
            description: paged!(
                "One contact's reminders, including reminders shared with other contacts: open \
                ones soonest due first, then done ones most recently due first. Choose with \
                status: active (default), completed or all."
            ),
            hints: READS_DEX,
            parameters: &[
                CONTACT_ID,
                (
                    "status",
                    "active (not done, the default), completed, or all.",
                ),
                CURSOR,
            ],
        },
        ToolDoc {
            name: "list-note-types",
            title: "Note types",
            description: "The kinds of note the user's Dex account offers (call, coffee, meeting, \
                ...), each with its id, name and icon. Notes name their kind in note_type; use \
                these names when describing or filtering notes. On the legacy Dex API, which has no \
                note-types endpoint, the answer is the built-in set Dex is known to use, and the \
                summary says so.",
            hints: READS_DEX,
            parameters: &[],
        },
        ToolDoc {
            name: "upcoming-reminders",
            title: "Upcoming reminders",
            description: paged!(
                "Open reminders across all contacts due from today to the given number of days \
                ahead (default 7; days are UTC), plus overdue ones unless include_overdue is \
                false; soonest first, so overdue ones lead. Each has its due day, days until due \
                (negative when overdue) and the contacts it is about. Use it for \"what do I \
                have to do this week?\"."
            ),
            hints: READS_DEX,
            parameters: &[
                (
                    "days",
                    "How many days ahead, today included as day 0 (default 7, at most 365).",
                ),
                (
                    "include-overdue",
                    "Also list open reminders whose due day has passed (default true).",
                ),
                CURSOR,
            ],
        },
        ToolDoc {
            name: "upcoming-birthdays",
            title: "Upcoming birthdays",
            description: paged!(
                "Contacts whose birthday falls from today to the given number of days ahead \
                (default 30; days are UTC), soonest first, each with the stored birthday, the \
                date it is celebrated, days until then and the age turned when the year of birth \
                is known. A February 29 birthday is celebrated on February 28 outside leap \
                years. Archived contacts are left out."
            ),
            hints: READS_DEX,
            parameters: &[
                (
                    "days",
                    "How many days ahead, today included as day 0 (default 30, at most 365).",
                ),
                CURSOR,
            ],
        },
    ]
}
