//! UntagQueue: removes tags from a queue.
//!
//! # Semantics
//!
//! - Each key in `TagKeys` is removed; keys the queue does not have are ignored.
//! - `TagKeys` must hold at least one key, and every key 1–128 characters: otherwise
//!   `InvalidParameterValue` "Tag keys must be between 1 and 128 characters in length." (the
//!   message moto's tests record for an empty list) and no tag is removed.

use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::operation::tag_queue::check_key_length;
use crate::queue::{Queue, QueueShared};
use crate::service::{Sqs, SqsInner};

/// The input of UntagQueue, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UntagQueueInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
    /// The keys of the tags to remove.
    #[serde(default)]
    pub tag_keys: Vec<String>,
}

/// The output of UntagQueue (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UntagQueueOutput {}

/// Builds and sends an UntagQueue request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct UntagQueueFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: UntagQueueInput,
}

impl UntagQueueFluentBuilder {
    pub(crate) fn new(sqs: Sqs, queue: Option<Arc<QueueShared>>) -> UntagQueueFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        UntagQueueFluentBuilder {
            sqs,
            queue,
            input: UntagQueueInput {
                queue_url,
                ..UntagQueueInput::default()
            },
        }
    }

    /// The queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// Adds a key to remove.
    pub fn tag_keys(mut self, key: impl Into<String>) -> Self {
        self.input.tag_keys.push(key.into());
        self
    }

    /// Sets (or, with `None`, clears) the keys to remove.
    pub fn set_tag_keys(mut self, keys: Option<Vec<String>>) -> Self {
        self.input.tag_keys = keys.unwrap_or_default();
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &UntagQueueInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<UntagQueueOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        untag_queue(&self.sqs.inner, &queue, self.input)
    }
}

impl Sqs {
    /// UntagQueue of the queue at `.queue_url(…)`.
    pub fn untag_queue(&self) -> UntagQueueFluentBuilder {
        UntagQueueFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// UntagQueue of this queue.
    pub fn untag_queue(&self) -> UntagQueueFluentBuilder {
        UntagQueueFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

pub(crate) fn untag_queue(
    _svc: &SqsInner,
    queue: &Arc<QueueShared>,
    input: UntagQueueInput,
) -> Result<UntagQueueOutput, Error> {
    let _span = tracing::debug_span!("sqs.UntagQueue", queue = %queue.name).entered();
    queue.check_live()?;
    if input.tag_keys.is_empty() {
        // The message SQS gives for an empty list.
        check_key_length("")?;
    }
    for key in &input.tag_keys {
        check_key_length(key)?;
    }
    let mut state = queue.state.lock();
    for key in &input.tag_keys {
        state.tags.remove(key);
    }
    Ok(UntagQueueOutput {})
}
