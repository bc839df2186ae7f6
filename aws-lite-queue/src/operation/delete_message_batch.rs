//! DeleteMessageBatch: deletes up to 10 received messages in one call.
//!
//! # Semantics
//!
//! The entry list is checked first (not empty, at most 10 entries, ids `[A-Za-z0-9_-]{1,80}`
//! and distinct; see [`batch`](crate::operation::batch)); a list that breaks a rule fails the
//! whole call. Then each entry is deleted as [DeleteMessage](crate::operation::delete_message)
//! would delete it, in request order, under one hold of the queue's lock:
//!
//! - an empty handle fails its entry with `MissingParameter` "The request must contain the
//!   parameter ReceiptHandle.";
//! - a malformed handle, or one of another queue, fails its entry with `ReceiptHandleIsInvalid`
//!   "The input receipt handle \"{handle}\" is not a valid receipt handle." (moto, Inqnuam);
//! - FIFO: an expired handle fails its entry with `InvalidParameterValue` "…Reason: The receipt
//!   handle has expired.";
//! - a handle of a message already gone (or, on a standard queue, an older handle) succeeds,
//!   as DeleteMessage does.
//!
//! On a FIFO queue, deleting a group's in-flight messages unblocks the group, so long-polling
//! receivers are woken (once).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};

use crate::engine::DeleteOutcome;
use crate::operation::batch::BatchResultErrorEntry;
use crate::operation::delete_message::decode_handle;
use crate::queue::{Queue, QueueShared};
use crate::service::{Sqs, SqsInner};
use crate::validate;

/// One message of a DeleteMessageBatch request (`DeleteMessageBatchRequestEntry`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DeleteMessageBatchRequestEntry {
    /// The entry's id within the batch: `[A-Za-z0-9_-]{1,80}`, distinct within the request.
    #[serde(default)]
    pub id: String,
    /// The receipt handle from the receive.
    #[serde(default)]
    pub receipt_handle: String,
}

impl DeleteMessageBatchRequestEntry {
    /// An entry with id `id` deleting the message received with `receipt_handle`.
    pub fn new(
        id: impl Into<String>,
        receipt_handle: impl Into<String>,
    ) -> DeleteMessageBatchRequestEntry {
        DeleteMessageBatchRequestEntry {
            id: id.into(),
            receipt_handle: receipt_handle.into(),
        }
    }
}

/// The input of DeleteMessageBatch, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DeleteMessageBatchInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
    /// The messages to delete (1 to 10).
    #[serde(default)]
    pub entries: Vec<DeleteMessageBatchRequestEntry>,
}

/// One entry of a DeleteMessageBatch that succeeded (`DeleteMessageBatchResultEntry`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteMessageBatchResultEntry {
    id: String,
}

impl DeleteMessageBatchResultEntry {
    /// The `Id` of the entry, as the request gave it.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The output of DeleteMessageBatch: the entries deleted and the entries that failed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeleteMessageBatchOutput {
    #[serde(rename = "Failed")]
    failed: Vec<BatchResultErrorEntry>,
    #[serde(rename = "Successful")]
    successful: Vec<DeleteMessageBatchResultEntry>,
}

impl DeleteMessageBatchOutput {
    /// The entries that succeeded, in request order.
    pub fn successful(&self) -> &[DeleteMessageBatchResultEntry] {
        &self.successful
    }

    /// The entries that failed, in request order, each with the error DeleteMessage would have
    /// returned.
    pub fn failed(&self) -> &[BatchResultErrorEntry] {
        &self.failed
    }
}

/// Builds and sends a DeleteMessageBatch request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DeleteMessageBatchFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: DeleteMessageBatchInput,
}

impl DeleteMessageBatchFluentBuilder {
    pub(crate) fn new(
        sqs: Sqs,
        queue: Option<Arc<QueueShared>>,
    ) -> DeleteMessageBatchFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        DeleteMessageBatchFluentBuilder {
            sqs,
            queue,
            input: DeleteMessageBatchInput {
                queue_url,
                ..DeleteMessageBatchInput::default()
            },
        }
    }

    /// The queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// Adds one entry.
    pub fn entries(mut self, entry: DeleteMessageBatchRequestEntry) -> Self {
        self.input.entries.push(entry);
        self
    }

    /// Sets (or, with `None`, clears) all entries.
    pub fn set_entries(mut self, entries: Option<Vec<DeleteMessageBatchRequestEntry>>) -> Self {
        self.input.entries = entries.unwrap_or_default();
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &DeleteMessageBatchInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<DeleteMessageBatchOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        delete_message_batch(&self.sqs.inner, &queue, self.input)
    }
}

impl Sqs {
    /// DeleteMessageBatch: deletes up to 10 messages from the queue at `.queue_url(…)`.
    pub fn delete_message_batch(&self) -> DeleteMessageBatchFluentBuilder {
        DeleteMessageBatchFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// DeleteMessageBatch from this queue.
    pub fn delete_message_batch(&self) -> DeleteMessageBatchFluentBuilder {
        DeleteMessageBatchFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

pub(crate) fn delete_message_batch(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
    input: DeleteMessageBatchInput,
) -> Result<DeleteMessageBatchOutput, Error> {
    let _span = tracing::debug_span!("sqs.DeleteMessageBatch", queue = %queue.name).entered();
    queue.check_live()?;
    validate::batch_entry_ids(
        input.entries.iter().map(|e| e.id.as_str()),
        svc.limits.max_batch_entries,
        "DeleteMessageBatchRequestEntry",
    )?;
    let now = svc.clock.now();
    // Handles are decoded before the lock is taken: the lock covers only the deletes.
    let receipts: Vec<Result<_, Error>> = input
        .entries
        .iter()
        .map(|e| decode_handle(queue, &e.receipt_handle))
        .collect();
    let mut output = DeleteMessageBatchOutput::default();
    let mut deleted = 0u64;
    {
        let mut state = queue.state.lock();
        state.tick(now);
        for (entry, receipt) in input.entries.into_iter().zip(receipts) {
            let outcome = receipt.and_then(|r| state.core.delete(now, r, &entry.receipt_handle));
            match outcome {
                Ok(outcome) => {
                    if outcome == DeleteOutcome::Deleted {
                        deleted += 1;
                    }
                    output
                        .successful
                        .push(DeleteMessageBatchResultEntry { id: entry.id });
                }
                Err(e) => output
                    .failed
                    .push(BatchResultErrorEntry::new(&entry.id, &e)),
            }
        }
    }
    if deleted > 0 {
        queue.counters.deleted.fetch_add(deleted, Ordering::Relaxed);
        if queue.fifo {
            queue.wake_receivers();
        }
    }
    Ok(output)
}
