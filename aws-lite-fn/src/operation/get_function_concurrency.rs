//! GetFunctionConcurrency: the function's reserved concurrency, if any.

use aws_lite_core::Error;
use aws_lite_core::sync::Ordering;
use serde::{Deserialize, Serialize};

use crate::Lambda;
use crate::names::{NameUse, parse_target};
use crate::state::NO_RESERVATION;

/// The input of GetFunctionConcurrency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetFunctionConcurrencyInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
}

/// The output of GetFunctionConcurrency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetFunctionConcurrencyOutput {
    #[serde(skip_serializing_if = "Option::is_none")]
    reserved_concurrent_executions: Option<u32>,
}

impl GetFunctionConcurrencyOutput {
    /// `ReservedConcurrentExecutions`; `None` when nothing is reserved.
    pub fn reserved_concurrent_executions(&self) -> Option<u32> {
        self.reserved_concurrent_executions
    }
}

fluent_builder!(
    /// GetFunctionConcurrency.
    get_function_concurrency,
    GetFunctionConcurrencyFluentBuilder,
    GetFunctionConcurrencyInput,
    GetFunctionConcurrencyOutput,
    get_function_concurrency
);

setters!(GetFunctionConcurrencyFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
});

pub(crate) async fn get_function_concurrency(
    lambda: &Lambda,
    input: GetFunctionConcurrencyInput,
) -> Result<GetFunctionConcurrencyOutput, Error> {
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, None, NameUse::Unqualified)?;
    let f = lambda.inner.lookup(&target.name)?;
    let r = f.reserved.load(Ordering::Acquire);
    Ok(GetFunctionConcurrencyOutput {
        reserved_concurrent_executions: (r != NO_RESERVATION).then_some(r as u32),
    })
}
