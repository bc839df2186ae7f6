//! DeleteFunctionEventInvokeConfig: removes the asynchronous invocation configuration of a
//! function, version or alias (its events then get Lambda's defaults), or
//! `ResourceNotFoundException` (`The function {qualified arn} doesn't have an
//! EventInvokeConfig`).

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use super::update_function_event_invoke_config::no_config;
use crate::Lambda;
use crate::names::{NameUse, parse_target};

/// The input of DeleteFunctionEventInvokeConfig.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DeleteFunctionEventInvokeConfigInput {
    /// `FunctionName`: a name or ARN, optionally qualified.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Qualifier`: a version or alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
}

/// The output of DeleteFunctionEventInvokeConfig (empty).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeleteFunctionEventInvokeConfigOutput {}

fluent_builder!(
    /// DeleteFunctionEventInvokeConfig.
    delete_function_event_invoke_config,
    DeleteFunctionEventInvokeConfigFluentBuilder,
    DeleteFunctionEventInvokeConfigInput,
    DeleteFunctionEventInvokeConfigOutput,
    delete_function_event_invoke_config
);

setters!(DeleteFunctionEventInvokeConfigFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Qualifier`.
    qualifier, set_qualifier: String;
});

pub(crate) async fn delete_function_event_invoke_config(
    lambda: &Lambda,
    input: DeleteFunctionEventInvokeConfigInput,
) -> Result<DeleteFunctionEventInvokeConfigOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, input.qualifier.as_deref(), NameUse::Qualified)?;
    let qualifier = target.qualifier.as_deref().unwrap_or("$LATEST");
    let arn = format!("{}:{qualifier}", svc.function_arn(&target.name));
    let f = svc.lookup(&target.name).map_err(|_| no_config(&arn))?;
    let removed = f.state.lock().event_invoke.remove(qualifier);
    match removed {
        Some(_) => Ok(DeleteFunctionEventInvokeConfigOutput {}),
        None => Err(no_config(&arn)),
    }
}
