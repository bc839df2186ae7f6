//! SetQueueAttributes: changes a queue's configuration.
//!
//! # Semantics
//!
//! - Every attribute is checked as [`crate::attributes`] describes (names, then values, then
//!   combinations), and a `RedrivePolicy` must name a live dead-letter queue of the same type
//!   whose `RedriveAllowPolicy` admits this queue (`InvalidParameterValue` "Value {policy} for
//!   parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.", …).
//! - A call is all or nothing: the new configuration is computed aside and swapped in only when
//!   every check passed, so a rejected call changes nothing.
//! - An empty string removes `Policy`, `RedrivePolicy`, `RedriveAllowPolicy` and
//!   `KmsMasterKeyId`. Computed attributes and `All` answer `InvalidAttributeName`
//!   "Unknown Attribute {Name}.".
//! - A successful call with at least one attribute sets `LastModifiedTimestamp` to now (epoch
//!   seconds of the service's clock). An empty attribute map succeeds and changes nothing.
//!
//! # When changes apply
//!
//! Changes apply to what happens after the call, never retroactively:
//!
//! - `VisibilityTimeout` is the default of later receives; messages already in flight keep the
//!   timeout they were received with.
//! - `ReceiveMessageWaitTimeSeconds` is the default wait of later receives; a long poll already
//!   waiting keeps its deadline.
//! - `DelaySeconds` applies to later sends; delayed messages keep their delay.
//! - `MessageRetentionPeriod` is evaluated against each message's enqueue time, so lowering it
//!   expires messages already older than the new period.
//! - `RedrivePolicy` is consulted on each receive.
//!
//! AWS notes that attribute changes can take up to 60 seconds to propagate (15 minutes for
//! `MessageRetentionPeriod`); aws-lite applies them at once.

use std::collections::HashMap;
use std::sync::Arc;

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};

use crate::operation::create_queue::check_redrive_target;
use crate::queue::{Queue, QueueShared};
use crate::service::{Sqs, SqsInner};

/// The input of SetQueueAttributes, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SetQueueAttributesInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
    /// The attributes to set, by name, values as text.
    #[serde(default)]
    pub attributes: HashMap<String, String>,
}

/// The output of SetQueueAttributes (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SetQueueAttributesOutput {}

/// Builds and sends a SetQueueAttributes request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct SetQueueAttributesFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: SetQueueAttributesInput,
}

impl SetQueueAttributesFluentBuilder {
    pub(crate) fn new(
        sqs: Sqs,
        queue: Option<Arc<QueueShared>>,
    ) -> SetQueueAttributesFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        SetQueueAttributesFluentBuilder {
            sqs,
            queue,
            input: SetQueueAttributesInput {
                queue_url,
                ..SetQueueAttributesInput::default()
            },
        }
    }

    /// The queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// Sets one attribute: a [`QueueAttributeName`](crate::attributes::QueueAttributeName) or
    /// its text, and the value as text.
    pub fn attributes(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.input.attributes.insert(name.into(), value.into());
        self
    }

    /// Sets (or, with `None`, clears) all the attributes of the request.
    pub fn set_attributes(mut self, attributes: Option<HashMap<String, String>>) -> Self {
        self.input.attributes = attributes.unwrap_or_default();
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &SetQueueAttributesInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<SetQueueAttributesOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        set_queue_attributes(&self.sqs.inner, &queue, self.input)
    }
}

impl Sqs {
    /// SetQueueAttributes of the queue at `.queue_url(…)`.
    pub fn set_queue_attributes(&self) -> SetQueueAttributesFluentBuilder {
        SetQueueAttributesFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// SetQueueAttributes of this queue.
    pub fn set_queue_attributes(&self) -> SetQueueAttributesFluentBuilder {
        SetQueueAttributesFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

pub(crate) fn set_queue_attributes(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
    input: SetQueueAttributesInput,
) -> Result<SetQueueAttributesOutput, Error> {
    let _span = tracing::debug_span!("sqs.SetQueueAttributes", queue = %queue.name).entered();
    queue.check_live()?;
    let attrs = input.attributes;
    if attrs.is_empty() {
        return Ok(SetQueueAttributesOutput {});
    }
    let redrive_given = attrs.get("RedrivePolicy").is_some_and(|p| !p.is_empty());
    // The redrive check locks the dead-letter queue (possibly this queue), so it runs without
    // this queue's lock; the result is swapped in only if nobody changed the configuration
    // meanwhile, else the call is evaluated again against the newer configuration.
    loop {
        let current = queue.state.lock().config.clone();
        let updated = current.apply_set(&attrs, &svc.limits)?;
        if redrive_given {
            check_redrive_target(svc, &updated, &queue.arn)?;
        }
        let now = svc.clock.now();
        let mut state = queue.state.lock();
        queue.check_live()?;
        if state.config != current {
            continue;
        }
        state.config = updated;
        state.last_modified_secs = svc.epoch_ms(now) / 1000;
        return Ok(SetQueueAttributesOutput {});
    }
}
