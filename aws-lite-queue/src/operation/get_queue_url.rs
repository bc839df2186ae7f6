//! GetQueueUrl: the URL of a queue, by name.
//!
//! # Semantics
//!
//! - `QueueName` is required (`MissingParameter` "The request must contain the parameter
//!   QueueName." when empty) and case-sensitive.
//! - A name with no live queue answers `AWS.SimpleQueueService.NonExistentQueue` "The specified
//!   queue does not exist." (shape `QueueDoesNotExist`), including a queue deleted a moment ago.
//! - `QueueOwnerAWSAccountId` names the account that owns the queue. An [`Sqs`] serves one
//!   account, so any other account id answers `QueueDoesNotExist` (there is no cross-account
//!   sharing to honour in process).

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::service::Sqs;

/// The input of GetQueueUrl, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetQueueUrlInput {
    /// The queue's name.
    #[serde(default)]
    pub queue_name: String,
    /// The account that owns the queue (default: this service's account).
    #[serde(
        default,
        rename = "QueueOwnerAWSAccountId",
        skip_serializing_if = "Option::is_none"
    )]
    pub queue_owner_aws_account_id: Option<String>,
}

/// The output of GetQueueUrl.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct GetQueueUrlOutput {
    #[serde(rename = "QueueUrl")]
    queue_url: String,
}

impl GetQueueUrlOutput {
    /// The queue's URL.
    pub fn queue_url(&self) -> &str {
        &self.queue_url
    }
}

/// Builds and sends a GetQueueUrl request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct GetQueueUrlFluentBuilder {
    sqs: Sqs,
    input: GetQueueUrlInput,
}

impl GetQueueUrlFluentBuilder {
    /// The queue's name.
    pub fn queue_name(mut self, name: impl Into<String>) -> Self {
        self.input.queue_name = name.into();
        self
    }

    /// The account that owns the queue.
    pub fn queue_owner_aws_account_id(mut self, account: impl Into<String>) -> Self {
        self.input.queue_owner_aws_account_id = Some(account.into());
        self
    }

    /// Sets or clears the owning account.
    pub fn set_queue_owner_aws_account_id(mut self, account: Option<String>) -> Self {
        self.input.queue_owner_aws_account_id = account;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &GetQueueUrlInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<GetQueueUrlOutput, Error> {
        get_queue_url(&self.sqs, self.input)
    }
}

impl Sqs {
    /// GetQueueUrl.
    pub fn get_queue_url(&self) -> GetQueueUrlFluentBuilder {
        GetQueueUrlFluentBuilder {
            sqs: self.clone(),
            input: GetQueueUrlInput::default(),
        }
    }
}

pub(crate) fn get_queue_url(
    sqs: &Sqs,
    input: GetQueueUrlInput,
) -> Result<GetQueueUrlOutput, Error> {
    let svc = &sqs.inner;
    let _span = tracing::debug_span!("sqs.GetQueueUrl", queue = %input.queue_name).entered();
    if input.queue_name.is_empty() {
        return Err(error::missing_parameter(
            "The request must contain the parameter QueueName.",
        ));
    }
    if let Some(owner) = input.queue_owner_aws_account_id.as_deref() {
        if !owner.is_empty() && owner != svc.account.as_str() {
            return Err(error::queue_does_not_exist());
        }
    }
    let queue = svc.lookup_name(&input.queue_name)?;
    Ok(GetQueueUrlOutput {
        queue_url: queue.url.clone(),
    })
}
