//! SendMessage: delivers a message to a queue.
//!
//! # Semantics
//!
//! - The body must be 1 byte or more of the characters SQS allows; body plus attributes must fit
//!   the queue's `MaximumMessageSize` (1 MiB by default).
//! - `DelaySeconds` (0–900) overrides the queue's delay; FIFO queues reject a per-message delay
//!   other than 0 (their queue-level delay applies).
//! - FIFO queues need `MessageGroupId`, and a `MessageDeduplicationId` unless
//!   `ContentBasedDeduplication` is on (then the SHA-256 of the body is the id; an explicit id
//!   wins). A duplicate within the 5-minute window is accepted and answered with the first
//!   message's id and sequence number, but not enqueued again.
//! - Standard queues accept `MessageGroupId` (fair queues) but reject `MessageDeduplicationId`.

use std::sync::Arc;
use std::time::Duration;

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use crate::engine::dedup::FirstSend;
use crate::engine::message::{LazyId, MessageData};
use crate::error;
use crate::queue::{Queue, QueueShared};
use crate::service::{Sqs, SqsInner};
use crate::types::{MessageAttributeValue, MessageAttributes};
use crate::validate;

/// The input of SendMessage, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SendMessageInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
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

/// The output of SendMessage.
#[derive(Debug, Clone)]
pub struct SendMessageOutput {
    message_id: LazyId,
    sequence_number: Option<u128>,
    request: Arc<MessageData>,
}

impl SendMessageOutput {
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

impl Serialize for SendMessageOutput {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
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

/// Builds and sends a SendMessage request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct SendMessageFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: SendMessageInput,
}

impl SendMessageFluentBuilder {
    pub(crate) fn new(sqs: Sqs, queue: Option<Arc<QueueShared>>) -> SendMessageFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        SendMessageFluentBuilder {
            sqs,
            queue,
            input: SendMessageInput {
                queue_url,
                ..SendMessageInput::default()
            },
        }
    }

    /// The queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// The message body.
    pub fn message_body(mut self, body: impl Into<String>) -> Self {
        self.input.message_body = Some(body.into());
        self
    }

    /// Sets or clears the body.
    pub fn set_message_body(mut self, body: Option<String>) -> Self {
        self.input.message_body = body;
        self
    }

    /// Seconds to hide the message (0–900).
    pub fn delay_seconds(mut self, seconds: i32) -> Self {
        self.input.delay_seconds = Some(seconds);
        self
    }

    /// Sets or clears the delay.
    pub fn set_delay_seconds(mut self, seconds: Option<i32>) -> Self {
        self.input.delay_seconds = seconds;
        self
    }

    /// Adds one message attribute.
    pub fn message_attributes(
        mut self,
        name: impl Into<String>,
        value: MessageAttributeValue,
    ) -> Self {
        self.input
            .message_attributes
            .get_or_insert_with(MessageAttributes::new)
            .insert(name.into(), value);
        self
    }

    /// Sets or clears all message attributes.
    pub fn set_message_attributes(mut self, attributes: Option<MessageAttributes>) -> Self {
        self.input.message_attributes = attributes;
        self
    }

    /// Adds one message system attribute (`AWSTraceHeader`).
    pub fn message_system_attributes(
        mut self,
        name: impl Into<String>,
        value: MessageAttributeValue,
    ) -> Self {
        self.input
            .message_system_attributes
            .get_or_insert_with(MessageAttributes::new)
            .insert(name.into(), value);
        self
    }

    /// Sets or clears the message system attributes.
    pub fn set_message_system_attributes(mut self, attributes: Option<MessageAttributes>) -> Self {
        self.input.message_system_attributes = attributes;
        self
    }

    /// FIFO: the deduplication id.
    pub fn message_deduplication_id(mut self, id: impl Into<String>) -> Self {
        self.input.message_deduplication_id = Some(id.into());
        self
    }

    /// Sets or clears the deduplication id.
    pub fn set_message_deduplication_id(mut self, id: Option<String>) -> Self {
        self.input.message_deduplication_id = id;
        self
    }

    /// FIFO: the message group.
    pub fn message_group_id(mut self, id: impl Into<String>) -> Self {
        self.input.message_group_id = Some(id.into());
        self
    }

    /// Sets or clears the message group.
    pub fn set_message_group_id(mut self, id: Option<String>) -> Self {
        self.input.message_group_id = id;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &SendMessageInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<SendMessageOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        send_message(&self.sqs.inner, &queue, self.input)
    }
}

impl Sqs {
    /// SendMessage: delivers a message to the queue at `.queue_url(…)`.
    pub fn send_message(&self) -> SendMessageFluentBuilder {
        SendMessageFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// SendMessage to this queue.
    pub fn send_message(&self) -> SendMessageFluentBuilder {
        SendMessageFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

/// A validated message, ready to enqueue.
pub(crate) struct Prepared {
    pub(crate) data: Arc<MessageData>,
    /// FIFO without an explicit id: the dedup id is the body's SHA-256, allowed only with
    /// `ContentBasedDeduplication`.
    pub(crate) content_derived_dedup: bool,
    pub(crate) delay: Option<Duration>,
    pub(crate) size: usize,
}

/// Validation that needs no queue state: body, attributes, delay range, id formats.
#[allow(clippy::too_many_arguments)]
pub(crate) fn prepare(
    svc: &SqsInner,
    fifo: bool,
    body: Option<String>,
    delay_seconds: Option<i32>,
    attributes: Option<MessageAttributes>,
    system_attributes: Option<MessageAttributes>,
    dedup_id: Option<String>,
    group_id: Option<String>,
    sent_ms: u64,
) -> Result<Prepared, Error> {
    let body = body.ok_or_else(|| {
        error::missing_parameter("The request must contain the parameter MessageBody.")
    })?;
    validate::body(&body)?;
    let attributes = attributes.unwrap_or_default();
    validate::message_attributes(&attributes)?;
    let trace_header = match system_attributes {
        Some(sys) => validate::message_system_attributes(&sys)?,
        None => None,
    };
    let delay = match delay_seconds {
        None => None,
        Some(d) if !(0..=900).contains(&d) => {
            return Err(error::invalid_parameter(
                "DelaySeconds",
                d,
                "DelaySeconds must be >= 0 and <= 900.",
            ));
        }
        Some(d) if fifo && d != 0 => {
            return Err(error::invalid_parameter(
                "DelaySeconds",
                d,
                "The request include parameter that is not valid for this queue type.",
            ));
        }
        // FIFO: only the queue sets a delay; an explicit 0 leaves the queue's in force.
        Some(_) if fifo => None,
        Some(d) => Some(Duration::from_secs(d as u64)),
    };
    if let Some(g) = &group_id {
        validate::message_group_id(g)?;
    }
    if let Some(d) = &dedup_id {
        if !fifo {
            return Err(error::invalid_parameter(
                "MessageDeduplicationId",
                d,
                "The request include parameter that is not valid for this queue type.",
            ));
        }
        validate::message_deduplication_id(d)?;
    }
    if fifo && group_id.is_none() {
        return Err(error::missing_parameter(
            "The request must contain the parameter MessageGroupId.",
        ));
    }
    let size = validate::message_size(&body, &attributes);
    let content_derived_dedup = fifo && dedup_id.is_none();
    let dedup_id = if content_derived_dedup {
        Some(crate::md5::hex(&sha2::Sha256::digest(body.as_bytes())))
    } else {
        dedup_id
    };
    let data = MessageData::new(
        svc.rand.uuid(),
        body,
        attributes,
        trace_header.map(Box::new),
        sent_ms,
        svc.sender_id.clone(),
        group_id.map(Arc::from),
        dedup_id.map(Arc::from),
    );
    Ok(Prepared {
        data: Arc::new(data),
        content_derived_dedup,
        delay,
        size,
    })
}

/// What enqueueing one prepared message produced.
pub(crate) struct Enqueued {
    pub(crate) message_id: LazyId,
    pub(crate) sequence_number: Option<u128>,
    /// A FIFO duplicate inside the deduplication window: answered, not enqueued (and not
    /// counted in `NumberOfMessagesSent`).
    pub(crate) duplicate: bool,
}

/// Enqueues a prepared message under the queue lock: the size limit, FIFO deduplication, the
/// queue's delay. The caller wakes receivers afterwards.
pub(crate) fn enqueue_locked(
    state: &mut crate::queue::QueueState,
    now: aws_lite_core::Instant,
    prepared: Prepared,
) -> Result<Enqueued, Error> {
    validate::check_size(prepared.size, state.config.maximum_message_size.as_usize())?;
    let data = prepared.data;
    let dedup_key = if state.core.is_fifo() {
        if prepared.content_derived_dedup && !state.config.content_based_deduplication {
            return Err(error::invalid_parameter_value(
                "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
            ));
        }
        let Some(id) = data.dedup_id.clone() else {
            return Err(error::missing_parameter(
                "The request must contain the parameter MessageDeduplicationId.",
            ));
        };
        let scope_group = if state.config.deduplication_scope
            == crate::attributes::DeduplicationScope::MessageGroup
        {
            data.group_id.clone()
        } else {
            None
        };
        let key = (scope_group, id);
        if let Some(dedup) = state.dedup.as_mut() {
            if let Some(first) = dedup.check(now, &key) {
                return Ok(Enqueued {
                    message_id: LazyId::new(first.message_id),
                    sequence_number: first.sequence_number,
                    duplicate: true,
                });
            }
        }
        Some(key)
    } else {
        None
    };
    let delay = prepared
        .delay
        .unwrap_or_else(|| Duration::from_secs(u64::from(state.config.delay_seconds)));
    let message_id = data.id;
    let sequence_number = state.core.enqueue(now, data, delay, now, 0);
    if let (Some(key), Some(dedup)) = (dedup_key, state.dedup.as_mut()) {
        dedup.record(
            now,
            key,
            FirstSend {
                message_id,
                sequence_number,
            },
        );
    }
    Ok(Enqueued {
        message_id: LazyId::new(message_id),
        sequence_number,
        duplicate: false,
    })
}

pub(crate) fn send_message(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
    input: SendMessageInput,
) -> Result<SendMessageOutput, Error> {
    let _span = tracing::debug_span!("sqs.SendMessage", queue = %queue.name).entered();
    queue.check_live()?;
    let now = svc.clock.now();
    let prepared = prepare(
        svc,
        queue.fifo,
        input.message_body,
        input.delay_seconds,
        input.message_attributes,
        input.message_system_attributes,
        input.message_deduplication_id,
        input.message_group_id,
        svc.epoch_ms(now),
    )?;
    let request = prepared.data.clone();
    let enqueued = {
        let mut state = queue.state.lock();
        state.tick(now);
        enqueue_locked(&mut state, now, prepared)?
    };
    if !enqueued.duplicate {
        queue
            .counters
            .sent
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        queue.wake_receivers();
    }
    Ok(SendMessageOutput {
        message_id: enqueued.message_id,
        sequence_number: enqueued.sequence_number,
        request,
    })
}
