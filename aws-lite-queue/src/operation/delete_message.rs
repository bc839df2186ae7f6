//! DeleteMessage: deletes a received message by its receipt handle.
//!
//! # Semantics
//!
//! - A malformed handle, or one minted by another queue, is `ReceiptHandleIsInvalid`.
//! - A handle of a message that is already gone (deleted, expired, purged) succeeds: deletes
//!   are idempotent.
//! - Standard queues: the latest handle deletes the message even after its visibility timeout
//!   has expired; an older handle (the message was received again since) succeeds but does not
//!   delete, as SQS documents ("the request succeeds, but the message might not be deleted").
//! - FIFO queues: a handle whose visibility timeout has expired (or that is not the latest) is
//!   rejected with `InvalidParameterValue` "…Reason: The receipt handle has expired."
//!   Deleting an in-flight message unblocks its group, so long-polling receivers are woken.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use aws_lite_core::{Clock, Error, Instant};
use serde::{Deserialize, Serialize};

use crate::engine::DeleteOutcome;
use crate::engine::receipt::Receipt;
use crate::error;
use crate::queue::{Queue, QueueShared, QueueState};
use crate::service::{Sqs, SqsInner};

/// The input of DeleteMessage, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DeleteMessageInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
    /// The handle from the receive.
    #[serde(default)]
    pub receipt_handle: String,
}

/// The output of DeleteMessage (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeleteMessageOutput {}

/// Builds and sends a DeleteMessage request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DeleteMessageFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: DeleteMessageInput,
}

impl DeleteMessageFluentBuilder {
    pub(crate) fn new(sqs: Sqs, queue: Option<Arc<QueueShared>>) -> DeleteMessageFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        DeleteMessageFluentBuilder {
            sqs,
            queue,
            input: DeleteMessageInput {
                queue_url,
                ..DeleteMessageInput::default()
            },
        }
    }

    /// The queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// The receipt handle.
    pub fn receipt_handle(mut self, handle: impl Into<String>) -> Self {
        self.input.receipt_handle = handle.into();
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &DeleteMessageInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<DeleteMessageOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        delete_message(&self.sqs.inner, &queue, self.input)
    }
}

impl Sqs {
    /// DeleteMessage from the queue at `.queue_url(…)`.
    pub fn delete_message(&self) -> DeleteMessageFluentBuilder {
        DeleteMessageFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// DeleteMessage from this queue.
    pub fn delete_message(&self) -> DeleteMessageFluentBuilder {
        DeleteMessageFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

/// Checks and decodes a receipt handle; needs no lock, so callers do it before taking one
/// (shared with DeleteMessageBatch).
pub(crate) fn decode_handle(queue: &QueueShared, handle: &str) -> Result<Receipt, Error> {
    if handle.is_empty() {
        return Err(error::missing_parameter(
            "The request must contain the parameter ReceiptHandle.",
        ));
    }
    queue
        .codec
        .decode(handle)
        .ok_or_else(|| error::receipt_handle_is_invalid(handle))
}

/// Whether `handle` is the latest handle of a message still in flight (FIFO attempt replay).
pub(crate) fn is_current_in_flight(
    state: &QueueState,
    queue: &QueueShared,
    handle: &str,
    now: Instant,
) -> bool {
    queue
        .codec
        .decode(handle)
        .is_some_and(|r| state.core.is_current_in_flight(r, now))
}

pub(crate) fn delete_message(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
    input: DeleteMessageInput,
) -> Result<DeleteMessageOutput, Error> {
    let _span = tracing::debug_span!("sqs.DeleteMessage", queue = %queue.name).entered();
    queue.check_live()?;
    let now = svc.clock.now();
    let receipt = decode_handle(queue, &input.receipt_handle)?;
    let outcome = {
        let mut state = queue.state.lock();
        state.tick(now);
        state.core.delete(now, receipt, &input.receipt_handle)?
    };
    if outcome == DeleteOutcome::Deleted {
        queue.counters.deleted.fetch_add(1, Ordering::Relaxed);
        if queue.fifo {
            // The group of the deleted message may be unblocked: long-polling receivers look
            // again.
            queue.wake_receivers();
        }
    }
    Ok(DeleteMessageOutput {})
}
