//! DeleteStateMachine: deletes a machine once its executions have ended.
//!
//! # Semantics
//!
//! - The machine's status becomes `DELETING` at once: StartExecution, UpdateStateMachine and
//!   CreateStateMachine of the same name fail with `StateMachineDeleting`.
//! - Each running execution fails at its next state transition with `States.Runtime`
//!   (`State machine NAME has been deleted.`); one waiting (in a Wait, or on a task) keeps the
//!   machine in `DELETING` until it ends or is stopped.
//! - When no execution runs, the machine is gone (`StateMachineDoesNotExist` afterwards); its
//!   executions can still be described.
//! - Deleting a machine that does not exist (or is already being deleted) succeeds.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::service::{ExecutionStatus, Sfn};

/// The input of DeleteStateMachine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeleteStateMachineInput {
    /// The machine's ARN.
    #[serde(default)]
    pub state_machine_arn: String,
}

/// The output of DeleteStateMachine (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeleteStateMachineOutput {}

/// Builds and sends a DeleteStateMachine request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DeleteStateMachineFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: DeleteStateMachineInput,
}

impl DeleteStateMachineFluentBuilder {
    /// The machine's ARN.
    pub fn state_machine_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.state_machine_arn = arn.into();
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `ValidationException` for an ARN that is not a state machine's.
    pub async fn send(self) -> Result<DeleteStateMachineOutput, Error> {
        let arn = self.input.state_machine_arn;
        if !arn.starts_with("arn:") || !arn.contains(":stateMachine:") {
            return Err(Error::validation(
                "ValidationException",
                format!("Invalid Arn: 'Resource type not valid in this context: {arn}'"),
            ));
        }
        let inner = &self.sfn.inner;
        let Ok(machine) = inner.machine(&arn) else {
            return Ok(DeleteStateMachineOutput {});
        };
        machine
            .deleting
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let cause = format!("State machine {} has been deleted.", machine.name);
        let executions: Vec<_> = inner
            .executions
            .lock()
            .values()
            .filter(|e| e.state_machine_arn == arn)
            .cloned()
            .collect();
        for e in executions {
            if e.state.lock().status == ExecutionStatus::Running {
                let mut h = e.history.lock();
                if h.halt.is_none() {
                    h.halt = Some(("States.Runtime".into(), cause.clone()));
                }
            }
        }
        inner.reap(&arn);
        Ok(DeleteStateMachineOutput {})
    }
}

impl Sfn {
    /// DeleteStateMachine.
    pub fn delete_state_machine(&self) -> DeleteStateMachineFluentBuilder {
        DeleteStateMachineFluentBuilder {
            sfn: self.clone(),
            input: DeleteStateMachineInput::default(),
        }
    }
}
