//! RemovePermission: removes a statement AddPermission added.
//!
//! # Semantics
//!
//! Removes the statement labelled `Label` from the topic's `Policy`; removing a label that is
//! not there changes nothing and succeeds.

use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::operation::resolve_topic;
use crate::policy;
use crate::service::Sns;
use crate::topic::{Topic, TopicShared};

/// The input of RemovePermission.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RemovePermissionInput {
    /// The topic's ARN.
    #[serde(default)]
    pub topic_arn: Option<String>,
    /// The statement's label.
    #[serde(default)]
    pub label: Option<String>,
}

/// The output of RemovePermission (empty).
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct RemovePermissionOutput {}

/// Builds and sends a RemovePermission request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct RemovePermissionFluentBuilder {
    sns: Sns,
    topic: Option<Arc<TopicShared>>,
    input: RemovePermissionInput,
}

impl RemovePermissionFluentBuilder {
    setters! {
        /// The topic's ARN.
        topic_arn / set_topic_arn: String,
        /// The statement's label.
        label / set_label: String,
    }

    /// Sends the request.
    pub async fn send(self) -> Result<RemovePermissionOutput, Error> {
        let topic = resolve_topic(&self.sns, &self.topic, self.input.topic_arn.as_deref())?;
        remove_permission(&self.sns, &topic, self.input)
    }
}

impl Sns {
    /// RemovePermission.
    pub fn remove_permission(&self) -> RemovePermissionFluentBuilder {
        RemovePermissionFluentBuilder {
            sns: self.clone(),
            topic: None,
            input: RemovePermissionInput::default(),
        }
    }
}

impl Topic {
    /// RemovePermission on this topic.
    pub fn remove_permission(&self) -> RemovePermissionFluentBuilder {
        RemovePermissionFluentBuilder {
            sns: self.sns.clone(),
            topic: Some(self.shared.clone()),
            input: RemovePermissionInput {
                topic_arn: Some(self.shared.arn.clone()),
                ..RemovePermissionInput::default()
            },
        }
    }
}

pub(crate) fn remove_permission(
    sns: &Sns,
    topic: &Arc<TopicShared>,
    input: RemovePermissionInput,
) -> Result<RemovePermissionOutput, Error> {
    let _span = tracing::debug_span!("sns.RemovePermission", topic = %topic.arn).entered();
    topic.authorize(sns, "RemovePermission")?;
    let label = input.label.unwrap_or_default();
    if label.is_empty() {
        return Err(error::invalid_parameter(
            "Invalid parameter: Label Reason: no value for required parameter",
        ));
    }
    policy::remove_statement(&mut topic.write().config.policy, &label);
    Ok(RemovePermissionOutput {})
}
