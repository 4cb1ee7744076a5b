//! What an instance keeps between calls, and reaching the configured API.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime};

use super::stored::Cause;
use super::transport::WasiHttp;
use crate::account::{Account, AccountCache, CacheOutcome, Freshness};
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

/// The outcome of a lookup answered by an account older than its time to
/// live, while the host refreshes it between calls.
const STALE: Name = Name::new("stale");

thread_local! {
    /// The account kept between calls. The host reuses this instance for
    /// later calls (a warm instance), so what is kept here survives the
    /// call that read it; see `crate::account`.
    static ACCOUNT: RefCell<AccountCache> = RefCell::new(AccountCache::new(Duration::ZERO));
    /// The stamp of the stored snapshot this instance has taken into
    /// account (stored itself, loaded, or found unreadable), so that a
    /// changed stamp (another instance or replica stored the account after
    /// reading or writing it) is noticed on the next call, and a bad value
    /// is not fetched again on every call.
    static SEEN_STAMP: Cell<Option<u32>> = const { Cell::new(None) };
}

/// The cache with this call's settings applied.
fn configure(cache: &mut AccountCache, settings: &Settings) {
    cache.set_ttl(settings.cache_ttl);
    cache.set_refreshed_by_host(settings.host_maintenance);
}

/// The usable cached account, if there is one, with the cache's time to
/// live set from `settings`.
///
/// A usable account found here answers the call, so it is reported as a
/// hit (or stale, or stored); finding none is not a miss until the account
/// is read (through [`account`]), which an email-only `find_contact` may
/// not need.
pub(crate) fn cached_account(settings: &Settings) -> Option<Rc<Account>> {
    ACCOUNT.with_borrow_mut(|cache| {
        configure(cache, settings);
        let (usable, outcome) = usable_or_stored(cache)?;
        Reporter::new(std::io::stderr()).event(ACCOUNT_CACHE, outcome);
        Some(usable)
    })
}

/// Takes up the stored snapshot when its stamp differs from the one this
/// instance has seen and it is not older than the kept one: another
/// instance or replica read or changed the account since. Whether it was
/// taken up.
///
/// In a call (`in_call`), a snapshot another instance only read again is
/// left for maintenance to bring in (new instances are prepared with it
/// beside this one) while the kept account may still answer: decoding and
/// indexing it would make this call wait. A change made by a tool is
/// taken up at once, so that every answer after a write shows it.
fn take_up_stored(cache: &mut AccountCache, now: SystemTime, in_call: bool) -> bool {
    let Some(stamp) = super::stored::current_stamp() else {
        return false;
    };
    if SEEN_STAMP.get() == Some(stamp.checksum) {
        return false;
    }
    if in_call && stamp.cause == Cause::Read && cache.usable(now).is_some() {
        return false;
    }
    SEEN_STAMP.set(Some(stamp.checksum));
    let Some(stored) = super::stored::load() else {
        return false;
    };
    SEEN_STAMP.set(Some(stored.stamp));
    // The store keeps read times to the millisecond: compare them so.
    let millis = |at: SystemTime| {
        at.duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis()
    };
    if cache
        .read_at()
        .is_some_and(|kept| millis(stored.read_at) < millis(kept))
        || cache.judge(now, stored.read_at) == Freshness::Expired
    {
        return false;
    }
    let started = Instant::now();
    let account = Account::index(stored.snapshot, Duration::ZERO);
    if !cache.adopt(now, account, stored.read_at) {
        return false;
    }
    super::stored::adopted(stored.layout);
    if let Some(account) = cache.kept() {
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
    true
}

/// The kept account if it may answer this call (after taking up a newer
/// stored one), marked with its age when stale, and the outcome to
/// report; `None` when the account must be read first.
fn usable_or_stored(cache: &mut AccountCache) -> Option<(Rc<Account>, Name)> {
    let now = SystemTime::now();
    if cache.judge(now, now) == Freshness::Expired {
        // No time to live: read on every call, stored or not.
        return None;
    }
    let took_up = take_up_stored(cache, now, true);
    let (_, freshness) = cache.usable(now)?;
    let served_stale = match freshness {
        Freshness::Stale(age) => Some(age),
        _ => None,
    };
    // Between calls nothing else holds the account, so it can be marked
    // in place; if something does, the mark from an earlier call stays,
    // which errs on the side of saying the data may be old.
    if let Some(account) = cache.kept_mut() {
        account.snapshot.served_stale = served_stale;
    }
    let outcome = match (took_up, served_stale) {
        (true, _) => STORED,
        (false, Some(_)) => STALE,
        (false, None) => HIT,
    };
    cache.usable(now).map(|(account, _)| (account, outcome))
}

/// Reads the whole account from Dex (all pages of contacts, notes and
/// reminders) and indexes it, reporting the read's progress.
fn read_from_dex(
    settings: &Settings,
    reporter: &mut Reporter<std::io::Stderr>,
) -> Result<Account, model::ToolError> {
    let started = Instant::now();
    let lists = dex::account_lists(settings, WasiHttp);
    let snapshot = crate::snapshot::Snapshot::fetch_reporting(lists.as_ref(), &mut |progress| {
        if progress.pages_read == 0 {
            // Before the first page only the number of contacts is known.
            reporter.progress(0, progress.contacts_expected, "contacts");
        } else {
            reporter.progress(progress.records_read, progress.records_expected, "records");
        }
    });
    Ok(Account::index(snapshot, started.elapsed()))
}

/// The cached account, or the whole account read from Dex and indexed,
/// kept for the next calls.
///
/// Reports to the host: a hit (stale, stored) or a miss, and on a miss the
/// progress of the read (records read of those expected, after every page)
/// and its time.
pub(crate) fn account(settings: &Settings) -> Result<Rc<Account>, model::ToolError> {
    let mut reporter = Reporter::new(std::io::stderr());
    ACCOUNT.with_borrow_mut(|cache| {
        configure(cache, settings);
        if let Some((account, outcome)) = usable_or_stored(cache) {
            reporter.event(ACCOUNT_CACHE, outcome);
            return Ok(account);
        }
        let read_at = SystemTime::now();
        let (account, outcome) =
            cache.get_or_read(read_at, || read_from_dex(settings, &mut reporter))?;
        match outcome {
            CacheOutcome::Hit => reporter.event(ACCOUNT_CACHE, HIT),
            CacheOutcome::Miss => {
                reporter.event(ACCOUNT_CACHE, MISS);
                reporter.timing(ACCOUNT_READ, account.build_time);
            }
        }
        if outcome == CacheOutcome::Miss {
            if account.snapshot.is_partial() {
                // The account the stored layout was of is no longer kept.
                super::stored::forget_layout();
            } else {
                store(&account.snapshot, read_at, Cause::Read);
            }
            let stats = cache.stats();
            log_read(&account, stats.hits, stats.misses);
        }
        Ok(account)
    })
}

/// Stores `snapshot`, saved for `cause`, and remembers its stamp as seen.
fn store(snapshot: &crate::snapshot::Snapshot, read_at: SystemTime, cause: Cause) {
    if let Some(stamp) = super::stored::save(snapshot, read_at, cause) {
        SEEN_STAMP.set(Some(stamp));
    }
}

/// The host logs the guest's stderr: one line per account read.
fn log_read(account: &Account, hits: u64, misses: u64) {
    let snapshot = &account.snapshot;
    eprintln!(
        "dex-guest: account read in {} ms: {} contacts, {} notes, {} reminders{}; cache hits {hits}, misses {misses}",
        account.build_time.as_millis(),
        snapshot.contacts.len(),
        snapshot.notes.len(),
        snapshot.reminders.len(),
        if snapshot.is_partial() {
            " (partial, not kept)"
        } else {
            ""
        },
    );
}

/// What [`due`] found, for `wit/maintenance.wit`'s `schedule`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Schedule {
    /// New instances should be prepared now.
    pub due: bool,
    /// When nothing is due: seconds until it is next worth asking.
    pub next_in_seconds: Option<u32>,
    /// Why, for the operator.
    pub reason: String,
}

/// What [`prepare`] did, for `wit/maintenance.wit`'s `preparation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Preparation {
    /// `None` when it failed.
    pub outcome: Option<Prepared>,
    /// What was done, or why it failed.
    pub summary: String,
}

/// How a new instance got its account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prepared {
    /// From the store, where another instance or process put it.
    Loaded,
    /// From Dex.
    Refreshed,
}

/// Whether this instance's account should be replaced by new instances'
/// (`wit/maintenance.wit`): it is past its time to live, or another
/// instance or process stored a newer one. Only looks: one small read of
/// the stored stamp.
pub(crate) fn due(settings: &Settings) -> Schedule {
    ACCOUNT.with_borrow_mut(|cache| {
        configure(cache, settings);
        let now = SystemTime::now();
        let Some(read_at) = cache.read_at() else {
            return Schedule {
                due: false,
                next_in_seconds: None,
                reason: "no account kept yet".into(),
            };
        };
        if settings.cache_ttl.is_zero() {
            return Schedule {
                due: false,
                next_in_seconds: None,
                reason: "nothing kept between calls (cache TTL 0)".into(),
            };
        }
        let age = now.duration_since(read_at).unwrap_or_default();
        if age >= settings.cache_ttl {
            return Schedule {
                due: true,
                next_in_seconds: None,
                reason: format!("the account was read {} s ago", age.as_secs()),
            };
        }
        if let Some(stamp) = super::stored::current_stamp()
            && SEEN_STAMP.get() != Some(stamp.checksum)
        {
            return Schedule {
                due: true,
                next_in_seconds: None,
                reason: "another instance stored a newer account".into(),
            };
        }
        let left = settings.cache_ttl - age;
        Schedule {
            due: false,
            next_in_seconds: Some(left.as_secs().clamp(1, u64::from(u32::MAX)) as u32),
            reason: format!("the account is fresh for {} s more", left.as_secs()),
        }
    })
}

/// Gets a new instance's account ready before it serves calls: the stored
/// one while it is fresh (another instance or process read it, maybe the
/// first instance prepared in this round), else the account read from Dex
/// and stored for the others.
pub(crate) fn prepare(settings: &Settings) -> Preparation {
    let mut reporter = Reporter::new(std::io::stderr());
    ACCOUNT.with_borrow_mut(|cache| {
        configure(cache, settings);
        let started = Instant::now();
        let now = SystemTime::now();
        if take_up_stored(cache, now, false)
            && cache
                .read_at()
                .is_some_and(|read_at| cache.judge(now, read_at) == Freshness::Fresh)
        {
            // Prepared instances serve searches at once too.
            if let Some(account) = cache.kept() {
                account.build_search_index();
            }
            return Preparation {
                outcome: Some(Prepared::Loaded),
                summary: format!(
                    "took up the stored account in {} ms",
                    started.elapsed().as_millis()
                ),
            };
        }
        let read_at = SystemTime::now();
        let account = match read_from_dex(settings, &mut reporter) {
            Ok(account) if !account.snapshot.is_partial() => account,
            Ok(partial) => {
                return Preparation {
                    outcome: None,
                    summary: format!(
                        "the account could not be read in full: {}",
                        partial.snapshot.failures[0].error.message
                    ),
                };
            }
            Err(error) => {
                return Preparation {
                    outcome: None,
                    summary: format!("the account could not be read: {}", error.message),
                };
            }
        };
        reporter.event(ACCOUNT_CACHE, MISS);
        reporter.timing(ACCOUNT_READ, account.build_time);
        store(&account.snapshot, read_at, Cause::Read);
        let summary = format!(
            "read the account from Dex in {} ms: {} contacts, {} notes, {} reminders",
            account.build_time.as_millis(),
            account.snapshot.contacts.len(),
            account.snapshot.notes.len(),
            account.snapshot.reminders.len(),
        );
        account.build_search_index();
        cache.adopt(read_at, account, read_at);
        Preparation {
            outcome: Some(Prepared::Refreshed),
            summary,
        }
    })
}

/// `ids` with the names the kept account has for them; without a kept
/// account the names are absent (a write does not read the whole account
/// just to name its contacts).
pub(crate) fn contact_refs(ids: &[model::CompactText]) -> Vec<ContactRef> {
    ACCOUNT.with_borrow(|cache| {
        ids.iter()
            .map(|id| ContactRef {
                id: id.to_string(),
                full_name: cache.kept().and_then(|account| {
                    account
                        .contacts
                        .iter()
                        .find(|c| *id == c.id)
                        .map(|c| c.full_name.clone())
                }),
            })
            .collect()
    })
}

/// Applies a write's outcome to the kept account and hands back the answer
/// and summary. A write whose outcome is unknown (an upstream failure may
/// hide a saved record), that is unsettled (a batch with lost answers), or
/// that cannot be applied (the account is shared with a call still
/// running) forgets the kept account, so the next read asks Dex.
pub(crate) fn record_write<T>(
    written: Result<crate::writes::Written<T>, model::ToolError>,
) -> Result<(T, String), model::ToolError> {
    ACCOUNT.with_borrow_mut(|cache| match written {
        // Nothing was written: the kept account already shows it.
        Ok(written) if written.change == crate::account::AccountChange::Replayed => {
            Ok((written.answer, written.summary))
        }
        Ok(written) => {
            let read_at = cache.read_at();
            let settled = written.change != crate::account::AccountChange::Unsettled;
            match (cache.kept_mut(), read_at) {
                (Some(account), Some(read_at)) if settled => {
                    account.apply(written.change);
                    // The stored copy stays as current as this one.
                    store(&account.snapshot, read_at, Cause::Write);
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
