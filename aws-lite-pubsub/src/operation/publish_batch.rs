//! PublishBatch: publishes up to 10 messages to a topic, reporting each entry.
//!
//! # Semantics
//!
//! Checks that fail the whole request, in order:
//!
//! 1. no entries: `EmptyBatchRequest`; more than 10: `TooManyEntriesInBatchRequest`;
//! 2. the topic (`NotFound`) and the caller's permission (`AuthorizationError`);
//! 3. two entries with the same id: `BatchEntryIdsNotDistinct`; an id that is not
//!    `[A-Za-z0-9_-]{1,80}`: `InvalidBatchEntryId`;
//! 4. an entry's message attributes (`ParameterValueInvalid`) or FIFO ids
//!    (`InvalidParameter`), as for Publish;
//! 5. the entries' messages and attributes together over the topic's `MaximumMessageSize`:
//!    `BatchRequestTooLong`.
//!
//! Then each entry is published in order; an entry whose own message is bad (empty, a bad
//! subject or structure, too long) is reported in `Failed` with its code and
//! `SenderFault=true`, the others in `Successful` (FIFO: with their sequence numbers).

use std::collections::HashSet;
use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::codes::{
    BATCH_ENTRY_IDS_NOT_DISTINCT, BATCH_REQUEST_TOO_LONG, EMPTY_BATCH_REQUEST,
    INVALID_BATCH_ENTRY_ID, TOO_MANY_ENTRIES_IN_BATCH_REQUEST,
};
use crate::error;
use crate::message::{MessageAttributeValue, MessageAttributes, message_size};
use crate::operation::publish::{check_request, prepare, publish_prepared};
use crate::operation::resolve_topic;
use crate::service::Sns;
use crate::topic::{Topic, TopicShared};

/// One entry of a PublishBatch request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PublishBatchRequestEntry {
    /// The entry's id, unique in the batch.
    #[serde(default)]
    pub id: String,
    /// The message.
    #[serde(default)]
    pub message: Option<String>,
    /// The subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// `json`: the message holds one message per protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_structure: Option<String>,
    /// Message attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_attributes: Option<MessageAttributes>,
    /// FIFO: the deduplication id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_deduplication_id: Option<String>,
    /// FIFO: the message group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_group_id: Option<String>,
}

impl PublishBatchRequestEntry {
    /// An entry with `id` and `message`.
    pub fn new(id: impl Into<String>, message: impl Into<String>) -> PublishBatchRequestEntry {
        PublishBatchRequestEntry {
            id: id.into(),
            message: Some(message.into()),
            ..PublishBatchRequestEntry::default()
        }
    }

    /// Sets the subject.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Sets the message structure (`json`).
    pub fn message_structure(mut self, structure: impl Into<String>) -> Self {
        self.message_structure = Some(structure.into());
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

    /// Sets the deduplication id.
    pub fn message_deduplication_id(mut self, id: impl Into<String>) -> Self {
        self.message_deduplication_id = Some(id.into());
        self
    }

    /// Sets the message group.
    pub fn message_group_id(mut self, id: impl Into<String>) -> Self {
        self.message_group_id = Some(id.into());
        self
    }
}

/// The input of PublishBatch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PublishBatchInput {
    /// The topic's ARN.
    #[serde(default)]
    pub topic_arn: Option<String>,
    /// The entries.
    #[serde(default)]
    pub publish_batch_request_entries: Vec<PublishBatchRequestEntry>,
}

/// A published entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PublishBatchResultEntry {
    /// The entry's id.
    pub id: String,
    /// The message id.
    pub message_id: String,
    /// FIFO: the sequence number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
}

/// An entry that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BatchResultErrorEntry {
    /// The entry's id.
    pub id: String,
    /// The error code.
    pub code: String,
    /// The error message.
    pub message: String,
    /// Whether the caller was at fault.
    pub sender_fault: bool,
}

/// The output of PublishBatch.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublishBatchOutput {
    successful: Vec<PublishBatchResultEntry>,
    failed: Vec<BatchResultErrorEntry>,
}

impl PublishBatchOutput {
    /// The entries published.
    pub fn successful(&self) -> &[PublishBatchResultEntry] {
        &self.successful
    }

    /// The entries that failed.
    pub fn failed(&self) -> &[BatchResultErrorEntry] {
        &self.failed
    }
}

/// Builds and sends a PublishBatch request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct PublishBatchFluentBuilder {
    sns: Sns,
    topic: Option<Arc<TopicShared>>,
    input: PublishBatchInput,
}

impl PublishBatchFluentBuilder {
    setters! {
        /// The topic's ARN.
        topic_arn / set_topic_arn: String,
    }

    /// Adds one entry.
    pub fn publish_batch_request_entries(mut self, entry: PublishBatchRequestEntry) -> Self {
        self.input.publish_batch_request_entries.push(entry);
        self
    }

    /// Sets all entries.
    pub fn set_publish_batch_request_entries(
        mut self,
        entries: Option<Vec<PublishBatchRequestEntry>>,
    ) -> Self {
        self.input.publish_batch_request_entries = entries.unwrap_or_default();
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<PublishBatchOutput, Error> {
        publish_batch(&self.sns, self.topic, self.input).await
    }
}

impl Sns {
    /// PublishBatch.
    pub fn publish_batch(&self) -> PublishBatchFluentBuilder {
        PublishBatchFluentBuilder {
            sns: self.clone(),
            topic: None,
            input: PublishBatchInput::default(),
        }
    }
}

impl Topic {
    /// PublishBatch to this topic.
    pub fn publish_batch(&self) -> PublishBatchFluentBuilder {
        PublishBatchFluentBuilder {
            sns: self.sns.clone(),
            topic: Some(self.shared.clone()),
            input: PublishBatchInput {
                topic_arn: Some(self.shared.arn.clone()),
                ..PublishBatchInput::default()
            },
        }
    }
}

pub(crate) async fn publish_batch(
    sns: &Sns,
    handle: Option<Arc<TopicShared>>,
    input: PublishBatchInput,
) -> Result<PublishBatchOutput, Error> {
    use tracing::Instrument as _;
    let span = tracing::debug_span!("sns.PublishBatch");
    async move {
        let entries = input.publish_batch_request_entries;
        if entries.is_empty() {
            return Err(error::batch(
                EMPTY_BATCH_REQUEST,
                "The batch request doesn't contain any entries.",
            ));
        }
        if entries.len() > sns.inner.limits.max_batch_entries {
            return Err(error::batch(
                TOO_MANY_ENTRIES_IN_BATCH_REQUEST,
                "The batch request contains more entries than permissible.",
            ));
        }
        let topic = resolve_topic(sns, &handle, input.topic_arn.as_deref())?;
        topic.authorize(sns, "Publish")?;
        let mut ids = HashSet::new();
        if !entries.iter().all(|e| ids.insert(e.id.as_str())) {
            return Err(error::batch(
                BATCH_ENTRY_IDS_NOT_DISTINCT,
                "Two or more batch entries in the request have the same Id.",
            ));
        }
        for e in &entries {
            if e.id.len() > 80 {
                return Err(Error::validation(
                    INVALID_BATCH_ENTRY_ID,
                    format!(
                        "The Id of a batch entry in the batch request is too long: {}",
                        e.id
                    ),
                ));
            }
            if e.id.is_empty()
                || !e
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(Error::validation(
                    INVALID_BATCH_ENTRY_ID,
                    format!(
                        "The Id of a batch entry in the batch request contains an impermissible character: {}",
                        e.id
                    ),
                ));
            }
        }
        let empty = MessageAttributes::new();
        let mut total = 0usize;
        for e in &entries {
            let attrs = e.message_attributes.as_ref().unwrap_or(&empty);
            check_request(
                &topic,
                attrs,
                e.message_group_id.as_deref(),
                e.message_deduplication_id.as_deref(),
            )?;
            total += message_size(e.message.as_deref().unwrap_or_default(), attrs);
        }
        let max = topic.read().config.max_size(&sns.inner.limits);
        if total > max {
            return Err(error::batch(
                BATCH_REQUEST_TOO_LONG,
                "The length of all the messages put together is more than the limit.",
            ));
        }
        topic.check_live()?;
        let mut out = PublishBatchOutput::default();
        for e in entries {
            let id = e.id;
            let prepared = prepare(
                sns,
                &topic,
                e.message,
                e.subject,
                e.message_structure,
                e.message_attributes.unwrap_or_default(),
                e.message_group_id,
                e.message_deduplication_id,
            );
            match prepared {
                Ok(p) => {
                    let (message_id, sequence_number) = publish_prepared(sns, &topic, p).await?;
                    out.successful.push(PublishBatchResultEntry {
                        id,
                        message_id,
                        sequence_number,
                    });
                }
                Err(err) => out.failed.push(BatchResultErrorEntry {
                    id,
                    code: err.code().to_string(),
                    message: err.message().to_string(),
                    sender_fault: true,
                }),
            }
        }
        Ok(out)
    }
    .instrument(span)
    .await
}
