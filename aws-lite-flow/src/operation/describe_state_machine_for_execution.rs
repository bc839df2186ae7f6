//! DescribeStateMachineForExecution: the machine revision an execution runs.
//!
//! # Semantics
//!
//! - The definition, role and revision the execution started with, even if the machine has
//!   been updated since, or the execution was started on a version or through an alias.
//!   `stateMachineArn` is the machine's unqualified ARN; `updateDate` is when that revision
//!   was made (the machine's creation for its first); `revisionId` is absent for the first
//!   revision.
//! - `ExecutionDoesNotExist` for an execution this service does not know.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::service::{Sfn, epoch};

/// The input of DescribeStateMachineForExecution.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DescribeStateMachineForExecutionInput {
    /// The execution's ARN.
    #[serde(default)]
    pub execution_arn: String,
}

/// The output of DescribeStateMachineForExecution.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DescribeStateMachineForExecutionOutput {
    /// The machine's (unqualified) ARN.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// The definition the execution runs.
    pub definition: String,
    /// The execution role of that revision.
    pub role_arn: String,
    /// When that revision was made.
    #[serde(serialize_with = "epoch")]
    pub update_date: SystemTime,
    /// That revision's id; absent for the machine's first revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
}

/// Builds and sends a DescribeStateMachineForExecution request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DescribeStateMachineForExecutionFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: DescribeStateMachineForExecutionInput,
}

impl DescribeStateMachineForExecutionFluentBuilder {
    /// The execution's ARN.
    pub fn execution_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.execution_arn = arn.into();
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `ExecutionDoesNotExist`.
    pub async fn send(self) -> Result<DescribeStateMachineForExecutionOutput, Error> {
        describe_state_machine_for_execution(&self.sfn, self.input)
    }
}

impl Sfn {
    /// DescribeStateMachineForExecution.
    pub fn describe_state_machine_for_execution(
        &self,
    ) -> DescribeStateMachineForExecutionFluentBuilder {
        DescribeStateMachineForExecutionFluentBuilder {
            sfn: self.clone(),
            input: DescribeStateMachineForExecutionInput::default(),
        }
    }
}

/// DescribeStateMachineForExecution.
pub(crate) fn describe_state_machine_for_execution(
    sfn: &Sfn,
    input: DescribeStateMachineForExecutionInput,
) -> Result<DescribeStateMachineForExecutionOutput, Error> {
    let e = sfn.inner.execution(&input.execution_arn)?;
    let m = &e.machine;
    Ok(DescribeStateMachineForExecutionOutput {
        state_machine_arn: m.arn.clone(),
        name: m.name.clone(),
        definition: m.definition_text.clone(),
        role_arn: m.role_arn.clone(),
        update_date: m.update_date,
        revision_id: m.revision_id.clone(),
    })
}
