//! DescribeExecution: an execution's status, input, output or error and cause.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::service::{ExecutionStatus, Sfn, epoch, epoch_opt};

/// The input of DescribeExecution.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DescribeExecutionInput {
    /// The execution's ARN.
    #[serde(default)]
    pub execution_arn: String,
}

/// The output of DescribeExecution.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DescribeExecutionOutput {
    /// The execution's ARN.
    pub execution_arn: String,
    /// Its machine's ARN (unqualified, even when started on a version or an alias).
    pub state_machine_arn: String,
    /// The version it runs, when started on a version ARN or through an alias.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine_version_arn: Option<String>,
    /// The alias it was started through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine_alias_arn: Option<String>,
    /// Its name.
    pub name: String,
    /// RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
    pub status: ExecutionStatus,
    /// When it started.
    #[serde(serialize_with = "epoch")]
    pub start_date: SystemTime,
    /// When it stopped.
    #[serde(serialize_with = "epoch_opt", skip_serializing_if = "Option::is_none")]
    pub stop_date: Option<SystemTime>,
    /// The input (JSON text).
    pub input: String,
    /// The output (JSON text) once succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The error name once failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause once failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// Builds and sends a DescribeExecution request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DescribeExecutionFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: DescribeExecutionInput,
}

impl DescribeExecutionFluentBuilder {
    /// The execution's ARN.
    pub fn execution_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.execution_arn = arn.into();
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<DescribeExecutionOutput, Error> {
        Ok(self
            .sfn
            .inner
            .execution(&self.input.execution_arn)?
            .describe())
    }
}

impl Sfn {
    /// DescribeExecution.
    pub fn describe_execution(&self) -> DescribeExecutionFluentBuilder {
        DescribeExecutionFluentBuilder {
            sfn: self.clone(),
            input: DescribeExecutionInput::default(),
        }
    }
}
