//! DescribeStateMachine: a machine's name, definition, role, type and creation date.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::service::{Sfn, StateMachineType, epoch};

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
    /// When it was created.
    #[serde(serialize_with = "epoch")]
    pub creation_date: SystemTime,
}

/// Builds and sends a DescribeStateMachine request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DescribeStateMachineFluentBuilder {
    sfn: Sfn,
    input: DescribeStateMachineInput,
}

impl DescribeStateMachineFluentBuilder {
    /// The machine's ARN.
    pub fn state_machine_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.state_machine_arn = arn.into();
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<DescribeStateMachineOutput, Error> {
        let m = self.sfn.inner.machine(&self.input.state_machine_arn)?;
        Ok(DescribeStateMachineOutput {
            state_machine_arn: m.arn.clone(),
            name: m.name.clone(),
            status: if m.is_deleting() {
                "DELETING"
            } else {
                "ACTIVE"
            }
            .into(),
            definition: m.definition_text.clone(),
            role_arn: m.role_arn.clone(),
            machine_type: m.machine_type,
            creation_date: m.creation_date,
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
