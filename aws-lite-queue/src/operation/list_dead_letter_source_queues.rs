//! ListDeadLetterSourceQueues: the queues whose `RedrivePolicy` names this queue as their
//! dead-letter queue.
//!
//! # Semantics
//!
//! - A queue is listed when its `RedrivePolicy`'s `deadLetterTargetArn` is this queue's ARN,
//!   as of the call (SetQueueAttributes can add or remove sources at any time). The dead-letter
//!   queue itself must exist (`QueueDoesNotExist` otherwise).
//! - Paging is ListQueues': without `MaxResults` up to 1,000 URLs and no `NextToken`; with
//!   `MaxResults` (1–1,000) a `NextToken` while more remain. URLs are sorted by queue name
//!   (SQS documents no order). The same errors apply to `MaxResults` and `NextToken`; see
//!   [`list_queues`](super::list_queues).
//! - The JSON field is `queueUrls` (lower-case `q`, as the SQS model spells it), and it is always
//!   present, empty when no queue uses this one.

use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::operation::list_queues::{paginate, snapshot};
use crate::queue::{Queue, QueueShared};
use crate::service::Sqs;

/// The input of ListDeadLetterSourceQueues, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListDeadLetterSourceQueuesInput {
    /// The dead-letter queue's URL.
    #[serde(default)]
    pub queue_url: String,
    /// The token of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// At most this many URLs per page (1–1,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// The output of ListDeadLetterSourceQueues.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ListDeadLetterSourceQueuesOutput {
    #[serde(rename = "queueUrls")]
    queue_urls: Vec<String>,
    #[serde(rename = "NextToken", skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

impl ListDeadLetterSourceQueuesOutput {
    /// The source queues' URLs, sorted by queue name.
    pub fn queue_urls(&self) -> &[String] {
        &self.queue_urls
    }

    /// The token for the next page, when `MaxResults` was given and more sources remain.
    pub fn next_token(&self) -> Option<&str> {
        self.next_token.as_deref()
    }
}

/// Builds and sends a ListDeadLetterSourceQueues request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListDeadLetterSourceQueuesFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: ListDeadLetterSourceQueuesInput,
}

impl ListDeadLetterSourceQueuesFluentBuilder {
    pub(crate) fn new(
        sqs: Sqs,
        queue: Option<Arc<QueueShared>>,
    ) -> ListDeadLetterSourceQueuesFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        ListDeadLetterSourceQueuesFluentBuilder {
            sqs,
            queue,
            input: ListDeadLetterSourceQueuesInput {
                queue_url,
                ..ListDeadLetterSourceQueuesInput::default()
            },
        }
    }

    /// The dead-letter queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// The token of the previous page.
    pub fn next_token(mut self, token: impl Into<String>) -> Self {
        self.input.next_token = Some(token.into());
        self
    }

    /// Sets or clears the token.
    pub fn set_next_token(mut self, token: Option<String>) -> Self {
        self.input.next_token = token;
        self
    }

    /// At most this many URLs per page (1–1,000).
    pub fn max_results(mut self, max: i32) -> Self {
        self.input.max_results = Some(max);
        self
    }

    /// Sets or clears the page size.
    pub fn set_max_results(mut self, max: Option<i32>) -> Self {
        self.input.max_results = max;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &ListDeadLetterSourceQueuesInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<ListDeadLetterSourceQueuesOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        list_dead_letter_source_queues(&self.sqs, &queue, self.input)
    }
}

impl Sqs {
    /// ListDeadLetterSourceQueues of the dead-letter queue at `.queue_url(…)`.
    pub fn list_dead_letter_source_queues(&self) -> ListDeadLetterSourceQueuesFluentBuilder {
        ListDeadLetterSourceQueuesFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// ListDeadLetterSourceQueues of this (dead-letter) queue.
    pub fn list_dead_letter_source_queues(&self) -> ListDeadLetterSourceQueuesFluentBuilder {
        ListDeadLetterSourceQueuesFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

pub(crate) fn list_dead_letter_source_queues(
    sqs: &Sqs,
    queue: &Arc<QueueShared>,
    input: ListDeadLetterSourceQueuesInput,
) -> Result<ListDeadLetterSourceQueuesOutput, Error> {
    let _span =
        tracing::debug_span!("sqs.ListDeadLetterSourceQueues", queue = %queue.name).entered();
    queue.check_live()?;
    // Queue locks are taken one at a time, outside the registry lock.
    let mut sources = snapshot(sqs);
    sources.retain(|q| {
        q.state
            .lock()
            .config
            .redrive_policy
            .as_ref()
            .is_some_and(|p| p.dead_letter_target_arn == queue.arn)
    });
    let page = paginate(
        &sqs.inner.limits,
        &sources,
        input.max_results,
        input.next_token.as_deref(),
    )?;
    Ok(ListDeadLetterSourceQueuesOutput {
        queue_urls: page.urls,
        next_token: page.next_token,
    })
}
