//! ListQueueTags: the tags of a queue.
//!
//! # Semantics
//!
//! Every tag the queue has, from CreateQueue's `tags` and TagQueue, minus UntagQueue. A queue
//! without tags answers no `Tags` field on the wire (an empty map here).

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::queue::{Queue, QueueShared};
use crate::service::{Sqs, SqsInner};

/// The input of ListQueueTags, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListQueueTagsInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
}

/// The output of ListQueueTags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ListQueueTagsOutput {
    #[serde(rename = "Tags", skip_serializing_if = "BTreeMap::is_empty")]
    tags: BTreeMap<String, String>,
}

impl ListQueueTagsOutput {
    /// The queue's tags, by key.
    pub fn tags(&self) -> &BTreeMap<String, String> {
        &self.tags
    }

    /// One tag's value.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags.get(key).map(String::as_str)
    }
}

/// Builds and sends a ListQueueTags request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListQueueTagsFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: ListQueueTagsInput,
}

impl ListQueueTagsFluentBuilder {
    pub(crate) fn new(sqs: Sqs, queue: Option<Arc<QueueShared>>) -> ListQueueTagsFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        ListQueueTagsFluentBuilder {
            sqs,
            queue,
            input: ListQueueTagsInput { queue_url },
        }
    }

    /// The queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &ListQueueTagsInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<ListQueueTagsOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        list_queue_tags(&self.sqs.inner, &queue)
    }
}

impl Sqs {
    /// ListQueueTags of the queue at `.queue_url(…)`.
    pub fn list_queue_tags(&self) -> ListQueueTagsFluentBuilder {
        ListQueueTagsFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// ListQueueTags of this queue.
    pub fn list_queue_tags(&self) -> ListQueueTagsFluentBuilder {
        ListQueueTagsFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

pub(crate) fn list_queue_tags(
    _svc: &SqsInner,
    queue: &Arc<QueueShared>,
) -> Result<ListQueueTagsOutput, Error> {
    let _span = tracing::debug_span!("sqs.ListQueueTags", queue = %queue.name).entered();
    queue.check_live()?;
    let tags = queue.state.lock().tags.clone();
    Ok(ListQueueTagsOutput { tags })
}
