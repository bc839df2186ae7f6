//! GetExecutionHistory: an execution's events, oldest first (or newest first with
//! `reverseOrder`), paged by `maxResults` (default and maximum 1,000).

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::history::HistoryEvent;
use crate::service::Sfn;

/// The input of GetExecutionHistory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GetExecutionHistoryInput {
    /// The execution's ARN.
    #[serde(default)]
    pub execution_arn: String,
    /// Page size (1–1000; default 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    /// Newest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse_order: Option<bool>,
    /// The token of the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// The output of GetExecutionHistory.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GetExecutionHistoryOutput {
    /// The events of this page.
    pub events: Vec<HistoryEvent>,
    /// The token of the next page, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Builds and sends a GetExecutionHistory request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct GetExecutionHistoryFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: GetExecutionHistoryInput,
}

impl GetExecutionHistoryFluentBuilder {
    /// The execution's ARN.
    pub fn execution_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.execution_arn = arn.into();
        self
    }

    /// Page size.
    pub fn max_results(mut self, n: u32) -> Self {
        self.input.max_results = Some(n);
        self
    }

    /// Newest first.
    pub fn reverse_order(mut self, reverse: bool) -> Self {
        self.input.reverse_order = Some(reverse);
        self
    }

    /// The token of the next page.
    pub fn next_token(mut self, token: impl Into<String>) -> Self {
        self.input.next_token = Some(token.into());
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<GetExecutionHistoryOutput, Error> {
        let rec = self.sfn.inner.execution(&self.input.execution_arn)?;
        let mut events = rec.history.lock().history();
        if self.input.reverse_order == Some(true) {
            events.reverse();
        }
        let max = self.input.max_results.unwrap_or(1000).clamp(1, 1000) as usize;
        let start = match &self.input.next_token {
            Some(t) => t
                .parse::<usize>()
                .map_err(|_| Error::validation("InvalidToken", format!("Invalid Token: '{t}'")))?,
            None => 0,
        };
        let page: Vec<HistoryEvent> = events.iter().skip(start).take(max).cloned().collect();
        let next_token = (start + max < events.len()).then(|| (start + max).to_string());
        Ok(GetExecutionHistoryOutput {
            events: page,
            next_token,
        })
    }
}

impl Sfn {
    /// GetExecutionHistory.
    pub fn get_execution_history(&self) -> GetExecutionHistoryFluentBuilder {
        GetExecutionHistoryFluentBuilder {
            sfn: self.clone(),
            input: GetExecutionHistoryInput::default(),
        }
    }
}
