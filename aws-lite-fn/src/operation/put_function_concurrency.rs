//! PutFunctionConcurrency: reserves concurrency for a function, which is also its cap.
//!
//! # Semantics
//!
//! - The value is 0 or more; 0 throttles every invocation.
//! - Reservations may not leave the account's unreserved pool below its minimum (100 by
//!   default): `Specified ReservedConcurrentExecutions for function decreases account's
//!   UnreservedConcurrentExecution below its minimum value of [100].`

use aws_lite_core::Error;
use aws_lite_core::sync::Ordering;
use serde::{Deserialize, Serialize};

use crate::names::{NameUse, parse_target};
use crate::state::NO_RESERVATION;
use crate::{Lambda, error};

/// The input of PutFunctionConcurrency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PutFunctionConcurrencyInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `ReservedConcurrentExecutions`.
    #[serde(default)]
    pub reserved_concurrent_executions: Option<i64>,
}

/// The output of PutFunctionConcurrency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PutFunctionConcurrencyOutput {
    reserved_concurrent_executions: u32,
}

impl PutFunctionConcurrencyOutput {
    /// `ReservedConcurrentExecutions`.
    pub fn reserved_concurrent_executions(&self) -> u32 {
        self.reserved_concurrent_executions
    }
}

fluent_builder!(
    /// PutFunctionConcurrency.
    put_function_concurrency,
    PutFunctionConcurrencyFluentBuilder,
    PutFunctionConcurrencyInput,
    PutFunctionConcurrencyOutput,
    put_function_concurrency
);

setters!(PutFunctionConcurrencyFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `ReservedConcurrentExecutions`.
    reserved_concurrent_executions, set_reserved_concurrent_executions: i64;
});

pub(crate) async fn put_function_concurrency(
    lambda: &Lambda,
    input: PutFunctionConcurrencyInput,
) -> Result<PutFunctionConcurrencyOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, None, NameUse::Unqualified)?;
    let n = input
        .reserved_concurrent_executions
        .ok_or_else(|| super::missing("reservedConcurrentExecutions"))?;
    if n < 0 {
        return Err(error::validation(
            n,
            "reservedConcurrentExecutions",
            "Member must have value greater than or equal to 0",
        ));
    }
    let f = svc.lookup(&target.name)?;
    let _admin = svc.admin.lock();
    let current = f.reserved.load(Ordering::Acquire);
    let current = if current == NO_RESERVATION {
        0
    } else {
        current
    };
    let others = svc.reserved_sum.load(Ordering::Acquire) - current;
    let n = n as u64;
    let limit = u64::from(svc.limits.concurrent_executions);
    let minimum = u64::from(svc.limits.minimum_unreserved);
    if limit.saturating_sub(others + n) < minimum || others + n > limit {
        return Err(error::invalid_parameter(format!(
            "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [{minimum}]."
        )));
    }
    let provisioned: u64 = f
        .state
        .lock()
        .provisioned
        .values()
        .map(|p| u64::from(p.requested))
        .sum();
    if provisioned > n {
        return Err(error::invalid_parameter(
            "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function",
        ));
    }
    f.reserved.store(n, Ordering::Release);
    svc.reserved_sum.store(others + n, Ordering::Release);
    Ok(PutFunctionConcurrencyOutput {
        reserved_concurrent_executions: n as u32,
    })
}
