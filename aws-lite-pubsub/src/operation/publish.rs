//! Publish: sends a message to every subscription of a topic whose filter policy matches.
//!
//! # Semantics
//!
//! - The topic is `TopicArn` or `TargetArn` (SNS accepts either for topics).
//! - `Message` must not be empty; `Subject`, if given, is 1–100 printable ASCII characters
//!   without line breaks; message attributes are checked as [`message`](crate::message)
//!   describes (`ParameterValueInvalid`); the message with its attributes must fit the topic's
//!   `MaximumMessageSize` (`Invalid parameter: Message too long`).
//! - `MessageStructure=json`: `Message` is a JSON object with one message per protocol and a
//!   required `default`; attributes are then not delivered to raw subscribers.
//! - FIFO topics need `MessageGroupId` and a `MessageDeduplicationId` unless
//!   `ContentBasedDeduplication` is on (then the id is the SHA-256 of the message). A
//!   duplicate within 5 minutes (per topic, or per group with
//!   `FifoThroughputScope=MessageGroup`) is accepted, answered with the first message's id and
//!   sequence number, and not delivered again. Each message gets a `SequenceNumber`
//!   increasing per topic; each group is delivered in publish order.
//! - Standard topics reject `MessageDeduplicationId`; a `MessageGroupId` is passed on to
//!   standard queues (fair queues).
//! - Every subscription's filter policy is checked at once through the topic's compiled
//!   [`TopicFilter`](crate::filter::TopicFilter); subscriptions awaiting confirmation receive
//!   nothing. See [`delivery`](crate::delivery) for what each endpoint receives and for retries.
//! - A caller from another account needs the topic policy's `SNS:Publish`.
//!
//! ```
//! use aws_lite_pubsub::{MessageAttributeValue, Sns};
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let sns = Sns::new();
//! let topic = sns.create_topic().name("orders").send().await?.topic();
//! let out = topic
//!     .publish()
//!     .message("order placed")
//!     .message_attributes("kind", MessageAttributeValue::string("order"))
//!     .send()
//!     .await?;
//! assert_eq!(out.message_id().len(), 36);
//! let err = topic.publish().message("").send().await.unwrap_err();
//! assert_eq!(err.message(), "Invalid parameter: Empty message");
//! # Ok(()) }
//! ```

use std::sync::Arc;

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use crate::error;
use crate::filter::AttributeValue;
use crate::message::{
    MessageAttributeValue, MessageAttributes, Published, iso8601, message_size, parse_structure,
    validate_attributes,
};
use crate::service::Sns;
use crate::topic::{Topic, TopicCounters, TopicShared};

/// The input of Publish, with the field names of the SNS API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PublishInput {
    /// The topic's ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_arn: Option<String>,
    /// The topic's ARN (SNS's other name for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_arn: Option<String>,
    /// The message.
    #[serde(default)]
    pub message: Option<String>,
    /// The subject (email-style), 1–100 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// `json`: `Message` holds one message per protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_structure: Option<String>,
    /// Message attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_attributes: Option<MessageAttributes>,
    /// FIFO: the deduplication id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_deduplication_id: Option<String>,
    /// FIFO: the message group (standard topics: passed on to fair queues).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_group_id: Option<String>,
}

/// The output of Publish.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublishOutput {
    message_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sequence_number: Option<String>,
}

impl PublishOutput {
    /// The message id (a FIFO duplicate: the first message's).
    pub fn message_id(&self) -> &str {
        &self.message_id
    }

    /// FIFO: the sequence number.
    pub fn sequence_number(&self) -> Option<&str> {
        self.sequence_number.as_deref()
    }
}

/// Builds and sends a Publish request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct PublishFluentBuilder {
    sns: Sns,
    topic: Option<Arc<TopicShared>>,
    input: PublishInput,
}

impl PublishFluentBuilder {
    setters! {
        /// The topic's ARN.
        topic_arn / set_topic_arn: String,
        /// The topic's ARN (SNS's other name for it).
        target_arn / set_target_arn: String,
        /// The message.
        message / set_message: String,
        /// The subject.
        subject / set_subject: String,
        /// `json`: the message holds one message per protocol.
        message_structure / set_message_structure: String,
        /// FIFO: the deduplication id.
        message_deduplication_id / set_message_deduplication_id: String,
        /// FIFO: the message group.
        message_group_id / set_message_group_id: String,
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

    /// The request as built so far.
    pub fn as_input(&self) -> &PublishInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<PublishOutput, Error> {
        let arn = self
            .input
            .topic_arn
            .as_deref()
            .or(self.input.target_arn.as_deref());
        if arn.is_none() {
            return Err(missing_target());
        }
        let topic = crate::operation::resolve_topic(&self.sns, &self.topic, arn)?;
        publish(&self.sns, &topic, self.input).await
    }
}

impl Sns {
    /// Publish.
    pub fn publish(&self) -> PublishFluentBuilder {
        PublishFluentBuilder {
            sns: self.clone(),
            topic: None,
            input: PublishInput::default(),
        }
    }
}

impl Topic {
    /// Publish to this topic.
    pub fn publish(&self) -> PublishFluentBuilder {
        PublishFluentBuilder {
            sns: self.sns.clone(),
            topic: Some(self.shared.clone()),
            input: PublishInput {
                topic_arn: Some(self.shared.arn.clone()),
                ..PublishInput::default()
            },
        }
    }
}

pub(crate) fn missing_target() -> Error {
    error::invalid_parameter(
        "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter",
    )
}

/// A message validated against its topic, ready to publish.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) message: String,
    pub(crate) subject: Option<String>,
    pub(crate) structure: Option<std::collections::BTreeMap<String, String>>,
    pub(crate) attributes: MessageAttributes,
    pub(crate) group_id: Option<String>,
    pub(crate) dedup_id: Option<String>,
    pub(crate) size: usize,
}

/// The checks that fail the whole request (in a batch too): attributes and FIFO ids.
pub(crate) fn check_request(
    topic: &TopicShared,
    attributes: &MessageAttributes,
    group_id: Option<&str>,
    dedup_id: Option<&str>,
) -> Result<(), Error> {
    validate_attributes(attributes)?;
    if topic.fifo {
        if group_id.is_none_or(str::is_empty) {
            return Err(error::invalid_parameter(
                "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
            ));
        }
        let content = topic.read().config.content_based_deduplication;
        if dedup_id.is_none() && !content {
            return Err(error::invalid_parameter(
                "Invalid parameter: The topic should either have ContentBasedDeduplication \
                 enabled or MessageDeduplicationId provided explicitly",
            ));
        }
    } else if dedup_id.is_some() {
        return Err(error::invalid_parameter(
            "Invalid parameter: MessageDeduplicationId Reason: The request includes \
             MessageDeduplicationId parameter that is not valid for this topic type",
        ));
    }
    for (name, v) in [
        ("MessageGroupId", group_id),
        ("MessageDeduplicationId", dedup_id),
    ] {
        if let Some(v) = v {
            let ok = (1..=128).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_graphic());
            if !ok {
                return Err(error::invalid_parameter(format!(
                    "Invalid parameter: {name} Reason: {name} must be 1 to 128 printable ASCII characters"
                )));
            }
        }
    }
    Ok(())
}

/// The checks of one message: subject, body, structure, size.
#[allow(clippy::too_many_arguments)]
pub(crate) fn prepare(
    sns: &Sns,
    topic: &TopicShared,
    message: Option<String>,
    subject: Option<String>,
    structure: Option<String>,
    attributes: MessageAttributes,
    group_id: Option<String>,
    dedup_id: Option<String>,
) -> Result<Prepared, Error> {
    let limits = &sns.inner.limits;
    if let Some(s) = &subject {
        let ok = !s.is_empty()
            && s.chars().count() <= limits.max_subject_length
            && s.chars().all(|c| c.is_ascii() && !c.is_ascii_control());
        if !ok {
            return Err(error::invalid_parameter("Invalid parameter: Subject"));
        }
    }
    let message = message.unwrap_or_default();
    if message.is_empty() {
        return Err(error::invalid_parameter("Invalid parameter: Empty message"));
    }
    let structure = match structure.as_deref() {
        None => None,
        Some("json") => Some(parse_structure(&message)?),
        Some(_) => {
            return Err(error::invalid_parameter(
                "Invalid parameter: MessageStructure",
            ));
        }
    };
    let size = message_size(&message, &attributes);
    let max = topic.read().config.max_size(limits);
    if size > max {
        return Err(error::invalid_parameter(
            "Invalid parameter: Message too long",
        ));
    }
    let dedup_id = match dedup_id {
        Some(d) => Some(d),
        None if topic.fifo => Some(crate::operation::hex(&sha2::Sha256::digest(
            message.as_bytes(),
        ))),
        None => None,
    };
    Ok(Prepared {
        message,
        subject,
        structure,
        attributes,
        group_id,
        dedup_id,
        size,
    })
}

/// Publishes a prepared message: FIFO deduplication and sequencing, filtering, delivery.
/// Returns the message id and sequence number.
pub(crate) async fn publish_prepared(
    sns: &Sns,
    topic: &Arc<TopicShared>,
    p: Prepared,
) -> Result<(String, Option<String>), Error> {
    let svc = &sns.inner;
    let now = svc.clock.now();
    let timestamp = iso8601(svc.clock.epoch_millis(now));
    let message_id = svc.rand.uuid().to_string();
    let signature_version = topic.read().config.signature_version();
    let size = p.size as u64;
    let mut published = Published {
        message_id,
        topic_arn: Arc::from(topic.arn.as_str()),
        region: Arc::from(svc.region.as_str()),
        subject: p.subject,
        message: p.message,
        structure: p.structure,
        attributes: p.attributes,
        timestamp,
        fifo: topic.fifo,
        sequence_number: None,
        group_id: p.group_id,
        dedup_id: p.dedup_id,
        signature_version,
    };
    if topic.fifo {
        let mut fifo = topic.fifo_state.lock().await;
        let window = svc.limits.deduplication_window;
        while let Some((at, _)) = fifo.dedup_order.front() {
            if *at + window > now {
                break;
            }
            if let Some((_, key)) = fifo.dedup_order.pop_front() {
                if fifo
                    .dedup
                    .get(&key)
                    .is_some_and(|(first, _, _)| *first + window <= now)
                {
                    fifo.dedup.remove(&key);
                }
            }
        }
        let per_group = topic.read().config.dedup_per_group;
        let key = (
            if per_group {
                published.group_id.clone()
            } else {
                None
            },
            published.dedup_id.clone().unwrap_or_default(),
        );
        if let Some((_, id, seq)) = fifo.dedup.get(&key) {
            return Ok((id.clone(), Some(seq.clone())));
        }
        fifo.next_sequence += 1;
        let seq = format!("{}", 10_000_000_000_000_000_000u64 + fifo.next_sequence);
        published.sequence_number = Some(seq.clone());
        fifo.dedup.insert(
            key.clone(),
            (now, published.message_id.clone(), seq.clone()),
        );
        fifo.dedup_order.push_back((now, key));
        let id = published.message_id.clone();
        fan_out(sns, topic, Arc::new(published), size).await;
        drop(fifo);
        Ok((id, Some(seq)))
    } else {
        let id = published.message_id.clone();
        fan_out(sns, topic, Arc::new(published), size).await;
        Ok((id, None))
    }
}

/// Matches a message against every subscription at once and delivers it.
async fn fan_out(sns: &Sns, topic: &Arc<TopicShared>, msg: Arc<Published>, size: u64) {
    TopicCounters::add(&topic.counters.published, 1);
    TopicCounters::add(&topic.counters.publish_size, size);
    let targets = {
        let st = topic.read();
        let matched: Vec<u64> = if st.filter.is_empty() {
            Vec::new()
        } else {
            let attrs: Vec<(&str, AttributeValue<'_>)> = msg
                .attributes
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str(),
                        AttributeValue::new(&v.data_type, v.string_value.as_deref().unwrap_or("")),
                    )
                })
                .collect();
            st.filter.matches(attrs, &msg.message)
        };
        let mut filtered = 0;
        let mut targets = Vec::with_capacity(st.subs.len());
        for sub in st.subs.values() {
            if sub.is_deleted() || sub.state.lock().pending {
                continue;
            }
            if sub.has_filter.load(std::sync::atomic::Ordering::Acquire)
                && matched.binary_search(&sub.id).is_err()
            {
                filtered += 1;
                continue;
            }
            targets.push(sub.clone());
        }
        TopicCounters::add(&topic.counters.filtered_out, filtered);
        targets
    };
    for sub in &targets {
        crate::delivery::deliver(&sns.inner, sub, &msg).await;
    }
}

pub(crate) async fn publish(
    sns: &Sns,
    topic: &Arc<TopicShared>,
    input: PublishInput,
) -> Result<PublishOutput, Error> {
    use tracing::Instrument as _;
    let span = tracing::debug_span!("sns.Publish", topic = %topic.arn);
    async move {
        topic.authorize(sns, "Publish")?;
        if let Some(f) = sns
            .inner
            .faults
            .check(aws_lite_core::FaultPoint::THROTTLE, &topic.arn)
        {
            return Err(f.into_error_or_else(|| Error::throttled("Throttled", "Rate exceeded")));
        }
        let attributes = input.message_attributes.unwrap_or_default();
        check_request(
            topic,
            &attributes,
            input.message_group_id.as_deref(),
            input.message_deduplication_id.as_deref(),
        )?;
        let prepared = prepare(
            sns,
            topic,
            input.message,
            input.subject,
            input.message_structure,
            attributes,
            input.message_group_id,
            input.message_deduplication_id,
        )?;
        topic.check_live()?;
        let (message_id, sequence_number) = publish_prepared(sns, topic, prepared).await?;
        Ok(PublishOutput {
            message_id,
            sequence_number,
        })
    }
    .instrument(span)
    .await
}
