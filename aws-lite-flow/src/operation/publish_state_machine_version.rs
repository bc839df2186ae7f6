//! PublishStateMachineVersion: publishes a machine's current revision as an immutable version.
//!
//! # Semantics
//!
//! - The version is `…:stateMachine:name:N`, N counting from 1 per machine; numbers are never
//!   reused, even after DeleteStateMachineVersion (publishing after deleting version 2 of 2
//!   gives version 3).
//! - Idempotent: when the current revision is already published (nothing changed since the
//!   last version was published from it), its existing version is returned and nothing is
//!   made.
//! - `revisionId`: publish only if the machine's current revision is this one; otherwise
//!   `ConflictException` (`Failed to publish the State Machine version for revision R. The
//!   current State Machine revision is C.`). `INITIAL` names the revision CreateStateMachine
//!   made.
//! - `description`: at most 256 characters (`ValidationException`).
//! - At most [`MAX_VERSIONS_PER_STATE_MACHINE`](crate::MAX_VERSIONS_PER_STATE_MACHINE) (1,000)
//!   versions per machine: `ServiceQuotaExceededException` (HTTP 402; the message is
//!   aws-lite's). Delete unused versions to publish more.
//! - `StateMachineDoesNotExist` (also for a version or alias ARN), `StateMachineDeleting`,
//!   `InvalidArn` for an ARN that is not a state machine's.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::operation::create_state_machine::check_description;
use crate::service::{Qualified, Sfn, epoch, invalid_arn, machine_does_not_exist, qualify};

/// The input of PublishStateMachineVersion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PublishStateMachineVersionInput {
    /// The machine's ARN.
    #[serde(default)]
    pub state_machine_arn: String,
    /// Publish only if this is the machine's current revision (`INITIAL`: its first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
    /// The version's description (at most 256 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The output of PublishStateMachineVersion.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PublishStateMachineVersionOutput {
    /// When the version was published.
    #[serde(serialize_with = "epoch")]
    pub creation_date: SystemTime,
    /// The version's ARN.
    pub state_machine_version_arn: String,
}

/// Builds and sends a PublishStateMachineVersion request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct PublishStateMachineVersionFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: PublishStateMachineVersionInput,
}

impl PublishStateMachineVersionFluentBuilder {
    /// The machine's ARN.
    pub fn state_machine_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.state_machine_arn = arn.into();
        self
    }

    /// Publish only if this is the machine's current revision.
    pub fn revision_id(mut self, revision_id: impl Into<String>) -> Self {
        self.input.revision_id = Some(revision_id.into());
        self
    }

    /// The version's description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.input.description = Some(description.into());
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &PublishStateMachineVersionInput {
        &self.input
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `StateMachineDoesNotExist`, `StateMachineDeleting`, `ConflictException`,
    /// `ServiceQuotaExceededException`, `ValidationException`, `InvalidArn`.
    pub async fn send(self) -> Result<PublishStateMachineVersionOutput, Error> {
        publish_state_machine_version(&self.sfn, self.input)
    }
}

impl Sfn {
    /// PublishStateMachineVersion.
    pub fn publish_state_machine_version(&self) -> PublishStateMachineVersionFluentBuilder {
        PublishStateMachineVersionFluentBuilder {
            sfn: self.clone(),
            input: PublishStateMachineVersionInput::default(),
        }
    }
}

/// PublishStateMachineVersion.
pub(crate) fn publish_state_machine_version(
    sfn: &Sfn,
    input: PublishStateMachineVersionInput,
) -> Result<PublishStateMachineVersionOutput, Error> {
    check_description("description", input.description.as_deref())?;
    let arn = &input.state_machine_arn;
    match qualify(arn) {
        Some(Qualified::Machine) => {}
        Some(_) => return Err(machine_does_not_exist(arn)),
        None => return Err(invalid_arn(arn)),
    }
    let inner = &sfn.inner;
    let now = sfn.wall_now();
    // The revision cannot change while the machines are locked.
    let machines = inner.machines.lock();
    let machine = machines
        .get(arn.as_str())
        .cloned()
        .ok_or_else(|| machine_does_not_exist(arn))?;
    if machine.is_deleting() {
        return Err(Error::conflict(
            "StateMachineDeleting",
            format!("State Machine is being deleted: '{arn}'"),
        ));
    }
    if let Some(expected) = &input.revision_id {
        let current = machine.revision_id.as_deref().unwrap_or("INITIAL");
        if expected != current {
            return Err(Error::conflict(
                "ConflictException",
                format!(
                    "Failed to publish the State Machine version for revision {expected}. The current State Machine revision is {current}."
                ),
            ));
        }
    }
    let version = inner.publish_locked(&machine, input.description, now)?;
    drop(machines);
    Ok(PublishStateMachineVersionOutput {
        creation_date: version.creation_date,
        state_machine_version_arn: version.arn.clone(),
    })
}
