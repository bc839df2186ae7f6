//! ListMapRuns: the Map Runs an execution's Distributed Map states started, oldest first, a
//! page at a time (`maxResults`, 0 or absent: 100, at most 1000; `nextToken` continues a
//! listing, an unknown one is `InvalidToken`).
//!
//! The execution must exist (`ExecutionDoesNotExist`).

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::service::{Sfn, epoch, epoch_opt};

/// The input of ListMapRuns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListMapRunsInput {
    /// The execution whose Map Runs are listed.
    #[serde(default)]
    pub execution_arn: String,
    /// The page size (0 or absent: 100; at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    /// The token of the page to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One Map Run of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MapRunListItem {
    /// The execution that started it.
    pub execution_arn: String,
    /// Its ARN.
    pub map_run_arn: String,
    /// The child executions' machine: `<machine ARN>/<label>`.
    pub state_machine_arn: String,
    /// When it started.
    #[serde(serialize_with = "epoch")]
    pub start_date: SystemTime,
    /// When it stopped.
    #[serde(serialize_with = "epoch_opt", skip_serializing_if = "Option::is_none")]
    pub stop_date: Option<SystemTime>,
}

/// The output of ListMapRuns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListMapRunsOutput {
    /// The page of Map Runs.
    pub map_runs: Vec<MapRunListItem>,
    /// The token of the next page, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Builds and sends a ListMapRuns request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListMapRunsFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: ListMapRunsInput,
}

impl ListMapRunsFluentBuilder {
    /// The execution whose Map Runs are listed.
    pub fn execution_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.execution_arn = arn.into();
        self
    }

    /// The page size.
    pub fn max_results(mut self, n: u32) -> Self {
        self.input.max_results = Some(n);
        self
    }

    /// The token of the page to return.
    pub fn next_token(mut self, token: impl Into<String>) -> Self {
        self.input.next_token = Some(token.into());
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &ListMapRunsInput {
        &self.input
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `ExecutionDoesNotExist`; `InvalidToken` for a `nextToken` this listing did not give.
    pub async fn send(self) -> Result<ListMapRunsOutput, Error> {
        let inner = &self.sfn.inner;
        inner.execution(&self.input.execution_arn)?;
        let size = match self.input.max_results {
            None | Some(0) => 100,
            Some(n) => n.min(1000) as usize,
        };
        let runs = inner.map_runs.of_execution(&self.input.execution_arn);
        let start = match &self.input.next_token {
            None => 0,
            Some(t) => runs.iter().position(|r| r.arn == *t).ok_or_else(|| {
                Error::validation("InvalidToken", format!("Invalid Token: '{t}'"))
            })?,
        };
        let mut iter = runs.iter().skip(start);
        let map_runs = iter
            .by_ref()
            .take(size)
            .map(|r| MapRunListItem {
                execution_arn: r.execution_arn.clone(),
                map_run_arn: r.arn.clone(),
                state_machine_arn: r.state_machine_arn.clone(),
                start_date: r.start_date,
                stop_date: r.state.lock().stop_date,
            })
            .collect();
        let next_token = iter.next().map(|r| r.arn.clone());
        Ok(ListMapRunsOutput {
            map_runs,
            next_token,
        })
    }
}

impl Sfn {
    /// ListMapRuns.
    pub fn list_map_runs(&self) -> ListMapRunsFluentBuilder {
        ListMapRunsFluentBuilder {
            sfn: self.clone(),
            input: ListMapRunsInput::default(),
        }
    }
}
