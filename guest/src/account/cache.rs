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

/// How long past its time to live an account may still answer calls while
/// the host refreshes it between calls. A day: a host that was stopped
/// longer than that (a laptop over a weekend) reads the account again
/// before answering, rather than show days-old data.
pub const MAX_STALENESS: Duration = Duration::from_secs(24 * 60 * 60);

/// Whether an account of some age may answer a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Younger than the time to live.
    Fresh,
    /// Older than the time to live, but the host refreshes it between
    /// calls ([`AccountCache::set_refreshed_by_host`]): answer from it and
    /// say how old it is (the age).
    Stale(Duration),
    /// Too old to answer from: read it again first.
    Expired,
}

/// At most one account, with the time it was read.
pub struct AccountCache {
    ttl: Duration,
    /// Whether the host runs maintenance rounds, which makes a stale
    /// account usable (see [`Freshness::Stale`]).
    refreshed_by_host: bool,
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
            refreshed_by_host: false,
            kept: None,
            stats: CacheStats::default(),
        }
    }

    /// Changes the time to live (the setting is read on every call).
    pub fn set_ttl(&mut self, ttl: Duration) {
        self.ttl = ttl;
    }

    /// Says whether the host refreshes the account between calls.
    pub fn set_refreshed_by_host(&mut self, refreshed: bool) {
        self.refreshed_by_host = refreshed;
    }

    /// How usable an account read at `read_at` is at `now`. With no time
    /// to live (read on every call) nothing is usable, stale or not.
    pub fn judge(&self, now: SystemTime, read_at: SystemTime) -> Freshness {
        let age = age(now, read_at);
        if age < self.ttl {
            Freshness::Fresh
        } else if self.refreshed_by_host && !self.ttl.is_zero() && age < self.ttl + MAX_STALENESS {
            Freshness::Stale(age)
        } else {
            Freshness::Expired
        }
    }

    /// The kept account and how usable it is at `now`, unless it is
    /// expired or there is none.
    pub fn usable(&self, now: SystemTime) -> Option<(Rc<Account>, Freshness)> {
        let (account, read_at) = self.kept.as_ref()?;
        match self.judge(now, *read_at) {
            Freshness::Expired => None,
            freshness => Some((account.clone(), freshness)),
        }
    }

    /// The kept account if it is still fresh at `now`.
    pub fn fresh(&self, now: SystemTime) -> Option<Rc<Account>> {
        match &self.kept {
            Some((account, read_at)) if age(now, *read_at) < self.ttl => Some(account.clone()),
            _ => None,
        }
    }

    /// Keeps `account`, read from Dex at `read_at` (by this instance or,
    /// stored, by another), if it is complete and not expired at `now`
    /// ([`Self::judge`]); whether it was kept.
    pub fn adopt(&mut self, now: SystemTime, account: Account, read_at: SystemTime) -> bool {
        if account.snapshot.is_partial() || self.judge(now, read_at) == Freshness::Expired {
            return false;
        }
        self.kept = Some((Rc::new(account), read_at));
        true
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
    fn a_stale_account_answers_only_while_the_host_refreshes_it_and_for_a_day() {
        let mut cache = AccountCache::new(Duration::from_secs(300));
        let t0 = SystemTime::now();
        let read_at = t0 - Duration::from_secs(400);
        assert_eq!(cache.judge(t0, read_at), Freshness::Expired);
        assert!(!cache.adopt(t0, account(false), read_at), "expired");
        cache.set_refreshed_by_host(true);
        assert_eq!(
            cache.judge(t0, read_at),
            Freshness::Stale(Duration::from_secs(400))
        );
        assert!(cache.adopt(t0, account(false), read_at));
        assert!(matches!(cache.usable(t0), Some((_, Freshness::Stale(_)))));
        assert!(cache.fresh(t0).is_none(), "fresh stays strict");
        let late = read_at + Duration::from_secs(300) + MAX_STALENESS;
        assert_eq!(cache.judge(late, read_at), Freshness::Expired);
        assert!(cache.usable(late).is_none());
        cache.set_ttl(Duration::ZERO);
        assert_eq!(
            cache.judge(t0, t0),
            Freshness::Expired,
            "read on every call"
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
