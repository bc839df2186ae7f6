//! CreateStateMachine: validates a definition and creates a STANDARD or EXPRESS machine.
//!
//! # Semantics
//!
//! - The definition is validated as ValidateStateMachineDefinition does; an invalid one is
//!   rejected with `InvalidDefinition` and nothing is created (see [`crate::asl`]).
//! - Express machines reject `.sync`, `.waitForTaskToken` and activity resources.
//! - Names are 1–80 characters without whitespace or `<>{}[]?*"#%\^|~`$&,;:/`.
//! - Creating a name that exists with the same definition, role and type returns the existing
//!   ARN; otherwise `StateMachineAlreadyExists`.
//! - `publish: true` publishes the new machine's first revision as version 1 and returns its
//!   ARN as `stateMachineVersionArn` (`versionDescription` describes it, at most 256
//!   characters). `versionDescription` without `publish` is a `ValidationException`
//!   (`Version description can only be set when publish is true`). A repeated, idempotent
//!   request with `publish` reports the version that published the current revision, if any,
//!   and publishes nothing (aws-lite's reading: AWS documents no other effect).

use std::sync::Arc;
use std::time::SystemTime;

use aws_lite_core::Error;
use aws_lite_core::id::Arn;
use serde::{Deserialize, Serialize};

use crate::asl;
use crate::service::{Sfn, StateMachineRecord, StateMachineType, epoch};

/// The longest version or alias description: 256 characters.
pub(crate) const MAX_DESCRIPTION_CHARS: usize = 256;

/// `ValidationException` when a description (of a version or an alias) is too long, in the
/// AWS service's validation wording; `field` is its request member (`versionDescription` …).
pub(crate) fn check_description(field: &str, description: Option<&str>) -> Result<(), Error> {
    match description {
        Some(d) if d.chars().count() > MAX_DESCRIPTION_CHARS => Err(Error::validation(
            "ValidationException",
            format!(
                "1 validation error detected: Value '{d}' at '{field}' failed to satisfy constraint: Member must have length less than or equal to {MAX_DESCRIPTION_CHARS}"
            ),
        )),
        _ => Ok(()),
    }
}

/// The `versionDescription`-without-`publish` check of CreateStateMachine and
/// UpdateStateMachine, in AWS's words.
pub(crate) fn check_version_description(
    publish: bool,
    version_description: Option<&str>,
) -> Result<(), Error> {
    if !publish && version_description.is_some() {
        return Err(Error::validation(
            "ValidationException",
            "Version description can only be set when publish is true",
        ));
    }
    check_description("versionDescription", version_description)
}

/// The input of CreateStateMachine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateStateMachineInput {
    /// The machine's name.
    #[serde(default)]
    pub name: String,
    /// The ASL definition as JSON text.
    #[serde(default)]
    pub definition: String,
    /// The execution role (not checked).
    #[serde(default)]
    pub role_arn: String,
    /// STANDARD (default) or EXPRESS.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub machine_type: Option<StateMachineType>,
    /// Publish the first revision as version 1.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub publish: bool,
    /// The description of the version `publish` makes (at most 256 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_description: Option<String>,
}

/// The output of CreateStateMachine.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateStateMachineOutput {
    /// The new machine's ARN.
    pub state_machine_arn: String,
    /// When it was created.
    #[serde(serialize_with = "epoch")]
    pub creation_date: SystemTime,
    /// The ARN of the version `publish` made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine_version_arn: Option<String>,
}

/// Builds and sends a CreateStateMachine request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct CreateStateMachineFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: CreateStateMachineInput,
}

impl CreateStateMachineFluentBuilder {
    /// The machine's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.input.name = name.into();
        self
    }

    /// The ASL definition (JSON text).
    pub fn definition(mut self, definition: impl Into<String>) -> Self {
        self.input.definition = definition.into();
        self
    }

    /// The execution role.
    pub fn role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.input.role_arn = role_arn.into();
        self
    }

    /// STANDARD or EXPRESS.
    pub fn r#type(mut self, machine_type: StateMachineType) -> Self {
        self.input.machine_type = Some(machine_type);
        self
    }

    /// Publishes the first revision as version 1.
    pub fn publish(mut self, publish: bool) -> Self {
        self.input.publish = publish;
        self
    }

    /// The description of the version `publish` makes.
    pub fn version_description(mut self, description: impl Into<String>) -> Self {
        self.input.version_description = Some(description.into());
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &CreateStateMachineInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<CreateStateMachineOutput, Error> {
        create_state_machine(&self.sfn, self.input)
    }
}

impl Sfn {
    /// CreateStateMachine.
    pub fn create_state_machine(&self) -> CreateStateMachineFluentBuilder {
        CreateStateMachineFluentBuilder {
            sfn: self.clone(),
            input: CreateStateMachineInput::default(),
        }
    }
}

pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 80
        && !name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c))
}

/// CreateStateMachine.
pub(crate) fn create_state_machine(
    sfn: &Sfn,
    input: CreateStateMachineInput,
) -> Result<CreateStateMachineOutput, Error> {
    check_version_description(input.publish, input.version_description.as_deref())?;
    if !valid_name(&input.name) {
        return Err(Error::validation(
            "InvalidName",
            format!("Invalid Name: '{}'", input.name),
        ));
    }
    let machine_type = input.machine_type.unwrap_or_default();
    let definition = asl::validate(&input.definition, machine_type == StateMachineType::Express)?;
    let inner = &sfn.inner;
    let arn = Arn::state_machine(&inner.region, &inner.account, &input.name, None)?.to_string();
    let mut machines = inner.machines.lock();
    if let Some(existing) = machines.get(&arn) {
        if existing.is_deleting() {
            return Err(Error::conflict(
                "StateMachineDeleting",
                format!("State Machine is being deleted: '{arn}'"),
            ));
        }
        if existing.definition_text == input.definition
            && existing.role_arn == input.role_arn
            && existing.machine_type == machine_type
        {
            let state_machine_version_arn = if input.publish {
                inner.versioning.lock().get(&arn).and_then(|v| {
                    v.versions
                        .values()
                        .find(|x| x.machine.revision_id == existing.revision_id)
                        .map(|x| x.arn.clone())
                })
            } else {
                None
            };
            return Ok(CreateStateMachineOutput {
                state_machine_arn: arn,
                creation_date: existing.creation_date,
                state_machine_version_arn,
            });
        }
        return Err(Error::conflict(
            "StateMachineAlreadyExists",
            format!("State Machine Already Exists: '{arn}'"),
        ));
    }
    let creation_date = sfn.wall_now();
    let record = Arc::new(StateMachineRecord {
        arn: arn.clone(),
        name: input.name,
        definition_text: input.definition,
        states: Arc::new(definition.states.clone()),
        definition: Arc::new(definition),
        role_arn: input.role_arn,
        machine_type,
        creation_date,
        revision_id: None,
        update_date: creation_date,
        deleting: Default::default(),
    });
    // A new machine starts with no versions or aliases (a machine of the same name that was
    // deleted took its own along). Publish before inserting, so that a failure leaves
    // nothing behind.
    inner.versioning.lock().remove(&arn);
    let state_machine_version_arn = if input.publish {
        Some(
            inner
                .publish_locked(&record, input.version_description, creation_date)?
                .arn
                .clone(),
        )
    } else {
        None
    };
    machines.insert(arn.clone(), record);
    Ok(CreateStateMachineOutput {
        state_machine_arn: arn,
        creation_date,
        state_machine_version_arn,
    })
}
