//! Warm instances: stores kept alive between calls so that what a guest
//! keeps in its memory (the account snapshot and its indexes) survives from
//! one call to the next.
//!
//! Why not a fresh instance per call: the guest's state is a few tens of
//! megabytes of parsed records and indexes. Rebuilding it per call means
//! re-reading the whole account from Dex (seconds); keeping it in host
//! storage means copying and decoding it per call (milliseconds per call at
//! 10,000 contacts). A warm instance answers from memory; the measurements
//! are in docs/benchmarks.md.
//!
//! The rules that keep this safe:
//! - at most `size` instances exist; a call waits for one rather than
//!   starting another cold one;
//! - an instance whose call trapped, timed out or ran out of memory is
//!   dropped, never reused;
//! - a call that may write (a tool not marked read-only) moves the pool to
//!   a new generation; other instances, whose caches no longer show that
//!   write, are dropped when next drawn instead of answering stale data.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use tokio::sync::{Semaphore, SemaphorePermit};

/// An instance (in the host: a store and its instance) and the generation
/// its state reflects.
pub struct Warm<T> {
    /// The instance.
    pub instance: T,
    generation: u64,
}

/// The warm instances of one component. Generic over what an instance is,
/// so that its rules are tested without a runtime.
pub struct InstancePool<T> {
    permits: Semaphore,
    idle: Mutex<Vec<Warm<T>>>,
    generation: AtomicU64,
    in_use: AtomicUsize,
    size: usize,
}

/// The right to run one call; holding it is holding one of the `size`
/// instance slots.
pub struct Slot<'a, T> {
    _permit: SemaphorePermit<'a>,
    pool: &'a InstancePool<T>,
}

impl<T> InstancePool<T> {
    /// A pool of at most `size` instances (at least one).
    pub fn new(size: usize) -> Self {
        Self {
            permits: Semaphore::new(size.max(1)),
            idle: Mutex::new(Vec::new()),
            generation: AtomicU64::new(0),
            in_use: AtomicUsize::new(0),
            size: size.max(1),
        }
    }

    /// Waits for a free slot.
    pub async fn slot(&self) -> Slot<'_, T> {
        let permit = self
            .permits
            .acquire()
            .await
            .expect("the pool's semaphore is never closed");
        self.in_use.fetch_add(1, Ordering::Relaxed);
        Slot {
            _permit: permit,
            pool: self,
        }
    }

    /// Calls running now.
    pub fn in_use(&self) -> usize {
        self.in_use.load(Ordering::Relaxed)
    }

    /// Instances kept warm now.
    pub fn idle(&self) -> usize {
        self.idle.lock().expect("pool lock").len()
    }

    /// The current generation, to hand to [`Self::install`] later.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Instances that exist now (idle, and running calls), at most the
    /// pool's size.
    pub fn instances(&self) -> usize {
        (self.idle() + self.in_use()).min(self.size)
    }

    /// Makes `ready` (instances prepared outside the pool with newer data)
    /// the ones the next calls draw, unless a call wrote since `since`
    /// (then they may not show that write and are dropped; `false`).
    /// The instances they replace are dropped: the idle ones now, the
    /// busy ones when their calls end.
    pub fn install(&self, ready: Vec<T>, since: u64) -> bool {
        let mut idle = self.idle.lock().expect("pool lock");
        if self
            .generation
            .compare_exchange(since, since + 1, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return false;
        }
        idle.clear();
        idle.extend(ready.into_iter().map(|instance| Warm {
            instance,
            generation: since + 1,
        }));
        true
    }
}

impl<T> Slot<'_, T> {
    /// An idle instance of the current generation, if there is one. Stale
    /// ones met on the way are dropped.
    pub fn take_warm(&self) -> Option<Warm<T>> {
        let current = self.pool.generation.load(Ordering::Acquire);
        let mut idle = self.pool.idle.lock().expect("pool lock");
        idle.retain(|warm| warm.generation == current);
        idle.pop()
    }

    /// Wraps a newly created instance; its state is as fresh as it gets.
    pub fn adopt(&self, instance: T) -> Warm<T> {
        Warm {
            instance,
            generation: self.pool.generation.load(Ordering::Acquire),
        }
    }

    /// Returns an instance after a call that completed. `wrote` says the
    /// call may have changed data: the pool moves to a new generation that
    /// only this instance, which made the change, belongs to.
    pub fn give_back(&self, mut warm: Warm<T>, wrote: bool) {
        if wrote {
            warm.generation = self.pool.generation.fetch_add(1, Ordering::AcqRel) + 1;
        } else if warm.generation != self.pool.generation.load(Ordering::Acquire) {
            // Another call wrote while this one ran; this state may be stale.
            return;
        }
        self.pool.idle.lock().expect("pool lock").push(warm);
    }
}

impl<T> Drop for Slot<'_, T> {
    fn drop(&mut self) {
        self.pool.in_use.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_instance_given_back_is_drawn_again() {
        let pool = InstancePool::new(1);
        let slot = pool.slot().await;
        assert!(slot.take_warm().is_none());
        let warm = slot.adopt("first");
        slot.give_back(warm, false);
        drop(slot);
        let slot = pool.slot().await;
        assert_eq!(slot.take_warm().map(|w| w.instance), Some("first"));
    }

    #[tokio::test]
    async fn a_write_makes_other_idle_instances_stale() {
        let pool = InstancePool::new(2);
        let (a, b) = (pool.slot().await, pool.slot().await);
        let (reader, writer) = (a.adopt("reader"), b.adopt("writer"));
        a.give_back(reader, false);
        b.give_back(writer, true);
        drop((a, b));
        let slot = pool.slot().await;
        assert_eq!(slot.take_warm().map(|w| w.instance), Some("writer"));
        assert!(
            slot.take_warm().is_none(),
            "the reader's state predates the write"
        );
        assert_eq!(pool.idle(), 0);
    }

    #[tokio::test]
    async fn an_instance_that_ran_during_a_write_is_not_kept() {
        let pool = InstancePool::new(2);
        let (a, b) = (pool.slot().await, pool.slot().await);
        let (reader, writer) = (a.adopt("reader"), b.adopt("writer"));
        b.give_back(writer, true);
        a.give_back(reader, false);
        assert_eq!(pool.idle(), 1);
    }

    #[tokio::test]
    async fn installed_instances_replace_idle_and_busy_ones() {
        let pool = InstancePool::new(2);
        let (a, b) = (pool.slot().await, pool.slot().await);
        let (old_idle, old_busy) = (a.adopt("old idle"), b.adopt("old busy"));
        a.give_back(old_idle, false);
        drop(a);
        let since = pool.generation();
        assert!(pool.install(vec!["new"], since));
        b.give_back(old_busy, false);
        drop(b);
        let slot = pool.slot().await;
        assert_eq!(slot.take_warm().map(|w| w.instance), Some("new"));
        assert!(slot.take_warm().is_none(), "the old ones are gone");
    }

    #[tokio::test]
    async fn a_write_while_instances_were_prepared_keeps_them_out() {
        let pool = InstancePool::new(1);
        let since = pool.generation();
        let slot = pool.slot().await;
        let writer = slot.adopt("writer");
        slot.give_back(writer, true);
        drop(slot);
        assert!(!pool.install(vec!["prepared"], since));
        let slot = pool.slot().await;
        assert_eq!(slot.take_warm().map(|w| w.instance), Some("writer"));
    }

    #[tokio::test]
    async fn slots_are_bounded_and_counted() {
        let pool: InstancePool<()> = InstancePool::new(1);
        let slot = pool.slot().await;
        assert_eq!(pool.in_use(), 1);
        let waiting = tokio::time::timeout(std::time::Duration::from_millis(50), pool.slot()).await;
        assert!(
            waiting.is_err(),
            "a second slot was granted while the only one is taken"
        );
        drop(slot);
        assert_eq!(pool.in_use(), 0);
        assert!(
            tokio::time::timeout(std::time::Duration::from_secs(5), pool.slot())
                .await
                .is_ok()
        );
    }
}
