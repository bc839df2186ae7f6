//! [`ManualClock`]: a clock that moves only when told to.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{Clock, Instant, Sleep};
use crate::sync::{Arc, AtomicInstant, AtomicU64, Mutex, Ordering};

/// A [`Clock`] that stands still until [`advance`](ManualClock::advance) or
/// [`set`](ManualClock::set) moves it, from any thread.
///
/// Use it on multi-thread runtimes (tokio cannot pause time there) and to drive pure cores by
/// hand. Clones share one timeline. Sleepers whose deadline is reached are woken by the call that
/// moves the clock.
///
/// ```
/// use std::time::Duration;
/// use aws_lite_core::time::{Clock, ManualClock, Instant};
///
/// let clock = ManualClock::new();
/// assert_eq!(clock.now(), Instant::ZERO);
/// clock.advance(Duration::from_secs(30));
/// assert_eq!(clock.now(), Instant::from_secs(30));
/// ```
#[derive(Clone)]
pub struct ManualClock {
    inner: Arc<Inner>,
}

struct Inner {
    now: AtomicInstant,
    wall_origin: SystemTime,
    /// `wall_origin` after the Unix epoch, if it is.
    since_epoch: Option<Duration>,
    next_id: AtomicU64,
    sleepers: Mutex<BTreeMap<(Instant, u64), Waker>>,
}

impl ManualClock {
    /// A clock at [`Instant::ZERO`] whose wall origin is 2026-01-01T00:00:00Z, so runs are
    /// reproducible.
    pub fn new() -> ManualClock {
        // 2026-01-01T00:00:00Z
        ManualClock::with_wall_origin(UNIX_EPOCH + Duration::from_secs(1_767_225_600))
    }

    /// A clock at [`Instant::ZERO`] whose origin maps to `wall_origin`.
    pub fn with_wall_origin(wall_origin: SystemTime) -> ManualClock {
        ManualClock {
            inner: Arc::new(Inner {
                now: AtomicInstant::new(Instant::ZERO),
                wall_origin,
                since_epoch: super::since_epoch(wall_origin),
                next_id: AtomicU64::new(0),
                sleepers: Mutex::new(BTreeMap::new()),
            }),
        }
    }

    /// Moves the clock forward by `d` and wakes every sleeper whose deadline has been reached.
    /// Returns the new instant.
    pub fn advance(&self, d: Duration) -> Instant {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        let now = self.inner.now.advance(nanos);
        self.wake_due(now);
        now
    }

    /// Moves the clock to `t` if `t` is later than now (the clock never goes back), and wakes the
    /// sleepers that are due. Returns the instant the clock is at afterwards.
    pub fn set(&self, t: Instant) -> Instant {
        let prev = self.inner.now.fetch_max(t);
        let now = prev.max(t);
        self.wake_due(now);
        now
    }

    /// The earliest deadline anyone is sleeping until, if any.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.inner.sleepers.lock().keys().next().map(|(t, _)| *t)
    }

    /// How many sleeps are registered and not yet due (a sleep registers on its first poll).
    pub fn sleepers(&self) -> usize {
        self.inner.sleepers.lock().len()
    }

    /// Moves the clock to the earliest pending sleeper's deadline (if it is in the future) and
    /// wakes it. Returns that deadline, or `None` when nobody sleeps.
    pub fn advance_to_next(&self) -> Option<Instant> {
        let next = self.next_deadline()?;
        self.set(next);
        Some(next)
    }

    fn wake_due(&self, now: Instant) {
        let due: Vec<Waker> = {
            let mut sleepers = self.inner.sleepers.lock();
            let later = sleepers.split_off(&(now.saturating_add(Duration::from_nanos(1)), 0));
            std::mem::replace(&mut *sleepers, later)
                .into_values()
                .collect()
        };
        for w in due {
            w.wake();
        }
    }
}

impl Default for ManualClock {
    fn default() -> ManualClock {
        ManualClock::new()
    }
}

impl std::fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManualClock")
            .field("now", &self.inner.now.load())
            .finish_non_exhaustive()
    }
}

impl Clock for ManualClock {
    #[inline]
    fn now(&self) -> Instant {
        self.inner.now.load()
    }

    fn sleep_until(&self, deadline: Instant) -> Sleep {
        Sleep::new(ManualSleep {
            inner: self.inner.clone(),
            deadline,
            id: self.inner.next_id.fetch_add(1, Ordering::Relaxed),
            registered: false,
        })
    }

    fn wall(&self, at: Instant) -> SystemTime {
        self.inner.wall_origin + at.since_origin()
    }

    fn epoch_millis(&self, at: Instant) -> u64 {
        match self.inner.since_epoch {
            Some(origin) => super::after_epoch_millis(origin, at),
            None => super::epoch_millis(self.wall(at)),
        }
    }
}

struct ManualSleep {
    inner: Arc<Inner>,
    deadline: Instant,
    id: u64,
    registered: bool,
}

impl Future for ManualSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.inner.now.load() >= self.deadline {
            self.unregister();
            return Poll::Ready(());
        }
        let key = (self.deadline, self.id);
        {
            let mut sleepers = self.inner.sleepers.lock();
            // Re-check under the lock: `advance` stores the new time before it takes the lock, so
            // either we see the new time here or `advance` sees our waker.
            if self.inner.now.load() >= self.deadline {
                sleepers.remove(&key);
                drop(sleepers);
                self.registered = false;
                return Poll::Ready(());
            }
            sleepers.insert(key, cx.waker().clone());
        }
        self.registered = true;
        Poll::Pending
    }
}

impl ManualSleep {
    fn unregister(&mut self) {
        if self.registered {
            self.inner.sleepers.lock().remove(&(self.deadline, self.id));
            self.registered = false;
        }
    }
}

impl Drop for ManualSleep {
    fn drop(&mut self) {
        self.unregister();
    }
}

#[cfg(all(test, aws_lite_loom))]
mod loom_tests {
    use super::*;
    use crate::sync::AtomicBool;
    use std::task::Wake;

    struct Flag(AtomicBool);
    impl Wake for Flag {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.store(true, Ordering::Release);
        }
    }

    /// A sleeper polled concurrently with `advance` is either ready or woken: never lost.
    #[test]
    fn loom_manual_clock_never_loses_a_wakeup() {
        loom::model(|| {
            let clock = ManualClock::new();
            let flag = std::sync::Arc::new(Flag(AtomicBool::new(false)));
            let waker = Waker::from(flag.clone());
            let c2 = clock.clone();
            let mover = loom::thread::spawn(move || {
                c2.advance(Duration::from_secs(1));
            });
            let mut sleep = clock.sleep_until(Instant::from_secs(1));
            let mut cx = Context::from_waker(&waker);
            let first = Pin::new(&mut sleep).poll(&mut cx);
            mover.join().unwrap();
            if first.is_pending() {
                assert!(flag.0.load(Ordering::Acquire), "wake-up lost");
                assert!(Pin::new(&mut sleep).poll(&mut cx).is_ready());
            }
        });
    }
}

#[cfg(all(test, not(aws_lite_loom)))]
mod tests {
    use super::*;

    #[test]
    fn set_never_goes_back() {
        let c = ManualClock::new();
        c.advance(Duration::from_secs(10));
        assert_eq!(c.set(Instant::from_secs(5)), Instant::from_secs(10));
        assert_eq!(c.now(), Instant::from_secs(10));
    }

    #[test]
    fn dropped_sleep_unregisters() {
        let c = ManualClock::new();
        let waker = Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut s = c.sleep_until(Instant::from_secs(3));
        assert!(Pin::new(&mut s).poll(&mut cx).is_pending());
        assert_eq!(c.next_deadline(), Some(Instant::from_secs(3)));
        drop(s);
        assert_eq!(c.next_deadline(), None);
    }
}
