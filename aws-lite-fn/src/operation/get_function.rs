//! GetFunction: a version's configuration and the function's reserved concurrency.
//!
//! Without a qualifier it describes `$LATEST`; with a version number, that version; with an
//! alias, the version the alias points to. A missing function, version or alias is
//! `ResourceNotFoundException` (`Function not found: {arn}`).

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::names::{NameUse, parse_target};
use crate::state::NO_RESERVATION;
use crate::{FunctionConfiguration, Lambda, error};

/// The input of GetFunction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetFunctionInput {
    /// `FunctionName`: a name or ARN, optionally qualified.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Qualifier`: a version or alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
}

/// The output of GetFunction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetFunctionOutput {
    configuration: FunctionConfiguration,
    #[serde(skip_serializing_if = "Option::is_none")]
    concurrency: Option<Concurrency>,
}

/// `Concurrency`: the function's reserved concurrency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Concurrency {
    /// `ReservedConcurrentExecutions`.
    pub reserved_concurrent_executions: u32,
}

impl GetFunctionOutput {
    /// `Configuration`.
    pub fn configuration(&self) -> &FunctionConfiguration {
        &self.configuration
    }
    /// `Concurrency.ReservedConcurrentExecutions`, when reserved.
    pub fn reserved_concurrent_executions(&self) -> Option<u32> {
        self.concurrency.map(|c| c.reserved_concurrent_executions)
    }
}

fluent_builder!(
    /// GetFunction.
    get_function,
    GetFunctionFluentBuilder,
    GetFunctionInput,
    GetFunctionOutput,
    get_function
);

setters!(GetFunctionFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Qualifier`.
    qualifier, set_qualifier: String;
});

pub(crate) async fn get_function(
    lambda: &Lambda,
    input: GetFunctionInput,
) -> Result<GetFunctionOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, input.qualifier.as_deref(), NameUse::Qualified)?;
    let f = svc.lookup(&target.name)?;
    let state = f.state.lock();
    let version = match target.qualifier.as_deref() {
        None => state.latest.clone(),
        Some(q) => crate::invoke::resolve_static(&f, &state, q)
            .map_err(|_| error::function_not_found(&f.qualified_arn(q)))?,
    };
    drop(state);
    let reserved = f.reserved.load(aws_lite_core::sync::Ordering::Acquire);
    Ok(GetFunctionOutput {
        configuration: f.configuration(&version),
        concurrency: (reserved != NO_RESERVATION).then_some(Concurrency {
            reserved_concurrent_executions: reserved as u32,
        }),
    })
}
