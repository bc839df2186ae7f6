//! DeleteActivity: removes an activity. Tasks already scheduled on it keep waiting (until
//! their `TimeoutSeconds`), since no worker can take them any more.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::service::Sfn;

/// The input of DeleteActivity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeleteActivityInput {
    /// The activity's ARN.
    #[serde(default)]
    pub activity_arn: String,
}

/// The output of DeleteActivity (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeleteActivityOutput {}

/// Builds and sends a DeleteActivity request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DeleteActivityFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: DeleteActivityInput,
}

impl DeleteActivityFluentBuilder {
    /// The activity's ARN.
    pub fn activity_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.activity_arn = arn.into();
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `InvalidArn` when the ARN is not an activity ARN. Deleting an activity that does not
    /// exist succeeds.
    pub async fn send(self) -> Result<DeleteActivityOutput, Error> {
        let arn = &self.input.activity_arn;
        if !crate::activity::is_activity(arn) {
            return Err(Error::validation(
                "InvalidArn",
                format!("Invalid Arn: '{arn}'"),
            ));
        }
        self.sfn.inner.activities.activities.lock().remove(arn);
        Ok(DeleteActivityOutput {})
    }
}

impl Sfn {
    /// DeleteActivity.
    pub fn delete_activity(&self) -> DeleteActivityFluentBuilder {
        DeleteActivityFluentBuilder {
            sfn: self.clone(),
            input: DeleteActivityInput::default(),
        }
    }
}
