//! Virtual time: the one [`Clock`] every aws-lite crate reads.
//!
//! AWS is full of timers: visibility timeouts, delay queues, retention periods, retry backoff,
//! Wait states that last a year. aws-lite never reads the ambient clock (clippy's
//! `disallowed-methods` enforces it outside this module); every crate asks a [`Clock`] for
//! [`now`](Clock::now), sleeps with [`sleep_until`](Clock::sleep_until), and turns instants into
//! epoch timestamps with [`wall`](Clock::wall).
//!
//! # Clocks
//!
//! - [`TokioClock`] (the default) follows tokio's clock. Under
//!   `#[tokio::test(start_paused = true)]`, `tokio::time::advance` moves every aws-lite crate,
//!   every tower middleware and the test's own code together, and a paused runtime jumps straight
//!   to the next timer when all tasks are idle, so a 12-hour visibility timeout passes in
//!   microseconds.
//! - [`ManualClock`] (feature `test-util`) moves only when told to. It works on multi-thread
//!   runtimes, where tokio cannot pause time.
//!
//! # Instants and wall time
//!
//! An [`Instant`] is nanoseconds since the clock's origin, one `u64`. A clock maps its instants to
//! epoch time from a single wall origin captured when the clock was made, so epoch timestamps
//! (SQS `SentTimestamp`, SNS `Timestamp`, Step Functions history dates) advance exactly with
//! virtual time:
//!
//! ```
//! use std::time::Duration;
//! use aws_lite_core::time::{Clock, SharedClock};
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() {
//! let clock = SharedClock::tokio();
//! let (t0, w0) = (clock.now(), clock.wall(clock.now()));
//! tokio::time::advance(Duration::from_secs(30)).await;
//! let t1 = clock.now();
//! assert_eq!(t1 - t0, Duration::from_secs(30));
//! assert_eq!(clock.wall(t1).duration_since(w0).unwrap(), Duration::from_secs(30));
//! # }
//! ```
//!
//! # Pure cores
//!
//! Service engines keep deadlines (`visible_at`, `delay_until`, next retry) as [`Instant`]s and
//! take `now` as an argument; a [`DeadlineHeap`] orders them. Timers only wake sleepers: the state
//! is always derived from the stored deadlines compared with `now`.

mod deadline;
mod instant;
#[cfg(any(feature = "test-util", test))]
mod manual;
mod tokio_clock;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use deadline::{DeadlineHeap, DeadlineKey};
pub use instant::Instant;
#[cfg(any(feature = "test-util", test))]
pub use manual::ManualClock;
pub use tokio_clock::TokioClock;

/// A source of time: the only way aws-lite reads or waits for time.
///
/// Implementations must be monotonic: `now` never goes backwards.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// The current instant.
    fn now(&self) -> Instant;

    /// A future that completes once [`now`](Clock::now) has reached `deadline` (at once if it
    /// already has).
    fn sleep_until(&self, deadline: Instant) -> Sleep;

    /// The wall-clock (epoch) time of `at` on this clock's timeline.
    fn wall(&self, at: Instant) -> SystemTime;

    /// Milliseconds since the Unix epoch at `at` (0 before it): [`epoch_millis`] of
    /// [`wall`](Clock::wall). A clock whose wall time is a fixed offset from its instants
    /// overrides it with that arithmetic ([`after_epoch_millis`]).
    fn epoch_millis(&self, at: Instant) -> u64 {
        epoch_millis(self.wall(at))
    }
}

/// The future returned by [`Clock::sleep_until`].
#[must_use = "a Sleep does nothing unless awaited"]
pub struct Sleep {
    inner: Pin<Box<dyn Future<Output = ()> + Send + 'static>>,
}

impl Sleep {
    /// Wraps any `Send` future as a `Sleep`; used by [`Clock`] implementations.
    pub fn new<F>(fut: F) -> Sleep
    where
        F: Future<Output = ()> + Send + 'static,
    {
        Sleep {
            inner: Box::pin(fut),
        }
    }

    /// A sleep that completes at once.
    pub fn ready() -> Sleep {
        Sleep::new(std::future::ready(()))
    }
}

impl Future for Sleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.inner.as_mut().poll(cx)
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep").finish_non_exhaustive()
    }
}

/// A cheap, cloneable handle to any [`Clock`]: what services store and hand around.
///
/// The default is a [`TokioClock`].
#[derive(Clone)]
pub struct SharedClock(Arc<dyn Clock>);

impl SharedClock {
    /// Wraps a clock.
    pub fn new<C: Clock>(clock: C) -> SharedClock {
        SharedClock(Arc::new(clock))
    }

    /// A new [`TokioClock`] whose origin is now.
    pub fn tokio() -> SharedClock {
        SharedClock::new(TokioClock::new())
    }

    /// Sleeps for `d` from now.
    pub fn sleep(&self, d: Duration) -> Sleep {
        self.0.sleep_until(self.0.now() + d)
    }

    /// Milliseconds since the Unix epoch at `at`, as SQS and SNS timestamps use.
    #[inline]
    pub fn epoch_millis(&self, at: Instant) -> u64 {
        self.0.epoch_millis(at)
    }

    /// Runs `fut` until `deadline`; see [`timeout_at`].
    pub fn timeout_at<F: Future>(&self, deadline: Instant, fut: F) -> Timeout<F> {
        timeout_at(self, deadline, fut)
    }

    /// Runs `fut` for at most `d` from now; see [`timeout_at`].
    pub fn timeout<F: Future>(&self, d: Duration, fut: F) -> Timeout<F> {
        timeout_at(self, self.0.now() + d, fut)
    }
}

impl Default for SharedClock {
    fn default() -> SharedClock {
        SharedClock::tokio()
    }
}

impl Clock for SharedClock {
    #[inline]
    fn now(&self) -> Instant {
        self.0.now()
    }
    #[inline]
    fn sleep_until(&self, deadline: Instant) -> Sleep {
        self.0.sleep_until(deadline)
    }
    #[inline]
    fn wall(&self, at: Instant) -> SystemTime {
        self.0.wall(at)
    }
    #[inline]
    fn epoch_millis(&self, at: Instant) -> u64 {
        self.0.epoch_millis(at)
    }
}

impl fmt::Debug for SharedClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SharedClock").field(&self.0).finish()
    }
}

/// Milliseconds since the Unix epoch (0 for times before it).
pub fn epoch_millis(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// How far after the Unix epoch `wall_origin` is, or `None` before it: what a clock whose
/// wall time is `wall_origin + (at - Instant::ZERO)` keeps to answer
/// [`Clock::epoch_millis`] with [`after_epoch_millis`].
pub fn since_epoch(wall_origin: SystemTime) -> Option<Duration> {
    wall_origin.duration_since(UNIX_EPOCH).ok()
}

/// [`Clock::epoch_millis`] of `at` for a clock whose [`Instant::ZERO`] is `origin` after the
/// Unix epoch ([`since_epoch`]): the same value as [`epoch_millis`] of its wall time, without
/// the system-time arithmetic.
#[inline]
pub fn after_epoch_millis(origin: Duration, at: Instant) -> u64 {
    origin.checked_add(at.since_origin()).map_or(u64::MAX, |d| {
        u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
    })
}

/// The error of a [`Timeout`] whose deadline passed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("deadline elapsed")]
pub struct Elapsed(());

pin_project_lite::pin_project! {
    /// A future bounded by a deadline on a [`Clock`]: the clock-driven replacement for
    /// `tokio::time::timeout`.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless awaited"]
    pub struct Timeout<F> {
        #[pin]
        fut: F,
        #[pin]
        sleep: Sleep,
    }
}

/// Runs `fut` until it completes or `clock` reaches `deadline`, whichever comes first. If both are
/// ready at the same poll the future's output wins.
pub fn timeout_at<C: Clock + ?Sized, F: Future>(
    clock: &C,
    deadline: Instant,
    fut: F,
) -> Timeout<F> {
    Timeout {
        fut,
        sleep: clock.sleep_until(deadline),
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(v) = this.fut.poll(cx) {
            return Poll::Ready(Ok(v));
        }
        match this.sleep.poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed(()))),
            Poll::Pending => Poll::Pending,
        }
    }
}
