//! What an instance keeps between calls, and reaching the configured API.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use super::transport::WasiHttp;
use crate::account::{Account, AccountCache, CacheOutcome};
use crate::dex;
use crate::model;
use crate::settings::{ApiGeneration, Settings};

thread_local! {
    /// The account kept between calls. The host reuses this instance for
    /// later calls (a warm instance), so what is kept here survives the
    /// call that read it; see `crate::account`.
    static ACCOUNT: RefCell<AccountCache> = RefCell::new(AccountCache::new(Duration::ZERO));
}

/// The v1 API, or a clear error for a generation this build cannot use yet
/// in `tool` (for tools whose legacy side is not written).
pub(super) fn v1_only(settings: &Settings, tool: &str) -> Result<(), model::ToolError> {
    match settings.generation {
        ApiGeneration::V1 => Ok(()),
        ApiGeneration::Legacy => Err(model::ToolError::new(
            model::ErrorKind::Validation,
            format!("DEX_API_GENERATION=legacy is not supported by {tool} yet; use v1"),
        )),
    }
}

/// The fresh cached account, if there is one, with the cache's time to
/// live set from `settings`.
pub(super) fn cached_account(settings: &Settings) -> Option<Rc<Account>> {
    ACCOUNT.with_borrow_mut(|cache| {
        cache.set_ttl(settings.cache_ttl);
        cache.fresh(Instant::now())
    })
}

/// The cached account, or the whole account read from Dex (all pages of
/// contacts, notes and reminders) and indexed, kept for the next calls.
pub(super) fn account(settings: &Settings) -> Result<Rc<Account>, model::ToolError> {
    ACCOUNT.with_borrow_mut(|cache| {
        cache.set_ttl(settings.cache_ttl);
        let (account, outcome) = cache.get_or_read(Instant::now(), || {
            let started = Instant::now();
            let lists = dex::account_lists(settings, WasiHttp);
            let snapshot = crate::snapshot::Snapshot::fetch(lists.as_ref());
            Ok::<_, model::ToolError>(Account::index(snapshot, started.elapsed()))
        })?;
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
