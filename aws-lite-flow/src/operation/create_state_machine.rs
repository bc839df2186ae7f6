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

use std::sync::Arc;
use std::time::SystemTime;

use aws_lite_core::Error;
use aws_lite_core::id::Arn;
use serde::{Deserialize, Serialize};

use crate::asl;
use crate::service::{Sfn, StateMachineRecord, StateMachineType, epoch};

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
}

/// Builds and sends a CreateStateMachine request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct CreateStateMachineFluentBuilder {
    sfn: Sfn,
    input: CreateStateMachineInput,
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
            return Ok(CreateStateMachineOutput {
                state_machine_arn: arn,
                creation_date: existing.creation_date,
            });
        }
        return Err(Error::conflict(
            "StateMachineAlreadyExists",
            format!("State Machine Already Exists: '{arn}'"),
        ));
    }
    let creation_date = sfn.wall_now();
    machines.insert(
        arn.clone(),
        Arc::new(StateMachineRecord {
            arn: arn.clone(),
            name: input.name,
            definition_text: input.definition,
            definition: Arc::new(definition),
            role_arn: input.role_arn,
            machine_type,
            creation_date,
            deleting: Default::default(),
        }),
    );
    Ok(CreateStateMachineOutput {
        state_machine_arn: arn,
        creation_date,
    })
}
