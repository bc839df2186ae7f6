//! CreateFunction: registers a function with its code (the INIT factory) and configuration.
//!
//! # Semantics
//!
//! - `FunctionName` is a name (1–64 characters of `[A-Za-z0-9_-]`) or an unqualified ARN.
//! - `Timeout` 1–900 s (default 3), `MemorySize` 128–10,240 MB (default 128), `Description`
//!   at most 256 characters, `Environment.Variables` at most 4 KB as compact JSON.
//! - `Code` is required; it is the [`Code`] whose factory every cold start runs.
//! - `Layers`: at most 5 existing layer version ARNs, one version per layer (see
//!   [`crate::layer`] for the rules and errors).
//! - A second function with the same name is `ResourceConflictException`
//!   (`Function already exist: {name}`).
//! - `Publish` also publishes version 1 and returns its configuration.
//!
//! ```
//! use aws_lite_fn::{service_fn, Code, Event, Lambda};
//! use serde_json::Value;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::new();
//! let code = Code::from_service(service_fn(|e: Event<Value>| async move {
//!     Ok::<_, std::convert::Infallible>(e.payload)
//! }));
//! let f = lambda.create_function().function_name("f").code(code.clone())
//!     .timeout(30).memory_size(512).send().await?;
//! assert_eq!((f.timeout(), f.memory_size(), f.version()), (30, 512, "$LATEST"));
//!
//! let err = lambda.create_function().function_name("g").code(code).timeout(901).send().await.unwrap_err();
//! assert_eq!(err.code(), "ValidationException");
//! assert_eq!(err.message(), "1 validation error detected: Value '901' at 'timeout' failed to \
//!     satisfy constraint: Member must have value less than or equal to 900");
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_lite_core::Error;
use aws_lite_core::sync::{AtomicU64, Mutex};
use serde::{Deserialize, Serialize};

use crate::config::{self, Environment};
use crate::handler::Code;
use crate::names::{NameUse, parse_target};
use crate::service::latest_version;
use crate::state::{FunctionShared, FunctionState, NO_RESERVATION, VersionConfig};
use crate::{FunctionConfiguration, Lambda, error};

/// The input of CreateFunction.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CreateFunctionInput {
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
    /// `Environment`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Environment>,
    /// `DeadLetterConfig`: the SQS queue that receives events whose asynchronous invocation
    /// failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_letter_config: Option<crate::event_invoke::DeadLetterConfig>,
    /// `Publish`: also publish version 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish: Option<bool>,
    /// `Layers`: at most 5 layer version ARNs, extracted into `/opt` in this order (see
    /// [`crate::layer`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layers: Option<Vec<String>>,
    /// The code: in process, the INIT factory (not on the wire).
    #[serde(skip)]
    pub code: Option<Code>,
}

/// The output of CreateFunction: the new function's configuration.
pub type CreateFunctionOutput = FunctionConfiguration;

fluent_builder!(
    /// CreateFunction.
    create_function,
    CreateFunctionFluentBuilder,
    CreateFunctionInput,
    CreateFunctionOutput,
    create_function
);

setters!(CreateFunctionFluentBuilder {
    /// `FunctionName`: a name or an unqualified ARN.
    function_name, set_function_name: String;
    /// `Description`.
    description, set_description: String;
    /// `Timeout`, in seconds (1–900).
    timeout, set_timeout: i32;
    /// `MemorySize`, in MB (128–10,240).
    memory_size, set_memory_size: i32;
    /// `Environment`.
    environment, set_environment: Environment;
    /// `Publish`.
    publish, set_publish: bool;
    /// `DeadLetterConfig`.
    dead_letter_config, set_dead_letter_config: crate::event_invoke::DeadLetterConfig;
    /// The function's code (its INIT factory).
    code, set_code: Code;
    /// `Layers`: layer version ARNs, in extraction order.
    layers, set_layers: Vec<String>;
});

impl CreateFunctionFluentBuilder {
    /// Appends one layer version ARN to `Layers`.
    pub fn layer(mut self, layer_version_arn: impl Into<String>) -> Self {
        self.input
            .layers
            .get_or_insert_with(Vec::new)
            .push(layer_version_arn.into());
        self
    }

    /// Adds one environment variable.
    pub fn environment_variable(
        mut self,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.input
            .environment
            .get_or_insert_with(Environment::default)
            .variables
            .insert(key.into(), value.into());
        self
    }
}

pub(crate) async fn create_function(
    lambda: &Lambda,
    input: CreateFunctionInput,
) -> Result<CreateFunctionOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let _span = tracing::debug_span!("lambda.CreateFunction", function = %raw).entered();
    let target = parse_target(&raw, None, NameUse::Create)?;
    let timeout = config::check_timeout(input.timeout.unwrap_or(config::DEFAULT_TIMEOUT))?;
    let memory_size = config::check_memory(input.memory_size.unwrap_or(config::DEFAULT_MEMORY))?;
    let description = input.description.unwrap_or_default();
    config::check_description(&description)?;
    let environment = input.environment.unwrap_or_default();
    config::check_environment(&environment, &svc.limits)?;
    let dead_letter_target = crate::event_invoke::check_dead_letter(input.dead_letter_config)?;
    let code = input.code.ok_or_else(|| super::missing("code"))?;
    let layers = match &input.layers {
        Some(arns) => crate::layer::resolve_function_layers(svc, arns)?,
        None => Default::default(),
    };
    let name = target.name;
    let mut functions = svc.write_functions();
    if functions.contains_key(&name) {
        return Err(error::conflict(format!("Function already exist: {name}")));
    }
    let version_config = VersionConfig {
        description,
        timeout,
        memory_size,
        environment: Arc::new(environment.variables),
        code,
        code_sha256: svc.code_sha256(),
        revision_id: svc.new_revision_id(),
        last_modified: svc.now_string(),
        dead_letter_target,
        layers,
    };
    let arn = svc.function_arn(&name);
    let shared = Arc::new(FunctionShared {
        name: Arc::from(name.as_str()),
        log_group: Arc::from(format!("/aws/lambda/{name}")),
        state: Mutex::new(FunctionState {
            latest: Arc::new(latest_version(&arn, version_config, 0)),
            versions: BTreeMap::new(),
            next_version: 1,
            aliases: BTreeMap::new(),
            provisioned: BTreeMap::new(),
            latest_revision: 0,
            event_invoke: BTreeMap::new(),
        }),
        arn: Arc::from(arn),
        reserved: AtomicU64::new(NO_RESERVATION),
        counters: Default::default(),
    });
    functions.insert(name, shared.clone());
    drop(functions);
    if input.publish == Some(true) {
        let v = super::publish_version::publish(svc, &shared, None);
        return Ok(shared.configuration(&v));
    }
    let latest = shared.state.lock().latest.clone();
    Ok(shared.configuration(&latest))
}
