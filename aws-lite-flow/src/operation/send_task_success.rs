//! SendTaskSuccess: completes the task waiting on a token with an output.
//!
//! Errors (all 400): `InvalidToken` (not a token this engine issues), `TaskDoesNotExist` (never
//! issued), `TaskTimedOut` (its task has ended: completed, timed out, retried or stopped), `InvalidOutput` (the output is not JSON).

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::callback::TokenReport;
use crate::service::Sfn;

/// The input of SendTaskSuccess.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SendTaskSuccessInput {
    /// The task token (`$$.Task.Token`, or GetActivityTask's `taskToken`).
    #[serde(default)]
    pub task_token: String,
    /// The task's output: JSON text.
    #[serde(default)]
    pub output: String,
}

/// The output of SendTaskSuccess (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SendTaskSuccessOutput {}

/// Builds and sends a SendTaskSuccess request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct SendTaskSuccessFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: SendTaskSuccessInput,
}

impl SendTaskSuccessFluentBuilder {
    /// The task token.
    pub fn task_token(mut self, token: impl Into<String>) -> Self {
        self.input.task_token = token.into();
        self
    }

    /// The task's output: JSON text (it becomes the task's result).
    pub fn output(mut self, output: impl Into<String>) -> Self {
        self.input.output = output.into();
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<SendTaskSuccessOutput, Error> {
        let output = serde_json::from_str(&self.input.output)
            .map_err(|e| Error::validation("InvalidOutput", format!("Invalid Output: '{e}'")))?;
        let report = TokenReport::Success(output);
        self.sfn
            .inner
            .tokens
            .report(&self.input.task_token, report)?;
        Ok(SendTaskSuccessOutput {})
    }
}

impl Sfn {
    /// SendTaskSuccess: completes a callback or activity task.
    pub fn send_task_success(&self) -> SendTaskSuccessFluentBuilder {
        SendTaskSuccessFluentBuilder {
            sfn: self.clone(),
            input: SendTaskSuccessInput::default(),
        }
    }
}
