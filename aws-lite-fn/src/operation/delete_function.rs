//! DeleteFunction: deletes a function, or one published version of it.
//!
//! # Semantics
//!
//! - Without a qualifier the function goes, with its versions, aliases, concurrency settings
//!   and environments; queued asynchronous events for it are dropped.
//! - With a version number only that version goes; a version an alias points to cannot be
//!   deleted (`ResourceConflictException`), nor can `$LATEST`
//!   (`InvalidParameterValueException`).

use std::sync::Arc;

use aws_lite_core::Error;
use aws_lite_core::sync::Ordering;
use serde::{Deserialize, Serialize};

use crate::names::{NameUse, is_version_number, parse_target};
use crate::state::NO_RESERVATION;
use crate::{Lambda, error};

/// The input of DeleteFunction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DeleteFunctionInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Qualifier`: a version to delete instead of the function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
}

/// The output of DeleteFunction (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeleteFunctionOutput {}

fluent_builder!(
    /// DeleteFunction.
    delete_function,
    DeleteFunctionFluentBuilder,
    DeleteFunctionInput,
    DeleteFunctionOutput,
    delete_function
);

setters!(DeleteFunctionFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Qualifier`.
    qualifier, set_qualifier: String;
});

pub(crate) async fn delete_function(
    lambda: &Lambda,
    input: DeleteFunctionInput,
) -> Result<DeleteFunctionOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, input.qualifier.as_deref(), NameUse::Qualified)?;
    match target.qualifier.as_deref() {
        Some("$LATEST") => Err(error::invalid_parameter(
            "$LATEST version cannot be deleted without deleting the function.",
        )),
        Some(q) => {
            let f = svc.lookup(&target.name)?;
            let mut state = f.state.lock();
            let n = if is_version_number(q) {
                q.parse::<u32>().ok()
            } else {
                None
            };
            let Some(n) = n.filter(|n| state.versions.contains_key(n)) else {
                return Err(error::function_not_found(&f.qualified_arn(q)));
            };
            let users: Vec<String> = state
                .aliases
                .values()
                .filter(|a| {
                    a.function_version == q || a.routing.as_ref().is_some_and(|(v, _)| v == q)
                })
                .map(|a| a.name.clone())
                .collect();
            if !users.is_empty() {
                return Err(error::conflict(format!(
                    "Unable to delete version because the following aliases reference it: [{}]",
                    users.join(", ")
                )));
            }
            state.versions.remove(&n);
            state.provisioned.remove(q);
            state.event_invoke.remove(q);
            Ok(DeleteFunctionOutput {})
        }
        None => {
            let _admin = svc.admin.lock();
            let removed: Option<Arc<_>> = svc.write_functions().remove(&target.name);
            let f = removed
                .ok_or_else(|| error::function_not_found(&svc.function_arn(&target.name)))?;
            let reserved = f.reserved.swap(NO_RESERVATION, Ordering::AcqRel);
            if reserved != NO_RESERVATION {
                svc.reserved_sum.fetch_sub(reserved, Ordering::AcqRel);
            }
            let mut state = f.state.lock();
            for p in std::mem::take(&mut state.provisioned).into_values() {
                p.version.pool.lock().set_provisioned_target(0);
            }
            Ok(DeleteFunctionOutput {})
        }
    }
}
