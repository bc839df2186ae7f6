//! DeleteQueue: deletes a queue and every message in it.
//!
//! # Semantics
//!
//! - The queue disappears at once: its name, URL and ARN no longer resolve
//!   (`AWS.SimpleQueueService.NonExistentQueue` "The specified queue does not exist."), its
//!   messages, tags and permissions are gone, and every [`Queue`] handle to it answers
//!   `QueueDoesNotExist` from then on — even after a queue of the same name is created again,
//!   since a handle names one incarnation.
//! - Receivers long-polling the queue are woken and answer `QueueDoesNotExist`.
//! - The name stays reserved for 60 seconds ([`Limits::deleted_name_reuse`]): CreateQueue with
//!   it answers `AWS.SimpleQueueService.QueueDeletedRecently` "You must wait 60 seconds after
//!   deleting a queue before you can create another with the same name." until 60 seconds of the
//!   service's clock have passed.
//! - Deleting a queue that does not exist (or was already deleted) answers `QueueDoesNotExist`.
//!
//! AWS documents that a deletion "takes up to 60 seconds", during which some requests to the
//! queue may still succeed. aws-lite deletes at once: the earliest moment AWS may, and the one a
//! test can rely on.
//!
//! Queues naming this one as their dead-letter queue keep their `RedrivePolicy`; a message due
//! for redrive then stays in its source queue.
//!
//! [`Limits::deleted_name_reuse`]: crate::limits::Limits::deleted_name_reuse

use std::sync::Arc;
use std::sync::atomic::Ordering;

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};

use crate::error;
use crate::queue::{Queue, QueueShared};
use crate::service::{Sqs, SqsInner};

/// The input of DeleteQueue, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DeleteQueueInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
}

/// The output of DeleteQueue (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeleteQueueOutput {}

/// Builds and sends a DeleteQueue request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DeleteQueueFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: DeleteQueueInput,
}

impl DeleteQueueFluentBuilder {
    pub(crate) fn new(sqs: Sqs, queue: Option<Arc<QueueShared>>) -> DeleteQueueFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        DeleteQueueFluentBuilder {
            sqs,
            queue,
            input: DeleteQueueInput { queue_url },
        }
    }

    /// The queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &DeleteQueueInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<DeleteQueueOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        delete_queue(&self.sqs.inner, &queue)
    }
}

impl Sqs {
    /// DeleteQueue of the queue at `.queue_url(…)`.
    pub fn delete_queue(&self) -> DeleteQueueFluentBuilder {
        DeleteQueueFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// DeleteQueue of this queue.
    pub fn delete_queue(&self) -> DeleteQueueFluentBuilder {
        DeleteQueueFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

pub(crate) fn delete_queue(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
) -> Result<DeleteQueueOutput, Error> {
    let _span = tracing::debug_span!("sqs.DeleteQueue", queue = %queue.name).entered();
    let now = svc.clock.now();
    {
        let mut queues = svc.queues.write().unwrap_or_else(|p| p.into_inner());
        // Only this incarnation: a handle to an older, deleted queue of the same name must not
        // delete its successor.
        let registered = queues
            .get(&queue.name)
            .is_some_and(|q| Arc::ptr_eq(q, queue));
        if !registered || queue.deleted.load(Ordering::Acquire) {
            return Err(error::queue_does_not_exist());
        }
        queues.remove(&queue.name);
        svc.deleted_names.lock().insert(queue.name.clone(), now);
    }
    {
        // Under the queue lock, so a receiver that checks the queue after this sees it gone and
        // one that checked before is registered for the wake-up below.
        let mut state = queue.state.lock();
        queue.deleted.store(true, Ordering::Release);
        state.core.purge();
        state.attempts.clear();
        state.tags.clear();
    }
    queue.wake_receivers();
    Ok(DeleteQueueOutput {})
}
