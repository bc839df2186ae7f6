//! ReceiveMessage: hands out visible messages, hiding them for the visibility timeout.
//!
//! # Semantics
//!
//! - Up to `MaxNumberOfMessages` (1–10, default 1) messages, each with a new receipt handle.
//! - `VisibilityTimeout` (0–43,200 s) overrides the queue's for this receive.
//! - `WaitTimeSeconds` (0–20; default the queue's `ReceiveMessageWaitTimeSeconds`) long-polls:
//!   the call returns as soon as a message is available (a send, an expired visibility timeout or
//!   an ended delay), or empty when the wait ends. Waiting is on the service's clock, so paused
//!   time makes a 20-second poll instantaneous.
//! - A message whose receive count has reached the redrive policy's `maxReceiveCount` is moved
//!   to the dead-letter queue instead of being returned.
//! - FIFO: messages of one group come out in order, a group with a message in flight is
//!   skipped; `ReceiveRequestAttemptId` makes a retried receive return the same messages and
//!   handles for 5 minutes while they are still in flight.
//! - `MessageSystemAttributeNames` (or the deprecated `AttributeNames`) select system attributes;
//!   `MessageAttributeNames` takes names, `All`, `.*` and `prefix.*`.

use std::collections::BTreeMap;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use aws_lite_core::{Clock, Error, Instant};
use serde::{Deserialize, Serialize};

use crate::engine::message::{LazyId, MessageData};
use crate::engine::receipt::HandleText;
use crate::engine::{NoFaults, ReceiveFaults, ReceiveParams, Received};
use crate::error;
use crate::queue::{Attempt, Queue, QueueShared};
use crate::service::{Sqs, SqsInner};
use crate::system_attributes::MessageSystemAttributeName;
use crate::types::MessageAttributes;
use crate::validate::{self, AttributeNameFilter};

/// The input of ReceiveMessage, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ReceiveMessageInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
    /// Deprecated spelling of `MessageSystemAttributeNames`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_names: Option<Vec<String>>,
    /// System attributes to return (`All`, `SentTimestamp`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_system_attribute_names: Option<Vec<String>>,
    /// Message attributes to return (names, `All`, `.*`, `prefix.*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_attribute_names: Option<Vec<String>>,
    /// At most this many messages (1–10, default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_number_of_messages: Option<i32>,
    /// Visibility timeout for the received messages (0–43,200 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility_timeout: Option<i32>,
    /// Long-poll wait (0–20 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_time_seconds: Option<i32>,
    /// FIFO: makes a retried receive return the same messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receive_request_attempt_id: Option<String>,
}

/// A received message.
#[derive(Debug, Clone)]
pub struct Message {
    data: Arc<MessageData>,
    message_id: LazyId,
    receipt_handle: HandleText,
    attributes: BTreeMap<MessageSystemAttributeName, String>,
    message_attributes: Option<MessageAttributes>,
    /// Whether `message_attributes` holds every attribute of the message.
    all_attributes: bool,
}

impl Message {
    /// The message's id.
    pub fn message_id(&self) -> &str {
        self.message_id.as_str()
    }

    /// The receipt handle of this receive: needed to delete the message or change its
    /// visibility.
    pub fn receipt_handle(&self) -> &str {
        self.receipt_handle.as_str()
    }

    /// The body.
    pub fn body(&self) -> &str {
        &self.data.body
    }

    /// `MD5OfBody`.
    pub fn md5_of_body(&self) -> &str {
        self.data.md5_of_body()
    }

    /// The system attributes that were asked for.
    pub fn attributes(&self) -> &BTreeMap<MessageSystemAttributeName, String> {
        &self.attributes
    }

    /// One system attribute, if it was asked for.
    pub fn attribute(&self, name: MessageSystemAttributeName) -> Option<&str> {
        self.attributes.get(&name).map(String::as_str)
    }

    /// The message attributes that were asked for (`None` when none matched).
    pub fn message_attributes(&self) -> Option<&MessageAttributes> {
        self.message_attributes.as_ref()
    }

    /// `MD5OfMessageAttributes` of the attributes returned.
    pub fn md5_of_message_attributes(&self) -> Option<String> {
        let attrs = self.message_attributes.as_ref()?;
        if self.all_attributes {
            self.data.md5_of_attributes().map(str::to_string)
        } else {
            crate::md5::md5_of_attributes(attrs)
        }
    }

    /// The extended client's view of this message: another body, receipt handle and message
    /// attributes; the digests follow the new values.
    #[cfg(feature = "extended")]
    pub(crate) fn with_payload(
        &self,
        body: String,
        receipt_handle: String,
        message_attributes: Option<MessageAttributes>,
    ) -> Message {
        let d = &self.data;
        let mut data = MessageData::new(
            d.id,
            body,
            d.attributes.clone(),
            d.trace_header.clone(),
            d.sent_ms,
            d.sender_id.clone(),
            d.group_id.clone(),
            d.dedup_id.clone(),
        );
        data.dead_letter_source_arn = d.dead_letter_source_arn.clone();
        Message {
            message_id: self.message_id.clone(),
            data: Arc::new(data),
            receipt_handle: HandleText::Other(receipt_handle),
            attributes: self.attributes.clone(),
            message_attributes,
            all_attributes: false,
        }
    }
}

impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        if !self.attributes.is_empty() {
            let attrs: BTreeMap<&str, &str> = self
                .attributes
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            m.serialize_entry("Attributes", &attrs)?;
        }
        m.serialize_entry("Body", self.body())?;
        m.serialize_entry("MD5OfBody", self.md5_of_body())?;
        if let Some(md5) = self.md5_of_message_attributes() {
            m.serialize_entry("MD5OfMessageAttributes", &md5)?;
        }
        if let Some(attrs) = &self.message_attributes {
            m.serialize_entry("MessageAttributes", attrs)?;
        }
        m.serialize_entry("MessageId", self.message_id())?;
        m.serialize_entry("ReceiptHandle", self.receipt_handle())?;
        m.end()
    }
}

/// The output of ReceiveMessage.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReceiveMessageOutput {
    #[serde(rename = "Messages", skip_serializing_if = "Vec::is_empty")]
    messages: Vec<Message>,
}

impl ReceiveMessageOutput {
    /// The messages received (possibly none).
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// Takes the messages.
    pub fn into_messages(self) -> Vec<Message> {
        self.messages
    }

    /// An output holding `messages` (the extended client's).
    #[cfg(feature = "extended")]
    pub(crate) fn from_messages(messages: Vec<Message>) -> ReceiveMessageOutput {
        ReceiveMessageOutput { messages }
    }
}

/// Builds and sends a ReceiveMessage request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ReceiveMessageFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: ReceiveMessageInput,
}

impl ReceiveMessageFluentBuilder {
    pub(crate) fn new(sqs: Sqs, queue: Option<Arc<QueueShared>>) -> ReceiveMessageFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        ReceiveMessageFluentBuilder {
            sqs,
            queue,
            input: ReceiveMessageInput {
                queue_url,
                ..ReceiveMessageInput::default()
            },
        }
    }

    /// The queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// Adds a system attribute to return (deprecated spelling).
    pub fn attribute_names(mut self, name: impl Into<String>) -> Self {
        self.input
            .attribute_names
            .get_or_insert_with(Vec::new)
            .push(name.into());
        self
    }

    /// Adds a system attribute to return (`All`, `SentTimestamp`, …).
    pub fn message_system_attribute_names(mut self, name: impl Into<String>) -> Self {
        self.input
            .message_system_attribute_names
            .get_or_insert_with(Vec::new)
            .push(name.into());
        self
    }

    /// Sets or clears the system attributes to return.
    pub fn set_message_system_attribute_names(mut self, names: Option<Vec<String>>) -> Self {
        self.input.message_system_attribute_names = names;
        self
    }

    /// Adds a message attribute name, `All`, `.*` or `prefix.*` to return.
    pub fn message_attribute_names(mut self, name: impl Into<String>) -> Self {
        self.input
            .message_attribute_names
            .get_or_insert_with(Vec::new)
            .push(name.into());
        self
    }

    /// Sets or clears the message attributes to return.
    pub fn set_message_attribute_names(mut self, names: Option<Vec<String>>) -> Self {
        self.input.message_attribute_names = names;
        self
    }

    /// At most this many messages (1–10).
    pub fn max_number_of_messages(mut self, n: i32) -> Self {
        self.input.max_number_of_messages = Some(n);
        self
    }

    /// Visibility timeout for the received messages, in seconds.
    pub fn visibility_timeout(mut self, seconds: i32) -> Self {
        self.input.visibility_timeout = Some(seconds);
        self
    }

    /// Long-poll wait, in seconds (0–20).
    pub fn wait_time_seconds(mut self, seconds: i32) -> Self {
        self.input.wait_time_seconds = Some(seconds);
        self
    }

    /// FIFO: the receive request attempt id.
    pub fn receive_request_attempt_id(mut self, id: impl Into<String>) -> Self {
        self.input.receive_request_attempt_id = Some(id.into());
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &ReceiveMessageInput {
        &self.input
    }

    /// Sends the request (and waits, when long polling).
    pub async fn send(self) -> Result<ReceiveMessageOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        receive_message(&self.sqs.inner, &queue, self.input).await
    }
}

impl Sqs {
    /// ReceiveMessage from the queue at `.queue_url(…)`.
    pub fn receive_message(&self) -> ReceiveMessageFluentBuilder {
        ReceiveMessageFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// ReceiveMessage from this queue.
    pub fn receive_message(&self) -> ReceiveMessageFluentBuilder {
        ReceiveMessageFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

/// Validated receive options.
struct Options {
    max: usize,
    visibility: Option<Duration>,
    wait: Option<Duration>,
    system: Vec<MessageSystemAttributeName>,
    all_system: bool,
    filter: Option<AttributeNameFilter>,
    attempt_id: Option<String>,
}

fn range(name: &str, value: Option<i32>, min: i32, max: i32) -> Result<Option<i32>, Error> {
    match value {
        Some(v) if v < min || v > max => Err(error::invalid_parameter(
            name,
            v,
            &format!("Must be >= {min} and <= {max}, if provided."),
        )),
        v => Ok(v),
    }
}

fn options(svc: &SqsInner, fifo: bool, input: ReceiveMessageInput) -> Result<Options, Error> {
    let limits = &svc.limits;
    let max = range(
        "MaxNumberOfMessages",
        input.max_number_of_messages,
        1,
        limits.max_number_of_messages.max as i32,
    )?
    .unwrap_or(1) as usize;
    let visibility = range(
        "VisibilityTimeout",
        input.visibility_timeout,
        0,
        limits.visibility_timeout.max as i32,
    )?
    .map(|v| Duration::from_secs(v as u64));
    let wait = range(
        "WaitTimeSeconds",
        input.wait_time_seconds,
        0,
        limits.receive_message_wait_time_seconds.max as i32,
    )?
    .map(|v| Duration::from_secs(v as u64));
    let mut system = Vec::new();
    let mut all_system = false;
    for name in input
        .message_system_attribute_names
        .iter()
        .chain(input.attribute_names.iter())
        .flatten()
    {
        let parsed: MessageSystemAttributeName = name
            .parse()
            .map_err(|_| error::invalid_attribute_name(format!("Unknown Attribute {name}.")))?;
        if parsed == MessageSystemAttributeName::All {
            all_system = true;
        } else if !system.contains(&parsed) {
            system.push(parsed);
        }
    }
    let filter = match input.message_attribute_names {
        Some(names) if !names.is_empty() => Some(AttributeNameFilter::new(&names)),
        _ => None,
    };
    let attempt_id = match input.receive_request_attempt_id {
        Some(id) if fifo => {
            validate::receive_request_attempt_id(&id)?;
            Some(id)
        }
        _ => None,
    };
    Ok(Options {
        max,
        visibility,
        wait,
        system,
        all_system,
        filter,
        attempt_id,
    })
}

/// Perturbs receives as the fault plan says.
struct PlanFaults<'a> {
    svc: &'a SqsInner,
    target: &'a str,
}

impl ReceiveFaults for PlanFaults<'_> {
    fn reorder(&mut self, len: usize) -> usize {
        if len > 1
            && self
                .svc
                .faults
                .check(
                    aws_lite_core::fault::FaultPoint::QUEUE_RECEIVE_REORDER,
                    self.target,
                )
                .is_some()
        {
            1 + self.svc.rand.below(len as u64 - 1) as usize
        } else {
            0
        }
    }
    fn duplicate(&mut self) -> bool {
        self.svc
            .faults
            .check(
                aws_lite_core::fault::FaultPoint::QUEUE_RECEIVE_DUPLICATE,
                self.target,
            )
            .is_some()
    }
}

pub(crate) async fn receive_message(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
    input: ReceiveMessageInput,
) -> Result<ReceiveMessageOutput, Error> {
    use tracing::Instrument as _;
    let span = tracing::debug_span!("sqs.ReceiveMessage", queue = %queue.name);
    receive(svc, queue, input).instrument(span).await
}

async fn receive(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
    input: ReceiveMessageInput,
) -> Result<ReceiveMessageOutput, Error> {
    queue.check_live()?;
    let opts = options(svc, queue.fifo, input)?;
    let start = svc.clock.now();
    if let Some(id) = &opts.attempt_id {
        let mut state = queue.state.lock();
        state.tick(start);
        state.attempts.retain(|_, a| a.expires > start);
        if let Some(replay) = state.attempts.get(id) {
            let still_held = replay.messages.iter().all(|m| {
                crate::operation::delete_message::is_current_in_flight(
                    &state,
                    queue,
                    m.receipt_handle(),
                    start,
                )
            });
            if still_held {
                return Ok(ReceiveMessageOutput {
                    messages: replay.messages.clone(),
                });
            }
        }
    }
    let mut deadline: Option<Instant> = None;
    // Present while this receive counts as a long-poll waiter; dropped on every exit, including
    // cancellation.
    let mut _waiter: Option<WaiterGuard<'_>> = None;
    let faults_on = svc.faults.is_enabled() && !queue.fifo;
    loop {
        queue.check_live()?;
        let now = svc.clock.now();
        let notified = queue.notify.notified();
        let mut notified = pin!(notified);
        let waiting = deadline.is_some();
        if waiting {
            notified.as_mut().enable();
            // DeleteQueue sets the flag, then wakes the registered waiters: checking again after
            // registering means a delete is seen either here or through the wake-up.
            queue.check_live()?;
        }
        let (received, dead, dlq, next_wake, wait_default) = {
            let mut state = queue.state.lock();
            state.tick(now);
            let dlq = state.config.redrive_policy.as_ref().and_then(|p| {
                svc.lookup_arn(&p.dead_letter_target_arn)
                    .map(|q| (q, p.max_receive_count))
            });
            let params = ReceiveParams {
                max_messages: opts.max,
                visibility: opts.visibility.unwrap_or_else(|| {
                    Duration::from_secs(u64::from(state.config.visibility_timeout))
                }),
                max_receive_count: dlq.as_ref().map(|(_, n)| *n),
                in_flight_limit: Some(if queue.fifo {
                    svc.limits.max_in_flight_fifo
                } else {
                    svc.limits.max_in_flight_standard
                }),
                now_ms: svc.epoch_ms(now),
            };
            let outcome = if faults_on {
                let mut f = PlanFaults {
                    svc,
                    target: &queue.arn,
                };
                state.core.receive(now, params, &mut f)?
            } else {
                state.core.receive(now, params, &mut NoFaults)?
            };
            let wait_default =
                Duration::from_secs(u64::from(state.config.receive_message_wait_time_seconds));
            (
                outcome.messages,
                outcome.dead_lettered,
                dlq.map(|(q, _)| q),
                state.core.next_wake(),
                wait_default,
            )
        };
        if !dead.is_empty() {
            crate::redrive::dead_letter(svc, queue, dlq, dead);
        }
        if !received.is_empty() {
            let messages = build_messages(queue, &opts, received);
            queue
                .counters
                .received
                .fetch_add(messages.len() as u64, Ordering::Relaxed);
            if let Some(id) = &opts.attempt_id {
                let mut state = queue.state.lock();
                let window = svc.limits.receive_request_attempt_id_window;
                state.attempts.insert(
                    id.clone(),
                    Attempt {
                        expires: now + window,
                        messages: messages.clone(),
                    },
                );
            }
            return Ok(ReceiveMessageOutput { messages });
        }
        let deadline_at = match deadline {
            Some(d) => d,
            None => {
                let wait = opts.wait.unwrap_or(wait_default);
                if wait.is_zero() {
                    queue
                        .counters
                        .empty_receives
                        .fetch_add(1, Ordering::Relaxed);
                    return Ok(ReceiveMessageOutput::default());
                }
                let d = start + wait;
                deadline = Some(d);
                // Register as a waiter and check again before sleeping, so a send racing with
                // this receive is never missed.
                queue.gate.enter();
                _waiter = Some(WaiterGuard(queue));
                continue;
            }
        };
        if now >= deadline_at {
            queue
                .counters
                .empty_receives
                .fetch_add(1, Ordering::Relaxed);
            return Ok(ReceiveMessageOutput::default());
        }
        let wake_at = next_wake.map_or(deadline_at, |w| w.min(deadline_at));
        tokio::select! {
            _ = notified => {}
            _ = svc.clock.sleep_until(wake_at) => {}
        }
    }
}

/// Keeps the waiter count right if a long-polling receive is cancelled mid-wait.
struct WaiterGuard<'a>(&'a QueueShared);

impl Drop for WaiterGuard<'_> {
    fn drop(&mut self) {
        self.0.gate.leave();
    }
}

fn build_messages(queue: &QueueShared, opts: &Options, received: Vec<Received>) -> Vec<Message> {
    received
        .into_iter()
        .map(|r| {
            let receipt_handle = queue.codec.encode_inline(r.receipt);
            let mut attributes = BTreeMap::new();
            let want = |n: MessageSystemAttributeName| opts.all_system || opts.system.contains(&n);
            if opts.all_system || !opts.system.is_empty() {
                use MessageSystemAttributeName as N;
                let d = &r.data;
                if want(N::SenderId) {
                    attributes.insert(N::SenderId, d.sender_id.to_string());
                }
                if want(N::SentTimestamp) {
                    attributes.insert(N::SentTimestamp, d.sent_ms.to_string());
                }
                if want(N::ApproximateReceiveCount) {
                    attributes.insert(N::ApproximateReceiveCount, r.receive_count.to_string());
                }
                if want(N::ApproximateFirstReceiveTimestamp) {
                    attributes.insert(
                        N::ApproximateFirstReceiveTimestamp,
                        r.first_receive_ms.to_string(),
                    );
                }
                if let (true, Some(s)) = (want(N::SequenceNumber), r.sequence) {
                    attributes.insert(N::SequenceNumber, s.to_string());
                }
                if let (true, Some(g)) = (want(N::MessageGroupId), &d.group_id) {
                    attributes.insert(N::MessageGroupId, g.to_string());
                }
                if let (true, Some(id)) = (want(N::MessageDeduplicationId), &d.dedup_id) {
                    attributes.insert(N::MessageDeduplicationId, id.to_string());
                }
                if let (true, Some(t)) = (want(N::AwsTraceHeader), &d.trace_header) {
                    if let Some(v) = &t.string_value {
                        attributes.insert(N::AwsTraceHeader, v.clone());
                    }
                }
                if let (true, Some(src)) =
                    (want(N::DeadLetterQueueSourceArn), &d.dead_letter_source_arn)
                {
                    attributes.insert(N::DeadLetterQueueSourceArn, src.to_string());
                }
            }
            let (message_attributes, all_attributes) = match &opts.filter {
                Some(f) if !r.data.attributes.is_empty() => {
                    let picked: MessageAttributes = r
                        .data
                        .attributes
                        .iter()
                        .filter(|(k, _)| f.matches(k))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    let all = picked.len() == r.data.attributes.len();
                    if picked.is_empty() {
                        (None, false)
                    } else {
                        (Some(picked), all)
                    }
                }
                _ => (None, false),
            };
            Message {
                message_id: LazyId::new(r.data.id),
                data: r.data,
                receipt_handle,
                attributes,
                message_attributes,
                all_attributes,
            }
        })
        .collect()
}
