//! UntagResource: removes tags from a topic.
//!
//! # Semantics
//!
//! Keys the topic does not have are ignored; a missing topic is `ResourceNotFound`.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::operation::tag_resource::tagged_topic;
use crate::service::Sns;
use crate::topic::Topic;

/// The input of UntagResource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UntagResourceInput {
    /// The topic's ARN.
    #[serde(default)]
    pub resource_arn: Option<String>,
    /// The keys to remove.
    #[serde(default)]
    pub tag_keys: Vec<String>,
}

/// The output of UntagResource (empty).
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct UntagResourceOutput {}

/// Builds and sends an UntagResource request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct UntagResourceFluentBuilder {
    sns: Sns,
    input: UntagResourceInput,
}

impl UntagResourceFluentBuilder {
    setters! {
        /// The topic's ARN.
        resource_arn / set_resource_arn: String,
    }

    /// Adds one key to remove.
    pub fn tag_keys(mut self, key: impl Into<String>) -> Self {
        self.input.tag_keys.push(key.into());
        self
    }

    /// Sets all keys to remove.
    pub fn set_tag_keys(mut self, keys: Option<Vec<String>>) -> Self {
        self.input.tag_keys = keys.unwrap_or_default();
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<UntagResourceOutput, Error> {
        untag_resource(&self.sns, self.input)
    }
}

impl Sns {
    /// UntagResource.
    pub fn untag_resource(&self) -> UntagResourceFluentBuilder {
        UntagResourceFluentBuilder {
            sns: self.clone(),
            input: UntagResourceInput::default(),
        }
    }
}

impl Topic {
    /// UntagResource on this topic.
    pub fn untag_resource(&self) -> UntagResourceFluentBuilder {
        self.sns
            .untag_resource()
            .resource_arn(self.shared.arn.clone())
    }
}

pub(crate) fn untag_resource(
    sns: &Sns,
    input: UntagResourceInput,
) -> Result<UntagResourceOutput, Error> {
    let _span = tracing::debug_span!("sns.UntagResource").entered();
    let topic = tagged_topic(sns, input.resource_arn.as_deref(), "UntagResource")?;
    let mut st = topic.write();
    for k in &input.tag_keys {
        st.tags.remove(k);
    }
    Ok(UntagResourceOutput {})
}
