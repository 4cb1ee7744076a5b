//! Counting a snapshot's read as it goes, for progress reports.

use crate::dex::{ListKind, ListPage};

/// How far a snapshot's read has come, reported after every page so that a
/// caller can tell a waiting client (MCP progress notifications) how much
/// of a long first read is done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FetchProgress {
    /// Records (contacts, notes and reminders together) read so far.
    pub records_read: u64,
    /// How many records the whole read will bring: the sum of the totals
    /// Dex reported, and of the records read from lists already finished.
    /// `None` while some unfinished list's total is unknown (legacy
    /// contacts report none), so a caller never shows a made-up bar.
    pub records_expected: Option<u64>,
    /// Pages read so far, over all lists.
    pub pages_read: u64,
    /// How many contacts the account holds, when Dex said before the
    /// first page (v1's `GET /v1/contacts/count`): a total to show while
    /// nothing is read yet.
    pub contacts_expected: Option<u64>,
}

/// The counts behind [`FetchProgress`], per list.
#[derive(Debug, Default)]
pub(super) struct Tally {
    read: [u64; 3],
    totals: [Option<u64>; 3],
    finished: [bool; 3],
    pages: u64,
    contacts_expected: Option<u64>,
}

impl Tally {
    /// The number of contacts, known before any page.
    pub(super) fn expect_contacts(&mut self, total: u64) {
        self.contacts_expected = Some(total);
        self.totals[ListKind::Contacts as usize] = Some(total);
    }

    /// Counts one page of `list`.
    pub(super) fn page_read(&mut self, list: ListKind, page: &ListPage) {
        let slot = list as usize;
        self.read[slot] += page.items.len() as u64;
        self.totals[slot] = page.total.or(self.totals[slot]);
        self.pages += 1;
    }

    /// A list read to its end, or given up on: what was read is all it
    /// will bring.
    pub(super) fn finished(&mut self, list: ListKind) {
        self.finished[list as usize] = true;
    }

    /// The counts as a caller sees them.
    pub(super) fn progress(&self) -> FetchProgress {
        let expected = (0..3)
            .map(|i| {
                if self.finished[i] {
                    Some(self.read[i])
                } else {
                    self.totals[i].map(|t| t.max(self.read[i]))
                }
            })
            .sum::<Option<u64>>();
        FetchProgress {
            records_read: self.read.iter().sum(),
            records_expected: expected,
            pages_read: self.pages,
            contacts_expected: self.contacts_expected,
        }
    }
}
