//! ListMessageMoveTasks: the most recent message move tasks of a source queue.
//!
//! # Semantics
//!
//! - `SourceArn` must name an existing queue, else `ResourceNotFoundException` (HTTP 404) "The
//!   resource that you specified for the SourceArn parameter doesn't exist."; a malformed ARN is
//!   `InvalidParameterValue`.
//! - `MaxResults` is 1–10 (default 1); tasks come newest first. Finished tasks stay listed (the
//!   ten most recent per source).
//! - Each entry carries `Status`, `SourceArn`, `ApproximateNumberOfMessagesMoved`,
//!   `ApproximateNumberOfMessagesToMove` (the visible messages when the task started) and
//!   `StartedTimestamp` (epoch milliseconds); `DestinationArn` and
//!   `MaxNumberOfMessagesPerSecond` only when the task was started with them, `TaskHandle` only
//!   while the task is `RUNNING`, `FailureReason` only when it `FAILED` — as AWS answers.
//!
//! See [`start_message_move_task`](super::start_message_move_task) for what a task does.

use std::fmt;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::queue::Queue;
use crate::service::{Sqs, SqsInner};

/// The input of ListMessageMoveTasks, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListMessageMoveTasksInput {
    /// The ARN of the source (dead-letter) queue.
    #[serde(default)]
    pub source_arn: String,
    /// At most this many tasks (1–10, default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// The status of a message move task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum MessageMoveTaskStatus {
    /// Moving messages.
    Running,
    /// Every visible message of the source was moved.
    Completed,
    /// Being cancelled (aws-lite cancels at once, so this is never observed).
    Cancelling,
    /// Cancelled by CancelMessageMoveTask.
    Cancelled,
    /// Stopped by an error; see `FailureReason`.
    Failed,
}

impl MessageMoveTaskStatus {
    /// The status as SQS spells it (`RUNNING`, `COMPLETED`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            MessageMoveTaskStatus::Running => "RUNNING",
            MessageMoveTaskStatus::Completed => "COMPLETED",
            MessageMoveTaskStatus::Cancelling => "CANCELLING",
            MessageMoveTaskStatus::Cancelled => "CANCELLED",
            MessageMoveTaskStatus::Failed => "FAILED",
        }
    }
}

impl fmt::Display for MessageMoveTaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One task in a ListMessageMoveTasks answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListMessageMoveTasksResultEntry {
    pub(crate) approximate_number_of_messages_moved: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) approximate_number_of_messages_to_move: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) destination_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) failure_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) max_number_of_messages_per_second: Option<i32>,
    pub(crate) source_arn: String,
    pub(crate) started_timestamp: i64,
    pub(crate) status: MessageMoveTaskStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) task_handle: Option<String>,
}

impl ListMessageMoveTasksResultEntry {
    /// The task's handle, while it is `RUNNING`.
    pub fn task_handle(&self) -> Option<&str> {
        self.task_handle.as_deref()
    }

    /// The task's status.
    pub fn status(&self) -> MessageMoveTaskStatus {
        self.status
    }

    /// The source queue's ARN.
    pub fn source_arn(&self) -> &str {
        &self.source_arn
    }

    /// The destination queue's ARN, when the task was started with one (else messages go back
    /// to their original source queues).
    pub fn destination_arn(&self) -> Option<&str> {
        self.destination_arn.as_deref()
    }

    /// The rate the task was started with, if any.
    pub fn max_number_of_messages_per_second(&self) -> Option<i32> {
        self.max_number_of_messages_per_second
    }

    /// Messages moved so far.
    pub fn approximate_number_of_messages_moved(&self) -> i64 {
        self.approximate_number_of_messages_moved
    }

    /// Visible messages in the source when the task started.
    pub fn approximate_number_of_messages_to_move(&self) -> Option<i64> {
        self.approximate_number_of_messages_to_move
    }

    /// Why the task failed (`AWS.SimpleQueueService.NonExistentQueue`,
    /// `CouldNotDetermineMessageSource`), when it did.
    pub fn failure_reason(&self) -> Option<&str> {
        self.failure_reason.as_deref()
    }

    /// When the task started, in epoch milliseconds.
    pub fn started_timestamp(&self) -> i64 {
        self.started_timestamp
    }
}

/// The output of ListMessageMoveTasks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ListMessageMoveTasksOutput {
    #[serde(rename = "Results")]
    results: Vec<ListMessageMoveTasksResultEntry>,
}

impl ListMessageMoveTasksOutput {
    /// The tasks, newest first.
    pub fn results(&self) -> &[ListMessageMoveTasksResultEntry] {
        &self.results
    }

    /// Takes the tasks.
    pub fn into_results(self) -> Vec<ListMessageMoveTasksResultEntry> {
        self.results
    }
}

/// Builds and sends a ListMessageMoveTasks request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListMessageMoveTasksFluentBuilder {
    sqs: Sqs,
    input: ListMessageMoveTasksInput,
}

impl ListMessageMoveTasksFluentBuilder {
    /// The ARN of the source (dead-letter) queue.
    pub fn source_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.source_arn = arn.into();
        self
    }

    /// At most this many tasks (1–10).
    pub fn max_results(mut self, n: i32) -> Self {
        self.input.max_results = Some(n);
        self
    }

    /// Sets or clears `MaxResults`.
    pub fn set_max_results(mut self, n: Option<i32>) -> Self {
        self.input.max_results = n;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &ListMessageMoveTasksInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<ListMessageMoveTasksOutput, Error> {
        list_message_move_tasks(&self.sqs.inner, self.input)
    }
}

impl Sqs {
    /// ListMessageMoveTasks of the queue at `.source_arn(…)`.
    pub fn list_message_move_tasks(&self) -> ListMessageMoveTasksFluentBuilder {
        ListMessageMoveTasksFluentBuilder {
            sqs: self.clone(),
            input: ListMessageMoveTasksInput::default(),
        }
    }
}

impl Queue {
    /// ListMessageMoveTasks with this queue as the source.
    pub fn list_message_move_tasks(&self) -> ListMessageMoveTasksFluentBuilder {
        self.sqs.list_message_move_tasks().source_arn(self.arn())
    }
}

/// `InvalidParameterValue` for an ARN that is not `arn:partition:service:region:account:resource`.
pub(crate) fn check_arn_format(parameter: &str, arn: &str) -> Result<(), Error> {
    aws_lite_core::id::Arn::parse(arn).map(|_| ()).map_err(|_| {
        error::invalid_parameter_value(format!(
            "You must use this format to specify the {parameter}: arn:<partition>:<service>:<region>:<account-id>:<resource-id>"
        ))
    })
}

pub(crate) fn list_message_move_tasks(
    svc: &SqsInner,
    input: ListMessageMoveTasksInput,
) -> Result<ListMessageMoveTasksOutput, Error> {
    let _span =
        tracing::debug_span!("sqs.ListMessageMoveTasks", source = %input.source_arn).entered();
    if input.source_arn.is_empty() {
        return Err(error::missing_parameter(
            "The request must contain the parameter SourceArn.",
        ));
    }
    check_arn_format("SourceArn", &input.source_arn)?;
    let max = match input.max_results {
        None => 1,
        Some(n @ 1..=10) => n as usize,
        Some(n) => {
            return Err(error::invalid_parameter(
                "MaxResults",
                n,
                "You must enter a number that's between 1 and 10.",
            ));
        }
    };
    if svc.lookup_arn(&input.source_arn).is_none() {
        return Err(error::move_task_not_found(
            "The resource that you specified for the SourceArn parameter doesn't exist.",
        ));
    }
    Ok(ListMessageMoveTasksOutput {
        results: crate::move_task::list(svc, &input.source_arn, max),
    })
}
