//! The std/loom synchronization facade.
//!
//! Every hand-written synchronization in aws-lite names its primitives through this module, never
//! `std::sync` directly. Built with `RUSTFLAGS="--cfg aws_lite_loom"` the same names resolve to
//! [loom](https://docs.rs/loom)'s model-checked types, and the `loom_*` tests beside each structure
//! explore every interleaving (`LOOM_MAX_PREEMPTIONS=2 cargo test --release --lib -- loom_`).
//!
//! The cfg is aws-lite's own (`aws_lite_loom`), not `loom`: tokio changes its runtime under
//! `--cfg loom`, which aws-lite must not do.
//!
//! [`Mutex`] ignores poisoning: a panic while a lock is held (for example in a user's handler run
//! under [`catch_unwind`](std::panic::catch_unwind)) must not make a queue or topic unusable, and
//! the code holding aws-lite's locks never leaves a structure half-updated across a panic point.

use std::fmt;

use crate::time::Instant;

#[cfg(not(aws_lite_loom))]
pub use std::sync::Arc;
#[cfg(not(aws_lite_loom))]
pub use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

#[cfg(aws_lite_loom)]
pub use loom::sync::Arc;
#[cfg(aws_lite_loom)]
pub use loom::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

#[cfg(not(aws_lite_loom))]
use std::sync as imp;

#[cfg(aws_lite_loom)]
use loom::sync as imp;

/// A mutual-exclusion lock that ignores poisoning (std's, or loom's under `aws_lite_loom`).
pub struct Mutex<T: ?Sized>(imp::Mutex<T>);

/// The guard of a locked [`Mutex`].
pub type MutexGuard<'a, T> = imp::MutexGuard<'a, T>;

impl<T> Mutex<T> {
    /// A new unlocked mutex holding `value`.
    pub fn new(value: T) -> Mutex<T> {
        Mutex(imp::Mutex::new(value))
    }

    /// Consumes the mutex, returning its value.
    pub fn into_inner(self) -> T {
        match self.0.into_inner() {
            Ok(v) => v,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Locks the mutex, blocking the thread until it is free. A poisoned lock is taken anyway.
    pub fn lock(&self) -> MutexGuard<'_, T> {
        match self.0.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Mutex<T> {
        Mutex::new(T::default())
    }
}

impl<T: ?Sized> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mutex").finish_non_exhaustive()
    }
}

/// An [`Instant`] that can be read and moved forward from many threads without a lock.
///
/// Stores only ever move forward ([`fetch_max`](AtomicInstant::fetch_max)), so readers see a
/// monotonic timeline.
pub struct AtomicInstant(AtomicU64);

impl AtomicInstant {
    /// A new atomic instant holding `t`.
    pub fn new(t: Instant) -> AtomicInstant {
        AtomicInstant(AtomicU64::new(t.as_nanos()))
    }

    /// Reads the instant (acquire).
    #[inline]
    pub fn load(&self) -> Instant {
        Instant::from_nanos(self.0.load(Ordering::Acquire))
    }

    /// Moves the instant to `t` if `t` is later; returns the previous value.
    #[inline]
    pub fn fetch_max(&self, t: Instant) -> Instant {
        Instant::from_nanos(self.0.fetch_max(t.as_nanos(), Ordering::AcqRel))
    }

    /// Adds `nanos` (saturating) and returns the new value.
    pub fn advance(&self, nanos: u64) -> Instant {
        let mut cur = self.0.load(Ordering::Acquire);
        loop {
            let next = cur.saturating_add(nanos);
            match self
                .0
                .compare_exchange_weak(cur, next, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => return Instant::from_nanos(next),
                Err(actual) => cur = actual,
            }
        }
    }
}

impl fmt::Debug for AtomicInstant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AtomicInstant").field(&self.load()).finish()
    }
}

#[cfg(all(test, aws_lite_loom))]
mod loom_tests {
    use super::*;

    #[test]
    fn loom_atomic_instant_is_monotonic_under_races() {
        loom::model(|| {
            let t = Arc::new(AtomicInstant::new(Instant::ZERO));
            let t1 = t.clone();
            let a = loom::thread::spawn(move || {
                t1.advance(5);
                t1.load()
            });
            let t2 = t.clone();
            let b = loom::thread::spawn(move || {
                t2.fetch_max(Instant::from_nanos(3));
                t2.load()
            });
            let seen_a = a.join().unwrap();
            let seen_b = b.join().unwrap();
            let end = t.load();
            // Each thread's own effect is visible to it afterwards, and nothing is lost.
            assert!(seen_a.as_nanos() >= 5);
            assert!(seen_b.as_nanos() >= 3);
            assert!(end.as_nanos() == 5 || end.as_nanos() == 8, "end = {end:?}");
            assert!(end >= seen_a && end >= seen_b);
        });
    }
}
