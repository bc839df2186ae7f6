//! SendTaskHeartbeat: tells the task waiting on a token that its worker is alive, restarting its
//! `HeartbeatSeconds`; its `TimeoutSeconds` still counts from the task's start.
//!
//! Errors (all 400): `InvalidToken` (not a token this engine issues), `TaskDoesNotExist` (never
//! issued), `TaskTimedOut` (its task has ended: completed, timed out, retried or stopped).

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::callback::TokenReport;
use crate::service::Sfn;

/// The input of SendTaskHeartbeat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SendTaskHeartbeatInput {
    /// The task token (`$$.Task.Token`, or GetActivityTask's `taskToken`).
    #[serde(default)]
    pub task_token: String,
}

/// The output of SendTaskHeartbeat (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SendTaskHeartbeatOutput {}

/// Builds and sends a SendTaskHeartbeat request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct SendTaskHeartbeatFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: SendTaskHeartbeatInput,
}

impl SendTaskHeartbeatFluentBuilder {
    /// The task token.
    pub fn task_token(mut self, token: impl Into<String>) -> Self {
        self.input.task_token = token.into();
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<SendTaskHeartbeatOutput, Error> {
        let report = TokenReport::Heartbeat;
        self.sfn
            .inner
            .tokens
            .report(&self.input.task_token, report)?;
        Ok(SendTaskHeartbeatOutput {})
    }
}

impl Sfn {
    /// SendTaskHeartbeat: restarts a task's heartbeat interval.
    pub fn send_task_heartbeat(&self) -> SendTaskHeartbeatFluentBuilder {
        SendTaskHeartbeatFluentBuilder {
            sfn: self.clone(),
            input: SendTaskHeartbeatInput::default(),
        }
    }
}
