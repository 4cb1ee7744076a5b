//! Reading whole lists (every contact, note and reminder) page by page.
//!
//! Search needs the whole account, and Dex's bulk list endpoints deliver it
//! in a few dozen requests where per-contact reads would take thousands.
//! The three lists are independent, so a caller asks for one page of
//! several lists at once and an implementation may fetch them concurrently.

use crate::model::{Contact, Note, Reminder, ToolError};

/// The lists of an account that can be read in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ListKind {
    /// Every contact.
    Contacts,
    /// Every note (timeline item).
    Notes,
    /// Every reminder.
    Reminders,
}

impl ListKind {
    /// All three, in the order a snapshot reads them.
    pub const ALL: [ListKind; 3] = [ListKind::Contacts, ListKind::Notes, ListKind::Reminders];

    /// The plural noun, for messages ("the notes list").
    pub fn noun(self) -> &'static str {
        match self {
            ListKind::Contacts => "contacts",
            ListKind::Notes => "notes",
            ListKind::Reminders => "reminders",
        }
    }
}

/// One page to read: which list, and where in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// The list.
    pub list: ListKind,
    /// The previous page's cursor; `None` for the first page.
    pub cursor: Option<String>,
}

/// The records of one page, typed by list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageItems {
    /// A page of contacts.
    Contacts(Vec<Contact>),
    /// A page of notes.
    Notes(Vec<Note>),
    /// A page of reminders.
    Reminders(Vec<Reminder>),
}

impl PageItems {
    /// How many records the page holds.
    pub fn len(&self) -> usize {
        match self {
            PageItems::Contacts(c) => c.len(),
            PageItems::Notes(n) => n.len(),
            PageItems::Reminders(r) => r.len(),
        }
    }

    /// Whether the page holds no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One page read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    /// Its records.
    pub items: PageItems,
    /// Where the next page starts; `None` after the last page.
    pub next_cursor: Option<String>,
    /// How many records the whole list holds, when Dex says (v1's `count`,
    /// legacy's totals for notes and reminders); progress reports use it.
    pub total: Option<u64>,
}

/// Reads pages of the bulk lists, whatever the API generation.
pub trait AccountLists {
    /// Reads one page for each request, answering in request order.
    ///
    /// Requests are independent, so an implementation may send them
    /// together; transient failures are expected to have been retried
    /// already, so an error here is final for that list.
    fn fetch_pages(&self, requests: &[PageRequest]) -> Vec<Result<ListPage, ToolError>>;
}
