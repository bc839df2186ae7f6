//! DescribeMapRun: a Distributed Map run's configuration, progress and results.
//!
//! # Semantics
//!
//! - `mapRunArn` must be a Map Run ARN (`…:mapRun:<machine>/<label>:<uuid>`), else
//!   `InvalidArn`; one this service never started is `ResourceNotFound`.
//! - The status is `RUNNING`, `SUCCEEDED`, `FAILED` or `ABORTED`; `itemCounts` and
//!   `executionCounts` count items and child executions by status (`resultsWritten` once a
//!   `ResultWriter` exported them); `toleratedFailureCount`/`Percentage` are 0 when unset.
//! - aws-lite has no redrive: `redriveCount` is 0 and `pendingRedrive` 0.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::map_run::{MapRunCounts, MapRunStatus};
use crate::service::{Sfn, epoch, epoch_opt};

/// The input of DescribeMapRun.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DescribeMapRunInput {
    /// The Map Run's ARN.
    #[serde(default)]
    pub map_run_arn: String,
}

/// The output of DescribeMapRun.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DescribeMapRunOutput {
    /// The Map Run's ARN.
    pub map_run_arn: String,
    /// The execution whose Distributed Map started it.
    pub execution_arn: String,
    /// RUNNING, SUCCEEDED, FAILED or ABORTED.
    pub status: MapRunStatus,
    /// When it started.
    #[serde(serialize_with = "epoch")]
    pub start_date: SystemTime,
    /// When it stopped.
    #[serde(serialize_with = "epoch_opt", skip_serializing_if = "Option::is_none")]
    pub stop_date: Option<SystemTime>,
    /// The most child executions run at once (0: no limit).
    pub max_concurrency: u64,
    /// The failed items' percentage it tolerates.
    pub tolerated_failure_percentage: f64,
    /// The failed items it tolerates.
    pub tolerated_failure_count: u64,
    /// Items by status.
    pub item_counts: MapRunCounts,
    /// Child executions by status.
    pub execution_counts: MapRunCounts,
    /// Always 0 (no redrive in aws-lite).
    pub redrive_count: u32,
}

/// Builds and sends a DescribeMapRun request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DescribeMapRunFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: DescribeMapRunInput,
}

impl DescribeMapRunFluentBuilder {
    /// The Map Run's ARN.
    pub fn map_run_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.map_run_arn = arn.into();
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &DescribeMapRunInput {
        &self.input
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `InvalidArn`, `ResourceNotFound`.
    pub async fn send(self) -> Result<DescribeMapRunOutput, Error> {
        let arn = &self.input.map_run_arn;
        if !is_map_run_arn(arn) {
            return Err(Error::validation(
                "InvalidArn",
                format!("Invalid Arn: '{arn}'"),
            ));
        }
        let rec = self.sfn.inner.map_runs.get(arn).ok_or_else(|| {
            Error::validation("ResourceNotFound", format!("Resource not found: '{arn}'"))
        })?;
        let st = rec.state.lock().clone();
        Ok(DescribeMapRunOutput {
            map_run_arn: rec.arn.clone(),
            execution_arn: rec.execution_arn.clone(),
            status: st.status,
            start_date: rec.start_date,
            stop_date: st.stop_date,
            max_concurrency: rec.max_concurrency,
            tolerated_failure_percentage: rec.tolerated_failure_percentage,
            tolerated_failure_count: rec.tolerated_failure_count,
            item_counts: st.items,
            execution_counts: st.executions,
            redrive_count: 0,
        })
    }
}

/// Whether `arn` has a Map Run ARN's shape: `arn:<partition>:states:<region>:<account>:
/// mapRun:<machine>/<label>:<id>`.
pub(crate) fn is_map_run_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    parts.len() == 7
        && parts[0] == "arn"
        && parts[2] == "states"
        && parts[5] == "mapRun"
        && parts[6]
            .rsplit_once(':')
            .is_some_and(|(path, id)| !id.is_empty() && path.contains('/'))
}

impl Sfn {
    /// DescribeMapRun.
    pub fn describe_map_run(&self) -> DescribeMapRunFluentBuilder {
        DescribeMapRunFluentBuilder {
            sfn: self.clone(),
            input: DescribeMapRunInput::default(),
        }
    }
}
