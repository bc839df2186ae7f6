//! StopExecution: aborts a running execution (status `ABORTED`, an `ExecutionAborted` event
//! with the given error and cause). Stopping a stopped execution changes nothing.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::history::HistoryEventType;
use crate::service::{ExecutionStatus, Sfn, epoch};

/// The input of StopExecution.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StopExecutionInput {
    /// The execution's ARN.
    #[serde(default)]
    pub execution_arn: String,
    /// The error to record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause to record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// The output of StopExecution.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StopExecutionOutput {
    /// When it stopped.
    #[serde(serialize_with = "epoch")]
    pub stop_date: SystemTime,
}

/// Builds and sends a StopExecution request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct StopExecutionFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: StopExecutionInput,
}

impl StopExecutionFluentBuilder {
    /// The execution's ARN.
    pub fn execution_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.execution_arn = arn.into();
        self
    }

    /// The error to record.
    pub fn error(mut self, error: impl Into<String>) -> Self {
        self.input.error = Some(error.into());
        self
    }

    /// The cause to record.
    pub fn cause(mut self, cause: impl Into<String>) -> Self {
        self.input.cause = Some(cause.into());
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<StopExecutionOutput, Error> {
        let rec = self.sfn.inner.execution(&self.input.execution_arn)?;
        let now = self.sfn.wall_now();
        if let Some(handle) = rec.abort.lock().take() {
            handle.abort();
        }
        let (error, cause) = (self.input.error.clone(), self.input.cause.clone());
        if rec.finish(
            ExecutionStatus::Aborted,
            now,
            None,
            error.clone(),
            cause.clone(),
        ) {
            let mut h = rec.history.lock();
            let prev = h.events.last().map_or(0, |e| e.id);
            let mut d = serde_json::Map::new();
            if let Some(e) = error {
                d.insert("error".into(), json!(e));
            }
            if let Some(c) = cause {
                d.insert("cause".into(), json!(c));
            }
            h.push(
                now,
                HistoryEventType::ExecutionAborted,
                prev,
                Some(("executionAbortedEventDetails", serde_json::Value::Object(d))),
            );
        }
        self.sfn.inner.reap(&rec.state_machine_arn);
        let stop_date = rec.state.lock().stop_date.unwrap_or(now);
        Ok(StopExecutionOutput { stop_date })
    }
}

impl Sfn {
    /// StopExecution.
    pub fn stop_execution(&self) -> StopExecutionFluentBuilder {
        StopExecutionFluentBuilder {
            sfn: self.clone(),
            input: StopExecutionInput::default(),
        }
    }
}
