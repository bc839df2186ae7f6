//! ChangeMessageVisibilityBatch: changes the visibility of up to 10 received messages in one
//! call.
//!
//! # Semantics
//!
//! The entry list is checked first (not empty, at most 10 entries, ids `[A-Za-z0-9_-]{1,80}`
//! and distinct; see [`batch`](crate::operation::batch)); a list that breaks a rule fails the
//! whole call. Then each entry is applied as
//! [ChangeMessageVisibility](crate::operation::change_message_visibility) would apply it (the
//! 12-hour rule, expired handles, deleted messages), in request order, under one hold of the
//! queue's lock. An entry that fails is listed in
//! [`failed`](ChangeMessageVisibilityBatchOutput::failed); the wording of the entry-level
//! checks follows Inqnuam/local-aws-sqs:
//!
//! - an empty handle: `MissingParameter` "The request must contain the parameter
//!   ReceiptHandle.";
//! - no timeout: `MissingParameter` "The request must contain the parameter
//!   ChangeMessageVisibilityBatchRequestEntry.{n}.VisibilityTimeout." (`n` counts from 1);
//! - a timeout outside 0–43,200: `InvalidParameterValue` "Value {t} for parameter
//!   VisibilityTimeout is invalid. Reason: VisibilityTimeout must be an integer between 0 and
//!   43200.".

use std::sync::Arc;
use std::time::Duration;

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};

use crate::error;
use crate::operation::batch::BatchResultErrorEntry;
use crate::operation::change_message_visibility::{change_locked, max_total_visibility};
use crate::queue::{Queue, QueueShared};
use crate::service::{Sqs, SqsInner};
use crate::validate;

/// One message of a ChangeMessageVisibilityBatch request
/// (`ChangeMessageVisibilityBatchRequestEntry`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ChangeMessageVisibilityBatchRequestEntry {
    /// The entry's id within the batch: `[A-Za-z0-9_-]{1,80}`, distinct within the request.
    #[serde(default)]
    pub id: String,
    /// The receipt handle from the receive.
    #[serde(default)]
    pub receipt_handle: String,
    /// The new visibility timeout, in seconds from now (0–43,200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility_timeout: Option<i32>,
}

impl ChangeMessageVisibilityBatchRequestEntry {
    /// An entry with id `id` hiding the message received with `receipt_handle` for `seconds`.
    pub fn new(
        id: impl Into<String>,
        receipt_handle: impl Into<String>,
        seconds: i32,
    ) -> ChangeMessageVisibilityBatchRequestEntry {
        ChangeMessageVisibilityBatchRequestEntry {
            id: id.into(),
            receipt_handle: receipt_handle.into(),
            visibility_timeout: Some(seconds),
        }
    }

    /// Sets or clears the visibility timeout.
    pub fn set_visibility_timeout(mut self, seconds: Option<i32>) -> Self {
        self.visibility_timeout = seconds;
        self
    }
}

/// The input of ChangeMessageVisibilityBatch, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ChangeMessageVisibilityBatchInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
    /// The changes to make (1 to 10).
    #[serde(default)]
    pub entries: Vec<ChangeMessageVisibilityBatchRequestEntry>,
}

/// One entry of a ChangeMessageVisibilityBatch that succeeded
/// (`ChangeMessageVisibilityBatchResultEntry`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangeMessageVisibilityBatchResultEntry {
    id: String,
}

impl ChangeMessageVisibilityBatchResultEntry {
    /// The `Id` of the entry, as the request gave it.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The output of ChangeMessageVisibilityBatch: the entries applied and the entries that failed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ChangeMessageVisibilityBatchOutput {
    #[serde(rename = "Failed")]
    failed: Vec<BatchResultErrorEntry>,
    #[serde(rename = "Successful")]
    successful: Vec<ChangeMessageVisibilityBatchResultEntry>,
}

impl ChangeMessageVisibilityBatchOutput {
    /// The entries that succeeded, in request order.
    pub fn successful(&self) -> &[ChangeMessageVisibilityBatchResultEntry] {
        &self.successful
    }

    /// The entries that failed, in request order, each with its error.
    pub fn failed(&self) -> &[BatchResultErrorEntry] {
        &self.failed
    }
}

/// Builds and sends a ChangeMessageVisibilityBatch request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ChangeMessageVisibilityBatchFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: ChangeMessageVisibilityBatchInput,
}

impl ChangeMessageVisibilityBatchFluentBuilder {
    pub(crate) fn new(
        sqs: Sqs,
        queue: Option<Arc<QueueShared>>,
    ) -> ChangeMessageVisibilityBatchFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        ChangeMessageVisibilityBatchFluentBuilder {
            sqs,
            queue,
            input: ChangeMessageVisibilityBatchInput {
                queue_url,
                ..ChangeMessageVisibilityBatchInput::default()
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
    pub fn entries(mut self, entry: ChangeMessageVisibilityBatchRequestEntry) -> Self {
        self.input.entries.push(entry);
        self
    }

    /// Sets (or, with `None`, clears) all entries.
    pub fn set_entries(
        mut self,
        entries: Option<Vec<ChangeMessageVisibilityBatchRequestEntry>>,
    ) -> Self {
        self.input.entries = entries.unwrap_or_default();
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &ChangeMessageVisibilityBatchInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<ChangeMessageVisibilityBatchOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        change_message_visibility_batch(&self.sqs.inner, &queue, self.input)
    }
}

impl Sqs {
    /// ChangeMessageVisibilityBatch of messages of the queue at `.queue_url(…)`.
    pub fn change_message_visibility_batch(&self) -> ChangeMessageVisibilityBatchFluentBuilder {
        ChangeMessageVisibilityBatchFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// ChangeMessageVisibilityBatch of messages of this queue.
    pub fn change_message_visibility_batch(&self) -> ChangeMessageVisibilityBatchFluentBuilder {
        ChangeMessageVisibilityBatchFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

/// The entry-level checks that need no queue state: the handle and the timeout's range.
fn entry_timeout(
    svc: &SqsInner,
    position: usize,
    entry: &ChangeMessageVisibilityBatchRequestEntry,
) -> Result<Duration, Error> {
    if entry.receipt_handle.is_empty() {
        return Err(error::missing_parameter(
            "The request must contain the parameter ReceiptHandle.",
        ));
    }
    let Some(seconds) = entry.visibility_timeout else {
        return Err(error::missing_parameter(format!(
            "The request must contain the parameter ChangeMessageVisibilityBatchRequestEntry.{}.VisibilityTimeout.",
            position + 1
        )));
    };
    let max = svc.limits.visibility_timeout.max;
    u32::try_from(seconds)
        .ok()
        .filter(|s| *s <= max)
        .map(|s| Duration::from_secs(u64::from(s)))
        .ok_or_else(|| {
            error::invalid_parameter(
                "VisibilityTimeout",
                seconds,
                &format!("VisibilityTimeout must be an integer between 0 and {max}."),
            )
        })
}

pub(crate) fn change_message_visibility_batch(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
    input: ChangeMessageVisibilityBatchInput,
) -> Result<ChangeMessageVisibilityBatchOutput, Error> {
    let _span =
        tracing::debug_span!("sqs.ChangeMessageVisibilityBatch", queue = %queue.name).entered();
    queue.check_live()?;
    validate::batch_entry_ids(
        input.entries.iter().map(|e| e.id.as_str()),
        svc.limits.max_batch_entries,
        "ChangeMessageVisibilityBatchRequestEntry",
    )?;
    let max_total = max_total_visibility(svc);
    let now = svc.clock.now();
    let mut output = ChangeMessageVisibilityBatchOutput::default();
    {
        let mut state = queue.state.lock();
        state.tick(now);
        for (position, entry) in input.entries.into_iter().enumerate() {
            let changed = entry_timeout(svc, position, &entry).and_then(|timeout| {
                change_locked(
                    &mut state,
                    queue,
                    now,
                    &entry.receipt_handle,
                    timeout,
                    max_total,
                )
            });
            match changed {
                Ok(()) => output
                    .successful
                    .push(ChangeMessageVisibilityBatchResultEntry { id: entry.id }),
                Err(e) => output
                    .failed
                    .push(BatchResultErrorEntry::new(&entry.id, &e)),
            }
        }
    }
    if !output.successful.is_empty() {
        queue.wake_receivers();
    }
    Ok(output)
}
