//! Retry backoff schedules shared by every service: Step Functions retriers and SNS delivery
//! policies, as pure functions of the retry number.
//!
//! A schedule answers one question: *how long to wait before retry `k`* (`k` counts from 1; the
//! initial attempt is not a retry), or `None` once the retries are exhausted. Nothing here reads a
//! clock or sleeps: a service's pure core adds the delay to `now` and stores the deadline, and its
//! driver sleeps on the [`Clock`](crate::Clock). Jitter draws from the seeded [`Rand`] handed in,
//! so a replayed test waits exactly as long as the run it replays.
//!
//! Two shapes cover the services aws-lite reproduces:
//!
//! | type | AWS feature | shape |
//! |---|---|---|
//! | [`Backoff`] | Step Functions `Retry` (`IntervalSeconds`, `BackoffRate`, `MaxAttempts`, `MaxDelaySeconds`, `JitterStrategy`) | `initial × rate^(k−1)`, capped |
//! | [`PhasedBackoff`] | SNS delivery policies (`healthyRetryPolicy`) | four phases: immediate, pre-backoff, backoff, post-backoff |
//!
//! Both implement [`RetryPolicy`], and both offer [`delay`](Backoff::delay) and an iterator over
//! the whole schedule, [`schedule`](Backoff::schedule).
//!
//! # Exponential backoff (Step Functions)
//!
//! A Step Functions retrier waits `IntervalSeconds × BackoffRate^(attempt−1)` before retry
//! `attempt`, makes at most `MaxAttempts` retries (`0` means never retry), and never waits longer
//! than `MaxDelaySeconds` when that is set. [`Backoff::default()`] holds the ASL defaults:
//! `IntervalSeconds` 1, `BackoffRate` 2.0, `MaxAttempts` 3, no cap, no jitter.
//!
//! ```
//! use std::time::Duration;
//! use aws_lite_core::Rand;
//! use aws_lite_core::retry::Backoff;
//!
//! let secs = Duration::from_secs;
//! let rand = Rand::seeded(1);
//! // "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 4
//! let retrier = Backoff::new(secs(3), 2.0, 4);
//! let waits: Vec<Duration> = retrier.schedule(&rand).collect();
//! assert_eq!(waits, [secs(3), secs(6), secs(12), secs(24)]);
//! assert_eq!(retrier.delay(5, &rand), None); // exhausted: the error goes to Catch
//!
//! // ... with "MaxDelaySeconds": 10
//! let capped = retrier.max_delay(secs(10));
//! assert_eq!(capped.schedule(&rand).collect::<Vec<_>>(), [secs(3), secs(6), secs(10), secs(10)]);
//!
//! // "MaxAttempts": 0 never retries.
//! assert_eq!(Backoff::new(secs(3), 2.0, 0).schedule(&rand).count(), 0);
//! ```
//!
//! # Phased backoff (SNS delivery policies)
//!
//! SNS retries a failed delivery through four phases, in this order:
//!
//! 1. **Immediate** (`numNoDelayRetries`): retries with no delay.
//! 2. **Pre-backoff** (`numMinDelayRetries`): retries `minDelayTarget` apart.
//! 3. **Backoff** (`numRetries` minus the three other counts): the delay goes from
//!    `minDelayTarget` (first retry of the phase) to `maxDelayTarget` (last retry of the phase)
//!    following `backoffFunction`.
//! 4. **Post-backoff** (`numMaxDelayRetries`): retries `maxDelayTarget` apart.
//!
//! `numRetries` is the total over all four phases. [`PhasedBackoff`] holds the same fields under
//! generic names:
//!
//! | SNS `healthyRetryPolicy` field | [`PhasedBackoff`] field | SNS default |
//! |---|---|---|
//! | `numRetries` | [`retries`](PhasedBackoff::retries) | 3 |
//! | `numNoDelayRetries` | [`no_delay_retries`](PhasedBackoff::no_delay_retries) | 0 |
//! | `numMinDelayRetries` | [`min_delay_retries`](PhasedBackoff::min_delay_retries) | 0 |
//! | `numMaxDelayRetries` | [`max_delay_retries`](PhasedBackoff::max_delay_retries) | 0 |
//! | `minDelayTarget` (seconds) | [`min_delay`](PhasedBackoff::min_delay) | 20 s |
//! | `maxDelayTarget` (seconds) | [`max_delay`](PhasedBackoff::max_delay) | 20 s |
//! | `backoffFunction` | [`function`](PhasedBackoff::function) (serde: `"linear"` …) | `linear` |
//!
//! The default HTTP/S policy is therefore three retries, 20 seconds apart. SNS's documentation
//! works one example: with `maxDelayTarget` raised to 40 the three linear retries wait 20, 30 and
//! 40 seconds.
//!
//! ```
//! use std::time::Duration;
//! use aws_lite_core::Rand;
//! use aws_lite_core::retry::{PhasedBackoff, Phase};
//!
//! let secs = Duration::from_secs;
//! let rand = Rand::seeded(1);
//! let policy = PhasedBackoff::sns_http_default();
//! assert_eq!(policy.schedule(&rand).collect::<Vec<_>>(), [secs(20); 3]);
//!
//! let policy = policy.max_delay(secs(40));
//! assert_eq!(policy.schedule(&rand).collect::<Vec<_>>(), [secs(20), secs(30), secs(40)]);
//!
//! // The policy SNS applies to SQS and Lambda endpoints: 3 immediate retries, 2 one second
//! // apart, 10 backing off from 1 s to 20 s, then 100,000 twenty seconds apart.
//! let managed = PhasedBackoff::sns_aws_managed();
//! assert_eq!(managed.phase(3), Some(Phase::Immediate));
//! assert_eq!(managed.delay(4, &rand), Some(secs(1)));
//! assert_eq!(managed.phase(15), Some(Phase::Backoff));
//! assert_eq!(managed.delay(15, &rand), Some(secs(20)));
//! assert_eq!(managed.delay(100_015, &rand), Some(secs(20)));
//! assert_eq!(managed.delay(100_016, &rand), None);
//! ```
//!
//! # Backoff functions
//!
//! SNS documents the four backoff functions only by name and by a graph (10 retries from 5 s to
//! 260 s), and states two fixed points: the first retry of the backoff phase waits
//! `minDelayTarget` and the last waits `maxDelayTarget`. The exact formulas are not public.
//! aws-lite uses one family that honours both fixed points, is monotonic between them, and puts
//! the four names in order from least to most back-loaded, each taking the meaning its name has
//! for a progression. For retry `i` of `n` in the backoff phase (`i` from 0; `m = n − 1`), the
//! delay is `min + (max − min) · f(i)` with:
//!
//! | [`BackoffFunction`] | `f(i)` | the sequence of delays |
//! |---|---|---|
//! | `Linear` | `i / m` | delays grow by a constant step (SNS's worked example: 20, 30, 40) |
//! | `Arithmetic` | `i(i+1) / (m(m+1))` | the *steps* grow as an arithmetic progression (1, 2, 3, … units) |
//! | `Geometric` | delay is `min · (max/min)^(i/m)` | consecutive delays have a constant ratio |
//! | `Exponential` | `(2^i − 1) / (2^m − 1)` | the steps double, as in classic binary exponential backoff |
//!
//! A phase of one retry waits `min`. Geometric needs `min > 0`; with a zero minimum it follows
//! the exponential shape. With SNS's graph parameters (5 s → 260 s over 10 retries), rounded to
//! the second:
//!
//! | retry | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 |
//! |---|---|---|---|---|---|---|---|---|---|---|
//! | linear | 5 | 33 | 62 | 90 | 118 | 147 | 175 | 203 | 232 | 260 |
//! | arithmetic | 5 | 11 | 22 | 39 | 62 | 90 | 124 | 164 | 209 | 260 |
//! | geometric | 5 | 8 | 12 | 19 | 29 | 45 | 70 | 108 | 168 | 260 |
//! | exponential | 5 | 5 | 6 | 8 | 12 | 20 | 36 | 68 | 132 | 260 |
//!
//! # Jitter
//!
//! [`Jitter::Full`] replaces a computed delay `d` with a uniform draw from `[0, d)`: Step
//! Functions' `"JitterStrategy": "FULL"`, which AWS describes as a random number between 0 and
//! the computed backoff (after the `MaxDelaySeconds` cap). [`Jitter::None`] keeps `d`. SNS says it
//! applies jitter to delivery retries without saying how; [`PhasedBackoff`]'s presets use
//! [`Jitter::None`] so schedules are exact, and a service may opt in to [`Jitter::Full`].
//!
//! ```
//! use std::time::Duration;
//! use aws_lite_core::Rand;
//! use aws_lite_core::retry::{Backoff, Jitter};
//!
//! let retrier = Backoff::new(Duration::from_secs(3), 2.0, 4).jitter(Jitter::Full);
//! let a: Vec<Duration> = retrier.schedule(&Rand::seeded(7)).collect();
//! let b: Vec<Duration> = retrier.schedule(&Rand::seeded(7)).collect();
//! assert_eq!(a, b); // same seed, same waits
//! assert!(a.iter().zip(Backoff::new(Duration::from_secs(3), 2.0, 4).schedule(&Rand::seeded(7)))
//!     .all(|(jittered, full)| *jittered < full));
//! ```
//!
//! # Bad input
//!
//! Nothing here panics. Delays are computed in floating point and rounded to the nanosecond;
//! results beyond [`Duration::MAX`] saturate to it, and a NaN or negative
//! [`rate`](Backoff::rate) behaves as 1.0 (a constant delay).

use std::iter::FusedIterator;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::rand::Rand;

/// How a computed delay is randomized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum Jitter {
    /// The computed delay exactly (ASL `"JitterStrategy": "NONE"`, the default).
    #[default]
    None,
    /// A uniform draw from `[0, delay)` (ASL `"JitterStrategy": "FULL"`).
    Full,
}

impl Jitter {
    /// Applies this jitter to `delay`, drawing from `rand` only when it randomizes.
    pub fn apply(self, delay: Duration, rand: &Rand) -> Duration {
        match self {
            Jitter::None => delay,
            Jitter::Full => full_jitter(delay, rand),
        }
    }
}

/// Uniform in `[0, delay)`, to the nanosecond; zero for a zero delay.
fn full_jitter(delay: Duration, rand: &Rand) -> Duration {
    let nanos = delay.as_nanos();
    if nanos == 0 {
        return Duration::ZERO;
    }
    match u64::try_from(nanos) {
        Ok(n) => Duration::from_nanos(rand.below(n)),
        Err(_) => {
            // Beyond ~584 years: draw the fraction in floating point and keep it below `delay`.
            let d = duration_from_nanos_f64(nanos as f64 * rand.next_f64());
            if d >= delay {
                delay.saturating_sub(Duration::from_nanos(1))
            } else {
                d
            }
        }
    }
}

/// `x` nanoseconds, rounded to the nearest nanosecond; NaN and negatives are zero, overflow
/// saturates to [`Duration::MAX`].
fn duration_from_nanos_f64(x: f64) -> Duration {
    if x.is_nan() || x <= 0.0 {
        return Duration::ZERO;
    }
    // `as` saturates: +inf and anything beyond u128 become u128::MAX.
    let n = x.round() as u128;
    let secs = n / 1_000_000_000;
    let sub = (n % 1_000_000_000) as u32;
    match u64::try_from(secs) {
        Ok(s) => Duration::new(s, sub),
        Err(_) => Duration::MAX,
    }
}

fn nanos_f64(d: Duration) -> f64 {
    d.as_nanos() as f64
}

/// How the delays of a backoff phase grow from its minimum to its maximum (SNS's
/// `backoffFunction`; serde spells the variants `"linear"`, `"arithmetic"`, `"geometric"`,
/// `"exponential"` as SNS does).
///
/// The formulas are aws-lite's choice where SNS publishes only the names; see the
/// [module docs](self#backoff-functions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum BackoffFunction {
    /// Delays grow by a constant step (SNS's default).
    #[default]
    Linear,
    /// The steps between delays grow arithmetically: 1, 2, 3, … units.
    Arithmetic,
    /// Consecutive delays have a constant ratio, `(max/min)^(1/(n−1))`.
    Geometric,
    /// The steps between delays double.
    Exponential,
}

impl BackoffFunction {
    /// The delay of retry `index` (from 0) of a phase of `count` retries going from `min` to
    /// `max`. The first retry waits `min`, the last `max`; an `index` past the end waits `max`.
    pub fn delay(self, min: Duration, max: Duration, index: u32, count: u32) -> Duration {
        if index == 0 || count <= 1 {
            return min;
        }
        let last = count - 1;
        if index >= last {
            return max;
        }
        let (lo, hi) = (nanos_f64(min), nanos_f64(max));
        let (i, m) = (f64::from(index), f64::from(last));
        let nanos = match self {
            BackoffFunction::Geometric if lo > 0.0 => lo * (hi / lo).powf(i / m),
            _ => lo + (hi - lo) * self.fraction(i, m),
        };
        duration_from_nanos_f64(nanos)
    }

    /// The fraction of the way from min to max at retry `i` of a phase whose last index is `m`
    /// (`0 < i < m`).
    fn fraction(self, i: f64, m: f64) -> f64 {
        match self {
            BackoffFunction::Linear => i / m,
            BackoffFunction::Arithmetic => (i * (i + 1.0)) / (m * (m + 1.0)),
            // (2^i − 1) / (2^m − 1), written so that large m neither overflows nor loses the
            // small terms: divide through by 2^m.
            BackoffFunction::Geometric | BackoffFunction::Exponential => {
                let tail = (-m).exp2();
                ((i - m).exp2() - tail) / (1.0 - tail)
            }
        }
    }
}

/// A retry schedule: the delay before each retry, from 1 to [`max_retries`](Self::max_retries).
///
/// Implemented by [`Backoff`] and [`PhasedBackoff`], so a service can hold either.
pub trait RetryPolicy {
    /// How many retries the policy allows after the initial attempt.
    fn max_retries(&self) -> u32;

    /// The delay before retry `attempt` (from 1), jittered from `rand`; `None` for `0` (the
    /// initial attempt is not a retry) and once `attempt` exceeds
    /// [`max_retries`](Self::max_retries).
    fn delay(&self, attempt: u32, rand: &Rand) -> Option<Duration>;
}

/// Exponential backoff, as in a Step Functions retrier: `initial × rate^(attempt−1)` before retry
/// `attempt`, capped by [`max_delay`](Self::max_delay), for at most
/// [`max_attempts`](Self::max_attempts) retries.
///
/// | ASL `Retry` field | field | ASL default |
/// |---|---|---|
/// | `IntervalSeconds` | [`initial`](Self::initial) | 1 s |
/// | `BackoffRate` | [`rate`](Self::rate) | 2.0 |
/// | `MaxAttempts` | [`max_attempts`](Self::max_attempts) | 3 (0 = never retry) |
/// | `MaxDelaySeconds` | [`max_delay`](Self::max_delay) | none |
/// | `JitterStrategy` | [`jitter`](Self::jitter) | `NONE` |
///
/// Build one with [`new`](Self::new) or [`Default`] and the setters of the same names as the
/// fields. See the [module docs](self) for examples.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Backoff {
    /// The delay before the first retry (`IntervalSeconds`).
    pub initial: Duration,
    /// The multiplier applied for each further retry (`BackoffRate`). NaN or negative behaves as
    /// 1.0.
    pub rate: f64,
    /// The number of retries allowed (`MaxAttempts`); 0 means never retry.
    pub max_attempts: u32,
    /// The longest delay between retries (`MaxDelaySeconds`), if any.
    pub max_delay: Option<Duration>,
    /// How each delay is randomized (`JitterStrategy`).
    pub jitter: Jitter,
}

impl Default for Backoff {
    /// The ASL defaults: 1 s, rate 2.0, 3 attempts, no cap, no jitter.
    fn default() -> Backoff {
        Backoff::new(Duration::from_secs(1), 2.0, 3)
    }
}

impl Backoff {
    /// `initial × rate^(attempt−1)` for `max_attempts` retries, uncapped, without jitter.
    pub const fn new(initial: Duration, rate: f64, max_attempts: u32) -> Backoff {
        Backoff {
            initial,
            rate,
            max_attempts,
            max_delay: None,
            jitter: Jitter::None,
        }
    }

    /// The same `delay` before each of `max_attempts` retries.
    pub const fn fixed(delay: Duration, max_attempts: u32) -> Backoff {
        Backoff::new(delay, 1.0, max_attempts)
    }

    /// No retries at all.
    pub const fn never() -> Backoff {
        Backoff::new(Duration::ZERO, 1.0, 0)
    }

    /// Sets the delay before the first retry.
    pub fn initial(mut self, initial: Duration) -> Backoff {
        self.initial = initial;
        self
    }

    /// Sets the backoff rate.
    pub fn rate(mut self, rate: f64) -> Backoff {
        self.rate = rate;
        self
    }

    /// Sets the number of retries.
    pub fn max_attempts(mut self, max_attempts: u32) -> Backoff {
        self.max_attempts = max_attempts;
        self
    }

    /// Caps every delay at `max_delay` (`None` removes the cap).
    pub fn max_delay(mut self, max_delay: impl Into<Option<Duration>>) -> Backoff {
        self.max_delay = max_delay.into();
        self
    }

    /// Sets the jitter.
    pub fn jitter(mut self, jitter: Jitter) -> Backoff {
        self.jitter = jitter;
        self
    }

    /// The delay before retry `attempt` (from 1) before jitter: `initial × rate^(attempt−1)`,
    /// capped; `None` for 0 and past [`max_attempts`](Self::max_attempts).
    pub fn base_delay(&self, attempt: u32) -> Option<Duration> {
        if attempt == 0 || attempt > self.max_attempts {
            return None;
        }
        let rate = if self.rate.is_nan() || self.rate < 0.0 {
            1.0
        } else {
            self.rate
        };
        let factor = rate.powf(f64::from(attempt - 1));
        // 0 × inf is NaN, which converts to zero: a zero interval stays zero.
        let delay = duration_from_nanos_f64(nanos_f64(self.initial) * factor);
        Some(match self.max_delay {
            Some(cap) => delay.min(cap),
            None => delay,
        })
    }

    /// The delay before retry `attempt` (from 1), jittered from `rand`; `None` for 0 and once
    /// the attempts are exhausted.
    pub fn delay(&self, attempt: u32, rand: &Rand) -> Option<Duration> {
        self.base_delay(attempt).map(|d| self.jitter.apply(d, rand))
    }

    /// Every delay of the schedule in order, jittered from `rand` (the iterator holds a clone of
    /// `rand`, which shares its stream).
    pub fn schedule(&self, rand: &Rand) -> Schedule<Backoff> {
        Schedule::new(*self, rand)
    }
}

impl RetryPolicy for Backoff {
    fn max_retries(&self) -> u32 {
        self.max_attempts
    }

    fn delay(&self, attempt: u32, rand: &Rand) -> Option<Duration> {
        Backoff::delay(self, attempt, rand)
    }
}

/// The phase of a [`PhasedBackoff`] a retry falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Phase {
    /// Retries with no delay (`numNoDelayRetries`).
    Immediate,
    /// Retries [`min_delay`](PhasedBackoff::min_delay) apart (`numMinDelayRetries`).
    PreBackoff,
    /// Retries whose delay grows from the minimum to the maximum by the backoff function.
    Backoff,
    /// Retries [`max_delay`](PhasedBackoff::max_delay) apart (`numMaxDelayRetries`).
    PostBackoff,
}

/// A four-phase retry policy, as in an SNS delivery policy: immediate retries, then retries at
/// the minimum delay, then a backoff from the minimum to the maximum, then retries at the
/// maximum.
///
/// [`retries`](Self::retries) is the total over all phases; the backoff phase gets what the three
/// other counts leave. SNS rejects a policy whose counts exceed the total; this type instead
/// keeps the total and fills phases in order (immediate, pre-backoff, post-backoff), so the
/// backoff phase is empty and the post-backoff phase is truncated. See the
/// [module docs](self#phased-backoff-sns-delivery-policies) for the field mapping and examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PhasedBackoff {
    /// Total retries over the four phases (`numRetries`).
    pub retries: u32,
    /// Retries with no delay (`numNoDelayRetries`).
    pub no_delay_retries: u32,
    /// Retries at the minimum delay before the backoff (`numMinDelayRetries`).
    pub min_delay_retries: u32,
    /// Retries at the maximum delay after the backoff (`numMaxDelayRetries`).
    pub max_delay_retries: u32,
    /// The pre-backoff delay and the first backoff delay (`minDelayTarget`).
    pub min_delay: Duration,
    /// The last backoff delay and the post-backoff delay (`maxDelayTarget`).
    pub max_delay: Duration,
    /// How delays grow during the backoff phase (`backoffFunction`).
    pub function: BackoffFunction,
    /// How each delay is randomized; immediate retries stay at zero.
    pub jitter: Jitter,
}

impl Default for PhasedBackoff {
    /// [`PhasedBackoff::sns_http_default`].
    fn default() -> PhasedBackoff {
        PhasedBackoff::sns_http_default()
    }
}

impl PhasedBackoff {
    /// `retries` retries, all in the backoff phase, from `min_delay` to `max_delay`, linear,
    /// without jitter.
    pub const fn new(min_delay: Duration, max_delay: Duration, retries: u32) -> PhasedBackoff {
        PhasedBackoff {
            retries,
            no_delay_retries: 0,
            min_delay_retries: 0,
            max_delay_retries: 0,
            min_delay,
            max_delay,
            function: BackoffFunction::Linear,
            jitter: Jitter::None,
        }
    }

    /// SNS's default HTTP/S policy: 3 retries, 20 s apart (`minDelayTarget` = `maxDelayTarget` =
    /// 20, linear, no other phases).
    pub const fn sns_http_default() -> PhasedBackoff {
        PhasedBackoff::new(Duration::from_secs(20), Duration::from_secs(20), 3)
    }

    /// SNS's fixed policy for AWS-managed endpoints (SQS, Lambda, Firehose): 3 immediate
    /// retries, 2 at 1 s, 10 backing off exponentially from 1 s to 20 s, 100,000 at 20 s
    /// (100,015 retries, over 23 days).
    pub const fn sns_aws_managed() -> PhasedBackoff {
        PhasedBackoff {
            retries: 100_015,
            no_delay_retries: 3,
            min_delay_retries: 2,
            max_delay_retries: 100_000,
            min_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(20),
            function: BackoffFunction::Exponential,
            jitter: Jitter::None,
        }
    }

    /// SNS's fixed policy for customer-managed endpoints (SMTP, SMS, mobile push; and Firehose
    /// throttling): no immediate retries, 2 at 10 s, 10 backing off exponentially from 10 s to
    /// 600 s, 38 at 600 s (50 retries, over 6 hours).
    pub const fn sns_customer_managed() -> PhasedBackoff {
        PhasedBackoff {
            retries: 50,
            no_delay_retries: 0,
            min_delay_retries: 2,
            max_delay_retries: 38,
            min_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(600),
            function: BackoffFunction::Exponential,
            jitter: Jitter::None,
        }
    }

    /// Sets the total number of retries (`numRetries`).
    pub fn retries(mut self, retries: u32) -> PhasedBackoff {
        self.retries = retries;
        self
    }

    /// Sets the number of immediate retries (`numNoDelayRetries`).
    pub fn no_delay_retries(mut self, n: u32) -> PhasedBackoff {
        self.no_delay_retries = n;
        self
    }

    /// Sets the number of pre-backoff retries (`numMinDelayRetries`).
    pub fn min_delay_retries(mut self, n: u32) -> PhasedBackoff {
        self.min_delay_retries = n;
        self
    }

    /// Sets the number of post-backoff retries (`numMaxDelayRetries`).
    pub fn max_delay_retries(mut self, n: u32) -> PhasedBackoff {
        self.max_delay_retries = n;
        self
    }

    /// Sets the minimum delay (`minDelayTarget`).
    pub fn min_delay(mut self, d: Duration) -> PhasedBackoff {
        self.min_delay = d;
        self
    }

    /// Sets the maximum delay (`maxDelayTarget`).
    pub fn max_delay(mut self, d: Duration) -> PhasedBackoff {
        self.max_delay = d;
        self
    }

    /// Sets the backoff function (`backoffFunction`).
    pub fn function(mut self, function: BackoffFunction) -> PhasedBackoff {
        self.function = function;
        self
    }

    /// Sets the jitter.
    pub fn jitter(mut self, jitter: Jitter) -> PhasedBackoff {
        self.jitter = jitter;
        self
    }

    /// The retries in each phase, in order (immediate, pre-backoff, backoff, post-backoff),
    /// after fitting the counts into [`retries`](Self::retries).
    pub fn phase_counts(&self) -> [u32; 4] {
        let total = self.retries;
        let immediate = self.no_delay_retries.min(total);
        let pre = self.min_delay_retries.min(total - immediate);
        let post = self.max_delay_retries.min(total - immediate - pre);
        let backoff = total - immediate - pre - post;
        [immediate, pre, backoff, post]
    }

    /// The number of retries in the backoff phase.
    pub fn backoff_retries(&self) -> u32 {
        self.phase_counts()[2]
    }

    /// The phase retry `attempt` (from 1) falls in; `None` for 0 and past the last retry.
    pub fn phase(&self, attempt: u32) -> Option<Phase> {
        self.locate(attempt).map(|(phase, _)| phase)
    }

    /// The phase of retry `attempt` and its index (from 0) within the phase.
    fn locate(&self, attempt: u32) -> Option<(Phase, u32)> {
        if attempt == 0 || attempt > self.retries {
            return None;
        }
        let [immediate, pre, backoff, _] = self.phase_counts();
        let mut k = attempt - 1;
        for (phase, count) in [
            (Phase::Immediate, immediate),
            (Phase::PreBackoff, pre),
            (Phase::Backoff, backoff),
        ] {
            if k < count {
                return Some((phase, k));
            }
            k -= count;
        }
        Some((Phase::PostBackoff, k))
    }

    /// The delay before retry `attempt` (from 1) before jitter; `None` for 0 and past the last
    /// retry.
    pub fn base_delay(&self, attempt: u32) -> Option<Duration> {
        let (phase, index) = self.locate(attempt)?;
        Some(match phase {
            Phase::Immediate => Duration::ZERO,
            Phase::PreBackoff => self.min_delay,
            Phase::Backoff => self.function.delay(
                self.min_delay,
                self.max_delay,
                index,
                self.backoff_retries(),
            ),
            Phase::PostBackoff => self.max_delay,
        })
    }

    /// The delay before retry `attempt` (from 1), jittered from `rand`; `None` for 0 and once
    /// the retries are exhausted.
    pub fn delay(&self, attempt: u32, rand: &Rand) -> Option<Duration> {
        self.base_delay(attempt).map(|d| self.jitter.apply(d, rand))
    }

    /// Every delay of the schedule in order, jittered from `rand` (the iterator holds a clone of
    /// `rand`, which shares its stream).
    pub fn schedule(&self, rand: &Rand) -> Schedule<PhasedBackoff> {
        Schedule::new(*self, rand)
    }
}

impl RetryPolicy for PhasedBackoff {
    fn max_retries(&self) -> u32 {
        self.retries
    }

    fn delay(&self, attempt: u32, rand: &Rand) -> Option<Duration> {
        PhasedBackoff::delay(self, attempt, rand)
    }
}

/// The delays of a [`RetryPolicy`], before retry 1, 2, … until the policy is exhausted.
///
/// Made by [`Backoff::schedule`], [`PhasedBackoff::schedule`] or [`Schedule::new`].
#[derive(Debug, Clone)]
pub struct Schedule<P> {
    policy: P,
    rand: Rand,
    next: u32,
    done: bool,
}

impl<P: RetryPolicy> Schedule<P> {
    /// The schedule of `policy`, jittered from (a clone of) `rand`.
    pub fn new(policy: P, rand: &Rand) -> Schedule<P> {
        let done = policy.max_retries() == 0;
        Schedule {
            policy,
            rand: rand.clone(),
            next: 1,
            done,
        }
    }

    /// The retry number (from 1) of the next delay this iterator yields.
    pub fn next_attempt(&self) -> u32 {
        self.next
    }
}

impl<P: RetryPolicy> Iterator for Schedule<P> {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        if self.done {
            return None;
        }
        let delay = self.policy.delay(self.next, &self.rand);
        match (delay, self.next.checked_add(1)) {
            (Some(d), Some(n)) if self.next < self.policy.max_retries() => {
                self.next = n;
                Some(d)
            }
            (d, _) => {
                self.done = true;
                d
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.done {
            return (0, Some(0));
        }
        let left = (self.policy.max_retries().saturating_sub(self.next) as usize).saturating_add(1);
        (left, Some(left))
    }
}

impl<P: RetryPolicy> ExactSizeIterator for Schedule<P> {}

impl<P: RetryPolicy> FusedIterator for Schedule<P> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nanos_conversion_saturates_and_rounds() {
        assert_eq!(duration_from_nanos_f64(f64::NAN), Duration::ZERO);
        assert_eq!(duration_from_nanos_f64(-5.0), Duration::ZERO);
        assert_eq!(duration_from_nanos_f64(f64::INFINITY), Duration::MAX);
        assert_eq!(duration_from_nanos_f64(1e40), Duration::MAX);
        assert_eq!(duration_from_nanos_f64(2.6), Duration::from_nanos(3));
        assert_eq!(
            duration_from_nanos_f64(3.000_000_000_000_000_4e9),
            Duration::from_secs(3)
        );
    }

    #[test]
    fn full_jitter_on_huge_delays_stays_below() {
        let r = Rand::seeded(3);
        for _ in 0..100 {
            assert!(full_jitter(Duration::MAX, &r) < Duration::MAX);
        }
        assert_eq!(full_jitter(Duration::ZERO, &r), Duration::ZERO);
        assert_eq!(full_jitter(Duration::from_nanos(1), &r), Duration::ZERO);
    }

    #[test]
    fn documented_graph_table() {
        // The table in the module docs: 5 s → 260 s over 10 retries, rounded to the second.
        let rows = [
            (
                BackoffFunction::Linear,
                [5, 33, 62, 90, 118, 147, 175, 203, 232, 260],
            ),
            (
                BackoffFunction::Arithmetic,
                [5, 11, 22, 39, 62, 90, 124, 164, 209, 260],
            ),
            (
                BackoffFunction::Geometric,
                [5, 8, 12, 19, 29, 45, 70, 108, 168, 260],
            ),
            (
                BackoffFunction::Exponential,
                [5, 5, 6, 8, 12, 20, 36, 68, 132, 260],
            ),
        ];
        for (f, want) in rows {
            let got: Vec<u64> = (0..10)
                .map(|i| {
                    f.delay(Duration::from_secs(5), Duration::from_secs(260), i, 10)
                        .as_secs_f64()
                        .round() as u64
                })
                .collect();
            assert_eq!(got, want, "{f:?}");
        }
    }

    #[test]
    fn schedule_is_exact_size_and_fused() {
        let b = Backoff::fixed(Duration::from_secs(1), 3);
        let mut s = b.schedule(&Rand::seeded(0));
        assert_eq!(s.len(), 3);
        s.next();
        assert_eq!((s.len(), s.next_attempt()), (2, 2));
        assert_eq!(s.by_ref().count(), 2);
        assert_eq!(s.len(), 0);
        assert_eq!(s.next(), None);
        let huge = Backoff::fixed(Duration::ZERO, u32::MAX);
        assert_eq!(huge.schedule(&Rand::seeded(0)).len(), u32::MAX as usize);
    }
}
