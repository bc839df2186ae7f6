//! GetTopicAttributes: a topic's attributes.
//!
//! # Semantics
//!
//! Always reported: `TopicArn`, `Owner`, `Policy`, `DisplayName` (empty unless set),
//! `SubscriptionsConfirmed`, `SubscriptionsPending`, `SubscriptionsDeleted`,
//! `EffectiveDeliveryPolicy`; FIFO topics add `FifoTopic` and `ContentBasedDeduplication`;
//! every other attribute that was set is reported as set.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::operation::resolve_topic;
use crate::service::Sns;
use crate::topic::{DEFAULT_EFFECTIVE_DELIVERY_POLICY, Topic, TopicShared};

/// The input of GetTopicAttributes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetTopicAttributesInput {
    /// The topic's ARN.
    #[serde(default)]
    pub topic_arn: Option<String>,
}

/// The output of GetTopicAttributes.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTopicAttributesOutput {
    attributes: BTreeMap<String, String>,
}

impl GetTopicAttributesOutput {
    /// All attributes by name.
    pub fn attributes(&self) -> &BTreeMap<String, String> {
        &self.attributes
    }

    /// One attribute.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }
}

/// Builds and sends a GetTopicAttributes request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct GetTopicAttributesFluentBuilder {
    sns: Sns,
    topic: Option<Arc<TopicShared>>,
    input: GetTopicAttributesInput,
}

impl GetTopicAttributesFluentBuilder {
    setters! {
        /// The topic's ARN.
        topic_arn / set_topic_arn: String,
    }

    /// Sends the request.
    pub async fn send(self) -> Result<GetTopicAttributesOutput, Error> {
        let topic = resolve_topic(&self.sns, &self.topic, self.input.topic_arn.as_deref())?;
        get_topic_attributes(&self.sns, &topic)
    }
}

impl Sns {
    /// GetTopicAttributes.
    pub fn get_topic_attributes(&self) -> GetTopicAttributesFluentBuilder {
        GetTopicAttributesFluentBuilder {
            sns: self.clone(),
            topic: None,
            input: GetTopicAttributesInput::default(),
        }
    }
}

impl Topic {
    /// GetTopicAttributes of this topic.
    pub fn get_topic_attributes(&self) -> GetTopicAttributesFluentBuilder {
        GetTopicAttributesFluentBuilder {
            sns: self.sns.clone(),
            topic: Some(self.shared.clone()),
            input: GetTopicAttributesInput {
                topic_arn: Some(self.shared.arn.clone()),
            },
        }
    }
}

pub(crate) fn get_topic_attributes(
    sns: &Sns,
    topic: &Arc<TopicShared>,
) -> Result<GetTopicAttributesOutput, Error> {
    let _span = tracing::debug_span!("sns.GetTopicAttributes", topic = %topic.arn).entered();
    topic.authorize(sns, "GetTopicAttributes")?;
    let st = topic.read();
    let mut m: BTreeMap<String, String> = st.config.raw.clone();
    m.insert("TopicArn".into(), topic.arn.clone());
    m.insert("Owner".into(), topic.owner.as_str().to_string());
    m.insert("Policy".into(), st.config.policy.to_string());
    m.entry("DisplayName".into()).or_default();
    let pending = st.subs.values().filter(|s| s.state.lock().pending).count();
    m.insert(
        "SubscriptionsConfirmed".into(),
        (st.subs.len() - pending).to_string(),
    );
    m.insert("SubscriptionsPending".into(), pending.to_string());
    m.insert(
        "SubscriptionsDeleted".into(),
        st.subscriptions_deleted.to_string(),
    );
    m.insert(
        "EffectiveDeliveryPolicy".into(),
        DEFAULT_EFFECTIVE_DELIVERY_POLICY.into(),
    );
    if topic.fifo {
        m.insert("FifoTopic".into(), "true".into());
        m.insert(
            "ContentBasedDeduplication".into(),
            st.config.content_based_deduplication.to_string(),
        );
    }
    Ok(GetTopicAttributesOutput { attributes: m })
}
