//! The shared state of one queue and the cheap [`Queue`] handle.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use aws_lite_core::sync::Mutex;
use aws_lite_core::{Error, Instant};
use tokio::sync::Notify;

use crate::attributes::QueueConfig;
use crate::engine::QueueCore;
use crate::engine::dedup::Dedup;
use crate::engine::receipt::HandleCodec;
use crate::error;
use crate::service::Sqs;

/// A replayable FIFO receive (`ReceiveRequestAttemptId`).
#[derive(Debug, Clone)]
pub(crate) struct Attempt {
    pub(crate) expires: Instant,
    pub(crate) messages: Vec<crate::operation::receive_message::Message>,
}

/// Everything of a queue that changes, behind the queue's one lock.
#[derive(Debug)]
pub(crate) struct QueueState {
    pub(crate) core: QueueCore,
    pub(crate) config: QueueConfig,
    pub(crate) dedup: Option<Dedup>,
    pub(crate) attempts: HashMap<String, Attempt>,
    /// Epoch seconds of the last attribute change.
    pub(crate) last_modified_secs: u64,
    pub(crate) last_purge: Option<Instant>,
    pub(crate) tags: BTreeMap<String, String>,
}

impl QueueState {
    /// Brings the core up to `now` under the current retention period.
    pub(crate) fn tick(&mut self, now: Instant) {
        let retention = Duration::from_secs(u64::from(self.config.message_retention_period));
        self.core.tick(now, retention);
    }
}

/// CloudWatch-style counters, readable without the queue lock.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) sent: AtomicU64,
    pub(crate) received: AtomicU64,
    pub(crate) deleted: AtomicU64,
    pub(crate) empty_receives: AtomicU64,
}

/// One queue incarnation, shared by the service registry and every [`Queue`] handle.
pub(crate) struct QueueShared {
    pub(crate) name: String,
    pub(crate) url: String,
    pub(crate) arn: String,
    pub(crate) fifo: bool,
    pub(crate) codec: HandleCodec,
    pub(crate) created_secs: u64,
    pub(crate) state: Mutex<QueueState>,
    pub(crate) notify: Notify,
    /// Long-poll receivers currently waiting (so sends skip `notify` when nobody waits).
    pub(crate) gate: crate::gate::WaiterGate,
    pub(crate) deleted: AtomicBool,
    pub(crate) counters: Counters,
}

impl fmt::Debug for QueueShared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueueShared")
            .field("url", &self.url)
            .field("fifo", &self.fifo)
            .finish_non_exhaustive()
    }
}

impl QueueShared {
    /// `QueueDoesNotExist` once the queue was deleted.
    pub(crate) fn check_live(&self) -> Result<(), Error> {
        if self.deleted.load(Ordering::Acquire) {
            Err(error::queue_does_not_exist())
        } else {
            Ok(())
        }
    }

    /// Wakes long-poll receivers, if any wait.
    pub(crate) fn wake_receivers(&self) {
        if self.gate.has_waiters() {
            self.notify.notify_waiters();
        }
    }
}

/// A cheap handle to one queue (an `Arc` inside): the fast path for every per-queue operation,
/// skipping the URL lookup.
///
/// Get one from [`Sqs::queue`], [`Sqs::queue_by_url`] or
/// [`CreateQueueOutput::queue`](crate::operation::create_queue::CreateQueueOutput). A handle
/// keeps naming the incarnation it was made for: after DeleteQueue every operation through it
/// answers `QueueDoesNotExist`, even if a queue of the same name is created again.
#[derive(Clone)]
pub struct Queue {
    pub(crate) sqs: Sqs,
    pub(crate) shared: Arc<QueueShared>,
}

impl Queue {
    /// The queue's name.
    pub fn name(&self) -> &str {
        &self.shared.name
    }

    /// The queue's URL (`https://sqs.{region}.amazonaws.com/{account}/{name}` by default).
    pub fn url(&self) -> &str {
        &self.shared.url
    }

    /// The queue's ARN.
    pub fn arn(&self) -> &str {
        &self.shared.arn
    }

    /// Whether this is a FIFO queue.
    pub fn is_fifo(&self) -> bool {
        self.shared.fifo
    }

    /// The service this queue belongs to.
    pub fn sqs(&self) -> &Sqs {
        &self.sqs
    }

    /// CloudWatch-style metrics of this queue, as of now.
    pub fn metrics(&self) -> crate::metrics::QueueMetrics {
        crate::metrics::QueueMetrics::read(&self.sqs, &self.shared)
    }
}

impl fmt::Debug for Queue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue")
            .field("url", &self.shared.url)
            .finish_non_exhaustive()
    }
}
