//! GetFunctionEventInvokeConfig: the asynchronous invocation configuration of a function,
//! version or alias, or `ResourceNotFoundException` (`The function {qualified arn} doesn't
//! have an EventInvokeConfig`).

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use super::update_function_event_invoke_config::no_config;
use crate::Lambda;
use crate::event_invoke::FunctionEventInvokeConfig;
use crate::names::{NameUse, parse_target};

/// The input of GetFunctionEventInvokeConfig.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetFunctionEventInvokeConfigInput {
    /// `FunctionName`: a name or ARN, optionally qualified.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Qualifier`: a version or alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
}

/// The output of GetFunctionEventInvokeConfig.
pub type GetFunctionEventInvokeConfigOutput = FunctionEventInvokeConfig;

fluent_builder!(
    /// GetFunctionEventInvokeConfig.
    get_function_event_invoke_config,
    GetFunctionEventInvokeConfigFluentBuilder,
    GetFunctionEventInvokeConfigInput,
    GetFunctionEventInvokeConfigOutput,
    get_function_event_invoke_config
);

setters!(GetFunctionEventInvokeConfigFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Qualifier`.
    qualifier, set_qualifier: String;
});

pub(crate) async fn get_function_event_invoke_config(
    lambda: &Lambda,
    input: GetFunctionEventInvokeConfigInput,
) -> Result<GetFunctionEventInvokeConfigOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, input.qualifier.as_deref(), NameUse::Qualified)?;
    let qualifier = target.qualifier.as_deref().unwrap_or("$LATEST");
    let arn = format!("{}:{qualifier}", svc.function_arn(&target.name));
    let f = svc.lookup(&target.name).map_err(|_| no_config(&arn))?;
    let state = f.state.lock();
    state
        .event_invoke
        .get(qualifier)
        .map(|c| c.output(&f, qualifier))
        .ok_or_else(|| no_config(&arn))
}
