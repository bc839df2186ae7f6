//! ListSubscriptionsByTopic: a topic's subscriptions, 100 per page.
//!
//! # Semantics
//!
//! As [`list_subscriptions`](crate::operation::list_subscriptions), for every subscription of
//! one topic; a caller from another account needs `SNS:ListSubscriptionsByTopic`.

use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::operation::list_subscriptions::{ListSubscriptionsOutput, page};
use crate::operation::resolve_topic;
use crate::service::Sns;
use crate::topic::{Topic, TopicShared};

/// The input of ListSubscriptionsByTopic.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListSubscriptionsByTopicInput {
    /// The topic's ARN.
    #[serde(default)]
    pub topic_arn: Option<String>,
    /// The token of the page to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Builds and sends a ListSubscriptionsByTopic request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListSubscriptionsByTopicFluentBuilder {
    sns: Sns,
    topic: Option<Arc<TopicShared>>,
    input: ListSubscriptionsByTopicInput,
}

impl ListSubscriptionsByTopicFluentBuilder {
    setters! {
        /// The topic's ARN.
        topic_arn / set_topic_arn: String,
        /// The token of the page to return.
        next_token / set_next_token: String,
    }

    /// Sends the request.
    pub async fn send(self) -> Result<ListSubscriptionsOutput, Error> {
        let topic = resolve_topic(&self.sns, &self.topic, self.input.topic_arn.as_deref())?;
        list_subscriptions_by_topic(&self.sns, &topic, self.input)
    }
}

impl Sns {
    /// ListSubscriptionsByTopic.
    pub fn list_subscriptions_by_topic(&self) -> ListSubscriptionsByTopicFluentBuilder {
        ListSubscriptionsByTopicFluentBuilder {
            sns: self.clone(),
            topic: None,
            input: ListSubscriptionsByTopicInput::default(),
        }
    }
}

impl Topic {
    /// ListSubscriptionsByTopic of this topic.
    pub fn list_subscriptions_by_topic(&self) -> ListSubscriptionsByTopicFluentBuilder {
        ListSubscriptionsByTopicFluentBuilder {
            sns: self.sns.clone(),
            topic: Some(self.shared.clone()),
            input: ListSubscriptionsByTopicInput {
                topic_arn: Some(self.shared.arn.clone()),
                ..ListSubscriptionsByTopicInput::default()
            },
        }
    }
}

pub(crate) fn list_subscriptions_by_topic(
    sns: &Sns,
    topic: &Arc<TopicShared>,
    input: ListSubscriptionsByTopicInput,
) -> Result<ListSubscriptionsOutput, Error> {
    let _span = tracing::debug_span!("sns.ListSubscriptionsByTopic", topic = %topic.arn).entered();
    topic.authorize(sns, "ListSubscriptionsByTopic")?;
    let mut subs: Vec<_> = topic.read().subs.values().cloned().collect();
    subs.sort_by(|a, b| a.arn.cmp(&b.arn));
    page(
        subs,
        input.next_token.as_deref(),
        sns.inner.limits.list_page_size,
    )
}
