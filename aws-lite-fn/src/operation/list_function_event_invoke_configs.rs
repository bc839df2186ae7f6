//! ListFunctionEventInvokeConfigs: every asynchronous invocation configuration of a function,
//! by qualifier, in pages of `MaxItems` (1–50, default 50) after `Marker`. An unknown function
//! is `ResourceNotFoundException` (`The function doesn't exist.`).

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::event_invoke::FunctionEventInvokeConfig;
use crate::names::{NameUse, parse_target};
use crate::{Lambda, error};

/// The input of ListFunctionEventInvokeConfigs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListFunctionEventInvokeConfigsInput {
    /// `FunctionName`: a name or unqualified ARN.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Marker`: the `NextMarker` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// `MaxItems` (1–50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<i32>,
}

/// The output of ListFunctionEventInvokeConfigs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListFunctionEventInvokeConfigsOutput {
    function_event_invoke_configs: Vec<FunctionEventInvokeConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next_marker: Option<String>,
}

impl ListFunctionEventInvokeConfigsOutput {
    /// `FunctionEventInvokeConfigs`, ordered by qualifier.
    pub fn function_event_invoke_configs(&self) -> &[FunctionEventInvokeConfig] {
        &self.function_event_invoke_configs
    }
    /// `NextMarker`: present when more pages follow.
    pub fn next_marker(&self) -> Option<&str> {
        self.next_marker.as_deref()
    }
}

fluent_builder!(
    /// ListFunctionEventInvokeConfigs.
    list_function_event_invoke_configs,
    ListFunctionEventInvokeConfigsFluentBuilder,
    ListFunctionEventInvokeConfigsInput,
    ListFunctionEventInvokeConfigsOutput,
    list_function_event_invoke_configs
);

setters!(ListFunctionEventInvokeConfigsFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Marker`.
    marker, set_marker: String;
    /// `MaxItems` (1–50).
    max_items, set_max_items: i32;
});

pub(crate) async fn list_function_event_invoke_configs(
    lambda: &Lambda,
    input: ListFunctionEventInvokeConfigsInput,
) -> Result<ListFunctionEventInvokeConfigsOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, None, NameUse::Unqualified)?;
    let size = match input.max_items {
        None => 50,
        Some(n) if n < 1 => {
            return Err(error::validation(
                n,
                "maxItems",
                "Member must have value greater than or equal to 1",
            ));
        }
        Some(n) if n > 50 => {
            return Err(error::validation(
                n,
                "maxItems",
                "Member must have value less than or equal to 50",
            ));
        }
        Some(n) => n.unsigned_abs() as usize,
    };
    let f = svc.lookup(&target.name).map_err(|_| {
        Error::not_found(
            error::codes::RESOURCE_NOT_FOUND,
            "The function doesn't exist.",
        )
    })?;
    let items: Vec<(String, FunctionEventInvokeConfig)> = f
        .state
        .lock()
        .event_invoke
        .iter()
        .map(|(q, c)| (q.clone(), c.output(&f, q)))
        .collect();
    let (page, next_marker) =
        super::paginate(items, |(q, _)| q.clone(), input.marker.as_deref(), size);
    Ok(ListFunctionEventInvokeConfigsOutput {
        function_event_invoke_configs: page.into_iter().map(|(_, c)| c).collect(),
        next_marker,
    })
}
