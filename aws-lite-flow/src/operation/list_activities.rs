//! ListActivities: the account's activities, in ARN order, a page at a time (`maxResults`,
//! 0 or absent: 100; `nextToken` continues a listing, an unknown one is `InvalidToken`).

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::operation::describe_activity::DescribeActivityOutput;
use crate::service::Sfn;

/// The input of ListActivities.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListActivitiesInput {
    /// The page size (0 or absent: 100; at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    /// The token of the page to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// The output of ListActivities.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListActivitiesOutput {
    /// The page of activities.
    pub activities: Vec<DescribeActivityOutput>,
    /// The token of the next page, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Builds and sends a ListActivities request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListActivitiesFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: ListActivitiesInput,
}

impl ListActivitiesFluentBuilder {
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

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `InvalidToken` for a `nextToken` this listing did not give.
    pub async fn send(self) -> Result<ListActivitiesOutput, Error> {
        let size = match self.input.max_results {
            None | Some(0) => 100,
            Some(n) => n.min(1000) as usize,
        };
        let activities = self.sfn.inner.activities.activities.lock();
        let start = match &self.input.next_token {
            None => None,
            Some(t) => {
                if !activities.contains_key(t) {
                    return Err(Error::validation(
                        "InvalidToken",
                        format!("Invalid Token: '{t}'"),
                    ));
                }
                Some(t.clone())
            }
        };
        let mut iter = activities
            .values()
            .filter(|a| start.as_ref().is_none_or(|s| a.arn >= *s));
        let page: Vec<DescribeActivityOutput> = iter
            .by_ref()
            .take(size)
            .map(|a| DescribeActivityOutput {
                activity_arn: a.arn.clone(),
                name: a.name.clone(),
                creation_date: a.creation_date,
            })
            .collect();
        let next_token = iter.next().map(|a| a.arn.clone());
        Ok(ListActivitiesOutput {
            activities: page,
            next_token,
        })
    }
}

impl Sfn {
    /// ListActivities.
    pub fn list_activities(&self) -> ListActivitiesFluentBuilder {
        ListActivitiesFluentBuilder {
            sfn: self.clone(),
            input: ListActivitiesInput::default(),
        }
    }
}
