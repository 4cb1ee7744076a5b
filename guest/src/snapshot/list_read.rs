//! Where the reading of one list stands, and which pages to ask for next.
//!
//! A cursor-paged list (v1) can only ask for the page after the last one
//! read. An offset-paged list (legacy) knows, once one page told it how
//! many records a page brings, where every later page starts: with the
//! total Dex reported it asks for all the remaining pages at once (up to
//! [`MAX_FAN_OUT`] a round); without one (legacy contacts) it asks for a
//! window of [`SPECULATIVE_PAGES`] and stops at the first short page.

use std::sync::Arc;

use super::progress::Tally;
use super::{ListFailure, Snapshot};
use crate::dex::{ListKind, ListPage, PageAt, PageItems, PageRequest};
use crate::model::{ErrorKind, ToolError};

/// More pages than this in one list means a cursor that never ends (a
/// thousand per page makes it ten million records); stop and say so
/// rather than loop.
pub(super) const MAX_PAGES_PER_LIST: usize = 10_000;

/// Most pages of one list asked for in one round: bounds the answers held
/// in memory at once (a page of a thousand notes is a few hundred KB).
pub(super) const MAX_FAN_OUT: u64 = 32;

/// Pages asked for past the last one read when the list's size is unknown.
/// The pages past the end answer empty; eight is what the transport keeps
/// in flight, so a window costs one round trip whatever its length.
pub(super) const SPECULATIVE_PAGES: u64 = 8;

/// What a round's answers did to a list.
pub(super) enum Outcome {
    /// More to read.
    Going,
    /// Read to its end.
    Done,
    /// Stopped by an error; the pages before it are kept.
    Failed(ListFailure),
}

/// One list being read.
pub(super) struct ListRead {
    list: ListKind,
    /// Where the next page starts.
    at: PageAt,
    pages_read: usize,
    /// Records per page: the most an offset page followed by another brought.
    step: Option<u64>,
    /// The list's size, when Dex said.
    total: Option<u64>,
}

impl ListRead {
    /// A list not read yet.
    pub(super) fn new(list: ListKind) -> Self {
        Self {
            list,
            at: PageAt::Start,
            pages_read: 0,
            step: None,
            total: None,
        }
    }

    /// The pages to ask for this round, in order.
    pub(super) fn requests(&self) -> Vec<PageRequest> {
        let page = |at| PageRequest {
            list: self.list,
            at,
        };
        match (&self.at, self.step) {
            (PageAt::Offset(start), Some(step)) if step > 0 => {
                let start = *start;
                let count = match self.total {
                    Some(total) => total.saturating_sub(start).div_ceil(step).max(1),
                    None => SPECULATIVE_PAGES,
                }
                .min(MAX_FAN_OUT);
                (0..count)
                    .map(|k| page(PageAt::Offset(start + k * step)))
                    .collect()
            }
            (at, _) => vec![page(at.clone())],
        }
    }

    /// Takes the answers to [`ListRead::requests`], in order, into
    /// `snapshot`, reporting each page to `tally`.
    ///
    /// Answers are taken while each page starts where the one before it
    /// ended: a page that brought fewer records than planned leaves the
    /// later ones out, to be asked again from the right place next round.
    pub(super) fn take(
        &mut self,
        requests: &[PageRequest],
        answers: Vec<Result<ListPage, ToolError>>,
        snapshot: &mut Snapshot,
        tally: &mut Tally,
        report: &mut dyn FnMut(&super::FetchProgress),
    ) -> Outcome {
        for (request, answer) in requests.iter().zip(answers) {
            if request.at != self.at {
                return Outcome::Going;
            }
            let page = match answer {
                Ok(page) => page,
                Err(error) => {
                    tally.finished(self.list);
                    report(&tally.progress());
                    return Outcome::Failed(ListFailure {
                        list: self.list,
                        pages_read: self.pages_read,
                        error,
                    });
                }
            };
            self.pages_read += 1;
            self.total = page.total.or(self.total);
            tally.page_read(self.list, &page);
            let next = page.next.clone();
            keep(snapshot, page.items);
            let Some(next) = next else {
                tally.finished(self.list);
                report(&tally.progress());
                return Outcome::Done;
            };
            let refusal = if self.pages_read >= MAX_PAGES_PER_LIST {
                Some(format!(
                    "Dex kept answering with more pages of {} after {MAX_PAGES_PER_LIST}; the rest was not read",
                    self.list.noun()
                ))
            } else if !moves_on(&self.at, &next) {
                Some(format!(
                    "Dex answered the same {} page twice ({}); the rest was not read",
                    self.list.noun(),
                    describe(&next)
                ))
            } else {
                None
            };
            if let Some(message) = refusal {
                tally.finished(self.list);
                report(&tally.progress());
                return Outcome::Failed(ListFailure {
                    list: self.list,
                    pages_read: self.pages_read,
                    error: ToolError::new(ErrorKind::Upstream, message),
                });
            }
            report(&tally.progress());
            let from = match self.at {
                PageAt::Start => Some(0),
                PageAt::Offset(from) => Some(from),
                PageAt::Cursor(_) => None,
            };
            // The largest page seen: one short page in the middle (records
            // deleted while reading) must not shrink the pages asked later.
            if let (Some(from), PageAt::Offset(to)) = (from, &next) {
                self.step = Some(self.step.unwrap_or(0).max(to - from));
            }
            self.at = next;
        }
        Outcome::Going
    }
}

/// Whether a page that started at `at` and answered `next` as its
/// successor let the list advance (a cursor must change, an offset grow).
fn moves_on(at: &PageAt, next: &PageAt) -> bool {
    match (at, next) {
        (PageAt::Offset(from), PageAt::Offset(to)) => to > from,
        (PageAt::Start, PageAt::Offset(to)) => *to > 0,
        (_, PageAt::Start) => false,
        (at, next) => at != next,
    }
}

fn describe(at: &PageAt) -> String {
    match at {
        PageAt::Start => "the first page".to_owned(),
        PageAt::Cursor(cursor) => format!("cursor `{cursor}`"),
        PageAt::Offset(offset) => format!("offset {offset}"),
    }
}

fn keep(snapshot: &mut Snapshot, items: PageItems) {
    match items {
        PageItems::Contacts(c) => snapshot.contacts.extend(c.into_iter().map(Arc::new)),
        PageItems::Notes(n) => snapshot.notes.extend(n.into_iter().map(Arc::new)),
        PageItems::Reminders(r) => snapshot.reminders.extend(r.into_iter().map(Arc::new)),
    }
}
