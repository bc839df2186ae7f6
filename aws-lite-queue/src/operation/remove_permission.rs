//! RemovePermission: revokes the statement AddPermission made under a label.
//!
//! # Semantics
//!
//! - Every statement of the queue's `Policy` whose `Sid` is the label is removed (a statement
//!   written with SetQueueAttributes counts too), and `LastModifiedTimestamp` is set.
//! - When no statement is left, the `Policy` attribute goes away altogether (GetQueueAttributes
//!   no longer reports it), as moto does; AWS's behaviour here is not documented.
//! - No `Label`: `MissingParameter` "The request must contain the parameter Label.".
//! - A label that names no statement (or a queue without a policy): `InvalidParameterValue`
//!   "Value {label} for parameter Label is invalid. Reason: can't find label on existing
//!   policy." — the message AWS returns (recorded by moto's tests and by WSO2's AWS SQS
//!   connector tests against AWS). Nothing changes.

use std::sync::Arc;

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error;
use crate::operation::add_permission::{parse_policy, render_policy, sid, statements};
use crate::queue::{Queue, QueueShared};
use crate::service::{Sqs, SqsInner};

/// The input of RemovePermission, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RemovePermissionInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
    /// The label given to AddPermission.
    #[serde(default)]
    pub label: String,
}

/// The output of RemovePermission (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RemovePermissionOutput {}

/// Builds and sends a RemovePermission request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct RemovePermissionFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: RemovePermissionInput,
}

impl RemovePermissionFluentBuilder {
    pub(crate) fn new(sqs: Sqs, queue: Option<Arc<QueueShared>>) -> RemovePermissionFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        RemovePermissionFluentBuilder {
            sqs,
            queue,
            input: RemovePermissionInput {
                queue_url,
                ..RemovePermissionInput::default()
            },
        }
    }

    /// The queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// The label of the permission to revoke.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.input.label = label.into();
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &RemovePermissionInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<RemovePermissionOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        remove_permission(&self.sqs.inner, &queue, self.input)
    }
}

impl Sqs {
    /// RemovePermission on the queue at `.queue_url(…)`.
    pub fn remove_permission(&self) -> RemovePermissionFluentBuilder {
        RemovePermissionFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// RemovePermission on this queue.
    pub fn remove_permission(&self) -> RemovePermissionFluentBuilder {
        RemovePermissionFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

pub(crate) fn remove_permission(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
    input: RemovePermissionInput,
) -> Result<RemovePermissionOutput, Error> {
    let _span = tracing::debug_span!("sqs.RemovePermission", queue = %queue.name).entered();
    queue.check_live()?;
    let label = input.label;
    if label.is_empty() {
        return Err(error::missing_parameter(
            "The request must contain the parameter Label.",
        ));
    }
    let not_found =
        || error::invalid_parameter("Label", &label, "can't find label on existing policy.");
    let now = svc.clock.now();
    let mut state = queue.state.lock();
    let mut policy = parse_policy(state.config.policy.as_deref()).ok_or_else(not_found)?;
    let before = statements(&policy);
    let kept: Vec<Value> = before
        .iter()
        .filter(|s| sid(s) != Some(label.as_str()))
        .cloned()
        .collect();
    if kept.len() == before.len() {
        return Err(not_found());
    }
    state.config.policy = if kept.is_empty() {
        None
    } else {
        policy.insert("Statement".into(), Value::Array(kept));
        Some(render_policy(&policy))
    };
    state.last_modified_secs = svc.epoch_ms(now) / 1000;
    Ok(RemovePermissionOutput {})
}
