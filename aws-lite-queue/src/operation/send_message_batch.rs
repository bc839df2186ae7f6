//! SendMessageBatch: delivers up to 10 messages to a queue in one call.
//!
//! # Semantics
//!
//! The batch as a whole is checked first; any of these fails the whole call and sends nothing:
//!
//! 1. the entry list: not empty, at most 10 entries, ids `[A-Za-z0-9_-]{1,80}` and distinct
//!    (see [`batch`](crate::operation::batch));
//! 2. FIFO queues: every entry needs a `MessageDeduplicationId` unless the queue has
//!    `ContentBasedDeduplication` (`InvalidParameterValue` "The queue should either have
//!    ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"), and a
//!    `MessageGroupId` (`InvalidParameterValue` "The request must contain the parameter
//!    MessageGroupId."): unlike SendMessage, a batch answers these for the whole request (AWS,
//!    recorded by LocalStack's `test_send_batch_missing_*_for_fifo_queue`);
//! 3. the bodies and message attributes of all entries together must fit
//!    [`Limits::max_batch_payload`](crate::limits::Limits::max_batch_payload) (1 MiB):
//!    `AWS.SimpleQueueService.BatchRequestTooLong` "Batch requests cannot be longer than 1048576
//!    bytes. You have sent 1048577 bytes."
//!
//! Then each entry is sent as [SendMessage](crate::operation::send_message) would send it, in
//! request order, under one hold of the queue's lock (so a batch's messages sit next to each
//! other, and FIFO deduplication applies between entries of the same batch). An entry SendMessage
//! would reject (an empty body, a bad delay, too many attributes, a body over
//! `MaximumMessageSize` …) is listed in [`failed`](SendMessageBatchOutput::failed) with that
//! error's code and message, and the others are sent. Long-polling receivers are woken once.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};

use crate::engine::message::{LazyId, MessageData};
use crate::error;
use crate::operation::batch::BatchResultErrorEntry;
use crate::operation::send_message::{enqueue_locked, prepare};
use crate::queue::{Queue, QueueShared};
use crate::service::{Sqs, SqsInner};
use crate::types::{MessageAttributeValue, MessageAttributes};
use crate::validate;

/// One message of a SendMessageBatch request (`SendMessageBatchRequestEntry`).
///
/// ```
/// use aws_lite_queue::operation::send_message_batch::SendMessageBatchRequestEntry;
///
/// let entry = SendMessageBatchRequestEntry::new("m1", "hello").delay_seconds(5);
/// assert_eq!(entry.id, "m1");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SendMessageBatchRequestEntry {
    /// The entry's id within the batch: `[A-Za-z0-9_-]{1,80}`, distinct within the request.
    #[serde(default)]
    pub id: String,
    /// The message body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_body: Option<String>,
    /// Seconds to hide the message after sending (0–900).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_seconds: Option<i32>,
    /// Message attributes (at most 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_attributes: Option<MessageAttributes>,
    /// Message system attributes: only `AWSTraceHeader`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_system_attributes: Option<MessageAttributes>,
    /// FIFO: the deduplication id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_deduplication_id: Option<String>,
    /// FIFO: the message group (standard queues: the fair-queue tenant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_group_id: Option<String>,
}

impl SendMessageBatchRequestEntry {
    /// An entry with id `id` and body `body`.
    pub fn new(id: impl Into<String>, body: impl Into<String>) -> SendMessageBatchRequestEntry {
        SendMessageBatchRequestEntry {
            id: id.into(),
            message_body: Some(body.into()),
            ..SendMessageBatchRequestEntry::default()
        }
    }

    /// The entry's id.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = id.into();
        self
    }

    /// The message body.
    pub fn message_body(mut self, body: impl Into<String>) -> Self {
        self.message_body = Some(body.into());
        self
    }

    /// Sets or clears the body.
    pub fn set_message_body(mut self, body: Option<String>) -> Self {
        self.message_body = body;
        self
    }

    /// Seconds to hide the message (0–900).
    pub fn delay_seconds(mut self, seconds: i32) -> Self {
        self.delay_seconds = Some(seconds);
        self
    }

    /// Sets or clears the delay.
    pub fn set_delay_seconds(mut self, seconds: Option<i32>) -> Self {
        self.delay_seconds = seconds;
        self
    }

    /// Adds one message attribute.
    pub fn message_attributes(
        mut self,
        name: impl Into<String>,
        value: MessageAttributeValue,
    ) -> Self {
        self.message_attributes
            .get_or_insert_with(MessageAttributes::new)
            .insert(name.into(), value);
        self
    }

    /// Sets or clears all message attributes.
    pub fn set_message_attributes(mut self, attributes: Option<MessageAttributes>) -> Self {
        self.message_attributes = attributes;
        self
    }

    /// Adds one message system attribute (`AWSTraceHeader`).
    pub fn message_system_attributes(
        mut self,
        name: impl Into<String>,
        value: MessageAttributeValue,
    ) -> Self {
        self.message_system_attributes
            .get_or_insert_with(MessageAttributes::new)
            .insert(name.into(), value);
        self
    }

    /// Sets or clears the message system attributes.
    pub fn set_message_system_attributes(mut self, attributes: Option<MessageAttributes>) -> Self {
        self.message_system_attributes = attributes;
        self
    }

    /// FIFO: the deduplication id.
    pub fn message_deduplication_id(mut self, id: impl Into<String>) -> Self {
        self.message_deduplication_id = Some(id.into());
        self
    }

    /// Sets or clears the deduplication id.
    pub fn set_message_deduplication_id(mut self, id: Option<String>) -> Self {
        self.message_deduplication_id = id;
        self
    }

    /// FIFO: the message group.
    pub fn message_group_id(mut self, id: impl Into<String>) -> Self {
        self.message_group_id = Some(id.into());
        self
    }

    /// Sets or clears the message group.
    pub fn set_message_group_id(mut self, id: Option<String>) -> Self {
        self.message_group_id = id;
        self
    }
}

/// The input of SendMessageBatch, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SendMessageBatchInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
    /// The messages to send (1 to 10).
    #[serde(default)]
    pub entries: Vec<SendMessageBatchRequestEntry>,
}

/// One message of a SendMessageBatch that was sent (`SendMessageBatchResultEntry`).
#[derive(Debug, Clone)]
pub struct SendMessageBatchResultEntry {
    id: String,
    message_id: LazyId,
    sequence_number: Option<u128>,
    request: Arc<MessageData>,
}

impl SendMessageBatchResultEntry {
    /// The `Id` of the entry, as the request gave it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The message's id (for a FIFO duplicate, the id of the first message).
    pub fn message_id(&self) -> &str {
        self.message_id.as_str()
    }

    /// `MD5OfMessageBody`: lowercase hex MD5 of the body sent.
    pub fn md5_of_message_body(&self) -> &str {
        self.request.md5_of_body()
    }

    /// `MD5OfMessageAttributes`, when attributes were sent.
    pub fn md5_of_message_attributes(&self) -> Option<&str> {
        self.request.md5_of_attributes()
    }

    /// `MD5OfMessageSystemAttributes`, when system attributes were sent.
    pub fn md5_of_message_system_attributes(&self) -> Option<&str> {
        self.request.md5_of_system_attributes()
    }

    /// FIFO: the sequence number (a 128-bit decimal, increasing within the group).
    pub fn sequence_number(&self) -> Option<String> {
        self.sequence_number.map(|s| s.to_string())
    }
}

impl Serialize for SendMessageBatchResultEntry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("Id", &self.id)?;
        if let Some(v) = self.md5_of_message_attributes() {
            m.serialize_entry("MD5OfMessageAttributes", v)?;
        }
        m.serialize_entry("MD5OfMessageBody", self.md5_of_message_body())?;
        if let Some(v) = self.md5_of_message_system_attributes() {
            m.serialize_entry("MD5OfMessageSystemAttributes", v)?;
        }
        m.serialize_entry("MessageId", self.message_id())?;
        if let Some(v) = self.sequence_number() {
            m.serialize_entry("SequenceNumber", &v)?;
        }
        m.end()
    }
}

/// The output of SendMessageBatch: the entries sent and the entries that failed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SendMessageBatchOutput {
    #[serde(rename = "Failed")]
    failed: Vec<BatchResultErrorEntry>,
    #[serde(rename = "Successful")]
    successful: Vec<SendMessageBatchResultEntry>,
}

impl SendMessageBatchOutput {
    /// The entries that were sent, in request order.
    pub fn successful(&self) -> &[SendMessageBatchResultEntry] {
        &self.successful
    }

    /// The entries that were not sent, in request order, each with the error SendMessage would
    /// have returned.
    pub fn failed(&self) -> &[BatchResultErrorEntry] {
        &self.failed
    }
}

/// Builds and sends a SendMessageBatch request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct SendMessageBatchFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: SendMessageBatchInput,
}

impl SendMessageBatchFluentBuilder {
    pub(crate) fn new(sqs: Sqs, queue: Option<Arc<QueueShared>>) -> SendMessageBatchFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        SendMessageBatchFluentBuilder {
            sqs,
            queue,
            input: SendMessageBatchInput {
                queue_url,
                ..SendMessageBatchInput::default()
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
    pub fn entries(mut self, entry: SendMessageBatchRequestEntry) -> Self {
        self.input.entries.push(entry);
        self
    }

    /// Sets (or, with `None`, clears) all entries.
    pub fn set_entries(mut self, entries: Option<Vec<SendMessageBatchRequestEntry>>) -> Self {
        self.input.entries = entries.unwrap_or_default();
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &SendMessageBatchInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<SendMessageBatchOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        send_message_batch(&self.sqs.inner, &queue, self.input)
    }
}

impl Sqs {
    /// SendMessageBatch: delivers up to 10 messages to the queue at `.queue_url(…)`.
    pub fn send_message_batch(&self) -> SendMessageBatchFluentBuilder {
        SendMessageBatchFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// SendMessageBatch to this queue.
    pub fn send_message_batch(&self) -> SendMessageBatchFluentBuilder {
        SendMessageBatchFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

fn is_missing(value: Option<&String>) -> bool {
    value.is_none_or(|v| v.is_empty())
}

/// For each entry of a FIFO batch: whether it lacks a deduplication id, and whether it lacks a
/// group.
type FifoGaps = Vec<(bool, bool)>;

/// The checks a FIFO batch fails as a whole, entry by entry in request order (LocalStack's
/// order, snapshot-tested against AWS): the deduplication id, then the group.
fn check_fifo_entries(gaps: &FifoGaps, content_based_deduplication: bool) -> Result<(), Error> {
    for &(no_dedup_id, no_group) in gaps {
        if no_dedup_id && !content_based_deduplication {
            return Err(error::invalid_parameter_value(
                "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
            ));
        }
        if no_group {
            return Err(error::invalid_parameter_value(
                "The request must contain the parameter MessageGroupId.",
            ));
        }
    }
    Ok(())
}

pub(crate) fn send_message_batch(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
    input: SendMessageBatchInput,
) -> Result<SendMessageBatchOutput, Error> {
    let _span = tracing::debug_span!("sqs.SendMessageBatch", queue = %queue.name).entered();
    queue.check_live()?;
    let entries = input.entries;
    validate::batch_entry_ids(
        entries.iter().map(|e| e.id.as_str()),
        svc.limits.max_batch_entries,
        "SendMessageBatchRequestEntry",
    )?;
    let no_attributes = MessageAttributes::new();
    let payload: usize = entries
        .iter()
        .map(|e| {
            validate::message_size(
                e.message_body.as_deref().unwrap_or_default(),
                e.message_attributes.as_ref().unwrap_or(&no_attributes),
            )
        })
        .sum();
    let now = svc.clock.now();
    let sent_ms = svc.epoch_ms(now);
    // Validation that needs no queue state (and the FIFO content hash) runs outside the lock.
    let mut ids: Vec<String> = Vec::with_capacity(entries.len());
    let fifo_gaps: FifoGaps = if queue.fifo {
        entries
            .iter()
            .map(|e| {
                (
                    is_missing(e.message_deduplication_id.as_ref()),
                    is_missing(e.message_group_id.as_ref()),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let prepared: Vec<_> = entries
        .into_iter()
        .map(|e| {
            ids.push(e.id);
            prepare(
                svc,
                queue.fifo,
                e.message_body,
                e.delay_seconds,
                e.message_attributes,
                e.message_system_attributes,
                e.message_deduplication_id,
                e.message_group_id,
                sent_ms,
            )
        })
        .collect();
    let mut output = SendMessageBatchOutput::default();
    let mut enqueued_count = 0u64;
    {
        let mut state = queue.state.lock();
        if queue.fifo {
            check_fifo_entries(&fifo_gaps, state.config.content_based_deduplication)?;
        }
        let max_payload = svc.limits.max_batch_payload.as_usize();
        if payload > max_payload {
            return Err(error::batch_request_too_long(payload, max_payload));
        }
        state.tick(now);
        for (id, prepared) in ids.into_iter().zip(prepared) {
            let sent = prepared.and_then(|p| {
                let request = p.data.clone();
                enqueue_locked(&mut state, now, p).map(|e| (e, request))
            });
            match sent {
                Ok((enqueued, request)) => {
                    if !enqueued.duplicate {
                        enqueued_count += 1;
                    }
                    output.successful.push(SendMessageBatchResultEntry {
                        id,
                        message_id: enqueued.message_id,
                        sequence_number: enqueued.sequence_number,
                        request,
                    });
                }
                Err(e) => output.failed.push(BatchResultErrorEntry::new(&id, &e)),
            }
        }
    }
    if enqueued_count > 0 {
        queue
            .counters
            .sent
            .fetch_add(enqueued_count, Ordering::Relaxed);
        queue.wake_receivers();
    }
    Ok(output)
}
