//! UpdateFunctionConfiguration: changes `$LATEST`'s timeout, memory, description,
//! environment, dead-letter queue or layers (see [`crate::layer`]).
//!
//! Every value is validated as in CreateFunction before anything changes. Like a code update,
//! the change retires `$LATEST`'s environments: the next invocation is a cold start with the new
//! configuration.

use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::config::{self, Environment};
use crate::names::{NameUse, parse_target};
use crate::service::latest_version;
use crate::{FunctionConfiguration, Lambda, error};

/// The input of UpdateFunctionConfiguration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UpdateFunctionConfigurationInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `Timeout`, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i32>,
    /// `MemorySize`, in MB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_size: Option<i32>,
    /// `Environment` (replaces the whole set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Environment>,
    /// `DeadLetterConfig`: an empty `TargetArn` removes the dead-letter queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_letter_config: Option<crate::event_invoke::DeadLetterConfig>,
    /// `RevisionId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
    /// `Layers` (replaces the whole list; `[]` removes every layer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layers: Option<Vec<String>>,
}

/// The output of UpdateFunctionConfiguration: `$LATEST`'s new configuration.
pub type UpdateFunctionConfigurationOutput = FunctionConfiguration;

fluent_builder!(
    /// UpdateFunctionConfiguration.
    update_function_configuration,
    UpdateFunctionConfigurationFluentBuilder,
    UpdateFunctionConfigurationInput,
    UpdateFunctionConfigurationOutput,
    update_function_configuration
);

setters!(UpdateFunctionConfigurationFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Description`.
    description, set_description: String;
    /// `Timeout`.
    timeout, set_timeout: i32;
    /// `MemorySize`.
    memory_size, set_memory_size: i32;
    /// `Environment`.
    environment, set_environment: Environment;
    /// `RevisionId`.
    revision_id, set_revision_id: String;
    /// `DeadLetterConfig` (an empty `TargetArn` removes it).
    dead_letter_config, set_dead_letter_config: crate::event_invoke::DeadLetterConfig;
    /// `Layers`: layer version ARNs, in extraction order (`[]` removes them).
    layers, set_layers: Vec<String>;
});

pub(crate) async fn update_function_configuration(
    lambda: &Lambda,
    input: UpdateFunctionConfigurationInput,
) -> Result<UpdateFunctionConfigurationOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, None, NameUse::Unqualified)?;
    let timeout = input.timeout.map(config::check_timeout).transpose()?;
    let memory_size = input.memory_size.map(config::check_memory).transpose()?;
    if let Some(d) = &input.description {
        config::check_description(d)?;
    }
    if let Some(e) = &input.environment {
        config::check_environment(e, &svc.limits)?;
    }
    let dead_letter = input
        .dead_letter_config
        .map(|d| crate::event_invoke::check_dead_letter(Some(d)))
        .transpose()?;
    let layers = input
        .layers
        .as_deref()
        .map(|arns| crate::layer::resolve_function_layers(svc, arns))
        .transpose()?;
    let f = svc.lookup(&target.name)?;
    let mut state = f.state.lock();
    if let Some(rev) = &input.revision_id {
        if *rev != state.latest.config.revision_id {
            return Err(error::precondition_failed("GetFunction/GetAlias"));
        }
    }
    let mut c = state.latest.config.clone();
    if let Some(t) = timeout {
        c.timeout = t;
    }
    if let Some(m) = memory_size {
        c.memory_size = m;
    }
    if let Some(d) = input.description {
        c.description = d;
    }
    if let Some(e) = input.environment {
        c.environment = Arc::new(e.variables);
    }
    if let Some(d) = dead_letter {
        c.dead_letter_target = d;
    }
    if let Some(l) = layers {
        c.layers = l;
    }
    c.revision_id = svc.new_revision_id();
    c.last_modified = svc.now_string();
    state.latest_revision += 1;
    state.latest = Arc::new(latest_version(&f.arn, c, state.latest_revision));
    let latest = state.latest.clone();
    drop(state);
    Ok(f.configuration(&latest))
}
