//! AddPermission: lets other accounts perform actions on a topic.
//!
//! # Semantics
//!
//! - Adds to the topic's `Policy` a statement with `Sid` = `Label`, `Effect` `Allow`,
//!   `Principal` `{"AWS": ["arn:aws:iam::<account>:root", …]}` and `Action`
//!   `["SNS:<action>", …]`. Actions are `Publish`, `Subscribe`, `Receive`,
//!   `GetTopicAttributes`, `SetTopicAttributes`, `AddPermission`, `RemovePermission`,
//!   `DeleteTopic` and `ListSubscriptionsByTopic`.
//! - A label already in the policy is `InvalidParameter` (`Statement already exists`); an
//!   empty account or action list, or another action, is `InvalidParameter`.
//! - The policy is enforced: a caller from another account (see [`Sns::as_caller`]) may
//!   Publish, Subscribe, … only when a statement allows it, and gets `AuthorizationError`
//!   otherwise.
//!
//! ```
//! use aws_lite_core::id::AccountId;
//! use aws_lite_pubsub::Sns;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let sns = Sns::new();
//! let topic = sns.create_topic().name("shared").send().await?.topic();
//! let other = sns.as_caller(AccountId::parse("222222222222")?);
//! let denied = other.publish().topic_arn(topic.arn()).message("hi").send().await;
//! assert_eq!(denied.unwrap_err().code(), "AuthorizationError");
//!
//! topic
//!     .add_permission()
//!     .label("partners")
//!     .aws_account_id("222222222222")
//!     .action_name("Publish")
//!     .send()
//!     .await?;
//! other.publish().topic_arn(topic.arn()).message("hi").send().await?;
//! # Ok(()) }
//! ```

use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::operation::resolve_topic;
use crate::policy;
use crate::service::Sns;
use crate::topic::{Topic, TopicShared};

/// The input of AddPermission.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AddPermissionInput {
    /// The topic's ARN.
    #[serde(default)]
    pub topic_arn: Option<String>,
    /// The statement's label (`Sid`).
    #[serde(default)]
    pub label: Option<String>,
    /// The accounts allowed.
    #[serde(default, rename = "AWSAccountId")]
    pub aws_account_id: Vec<String>,
    /// The actions allowed (`Publish`, `Subscribe`, …).
    #[serde(default)]
    pub action_name: Vec<String>,
}

/// The output of AddPermission (empty).
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct AddPermissionOutput {}

/// Builds and sends an AddPermission request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct AddPermissionFluentBuilder {
    sns: Sns,
    topic: Option<Arc<TopicShared>>,
    input: AddPermissionInput,
}

impl AddPermissionFluentBuilder {
    setters! {
        /// The topic's ARN.
        topic_arn / set_topic_arn: String,
        /// The statement's label.
        label / set_label: String,
    }

    /// Adds one account.
    pub fn aws_account_id(mut self, account: impl Into<String>) -> Self {
        self.input.aws_account_id.push(account.into());
        self
    }

    /// Sets all accounts.
    pub fn set_aws_account_id(mut self, accounts: Option<Vec<String>>) -> Self {
        self.input.aws_account_id = accounts.unwrap_or_default();
        self
    }

    /// Adds one action.
    pub fn action_name(mut self, action: impl Into<String>) -> Self {
        self.input.action_name.push(action.into());
        self
    }

    /// Sets all actions.
    pub fn set_action_name(mut self, actions: Option<Vec<String>>) -> Self {
        self.input.action_name = actions.unwrap_or_default();
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<AddPermissionOutput, Error> {
        let topic = resolve_topic(&self.sns, &self.topic, self.input.topic_arn.as_deref())?;
        add_permission(&self.sns, &topic, self.input)
    }
}

impl Sns {
    /// AddPermission.
    pub fn add_permission(&self) -> AddPermissionFluentBuilder {
        AddPermissionFluentBuilder {
            sns: self.clone(),
            topic: None,
            input: AddPermissionInput::default(),
        }
    }
}

impl Topic {
    /// AddPermission on this topic.
    pub fn add_permission(&self) -> AddPermissionFluentBuilder {
        AddPermissionFluentBuilder {
            sns: self.sns.clone(),
            topic: Some(self.shared.clone()),
            input: AddPermissionInput {
                topic_arn: Some(self.shared.arn.clone()),
                ..AddPermissionInput::default()
            },
        }
    }
}

pub(crate) fn add_permission(
    sns: &Sns,
    topic: &Arc<TopicShared>,
    input: AddPermissionInput,
) -> Result<AddPermissionOutput, Error> {
    let _span = tracing::debug_span!("sns.AddPermission", topic = %topic.arn).entered();
    topic.authorize(sns, "AddPermission")?;
    let label = input.label.unwrap_or_default();
    if label.is_empty() {
        return Err(error::invalid_parameter(
            "Invalid parameter: Label Reason: no value for required parameter",
        ));
    }
    if input.aws_account_id.is_empty() {
        return Err(error::invalid_parameter(
            "Invalid parameter: AWSAccountId Reason: no value for required parameter",
        ));
    }
    if input.action_name.is_empty() {
        return Err(error::invalid_parameter(
            "Invalid parameter: ActionName Reason: no value for required parameter",
        ));
    }
    if input
        .action_name
        .iter()
        .any(|a| !policy::ACTIONS.contains(&a.as_str()))
    {
        return Err(error::invalid_parameter(
            "Invalid parameter: Policy statement action out of service scope!",
        ));
    }
    let mut st = topic.write();
    if policy::has_statement(&st.config.policy, &label) {
        return Err(error::invalid_parameter(
            "Invalid parameter: Statement already exists",
        ));
    }
    policy::add_statement(
        &mut st.config.policy,
        &topic.arn,
        &label,
        &input.aws_account_id,
        &input.action_name,
    );
    Ok(AddPermissionOutput {})
}
