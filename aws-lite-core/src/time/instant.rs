//! The compact [`Instant`] every aws-lite clock hands out.

use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};
use std::time::Duration;

/// A point on a clock's timeline: whole nanoseconds since that clock's origin.
///
/// An `Instant` is a plain `u64`, so it is `Copy`, orders and hashes cheaply, and fits in an
/// [`AtomicU64`](std::sync::atomic::AtomicU64) (see [`AtomicInstant`](crate::sync::AtomicInstant)).
/// A `u64` of nanoseconds spans more than 584 years: far beyond the longest AWS timer (a Step
/// Functions execution may last one year).
///
/// Instants from different clocks are not comparable: each clock counts from its own origin.
/// Arithmetic saturates at [`Instant::ZERO`] and [`Instant::MAX`] rather than panicking, so a
/// deadline computed from untrusted input (say `DelaySeconds = u64::MAX`) cannot bring the
/// process down.
///
/// ```
/// use std::time::Duration;
/// use aws_lite_core::time::Instant;
///
/// let t = Instant::ZERO + Duration::from_secs(30);
/// assert_eq!(t.as_nanos(), 30_000_000_000);
/// assert_eq!(t - Instant::ZERO, Duration::from_secs(30));
/// assert_eq!(Instant::ZERO - t, Duration::ZERO); // saturates
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(u64);

impl Instant {
    /// The clock's origin.
    pub const ZERO: Instant = Instant(0);
    /// The last representable instant; used as "never".
    pub const MAX: Instant = Instant(u64::MAX);

    /// The instant `nanos` nanoseconds after the origin.
    #[inline]
    pub const fn from_nanos(nanos: u64) -> Instant {
        Instant(nanos)
    }

    /// The instant `millis` milliseconds after the origin (saturating).
    #[inline]
    pub const fn from_millis(millis: u64) -> Instant {
        Instant(millis.saturating_mul(1_000_000))
    }

    /// The instant `secs` seconds after the origin (saturating).
    #[inline]
    pub const fn from_secs(secs: u64) -> Instant {
        Instant(secs.saturating_mul(1_000_000_000))
    }

    /// Nanoseconds since the origin.
    #[inline]
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// The time since the origin as a [`Duration`].
    #[inline]
    pub const fn since_origin(self) -> Duration {
        Duration::from_nanos(self.0)
    }

    /// `self + d`, or `None` if it would pass [`Instant::MAX`].
    #[inline]
    pub fn checked_add(self, d: Duration) -> Option<Instant> {
        let n = u64::try_from(d.as_nanos()).ok()?;
        self.0.checked_add(n).map(Instant)
    }

    /// `self - d`, or `None` if it would fall before the origin.
    #[inline]
    pub fn checked_sub(self, d: Duration) -> Option<Instant> {
        let n = u64::try_from(d.as_nanos()).ok()?;
        self.0.checked_sub(n).map(Instant)
    }

    /// `self + d`, clamped to [`Instant::MAX`].
    #[inline]
    pub fn saturating_add(self, d: Duration) -> Instant {
        self.checked_add(d).unwrap_or(Instant::MAX)
    }

    /// `self - d`, clamped to [`Instant::ZERO`].
    #[inline]
    pub fn saturating_sub(self, d: Duration) -> Instant {
        self.checked_sub(d).unwrap_or(Instant::ZERO)
    }

    /// The time from `earlier` to `self`, or zero if `earlier` is later.
    #[inline]
    pub const fn saturating_duration_since(self, earlier: Instant) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }

    /// The time from `earlier` to `self`, or `None` if `earlier` is later.
    #[inline]
    pub const fn checked_duration_since(self, earlier: Instant) -> Option<Duration> {
        match self.0.checked_sub(earlier.0) {
            Some(n) => Some(Duration::from_nanos(n)),
            None => None,
        }
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Instant::MAX {
            f.write_str("Instant(MAX)")
        } else {
            write!(f, "Instant({:?})", Duration::from_nanos(self.0))
        }
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    #[inline]
    fn add(self, rhs: Duration) -> Instant {
        self.saturating_add(rhs)
    }
}

impl AddAssign<Duration> for Instant {
    #[inline]
    fn add_assign(&mut self, rhs: Duration) {
        *self = *self + rhs;
    }
}

impl Sub<Duration> for Instant {
    type Output = Instant;
    #[inline]
    fn sub(self, rhs: Duration) -> Instant {
        self.saturating_sub(rhs)
    }
}

impl SubAssign<Duration> for Instant {
    #[inline]
    fn sub_assign(&mut self, rhs: Duration) {
        *self = *self - rhs;
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;
    /// Saturating: an earlier minus a later instant is zero.
    #[inline]
    fn sub(self, rhs: Instant) -> Duration {
        self.saturating_duration_since(rhs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates() {
        assert_eq!(Instant::MAX + Duration::from_secs(1), Instant::MAX);
        assert_eq!(Instant::ZERO - Duration::from_secs(1), Instant::ZERO);
        assert_eq!(Instant::ZERO + Duration::MAX, Instant::MAX);
        assert_eq!(
            Instant::from_secs(2).checked_sub(Duration::from_secs(3)),
            None
        );
        assert_eq!(
            Instant::from_secs(5).checked_duration_since(Instant::from_secs(2)),
            Some(Duration::from_secs(3))
        );
        assert_eq!(Instant::from_millis(1500).as_nanos(), 1_500_000_000);
    }
}
