//! ListTagsForResource: a topic's tags, sorted by key.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::operation::tag_resource::tagged_topic;
use crate::service::Sns;
use crate::topic::Topic;
use crate::types::Tag;

/// The input of ListTagsForResource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListTagsForResourceInput {
    /// The topic's ARN.
    #[serde(default)]
    pub resource_arn: Option<String>,
}

/// The output of ListTagsForResource.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsForResourceOutput {
    tags: Vec<Tag>,
}

impl ListTagsForResourceOutput {
    /// The tags, sorted by key.
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }
}

/// Builds and sends a ListTagsForResource request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListTagsForResourceFluentBuilder {
    sns: Sns,
    input: ListTagsForResourceInput,
}

impl ListTagsForResourceFluentBuilder {
    setters! {
        /// The topic's ARN.
        resource_arn / set_resource_arn: String,
    }

    /// Sends the request.
    pub async fn send(self) -> Result<ListTagsForResourceOutput, Error> {
        list_tags_for_resource(&self.sns, self.input)
    }
}

impl Sns {
    /// ListTagsForResource.
    pub fn list_tags_for_resource(&self) -> ListTagsForResourceFluentBuilder {
        ListTagsForResourceFluentBuilder {
            sns: self.clone(),
            input: ListTagsForResourceInput::default(),
        }
    }
}

impl Topic {
    /// ListTagsForResource of this topic.
    pub fn list_tags_for_resource(&self) -> ListTagsForResourceFluentBuilder {
        self.sns
            .list_tags_for_resource()
            .resource_arn(self.shared.arn.clone())
    }
}

pub(crate) fn list_tags_for_resource(
    sns: &Sns,
    input: ListTagsForResourceInput,
) -> Result<ListTagsForResourceOutput, Error> {
    let _span = tracing::debug_span!("sns.ListTagsForResource").entered();
    let topic = tagged_topic(sns, input.resource_arn.as_deref(), "ListTagsForResource")?;
    let tags = topic
        .read()
        .tags
        .iter()
        .map(|(k, v)| Tag::new(k.clone(), v.clone()))
        .collect();
    Ok(ListTagsForResourceOutput { tags })
}
