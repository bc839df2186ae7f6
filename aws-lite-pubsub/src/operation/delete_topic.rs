//! DeleteTopic: deletes a topic and all its subscriptions.
//!
//! # Semantics
//!
//! - Deleting a topic that does not exist succeeds (the operation is idempotent).
//! - The topic's subscriptions are deleted with it; deliveries being retried stop.
//! - Handles to the topic answer `NotFound` afterwards; DeleteTopic through such a handle
//!   succeeds and changes nothing, even when a topic of the same name exists again.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::service::{Sns, check_topic_arn};
use crate::topic::{Topic, TopicShared};

/// The input of DeleteTopic.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DeleteTopicInput {
    /// The topic's ARN.
    #[serde(default)]
    pub topic_arn: Option<String>,
}

/// The output of DeleteTopic (empty).
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct DeleteTopicOutput {}

/// Builds and sends a DeleteTopic request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DeleteTopicFluentBuilder {
    sns: Sns,
    topic: Option<Arc<TopicShared>>,
    input: DeleteTopicInput,
}

impl DeleteTopicFluentBuilder {
    setters! {
        /// The topic's ARN.
        topic_arn / set_topic_arn: String,
    }

    /// Sends the request.
    pub async fn send(self) -> Result<DeleteTopicOutput, Error> {
        delete_topic(&self.sns, self.topic, self.input)
    }
}

impl Sns {
    /// DeleteTopic.
    pub fn delete_topic(&self) -> DeleteTopicFluentBuilder {
        DeleteTopicFluentBuilder {
            sns: self.clone(),
            topic: None,
            input: DeleteTopicInput::default(),
        }
    }
}

impl Topic {
    /// DeleteTopic of this topic.
    pub fn delete_topic(&self) -> DeleteTopicFluentBuilder {
        DeleteTopicFluentBuilder {
            sns: self.sns.clone(),
            topic: Some(self.shared.clone()),
            input: DeleteTopicInput {
                topic_arn: Some(self.shared.arn.clone()),
            },
        }
    }
}

pub(crate) fn delete_topic(
    sns: &Sns,
    handle: Option<Arc<TopicShared>>,
    input: DeleteTopicInput,
) -> Result<DeleteTopicOutput, Error> {
    let svc = &sns.inner;
    let arn = input.topic_arn.unwrap_or_default();
    let _span = tracing::debug_span!("sns.DeleteTopic", topic = %arn).entered();
    check_topic_arn(&arn, "TopicArn")?;
    // A handle names its own topic: once that topic is gone, deleting through the handle is a
    // no-op, even if a topic of the same name was created since.
    let topic = match handle.filter(|h| h.arn == arn) {
        Some(h) => (!h.deleted.load(Ordering::Acquire)).then_some(h),
        None => {
            let topics = svc.topics.read().unwrap_or_else(|p| p.into_inner());
            topics.get(&arn).cloned()
        }
    };
    let Some(topic) = topic else {
        return Ok(DeleteTopicOutput {});
    };
    topic.authorize(sns, "DeleteTopic")?;
    {
        let mut topics = svc.topics.write().unwrap_or_else(|p| p.into_inner());
        if topics.get(&arn).is_some_and(|t| Arc::ptr_eq(t, &topic)) {
            topics.remove(&arn);
        }
    }
    topic.deleted.store(true, Ordering::Release);
    let subs: Vec<_> = std::mem::take(&mut topic.write().subs)
        .into_values()
        .collect();
    let mut registry = svc.subscriptions.write().unwrap_or_else(|p| p.into_inner());
    for sub in subs {
        sub.deleted.store(true, Ordering::Release);
        registry.remove(&sub.arn);
    }
    Ok(DeleteTopicOutput {})
}
