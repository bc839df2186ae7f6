//! DeleteAlias: removes an alias and its provisioned concurrency configuration.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::names::{NameUse, parse_target};
use crate::{Lambda, error};

/// The input of DeleteAlias.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DeleteAliasInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Name`.
    #[serde(default)]
    pub name: Option<String>,
}

/// The output of DeleteAlias (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeleteAliasOutput {}

fluent_builder!(
    /// DeleteAlias.
    delete_alias,
    DeleteAliasFluentBuilder,
    DeleteAliasInput,
    DeleteAliasOutput,
    delete_alias
);

setters!(DeleteAliasFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Name`.
    name, set_name: String;
});

pub(crate) async fn delete_alias(
    lambda: &Lambda,
    input: DeleteAliasInput,
) -> Result<DeleteAliasOutput, Error> {
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, None, NameUse::Unqualified)?;
    let name = input.name.ok_or_else(|| super::missing("name"))?;
    crate::names::check_alias_name(&name)?;
    let f = lambda.inner.lookup(&target.name)?;
    let mut state = f.state.lock();
    if state.aliases.remove(&name).is_none() {
        return Err(error::alias_not_found(&f.qualified_arn(&name)));
    }
    state.event_invoke.remove(&name);
    if let Some(p) = state.provisioned.remove(&name) {
        p.version.pool.lock().set_provisioned_target(0);
    }
    Ok(DeleteAliasOutput {})
}
