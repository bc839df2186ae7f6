//! CreateActivity: an activity that Task states name by ARN and workers poll with
//! GetActivityTask.
//!
//! # Semantics
//!
//! - The ARN is `arn:aws:states:<region>:<account>:activity:<name>`.
//! - Creating an activity that exists returns it unchanged (the call is idempotent).
//! - A name is 1–80 characters without whitespace, `<>{}[]?*"#%\^|~`$&,;:/` or control
//!   characters; otherwise `InvalidName`.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::SystemTime;

use aws_lite_core::Error;
use aws_lite_core::sync::Mutex;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::activity::ActivityRecord;
use crate::service::{Sfn, epoch};

/// The input of CreateActivity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateActivityInput {
    /// The activity's name.
    #[serde(default)]
    pub name: String,
}

/// The output of CreateActivity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateActivityOutput {
    /// The activity's ARN.
    pub activity_arn: String,
    /// When it was created.
    #[serde(serialize_with = "epoch")]
    pub creation_date: SystemTime,
}

/// Builds and sends a CreateActivity request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct CreateActivityFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: CreateActivityInput,
}

impl CreateActivityFluentBuilder {
    /// The activity's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.input.name = name.into();
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<CreateActivityOutput, Error> {
        let name = self.input.name;
        let bad =
            |c: char| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c);
        if name.is_empty() || name.chars().count() > 80 || name.chars().any(bad) {
            return Err(Error::validation(
                "InvalidName",
                format!("Invalid Name: '{name}'"),
            ));
        }
        let inner = &self.sfn.inner;
        let arn = format!(
            "arn:aws:states:{}:{}:activity:{name}",
            inner.region.as_str(),
            inner.account.as_str()
        );
        let now = self.sfn.wall_now();
        let mut activities = inner.activities.activities.lock();
        let rec = activities.entry(arn.clone()).or_insert_with(|| {
            Arc::new(ActivityRecord {
                arn: arn.clone(),
                name,
                creation_date: now,
                queue: Mutex::new(VecDeque::new()),
                ready: Notify::new(),
            })
        });
        Ok(CreateActivityOutput {
            activity_arn: rec.arn.clone(),
            creation_date: rec.creation_date,
        })
    }
}

impl Sfn {
    /// CreateActivity.
    pub fn create_activity(&self) -> CreateActivityFluentBuilder {
        CreateActivityFluentBuilder {
            sfn: self.clone(),
            input: CreateActivityInput::default(),
        }
    }
}
