//! DescribeStateMachineAlias: an alias's name, description, routing and dates.
//!
//! # Semantics
//!
//! - An ARN that is not an alias's (`…:stateMachine:name:alias`) is `InvalidArn`; an alias
//!   that does not exist (or was deleted, or whose machine was) is `ResourceNotFound`
//!   (`Request references a resource that does not exist.`).
//! - `updateDate` is the last UpdateStateMachineAlias that changed the alias, or its
//!   creation.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::operation::create_state_machine_alias::RoutingConfigurationListItem;
use crate::service::{
    AliasRecord, Qualified, Sfn, epoch, invalid_arn, qualify, resource_not_found,
};

/// The input of DescribeStateMachineAlias.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DescribeStateMachineAliasInput {
    /// The alias's ARN.
    #[serde(default)]
    pub state_machine_alias_arn: String,
}

/// The output of DescribeStateMachineAlias.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DescribeStateMachineAliasOutput {
    /// The alias's ARN.
    pub state_machine_alias_arn: String,
    /// Its name.
    pub name: String,
    /// Its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its versions and weights.
    pub routing_configuration: Vec<RoutingConfigurationListItem>,
    /// When it was created.
    #[serde(serialize_with = "epoch")]
    pub creation_date: SystemTime,
    /// When it was last updated (its creation, until updated).
    #[serde(serialize_with = "epoch")]
    pub update_date: SystemTime,
}

/// Builds and sends a DescribeStateMachineAlias request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct DescribeStateMachineAliasFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: DescribeStateMachineAliasInput,
}

impl DescribeStateMachineAliasFluentBuilder {
    /// The alias's ARN.
    pub fn state_machine_alias_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.state_machine_alias_arn = arn.into();
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `InvalidArn`, `ResourceNotFound`.
    pub async fn send(self) -> Result<DescribeStateMachineAliasOutput, Error> {
        describe_state_machine_alias(&self.sfn, self.input)
    }
}

impl Sfn {
    /// DescribeStateMachineAlias.
    pub fn describe_state_machine_alias(&self) -> DescribeStateMachineAliasFluentBuilder {
        DescribeStateMachineAliasFluentBuilder {
            sfn: self.clone(),
            input: DescribeStateMachineAliasInput::default(),
        }
    }
}

/// The alias `arn`: `InvalidArn` when it is not an alias ARN, `ResourceNotFound` when it does
/// not exist.
pub(crate) fn find_alias(sfn: &Sfn, arn: &str) -> Result<AliasRecord, Error> {
    let Some(Qualified::Alias { base, name }) = qualify(arn) else {
        return Err(invalid_arn(arn));
    };
    sfn.inner
        .versioning
        .lock()
        .get(base)
        .and_then(|v| v.aliases.get(name))
        .filter(|a| a.arn == arn)
        .cloned()
        .ok_or_else(resource_not_found)
}

/// DescribeStateMachineAlias.
pub(crate) fn describe_state_machine_alias(
    sfn: &Sfn,
    input: DescribeStateMachineAliasInput,
) -> Result<DescribeStateMachineAliasOutput, Error> {
    let a = find_alias(sfn, &input.state_machine_alias_arn)?;
    Ok(DescribeStateMachineAliasOutput {
        state_machine_alias_arn: a.arn,
        name: a.name,
        description: a.description,
        routing_configuration: a.routing,
        creation_date: a.creation_date,
        update_date: a.update_date,
    })
}
