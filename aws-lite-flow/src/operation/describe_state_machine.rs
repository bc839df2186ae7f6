//! DescribeStateMachine: a machine's name, definition, role, type and creation date.
//!
//! # Semantics
//!
//! - On a version ARN (`…:stateMachine:name:7`) it describes that version: the revision it
//!   published, with the version's ARN, creation date and `description`.
//! - `revisionId` is present once the machine (or the version's revision) is past its first
//!   revision.
//! - A machine, version or alias that does not exist is `StateMachineDoesNotExist` (an alias
//!   ARN is described by DescribeStateMachineAlias).

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::service::{Qualified, Sfn, StateMachineType, epoch, machine_does_not_exist, qualify};

/// The input of DescribeStateMachine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DescribeStateMachineInput {
    /// The machine's ARN.
    #[serde(default)]
    pub state_machine_arn: String,
}

/// The output of DescribeStateMachine.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DescribeStateMachineOutput {
    /// The ARN.
    pub state_machine_arn: String,
    /// The name.
    pub name: String,
    /// `ACTIVE`, or `DELETING` after DeleteStateMachine while executions still run.
    pub status: String,
    /// The definition as it was sent.
    pub definition: String,
    /// The execution role.
    pub role_arn: String,
    /// STANDARD or EXPRESS.
    #[serde(rename = "type")]
    pub machine_type: StateMachineType,
    /// When it was created (a version: when it was published).
    #[serde(serialize_with = "epoch")]
    pub creation_date: SystemTime,
    /// The revision's id; absent for the machine's first revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
    /// A version's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Builds and sends a DescribeStateMachine request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DescribeStateMachineFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: DescribeStateMachineInput,
}

impl DescribeStateMachineFluentBuilder {
    /// The machine's ARN.
    pub fn state_machine_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.state_machine_arn = arn.into();
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<DescribeStateMachineOutput, Error> {
        let inner = &self.sfn.inner;
        let arn = &self.input.state_machine_arn;
        let (m, version) = match qualify(arn) {
            Some(Qualified::Version { base, number }) => {
                let base_machine = inner
                    .machine(base)
                    .map_err(|_| machine_does_not_exist(arn))?;
                let v = inner.version(base, number, arn)?;
                // The version's own snapshot, with the machine's status.
                (base_machine, Some(v))
            }
            _ => (inner.machine(arn)?, None),
        };
        let status = if m.is_deleting() {
            "DELETING"
        } else {
            "ACTIVE"
        };
        if let Some(v) = version {
            let r = &v.machine;
            return Ok(DescribeStateMachineOutput {
                state_machine_arn: v.arn.clone(),
                name: r.name.clone(),
                status: status.into(),
                definition: r.definition_text.clone(),
                role_arn: r.role_arn.clone(),
                machine_type: r.machine_type,
                creation_date: v.creation_date,
                revision_id: r.revision_id.clone(),
                description: v.description.clone(),
            });
        }
        Ok(DescribeStateMachineOutput {
            state_machine_arn: m.arn.clone(),
            name: m.name.clone(),
            status: status.into(),
            definition: m.definition_text.clone(),
            role_arn: m.role_arn.clone(),
            machine_type: m.machine_type,
            creation_date: m.creation_date,
            revision_id: m.revision_id.clone(),
            description: None,
        })
    }
}

impl Sfn {
    /// DescribeStateMachine.
    pub fn describe_state_machine(&self) -> DescribeStateMachineFluentBuilder {
        DescribeStateMachineFluentBuilder {
            sfn: self.clone(),
            input: DescribeStateMachineInput::default(),
        }
    }
}
