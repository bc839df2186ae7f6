//! DeleteStateMachineVersion: deletes a version that no alias routes to.
//!
//! # Semantics
//!
//! - A version an alias routes to cannot be deleted: `ConflictException` (`Version to be
//!   deleted must not be referenced by an alias. Current list of aliases referencing this
//!   version: [live, beta]`, the aliases by name in creation order). Update or delete the
//!   aliases first.
//! - Executions of the version that are running keep running; StartExecution on its ARN fails
//!   afterwards (`StateMachineDoesNotExist`). Its number is not given again.
//! - Deleting a version that does not exist succeeds; an ARN that is not a version's is
//!   `InvalidArn`.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::service::{Qualified, Sfn, invalid_arn, qualify};

/// The input of DeleteStateMachineVersion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeleteStateMachineVersionInput {
    /// The version's ARN.
    #[serde(default)]
    pub state_machine_version_arn: String,
}

/// The output of DeleteStateMachineVersion (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeleteStateMachineVersionOutput {}

/// Builds and sends a DeleteStateMachineVersion request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DeleteStateMachineVersionFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: DeleteStateMachineVersionInput,
}

impl DeleteStateMachineVersionFluentBuilder {
    /// The version's ARN.
    pub fn state_machine_version_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.state_machine_version_arn = arn.into();
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `ConflictException` while an alias routes to the version; `InvalidArn`.
    pub async fn send(self) -> Result<DeleteStateMachineVersionOutput, Error> {
        delete_state_machine_version(&self.sfn, self.input)
    }
}

impl Sfn {
    /// DeleteStateMachineVersion.
    pub fn delete_state_machine_version(&self) -> DeleteStateMachineVersionFluentBuilder {
        DeleteStateMachineVersionFluentBuilder {
            sfn: self.clone(),
            input: DeleteStateMachineVersionInput::default(),
        }
    }
}

/// DeleteStateMachineVersion.
pub(crate) fn delete_state_machine_version(
    sfn: &Sfn,
    input: DeleteStateMachineVersionInput,
) -> Result<DeleteStateMachineVersionOutput, Error> {
    let arn = &input.state_machine_version_arn;
    let Some(Qualified::Version { base, number }) = qualify(arn) else {
        return Err(invalid_arn(arn));
    };
    let mut all = sfn.inner.versioning.lock();
    let Some(v) = all.get_mut(base) else {
        return Ok(DeleteStateMachineVersionOutput {});
    };
    if v.versions.get(&number).is_none_or(|x| x.arn != *arn) {
        return Ok(DeleteStateMachineVersionOutput {});
    }
    let mut referencing: Vec<_> = v
        .aliases
        .values()
        .filter(|a| {
            a.routing
                .iter()
                .any(|r| r.state_machine_version_arn == *arn)
        })
        .collect();
    if !referencing.is_empty() {
        referencing.sort_by_key(|a| a.seq);
        let names: Vec<&str> = referencing.iter().map(|a| a.name.as_str()).collect();
        return Err(Error::conflict(
            "ConflictException",
            format!(
                "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [{}]",
                names.join(", ")
            ),
        ));
    }
    v.versions.remove(&number);
    Ok(DeleteStateMachineVersionOutput {})
}
