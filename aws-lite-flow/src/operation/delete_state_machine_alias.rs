//! DeleteStateMachineAlias: deletes an alias, not the versions it routes to.
//!
//! # Semantics
//!
//! - StartExecution on the alias's ARN fails afterwards (`StateMachineDoesNotExist`);
//!   executions already started through it run on.
//! - Deleting an alias that does not exist succeeds; an ARN that is not an alias's is
//!   `InvalidArn`.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::service::{Qualified, Sfn, invalid_arn, qualify};

/// The input of DeleteStateMachineAlias.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeleteStateMachineAliasInput {
    /// The alias's ARN.
    #[serde(default)]
    pub state_machine_alias_arn: String,
}

/// The output of DeleteStateMachineAlias (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeleteStateMachineAliasOutput {}

/// Builds and sends a DeleteStateMachineAlias request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DeleteStateMachineAliasFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: DeleteStateMachineAliasInput,
}

impl DeleteStateMachineAliasFluentBuilder {
    /// The alias's ARN.
    pub fn state_machine_alias_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.state_machine_alias_arn = arn.into();
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `InvalidArn`.
    pub async fn send(self) -> Result<DeleteStateMachineAliasOutput, Error> {
        delete_state_machine_alias(&self.sfn, self.input)
    }
}

impl Sfn {
    /// DeleteStateMachineAlias.
    pub fn delete_state_machine_alias(&self) -> DeleteStateMachineAliasFluentBuilder {
        DeleteStateMachineAliasFluentBuilder {
            sfn: self.clone(),
            input: DeleteStateMachineAliasInput::default(),
        }
    }
}

/// DeleteStateMachineAlias.
pub(crate) fn delete_state_machine_alias(
    sfn: &Sfn,
    input: DeleteStateMachineAliasInput,
) -> Result<DeleteStateMachineAliasOutput, Error> {
    let arn = &input.state_machine_alias_arn;
    let Some(Qualified::Alias { base, name }) = qualify(arn) else {
        return Err(invalid_arn(arn));
    };
    if let Some(v) = sfn.inner.versioning.lock().get_mut(base) {
        if v.aliases.get(name).is_some_and(|a| a.arn == *arn) {
            v.aliases.remove(name);
        }
    }
    Ok(DeleteStateMachineAliasOutput {})
}
