//! UpdateStateMachine: replaces a machine's definition or role.
//!
//! # Semantics
//!
//! - At least one of `definition` and `roleArn` (`MissingRequiredParameter` otherwise).
//! - A new definition is validated as CreateStateMachine validates it, for the machine's type
//!   (`InvalidDefinition`); the type itself cannot change.
//! - Running executions keep the definition they started with; new executions use the new one.
//! - `StateMachineDoesNotExist`, or `StateMachineDeleting` while the machine is being deleted.

use std::sync::Arc;
use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::asl;
use crate::service::{Sfn, StateMachineRecord, StateMachineType, epoch};

/// The input of UpdateStateMachine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateStateMachineInput {
    /// The machine's ARN.
    #[serde(default)]
    pub state_machine_arn: String,
    /// The new ASL definition (JSON text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// The new execution role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

/// The output of UpdateStateMachine.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateStateMachineOutput {
    /// When the machine was updated.
    #[serde(serialize_with = "epoch")]
    pub update_date: SystemTime,
    /// A new id for this revision of the machine.
    pub revision_id: String,
}

/// Builds and sends an UpdateStateMachine request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct UpdateStateMachineFluentBuilder {
    sfn: Sfn,
    input: UpdateStateMachineInput,
}

impl UpdateStateMachineFluentBuilder {
    /// The machine's ARN.
    pub fn state_machine_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.state_machine_arn = arn.into();
        self
    }

    /// The new ASL definition (JSON text).
    pub fn definition(mut self, definition: impl Into<String>) -> Self {
        self.input.definition = Some(definition.into());
        self
    }

    /// The new execution role.
    pub fn role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.input.role_arn = Some(role_arn.into());
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<UpdateStateMachineOutput, Error> {
        let input = self.input;
        if input.definition.is_none() && input.role_arn.is_none() {
            return Err(Error::validation(
                "MissingRequiredParameter",
                "Either the definition or the roleArn must be specified",
            ));
        }
        let inner = &self.sfn.inner;
        let old = inner.live_machine(&input.state_machine_arn)?;
        let definition = match &input.definition {
            Some(text) => Arc::new(asl::validate(
                text,
                old.machine_type == StateMachineType::Express,
            )?),
            None => Arc::clone(&old.definition),
        };
        let record = StateMachineRecord {
            arn: old.arn.clone(),
            name: old.name.clone(),
            definition_text: input
                .definition
                .unwrap_or_else(|| old.definition_text.clone()),
            definition,
            role_arn: input.role_arn.unwrap_or_else(|| old.role_arn.clone()),
            machine_type: old.machine_type,
            creation_date: old.creation_date,
            deleting: Default::default(),
        };
        let mut machines = inner.machines.lock();
        // Deleted or being deleted between the look-up and now.
        if machines.get(&old.arn).is_none_or(|m| m.is_deleting()) {
            drop(machines);
            inner.live_machine(&old.arn)?;
            return Err(Error::conflict(
                "StateMachineDeleting",
                format!("State Machine is being deleted: '{}'", old.arn),
            ));
        }
        machines.insert(old.arn.clone(), Arc::new(record));
        Ok(UpdateStateMachineOutput {
            update_date: self.sfn.wall_now(),
            revision_id: inner.rand.uuid().to_string(),
        })
    }
}

impl Sfn {
    /// UpdateStateMachine.
    pub fn update_state_machine(&self) -> UpdateStateMachineFluentBuilder {
        UpdateStateMachineFluentBuilder {
            sfn: self.clone(),
            input: UpdateStateMachineInput::default(),
        }
    }
}
