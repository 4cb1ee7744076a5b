//! The account snapshot: every contact, note and reminder, read once.
//!
//! Search works on the whole account, so it starts from a snapshot read
//! through the bulk list endpoints ([`AccountLists`]), never contact by
//! contact. The three lists are read in lock-step rounds: each round asks
//! for the next page of every list still going, in one batch, so a
//! transport that overlaps requests reads them in parallel while paging
//! within each list stays sequential (a cursor is only known once the page
//! before it arrived).
//!
//! A list that fails (after the reader's retries) stops there; the snapshot
//! keeps what it read and records which list failed and why, so that no
//! answer built on it can pass an incomplete account off as complete.

use std::sync::Arc;

use crate::dex::{AccountLists, ListKind, ListPage, PageItems, PageRequest};
use crate::model::{Contact, Note, Reminder, ToolError};

/// More pages than this in one list means a cursor that never ends (100 per
/// page makes it a million records); stop and say so rather than loop.
const MAX_PAGES_PER_LIST: usize = 10_000;

/// Why one list is missing from a snapshot, or only partly in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFailure {
    /// The list.
    pub list: ListKind,
    /// How many of its pages were read before it failed.
    pub pages_read: usize,
    /// What went wrong.
    pub error: ToolError,
}

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
}

/// Everything in the account at the time it was read.
///
/// Records are behind `Arc` so that the search index and search results
/// share them with the snapshot instead of copying them.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Every contact read, in Dex's order.
    pub contacts: Vec<Arc<Contact>>,
    /// Every note read, in Dex's order.
    pub notes: Vec<Arc<Note>>,
    /// Every reminder read, in Dex's order.
    pub reminders: Vec<Arc<Reminder>>,
    /// The lists that could not be read to their end; empty when complete.
    pub failures: Vec<ListFailure>,
}

impl Snapshot {
    /// Whether some list is missing or cut short.
    pub fn is_partial(&self) -> bool {
        !self.failures.is_empty()
    }

    /// Reads the whole account through `lists`.
    pub fn fetch(lists: &dyn AccountLists) -> Snapshot {
        Self::fetch_reporting(lists, &mut |_| {})
    }

    /// Reads the whole account through `lists`, calling `report` after
    /// every page read (or list failed) with the progress so far.
    pub fn fetch_reporting(
        lists: &dyn AccountLists,
        report: &mut dyn FnMut(&FetchProgress),
    ) -> Snapshot {
        let mut snapshot = Snapshot::default();
        let mut tally = Tally::default();
        let mut going: Vec<Progress> = ListKind::ALL
            .into_iter()
            .map(|list| Progress {
                list,
                cursor: None,
                pages_read: 0,
            })
            .collect();
        while !going.is_empty() {
            let requests: Vec<PageRequest> = going
                .iter()
                .map(|p| PageRequest {
                    list: p.list,
                    cursor: p.cursor.clone(),
                })
                .collect();
            let mut answers = lists.fetch_pages(&requests).into_iter();
            let mut next_round = Vec::with_capacity(going.len());
            for mut progress in going {
                let answer = answers.next().unwrap_or_else(|| {
                    Err(ToolError::new(
                        crate::model::ErrorKind::Upstream,
                        "the list reader gave no answer for this page",
                    ))
                });
                match answer {
                    Ok(page) => {
                        progress.pages_read += 1;
                        tally.page_read(progress.list, &page);
                        if page.next_cursor.is_none() {
                            tally.finished(progress.list);
                        }
                        report(&tally.progress());
                        snapshot.keep(page.items);
                        match page.next_cursor {
                            None => {}
                            Some(_) if progress.pages_read >= MAX_PAGES_PER_LIST => {
                                snapshot.failures.push(progress.fail(format!(
                                    "Dex kept answering with more pages of {} after {MAX_PAGES_PER_LIST}; the rest was not read",
                                    progress.list.noun()
                                )));
                            }
                            Some(next) if progress.cursor.as_ref() == Some(&next) => {
                                snapshot.failures.push(progress.fail(format!(
                                    "Dex answered the same {} page twice (cursor `{next}`); the rest was not read",
                                    progress.list.noun()
                                )));
                            }
                            Some(next) => {
                                progress.cursor = Some(next);
                                next_round.push(progress);
                            }
                        }
                    }
                    Err(error) => {
                        tally.finished(progress.list);
                        report(&tally.progress());
                        snapshot.failures.push(ListFailure {
                            list: progress.list,
                            pages_read: progress.pages_read,
                            error,
                        })
                    }
                }
            }
            going = next_round;
        }
        snapshot
    }

    fn keep(&mut self, items: PageItems) {
        match items {
            PageItems::Contacts(c) => self.contacts.extend(c.into_iter().map(Arc::new)),
            PageItems::Notes(n) => self.notes.extend(n.into_iter().map(Arc::new)),
            PageItems::Reminders(r) => self.reminders.extend(r.into_iter().map(Arc::new)),
        }
    }
}

/// The counts behind [`FetchProgress`], per list.
#[derive(Default)]
struct Tally {
    read: [u64; 3],
    totals: [Option<u64>; 3],
    finished: [bool; 3],
    pages: u64,
}

impl Tally {
    fn page_read(&mut self, list: ListKind, page: &ListPage) {
        let slot = list as usize;
        self.read[slot] += page.items.len() as u64;
        self.totals[slot] = page.total.or(self.totals[slot]);
        self.pages += 1;
    }

    /// A list read to its end, or given up on: what was read is all it
    /// will bring.
    fn finished(&mut self, list: ListKind) {
        self.finished[list as usize] = true;
    }

    fn progress(&self) -> FetchProgress {
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
        }
    }
}

/// Where the reading of one list stands.
struct Progress {
    list: ListKind,
    cursor: Option<String>,
    pages_read: usize,
}

impl Progress {
    fn fail(&self, message: String) -> ListFailure {
        ListFailure {
            list: self.list,
            pages_read: self.pages_read,
            error: ToolError::new(crate::model::ErrorKind::Upstream, message),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use super::*;
    use crate::model::ErrorKind;

    /// Serves lists from memory, `per_page` records a page, with the page
    /// number as cursor; a list can be set to fail from some page on.
    struct InMemory {
        contacts: Vec<Contact>,
        notes: Vec<Note>,
        reminders: Vec<Reminder>,
        per_page: usize,
        fail_from_page: HashMap<ListKind, usize>,
        /// The lists whose pages say how many records the list holds.
        with_total: Vec<ListKind>,
        batches: RefCell<Vec<Vec<PageRequest>>>,
    }

    impl InMemory {
        fn new(contacts: usize, notes: usize, reminders: usize) -> Self {
            Self {
                contacts: (0..contacts)
                    .map(|i| Contact {
                        id: format!("c{i}"),
                        ..Contact::default()
                    })
                    .collect(),
                notes: (0..notes)
                    .map(|i| Note {
                        id: format!("n{i}"),
                        ..Note::default()
                    })
                    .collect(),
                reminders: (0..reminders)
                    .map(|i| Reminder {
                        id: format!("r{i}"),
                        ..Reminder::default()
                    })
                    .collect(),
                per_page: 2,
                fail_from_page: HashMap::new(),
                with_total: vec![],
                batches: RefCell::new(vec![]),
            }
        }

        fn page<T: Clone>(&self, all: &[T], page: usize) -> (Vec<T>, Option<String>) {
            let start = page * self.per_page;
            let end = (start + self.per_page).min(all.len());
            let next = (end < all.len()).then(|| (page + 1).to_string());
            (all[start.min(end)..end].to_vec(), next)
        }

        fn total(&self, list: ListKind, len: usize) -> Option<u64> {
            self.with_total.contains(&list).then_some(len as u64)
        }
    }

    impl AccountLists for InMemory {
        fn fetch_pages(&self, requests: &[PageRequest]) -> Vec<Result<ListPage, ToolError>> {
            self.batches.borrow_mut().push(requests.to_vec());
            requests
                .iter()
                .map(|r| {
                    let page: usize = r.cursor.as_deref().map_or(0, |c| c.parse().unwrap());
                    if self.fail_from_page.get(&r.list).is_some_and(|&f| page >= f) {
                        return Err(ToolError::new(
                            ErrorKind::RateLimited,
                            "Dex is rate limiting requests",
                        ));
                    }
                    Ok(match r.list {
                        ListKind::Contacts => {
                            let (items, next_cursor) = self.page(&self.contacts, page);
                            ListPage {
                                items: PageItems::Contacts(items),
                                next_cursor,
                                total: self.total(r.list, self.contacts.len()),
                            }
                        }
                        ListKind::Notes => {
                            let (items, next_cursor) = self.page(&self.notes, page);
                            ListPage {
                                items: PageItems::Notes(items),
                                next_cursor,
                                total: self.total(r.list, self.notes.len()),
                            }
                        }
                        ListKind::Reminders => {
                            let (items, next_cursor) = self.page(&self.reminders, page);
                            ListPage {
                                items: PageItems::Reminders(items),
                                next_cursor,
                                total: self.total(r.list, self.reminders.len()),
                            }
                        }
                    })
                })
                .collect()
        }
    }

    #[test]
    fn reads_every_page_of_all_three_lists_in_lock_step_batches() {
        let source = InMemory::new(5, 3, 1);
        let snapshot = Snapshot::fetch(&source);
        assert!(!snapshot.is_partial());
        let ids: Vec<_> = snapshot.contacts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["c0", "c1", "c2", "c3", "c4"]);
        assert_eq!(snapshot.notes.len(), 3);
        assert_eq!(snapshot.reminders.len(), 1);
        let batch_lists: Vec<Vec<ListKind>> = source
            .batches
            .borrow()
            .iter()
            .map(|b| b.iter().map(|r| r.list).collect())
            .collect();
        assert_eq!(
            batch_lists,
            [
                vec![ListKind::Contacts, ListKind::Notes, ListKind::Reminders],
                vec![ListKind::Contacts, ListKind::Notes],
                vec![ListKind::Contacts],
            ]
        );
    }

    #[test]
    fn a_failing_list_marks_the_snapshot_partial_and_the_others_complete() {
        let mut source = InMemory::new(5, 6, 3);
        source.fail_from_page.insert(ListKind::Notes, 1);
        let snapshot = Snapshot::fetch(&source);
        assert!(snapshot.is_partial());
        assert_eq!(snapshot.failures.len(), 1);
        let failure = &snapshot.failures[0];
        assert_eq!(failure.list, ListKind::Notes);
        assert_eq!(failure.pages_read, 1);
        assert_eq!(failure.error.kind, ErrorKind::RateLimited);
        assert_eq!(
            snapshot.notes.len(),
            2,
            "the page read before the failure is kept"
        );
        assert_eq!(snapshot.contacts.len(), 5);
        assert_eq!(snapshot.reminders.len(), 3);
    }

    /// Always answers with the same cursor.
    struct Stuck;

    impl AccountLists for Stuck {
        fn fetch_pages(&self, requests: &[PageRequest]) -> Vec<Result<ListPage, ToolError>> {
            requests
                .iter()
                .map(|_| {
                    Ok(ListPage {
                        items: PageItems::Notes(vec![]),
                        next_cursor: Some("same".into()),
                        total: None,
                    })
                })
                .collect()
        }
    }

    #[test]
    fn a_repeated_cursor_ends_the_list_as_a_failure_instead_of_looping() {
        let snapshot = Snapshot::fetch(&Stuck);
        assert_eq!(snapshot.failures.len(), 3);
        assert!(snapshot.failures.iter().all(|f| f.pages_read == 2));
        assert!(snapshot.failures[0].error.message.contains("same"));
    }

    #[test]
    fn progress_is_reported_after_every_page_with_the_totals_known_so_far() {
        let mut source = InMemory::new(3, 4, 1);
        source.with_total = vec![ListKind::Notes, ListKind::Reminders];
        let mut reports = Vec::new();
        let snapshot = Snapshot::fetch_reporting(&source, &mut |p| reports.push(*p));
        assert!(!snapshot.is_partial());
        // Pages of 2: contacts 2+1, notes 2+2, reminders 1.
        assert_eq!(reports.len(), 5);
        assert_eq!(
            reports.iter().map(|p| p.pages_read).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        assert_eq!(
            reports.iter().map(|p| p.records_read).collect::<Vec<_>>(),
            [2, 4, 5, 6, 8]
        );
        assert_eq!(
            reports[2].records_expected, None,
            "contacts report no total and are not finished yet"
        );
        assert_eq!(
            reports[3].records_expected,
            Some(3 + 4 + 1),
            "once contacts end, what they brought is their total"
        );
        assert_eq!(reports.last().unwrap().records_expected, Some(8));
    }

    #[test]
    fn progress_counts_a_failed_list_as_finished_with_what_it_brought() {
        let mut source = InMemory::new(1, 6, 1);
        source.with_total = ListKind::ALL.to_vec();
        source.fail_from_page.insert(ListKind::Notes, 1);
        let mut last = FetchProgress::default();
        let snapshot = Snapshot::fetch_reporting(&source, &mut |p| last = *p);
        assert!(snapshot.is_partial());
        assert_eq!(last.records_read, 1 + 2 + 1);
        assert_eq!(last.records_expected, Some(1 + 2 + 1));
    }
}
