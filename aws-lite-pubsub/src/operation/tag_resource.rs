//! TagResource: adds or replaces tags on a topic.
//!
//! # Semantics
//!
//! - The resource is a topic ARN; another ARN is `ResourceNotFound` (`Resource does not
//!   exist`).
//! - Keys are 1–128 characters, values 0–256; the same key twice in one request is
//!   `InvalidParameter` (`Duplicated keys are not allowed.`); more than 50 tags on the topic
//!   is `TagLimitExceeded`. Nothing changes on error.
//! - Only the topic's owner may tag it.

use std::collections::HashSet;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::service::Sns;
use crate::topic::Topic;
use crate::types::Tag;

/// The input of TagResource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct TagResourceInput {
    /// The topic's ARN.
    #[serde(default)]
    pub resource_arn: Option<String>,
    /// The tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// The output of TagResource (empty).
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct TagResourceOutput {}

/// Builds and sends a TagResource request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct TagResourceFluentBuilder {
    sns: Sns,
    input: TagResourceInput,
}

impl TagResourceFluentBuilder {
    setters! {
        /// The topic's ARN.
        resource_arn / set_resource_arn: String,
    }

    /// Adds one tag.
    pub fn tags(mut self, tag: Tag) -> Self {
        self.input.tags.push(tag);
        self
    }

    /// Sets all tags.
    pub fn set_tags(mut self, tags: Option<Vec<Tag>>) -> Self {
        self.input.tags = tags.unwrap_or_default();
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<TagResourceOutput, Error> {
        tag_resource(&self.sns, self.input)
    }
}

impl Sns {
    /// TagResource.
    pub fn tag_resource(&self) -> TagResourceFluentBuilder {
        TagResourceFluentBuilder {
            sns: self.clone(),
            input: TagResourceInput::default(),
        }
    }
}

impl Topic {
    /// TagResource on this topic.
    pub fn tag_resource(&self) -> TagResourceFluentBuilder {
        self.sns
            .tag_resource()
            .resource_arn(self.shared.arn.clone())
    }
}

/// The topic a tag request names, for its owner.
pub(crate) fn tagged_topic(
    sns: &Sns,
    arn: Option<&str>,
    action: &str,
) -> Result<std::sync::Arc<crate::topic::TopicShared>, Error> {
    let arn = arn.unwrap_or_default();
    let topic = sns
        .inner
        .lookup_topic(arn)
        .map_err(|_| error::resource_not_found())?;
    if !sns.is_owner() {
        return Err(error::authorization_error(sns.caller.as_str(), action, arn));
    }
    Ok(topic)
}

pub(crate) fn tag_resource(sns: &Sns, input: TagResourceInput) -> Result<TagResourceOutput, Error> {
    let _span = tracing::debug_span!("sns.TagResource").entered();
    let topic = tagged_topic(sns, input.resource_arn.as_deref(), "TagResource")?;
    let mut keys = HashSet::new();
    for t in &input.tags {
        if !keys.insert(t.key.as_str()) {
            return Err(error::invalid_parameter(
                "Invalid parameter: Duplicated keys are not allowed.",
            ));
        }
        if t.key.is_empty() || t.key.chars().count() > 128 || t.value.chars().count() > 256 {
            return Err(error::invalid_parameter("Invalid parameter: Tags"));
        }
    }
    let mut st = topic.write();
    let mut tags = st.tags.clone();
    for t in input.tags {
        tags.insert(t.key, t.value);
    }
    if tags.len() > sns.inner.limits.max_tags {
        return Err(Error::validation(
            crate::codes::TAG_LIMIT_EXCEEDED,
            "Could not complete request: tag quota of per resource exceeded",
        ));
    }
    st.tags = tags;
    Ok(TagResourceOutput {})
}
