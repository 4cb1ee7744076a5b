//! `find_contact`'s view of the cached account.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use super::Account;
use crate::dex::ContactRepository;
use crate::matching::{ContactDirectory, ContactMatcher};
use crate::model::{Contact, EmailAddress, ToolError};
use crate::snapshot::Needs;

/// Contacts from the cached account, read on first need.
///
/// An email-only query with no fresh account uses Dex's own email search
/// (one request) instead of reading the whole account; any other query
/// reads the account once and keeps it for the calls after.
pub struct AccountDirectory<'a, R> {
    fresh: Option<Rc<Account>>,
    read: &'a dyn Fn() -> Result<Rc<Account>, ToolError>,
    /// The account once read for this call.
    used: RefCell<Option<Rc<Account>>>,
    repository: R,
}

impl<'a, R: ContactRepository> AccountDirectory<'a, R> {
    /// A directory over `fresh` (the cached account, if any), reading the
    /// account with `read` when it is needed and missing.
    pub fn new(
        fresh: Option<Rc<Account>>,
        read: &'a dyn Fn() -> Result<Rc<Account>, ToolError>,
        repository: R,
    ) -> Self {
        Self {
            fresh,
            read,
            used: RefCell::new(None),
            repository,
        }
    }

    fn account(&self) -> Result<Rc<Account>, ToolError> {
        if let Some(account) = self.fresh.as_ref().or(self.used.borrow().as_ref()) {
            return Ok(account.clone());
        }
        let account = (self.read)()?;
        self.used.replace(Some(account.clone()));
        Ok(account)
    }

    /// Why an answer given from the account may miss something of what
    /// it `needs`; `None` also when the account was not used (an email
    /// looked up with Dex's own search).
    pub fn incomplete_reason(&self, needs: &Needs) -> Option<String> {
        let used = self.used.borrow();
        self.fresh
            .as_ref()
            .or(used.as_ref())?
            .snapshot
            .incomplete_reason(needs)
    }
}

impl<R: ContactRepository> ContactDirectory for AccountDirectory<'_, R> {
    fn all_contacts(&self) -> Result<Arc<[Arc<Contact>]>, ToolError> {
        Ok(self.account()?.contacts.clone())
    }

    /// A kept account whose contacts came without their emails and
    /// phones cannot answer an email exactly; Dex's own lookup can.
    fn has_snapshot(&self) -> bool {
        self.fresh.as_ref().is_some_and(|account| {
            !account
                .snapshot
                .link_gaps
                .iter()
                .any(|gap| gap.list == crate::dex::ListKind::Contacts)
        })
    }

    fn find_by_email(&self, email: &EmailAddress) -> Result<Vec<Contact>, ToolError> {
        self.repository.find_by_email(email)
    }

    fn matcher(&self) -> Result<Arc<ContactMatcher>, ToolError> {
        Ok(self.account()?.matcher.clone())
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::time::Duration;

    use super::*;
    use crate::model::ContactId;
    use crate::snapshot::Snapshot;
    use crate::tools::contacts::{FindContactArgs, find_contact};

    struct NoSearch;

    impl ContactRepository for NoSearch {
        fn find_by_email(&self, _: &EmailAddress) -> Result<Vec<Contact>, ToolError> {
            Ok(vec![])
        }
        fn get(&self, _: &ContactId) -> Result<Contact, ToolError> {
            unreachable!("find_contact never gets by id")
        }
    }

    fn ada_account() -> Rc<Account> {
        let ada = Contact {
            id: "c1".into(),
            full_name: "Ada Lovelace".into(),
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            ..Contact::default()
        };
        let snapshot = Snapshot {
            contacts: vec![Arc::new(ada)],
            ..Snapshot::default()
        };
        Rc::new(Account::index(snapshot, Duration::ZERO))
    }

    #[test]
    fn a_name_query_reads_the_account_once_and_uses_its_matcher() {
        let reads = Cell::new(0);
        let read = || {
            reads.set(reads.get() + 1);
            Ok(ada_account())
        };
        let directory = AccountDirectory::new(None, &read, NoSearch);
        let args = FindContactArgs {
            name: Some("Ada Lovelce".into()),
            ..Default::default()
        };
        let found = find_contact(&directory, &args).unwrap();
        assert_eq!(found.matches[0].contact.id, "c1");
        assert_eq!(reads.get(), 1);
    }

    #[test]
    fn a_cached_account_is_not_read_again() {
        let read =
            || -> Result<Rc<Account>, ToolError> { panic!("the account was read although cached") };
        let directory = AccountDirectory::new(Some(ada_account()), &read, NoSearch);
        let args = FindContactArgs {
            name: Some("Ada".into()),
            ..Default::default()
        };
        assert_eq!(find_contact(&directory, &args).unwrap().matches.len(), 1);
    }

    #[test]
    fn an_email_query_without_a_cache_does_not_read_the_account() {
        let read = || -> Result<Rc<Account>, ToolError> {
            panic!("the whole account was read for one email")
        };
        let directory = AccountDirectory::new(None, &read, NoSearch);
        let args = FindContactArgs {
            email: Some("ada@example.com".into()),
            ..Default::default()
        };
        assert!(find_contact(&directory, &args).unwrap().matches.is_empty());
    }
}
