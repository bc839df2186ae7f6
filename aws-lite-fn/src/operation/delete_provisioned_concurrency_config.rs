//! DeleteProvisionedConcurrencyConfig: stops keeping environments initialized; idle
//! provisioned environments go at once, busy ones when their invocation ends.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use super::get_provisioned_concurrency_config::NOT_ALIAS_OR_VERSION;
use super::put_provisioned_concurrency_config::pc_version;
use crate::names::{NameUse, parse_target};
use crate::{Lambda, error};

/// The input of DeleteProvisionedConcurrencyConfig.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DeleteProvisionedConcurrencyConfigInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Qualifier`.
    #[serde(default)]
    pub qualifier: Option<String>,
}

/// The output of DeleteProvisionedConcurrencyConfig (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeleteProvisionedConcurrencyConfigOutput {}

fluent_builder!(
    /// DeleteProvisionedConcurrencyConfig.
    delete_provisioned_concurrency_config,
    DeleteProvisionedConcurrencyConfigFluentBuilder,
    DeleteProvisionedConcurrencyConfigInput,
    DeleteProvisionedConcurrencyConfigOutput,
    delete_provisioned_concurrency_config
);

setters!(DeleteProvisionedConcurrencyConfigFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Qualifier`.
    qualifier, set_qualifier: String;
});

pub(crate) async fn delete_provisioned_concurrency_config(
    lambda: &Lambda,
    input: DeleteProvisionedConcurrencyConfigInput,
) -> Result<DeleteProvisionedConcurrencyConfigOutput, Error> {
    let raw = input.function_name.unwrap_or_default();
    let qualifier = input.qualifier.ok_or_else(|| super::missing("qualifier"))?;
    let target = parse_target(&raw, Some(&qualifier), NameUse::Unqualified)?;
    if qualifier == "$LATEST" {
        return Err(error::invalid_parameter(NOT_ALIAS_OR_VERSION));
    }
    let f = lambda.inner.lookup(&target.name)?;
    let mut state = f.state.lock();
    pc_version(&f, &state, &qualifier)?;
    if let Some(p) = state.provisioned.remove(&qualifier) {
        p.version.pool.lock().set_provisioned_target(0);
    }
    Ok(DeleteProvisionedConcurrencyConfigOutput {})
}
