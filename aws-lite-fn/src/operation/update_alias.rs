//! UpdateAlias: points an alias to another version, or changes its description or routing.
//!
//! Omitted fields keep their values; an empty `AdditionalVersionWeights` removes the routing.
//! The result is validated like CreateAlias; `RevisionId`, when given, must match.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::names::{NameUse, parse_target};
use crate::{AliasConfiguration, AliasRoutingConfiguration, Lambda, error};

/// The input of UpdateAlias.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UpdateAliasInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Name`.
    #[serde(default)]
    pub name: Option<String>,
    /// `FunctionVersion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_version: Option<String>,
    /// `Description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `RoutingConfig`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_config: Option<AliasRoutingConfiguration>,
    /// `RevisionId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
}

/// The output of UpdateAlias.
pub type UpdateAliasOutput = AliasConfiguration;

fluent_builder!(
    /// UpdateAlias.
    update_alias,
    UpdateAliasFluentBuilder,
    UpdateAliasInput,
    UpdateAliasOutput,
    update_alias
);

setters!(UpdateAliasFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Name`.
    name, set_name: String;
    /// `FunctionVersion`.
    function_version, set_function_version: String;
    /// `Description`.
    description, set_description: String;
    /// `RoutingConfig`.
    routing_config, set_routing_config: AliasRoutingConfiguration;
    /// `RevisionId`.
    revision_id, set_revision_id: String;
});

pub(crate) async fn update_alias(
    lambda: &Lambda,
    input: UpdateAliasInput,
) -> Result<UpdateAliasOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, None, NameUse::Unqualified)?;
    let name = input.name.ok_or_else(|| super::missing("name"))?;
    crate::names::check_alias_name(&name)?;
    if let Some(d) = &input.description {
        crate::config::check_description(d)?;
    }
    let f = svc.lookup(&target.name)?;
    let mut state = f.state.lock();
    let current = state
        .aliases
        .get(&name)
        .cloned()
        .ok_or_else(|| error::alias_not_found(&f.qualified_arn(&name)))?;
    if let Some(rev) = &input.revision_id {
        if *rev != current.revision_id {
            return Err(error::precondition_failed("GetFunction/GetAlias"));
        }
    }
    let mut next = current;
    if let Some(v) = input.function_version {
        crate::invoke::version_of(&f, &state, &v)?;
        next.function_version = v;
    }
    if let Some(d) = input.description {
        next.description = d;
    }
    next.routing = match input.routing_config {
        Some(r) => {
            super::create_alias::check_routing(&f, &state, &next.function_version, Some(&r))?
        }
        None => match next.routing.take() {
            Some((v, w)) => super::create_alias::check_routing(
                &f,
                &state,
                &next.function_version,
                Some(&AliasRoutingConfiguration::new(v, w)),
            )?,
            None => None,
        },
    };
    next.revision_id = svc.new_revision_id();
    let out = f.alias_configuration(&next);
    state.aliases.insert(name, next);
    Ok(out)
}
