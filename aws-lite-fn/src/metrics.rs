//! Per-function metrics, named like Lambda's CloudWatch metrics.
//!
//! # Metrics
//!
//! [`FunctionMetrics`] is a snapshot of a function's counters, read with
//! [`Lambda::metrics`](crate::Lambda::metrics):
//!
//! - `Invocations`: every invocation that ran (successes and function errors), not throttles;
//! - `Errors`: invocations that ended in a function error (handled, panic, timeout, failed INIT);
//! - `Throttles`: invocations refused for concurrency, split by reason (an injected
//!   `THROTTLE` fault without its own error counts as `ConcurrentInvocationLimitExceeded`);
//! - `Duration`: the total and the largest handler duration, on the service's clock;
//! - `ConcurrentExecutions`: invocations running now, and the most seen at once;
//! - cold starts, timeouts, and the asynchronous `AsyncEventsReceived` / `AsyncEventsDropped`;
//! - `DestinationDeliveryFailures` and `DeadLetterErrors`.

use std::time::Duration;

use aws_lite_core::sync::{AtomicU64, AtomicUsize, Ordering};

/// A snapshot of one function's counters (all versions and aliases together).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FunctionMetrics {
    /// `Invocations`: invocations that ran, whatever their outcome.
    pub invocations: u64,
    /// `Errors`: invocations that ended in a function error.
    pub errors: u64,
    /// `Throttles`: invocations refused with `TooManyRequestsException`.
    pub throttles: u64,
    /// Throttles with reason `ReservedFunctionConcurrentInvocationLimitExceeded`.
    pub throttles_reserved: u64,
    /// Throttles with reason `ConcurrentInvocationLimitExceeded` (the unreserved pool).
    pub throttles_account: u64,
    /// The sum of every invocation's `Duration`.
    pub duration_total: Duration,
    /// The largest `Duration`.
    pub duration_max: Duration,
    /// `ConcurrentExecutions`: invocations running now.
    pub concurrent_executions: u64,
    /// The most invocations that ran at once.
    pub max_concurrent_executions: u64,
    /// Invocations that started a new execution environment.
    pub cold_starts: u64,
    /// Invocations that timed out (`Sandbox.Timedout`).
    pub timeouts: u64,
    /// `AsyncEventsReceived`: events accepted by `Event` invocations.
    pub async_events_received: u64,
    /// `AsyncEventsDropped`: events given up after their retries or their maximum age.
    pub async_events_dropped: u64,
    /// `DestinationDeliveryFailures`: invocation records that could not be sent to their
    /// destination (a missing queue, topic or function, a FIFO topic, a record SNS refused, a
    /// topic without the `pubsub` feature or `LambdaBuilder::sns`, or an event bus).
    pub destination_delivery_failures: u64,
    /// `DeadLetterErrors`: failed events that could not be sent to the dead-letter queue or
    /// topic.
    pub dead_letter_errors: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) invocations: AtomicU64,
    pub(crate) errors: AtomicU64,
    pub(crate) throttles_reserved: AtomicU64,
    pub(crate) throttles_account: AtomicU64,
    pub(crate) duration_total_ns: AtomicU64,
    pub(crate) duration_max_ns: AtomicU64,
    pub(crate) in_flight: AtomicUsize,
    pub(crate) max_in_flight: AtomicUsize,
    pub(crate) cold_starts: AtomicU64,
    pub(crate) timeouts: AtomicU64,
    pub(crate) async_received: AtomicU64,
    pub(crate) async_dropped: AtomicU64,
    pub(crate) destination_failures: AtomicU64,
    pub(crate) dead_letter_errors: AtomicU64,
}

pub(crate) fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

impl Counters {
    pub(crate) fn record_duration(&self, d: Duration) {
        let ns = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.duration_total_ns.fetch_add(ns, Ordering::Relaxed);
        // Most durations are not a new maximum: read before writing.
        if self.duration_max_ns.load(Ordering::Relaxed) < ns {
            self.duration_max_ns.fetch_max(ns, Ordering::Relaxed);
        }
    }

    pub(crate) fn snapshot(&self) -> FunctionMetrics {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let tr = get(&self.throttles_reserved);
        let ta = get(&self.throttles_account);
        FunctionMetrics {
            invocations: get(&self.invocations),
            errors: get(&self.errors),
            throttles: tr + ta,
            throttles_reserved: tr,
            throttles_account: ta,
            duration_total: Duration::from_nanos(get(&self.duration_total_ns)),
            duration_max: Duration::from_nanos(get(&self.duration_max_ns)),
            concurrent_executions: self.in_flight.load(Ordering::Relaxed) as u64,
            max_concurrent_executions: self.max_in_flight.load(Ordering::Relaxed) as u64,
            cold_starts: get(&self.cold_starts),
            timeouts: get(&self.timeouts),
            async_events_received: get(&self.async_received),
            async_events_dropped: get(&self.async_dropped),
            destination_delivery_failures: get(&self.destination_failures),
            dead_letter_errors: get(&self.dead_letter_errors),
        }
    }
}
