//! GetActivityTask: a worker's long poll for the oldest task scheduled on an activity.
//!
//! # Semantics
//!
//! - Returns at once when a task is queued; otherwise waits on the Clock up to 60 s for one,
//!   then returns an empty output (no `taskToken`, no `input`).
//! - Taking a task starts it: the execution records `ActivityStarted` with the `workerName`
//!   (if given), and the task's `HeartbeatSeconds` starts counting.
//! - Errors: `ActivityDoesNotExist`.

use std::time::Duration;

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};

use crate::service::Sfn;

/// How long GetActivityTask waits for a task.
pub const POLL_SECONDS: u64 = 60;

/// The input of GetActivityTask.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GetActivityTaskInput {
    /// The activity's ARN.
    #[serde(default)]
    pub activity_arn: String,
    /// The worker's name, recorded in `ActivityStarted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_name: Option<String>,
}

/// The output of GetActivityTask: both fields are absent when no task came within 60 s.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GetActivityTaskOutput {
    /// The token to send SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_token: Option<String>,
    /// The task's input, as JSON text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
}

/// Builds and sends a GetActivityTask request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct GetActivityTaskFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: GetActivityTaskInput,
}

impl GetActivityTaskFluentBuilder {
    /// The activity's ARN.
    pub fn activity_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.activity_arn = arn.into();
        self
    }

    /// The worker's name.
    pub fn worker_name(mut self, name: impl Into<String>) -> Self {
        self.input.worker_name = Some(name.into());
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<GetActivityTaskOutput, Error> {
        let activity = self.sfn.inner.activities.get(&self.input.activity_arn)?;
        let clock = &self.sfn.inner.clock;
        let deadline = clock.now() + Duration::from_secs(POLL_SECONDS);
        let worker = self.input.worker_name.as_deref();
        loop {
            let ready = activity.ready.notified();
            if let Some((token, input)) = activity.take(worker) {
                return Ok(GetActivityTaskOutput {
                    task_token: Some(token),
                    input: Some(input),
                });
            }
            if clock.timeout_at(deadline, ready).await.is_err() {
                return Ok(GetActivityTaskOutput::default());
            }
        }
    }
}

impl Sfn {
    /// GetActivityTask.
    pub fn get_activity_task(&self) -> GetActivityTaskFluentBuilder {
        GetActivityTaskFluentBuilder {
            sfn: self.clone(),
            input: GetActivityTaskInput::default(),
        }
    }
}
