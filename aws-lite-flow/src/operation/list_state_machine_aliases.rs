//! ListStateMachineAliases: a machine's aliases, a page at a time.
//!
//! # Semantics
//!
//! - Aliases in the order they were created.
//! - `maxResults` per page (0 or absent: 100; at most 1000); `nextToken` continues a listing;
//!   a token this listing did not give (or whose alias has since been deleted) is
//!   `InvalidToken`.
//! - `StateMachineDoesNotExist` for a machine that does not exist (or a version or alias
//!   ARN); `StateMachineDeleting` while it is being deleted.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::operation::list_state_machine_versions::page_size;
use crate::service::{Sfn, epoch};

/// The input of ListStateMachineAliases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListStateMachineAliasesInput {
    /// The machine's ARN.
    #[serde(default)]
    pub state_machine_arn: String,
    /// The token of the page to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// The page size (0 or absent: 100; at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
}

/// One alias in a ListStateMachineAliases page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StateMachineAliasListItem {
    /// The alias's ARN.
    pub state_machine_alias_arn: String,
    /// When it was created.
    #[serde(serialize_with = "epoch")]
    pub creation_date: SystemTime,
}

/// The output of ListStateMachineAliases.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListStateMachineAliasesOutput {
    /// The page of aliases.
    pub state_machine_aliases: Vec<StateMachineAliasListItem>,
    /// The token of the next page, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Builds and sends a ListStateMachineAliases request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListStateMachineAliasesFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: ListStateMachineAliasesInput,
}

impl ListStateMachineAliasesFluentBuilder {
    /// The machine's ARN.
    pub fn state_machine_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.state_machine_arn = arn.into();
        self
    }

    /// The token of the page to return.
    pub fn next_token(mut self, token: impl Into<String>) -> Self {
        self.input.next_token = Some(token.into());
        self
    }

    /// The page size.
    pub fn max_results(mut self, max_results: u32) -> Self {
        self.input.max_results = Some(max_results);
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `StateMachineDoesNotExist`, `StateMachineDeleting`, `InvalidToken`,
    /// `ValidationException`.
    pub async fn send(self) -> Result<ListStateMachineAliasesOutput, Error> {
        list_state_machine_aliases(&self.sfn, self.input)
    }
}

impl Sfn {
    /// ListStateMachineAliases.
    pub fn list_state_machine_aliases(&self) -> ListStateMachineAliasesFluentBuilder {
        ListStateMachineAliasesFluentBuilder {
            sfn: self.clone(),
            input: ListStateMachineAliasesInput::default(),
        }
    }
}

/// ListStateMachineAliases.
pub(crate) fn list_state_machine_aliases(
    sfn: &Sfn,
    input: ListStateMachineAliasesInput,
) -> Result<ListStateMachineAliasesOutput, Error> {
    let size = page_size(input.max_results)?;
    let inner = &sfn.inner;
    let machine = inner.live_machine(&input.state_machine_arn)?;
    let all = inner.versioning.lock();
    let mut aliases: Vec<_> = all
        .get(&machine.arn)
        .map(|v| v.aliases.values().collect())
        .unwrap_or_default();
    aliases.sort_by_key(|a| a.seq);
    // The token is the ARN of the first alias of the page.
    let start = match &input.next_token {
        None => 0,
        Some(t) => aliases
            .iter()
            .position(|a| a.arn == *t)
            .ok_or_else(|| Error::validation("InvalidToken", format!("Invalid Token: '{t}'")))?,
    };
    let rest = aliases.get(start..).unwrap_or_default();
    let next_token = rest.get(size).map(|a| a.arn.clone());
    Ok(ListStateMachineAliasesOutput {
        state_machine_aliases: rest
            .iter()
            .take(size)
            .map(|a| StateMachineAliasListItem {
                state_machine_alias_arn: a.arn.clone(),
                creation_date: a.creation_date,
            })
            .collect(),
        next_token,
    })
}
