//! StartMessageMoveTask: moves the messages of a dead-letter queue back to their sources or to
//! another queue, in the background, at a bounded rate.
//!
//! # Semantics
//!
//! - `SourceArn` must name an existing queue (else `ResourceNotFoundException`, HTTP 404, "The
//!   resource that you specified for the SourceArn parameter doesn't exist.") that is the
//!   dead-letter queue of some queue's `RedrivePolicy` (else `InvalidParameterValue` "Source
//!   queue must be configured as a Dead Letter Queue.").
//! - `DestinationArn` is optional: without it, each message goes back to the queue it was
//!   dead-lettered from. With it, the queue must exist (else `ResourceNotFoundException` "The
//!   resource that you specified for the DestinationArn parameter doesn't exist."), differ from
//!   the source and be of the same type (standard or FIFO).
//! - `MaxNumberOfMessagesPerSecond` is 1–500; without it aws-lite moves 500 messages per second
//!   (AWS "optimizes the rate").
//! - Only one active task per source: a second one is `InvalidParameterValue` "There is already
//!   a task running. Only one active task is allowed for a source queue arn at a given time."
//! - The answer's `TaskHandle` is opaque (as on AWS: base64 of the task id and the source ARN);
//!   CancelMessageMoveTask takes it.
//!
//! The move itself runs on a tokio task on the service's clock: see
//! [`ListMessageMoveTasks`](super::list_message_move_tasks) for its progress and the crate's
//! move-task notes for what a moved message looks like (a new message id and enqueue time, the
//! same body and attributes). A tokio runtime is required.
//!
//! ```
//! use aws_lite_queue::Sqs;
//! use aws_lite_queue::operation::list_message_move_tasks::MessageMoveTaskStatus;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let sqs = Sqs::new();
//! let dlq = sqs.create_queue().queue_name("orders-dlq").send().await?.queue();
//! let policy = format!(r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":1}}"#, dlq.arn());
//! let orders = sqs
//!     .create_queue()
//!     .queue_name("orders")
//!     .attributes("VisibilityTimeout", "0")
//!     .send()
//!     .await?
//!     .queue();
//! orders.set_queue_attributes().attributes("RedrivePolicy", policy).send().await?;
//! orders.send_message().message_body("poison").send().await?;
//! orders.receive_message().send().await?; // received once and not deleted…
//! orders.receive_message().send().await?; // …so the next receive dead-letters it
//! assert_eq!(dlq.metrics().approximate_number_of_messages_visible, 1);
//!
//! // Redrive: back to `orders`.
//! dlq.start_message_move_task().send().await?;
//! sqs.clock().sleep(std::time::Duration::from_millis(10)).await; // let the mover run
//! let tasks = dlq.list_message_move_tasks().send().await?;
//! assert_eq!(tasks.results()[0].status(), MessageMoveTaskStatus::Completed);
//! assert_eq!(orders.metrics().approximate_number_of_messages_visible, 1);
//! # Ok(()) }
//! ```

use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::move_task::StartRequest;
use crate::operation::list_message_move_tasks::check_arn_format;
use crate::queue::Queue;
use crate::service::{Sqs, SqsInner};

/// The input of StartMessageMoveTask, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct StartMessageMoveTaskInput {
    /// The ARN of the dead-letter queue to move messages out of.
    #[serde(default)]
    pub source_arn: String,
    /// The ARN of the queue to move them to (default: each message's original source queue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_arn: Option<String>,
    /// Messages moved per second at most (1–500).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_number_of_messages_per_second: Option<i32>,
}

/// The output of StartMessageMoveTask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StartMessageMoveTaskOutput {
    #[serde(rename = "TaskHandle")]
    task_handle: String,
}

impl StartMessageMoveTaskOutput {
    /// The task's handle, for CancelMessageMoveTask.
    pub fn task_handle(&self) -> &str {
        &self.task_handle
    }
}

/// Builds and sends a StartMessageMoveTask request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct StartMessageMoveTaskFluentBuilder {
    sqs: Sqs,
    input: StartMessageMoveTaskInput,
}

impl StartMessageMoveTaskFluentBuilder {
    /// The ARN of the dead-letter queue to move messages out of.
    pub fn source_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.source_arn = arn.into();
        self
    }

    /// The ARN of the queue to move the messages to.
    pub fn destination_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.destination_arn = Some(arn.into());
        self
    }

    /// Sets or clears the destination (`None`: each message's original source queue).
    pub fn set_destination_arn(mut self, arn: Option<String>) -> Self {
        self.input.destination_arn = arn;
        self
    }

    /// Messages moved per second at most (1–500).
    pub fn max_number_of_messages_per_second(mut self, n: i32) -> Self {
        self.input.max_number_of_messages_per_second = Some(n);
        self
    }

    /// Sets or clears the rate.
    pub fn set_max_number_of_messages_per_second(mut self, n: Option<i32>) -> Self {
        self.input.max_number_of_messages_per_second = n;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &StartMessageMoveTaskInput {
        &self.input
    }

    /// Sends the request. Must be awaited within a tokio runtime (the move runs on a tokio task).
    pub async fn send(self) -> Result<StartMessageMoveTaskOutput, Error> {
        start_message_move_task(&self.sqs.inner, self.input)
    }
}

impl Sqs {
    /// StartMessageMoveTask out of the dead-letter queue at `.source_arn(…)`.
    pub fn start_message_move_task(&self) -> StartMessageMoveTaskFluentBuilder {
        StartMessageMoveTaskFluentBuilder {
            sqs: self.clone(),
            input: StartMessageMoveTaskInput::default(),
        }
    }
}

impl Queue {
    /// StartMessageMoveTask with this (dead-letter) queue as the source.
    pub fn start_message_move_task(&self) -> StartMessageMoveTaskFluentBuilder {
        self.sqs.start_message_move_task().source_arn(self.arn())
    }
}

/// Whether some live queue's redrive policy targets `arn`.
fn is_dead_letter_queue(svc: &SqsInner, arn: &str) -> bool {
    let queues: Vec<_> = {
        let registry = svc.queues.read().unwrap_or_else(|p| p.into_inner());
        registry.values().cloned().collect()
    };
    queues.iter().any(|q| {
        q.check_live().is_ok()
            && q.state
                .lock()
                .config
                .redrive_policy
                .as_ref()
                .is_some_and(|p| p.dead_letter_target_arn == arn)
    })
}

pub(crate) fn start_message_move_task(
    svc: &Arc<SqsInner>,
    input: StartMessageMoveTaskInput,
) -> Result<StartMessageMoveTaskOutput, Error> {
    let _span =
        tracing::debug_span!("sqs.StartMessageMoveTask", source = %input.source_arn).entered();
    if input.source_arn.is_empty() {
        return Err(error::missing_parameter(
            "The request must contain the parameter SourceArn.",
        ));
    }
    check_arn_format("SourceArn", &input.source_arn)?;
    if let Some(dest) = &input.destination_arn {
        check_arn_format("DestinationArn", dest)?;
    }
    let max_rate = svc.limits.max_move_task_rate;
    let requested_rate = match input.max_number_of_messages_per_second {
        None => None,
        Some(n) if n >= 1 && (n as u32) <= max_rate => Some(n as u32),
        Some(_) => {
            return Err(error::invalid_parameter_value(format!(
                "Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: You must enter a number that's between 1 and {max_rate}."
            )));
        }
    };
    let source = svc
        .lookup_arn(&input.source_arn)
        .filter(|q| q.check_live().is_ok())
        .ok_or_else(|| {
            error::move_task_not_found(
                "The resource that you specified for the SourceArn parameter doesn't exist.",
            )
        })?;
    if !is_dead_letter_queue(svc, &source.arn) {
        return Err(error::invalid_parameter_value(
            "Source queue must be configured as a Dead Letter Queue.",
        ));
    }
    if let Some(dest_arn) = &input.destination_arn {
        let dest = svc
            .lookup_arn(dest_arn)
            .filter(|q| q.check_live().is_ok())
            .ok_or_else(|| {
                error::move_task_not_found(
                    "The resource that you specified for the DestinationArn parameter doesn't exist.",
                )
            })?;
        if dest.arn == source.arn {
            return Err(error::invalid_parameter_value(
                "Source queue arn and destination queue arn cannot be the same.",
            ));
        }
        if dest.fifo != source.fifo {
            return Err(error::invalid_parameter_value(
                "The source queue and destination queue must be of the same queue type.",
            ));
        }
    }
    let task_handle = crate::move_task::start(
        svc,
        StartRequest {
            source,
            destination_arn: input.destination_arn,
            requested_rate,
        },
    )?;
    Ok(StartMessageMoveTaskOutput { task_handle })
}
