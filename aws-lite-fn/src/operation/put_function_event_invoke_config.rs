//! PutFunctionEventInvokeConfig: sets (replacing any earlier one) the asynchronous invocation
//! configuration of a function, version or alias.
//!
//! # Semantics
//!
//! - `MaximumRetryAttempts` 0–2 and `MaximumEventAgeInSeconds` 60–21,600, else
//!   `ValidationException`; at least one of them or `DestinationConfig` is required
//!   (`You must specify at least one of error handling or destination setting.`).
//! - `Qualifier` (or a qualified `FunctionName`) names `$LATEST`, a version or an alias; an
//!   unknown function or qualifier is `ResourceNotFoundException` (`The function doesn't
//!   exist.`).
//! - Destinations are ARNs of a queue, topic, event bus or another function of this service
//!   (see [`event_invoke`](crate::event_invoke)): a malformed ARN is `ValidationException`, an
//!   unknown function `The destination ARN {arn} is invalid.`, the function itself
//!   `You can't specify the function as a destination for itself.`
//! - Fields left out are reset to Lambda's defaults (2 retries, 6 hours, no destination).
//!
//! ```
//! use aws_lite_fn::event_invoke::DestinationConfig;
//! use aws_lite_fn::{service_fn, Code, Event, Lambda};
//! use serde_json::Value;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::new();
//! let code = Code::from_service(service_fn(|e: Event<Value>| async move {
//!     Ok::<_, std::convert::Infallible>(e.payload)
//! }));
//! lambda.create_function().function_name("audit").code(code.clone()).send().await?;
//! lambda.create_function().function_name("f").code(code).send().await?;
//! let audit = "arn:aws:lambda:us-east-1:000000000000:function:audit";
//! let c = lambda.put_function_event_invoke_config().function_name("f")
//!     .maximum_retry_attempts(0).maximum_event_age_in_seconds(60)
//!     .destination_config(DestinationConfig::new().on_failure(audit))
//!     .send().await?;
//! assert_eq!(c.function_arn(), "arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST");
//! assert_eq!(c.maximum_retry_attempts(), Some(0));
//!
//! let err = lambda.put_function_event_invoke_config().function_name("f")
//!     .maximum_retry_attempts(3).send().await.unwrap_err();
//! assert_eq!(err.message(), "1 validation error detected: Value '3' at 'maximumRetryAttempts' \
//!     failed to satisfy constraint: Member must have value less than or equal to 2");
//! # Ok(()) }
//! ```

use std::sync::Arc;

use aws_lite_core::{Clock as _, Error};
use serde::{Deserialize, Serialize};

use crate::event_invoke::{
    DestinationConfig, EventInvokeState, FunctionEventInvokeConfig, check_age, check_destinations,
    check_retries,
};
use crate::names::{NameUse, Target, is_version_number, parse_target};
use crate::service::LambdaInner;
use crate::state::FunctionShared;
use crate::{Lambda, error};

/// The input of PutFunctionEventInvokeConfig.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PutFunctionEventInvokeConfigInput {
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

/// The output of PutFunctionEventInvokeConfig.
pub type PutFunctionEventInvokeConfigOutput = FunctionEventInvokeConfig;

fluent_builder!(
    /// PutFunctionEventInvokeConfig.
    put_function_event_invoke_config,
    PutFunctionEventInvokeConfigFluentBuilder,
    PutFunctionEventInvokeConfigInput,
    PutFunctionEventInvokeConfigOutput,
    put_function_event_invoke_config
);

setters!(PutFunctionEventInvokeConfigFluentBuilder {
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

/// Validated settings shared by Put and Update.
pub(crate) struct Checked {
    pub(crate) target: Target,
    pub(crate) retries: Option<u32>,
    pub(crate) max_age: Option<u32>,
}

pub(crate) fn check_input(
    function_name: Option<&str>,
    qualifier: Option<&str>,
    retries: Option<i32>,
    max_age: Option<i32>,
    destinations: Option<&DestinationConfig>,
) -> Result<Checked, Error> {
    let target = parse_target(
        function_name.unwrap_or_default(),
        qualifier,
        NameUse::Qualified,
    )?;
    let retries = retries.map(check_retries).transpose()?;
    let max_age = max_age.map(check_age).transpose()?;
    if retries.is_none() && max_age.is_none() && destinations.is_none() {
        return Err(error::invalid_parameter(
            "You must specify at least one of error handling or destination setting.",
        ));
    }
    Ok(Checked {
        target,
        retries,
        max_age,
    })
}

/// The function and the qualifier (`$LATEST` when none) of `target`, which must exist.
pub(crate) fn existing(
    svc: &LambdaInner,
    target: &Target,
) -> Result<(Arc<FunctionShared>, String), Error> {
    let gone = || {
        Error::not_found(
            error::codes::RESOURCE_NOT_FOUND,
            "The function doesn't exist.",
        )
    };
    let f = svc.lookup(&target.name).map_err(|_| gone())?;
    let qualifier = target
        .qualifier
        .clone()
        .unwrap_or_else(|| "$LATEST".to_owned());
    {
        let state = f.state.lock();
        let known = qualifier == "$LATEST"
            || if is_version_number(&qualifier) {
                qualifier
                    .parse::<u32>()
                    .is_ok_and(|n| state.versions.contains_key(&n))
            } else {
                state.aliases.contains_key(&qualifier)
            };
        if !known {
            return Err(gone());
        }
    }
    Ok((f, qualifier))
}

pub(crate) fn now_ms(svc: &LambdaInner) -> u64 {
    svc.clock.epoch_millis(svc.clock.now())
}

pub(crate) async fn put_function_event_invoke_config(
    lambda: &Lambda,
    input: PutFunctionEventInvokeConfigInput,
) -> Result<PutFunctionEventInvokeConfigOutput, Error> {
    let svc = &lambda.inner;
    let checked = check_input(
        input.function_name.as_deref(),
        input.qualifier.as_deref(),
        input.maximum_retry_attempts,
        input.maximum_event_age_in_seconds,
        input.destination_config.as_ref(),
    )?;
    let (f, qualifier) = existing(svc, &checked.target)?;
    let (on_success, on_failure) = match &input.destination_config {
        Some(d) => check_destinations(svc, &f.name, d)?,
        None => (None, None),
    };
    let config = EventInvokeState {
        retries: checked.retries,
        max_age: checked.max_age,
        on_success,
        on_failure,
        last_modified_ms: now_ms(svc),
    };
    let out = config.output(&f, &qualifier);
    f.state.lock().event_invoke.insert(qualifier, config);
    Ok(out)
}
