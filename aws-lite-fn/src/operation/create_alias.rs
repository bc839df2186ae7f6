//! CreateAlias: a named pointer to a version, optionally splitting traffic with a second one.
//!
//! # Semantics
//!
//! - Alias names are 1–128 characters of `[A-Za-z0-9_-]` and not all digits.
//! - `FunctionVersion` must exist (`$LATEST` or a published version).
//! - `RoutingConfig.AdditionalVersionWeights` holds at most one published version, other than
//!   `FunctionVersion`, with a weight in 0–1; an alias of `$LATEST` cannot route. Each
//!   invocation through the alias draws from the service's seeded randomness and runs the
//!   extra version with probability `weight`.
//!
//! ```
//! use aws_lite_fn::{service_fn, AliasRoutingConfiguration, Code, Event, Lambda};
//! use serde_json::Value;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::builder().rand(aws_lite_core::Rand::seeded(7)).build();
//! let code = Code::from_service(service_fn(|e: Event<Value>| async move {
//!     Ok::<_, std::convert::Infallible>(e.payload)
//! }));
//! lambda.create_function().function_name("f").code(code).publish(true).send().await?;
//! lambda.update_function_configuration().function_name("f").timeout(5).send().await?;
//! lambda.publish_version().function_name("f").send().await?;
//! let alias = lambda.create_alias().function_name("f").name("live").function_version("1")
//!     .routing_config(AliasRoutingConfiguration::new("2", 0.25)).send().await?;
//! assert!(alias.alias_arn().ends_with(":function:f:live"));
//! let out = lambda.invoke().function_name("f:live").send().await?;
//! assert!(["1", "2"].contains(&out.executed_version()));
//! # Ok(()) }
//! ```

use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::names::{NameUse, check_alias_name, is_version_number, parse_target};
use crate::state::{AliasState, FunctionShared, FunctionState};
use crate::{AliasConfiguration, AliasRoutingConfiguration, Lambda, error};

/// The input of CreateAlias.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CreateAliasInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Name`: the alias.
    #[serde(default)]
    pub name: Option<String>,
    /// `FunctionVersion`.
    #[serde(default)]
    pub function_version: Option<String>,
    /// `Description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `RoutingConfig`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_config: Option<AliasRoutingConfiguration>,
}

/// The output of CreateAlias.
pub type CreateAliasOutput = AliasConfiguration;

fluent_builder!(
    /// CreateAlias.
    create_alias,
    CreateAliasFluentBuilder,
    CreateAliasInput,
    CreateAliasOutput,
    create_alias
);

setters!(CreateAliasFluentBuilder {
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
});

/// Validates a routing configuration for an alias of `primary`; `None` when it routes nothing.
pub(crate) fn check_routing(
    f: &FunctionShared,
    state: &FunctionState,
    primary: &str,
    routing: Option<&AliasRoutingConfiguration>,
) -> Result<Option<(String, f64)>, Error> {
    let Some(weights) = routing.map(|r| &r.additional_version_weights) else {
        return Ok(None);
    };
    if weights.len() > 1 {
        return Err(error::invalid_parameter(
            "Number of items in AdditionalVersionWeights cannot be greater than 1",
        ));
    }
    let Some((version, weight)) = weights.iter().next() else {
        return Ok(None);
    };
    if !(0.0..=1.0).contains(weight) {
        return Err(error::validation(
            format!("{{{version}={weight}}}"),
            "routingConfig.additionalVersionWeights",
            "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]",
        ));
    }
    if !is_version_number(version) {
        return Err(error::validation(
            format!("{{{version}={weight}}}"),
            "routingConfig.additionalVersionWeights",
            "Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]",
        ));
    }
    if version == primary {
        return Err(error::invalid_parameter(format!(
            "Invalid function version {primary}. Function version {primary} is already included in routing configuration."
        )));
    }
    if primary == "$LATEST" {
        return Err(error::invalid_parameter(
            "$LATEST is not supported for an alias pointing to more than 1 version",
        ));
    }
    crate::invoke::version_of(f, state, version)?;
    Ok(Some((version.clone(), *weight)))
}

pub(crate) async fn create_alias(
    lambda: &Lambda,
    input: CreateAliasInput,
) -> Result<CreateAliasOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, None, NameUse::Unqualified)?;
    let name = input.name.ok_or_else(|| super::missing("name"))?;
    check_alias_name(&name)?;
    let version = input
        .function_version
        .ok_or_else(|| super::missing("functionVersion"))?;
    let description = input.description.unwrap_or_default();
    crate::config::check_description(&description)?;
    let f = svc.lookup(&target.name)?;
    let mut state = f.state.lock();
    crate::invoke::version_of(&f, &state, &version)?;
    if state.aliases.contains_key(&name) {
        return Err(error::conflict(format!(
            "Alias already exists: {}",
            f.qualified_arn(&name)
        )));
    }
    let routing = check_routing(&f, &state, &version, input.routing_config.as_ref())?;
    let alias = AliasState {
        arn: Arc::from(f.qualified_arn(&name)),
        name: name.clone(),
        function_version: version,
        description,
        routing,
        revision_id: svc.new_revision_id(),
    };
    let out = f.alias_configuration(&alias);
    state.aliases.insert(name, alias);
    Ok(out)
}
