//! ListStateMachineVersions: a machine's versions, newest first, a page at a time.
//!
//! # Semantics
//!
//! - Versions in descending order of creation (so of version number); deleted versions are
//!   gone from the list, and their numbers are not given again.
//! - `maxResults` per page (0 or absent: 100; at most 1000, a `ValidationException` beyond);
//!   `nextToken` continues a listing, and a token this listing did not give is
//!   `InvalidToken`.
//! - A state machine ARN that names no machine lists nothing (AWS's error model for this
//!   operation has no `StateMachineDoesNotExist`); one that is not a state machine ARN, or is
//!   a version's or an alias's, is `InvalidArn`.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::service::{Qualified, Sfn, epoch, invalid_arn, qualify};

/// The input of ListStateMachineVersions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListStateMachineVersionsInput {
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

/// One version in a ListStateMachineVersions page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StateMachineVersionListItem {
    /// The version's ARN.
    pub state_machine_version_arn: String,
    /// When it was published.
    #[serde(serialize_with = "epoch")]
    pub creation_date: SystemTime,
}

/// The output of ListStateMachineVersions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListStateMachineVersionsOutput {
    /// The page of versions, newest first.
    pub state_machine_versions: Vec<StateMachineVersionListItem>,
    /// The token of the next page, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Builds and sends a ListStateMachineVersions request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListStateMachineVersionsFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: ListStateMachineVersionsInput,
}

impl ListStateMachineVersionsFluentBuilder {
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
    /// `InvalidArn`, `InvalidToken`, `ValidationException`.
    pub async fn send(self) -> Result<ListStateMachineVersionsOutput, Error> {
        list_state_machine_versions(&self.sfn, self.input)
    }
}

impl Sfn {
    /// ListStateMachineVersions.
    pub fn list_state_machine_versions(&self) -> ListStateMachineVersionsFluentBuilder {
        ListStateMachineVersionsFluentBuilder {
            sfn: self.clone(),
            input: ListStateMachineVersionsInput::default(),
        }
    }
}

/// The page size of a `maxResults` (0 or absent: 100; over 1000: `ValidationException`).
pub(crate) fn page_size(max_results: Option<u32>) -> Result<usize, Error> {
    match max_results {
        None | Some(0) => Ok(100),
        Some(n) if n <= 1000 => Ok(n as usize),
        Some(n) => Err(Error::validation(
            "ValidationException",
            format!(
                "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"
            ),
        )),
    }
}

/// ListStateMachineVersions.
pub(crate) fn list_state_machine_versions(
    sfn: &Sfn,
    input: ListStateMachineVersionsInput,
) -> Result<ListStateMachineVersionsOutput, Error> {
    let size = page_size(input.max_results)?;
    let arn = &input.state_machine_arn;
    if qualify(arn) != Some(Qualified::Machine) {
        return Err(invalid_arn(arn));
    }
    // The token is the ARN of the newest version of the page.
    let below = match &input.next_token {
        None => u64::MAX,
        Some(t) => match qualify(t) {
            Some(Qualified::Version { base, number }) if base == arn => number,
            _ => {
                return Err(Error::validation(
                    "InvalidToken",
                    format!("Invalid Token: '{t}'"),
                ));
            }
        },
    };
    let all = sfn.inner.versioning.lock();
    let mut newest_first = all
        .get(arn.as_str())
        .into_iter()
        .flat_map(|v| v.versions.range(..=below).rev().map(|(_, v)| v));
    let page: Vec<StateMachineVersionListItem> = newest_first
        .by_ref()
        .take(size)
        .map(|v| StateMachineVersionListItem {
            state_machine_version_arn: v.arn.clone(),
            creation_date: v.creation_date,
        })
        .collect();
    let next_token = newest_first.next().map(|v| v.arn.clone());
    Ok(ListStateMachineVersionsOutput {
        state_machine_versions: page,
        next_token,
    })
}
