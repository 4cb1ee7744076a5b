//! Reading whole lists (every contact, note and reminder) page by page.
//!
//! Search needs the whole account, and Dex's bulk list endpoints deliver it
//! in a few dozen requests where per-contact reads would take thousands.
//! The three lists are independent, and legacy's offset pages are
//! independent of each other, so a caller asks for many pages at once and
//! an implementation fetches them concurrently.

use crate::model::{Contact, ErrorKind, Note, Reminder, ToolError};

/// The lists of an account that can be read in full.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
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

    /// What a failed read of this list says. A list endpoint is never
    /// missing on a right address, so Dex's 404 ("Dex has no ...", right
    /// for one record) here means the server is set up against the wrong
    /// address or API generation, and says so.
    pub fn read_error(self, error: ToolError) -> ToolError {
        if error.kind != ErrorKind::NotFound {
            return error;
        }
        ToolError {
            message: format!(
                "Dex answered 404 Not Found for the {} list: the API address \
                 (DEX_API_BASE_URL) or API generation (--api-generation) the server \
                 is set up with is probably wrong",
                self.noun()
            ),
            ..error
        }
    }
}

/// Where a page starts.
///
/// v1 pages by opaque cursor, so a list is read one page after another;
/// legacy pages by offset, so once one page showed how big pages are, the
/// reader of a snapshot can ask for many pages of a list at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageAt {
    /// The first page of the list.
    Start,
    /// The page after the one that answered with this cursor (v1).
    Cursor(String),
    /// The page of records from this offset on (legacy).
    Offset(u64),
}

/// One page to read: which list, and where in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// The list.
    pub list: ListKind,
    /// Where the page starts.
    pub at: PageAt,
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
    /// Where the next page starts; `None` after the last page. A reader
    /// that pages by offset answers [`PageAt::Offset`] here, which tells the
    /// snapshot that it may ask for later pages before this one's successor
    /// arrived.
    pub next: Option<PageAt>,
    /// How many records the whole list holds, when Dex says (v1's `count`,
    /// legacy's totals for notes and reminders); progress reports use it.
    pub total: Option<u64>,
    /// The page came without the links its records need: contacts without
    /// any `contact_emails` or `contact_phone_numbers` field, notes or
    /// reminders without their contacts. Links that are there but empty
    /// (a contact with no email) are not missing.
    pub links_missing: bool,
}

/// What a reader can learn before the first page: the number of contacts
/// (for progress reports) and the owner's time zone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountPreamble {
    /// How many contacts the account holds (v1's `GET /v1/contacts/count`).
    pub contacts_total: Option<u64>,
    /// The owner's `time_zone` (v1's `GET /v1/users/me`).
    pub owner_time_zone: Option<String>,
}

/// The links of one contact that a list left out, read another way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkedRecords {
    /// The ids of the records (notes or reminders) about the contact.
    Ids(Vec<String>),
    /// The contact has more of them than one answer holds; the reader
    /// does not page further.
    TooMany,
}

/// Reads pages of the bulk lists, whatever the API generation.
pub trait AccountLists {
    /// Reads one page for each request, answering in request order.
    ///
    /// Requests are independent, so an implementation sends them together
    /// (the component's transport keeps several in flight); transient
    /// failures are expected to have been retried already, so an error
    /// here is final for that list.
    fn fetch_pages(&self, requests: &[PageRequest]) -> Vec<Result<ListPage, ToolError>>;

    /// What is known before the first page; a part that could not be read
    /// is left out (the read goes on without it). One round trip at most.
    fn preamble(&self) -> AccountPreamble {
        AccountPreamble::default()
    }

    /// Whether this reader can fill links that its lists left out, with
    /// [`AccountLists::contacts_by_id`] and [`AccountLists::linked_to`].
    fn can_fill_links(&self) -> bool {
        false
    }

    /// Each contact of `ids` read whole, one request each, sent together.
    fn contacts_by_id(&self, ids: &[&str]) -> Vec<Result<Contact, ToolError>> {
        ids.iter().map(|_| Err(cannot_fill())).collect()
    }

    /// For each contact of `contact_ids`, the records of `list` (notes or
    /// reminders) about it, one request each, sent together.
    fn linked_to(
        &self,
        list: ListKind,
        contact_ids: &[&str],
    ) -> Vec<Result<LinkedRecords, ToolError>> {
        let _ = list;
        contact_ids.iter().map(|_| Err(cannot_fill())).collect()
    }
}

fn cannot_fill() -> ToolError {
    ToolError::new(
        ErrorKind::Upstream,
        "this API generation has no per-contact reads to fill links with",
    )
}
