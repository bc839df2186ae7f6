//! GetProvisionedConcurrencyConfig: a configuration's progress (`IN_PROGRESS`, `READY`).

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use super::put_provisioned_concurrency_config::{ProvisionedConcurrencyConfig, pc_version, report};
use crate::names::{NameUse, parse_target};
use crate::{Lambda, error};

/// The input of GetProvisionedConcurrencyConfig.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetProvisionedConcurrencyConfigInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Qualifier`.
    #[serde(default)]
    pub qualifier: Option<String>,
}

/// The output of GetProvisionedConcurrencyConfig.
pub type GetProvisionedConcurrencyConfigOutput = ProvisionedConcurrencyConfig;

fluent_builder!(
    /// GetProvisionedConcurrencyConfig.
    get_provisioned_concurrency_config,
    GetProvisionedConcurrencyConfigFluentBuilder,
    GetProvisionedConcurrencyConfigInput,
    GetProvisionedConcurrencyConfigOutput,
    get_provisioned_concurrency_config
);

setters!(GetProvisionedConcurrencyConfigFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Qualifier`.
    qualifier, set_qualifier: String;
});

pub(crate) const NOT_ALIAS_OR_VERSION: &str =
    "The function resource provided must be an alias or a published version.";

pub(crate) async fn get_provisioned_concurrency_config(
    lambda: &Lambda,
    input: GetProvisionedConcurrencyConfigInput,
) -> Result<GetProvisionedConcurrencyConfigOutput, Error> {
    let raw = input.function_name.unwrap_or_default();
    let qualifier = input.qualifier.ok_or_else(|| super::missing("qualifier"))?;
    let target = parse_target(&raw, Some(&qualifier), NameUse::Unqualified)?;
    if qualifier == "$LATEST" {
        return Err(error::invalid_parameter(NOT_ALIAS_OR_VERSION));
    }
    let f = lambda.inner.lookup(&target.name)?;
    let state = f.state.lock();
    pc_version(&f, &state, &qualifier)?;
    let p = state
        .provisioned
        .get(&qualifier)
        .ok_or_else(error::pc_not_found)?;
    Ok(report(p))
}
