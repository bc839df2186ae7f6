//! UpdateStateMachineAlias: changes an alias's description or routing.
//!
//! # Semantics
//!
//! - At least one of `description` and `routingConfiguration` (a `ValidationException`
//!   otherwise; the wording is aws-lite's).
//! - A new routing is checked as CreateStateMachineAlias checks it, and must route to versions
//!   of the alias's own machine.
//! - Idempotent: a request that changes nothing returns the alias's current `updateDate`.
//! - New executions through the alias follow the new routing at once (AWS applies it within
//!   seconds); running executions keep their version.
//! - `InvalidArn` for an ARN that is not an alias's, `ResourceNotFound` (`Request references a
//!   resource that does not exist.`) for an alias that does not exist, `StateMachineDeleting`
//!   while its machine is being deleted.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::operation::create_state_machine_alias::{
    RoutingConfigurationListItem, Violations, alias_machine, routed_versions, routing_machine,
};
use crate::service::{Qualified, Sfn, epoch, invalid_arn, qualify, resource_not_found};

/// The input of UpdateStateMachineAlias.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateStateMachineAliasInput {
    /// The alias's ARN.
    #[serde(default)]
    pub state_machine_alias_arn: String,
    /// The new description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The new routing: one or two versions with weights summing to 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_configuration: Option<Vec<RoutingConfigurationListItem>>,
}

/// The output of UpdateStateMachineAlias.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateStateMachineAliasOutput {
    /// When the alias was updated.
    #[serde(serialize_with = "epoch")]
    pub update_date: SystemTime,
}

/// Builds and sends an UpdateStateMachineAlias request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct UpdateStateMachineAliasFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: UpdateStateMachineAliasInput,
}

impl UpdateStateMachineAliasFluentBuilder {
    /// The alias's ARN.
    pub fn state_machine_alias_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.state_machine_alias_arn = arn.into();
        self
    }

    /// The new description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.input.description = Some(description.into());
        self
    }

    /// Adds a route of the new routing: `weight` percent of executions run `version_arn`.
    pub fn routing_configuration(mut self, version_arn: impl Into<String>, weight: u32) -> Self {
        self.input
            .routing_configuration
            .get_or_insert_with(Vec::new)
            .push(RoutingConfigurationListItem::new(version_arn, weight));
        self
    }

    /// Sets (or, with `None`, leaves) the whole routing.
    pub fn set_routing_configuration(
        mut self,
        routes: Option<Vec<RoutingConfigurationListItem>>,
    ) -> Self {
        self.input.routing_configuration = routes;
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `InvalidArn`, `ResourceNotFound`, `ValidationException`, `StateMachineDeleting`.
    pub async fn send(self) -> Result<UpdateStateMachineAliasOutput, Error> {
        update_state_machine_alias(&self.sfn, self.input)
    }
}

impl Sfn {
    /// UpdateStateMachineAlias.
    pub fn update_state_machine_alias(&self) -> UpdateStateMachineAliasFluentBuilder {
        UpdateStateMachineAliasFluentBuilder {
            sfn: self.clone(),
            input: UpdateStateMachineAliasInput::default(),
        }
    }
}

/// UpdateStateMachineAlias.
pub(crate) fn update_state_machine_alias(
    sfn: &Sfn,
    input: UpdateStateMachineAliasInput,
) -> Result<UpdateStateMachineAliasOutput, Error> {
    let arn = &input.state_machine_alias_arn;
    let Some(Qualified::Alias { base, name }) = qualify(arn) else {
        return Err(invalid_arn(arn));
    };
    if input.description.is_none() && input.routing_configuration.is_none() {
        return Err(Error::validation(
            "ValidationException",
            "Either the description or the RoutingConfiguration must be specified",
        ));
    }
    let mut violations = Violations::default();
    violations.description(input.description.as_deref());
    if let Some(routes) = &input.routing_configuration {
        violations.routing(routes);
    }
    violations.check()?;
    if let Some(routes) = &input.routing_configuration {
        let routed = routing_machine(routes)?;
        if routed != base {
            return Err(Error::validation(
                "ValidationException",
                format!(
                    "Routing configuration must contain state machine version ARNs of a single state machine. Received: [{}]",
                    routes
                        .iter()
                        .map(|r| r.state_machine_version_arn.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    let machine = alias_machine(sfn, base)?;
    let now = sfn.wall_now();
    let mut all = sfn.inner.versioning.lock();
    let Some(v) = machine.and_then(|_| all.get_mut(base)) else {
        return Err(resource_not_found());
    };
    if v.aliases.get(name).is_none_or(|a| a.arn != *arn) {
        return Err(resource_not_found());
    }
    let v = match &input.routing_configuration {
        Some(routes) => routed_versions(Some(v), routes)?,
        None => v,
    };
    let Some(alias) = v.aliases.get_mut(name) else {
        return Err(resource_not_found());
    };
    let description = input.description.or_else(|| alias.description.clone());
    let routing = input
        .routing_configuration
        .unwrap_or_else(|| alias.routing.clone());
    if description != alias.description || routing != alias.routing {
        alias.description = description;
        alias.routing = routing;
        alias.update_date = now;
    }
    Ok(UpdateStateMachineAliasOutput {
        update_date: alias.update_date,
    })
}
