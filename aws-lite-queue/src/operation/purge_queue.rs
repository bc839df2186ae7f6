//! PurgeQueue: deletes every message in a queue.
//!
//! # Semantics
//!
//! - Every message goes: visible, in flight (their receipt handles then delete nothing and
//!   succeed, as for any message already gone) and delayed.
//! - The queue itself is untouched: attributes, tags, permissions, `CreatedTimestamp` and
//!   `LastModifiedTimestamp`. So is a FIFO queue's deduplication history: a purge does not
//!   reset the 5-minute deduplication interval, so a message sent again with a deduplication id
//!   seen in the last 5 minutes is still accepted (answered with the first message's id) and
//!   not delivered.
//! - At most one purge per queue every 60 seconds ([`Limits::purge_interval`]), counted from the
//!   last purge that succeeded (a rejected attempt does not restart the window). A second purge
//!   within the window answers `AWS.SimpleQueueService.PurgeQueueInProgress` (shape
//!   `PurgeQueueInProgress`, HTTP 403 as in the SQS model) with "Only one PurgeQueue operation on
//!   {queue name} is allowed every 60 seconds." — AWS names the queue by its **name** there,
//!   as error reports from real accounts show ("…operation on my-queue is allowed…").
//!
//! AWS documents that the deletion "takes up to 60 seconds" and that messages sent during that
//! time might be deleted too. aws-lite purges at once: messages sent after the call are kept.
//!
//! [`Limits::purge_interval`]: crate::limits::Limits::purge_interval

use std::sync::Arc;

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};

use crate::error;
use crate::queue::{Queue, QueueShared};
use crate::service::{Sqs, SqsInner};

/// The input of PurgeQueue, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PurgeQueueInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
}

/// The output of PurgeQueue (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PurgeQueueOutput {}

/// Builds and sends a PurgeQueue request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct PurgeQueueFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: PurgeQueueInput,
}

impl PurgeQueueFluentBuilder {
    pub(crate) fn new(sqs: Sqs, queue: Option<Arc<QueueShared>>) -> PurgeQueueFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        PurgeQueueFluentBuilder {
            sqs,
            queue,
            input: PurgeQueueInput { queue_url },
        }
    }

    /// The queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &PurgeQueueInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<PurgeQueueOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        purge_queue(&self.sqs.inner, &queue)
    }
}

impl Sqs {
    /// PurgeQueue of the queue at `.queue_url(…)`.
    pub fn purge_queue(&self) -> PurgeQueueFluentBuilder {
        PurgeQueueFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// PurgeQueue of this queue.
    pub fn purge_queue(&self) -> PurgeQueueFluentBuilder {
        PurgeQueueFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

pub(crate) fn purge_queue(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
) -> Result<PurgeQueueOutput, Error> {
    let _span = tracing::debug_span!("sqs.PurgeQueue", queue = %queue.name).entered();
    queue.check_live()?;
    let now = svc.clock.now();
    let mut state = queue.state.lock();
    if let Some(last) = state.last_purge {
        if now < last + svc.limits.purge_interval {
            return Err(error::purge_queue_in_progress(&queue.name));
        }
    }
    state.core.purge();
    // Replays of FIFO receive attempts would name purged messages.
    state.attempts.clear();
    state.last_purge = Some(now);
    Ok(PurgeQueueOutput {})
}
