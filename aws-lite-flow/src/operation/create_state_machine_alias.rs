//! CreateStateMachineAlias: a name that routes executions to one or two versions of a machine.
//!
//! # Semantics
//!
//! - The alias's ARN is its machine's ARN, a colon and its name
//!   (`…:stateMachine:orders:live`). StartExecution and StartSyncExecution on it run one of
//!   its versions, chosen per execution by the routing weights (see
//!   [`start_execution`](crate::operation::start_execution)).
//! - `routingConfiguration` holds one or two distinct versions of the same machine with
//!   weights of 0 to 100 summing to 100. Each violation is AWS's `ValidationException`:
//!   `… at 'routingConfiguration' failed to satisfy constraint: Member must have length less
//!   than or equal to 2`, `Routing configuration must contain distinct state machine version
//!   ARNs. Received: [...]`, `Routing configuration must contain state machine version ARNs.
//!   Received: [...]` (an unqualified or alias ARN, or a version that does not exist), `Sum of
//!   routing configuration weights must equal 100. Received: [70, 29]`, `… at
//!   'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value
//!   less than or equal to 100`. Versions of two different machines are refused with a
//!   `ValidationException` in aws-lite's words (AWS's are not recorded).
//! - The name is 1–80 characters of letters, digits, `_`, `-` and `.`, not all digits (so it
//!   cannot be read as a version number), reported in AWS's validation wording.
//! - `description`: at most 256 characters.
//! - Idempotent on name, description and routing: the same request again returns the existing
//!   alias; the same name with anything else is `ConflictException` (`Failed to create alias
//!   because an alias with the same name and a different routing configuration already
//!   exists.`).
//! - At most [`MAX_ALIASES_PER_STATE_MACHINE`] (100)
//!   aliases per machine: `ServiceQuotaExceededException` (HTTP 402; the message is
//!   aws-lite's).
//! - `StateMachineDeleting` while the machine is being deleted; DeleteStateMachine deletes its
//!   aliases.

use std::time::SystemTime;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::operation::create_state_machine::MAX_DESCRIPTION_CHARS;
use crate::service::{
    AliasRecord, MAX_ALIASES_PER_STATE_MACHINE, Qualified, Sfn, StateMachineRecord, Versioning,
    epoch, qualify, quota_exceeded,
};

/// One route of an alias: a version and the percentage of executions it runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RoutingConfigurationListItem {
    /// The version's ARN (`…:stateMachine:name:7`).
    #[serde(default)]
    pub state_machine_version_arn: String,
    /// The percentage of executions that run this version (0–100; an alias's weights sum to
    /// 100).
    #[serde(default)]
    pub weight: u32,
}

impl RoutingConfigurationListItem {
    /// A route sending `weight` percent of executions to the version `state_machine_version_arn`.
    pub fn new(
        state_machine_version_arn: impl Into<String>,
        weight: u32,
    ) -> RoutingConfigurationListItem {
        RoutingConfigurationListItem {
            state_machine_version_arn: state_machine_version_arn.into(),
            weight,
        }
    }
}

/// The input of CreateStateMachineAlias.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateStateMachineAliasInput {
    /// The alias's description (at most 256 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The alias's name.
    #[serde(default)]
    pub name: String,
    /// One or two versions with weights summing to 100.
    #[serde(default)]
    pub routing_configuration: Vec<RoutingConfigurationListItem>,
}

/// The output of CreateStateMachineAlias.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateStateMachineAliasOutput {
    /// The alias's ARN.
    pub state_machine_alias_arn: String,
    /// When it was created.
    #[serde(serialize_with = "epoch")]
    pub creation_date: SystemTime,
}

/// Builds and sends a CreateStateMachineAlias request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct CreateStateMachineAliasFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: CreateStateMachineAliasInput,
}

impl CreateStateMachineAliasFluentBuilder {
    /// The alias's description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.input.description = Some(description.into());
        self
    }

    /// The alias's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.input.name = name.into();
        self
    }

    /// Adds a route: `weight` percent of executions run the version `version_arn`.
    pub fn routing_configuration(mut self, version_arn: impl Into<String>, weight: u32) -> Self {
        self.input
            .routing_configuration
            .push(RoutingConfigurationListItem::new(version_arn, weight));
        self
    }

    /// Sets the whole routing configuration.
    pub fn set_routing_configuration(mut self, routes: Vec<RoutingConfigurationListItem>) -> Self {
        self.input.routing_configuration = routes;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &CreateStateMachineAliasInput {
        &self.input
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `ValidationException`, `ConflictException`, `ServiceQuotaExceededException`,
    /// `StateMachineDeleting`.
    pub async fn send(self) -> Result<CreateStateMachineAliasOutput, Error> {
        create_state_machine_alias(&self.sfn, self.input)
    }
}

impl Sfn {
    /// CreateStateMachineAlias.
    pub fn create_state_machine_alias(&self) -> CreateStateMachineAliasFluentBuilder {
        CreateStateMachineAliasFluentBuilder {
            sfn: self.clone(),
            input: CreateStateMachineAliasInput::default(),
        }
    }
}

/// Collects the request's constraint violations and reports them at once, as AWS's
/// validation layer does (`N validation errors detected: …; …`).
#[derive(Debug, Default)]
pub(crate) struct Violations(Vec<String>);

impl Violations {
    pub(crate) fn push(&mut self, violation: String) {
        self.0.push(violation);
    }

    /// `description` over 256 characters.
    pub(crate) fn description(&mut self, description: Option<&str>) {
        if let Some(d) = description.filter(|d| d.chars().count() > MAX_DESCRIPTION_CHARS) {
            self.push(format!(
                "Value '{d}' at 'description' failed to satisfy constraint: Member must have length less than or equal to {MAX_DESCRIPTION_CHARS}"
            ));
        }
    }

    /// An alias name: 1–80 characters matching AWS's pattern.
    pub(crate) fn alias_name(&mut self, name: &str) {
        let len = name.chars().count();
        if len == 0 {
            self.push(format!(
                "Value '{name}' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1"
            ));
        } else if len > 80 {
            self.push(format!(
                "Value '{name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80"
            ));
        }
        if !valid_alias_name(name) {
            self.push(format!(
                "Value '{name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: {ALIAS_NAME_PATTERN}"
            ));
        }
    }

    /// The size of the routing list and its weights' range.
    pub(crate) fn routing(&mut self, routes: &[RoutingConfigurationListItem]) {
        if routes.is_empty() {
            self.push(
                "Value '[]' at 'routingConfiguration' failed to satisfy constraint: Member must have length greater than or equal to 1"
                    .to_string(),
            );
        } else if routes.len() > 2 {
            let shown: Vec<String> = routes
                .iter()
                .map(|r| {
                    format!(
                        "RoutingConfigurationListItem(stateMachineVersionArn={}, weight={})",
                        r.state_machine_version_arn, r.weight
                    )
                })
                .collect();
            self.push(format!(
                "Value '[{}]' at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2",
                shown.join(", ")
            ));
        }
        for (i, r) in routes.iter().enumerate() {
            if r.weight > 100 {
                self.push(format!(
                    "Value '{}' at 'routingConfiguration.{}.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100",
                    r.weight,
                    i + 1
                ));
            }
        }
    }

    /// `Ok` when nothing was violated, else the `ValidationException`.
    pub(crate) fn check(self) -> Result<(), Error> {
        let n = self.0.len();
        match n {
            0 => Ok(()),
            1 => Err(Error::validation(
                "ValidationException",
                format!("1 validation error detected: {}", self.0.join("; ")),
            )),
            _ => Err(Error::validation(
                "ValidationException",
                format!("{n} validation errors detected: {}", self.0.join("; ")),
            )),
        }
    }
}

/// AWS's pattern for alias names, as its validation message shows it.
const ALIAS_NAME_PATTERN: &str = r"^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$";

/// Letters, digits, `_`, `-` and `.`, at least one of them not a digit.
pub(crate) fn valid_alias_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && name.chars().any(|c| !c.is_ascii_digit())
}

fn routing_error(what: &str, received: String) -> Error {
    Error::validation(
        "ValidationException",
        format!("Routing configuration must contain {what}. Received: {received}"),
    )
}

/// The routing checks after the shape checks: distinct versions, weights summing to 100,
/// version ARNs of one machine. Returns that machine's ARN.
pub(crate) fn routing_machine(routes: &[RoutingConfigurationListItem]) -> Result<String, Error> {
    let arns: Vec<&str> = routes
        .iter()
        .map(|r| r.state_machine_version_arn.as_str())
        .collect();
    let listed = format!("[{}]", arns.join(", "));
    if arns.iter().enumerate().any(|(i, a)| arns[..i].contains(a)) {
        return Err(routing_error("distinct state machine version ARNs", listed));
    }
    let sum: u64 = routes.iter().map(|r| u64::from(r.weight)).sum();
    if sum != 100 {
        let weights: Vec<String> = routes.iter().map(|r| r.weight.to_string()).collect();
        return Err(Error::validation(
            "ValidationException",
            format!(
                "Sum of routing configuration weights must equal 100. Received: [{}]",
                weights.join(", ")
            ),
        ));
    }
    let mut base: Option<&str> = None;
    for arn in &arns {
        match qualify(arn) {
            Some(Qualified::Version { base: b, .. }) => match base {
                None => base = Some(b),
                Some(first) if first == b => {}
                Some(_) => {
                    return Err(routing_error(
                        "state machine version ARNs of a single state machine",
                        listed,
                    ));
                }
            },
            _ => return Err(routing_error("state machine version ARNs", listed)),
        }
    }
    base.map(str::to_string)
        .ok_or_else(|| routing_error("state machine version ARNs", listed))
}

/// `versioning` (the routed machine's, `None` when it has none), once every routed version
/// is found in it.
pub(crate) fn routed_versions<'a>(
    versioning: Option<&'a mut Versioning>,
    routes: &[RoutingConfigurationListItem],
) -> Result<&'a mut Versioning, Error> {
    let missing = || {
        let arns: Vec<&str> = routes
            .iter()
            .map(|r| r.state_machine_version_arn.as_str())
            .collect();
        routing_error(
            "state machine version ARNs",
            format!("[{}]", arns.join(", ")),
        )
    };
    let Some(v) = versioning else {
        return Err(missing());
    };
    let exists = |arn: &str| match qualify(arn) {
        Some(Qualified::Version { number, .. }) => {
            v.versions.get(&number).is_some_and(|x| x.arn == arn)
        }
        _ => false,
    };
    if routes.iter().all(|r| exists(&r.state_machine_version_arn)) {
        Ok(v)
    } else {
        Err(missing())
    }
}

/// The machine `base` for an alias operation: `StateMachineDeleting` while it is being
/// deleted; `None` when it does not exist.
pub(crate) fn alias_machine(
    sfn: &Sfn,
    base: &str,
) -> Result<Option<std::sync::Arc<StateMachineRecord>>, Error> {
    let machine = sfn.inner.machines.lock().get(base).cloned();
    if let Some(m) = &machine {
        if m.is_deleting() {
            return Err(Error::conflict(
                "StateMachineDeleting",
                format!("State Machine is being deleted: '{base}'"),
            ));
        }
    }
    Ok(machine)
}

/// CreateStateMachineAlias.
pub(crate) fn create_state_machine_alias(
    sfn: &Sfn,
    input: CreateStateMachineAliasInput,
) -> Result<CreateStateMachineAliasOutput, Error> {
    let mut violations = Violations::default();
    violations.description(input.description.as_deref());
    violations.alias_name(&input.name);
    violations.routing(&input.routing_configuration);
    violations.check()?;
    let base = routing_machine(&input.routing_configuration)?;
    let inner = &sfn.inner;
    // A machine that does not exist has no versions to route to.
    let machine = alias_machine(sfn, &base)?;
    let now = sfn.wall_now();
    let mut all = inner.versioning.lock();
    let v = routed_versions(
        machine.and_then(|_| all.get_mut(&base)),
        &input.routing_configuration,
    )?;
    let arn = format!("{base}:{}", input.name);
    if let Some(existing) = v.aliases.get(&input.name) {
        if existing.description == input.description
            && existing.routing == input.routing_configuration
        {
            return Ok(CreateStateMachineAliasOutput {
                state_machine_alias_arn: existing.arn.clone(),
                creation_date: existing.creation_date,
            });
        }
        return Err(Error::conflict(
            "ConflictException",
            "Failed to create alias because an alias with the same name and a different routing configuration already exists.",
        ));
    }
    if v.aliases.len() >= MAX_ALIASES_PER_STATE_MACHINE {
        return Err(quota_exceeded(format!(
            "The state machine '{base}' already has the maximum number of aliases ({MAX_ALIASES_PER_STATE_MACHINE}); delete unused aliases with DeleteStateMachineAlias."
        )));
    }
    v.alias_seq += 1;
    v.aliases.insert(
        input.name.clone(),
        AliasRecord {
            arn: arn.clone(),
            name: input.name,
            description: input.description,
            routing: input.routing_configuration,
            creation_date: now,
            update_date: now,
            seq: v.alias_seq,
        },
    );
    Ok(CreateStateMachineAliasOutput {
        state_machine_alias_arn: arn,
        creation_date: now,
    })
}
