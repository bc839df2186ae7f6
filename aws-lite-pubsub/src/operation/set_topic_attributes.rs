//! SetTopicAttributes: changes one topic attribute.
//!
//! # Semantics
//!
//! The attributes and values CreateTopic accepts (see
//! [`create_topic`](crate::operation::create_topic)), except `FifoTopic`, which cannot change
//! (`Invalid parameter: AttributeName`). A rejected value changes nothing. Setting `Policy`
//! replaces the access policy every cross-account check reads.

use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::operation::resolve_topic;
use crate::service::Sns;
use crate::topic::{Topic, TopicShared};

/// The input of SetTopicAttributes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SetTopicAttributesInput {
    /// The topic's ARN.
    #[serde(default)]
    pub topic_arn: Option<String>,
    /// The attribute's name.
    #[serde(default)]
    pub attribute_name: Option<String>,
    /// The new value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_value: Option<String>,
}

/// The output of SetTopicAttributes (empty).
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct SetTopicAttributesOutput {}

/// Builds and sends a SetTopicAttributes request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct SetTopicAttributesFluentBuilder {
    sns: Sns,
    topic: Option<Arc<TopicShared>>,
    input: SetTopicAttributesInput,
}

impl SetTopicAttributesFluentBuilder {
    setters! {
        /// The topic's ARN.
        topic_arn / set_topic_arn: String,
        /// The attribute's name.
        attribute_name / set_attribute_name: String,
        /// The new value.
        attribute_value / set_attribute_value: String,
    }

    /// Sends the request.
    pub async fn send(self) -> Result<SetTopicAttributesOutput, Error> {
        let topic = resolve_topic(&self.sns, &self.topic, self.input.topic_arn.as_deref())?;
        set_topic_attributes(&self.sns, &topic, self.input)
    }
}

impl Sns {
    /// SetTopicAttributes.
    pub fn set_topic_attributes(&self) -> SetTopicAttributesFluentBuilder {
        SetTopicAttributesFluentBuilder {
            sns: self.clone(),
            topic: None,
            input: SetTopicAttributesInput::default(),
        }
    }
}

impl Topic {
    /// SetTopicAttributes of this topic.
    pub fn set_topic_attributes(&self) -> SetTopicAttributesFluentBuilder {
        SetTopicAttributesFluentBuilder {
            sns: self.sns.clone(),
            topic: Some(self.shared.clone()),
            input: SetTopicAttributesInput {
                topic_arn: Some(self.shared.arn.clone()),
                ..SetTopicAttributesInput::default()
            },
        }
    }
}

pub(crate) fn set_topic_attributes(
    sns: &Sns,
    topic: &Arc<TopicShared>,
    input: SetTopicAttributesInput,
) -> Result<SetTopicAttributesOutput, Error> {
    let _span = tracing::debug_span!("sns.SetTopicAttributes", topic = %topic.arn).entered();
    topic.authorize(sns, "SetTopicAttributes")?;
    let Some(name) = input.attribute_name.filter(|n| !n.is_empty()) else {
        return Err(error::invalid_parameter(
            "Invalid parameter: AttributeName Reason: no value for required parameter",
        ));
    };
    let value = input.attribute_value.unwrap_or_default();
    let mut st = topic.write();
    let mut config = st.config.clone();
    config.set(&name, &value, topic.fifo, &sns.inner.limits, false)?;
    st.config = config;
    Ok(SetTopicAttributesOutput {})
}
