//! ListStateMachines: the account's machines, a page at a time.
//!
//! # Semantics
//!
//! - Machines in ARN order (that is, by name), including those being deleted.
//! - `maxResults` per page (0 or absent: 100; at most 1000); `nextToken` continues a listing,
//!   and an unknown token is `InvalidToken`.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::service::{Sfn, StateMachineType, epoch};

/// The input of ListStateMachines.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListStateMachinesInput {
    /// The page size (0 or absent: 100; at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    /// The token of the page to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One machine in a ListStateMachines page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StateMachineListItem {
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// STANDARD or EXPRESS.
    #[serde(rename = "type")]
    pub machine_type: StateMachineType,
    /// When it was created.
    #[serde(serialize_with = "epoch")]
    pub creation_date: SystemTime,
}

/// The output of ListStateMachines.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListStateMachinesOutput {
    /// The page of machines.
    pub state_machines: Vec<StateMachineListItem>,
    /// The token of the next page, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Builds and sends a ListStateMachines request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListStateMachinesFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: ListStateMachinesInput,
}

impl ListStateMachinesFluentBuilder {
    /// The page size.
    pub fn max_results(mut self, max_results: u32) -> Self {
        self.input.max_results = Some(max_results);
        self
    }

    /// The token of the page to return.
    pub fn next_token(mut self, token: impl Into<String>) -> Self {
        self.input.next_token = Some(token.into());
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `InvalidToken` for a token this service did not give; `ValidationException` for a
    /// page size over 1000.
    pub async fn send(self) -> Result<ListStateMachinesOutput, Error> {
        let size = match self.input.max_results {
            None | Some(0) => 100,
            Some(n) if n <= 1000 => n as usize,
            Some(n) => {
                return Err(Error::validation(
                    "ValidationException",
                    format!(
                        "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"
                    ),
                ));
            }
        };
        // The token is the ARN of the first machine of the page.
        let machines = self.sfn.inner.machines.lock();
        let start = match &self.input.next_token {
            None => None,
            Some(t) if t.starts_with("arn:") && t.contains(":stateMachine:") => Some(t.clone()),
            Some(t) => {
                return Err(Error::validation(
                    "InvalidToken",
                    format!("Invalid Token: '{t}'"),
                ));
            }
        };
        let mut page: Vec<StateMachineListItem> = Vec::new();
        let mut next_token = None;
        let iter = machines
            .values()
            .filter(|m| start.as_deref().is_none_or(|s| m.arn.as_str() >= s));
        for m in iter {
            if page.len() == size {
                next_token = Some(m.arn.clone());
                break;
            }
            page.push(StateMachineListItem {
                state_machine_arn: m.arn.clone(),
                name: m.name.clone(),
                machine_type: m.machine_type,
                creation_date: m.creation_date,
            });
        }
        Ok(ListStateMachinesOutput {
            state_machines: page,
            next_token,
        })
    }
}

impl Sfn {
    /// ListStateMachines.
    pub fn list_state_machines(&self) -> ListStateMachinesFluentBuilder {
        ListStateMachinesFluentBuilder {
            sfn: self.clone(),
            input: ListStateMachinesInput::default(),
        }
    }
}
