//! [`TokioClock`]: the default clock, following tokio's (pausable) clock.

use std::time::{Duration, SystemTime};

use super::{Clock, Instant, Sleep};

/// The default [`Clock`]: follows `tokio::time`, so paused time and `tokio::time::advance` move it.
///
/// Its origin is the tokio instant at which it was made, and its wall origin the system time at
/// that moment (or one you give with [`with_wall_origin`](TokioClock::with_wall_origin)); both
/// advance together, so epoch timestamps follow virtual time. Make the clock inside the runtime
/// whose time it should follow.
#[derive(Debug, Clone)]
pub struct TokioClock {
    origin: tokio::time::Instant,
    wall_origin: SystemTime,
    /// `wall_origin` after the Unix epoch, if it is.
    since_epoch: Option<Duration>,
}

impl TokioClock {
    /// A clock whose origin is now and whose wall origin is the current system time.
    #[allow(clippy::disallowed_methods)] // the one place that reads the ambient clocks
    pub fn new() -> TokioClock {
        let wall_origin = SystemTime::now();
        TokioClock {
            origin: tokio::time::Instant::now(),
            wall_origin,
            since_epoch: super::since_epoch(wall_origin),
        }
    }

    /// A clock whose origin is now and whose [`Instant::ZERO`] maps to `wall_origin`: gives
    /// reproducible epoch timestamps.
    #[allow(clippy::disallowed_methods)]
    pub fn with_wall_origin(wall_origin: SystemTime) -> TokioClock {
        TokioClock {
            origin: tokio::time::Instant::now(),
            wall_origin,
            since_epoch: super::since_epoch(wall_origin),
        }
    }

    fn to_tokio(&self, at: Instant) -> tokio::time::Instant {
        // Far-future deadlines saturate at roughly 30 years, which tokio can represent.
        const FAR: Duration = Duration::from_secs(86_400 * 365 * 30);
        let d = at.since_origin().min(FAR);
        self.origin.checked_add(d).unwrap_or(self.origin + FAR)
    }
}

impl Default for TokioClock {
    fn default() -> TokioClock {
        TokioClock::new()
    }
}

impl Clock for TokioClock {
    #[inline]
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> Instant {
        let d = tokio::time::Instant::now().saturating_duration_since(self.origin);
        Instant::from_nanos(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
    }

    #[allow(clippy::disallowed_methods)]
    fn sleep_until(&self, deadline: Instant) -> Sleep {
        if deadline == Instant::MAX {
            return Sleep::new(std::future::pending());
        }
        Sleep::new(tokio::time::sleep_until(self.to_tokio(deadline)))
    }

    fn wall(&self, at: Instant) -> SystemTime {
        self.wall_origin + at.since_origin()
    }

    #[inline]
    fn epoch_millis(&self, at: Instant) -> u64 {
        match self.since_epoch {
            Some(origin) => super::after_epoch_millis(origin, at),
            None => super::epoch_millis(self.wall(at)),
        }
    }
}
