//! SendTaskFailure: fails the task waiting on a token with an error and a cause, which `Retry` and `Catch`
//! match as any task error.
//!
//! Errors (all 400): `InvalidToken` (not a token this engine issues), `TaskDoesNotExist` (never
//! issued), `TaskTimedOut` (its task has ended: completed, timed out, retried or stopped).

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::callback::TokenReport;
use crate::service::Sfn;

/// The input of SendTaskFailure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SendTaskFailureInput {
    /// The task token (`$$.Task.Token`, or GetActivityTask's `taskToken`).
    #[serde(default)]
    pub task_token: String,
    /// The error name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// The output of SendTaskFailure (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SendTaskFailureOutput {}

/// Builds and sends a SendTaskFailure request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct SendTaskFailureFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: SendTaskFailureInput,
}

impl SendTaskFailureFluentBuilder {
    /// The task token.
    pub fn task_token(mut self, token: impl Into<String>) -> Self {
        self.input.task_token = token.into();
        self
    }

    /// The error name.
    pub fn error(mut self, error: impl Into<String>) -> Self {
        self.input.error = Some(error.into());
        self
    }

    /// The cause.
    pub fn cause(mut self, cause: impl Into<String>) -> Self {
        self.input.cause = Some(cause.into());
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<SendTaskFailureOutput, Error> {
        let report = TokenReport::Failure {
            error: self.input.error.clone(),
            cause: self.input.cause.clone(),
        };
        self.sfn
            .inner
            .tokens
            .report(&self.input.task_token, report)?;
        Ok(SendTaskFailureOutput {})
    }
}

impl Sfn {
    /// SendTaskFailure: fails a callback or activity task.
    pub fn send_task_failure(&self) -> SendTaskFailureFluentBuilder {
        SendTaskFailureFluentBuilder {
            sfn: self.clone(),
            input: SendTaskFailureInput::default(),
        }
    }
}
