//! The seam between `find_contact` and wherever contacts come from: a live
//! listing from Dex today, a cached account snapshot later.

use std::sync::Arc;

use super::index::ContactMatcher;
use crate::dex::{AccountLists, ContactRepository, ListKind, PageItems, PageRequest};
use crate::model::{Contact, EmailAddress, ErrorKind, ToolError};

/// Where the contact resolver gets the account's contacts.
///
/// Kept to what matching needs so that a snapshot cache can implement it
/// without knowing the matcher's internals: the whole list, whether that
/// list is at hand without asking Dex, and Dex's own exact-email search for
/// the one query that needs no list.
pub trait ContactDirectory {
    /// Every contact of the account, shared. May page through Dex when no
    /// snapshot is held, which for a large account costs many requests.
    fn all_contacts(&self) -> Result<Arc<[Arc<Contact>]>, ToolError>;

    /// Whether [`ContactDirectory::all_contacts`] would answer without
    /// asking Dex. When it would not, an email-only query uses
    /// [`ContactDirectory::find_by_email`] instead of listing the account.
    fn has_snapshot(&self) -> bool;

    /// The contacts that have `email` among their addresses, exact after
    /// folding, found without listing the account.
    fn find_by_email(&self, email: &EmailAddress) -> Result<Vec<Contact>, ToolError>;

    /// A matcher over [`ContactDirectory::all_contacts`]. A snapshot cache
    /// should override this to build the matcher once per snapshot rather
    /// than once per call.
    fn matcher(&self) -> Result<Arc<ContactMatcher>, ToolError> {
        Ok(Arc::new(ContactMatcher::new(&self.all_contacts()?)))
    }
}

/// A directory with no snapshot: lists the account's contacts from Dex on
/// every call, and answers email-only queries with Dex's search.
///
/// This is what `find_contact` uses until the account snapshot is cached
/// between calls; listing costs one request per hundred contacts.
pub struct LiveDirectory<L, R> {
    lists: L,
    repository: R,
}

/// More contact pages than this means a cursor that never ends.
const MAX_CONTACT_PAGES: usize = 10_000;

impl<L: AccountLists, R: ContactRepository> LiveDirectory<L, R> {
    /// Lists through `lists`, searches by email through `repository`.
    pub fn new(lists: L, repository: R) -> Self {
        Self { lists, repository }
    }
}

impl<L: AccountLists, R: ContactRepository> ContactDirectory for LiveDirectory<L, R> {
    fn all_contacts(&self) -> Result<Arc<[Arc<Contact>]>, ToolError> {
        let mut contacts: Vec<Arc<Contact>> = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_CONTACT_PAGES {
            let request = PageRequest {
                list: ListKind::Contacts,
                cursor: cursor.clone(),
            };
            let page = self
                .lists
                .fetch_pages(std::slice::from_ref(&request))
                .pop()
                .unwrap_or_else(|| {
                    Err(ToolError::new(
                        ErrorKind::Upstream,
                        "the list reader gave no answer for a page of contacts",
                    ))
                })?;
            if let PageItems::Contacts(items) = page.items {
                contacts.extend(items.into_iter().map(Arc::new));
            }
            match page.next_cursor {
                Some(next) if cursor.as_ref() != Some(&next) => cursor = Some(next),
                _ => return Ok(contacts.into()),
            }
        }
        Err(ToolError::new(
            ErrorKind::Upstream,
            format!("Dex kept answering with more pages of contacts after {MAX_CONTACT_PAGES}"),
        ))
    }

    fn has_snapshot(&self) -> bool {
        false
    }

    fn find_by_email(&self, email: &EmailAddress) -> Result<Vec<Contact>, ToolError> {
        self.repository.find_by_email(email)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::dex::ListPage;
    use crate::model::ContactId;

    /// Serves three contacts two a page and records the cursors asked for.
    struct TwoPerPage {
        cursors: RefCell<Vec<Option<String>>>,
    }

    impl AccountLists for TwoPerPage {
        fn fetch_pages(&self, requests: &[PageRequest]) -> Vec<Result<ListPage, ToolError>> {
            requests
                .iter()
                .map(|r| {
                    assert_eq!(r.list, ListKind::Contacts, "only contacts are listed");
                    self.cursors.borrow_mut().push(r.cursor.clone());
                    let (ids, next): (&[&str], _) = match r.cursor.as_deref() {
                        None => (&["a", "b"], Some("p2".to_owned())),
                        _ => (&["c"], None),
                    };
                    Ok(ListPage {
                        items: PageItems::Contacts(
                            ids.iter()
                                .map(|id| Contact {
                                    id: (*id).into(),
                                    ..Contact::default()
                                })
                                .collect(),
                        ),
                        next_cursor: next,
                    })
                })
                .collect()
        }
    }

    struct NoSearch;

    impl ContactRepository for NoSearch {
        fn find_by_email(&self, _: &EmailAddress) -> Result<Vec<Contact>, ToolError> {
            Ok(vec![])
        }
        fn get(&self, id: &ContactId) -> Result<Contact, ToolError> {
            Err(ToolError::new(ErrorKind::NotFound, format!("no {id}")))
        }
    }

    #[test]
    fn live_directory_pages_through_every_contact() {
        let lists = TwoPerPage {
            cursors: RefCell::new(vec![]),
        };
        let directory = LiveDirectory::new(lists, NoSearch);
        let ids: Vec<String> = directory
            .all_contacts()
            .unwrap()
            .iter()
            .map(|c| c.id.clone())
            .collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(
            *directory.lists.cursors.borrow(),
            [None, Some("p2".to_owned())]
        );
        assert!(!directory.has_snapshot());
    }
}
