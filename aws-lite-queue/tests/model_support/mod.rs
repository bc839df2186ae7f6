//! What the two SQS model tests (`model_standard.rs`, `model_fifo.rs`) share: the model's
//! CloudWatch-style counters and the comparison of a queue's metrics with them.

use std::time::Duration;

use aws_lite_queue::QueueMetrics;

/// The counters the model keeps beside its messages.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Counters {
    pub(crate) sent: u64,
    pub(crate) received: u64,
    pub(crate) deleted: u64,
    pub(crate) empty_receives: u64,
}

/// Asserts that `got` (the queue's metrics) equals the model's counts, naming `which` queue.
pub(crate) fn assert_metrics(
    which: &str,
    got: QueueMetrics,
    counters: Counters,
    (visible, in_flight, delayed): (u64, u64, u64),
    age: Duration,
) {
    let got_all = (
        got.approximate_number_of_messages_visible,
        got.approximate_number_of_messages_not_visible,
        got.approximate_number_of_messages_delayed,
    );
    assert_eq!(
        got_all,
        (visible, in_flight, delayed),
        "{which}: (visible, in flight, delayed)"
    );
    assert_eq!(
        got.number_of_messages_sent, counters.sent,
        "{which}: NumberOfMessagesSent"
    );
    assert_eq!(
        got.number_of_messages_received, counters.received,
        "{which}: NumberOfMessagesReceived"
    );
    assert_eq!(
        got.number_of_messages_deleted, counters.deleted,
        "{which}: NumberOfMessagesDeleted"
    );
    assert_eq!(
        got.number_of_empty_receives, counters.empty_receives,
        "{which}: NumberOfEmptyReceives"
    );
    assert_eq!(
        got.approximate_age_of_oldest_message, age,
        "{which}: ApproximateAgeOfOldestMessage"
    );
}
