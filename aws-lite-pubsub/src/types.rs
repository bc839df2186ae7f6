//! Value types shared by several operations, with the field names of the SNS API.

use serde::{Deserialize, Serialize};

/// A resource tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// The key (1–128 characters).
    pub key: String,
    /// The value (0–256 characters).
    pub value: String,
}

impl Tag {
    /// A tag.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Tag {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// A topic in a ListTopics page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TopicEntry {
    /// The topic's ARN.
    pub topic_arn: String,
}

/// A subscription in a ListSubscriptions(ByTopic) page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SubscriptionEntry {
    /// The subscription's ARN, or `PendingConfirmation` while it awaits confirmation.
    pub subscription_arn: String,
    /// The subscriber's account.
    pub owner: String,
    /// The protocol.
    pub protocol: String,
    /// The endpoint.
    pub endpoint: String,
    /// The topic.
    pub topic_arn: String,
}
