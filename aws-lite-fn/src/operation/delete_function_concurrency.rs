//! DeleteFunctionConcurrency: removes the reservation; the function shares the unreserved pool.

use aws_lite_core::Error;
use aws_lite_core::sync::Ordering;
use serde::{Deserialize, Serialize};

use crate::Lambda;
use crate::names::{NameUse, parse_target};
use crate::state::NO_RESERVATION;

/// The input of DeleteFunctionConcurrency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DeleteFunctionConcurrencyInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
}

/// The output of DeleteFunctionConcurrency (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeleteFunctionConcurrencyOutput {}

fluent_builder!(
    /// DeleteFunctionConcurrency.
    delete_function_concurrency,
    DeleteFunctionConcurrencyFluentBuilder,
    DeleteFunctionConcurrencyInput,
    DeleteFunctionConcurrencyOutput,
    delete_function_concurrency
);

setters!(DeleteFunctionConcurrencyFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
});

pub(crate) async fn delete_function_concurrency(
    lambda: &Lambda,
    input: DeleteFunctionConcurrencyInput,
) -> Result<DeleteFunctionConcurrencyOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, None, NameUse::Unqualified)?;
    let f = svc.lookup(&target.name)?;
    let _admin = svc.admin.lock();
    let old = f.reserved.swap(NO_RESERVATION, Ordering::AcqRel);
    if old != NO_RESERVATION {
        svc.reserved_sum.fetch_sub(old, Ordering::AcqRel);
    }
    Ok(DeleteFunctionConcurrencyOutput {})
}
