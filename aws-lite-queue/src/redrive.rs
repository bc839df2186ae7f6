//! Dead-letter redrive: moving messages whose receive count reached `maxReceiveCount`.
//!
//! # Semantics
//!
//! When a receive finds a message whose `ApproximateReceiveCount` has already reached the source
//! queue's `maxReceiveCount`, SQS moves it to the dead-letter queue instead of returning it. The
//! message keeps its id, body, attributes and `SentTimestamp`, and gains the system attribute
//! `DeadLetterQueueSourceArn`. Retention differs by queue type:
//!
//! - **standard**: the original enqueue time is kept, so the message expires from the
//!   dead-letter queue counting from when it was first sent (set the DLQ's retention longer);
//! - **FIFO**: the enqueue time resets to the move, and the message gets a new sequence number
//!   in the dead-letter queue.
//!
//! `ApproximateAgeOfOldestMessage` of the dead-letter queue counts from the move in both cases.
//! The receive count is carried over (aws-lite keeps it, as moto does; AWS does not document it).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use aws_lite_core::Clock;

use crate::engine::Evicted;
use crate::queue::QueueShared;
use crate::service::SqsInner;

/// Moves `evicted` (taken out of `source`) into `dlq`. If the dead-letter queue has disappeared
/// in the meantime, the messages go back to the source queue, visible, rather than being lost.
pub(crate) fn dead_letter(
    svc: &SqsInner,
    source: &Arc<QueueShared>,
    dlq: Option<Arc<QueueShared>>,
    evicted: Vec<Evicted>,
) {
    let now = svc.clock.now();
    let live_dlq = dlq.filter(|q| q.check_live().is_ok());
    let Some(dlq) = live_dlq else {
        let mut state = source.state.lock();
        for e in evicted {
            state
                .core
                .enqueue(now, e.data, Duration::ZERO, e.enqueued_at, e.receive_count);
        }
        drop(state);
        source.wake_receivers();
        return;
    };
    let source_arn: Arc<str> = Arc::from(source.arn.as_str());
    let n = evicted.len();
    {
        let mut state = dlq.state.lock();
        state.tick(now);
        for e in evicted {
            let data = Arc::new(
                e.data
                    .copy_for_move(e.data.sent_ms, Some(source_arn.clone())),
            );
            let enqueued_at = if dlq.fifo { now } else { e.enqueued_at };
            state
                .core
                .enqueue(now, data, Duration::ZERO, enqueued_at, e.receive_count);
        }
    }
    tracing::debug!(source = %source.name, dlq = %dlq.name, moved = n, "redrive to dead-letter queue");
    dlq.counters.sent.fetch_add(n as u64, Ordering::Relaxed);
    dlq.wake_receivers();
}
