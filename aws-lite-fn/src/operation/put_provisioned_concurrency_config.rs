//! PutProvisionedConcurrencyConfig: keeps N environments of a version or alias initialized.
//!
//! # Semantics
//!
//! - The qualifier is a published version or an alias of one, never `$LATEST`
//!   (`Provisioned Concurrency Configs cannot be applied to unpublished function versions.`).
//! - The environments start in the background (status `IN_PROGRESS`, then `READY`), have no
//!   INIT limit, are never reclaimed for idleness, and serve invocations first; invocations
//!   beyond them spill to on-demand environments (cold starts).
//! - A version and an alias of it cannot both have a configuration; the total may not exceed
//!   the function's reserved concurrency.
//!
//! ```
//! use aws_lite_fn::{service_fn, Code, Event, Lambda};
//! use serde_json::Value;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::new();
//! let code = Code::from_service(service_fn(|e: Event<Value>| async move {
//!     Ok::<_, std::convert::Infallible>(e.payload)
//! }));
//! lambda.create_function().function_name("f").code(code).publish(true).send().await?;
//! lambda.put_provisioned_concurrency_config().function_name("f").qualifier("1")
//!     .provisioned_concurrent_executions(2).send().await?;
//! tokio::task::yield_now().await;
//! let pc = lambda.get_provisioned_concurrency_config().function_name("f").qualifier("1").send().await?;
//! assert_eq!((pc.status(), pc.allocated_provisioned_concurrent_executions()), ("READY", 2));
//! let out = lambda.invoke().function_name("f:1").send().await?;
//! assert!(out.report().unwrap().init_duration.is_none()); // no cold start
//! # Ok(()) }
//! ```

use aws_lite_core::Error;
use aws_lite_core::sync::Ordering;
use serde::{Deserialize, Serialize};

use crate::names::{NameUse, is_version_number, parse_target};
use crate::state::{
    FunctionShared, FunctionState, NO_RESERVATION, ProvisionedState, VersionShared,
};
use crate::{Lambda, error};
use std::sync::Arc;

/// The input of PutProvisionedConcurrencyConfig.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PutProvisionedConcurrencyConfigInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Qualifier`: a version number or an alias.
    #[serde(default)]
    pub qualifier: Option<String>,
    /// `ProvisionedConcurrentExecutions`: 1 or more.
    #[serde(default)]
    pub provisioned_concurrent_executions: Option<i64>,
}

/// A provisioned concurrency configuration's state, as Put/GetProvisionedConcurrencyConfig
/// return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ProvisionedConcurrencyConfig {
    pub(crate) requested_provisioned_concurrent_executions: u32,
    pub(crate) available_provisioned_concurrent_executions: u32,
    pub(crate) allocated_provisioned_concurrent_executions: u32,
    pub(crate) status: String,
    pub(crate) last_modified: String,
}

impl ProvisionedConcurrencyConfig {
    /// `RequestedProvisionedConcurrentExecutions`.
    pub fn requested_provisioned_concurrent_executions(&self) -> u32 {
        self.requested_provisioned_concurrent_executions
    }
    /// `AvailableProvisionedConcurrentExecutions`: initialized environments now idle.
    pub fn available_provisioned_concurrent_executions(&self) -> u32 {
        self.available_provisioned_concurrent_executions
    }
    /// `AllocatedProvisionedConcurrentExecutions`: initialized environments.
    pub fn allocated_provisioned_concurrent_executions(&self) -> u32 {
        self.allocated_provisioned_concurrent_executions
    }
    /// `Status`: `IN_PROGRESS` or `READY`.
    pub fn status(&self) -> &str {
        &self.status
    }
    /// `LastModified`.
    pub fn last_modified(&self) -> &str {
        &self.last_modified
    }
}

/// The output of PutProvisionedConcurrencyConfig.
pub type PutProvisionedConcurrencyConfigOutput = ProvisionedConcurrencyConfig;

fluent_builder!(
    /// PutProvisionedConcurrencyConfig.
    put_provisioned_concurrency_config,
    PutProvisionedConcurrencyConfigFluentBuilder,
    PutProvisionedConcurrencyConfigInput,
    PutProvisionedConcurrencyConfigOutput,
    put_provisioned_concurrency_config
);

setters!(PutProvisionedConcurrencyConfigFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Qualifier`.
    qualifier, set_qualifier: String;
    /// `ProvisionedConcurrentExecutions`.
    provisioned_concurrent_executions, set_provisioned_concurrent_executions: i64;
});

pub(crate) const UNPUBLISHED: &str =
    "Provisioned Concurrency Configs cannot be applied to unpublished function versions.";

/// The version a provisioned-concurrency qualifier names.
pub(crate) fn pc_version(
    f: &FunctionShared,
    state: &FunctionState,
    qualifier: &str,
) -> Result<Arc<VersionShared>, Error> {
    if is_version_number(qualifier) {
        return crate::invoke::version_of(f, state, qualifier);
    }
    let alias = state
        .aliases
        .get(qualifier)
        .ok_or_else(|| error::alias_not_found(&f.qualified_arn(qualifier)))?;
    if alias.function_version == "$LATEST" {
        return Err(error::invalid_parameter(UNPUBLISHED));
    }
    crate::invoke::version_of(f, state, &alias.function_version)
}

/// The configuration's state as reported.
pub(crate) fn report(p: &ProvisionedState) -> ProvisionedConcurrencyConfig {
    let pool = p.version.pool.lock();
    let allocated = pool.provisioned_live.min(p.requested);
    let idle = u32::try_from(pool.provisioned_idle()).unwrap_or(u32::MAX);
    ProvisionedConcurrencyConfig {
        requested_provisioned_concurrent_executions: p.requested,
        available_provisioned_concurrent_executions: idle.min(allocated),
        allocated_provisioned_concurrent_executions: allocated,
        status: if allocated >= p.requested && idle >= p.requested {
            "READY"
        } else {
            "IN_PROGRESS"
        }
        .to_owned(),
        last_modified: p.last_modified.clone(),
    }
}

pub(crate) async fn put_provisioned_concurrency_config(
    lambda: &Lambda,
    input: PutProvisionedConcurrencyConfigInput,
) -> Result<PutProvisionedConcurrencyConfigOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let qualifier = input.qualifier.ok_or_else(|| super::missing("qualifier"))?;
    let target = parse_target(&raw, Some(&qualifier), NameUse::Unqualified)?;
    let n = input
        .provisioned_concurrent_executions
        .ok_or_else(|| super::missing("provisionedConcurrentExecutions"))?;
    if n < 1 {
        return Err(error::validation(
            n,
            "provisionedConcurrentExecutions",
            "Member must have value greater than or equal to 1",
        ));
    }
    if qualifier == "$LATEST" {
        return Err(error::invalid_parameter(UNPUBLISHED));
    }
    let f = svc.lookup(&target.name)?;
    let _admin = svc.admin.lock();
    let mut state = f.state.lock();
    let version = pc_version(&f, &state, &qualifier)?;
    let clash = state
        .provisioned
        .iter()
        .any(|(q, p)| *q != qualifier && Arc::ptr_eq(&p.version, &version));
    if clash {
        return Err(error::conflict(if is_version_number(&qualifier) {
            "Version is pointed by a Provisioned Concurrency alias"
        } else {
            "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version"
        }));
    }
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    let others: u64 = state
        .provisioned
        .iter()
        .filter(|(q, _)| **q != qualifier)
        .map(|(_, p)| u64::from(p.requested))
        .sum();
    let reserved = f.reserved.load(Ordering::Acquire);
    if reserved != NO_RESERVATION {
        if others + u64::from(n) > reserved {
            return Err(error::invalid_parameter(
                "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function",
            ));
        }
    } else {
        let limit = u64::from(svc.limits.concurrent_executions);
        let used = svc.reserved_sum.load(Ordering::Acquire) + others + u64::from(n);
        if limit.saturating_sub(used) < u64::from(svc.limits.minimum_unreserved) || used > limit {
            return Err(error::invalid_parameter(format!(
                "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [{}].",
                svc.limits.minimum_unreserved
            )));
        }
    }
    version.pool.lock().set_provisioned_target(n);
    let p = ProvisionedState {
        requested: n,
        version: version.clone(),
        last_modified: svc.now_string(),
    };
    let mut out = report(&p);
    out.status = "IN_PROGRESS".to_owned();
    state.provisioned.insert(qualifier, p);
    drop(state);
    crate::invoke::spawn_provisioning(svc.clone(), f, version);
    Ok(out)
}
