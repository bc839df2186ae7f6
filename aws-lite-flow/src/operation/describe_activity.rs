//! DescribeActivity: an activity's ARN, name and creation date.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::service::{Sfn, epoch};

/// The input of DescribeActivity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DescribeActivityInput {
    /// The activity's ARN.
    #[serde(default)]
    pub activity_arn: String,
}

/// The output of DescribeActivity; also one item of a ListActivities page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DescribeActivityOutput {
    /// The activity's ARN.
    pub activity_arn: String,
    /// Its name.
    pub name: String,
    /// When it was created.
    #[serde(serialize_with = "epoch")]
    pub creation_date: SystemTime,
}

/// Builds and sends a DescribeActivity request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DescribeActivityFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: DescribeActivityInput,
}

impl DescribeActivityFluentBuilder {
    /// The activity's ARN.
    pub fn activity_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.activity_arn = arn.into();
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `ActivityDoesNotExist`.
    pub async fn send(self) -> Result<DescribeActivityOutput, Error> {
        let a = self.sfn.inner.activities.get(&self.input.activity_arn)?;
        Ok(DescribeActivityOutput {
            activity_arn: a.arn.clone(),
            name: a.name.clone(),
            creation_date: a.creation_date,
        })
    }
}

impl Sfn {
    /// DescribeActivity.
    pub fn describe_activity(&self) -> DescribeActivityFluentBuilder {
        DescribeActivityFluentBuilder {
            sfn: self.clone(),
            input: DescribeActivityInput::default(),
        }
    }
}
