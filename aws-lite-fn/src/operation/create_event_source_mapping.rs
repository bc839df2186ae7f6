//! CreateEventSourceMapping: makes a function read batches from an aws-lite queue (feature
//! `queue`). How a mapping polls, batches, invokes and deletes is described in
//! [`esm`](crate::esm).
//!
//! # Semantics
//!
//! - `EventSourceArn` is the ARN of a queue of the [`Sqs`](aws_lite_queue::Sqs) given to
//!   [`LambdaBuilder::sqs`](crate::LambdaBuilder::sqs); `FunctionName` a name or ARN,
//!   optionally qualified by a version or alias (the mapping invokes that qualifier).
//! - `BatchSize` 1–10,000 (default 10; at most 10 for a FIFO queue); above 10 it needs
//!   `MaximumBatchingWindowInSeconds` of at least 1 (0–300, default 0; standard queues only).
//! - `FunctionResponseTypes` may hold `ReportBatchItemFailures`; `ScalingConfig`'s
//!   `MaximumConcurrency` is 2–1,000; `Enabled` defaults to true.
//! - `FilterCriteria` holds at most 5 filters, each a valid EventBridge pattern of at most
//!   4,096 characters (`Invalid filter pattern definition.` otherwise); how messages are
//!   matched is described in [`esm`](crate::esm#filtering).
//! - One mapping per queue and function ARN: a second is `ResourceConflictException`.
//! - The answer's `State` is `Creating`; the mapping is `Enabled` (or `Disabled`) at once.
//!
//! ```
//! use aws_lite_fn::{service_fn, Code, Event, Lambda};
//! use aws_lite_queue::Sqs;
//! use serde_json::{json, Value};
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let sqs = Sqs::new();
//! let lambda = Lambda::builder().sqs(sqs.clone()).build();
//! let queue = sqs.create_queue().queue_name("jobs").send().await?.queue();
//! let code = Code::from_service(service_fn(|e: Event<Value>| async move {
//!     Ok::<_, std::convert::Infallible>(json!({ "got": e.payload["Records"].as_array().map(Vec::len) }))
//! }));
//! lambda.create_function().function_name("worker").code(code).send().await?;
//! let mapping = lambda
//!     .create_event_source_mapping()
//!     .event_source_arn(queue.arn())
//!     .function_name("worker")
//!     .batch_size(5)
//!     .send()
//!     .await?;
//! assert_eq!(mapping.state(), "Creating");
//!
//! queue.send_message().message_body("hello").send().await?;
//! tokio::time::sleep(std::time::Duration::from_secs(1)).await;
//! assert_eq!(lambda.metrics("worker")?.invocations, 1);
//! assert_eq!(queue.metrics().approximate_number_of_messages_visible, 0);
//! # Ok(()) }
//! ```

use std::sync::Arc;

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};

use crate::esm::{
    EventSourceMappingConfiguration, Filter, FilterCriteria, Mapping, REPORT_BATCH_ITEM_FAILURES,
    ScalingConfig, Settings, compile_filters, spawn_poller,
};
use crate::names::{NameUse, Target, parse_target};
use crate::service::LambdaInner;
use crate::{Lambda, error};

/// The input of CreateEventSourceMapping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CreateEventSourceMappingInput {
    /// `EventSourceArn`: the queue's ARN.
    #[serde(default)]
    pub event_source_arn: Option<String>,
    /// `FunctionName`: a name or ARN, optionally qualified.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Enabled` (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// `BatchSize` (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<i64>,
    /// `MaximumBatchingWindowInSeconds` (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_batching_window_in_seconds: Option<i64>,
    /// `FunctionResponseTypes`: `ReportBatchItemFailures` or nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_response_types: Option<Vec<String>>,
    /// `ScalingConfig`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling_config: Option<ScalingConfig>,
    /// `FilterCriteria`: at most 5 EventBridge patterns; a message that matches none is
    /// deleted without being delivered (see [`crate::esm`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_criteria: Option<FilterCriteria>,
}

fluent_builder!(
    /// CreateEventSourceMapping.
    create_event_source_mapping,
    CreateEventSourceMappingFluentBuilder,
    CreateEventSourceMappingInput,
    EventSourceMappingConfiguration,
    create_event_source_mapping
);

setters!(CreateEventSourceMappingFluentBuilder {
    /// `EventSourceArn`.
    event_source_arn, set_event_source_arn: String;
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Enabled`.
    enabled, set_enabled: bool;
    /// `BatchSize`.
    batch_size, set_batch_size: i64;
    /// `MaximumBatchingWindowInSeconds`.
    maximum_batching_window_in_seconds, set_maximum_batching_window_in_seconds: i64;
    /// `FunctionResponseTypes`.
    function_response_types, set_function_response_types: Vec<String>;
    /// `ScalingConfig`.
    scaling_config, set_scaling_config: ScalingConfig;
    /// `FilterCriteria`.
    filter_criteria, set_filter_criteria: FilterCriteria;
});

impl CreateEventSourceMappingFluentBuilder {
    /// Appends one filter `Pattern` to `FilterCriteria`.
    pub fn filter(mut self, pattern: impl Into<String>) -> Self {
        self.input
            .filter_criteria
            .get_or_insert_with(FilterCriteria::default)
            .filters
            .get_or_insert_with(Vec::new)
            .push(Filter::new(pattern));
        self
    }

    /// `FunctionResponseTypes: ["ReportBatchItemFailures"]`.
    pub fn report_batch_item_failures(mut self) -> Self {
        self.input.function_response_types = Some(vec![REPORT_BATCH_ITEM_FAILURES.to_owned()]);
        self
    }

    /// `ScalingConfig: {"MaximumConcurrency": n}`.
    pub fn maximum_concurrency(mut self, n: i64) -> Self {
        self.input.scaling_config = Some(ScalingConfig::maximum_concurrency(n));
        self
    }
}

/// Checks a value against the API's range for `field`.
pub(crate) fn check_range(value: i64, field: &str, min: i64, max: i64) -> Result<(), Error> {
    if value < min {
        return Err(error::validation(
            value,
            field,
            &format!("Member must have value greater than or equal to {min}"),
        ));
    }
    if value > max {
        return Err(error::validation(
            value,
            field,
            &format!("Member must have value less than or equal to {max}"),
        ));
    }
    Ok(())
}

/// Checks `FunctionResponseTypes`.
pub(crate) fn check_response_types(types: &[String]) -> Result<(), Error> {
    if let Some(bad) = types.iter().find(|t| *t != REPORT_BATCH_ITEM_FAILURES) {
        return Err(error::validation(
            format!("[{bad}]"),
            "functionResponseTypes",
            "Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]",
        ));
    }
    Ok(())
}

/// Checks `ScalingConfig` and returns its `MaximumConcurrency`.
pub(crate) fn check_scaling(config: &ScalingConfig) -> Result<Option<u32>, Error> {
    match config.maximum_concurrency {
        None => Ok(None),
        Some(n) => {
            check_range(n, "scalingConfig.maximumConcurrency", 2, 1_000)?;
            Ok(Some(n as u32))
        }
    }
}

/// The batch rules that depend on the queue type and on both batching settings.
pub(crate) fn check_batching(fifo: bool, batch_size: u32, window: u32) -> Result<(), Error> {
    if fifo && batch_size > 10 {
        return Err(error::invalid_parameter(
            "Batch size for SQS FIFO queues must be less than or equal to 10.",
        ));
    }
    if fifo && window > 0 {
        return Err(error::invalid_parameter(
            "Batching window is not supported for SQS FIFO queues.",
        ));
    }
    if batch_size > 10 && window == 0 {
        return Err(error::invalid_parameter(
            "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
        ));
    }
    Ok(())
}

/// Resolves the mapping's function: its target and (qualified) ARN, or `Function does not
/// exist`.
pub(crate) fn resolve_function(svc: &LambdaInner, raw: &str) -> Result<(Target, String), Error> {
    let target = parse_target(raw, None, NameUse::Qualified)?;
    let missing = || error::invalid_parameter("Function does not exist");
    let f = svc.lookup(&target.name).map_err(|_| missing())?;
    let arn = match target.qualifier.as_deref() {
        None => f.arn.to_string(),
        Some(q) => {
            let state = f.state.lock();
            crate::invoke::resolve_static(&f, &state, q).map_err(|_| missing())?;
            f.qualified_arn(q)
        }
    };
    Ok((target, arn))
}

pub(crate) async fn create_event_source_mapping(
    lambda: &Lambda,
    input: CreateEventSourceMappingInput,
) -> Result<EventSourceMappingConfiguration, Error> {
    let svc = &lambda.inner;
    let arn = input
        .event_source_arn
        .ok_or_else(|| error::invalid_parameter("Unrecognized event source."))?;
    let raw = input
        .function_name
        .ok_or_else(|| super::missing("functionName"))?;
    let batch_size = input.batch_size.unwrap_or(10);
    check_range(batch_size, "batchSize", 1, 10_000)?;
    let window = input.maximum_batching_window_in_seconds.unwrap_or(0);
    check_range(window, "maximumBatchingWindowInSeconds", 0, 300)?;
    let response_types = input.function_response_types.unwrap_or_default();
    check_response_types(&response_types)?;
    let max_concurrency = match &input.scaling_config {
        Some(c) => check_scaling(c)?,
        None => None,
    };
    let filters = match &input.filter_criteria {
        Some(c) => compile_filters(c, &svc.limits)?,
        None => None,
    };
    if arn.split(':').nth(2) != Some("sqs") {
        return Err(error::invalid_parameter(format!(
            "Unsupported event source: {arn}. aws-lite-fn reads SQS queues only."
        )));
    }
    let fifo = arn.ends_with(".fifo");
    let (batch_size, window) = (batch_size as u32, window as u32);
    check_batching(fifo, batch_size, window)?;
    let (target, function_arn) = resolve_function(svc, &raw)?;
    let queue = svc
        .sqs
        .as_ref()
        .and_then(|sqs| sqs.queue_by_arn(&arn).ok())
        .ok_or_else(|| {
            error::invalid_parameter(
                "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.",
            )
        })?;
    let mut mappings = svc.mappings.lock();
    if let Some(existing) = mappings
        .values()
        .find(|m| m.event_source_arn == arn && m.settings.lock().function_arn == function_arn)
    {
        return Err(error::conflict(format!(
            "An event source mapping with SQS arn (\" {arn} \") and function (\" {} \") already exists. Please update or delete the existing mapping with UUID {}",
            target.name, existing.uuid
        )));
    }
    let uuid = svc.rand.uuid().to_string();
    let settings = Settings {
        target,
        function_arn,
        batch_size,
        window,
        response_types,
        max_concurrency,
        enabled: input.enabled.unwrap_or(true),
        last_modified_ms: svc.clock.epoch_millis(svc.clock.now()),
        filters,
    };
    let mapping = Arc::new(Mapping::new(uuid.clone(), arn, queue, settings));
    mappings.insert(uuid, mapping.clone());
    drop(mappings);
    spawn_poller(svc.clone(), mapping.clone());
    Ok(mapping.describe(Some("Creating")))
}
