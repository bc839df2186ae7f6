//! ValidateStateMachineDefinition: checks a definition without creating a machine.
//!
//! # Semantics
//!
//! - `result` is `FAIL` when any `ERROR` diagnostic is found, else `OK` (warnings do not fail).
//! - Diagnostics carry a `severity`, a `code` (`SCHEMA_VALIDATION_FAILED`,
//!   `INVALID_JSON_DESCRIPTION`, `MISSING_TRANSITION_TARGET`, `UNREACHABLE_STATE`), a `message`
//!   and, when the problem has a place, a `location` (`/States/X/Resource`; for a JSON syntax
//!   error Jackson's `[Source: …; line: L, column: C]`).
//! - `severity` is the minimum level returned (`ERROR`, the default, or `WARNING`).
//! - `maxResults` caps the diagnostics returned (0 or absent: 100, the maximum); `truncated`
//!   says whether more were found.
//! - `type` (default STANDARD): EXPRESS also rejects `.sync`, `.waitForTaskToken` and activity
//!   resources.
//! - JSONata definitions are valid here (CreateStateMachine rejects them while the interpreter
//!   runs JSONPath only); a machine set to JSONata may not set a state back to JSONPath.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::asl::{self, Diagnostic};
use crate::service::{Sfn, StateMachineType};

/// The most diagnostics one call returns (and the default).
pub const MAX_DIAGNOSTICS: usize = 100;

/// The minimum severity of the diagnostics to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum ValidationSeverity {
    /// Errors only (the default).
    #[default]
    Error,
    /// Warnings and errors.
    Warning,
}

/// Whether the definition passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum ValidationResultCode {
    /// No errors: the machine can be created.
    Ok,
    /// At least one error.
    Fail,
}

impl ValidationResultCode {
    /// The AWS name (`OK`, `FAIL`).
    pub fn as_str(self) -> &'static str {
        match self {
            ValidationResultCode::Ok => "OK",
            ValidationResultCode::Fail => "FAIL",
        }
    }
}

/// The input of ValidateStateMachineDefinition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ValidateStateMachineDefinitionInput {
    /// The ASL definition as JSON text.
    #[serde(default)]
    pub definition: String,
    /// STANDARD (default) or EXPRESS.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub machine_type: Option<StateMachineType>,
    /// The minimum severity returned (default ERROR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<ValidationSeverity>,
    /// The most diagnostics returned (0 or absent: 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
}

/// The output of ValidateStateMachineDefinition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ValidateStateMachineDefinitionOutput {
    /// OK or FAIL.
    pub result: ValidationResultCode,
    /// What was found, at most `maxResults` of them.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether more diagnostics were found than returned.
    pub truncated: bool,
}

/// Builds and sends a ValidateStateMachineDefinition request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ValidateStateMachineDefinitionFluentBuilder {
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: ValidateStateMachineDefinitionInput,
}

impl ValidateStateMachineDefinitionFluentBuilder {
    /// The ASL definition (JSON text).
    pub fn definition(mut self, definition: impl Into<String>) -> Self {
        self.input.definition = definition.into();
        self
    }

    /// STANDARD or EXPRESS.
    pub fn r#type(mut self, machine_type: StateMachineType) -> Self {
        self.input.machine_type = Some(machine_type);
        self
    }

    /// The minimum severity returned.
    pub fn severity(mut self, severity: ValidationSeverity) -> Self {
        self.input.severity = Some(severity);
        self
    }

    /// The most diagnostics returned (1–100; 0 means 100).
    pub fn max_results(mut self, max_results: u32) -> Self {
        self.input.max_results = Some(max_results);
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `ValidationException` when `maxResults` is over 100.
    pub async fn send(self) -> Result<ValidateStateMachineDefinitionOutput, Error> {
        validate_state_machine_definition(self.input)
    }
}

impl Sfn {
    /// ValidateStateMachineDefinition.
    pub fn validate_state_machine_definition(&self) -> ValidateStateMachineDefinitionFluentBuilder {
        ValidateStateMachineDefinitionFluentBuilder {
            input: ValidateStateMachineDefinitionInput::default(),
        }
    }
}

/// ValidateStateMachineDefinition.
pub(crate) fn validate_state_machine_definition(
    input: ValidateStateMachineDefinitionInput,
) -> Result<ValidateStateMachineDefinitionOutput, Error> {
    let max = match input.max_results {
        None | Some(0) => MAX_DIAGNOSTICS,
        Some(n) if n as usize <= MAX_DIAGNOSTICS => n as usize,
        Some(n) => {
            return Err(Error::validation(
                "ValidationException",
                format!(
                    "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to {MAX_DIAGNOSTICS}"
                ),
            ));
        }
    };
    let express = input.machine_type == Some(StateMachineType::Express);
    let all = asl::diagnose(&input.definition, express);
    let result = if all.iter().any(|d| d.severity == "ERROR") {
        ValidationResultCode::Fail
    } else {
        ValidationResultCode::Ok
    };
    let wanted: Vec<Diagnostic> = all
        .into_iter()
        .filter(|d| d.severity == "ERROR" || input.severity == Some(ValidationSeverity::Warning))
        .collect();
    let truncated = wanted.len() > max;
    let diagnostics = wanted.into_iter().take(max).collect();
    Ok(ValidateStateMachineDefinitionOutput {
        result,
        diagnostics,
        truncated,
    })
}
