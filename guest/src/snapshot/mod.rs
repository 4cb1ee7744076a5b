//! The account snapshot: every contact, note and reminder, read once.
//!
//! Search works on the whole account, so it starts from a snapshot read
//! through the bulk list endpoints ([`AccountLists`]), never contact by
//! contact. The three lists are read in rounds: each round asks, in one
//! batch, for every page of every list still going that can be asked for
//! yet ([`list_read`]): the next page of a cursor-paged list, or many pages
//! of an offset-paged one. The reader sends a batch's requests together,
//! so the lists, and the pages of an offset-paged list, are read in
//! parallel.
//!
//! A list that fails (after the reader's retries) stops there; the snapshot
//! keeps what it read before the failure and records which list failed and
//! why, so that no answer built on it can pass an incomplete account off as
//! complete.

mod links;
mod list_read;
mod progress;
pub mod stored;

use std::sync::Arc;

use crate::dex::{AccountLists, ListKind, PageRequest};
use crate::model::{Contact, ErrorKind, Note, Reminder, ToolError};
use links::Unlinked;
pub use links::{FILL_BUDGET, LinkGap};
use list_read::{ListRead, Outcome};
pub use progress::FetchProgress;
use progress::Tally;

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

/// What an answer is built from: lists it reads, and lists whose links
/// (contacts' emails and phones, notes' and reminders' contacts) it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// Lists that must have been read whole.
    pub lists: &'static [ListKind],
    /// Lists whose links must be there.
    pub links: &'static [ListKind],
}

impl Needs {
    /// Everything: every list and every link.
    pub const ALL: Needs = Needs {
        lists: &ListKind::ALL,
        links: &ListKind::ALL,
    };
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
    /// The account owner's time zone as Dex gives it (an IANA name), when
    /// it does: what "today" means for the history tools.
    pub owner_time_zone: Option<String>,
    /// Links Dex's lists left out that could not be filled; empty when
    /// every record has its links.
    pub link_gaps: Vec<LinkGap>,
    /// How old the snapshot was when the running call was answered from
    /// it, when that was past the cache's time to live (allowed while the
    /// host refreshes it between calls); `None` when it was fresh. Set
    /// for each call, never stored.
    pub served_stale: Option<std::time::Duration>,
}

/// `age` for a person: "45 seconds", "12 minutes", "3 hours".
fn age_in_words(age: std::time::Duration) -> String {
    let seconds = age.as_secs();
    let (n, unit) = match seconds {
        0..120 => (seconds, "second"),
        120..7200 => (seconds / 60, "minute"),
        _ => (seconds / 3600, "hour"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

impl Snapshot {
    /// Whether some list is missing or cut short.
    pub fn is_partial(&self) -> bool {
        !self.failures.is_empty()
    }

    /// Why an answer that needs `needs` may miss something, in sentences;
    /// `None` when those lists were read whole and their links are there.
    pub fn incomplete_reason(&self, needs: &Needs) -> Option<String> {
        let (read, linked) = (needs.lists, needs.links);
        let failures = self
            .failures
            .iter()
            .filter(|f| read.contains(&f.list))
            .map(|f| {
                format!(
                    "The {} list could not be read in full ({}).",
                    f.list.noun(),
                    f.error.message
                )
            });
        let gaps = self
            .link_gaps
            .iter()
            .filter(|g| linked.contains(&g.list))
            .map(|g| format!("{}.", g.reason));
        let stale = self.served_stale.map(|age| {
            format!(
                "The account was read from Dex {} ago, longer ago than the cache keeps it; it is being read again between calls, so changes made in Dex since then may not show yet.",
                age_in_words(age)
            )
        });
        let sentences: Vec<String> = stale.into_iter().chain(failures).chain(gaps).collect();
        (!sentences.is_empty()).then(|| sentences.join(" "))
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
        let mut unlinked = Unlinked::default();
        let preamble = lists.preamble();
        snapshot.owner_time_zone = preamble.owner_time_zone;
        if let Some(total) = preamble.contacts_total {
            tally.expect_contacts(total);
            report(&tally.progress());
        }
        let mut going: Vec<ListRead> = ListKind::ALL.into_iter().map(ListRead::new).collect();
        while !going.is_empty() {
            let asked: Vec<Vec<PageRequest>> = going.iter().map(ListRead::requests).collect();
            let batch: Vec<PageRequest> = asked.iter().flatten().cloned().collect();
            let mut answers = lists.fetch_pages(&batch).into_iter();
            let mut next_round = Vec::with_capacity(going.len());
            for (mut read, requests) in going.into_iter().zip(asked) {
                let mine = requests
                    .iter()
                    .map(|_| {
                        answers.next().unwrap_or_else(|| {
                            Err(ToolError::new(
                                ErrorKind::Upstream,
                                "the list reader gave no answer for this page",
                            ))
                        })
                    })
                    .collect::<Vec<_>>();
                for page in mine.iter().flatten() {
                    unlinked.note(page);
                }
                match read.take(&requests, mine, &mut snapshot, &mut tally, report) {
                    Outcome::Going => next_round.push(read),
                    Outcome::Done => {}
                    Outcome::Failed(failure) => snapshot.failures.push(failure),
                }
            }
            going = next_round;
        }
        links::fill(lists, &mut snapshot, unlinked);
        // The lists grew by doubling; the snapshot is kept for the cache's
        // time to live and changes after this only by single writes.
        snapshot.contacts.shrink_to_fit();
        snapshot.notes.shrink_to_fit();
        snapshot.reminders.shrink_to_fit();
        snapshot
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use super::*;
    use crate::dex::{ListPage, PageAt, PageItems};

    /// Serves lists from memory, `per_page` records a page, paged by cursor
    /// (the page number) or, like legacy, by offset; a list can be set to
    /// fail from some page on.
    struct InMemory {
        contacts: Vec<Contact>,
        notes: Vec<Note>,
        reminders: Vec<Reminder>,
        per_page: usize,
        by_offset: bool,
        fail_from_page: HashMap<ListKind, usize>,
        /// The lists whose pages say how many records the list holds.
        with_total: Vec<ListKind>,
        /// Pages (list and offset) that bring only this many records, like
        /// a server that gives fewer than asked and says where to go on.
        capped: HashMap<(ListKind, usize), usize>,
        /// The lists whose pages come without links (the records keep
        /// them here, and per-contact reads give them).
        unlinked: Vec<ListKind>,
        /// What `preamble` answers.
        preamble: crate::dex::AccountPreamble,
        /// Per-contact reads asked, by list.
        per_contact: RefCell<HashMap<ListKind, usize>>,
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
                        id: format!("n{i}").into(),
                        ..Note::default()
                    })
                    .collect(),
                reminders: (0..reminders)
                    .map(|i| Reminder {
                        id: format!("r{i}").into(),
                        ..Reminder::default()
                    })
                    .collect(),
                per_page: 2,
                by_offset: false,
                fail_from_page: HashMap::new(),
                with_total: vec![],
                capped: HashMap::new(),
                unlinked: vec![],
                preamble: Default::default(),
                per_contact: RefCell::new(HashMap::new()),
                batches: RefCell::new(vec![]),
            }
        }

        fn by_offset(mut self) -> Self {
            self.by_offset = true;
            self
        }

        fn len(&self, list: ListKind) -> usize {
            match list {
                ListKind::Contacts => self.contacts.len(),
                ListKind::Notes => self.notes.len(),
                ListKind::Reminders => self.reminders.len(),
            }
        }

        fn items(&self, list: ListKind, range: std::ops::Range<usize>) -> PageItems {
            let bare = self.unlinked.contains(&list);
            match list {
                ListKind::Contacts => PageItems::Contacts(
                    self.contacts[range]
                        .iter()
                        .map(|c| Contact {
                            emails: if bare { vec![] } else { c.emails.clone() },
                            ..c.clone()
                        })
                        .collect(),
                ),
                ListKind::Notes => PageItems::Notes(
                    self.notes[range]
                        .iter()
                        .map(|n| Note {
                            contact_ids: if bare { vec![] } else { n.contact_ids.clone() },
                            ..n.clone()
                        })
                        .collect(),
                ),
                ListKind::Reminders => PageItems::Reminders(self.reminders[range].to_vec()),
            }
        }

        fn answer(&self, request: &PageRequest) -> Result<ListPage, ToolError> {
            let list = request.list;
            let start = match (&request.at, self.by_offset) {
                (PageAt::Start, _) => 0,
                (PageAt::Cursor(page), false) => page.parse::<usize>().unwrap() * self.per_page,
                (PageAt::Offset(offset), true) => *offset as usize,
                (at, _) => panic!("{at:?} asked of a list paged the other way"),
            };
            if self
                .fail_from_page
                .get(&list)
                .is_some_and(|&f| start / self.per_page >= f)
            {
                return Err(ToolError::new(
                    ErrorKind::RateLimited,
                    "Dex is rate limiting requests",
                ));
            }
            let len = self.len(list);
            let size = self.capped.get(&(list, start)).copied();
            let end = (start + size.unwrap_or(self.per_page)).min(len);
            let total = self.with_total.contains(&list).then_some(len as u64);
            let next = if self.by_offset {
                // Legacy's rule: a total ends the list where it says; without
                // one, a short page does.
                let more = match total {
                    Some(total) => (end as u64) < total,
                    None => end - start.min(end) >= size.unwrap_or(self.per_page),
                };
                more.then_some(PageAt::Offset(end as u64))
            } else {
                (end < len).then(|| PageAt::Cursor((start / self.per_page + 1).to_string()))
            };
            Ok(ListPage {
                items: self.items(list, start.min(end)..end),
                next,
                total,
                links_missing: self.unlinked.contains(&list),
            })
        }

        fn batch_shapes(&self) -> Vec<Vec<(ListKind, PageAt)>> {
            self.batches
                .borrow()
                .iter()
                .map(|b| b.iter().map(|r| (r.list, r.at.clone())).collect())
                .collect()
        }
    }

    impl AccountLists for InMemory {
        fn fetch_pages(&self, requests: &[PageRequest]) -> Vec<Result<ListPage, ToolError>> {
            self.batches.borrow_mut().push(requests.to_vec());
            requests.iter().map(|r| self.answer(r)).collect()
        }

        fn preamble(&self) -> crate::dex::AccountPreamble {
            self.preamble.clone()
        }

        fn can_fill_links(&self) -> bool {
            true
        }

        fn contacts_by_id(&self, ids: &[&str]) -> Vec<Result<Contact, ToolError>> {
            *self
                .per_contact
                .borrow_mut()
                .entry(ListKind::Contacts)
                .or_default() += ids.len();
            ids.iter()
                .map(|id| {
                    self.contacts
                        .iter()
                        .find(|c| c.id == *id)
                        .cloned()
                        .ok_or_else(|| ToolError::new(ErrorKind::NotFound, "gone"))
                })
                .collect()
        }

        fn linked_to(
            &self,
            list: ListKind,
            contact_ids: &[&str],
        ) -> Vec<Result<crate::dex::LinkedRecords, ToolError>> {
            *self.per_contact.borrow_mut().entry(list).or_default() += contact_ids.len();
            contact_ids
                .iter()
                .map(|id| {
                    let about: Vec<String> = match list {
                        ListKind::Notes => self
                            .notes
                            .iter()
                            .filter(|n| n.contact_ids.iter().any(|c| c == id))
                            .map(|n| n.id.to_string())
                            .collect(),
                        _ => self
                            .reminders
                            .iter()
                            .filter(|r| r.contact_ids.iter().any(|c| c == id))
                            .map(|r| r.id.to_string())
                            .collect(),
                    };
                    Ok(crate::dex::LinkedRecords::Ids(about))
                })
                .collect()
        }
    }

    /// `contacts` contacts with one email each and `notes` notes, the
    /// i-th about contact i modulo the count.
    fn linked(contacts: usize, notes: usize) -> InMemory {
        let mut source = InMemory::new(contacts, notes, 0);
        for (i, contact) in source.contacts.iter_mut().enumerate() {
            contact.emails = vec![crate::model::EmailEntry {
                email: format!("p{i}@x.org"),
                label: None,
            }];
        }
        for (i, note) in source.notes.iter_mut().enumerate() {
            note.contact_ids = vec![format!("c{}", i % contacts).into()];
        }
        source
    }

    #[test]
    fn the_contact_count_is_reported_before_the_first_page() {
        let mut source = InMemory::new(3, 0, 0);
        source.preamble.contacts_total = Some(3);
        source.preamble.owner_time_zone = Some("Asia/Tokyo".into());
        let mut reports = Vec::new();
        let snapshot = Snapshot::fetch_reporting(&source, &mut |p| reports.push(*p));
        assert_eq!(reports[0].pages_read, 0);
        assert_eq!(reports[0].records_read, 0);
        assert_eq!(reports[0].contacts_expected, Some(3));
        assert_eq!(snapshot.owner_time_zone.as_deref(), Some("Asia/Tokyo"));
    }

    #[test]
    fn links_left_out_of_a_small_accounts_lists_are_filled_per_contact() {
        let mut source = linked(4, 6);
        source.unlinked = vec![ListKind::Contacts, ListKind::Notes];
        let snapshot = Snapshot::fetch(&source);
        assert!(snapshot.link_gaps.is_empty(), "{:?}", snapshot.link_gaps);
        assert_eq!(snapshot.contacts[2].emails[0].email, "p2@x.org");
        assert_eq!(snapshot.notes[5].contact_ids, ["c1"]);
        let asked = source.per_contact.borrow();
        assert_eq!(asked.get(&ListKind::Contacts), Some(&4));
        assert_eq!(asked.get(&ListKind::Notes), Some(&4));
        assert_eq!(asked.get(&ListKind::Reminders), None, "its links came");
        assert_eq!(snapshot.incomplete_reason(&Needs::ALL), None);
    }

    #[test]
    fn links_too_costly_to_fill_are_recorded_and_said() {
        let mut source = linked(FILL_BUDGET + 1, 2);
        source.per_page = 100;
        source.unlinked = vec![ListKind::Notes];
        let snapshot = Snapshot::fetch(&source);
        assert!(source.per_contact.borrow().is_empty(), "nothing was tried");
        assert_eq!(snapshot.link_gaps.len(), 1);
        assert_eq!(snapshot.link_gaps[0].list, ListKind::Notes);
        assert!(
            !snapshot.is_partial(),
            "what was read is all there is to read"
        );
        let reason = snapshot
            .incomplete_reason(&Needs {
                lists: &ListKind::ALL,
                links: &[ListKind::Notes],
            })
            .unwrap();
        assert!(
            reason.contains("without the contacts each note is about")
                && reason.contains("301 requests"),
            "{reason}"
        );
        assert_eq!(
            snapshot.incomplete_reason(&Needs {
                lists: &ListKind::ALL,
                links: &[ListKind::Contacts],
            }),
            None,
            "answers that need no note links are complete"
        );
    }

    #[test]
    fn a_stale_snapshot_says_how_old_it_is_to_every_answer() {
        let snapshot = Snapshot {
            served_stale: Some(std::time::Duration::from_secs(754)),
            ..Snapshot::default()
        };
        let reason = snapshot
            .incomplete_reason(&Needs {
                lists: &[],
                links: &[],
            })
            .expect("a stale snapshot says so");
        assert!(
            reason.starts_with("The account was read from Dex 12 minutes ago"),
            "{reason}"
        );
        assert_eq!(age_in_words(std::time::Duration::from_secs(1)), "1 second");
        assert_eq!(
            age_in_words(std::time::Duration::from_secs(7300)),
            "2 hours"
        );
    }

    #[test]
    fn a_list_failure_is_an_incomplete_reason_for_what_reads_it() {
        let mut source = InMemory::new(2, 6, 0);
        source.fail_from_page.insert(ListKind::Notes, 1);
        let snapshot = Snapshot::fetch(&source);
        let needs = |lists| Needs { lists, links: &[] };
        let reason = snapshot
            .incomplete_reason(&needs(&[ListKind::Notes]))
            .unwrap();
        assert!(
            reason.starts_with("The notes list could not be read in full"),
            "{reason}"
        );
        assert_eq!(
            snapshot.incomplete_reason(&needs(&[ListKind::Contacts])),
            None
        );
    }

    fn ids<T, Id: ToString + ?Sized>(records: &[Arc<T>], id: impl Fn(&T) -> &Id) -> Vec<String> {
        records.iter().map(|r| id(r).to_string()).collect()
    }

    #[test]
    fn cursor_paged_lists_are_read_in_lock_step_batches() {
        let source = InMemory::new(5, 3, 1);
        let snapshot = Snapshot::fetch(&source);
        assert!(!snapshot.is_partial());
        assert_eq!(
            ids(&snapshot.contacts, |c| &c.id),
            ["c0", "c1", "c2", "c3", "c4"]
        );
        assert_eq!(snapshot.notes.len(), 3);
        assert_eq!(snapshot.reminders.len(), 1);
        let batch_lists: Vec<Vec<ListKind>> = source
            .batch_shapes()
            .into_iter()
            .map(|b| b.into_iter().map(|(list, _)| list).collect())
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

    #[test]
    fn offset_paged_lists_ask_for_all_remaining_pages_once_the_total_is_known() {
        let mut source = InMemory::new(7, 9, 3).by_offset();
        source.with_total = vec![ListKind::Notes, ListKind::Reminders];
        let snapshot = Snapshot::fetch(&source);
        assert!(!snapshot.is_partial(), "{:?}", snapshot.failures);
        let offsets = |batch: &[(ListKind, PageAt)], list| -> Vec<u64> {
            batch
                .iter()
                .filter(|(l, _)| *l == list)
                .map(|(_, at)| match at {
                    PageAt::Start => 0,
                    PageAt::Offset(o) => *o,
                    PageAt::Cursor(c) => panic!("cursor {c}"),
                })
                .collect()
        };
        let batches = source.batch_shapes();
        assert_eq!(batches.len(), 2, "{batches:?}");
        assert_eq!(batches[0].len(), 3, "one first page per list");
        assert_eq!(offsets(&batches[1], ListKind::Notes), [2, 4, 6, 8]);
        assert_eq!(offsets(&batches[1], ListKind::Reminders), [2]);
        assert_eq!(
            offsets(&batches[1], ListKind::Contacts),
            [2, 4, 6, 8, 10, 12, 14, 16],
            "without a total, a window of pages is asked for"
        );
        assert_eq!(
            ids(&snapshot.contacts, |c| &c.id),
            ["c0", "c1", "c2", "c3", "c4", "c5", "c6"],
            "the pages past the first short one add nothing"
        );
        assert_eq!(
            ids(&snapshot.notes, |n| &n.id),
            (0..9).map(|i| format!("n{i}")).collect::<Vec<_>>()
        );
        assert_eq!(snapshot.reminders.len(), 3);
    }

    #[test]
    fn a_list_longer_than_one_window_takes_further_windows() {
        let source = InMemory::new(40, 0, 0).by_offset();
        let snapshot = Snapshot::fetch(&source);
        assert!(!snapshot.is_partial(), "{:?}", snapshot.failures);
        assert_eq!(snapshot.contacts.len(), 40);
        assert_eq!(
            ids(&snapshot.contacts, |c| &c.id)[39],
            "c39",
            "in order, none twice"
        );
        // 1 page, then windows of 8 pages of 2 from offsets 2, 18 and 34.
        assert_eq!(source.batches.borrow().len(), 4);
    }

    #[test]
    fn a_fan_out_is_bounded_per_round() {
        let mut source = InMemory::new(0, 100, 0).by_offset();
        source.per_page = 1;
        source.with_total = vec![ListKind::Notes];
        let snapshot = Snapshot::fetch(&source);
        assert_eq!(snapshot.notes.len(), 100);
        let notes_per_batch: Vec<usize> = source
            .batch_shapes()
            .iter()
            .map(|b| b.iter().filter(|(l, _)| *l == ListKind::Notes).count())
            .collect();
        assert_eq!(notes_per_batch, [1, 32, 32, 32, 3]);
    }

    #[test]
    fn a_failure_in_a_fan_out_keeps_the_pages_before_it() {
        let mut source = InMemory::new(0, 12, 0).by_offset();
        source.with_total = vec![ListKind::Notes];
        source.fail_from_page.insert(ListKind::Notes, 3);
        let snapshot = Snapshot::fetch(&source);
        assert_eq!(snapshot.failures.len(), 1);
        assert_eq!(snapshot.failures[0].list, ListKind::Notes);
        assert_eq!(snapshot.failures[0].pages_read, 3);
        assert_eq!(
            ids(&snapshot.notes, |n| &n.id),
            ["n0", "n1", "n2", "n3", "n4", "n5"],
            "no hole: nothing after the failed page is kept"
        );
    }

    #[test]
    fn a_page_shorter_than_planned_is_followed_from_where_it_ended() {
        let mut source = InMemory::new(0, 10, 0).by_offset();
        source.with_total = vec![ListKind::Notes];
        source.capped.insert((ListKind::Notes, 4), 1);
        let snapshot = Snapshot::fetch(&source);
        assert!(!snapshot.is_partial(), "{:?}", snapshot.failures);
        assert_eq!(
            ids(&snapshot.notes, |n| &n.id),
            (0..10).map(|i| format!("n{i}")).collect::<Vec<_>>(),
            "every note once, in order"
        );
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
                        next: Some(PageAt::Cursor("same".into())),
                        total: None,
                        links_missing: false,
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

    /// Answers every offset page with the offset it was asked for.
    struct Standing;

    impl AccountLists for Standing {
        fn fetch_pages(&self, requests: &[PageRequest]) -> Vec<Result<ListPage, ToolError>> {
            requests
                .iter()
                .map(|r| {
                    let at = match r.at {
                        PageAt::Offset(o) => o,
                        _ => 0,
                    };
                    Ok(ListPage {
                        items: PageItems::Notes(vec![]),
                        next: Some(PageAt::Offset(at)),
                        total: None,
                        links_missing: false,
                    })
                })
                .collect()
        }
    }

    #[test]
    fn an_offset_that_does_not_grow_ends_the_list_as_a_failure() {
        let snapshot = Snapshot::fetch(&Standing);
        assert_eq!(snapshot.failures.len(), 3);
        assert!(
            snapshot.failures[0].error.message.contains("offset 0"),
            "{}",
            snapshot.failures[0].error.message
        );
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
