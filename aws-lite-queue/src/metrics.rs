//! CloudWatch-style queue metrics, read from a [`Queue`](crate::Queue) handle.
//!
//! The names and meanings follow the `AWS/SQS` CloudWatch namespace. Counters
//! (`NumberOfMessages*`, `NumberOfEmptyReceives`) count since the queue was created; the
//! `Approximate*` gauges are exact as of the moment they are read (aws-lite has no propagation
//! delay).

use std::sync::atomic::Ordering;
use std::time::Duration;

use aws_lite_core::Clock;

use crate::queue::QueueShared;
use crate::service::Sqs;

/// A snapshot of one queue's metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueueMetrics {
    /// `NumberOfMessagesSent`: messages accepted by SendMessage(Batch) and moved in by redrive
    /// or move tasks (FIFO duplicates are not counted).
    pub number_of_messages_sent: u64,
    /// `NumberOfMessagesReceived`: messages returned by ReceiveMessage.
    pub number_of_messages_received: u64,
    /// `NumberOfMessagesDeleted`: messages deleted by DeleteMessage(Batch).
    pub number_of_messages_deleted: u64,
    /// `NumberOfEmptyReceives`: receives that returned no message.
    pub number_of_empty_receives: u64,
    /// `ApproximateNumberOfMessagesVisible`.
    pub approximate_number_of_messages_visible: u64,
    /// `ApproximateNumberOfMessagesNotVisible` (in flight).
    pub approximate_number_of_messages_not_visible: u64,
    /// `ApproximateNumberOfMessagesDelayed`.
    pub approximate_number_of_messages_delayed: u64,
    /// `ApproximateAgeOfOldestMessage`: time since the oldest message arrived in this queue.
    pub approximate_age_of_oldest_message: Duration,
}

impl QueueMetrics {
    pub(crate) fn read(sqs: &Sqs, q: &QueueShared) -> QueueMetrics {
        let now = sqs.inner.clock.now();
        let (counts, oldest) = {
            let mut state = q.state.lock();
            state.tick(now);
            (state.core.counts(), state.core.oldest_arrival())
        };
        QueueMetrics {
            number_of_messages_sent: q.counters.sent.load(Ordering::Relaxed),
            number_of_messages_received: q.counters.received.load(Ordering::Relaxed),
            number_of_messages_deleted: q.counters.deleted.load(Ordering::Relaxed),
            number_of_empty_receives: q.counters.empty_receives.load(Ordering::Relaxed),
            approximate_number_of_messages_visible: counts.visible as u64,
            approximate_number_of_messages_not_visible: counts.in_flight as u64,
            approximate_number_of_messages_delayed: counts.delayed as u64,
            approximate_age_of_oldest_message: oldest.map_or(Duration::ZERO, |t| now - t),
        }
    }
}
