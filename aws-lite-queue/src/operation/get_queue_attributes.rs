//! GetQueueAttributes: a queue's configuration, message counts, timestamps and ARN.
//!
//! # Semantics
//!
//! - `AttributeNames` lists the attributes wanted; `All` means every attribute the queue type
//!   has. No names (or none given) answers no attributes. Names are case-sensitive; an unknown
//!   one, or a FIFO-only one (`FifoQueue`, `ContentBasedDeduplication`, `DeduplicationScope`,
//!   `FifoThroughputLimit`) on a standard queue, answers `InvalidAttributeName`
//!   "Unknown Attribute {Name}." and nothing else (see [`crate::attributes`]).
//! - Attributes that are unset are left out rather than reported empty: `Policy`,
//!   `RedrivePolicy`, `RedriveAllowPolicy`, and `KmsMasterKeyId` /
//!   `KmsDataKeyReusePeriodSeconds` while no KMS key is set.
//!
//! # Computed attributes
//!
//! | attribute | value |
//! |---|---|
//! | `ApproximateNumberOfMessages` | messages available to a receive now |
//! | `ApproximateNumberOfMessagesNotVisible` | messages in flight (received, not deleted, visibility timeout running) |
//! | `ApproximateNumberOfMessagesDelayed` | messages still waiting out their delay |
//! | `CreatedTimestamp` | when the queue was created, epoch **seconds** |
//! | `LastModifiedTimestamp` | when its attributes last changed (creation, SetQueueAttributes, AddPermission, RemovePermission), epoch seconds |
//! | `QueueArn` | `arn:aws:sqs:{region}:{account}:{name}` |
//!
//! The counts are exact as of the call: the queue is brought up to the service's clock first,
//! so an ended delay or an expired visibility timeout is already counted as visible, and
//! messages past their retention period are gone. (AWS's counts are approximate and lag by up
//! to a minute; exact counts are one of the states AWS may report.) Timestamps come from the
//! service's clock, so they move with virtual time.
//!
//! Values are text, as on the wire: numbers in decimal, booleans `true`/`false`, policies as
//! JSON.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};

use crate::attributes::QueueAttributeName;
use crate::queue::{Queue, QueueShared};
use crate::service::{Sqs, SqsInner};

impl From<QueueAttributeName> for String {
    /// The name as SQS spells it, so builders taking `impl Into<String>` accept
    /// [`QueueAttributeName`]s as well as text.
    fn from(name: QueueAttributeName) -> String {
        name.as_str().to_owned()
    }
}

/// The input of GetQueueAttributes, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetQueueAttributesInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
    /// The attributes wanted (`All`, `VisibilityTimeout`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_names: Option<Vec<String>>,
}

/// The output of GetQueueAttributes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetQueueAttributesOutput {
    attributes: BTreeMap<QueueAttributeName, String>,
}

impl GetQueueAttributesOutput {
    /// The attributes reported, by name.
    pub fn attributes(&self) -> &BTreeMap<QueueAttributeName, String> {
        &self.attributes
    }

    /// One attribute's value, if it was asked for and is set.
    pub fn attribute(&self, name: QueueAttributeName) -> Option<&str> {
        self.attributes.get(&name).map(String::as_str)
    }
}

impl Serialize for GetQueueAttributesOutput {
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
        m.end()
    }
}

/// Builds and sends a GetQueueAttributes request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct GetQueueAttributesFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: GetQueueAttributesInput,
}

impl GetQueueAttributesFluentBuilder {
    pub(crate) fn new(
        sqs: Sqs,
        queue: Option<Arc<QueueShared>>,
    ) -> GetQueueAttributesFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        GetQueueAttributesFluentBuilder {
            sqs,
            queue,
            input: GetQueueAttributesInput {
                queue_url,
                ..GetQueueAttributesInput::default()
            },
        }
    }

    /// The queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// Adds an attribute to return: a [`QueueAttributeName`] or its text (`"All"`, …).
    pub fn attribute_names(mut self, name: impl Into<String>) -> Self {
        self.input
            .attribute_names
            .get_or_insert_with(Vec::new)
            .push(name.into());
        self
    }

    /// Sets or clears the attributes to return.
    pub fn set_attribute_names(mut self, names: Option<Vec<String>>) -> Self {
        self.input.attribute_names = names;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &GetQueueAttributesInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<GetQueueAttributesOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        get_queue_attributes(&self.sqs.inner, &queue, self.input)
    }
}

impl Sqs {
    /// GetQueueAttributes of the queue at `.queue_url(…)`.
    pub fn get_queue_attributes(&self) -> GetQueueAttributesFluentBuilder {
        GetQueueAttributesFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// GetQueueAttributes of this queue.
    pub fn get_queue_attributes(&self) -> GetQueueAttributesFluentBuilder {
        GetQueueAttributesFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

pub(crate) fn get_queue_attributes(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
    input: GetQueueAttributesInput,
) -> Result<GetQueueAttributesOutput, Error> {
    let _span = tracing::debug_span!("sqs.GetQueueAttributes", queue = %queue.name).entered();
    queue.check_live()?;
    let names = input.attribute_names.unwrap_or_default();
    let now = svc.clock.now();
    let mut state = queue.state.lock();
    let wanted = state.config.resolve_names(&names)?;
    if wanted.is_empty() {
        return Ok(GetQueueAttributesOutput::default());
    }
    state.tick(now);
    let counts = state.core.counts();
    let mut attributes = BTreeMap::new();
    for name in wanted {
        use QueueAttributeName as N;
        let value = match name {
            N::ApproximateNumberOfMessages => Some(counts.visible.to_string()),
            N::ApproximateNumberOfMessagesNotVisible => Some(counts.in_flight.to_string()),
            N::ApproximateNumberOfMessagesDelayed => Some(counts.delayed.to_string()),
            N::CreatedTimestamp => Some(queue.created_secs.to_string()),
            N::LastModifiedTimestamp => Some(state.last_modified_secs.to_string()),
            N::QueueArn => Some(queue.arn.clone()),
            other => state.config.value_of(other),
        };
        if let Some(value) = value {
            attributes.insert(name, value);
        }
    }
    Ok(GetQueueAttributesOutput { attributes })
}
