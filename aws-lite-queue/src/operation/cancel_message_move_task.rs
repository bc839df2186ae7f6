//! CancelMessageMoveTask: stops a running message move task.
//!
//! # Semantics
//!
//! - `TaskHandle` is the handle StartMessageMoveTask returned. One that does not decode is
//!   `InvalidParameterValue` "Value for parameter TaskHandle is invalid."; one whose source queue
//!   no longer exists is `ResourceNotFoundException` (HTTP 404) "The resource that you specified
//!   for the SourceArn parameter doesn't exist."; one naming no task, `ResourceNotFoundException`
//!   "Task does not exist." (all three as recorded against AWS).
//! - Only a `RUNNING` task can be cancelled; any other is `ResourceNotFoundException` (the error
//!   the API model lists for this operation; the message is aws-lite's).
//! - Messages already moved stay moved. The task's status becomes `CANCELLED` at once (the mover
//!   stops between two moves), and the answer carries the number of messages moved so far.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::service::{Sqs, SqsInner};

/// The input of CancelMessageMoveTask, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CancelMessageMoveTaskInput {
    /// The handle StartMessageMoveTask returned.
    #[serde(default)]
    pub task_handle: String,
}

/// The output of CancelMessageMoveTask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CancelMessageMoveTaskOutput {
    #[serde(rename = "ApproximateNumberOfMessagesMoved")]
    approximate_number_of_messages_moved: i64,
}

impl CancelMessageMoveTaskOutput {
    /// Messages the task moved before it was cancelled.
    pub fn approximate_number_of_messages_moved(&self) -> i64 {
        self.approximate_number_of_messages_moved
    }
}

/// Builds and sends a CancelMessageMoveTask request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct CancelMessageMoveTaskFluentBuilder {
    sqs: Sqs,
    input: CancelMessageMoveTaskInput,
}

impl CancelMessageMoveTaskFluentBuilder {
    /// The handle StartMessageMoveTask returned.
    pub fn task_handle(mut self, handle: impl Into<String>) -> Self {
        self.input.task_handle = handle.into();
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &CancelMessageMoveTaskInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<CancelMessageMoveTaskOutput, Error> {
        cancel_message_move_task(&self.sqs.inner, self.input)
    }
}

impl Sqs {
    /// CancelMessageMoveTask of the task `.task_handle(…)` names.
    pub fn cancel_message_move_task(&self) -> CancelMessageMoveTaskFluentBuilder {
        CancelMessageMoveTaskFluentBuilder {
            sqs: self.clone(),
            input: CancelMessageMoveTaskInput::default(),
        }
    }
}

pub(crate) fn cancel_message_move_task(
    svc: &SqsInner,
    input: CancelMessageMoveTaskInput,
) -> Result<CancelMessageMoveTaskOutput, Error> {
    let _span = tracing::debug_span!("sqs.CancelMessageMoveTask").entered();
    if input.task_handle.is_empty() {
        return Err(error::missing_parameter(
            "The request must contain the parameter TaskHandle.",
        ));
    }
    let moved = crate::move_task::cancel(svc, &input.task_handle)?;
    Ok(CancelMessageMoveTaskOutput {
        approximate_number_of_messages_moved: i64::try_from(moved).unwrap_or(i64::MAX),
    })
}
