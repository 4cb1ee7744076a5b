//! What an instance keeps between calls, and reaching the configured API.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use super::transport::WasiHttp;
use crate::account::{Account, AccountCache, CacheOutcome};
use crate::dex;
use crate::model;
use crate::settings::Settings;
use crate::telemetry::{Name, Reporter};

/// The event reported on every account lookup, with outcome [`HIT`] or
/// [`MISS`]: the host counts them (`dex_mcp_guest_events_total`).
const ACCOUNT_CACHE: Name = Name::new("account_cache");
const HIT: Name = Name::new("hit");
const MISS: Name = Name::new("miss");
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
pub(super) fn cached_account(settings: &Settings) -> Option<Rc<Account>> {
    let fresh = ACCOUNT.with_borrow_mut(|cache| {
        cache.set_ttl(settings.cache_ttl);
        cache.fresh(Instant::now())
    });
    if fresh.is_some() {
        Reporter::new(std::io::stderr()).event(ACCOUNT_CACHE, HIT);
    }
    fresh
}

/// The cached account, or the whole account read from Dex (all pages of
/// contacts, notes and reminders) and indexed, kept for the next calls.
///
/// Reports to the host: a hit or a miss, and on a miss the progress of the
/// read (records read of those expected, after every page) and its time.
pub(super) fn account(settings: &Settings) -> Result<Rc<Account>, model::ToolError> {
    let mut reporter = Reporter::new(std::io::stderr());
    ACCOUNT.with_borrow_mut(|cache| {
        cache.set_ttl(settings.cache_ttl);
        let (account, outcome) = cache.get_or_read(Instant::now(), || {
            let started = Instant::now();
            let lists = dex::account_lists(settings, WasiHttp);
            let snapshot =
                crate::snapshot::Snapshot::fetch_reporting(lists.as_ref(), &mut |progress| {
                    reporter.progress(progress.records_read, progress.records_expected, "records");
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

/// Applies a write's outcome to the kept account and hands back the answer
/// and summary. A write whose outcome is unknown (an upstream failure may
/// hide a saved record) or that cannot be applied (the account is shared
/// with a call still running) forgets the kept account, so the next read
/// asks Dex.
pub(super) fn record_write<T>(
    written: Result<crate::writes::Written<T>, model::ToolError>,
) -> Result<(T, String), model::ToolError> {
    ACCOUNT.with_borrow_mut(|cache| match written {
        Ok(written) => {
            match cache.kept_mut() {
                Some(account) => account.apply(written.change),
                None => cache.invalidate(),
            }
            Ok((written.answer, written.summary))
        }
        Err(error) => {
            if error.kind == model::ErrorKind::Upstream {
                cache.invalidate();
            }
            Err(error)
        }
    })
}
