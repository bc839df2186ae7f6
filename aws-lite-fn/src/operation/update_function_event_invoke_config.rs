//! UpdateFunctionEventInvokeConfig: changes some fields of an existing asynchronous invocation
//! configuration.
//!
//! Validation is PutFunctionEventInvokeConfig's; fields left out keep their value; a
//! `DestinationConfig` replaces both destinations. Without a configuration the call is
//! `ResourceNotFoundException` (`The function {qualified arn} doesn't have an
//! EventInvokeConfig`).

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use super::put_function_event_invoke_config::{check_input, existing, now_ms};
use crate::event_invoke::{DestinationConfig, FunctionEventInvokeConfig, check_destinations};
use crate::{Lambda, error};

/// The input of UpdateFunctionEventInvokeConfig.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UpdateFunctionEventInvokeConfigInput {
    /// `FunctionName`: a name or ARN, optionally qualified.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Qualifier`: a version or alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// `MaximumRetryAttempts` (0–2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_retry_attempts: Option<i32>,
    /// `MaximumEventAgeInSeconds` (60–21,600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_event_age_in_seconds: Option<i32>,
    /// `DestinationConfig`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_config: Option<DestinationConfig>,
}

/// The output of UpdateFunctionEventInvokeConfig.
pub type UpdateFunctionEventInvokeConfigOutput = FunctionEventInvokeConfig;

fluent_builder!(
    /// UpdateFunctionEventInvokeConfig.
    update_function_event_invoke_config,
    UpdateFunctionEventInvokeConfigFluentBuilder,
    UpdateFunctionEventInvokeConfigInput,
    UpdateFunctionEventInvokeConfigOutput,
    update_function_event_invoke_config
);

setters!(UpdateFunctionEventInvokeConfigFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Qualifier`.
    qualifier, set_qualifier: String;
    /// `MaximumRetryAttempts` (0–2).
    maximum_retry_attempts, set_maximum_retry_attempts: i32;
    /// `MaximumEventAgeInSeconds` (60–21,600).
    maximum_event_age_in_seconds, set_maximum_event_age_in_seconds: i32;
    /// `DestinationConfig`.
    destination_config, set_destination_config: DestinationConfig;
});

/// `ResourceNotFoundException`: `The function {arn} doesn't have an EventInvokeConfig`.
pub(crate) fn no_config(arn: &str) -> Error {
    Error::not_found(
        error::codes::RESOURCE_NOT_FOUND,
        format!("The function {arn} doesn't have an EventInvokeConfig"),
    )
}

pub(crate) async fn update_function_event_invoke_config(
    lambda: &Lambda,
    input: UpdateFunctionEventInvokeConfigInput,
) -> Result<UpdateFunctionEventInvokeConfigOutput, Error> {
    let svc = &lambda.inner;
    let checked = check_input(
        input.function_name.as_deref(),
        input.qualifier.as_deref(),
        input.maximum_retry_attempts,
        input.maximum_event_age_in_seconds,
        input.destination_config.as_ref(),
    )?;
    let (f, qualifier) = existing(svc, &checked.target)?;
    if !f.state.lock().event_invoke.contains_key(&qualifier) {
        return Err(no_config(&f.qualified_arn(&qualifier)));
    }
    let destinations = input
        .destination_config
        .as_ref()
        .map(|d| check_destinations(svc, &f.name, d))
        .transpose()?;
    let mut state = f.state.lock();
    let Some(config) = state.event_invoke.get_mut(&qualifier) else {
        return Err(no_config(&f.qualified_arn(&qualifier)));
    };
    if let Some(n) = checked.retries {
        config.retries = Some(n);
    }
    if let Some(n) = checked.max_age {
        config.max_age = Some(n);
    }
    if let Some((s, fl)) = destinations {
        config.on_success = s;
        config.on_failure = fl;
    }
    config.last_modified_ms = now_ms(svc);
    Ok(config.output(&f, &qualifier))
}
