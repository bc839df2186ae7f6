//! StartSyncExecution: runs an Express execution to its end and returns its result.
//!
//! # Semantics
//!
//! - Only Express machines (`StateMachineTypeNotSupported` for Standard ones).
//! - A version or alias ARN runs that version, or the version the alias routes to, as
//!   StartExecution does.
//! - Input and name rules are StartExecution's; the execution runs on the service's clock
//!   (so under paused time it completes at once) and is limited to five minutes, after which
//!   its status is `TIMED_OUT` with error `States.Timeout`.
//! - The status is `SUCCEEDED`, `FAILED` or `TIMED_OUT`; DescribeExecution also knows it.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::operation::start_execution::{StartExecutionInput, start_execution};
use crate::service::{ExecutionStatus, Sfn, StateMachineType, epoch, epoch_opt};

/// The input of StartSyncExecution.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StartSyncExecutionInput {
    /// The Express machine's ARN.
    #[serde(default)]
    pub state_machine_arn: String,
    /// The execution's name (default: a UUID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The input as JSON text (default `{}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
}

/// The output of StartSyncExecution.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StartSyncExecutionOutput {
    /// The execution's ARN.
    pub execution_arn: String,
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// The execution's name.
    pub name: String,
    /// When it started.
    #[serde(serialize_with = "epoch")]
    pub start_date: SystemTime,
    /// When it stopped.
    #[serde(serialize_with = "epoch_opt")]
    pub stop_date: Option<SystemTime>,
    /// SUCCEEDED, FAILED or TIMED_OUT.
    pub status: ExecutionStatus,
    /// The input (JSON text).
    pub input: String,
    /// The output (JSON text), when it succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The error, when it failed or timed out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause, when it failed or timed out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// Builds and sends a StartSyncExecution request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct StartSyncExecutionFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: StartSyncExecutionInput,
}

impl StartSyncExecutionFluentBuilder {
    /// The Express machine's ARN.
    pub fn state_machine_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.state_machine_arn = arn.into();
        self
    }

    /// The execution's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.input.name = Some(name.into());
        self
    }

    /// The input as JSON text.
    pub fn input(mut self, input: impl Into<String>) -> Self {
        self.input.input = Some(input.into());
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &StartSyncExecutionInput {
        &self.input
    }

    /// Sends the request and waits for the execution's end.
    ///
    /// # Errors
    ///
    /// `StateMachineDoesNotExist`, `StateMachineTypeNotSupported`, `InvalidExecutionInput`,
    /// `InvalidName`.
    pub async fn send(self) -> Result<StartSyncExecutionOutput, Error> {
        let sfn = self.sfn;
        // A version or an alias has its machine's type.
        let machine = sfn.inner.machine_of(&self.input.state_machine_arn)?;
        if machine.machine_type != StateMachineType::Express {
            return Err(Error::validation(
                "StateMachineTypeNotSupported",
                "This operation is supported only for EXPRESS state machines",
            ));
        }
        let started = start_execution(
            &sfn,
            StartExecutionInput {
                state_machine_arn: self.input.state_machine_arn,
                name: self.input.name,
                input: self.input.input,
            },
        )?;
        let d = sfn.wait_for_execution(&started.execution_arn).await?;
        Ok(StartSyncExecutionOutput {
            execution_arn: d.execution_arn,
            state_machine_arn: d.state_machine_arn,
            name: d.name,
            start_date: d.start_date,
            stop_date: d.stop_date,
            status: d.status,
            input: d.input,
            output: d.output,
            error: d.error,
            cause: d.cause,
        })
    }
}

impl Sfn {
    /// StartSyncExecution (Express machines only).
    pub fn start_sync_execution(&self) -> StartSyncExecutionFluentBuilder {
        StartSyncExecutionFluentBuilder {
            sfn: self.clone(),
            input: StartSyncExecutionInput::default(),
        }
    }
}
