//! GetAlias: one alias; `Cannot find alias arn: {arn}` when it does not exist.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::names::{NameUse, parse_target};
use crate::{AliasConfiguration, Lambda, error};

/// The input of GetAlias.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetAliasInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Name`.
    #[serde(default)]
    pub name: Option<String>,
}

/// The output of GetAlias.
pub type GetAliasOutput = AliasConfiguration;

fluent_builder!(
    /// GetAlias.
    get_alias,
    GetAliasFluentBuilder,
    GetAliasInput,
    GetAliasOutput,
    get_alias
);

setters!(GetAliasFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Name`.
    name, set_name: String;
});

pub(crate) async fn get_alias(
    lambda: &Lambda,
    input: GetAliasInput,
) -> Result<GetAliasOutput, Error> {
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, None, NameUse::Unqualified)?;
    let name = input.name.ok_or_else(|| super::missing("name"))?;
    crate::names::check_alias_name(&name)?;
    let f = lambda.inner.lookup(&target.name)?;
    let state = f.state.lock();
    let alias = state
        .aliases
        .get(&name)
        .ok_or_else(|| error::alias_not_found(&f.qualified_arn(&name)))?;
    Ok(f.alias_configuration(alias))
}
