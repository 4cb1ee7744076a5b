//! What an instance keeps between calls, and reaching the configured API.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime};

use super::transport::WasiHttp;
use crate::account::{Account, AccountCache, CacheOutcome};
use crate::dex;
use crate::history::ContactRef;
use crate::model;
use crate::settings::Settings;
use crate::telemetry::{Name, Reporter};

/// The event reported on every account lookup, with outcome [`HIT`] or
/// [`MISS`]: the host counts them (`dex_mcp_guest_events_total`).
const ACCOUNT_CACHE: Name = Name::new("account_cache");
const HIT: Name = Name::new("hit");
const MISS: Name = Name::new("miss");
/// The outcome of a lookup answered by the account another instance or
/// process stored (`wasi:keyvalue`), without reading Dex.
const STORED: Name = Name::new("stored");
/// The timing reported after each account read: reading every list and
/// indexing it (`dex_mcp_guest_timing_seconds`).
const ACCOUNT_READ: Name = Name::new("account_read");

thread_local! {
    /// The account kept between calls. The host reuses this instance for
    /// later calls (a warm instance), so what is kept here survives the
    /// call that read it; see `crate::account`.
    static ACCOUNT: RefCell<AccountCache> = RefCell::new(AccountCache::new(Duration::ZERO));
}

/// The fresh cached account, if there is one, with the cache's time to
/// live set from `settings`.
///
/// A fresh account found here answers the call, so it is reported as a
/// hit; finding none is not a miss until the account is read (through
/// [`account`]), which an email-only `find_contact` may not need.
pub(crate) fn cached_account(settings: &Settings) -> Option<Rc<Account>> {
    ACCOUNT.with_borrow_mut(|cache| {
        cache.set_ttl(settings.cache_ttl);
        let (fresh, outcome) = fresh_or_stored(cache);
        if let Some(outcome) = outcome {
            Reporter::new(std::io::stderr()).event(ACCOUNT_CACHE, outcome);
        }
        fresh
    })
}

/// The fresh kept account, or else the stored one if it is fresh (kept
/// from now on), with the outcome to report; `(None, None)` when neither.
fn fresh_or_stored(cache: &mut AccountCache) -> (Option<Rc<Account>>, Option<Name>) {
    let now = SystemTime::now();
    if let Some(account) = cache.fresh(now) {
        return (Some(account), Some(HIT));
    }
    // With no time to live (read on every call) nothing stored is fresh:
    // not even worth reading.
    if !cache.is_fresh(now, now) {
        return (None, None);
    }
    let Some(stored) = super::stored::load() else {
        return (None, None);
    };
    if !cache.is_fresh(now, stored.read_at) {
        return (None, None);
    }
    let started = Instant::now();
    let account = Account::index(stored.snapshot, Duration::ZERO);
    if !cache.adopt(now, account, stored.read_at) {
        return (None, None);
    }
    let account = cache.fresh(now);
    if let Some(account) = &account {
        eprintln!(
            "dex-guest: stored account loaded and indexed in {} ms: {} contacts, {} notes, {} reminders, read from Dex {} s ago",
            started.elapsed().as_millis(),
            account.snapshot.contacts.len(),
            account.snapshot.notes.len(),
            account.snapshot.reminders.len(),
            now.duration_since(stored.read_at)
                .unwrap_or_default()
                .as_secs(),
        );
    }
    (account, Some(STORED))
}

/// The cached account, or the whole account read from Dex (all pages of
/// contacts, notes and reminders) and indexed, kept for the next calls.
///
/// Reports to the host: a hit or a miss, and on a miss the progress of the
/// read (records read of those expected, after every page) and its time.
pub(crate) fn account(settings: &Settings) -> Result<Rc<Account>, model::ToolError> {
    let mut reporter = Reporter::new(std::io::stderr());
    ACCOUNT.with_borrow_mut(|cache| {
        cache.set_ttl(settings.cache_ttl);
        if let (Some(account), Some(outcome)) = fresh_or_stored(cache) {
            reporter.event(ACCOUNT_CACHE, outcome);
            return Ok(account);
        }
        let read_at = SystemTime::now();
        let (account, outcome) = cache.get_or_read(read_at, || {
            let started = Instant::now();
            let lists = dex::account_lists(settings, WasiHttp);
            let snapshot =
                crate::snapshot::Snapshot::fetch_reporting(lists.as_ref(), &mut |progress| {
                    if progress.pages_read == 0 {
                        // Before the first page only the number of
                        // contacts is known.
                        reporter.progress(0, progress.contacts_expected, "contacts");
                    } else {
                        reporter.progress(
                            progress.records_read,
                            progress.records_expected,
                            "records",
                        );
                    }
                });
            Ok::<_, model::ToolError>(Account::index(snapshot, started.elapsed()))
        })?;
        match outcome {
            CacheOutcome::Hit => reporter.event(ACCOUNT_CACHE, HIT),
            CacheOutcome::Miss => {
                reporter.event(ACCOUNT_CACHE, MISS);
                reporter.timing(ACCOUNT_READ, account.build_time);
            }
        }
        if outcome == CacheOutcome::Miss {
            if !account.snapshot.is_partial() {
                super::stored::save(&account.snapshot, read_at);
            }
            let stats = cache.stats();
            let snapshot = &account.snapshot;
            // The host logs the guest's stderr: one line per account read.
            eprintln!(
                "dex-guest: account read in {} ms: {} contacts, {} notes, {} reminders{}; cache hits {}, misses {}",
                account.build_time.as_millis(),
                snapshot.contacts.len(),
                snapshot.notes.len(),
                snapshot.reminders.len(),
                if snapshot.is_partial() { " (partial, not kept)" } else { "" },
                stats.hits,
                stats.misses,
            );
        }
        Ok(account)
    })
}

/// `ids` with the names the kept account has for them; without a kept
/// account the names are absent (a write does not read the whole account
/// just to name its contacts).
pub(crate) fn contact_refs(ids: &[String]) -> Vec<ContactRef> {
    ACCOUNT.with_borrow(|cache| {
        ids.iter()
            .map(|id| ContactRef {
                id: id.clone(),
                full_name: cache.kept().and_then(|account| {
                    account
                        .contacts
                        .iter()
                        .find(|c| &c.id == id)
                        .map(|c| c.full_name.clone())
                }),
            })
            .collect()
    })
}

/// Applies a write's outcome to the kept account and hands back the answer
/// and summary. A write whose outcome is unknown (an upstream failure may
/// hide a saved record) or that cannot be applied (the account is shared
/// with a call still running) forgets the kept account, so the next read
/// asks Dex.
pub(crate) fn record_write<T>(
    written: Result<crate::writes::Written<T>, model::ToolError>,
) -> Result<(T, String), model::ToolError> {
    ACCOUNT.with_borrow_mut(|cache| match written {
        Ok(written) => {
            let read_at = cache.read_at();
            match (cache.kept_mut(), read_at) {
                (Some(account), Some(read_at)) => {
                    account.apply(written.change);
                    // The stored copy stays as current as this one.
                    super::stored::save(&account.snapshot, read_at);
                }
                _ => {
                    cache.invalidate();
                    super::stored::discard();
                }
            }
            Ok((written.answer, written.summary))
        }
        Err(error) => {
            if error.kind == model::ErrorKind::Upstream {
                cache.invalidate();
                super::stored::discard();
            }
            Err(error)
        }
    })
}
