//! UpdateStateMachine: replaces a machine's definition or role, optionally publishing a version.
//!
//! # Semantics
//!
//! - At least one of `definition` and `roleArn` (`MissingRequiredParameter` otherwise).
//! - A new definition is validated as CreateStateMachine validates it, for the machine's type
//!   (`InvalidDefinition`); the type itself cannot change.
//! - An update that changes the definition text or the role makes a new *revision* with a new
//!   `revisionId`; one that changes nothing makes none, and the output carries the current
//!   revision's id (none for the machine's first revision, as AWS answers).
//! - `publish: true` publishes the current revision as a version (`versionDescription`
//!   describes it) and returns its ARN as `stateMachineVersionArn`; when that revision is
//!   already published, its existing version is returned. Version numbers are never reused.
//!   `versionDescription` without `publish` is a `ValidationException`; more than 1,000
//!   versions is `ServiceQuotaExceededException`, and then nothing is updated.
//! - Running executions keep the definition they started with; new executions use the new one.
//! - The ARN must be the machine's own: a version or alias ARN is `StateMachineDoesNotExist`.
//!   `StateMachineDeleting` while the machine is being deleted.

use std::sync::Arc;
use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::asl;
use crate::operation::create_state_machine::check_version_description;
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
    /// Publish the revision as a version.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub publish: bool,
    /// The description of the version `publish` makes (at most 256 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_description: Option<String>,
}

/// The output of UpdateStateMachine.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateStateMachineOutput {
    /// When the machine was updated.
    #[serde(serialize_with = "epoch")]
    pub update_date: SystemTime,
    /// The id of the machine's current revision: a new one when the update changed
    /// something; absent while the machine is still at its first revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
    /// The ARN of the version `publish` made or found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine_version_arn: Option<String>,
}

/// Builds and sends an UpdateStateMachine request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct UpdateStateMachineFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: UpdateStateMachineInput,
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

    /// Publishes the revision as a version.
    pub fn publish(mut self, publish: bool) -> Self {
        self.input.publish = publish;
        self
    }

    /// The description of the version `publish` makes.
    pub fn version_description(mut self, description: impl Into<String>) -> Self {
        self.input.version_description = Some(description.into());
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &UpdateStateMachineInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<UpdateStateMachineOutput, Error> {
        update_state_machine(&self.sfn, self.input)
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

/// UpdateStateMachine.
pub(crate) fn update_state_machine(
    sfn: &Sfn,
    input: UpdateStateMachineInput,
) -> Result<UpdateStateMachineOutput, Error> {
    if input.definition.is_none() && input.role_arn.is_none() {
        return Err(Error::validation(
            "MissingRequiredParameter",
            "Either the definition or the roleArn must be specified",
        ));
    }
    check_version_description(input.publish, input.version_description.as_deref())?;
    let inner = &sfn.inner;
    let old = inner.live_machine(&input.state_machine_arn)?;
    let definition = match &input.definition {
        Some(text) => Some(Arc::new(asl::validate(
            text,
            old.machine_type == StateMachineType::Express,
        )?)),
        None => None,
    };
    let now = sfn.wall_now();
    let mut machines = inner.machines.lock();
    // Deleted or being deleted between the look-up and now.
    let Some(current) = machines.get(&old.arn).filter(|m| !m.is_deleting()).cloned() else {
        drop(machines);
        inner.live_machine(&old.arn)?;
        return Err(Error::conflict(
            "StateMachineDeleting",
            format!("State Machine is being deleted: '{}'", old.arn),
        ));
    };
    let changed = input
        .definition
        .as_ref()
        .is_some_and(|d| *d != current.definition_text)
        || input
            .role_arn
            .as_ref()
            .is_some_and(|r| *r != current.role_arn);
    let revision = if changed {
        Arc::new(StateMachineRecord {
            arn: current.arn.clone(),
            name: current.name.clone(),
            definition_text: input
                .definition
                .unwrap_or_else(|| current.definition_text.clone()),
            states: match &definition {
                Some(d) => Arc::new(d.states.clone()),
                None => Arc::clone(&current.states),
            },
            definition: definition.unwrap_or_else(|| Arc::clone(&current.definition)),
            role_arn: input.role_arn.unwrap_or_else(|| current.role_arn.clone()),
            machine_type: current.machine_type,
            creation_date: current.creation_date,
            revision_id: Some(inner.rand.uuid().to_string()),
            update_date: now,
            deleting: Default::default(),
        })
    } else {
        current
    };
    // Publish before the new revision replaces the old, so that a refused publish (the
    // version quota) leaves the machine as it was.
    let state_machine_version_arn = if input.publish {
        Some(
            inner
                .publish_locked(&revision, input.version_description, now)?
                .arn
                .clone(),
        )
    } else {
        None
    };
    let revision_id = revision.revision_id.clone();
    if changed {
        machines.insert(revision.arn.clone(), revision);
    }
    Ok(UpdateStateMachineOutput {
        update_date: now,
        revision_id,
        state_machine_version_arn,
    })
}
