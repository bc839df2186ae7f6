//! ListExecutions: a machine's executions, newest first, optionally filtered by status.
//!
//! `stateMachineArn` may also be a version's ARN (the executions that ran that version, started
//! on it or through an alias) or an alias's (the executions started through it); each item
//! carries `stateMachineVersionArn` and `stateMachineAliasArn` when it has them.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::service::{ExecutionStatus, Sfn, epoch, epoch_opt};

/// The input of ListExecutions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListExecutionsInput {
    /// The machine's ARN.
    #[serde(default)]
    pub state_machine_arn: String,
    /// Only executions with this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_filter: Option<ExecutionStatus>,
}

/// One execution in a ListExecutions page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ExecutionListItem {
    /// The execution's ARN.
    pub execution_arn: String,
    /// Its machine's ARN.
    pub state_machine_arn: String,
    /// The version it runs, when started on a version or through an alias.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine_version_arn: Option<String>,
    /// The alias it was started through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine_alias_arn: Option<String>,
    /// Its name.
    pub name: String,
    /// Its status.
    pub status: ExecutionStatus,
    /// When it started.
    #[serde(serialize_with = "epoch")]
    pub start_date: SystemTime,
    /// When it stopped.
    #[serde(serialize_with = "epoch_opt", skip_serializing_if = "Option::is_none")]
    pub stop_date: Option<SystemTime>,
}

/// The output of ListExecutions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListExecutionsOutput {
    /// The executions, newest first.
    pub executions: Vec<ExecutionListItem>,
}

/// Builds and sends a ListExecutions request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListExecutionsFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: ListExecutionsInput,
}

impl ListExecutionsFluentBuilder {
    /// The machine's ARN.
    pub fn state_machine_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.state_machine_arn = arn.into();
        self
    }

    /// Only executions with this status.
    pub fn status_filter(mut self, status: ExecutionStatus) -> Self {
        self.input.status_filter = Some(status);
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<ListExecutionsOutput, Error> {
        let arn = self.input.state_machine_arn.as_str();
        self.sfn.inner.machine_of(arn)?;
        let all: Vec<_> = self.sfn.inner.executions.lock().values().cloned().collect();
        let mut executions: Vec<ExecutionListItem> = all
            .iter()
            .filter(|e| {
                e.state_machine_arn == arn
                    || e.state_machine_version_arn.as_deref() == Some(arn)
                    || e.state_machine_alias_arn.as_deref() == Some(arn)
            })
            .map(|e| e.describe())
            .filter(|d| self.input.status_filter.is_none_or(|s| s == d.status))
            .map(|d| ExecutionListItem {
                execution_arn: d.execution_arn,
                state_machine_arn: d.state_machine_arn,
                state_machine_version_arn: d.state_machine_version_arn,
                state_machine_alias_arn: d.state_machine_alias_arn,
                name: d.name,
                status: d.status,
                start_date: d.start_date,
                stop_date: d.stop_date,
            })
            .collect();
        executions.sort_by_key(|e| std::cmp::Reverse(e.start_date));
        Ok(ListExecutionsOutput { executions })
    }
}

impl Sfn {
    /// ListExecutions.
    pub fn list_executions(&self) -> ListExecutionsFluentBuilder {
        ListExecutionsFluentBuilder {
            sfn: self.clone(),
            input: ListExecutionsInput::default(),
        }
    }
}
