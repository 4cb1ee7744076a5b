//! Keeping one [`Account`] for its time to live.

use std::rc::Rc;
use std::time::{Duration, SystemTime};

use super::Account;

/// Whether a call was answered from the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOutcome {
    /// The kept account was fresh.
    Hit,
    /// The account was read from Dex for this call.
    Miss,
}

/// Counts since the instance started, for logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Calls answered from the cache.
    pub hits: u64,
    /// Calls that read the account.
    pub misses: u64,
}

/// At most one account, with the time it was read.
pub struct AccountCache {
    ttl: Duration,
    /// The account and when it was read from Dex: wall-clock time, since a
    /// stored account may have been read by another process.
    kept: Option<(Rc<Account>, SystemTime)>,
    stats: CacheStats,
}

impl AccountCache {
    /// A cache that keeps an account for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            kept: None,
            stats: CacheStats::default(),
        }
    }

    /// Changes the time to live (the setting is read on every call).
    pub fn set_ttl(&mut self, ttl: Duration) {
        self.ttl = ttl;
    }

    /// The kept account if it is still fresh at `now`.
    pub fn fresh(&self, now: SystemTime) -> Option<Rc<Account>> {
        match &self.kept {
            Some((account, read_at)) if age(now, *read_at) < self.ttl => Some(account.clone()),
            _ => None,
        }
    }

    /// Keeps `account`, read from Dex at `read_at` (by this instance or,
    /// stored, by another), if it is complete and still fresh at `now`;
    /// whether it was kept.
    pub fn adopt(&mut self, now: SystemTime, account: Account, read_at: SystemTime) -> bool {
        if account.snapshot.is_partial() || !self.is_fresh(now, read_at) {
            return false;
        }
        self.kept = Some((Rc::new(account), read_at));
        true
    }

    /// Whether an account read at `read_at` is fresh at `now`: what to ask
    /// before loading a stored one at all.
    pub fn is_fresh(&self, now: SystemTime, read_at: SystemTime) -> bool {
        age(now, read_at) < self.ttl
    }

    /// When the kept account was read from Dex.
    pub fn read_at(&self) -> Option<SystemTime> {
        self.kept.as_ref().map(|(_, read_at)| *read_at)
    }

    /// The fresh account, or a new one from `read`, which is kept unless
    /// its snapshot is partial.
    pub fn get_or_read<E>(
        &mut self,
        now: SystemTime,
        read: impl FnOnce() -> Result<Account, E>,
    ) -> Result<(Rc<Account>, CacheOutcome), E> {
        if let Some(account) = self.fresh(now) {
            self.stats.hits += 1;
            return Ok((account, CacheOutcome::Hit));
        }
        self.stats.misses += 1;
        self.kept = None;
        let account = Rc::new(read()?);
        if !account.snapshot.is_partial() {
            self.kept = Some((account.clone(), now));
        }
        Ok((account, CacheOutcome::Miss))
    }

    /// The kept account, fresh or not: what names the contacts of a write's
    /// answer without reading Dex again.
    pub fn kept(&self) -> Option<&Account> {
        self.kept.as_ref().map(|(account, _)| &**account)
    }

    /// Mutable access to the kept account, to apply a write made through
    /// the tools; `None` when nothing is kept (the next read sees the write
    /// anyway) or the account is shared with a call still running.
    pub fn kept_mut(&mut self) -> Option<&mut Account> {
        self.kept
            .as_mut()
            .and_then(|(account, _)| Rc::get_mut(account))
    }

    /// Forgets the kept account, when a write cannot be applied to it.
    pub fn invalidate(&mut self) {
        self.kept = None;
    }

    /// Hits and misses so far.
    pub fn stats(&self) -> CacheStats {
        self.stats
    }
}

/// How long ago `read_at` was; a clock set back makes it none.
fn age(now: SystemTime, read_at: SystemTime) -> Duration {
    now.duration_since(read_at).unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::dex::ListKind;
    use crate::model::{ErrorKind, ToolError};
    use crate::snapshot::{ListFailure, Snapshot};

    fn account(partial: bool) -> Account {
        let mut snapshot = Snapshot::default();
        if partial {
            snapshot.failures.push(ListFailure {
                list: ListKind::Notes,
                pages_read: 1,
                error: ToolError::new(ErrorKind::Upstream, "boom"),
            });
        }
        Account::index(snapshot, Duration::ZERO)
    }

    #[test]
    fn a_fresh_account_is_read_once() {
        let mut cache = AccountCache::new(Duration::from_secs(300));
        let reads = Cell::new(0);
        let t0 = SystemTime::now();
        let read = || -> Result<Account, ()> {
            reads.set(reads.get() + 1);
            Ok(account(false))
        };
        assert_eq!(cache.get_or_read(t0, read).unwrap().1, CacheOutcome::Miss);
        assert_eq!(
            cache
                .get_or_read(t0 + Duration::from_secs(299), read)
                .unwrap()
                .1,
            CacheOutcome::Hit
        );
        assert_eq!(reads.get(), 1);
        assert_eq!(cache.stats(), CacheStats { hits: 1, misses: 1 });
    }

    #[test]
    fn an_expired_account_is_read_again() {
        let mut cache = AccountCache::new(Duration::from_secs(300));
        let t0 = SystemTime::now();
        cache
            .get_or_read(t0, || Ok::<_, ()>(account(false)))
            .unwrap();
        let (_, outcome) = cache
            .get_or_read(t0 + Duration::from_secs(300), || {
                Ok::<_, ()>(account(false))
            })
            .unwrap();
        assert_eq!(outcome, CacheOutcome::Miss);
    }

    #[test]
    fn a_partial_snapshot_serves_its_call_but_is_not_kept() {
        let mut cache = AccountCache::new(Duration::from_secs(300));
        let t0 = SystemTime::now();
        let (account, _) = cache
            .get_or_read(t0, || Ok::<_, ()>(account(true)))
            .unwrap();
        assert!(account.snapshot.is_partial());
        assert!(cache.fresh(t0).is_none());
    }

    #[test]
    fn a_failed_read_keeps_nothing_and_reports_the_error() {
        let mut cache = AccountCache::new(Duration::from_secs(300));
        let t0 = SystemTime::now();
        cache
            .get_or_read(t0, || Ok::<_, ()>(account(false)))
            .unwrap();
        cache.invalidate();
        assert_eq!(
            cache.get_or_read(t0, || Err::<Account, _>("down")).err(),
            Some("down")
        );
        assert!(cache.fresh(t0).is_none());
    }

    #[test]
    fn a_stored_account_is_adopted_only_while_fresh_and_complete() {
        let mut cache = AccountCache::new(Duration::from_secs(300));
        let t0 = SystemTime::now();
        let read_at = t0 - Duration::from_secs(200);
        assert!(!cache.adopt(t0, account(true), read_at), "partial");
        assert!(!cache.adopt(t0 + Duration::from_secs(100), account(false), read_at));
        assert!(cache.adopt(t0, account(false), read_at));
        assert_eq!(cache.read_at(), Some(read_at));
        assert!(cache.fresh(t0 + Duration::from_secs(99)).is_some());
        assert!(
            cache.fresh(t0 + Duration::from_secs(100)).is_none(),
            "its age counts from the read"
        );
    }

    #[test]
    fn the_kept_account_can_be_changed_in_place() {
        let mut cache = AccountCache::new(Duration::from_secs(300));
        let t0 = SystemTime::now();
        let (held, _) = cache
            .get_or_read(t0, || Ok::<_, ()>(account(false)))
            .unwrap();
        assert!(cache.kept_mut().is_none(), "shared with a running call");
        drop(held);
        assert!(cache.kept_mut().is_some());
    }
}
