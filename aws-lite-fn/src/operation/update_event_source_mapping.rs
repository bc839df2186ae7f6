//! UpdateEventSourceMapping: changes a mapping's function, batching, response types, scaling
//! or `Enabled` (feature `queue`). The poller uses the new settings from its next batch.
//!
//! # Semantics
//!
//! - The same ranges and rules as CreateEventSourceMapping, checked on the merged settings.
//! - `ScalingConfig` without `MaximumConcurrency` removes the limit.
//! - `FilterCriteria` replaces the filters (checked as on create); `{}` or an empty
//!   `Filters` list removes them. The poller applies them from its next receive.
//! - The answer's `State` is `Enabling` or `Disabling` when `Enabled` changes, `Updating`
//!   otherwise; an unknown `UUID` is `ResourceNotFoundException`.

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};

use super::create_event_source_mapping::{
    check_batching, check_range, check_response_types, check_scaling, resolve_function,
};
use crate::esm::{
    EventSourceMappingConfiguration, Filter, FilterCriteria, REPORT_BATCH_ITEM_FAILURES,
    ScalingConfig, compile_filters,
};
use crate::{Lambda, error};

/// The input of UpdateEventSourceMapping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UpdateEventSourceMappingInput {
    /// `UUID`.
    #[serde(default, rename = "UUID")]
    pub uuid: Option<String>,
    /// `FunctionName`: a new function (or qualifier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_name: Option<String>,
    /// `Enabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// `BatchSize`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<i64>,
    /// `MaximumBatchingWindowInSeconds`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_batching_window_in_seconds: Option<i64>,
    /// `FunctionResponseTypes` (an empty list removes them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_response_types: Option<Vec<String>>,
    /// `ScalingConfig`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling_config: Option<ScalingConfig>,
    /// `FilterCriteria`: replaces the filters; `{}` or an empty `Filters` removes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_criteria: Option<FilterCriteria>,
}

fluent_builder!(
    /// UpdateEventSourceMapping.
    update_event_source_mapping,
    UpdateEventSourceMappingFluentBuilder,
    UpdateEventSourceMappingInput,
    EventSourceMappingConfiguration,
    update_event_source_mapping
);

setters!(UpdateEventSourceMappingFluentBuilder {
    /// `UUID`.
    uuid, set_uuid: String;
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

impl UpdateEventSourceMappingFluentBuilder {
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

pub(crate) async fn update_event_source_mapping(
    lambda: &Lambda,
    input: UpdateEventSourceMappingInput,
) -> Result<EventSourceMappingConfiguration, Error> {
    let svc = &lambda.inner;
    let uuid = input.uuid.ok_or_else(error::resource_not_found)?;
    let mapping = svc
        .mappings
        .lock()
        .get(&uuid)
        .cloned()
        .ok_or_else(error::resource_not_found)?;
    if let Some(n) = input.batch_size {
        check_range(n, "batchSize", 1, 10_000)?;
    }
    if let Some(w) = input.maximum_batching_window_in_seconds {
        check_range(w, "maximumBatchingWindowInSeconds", 0, 300)?;
    }
    if let Some(types) = &input.function_response_types {
        check_response_types(types)?;
    }
    let max_concurrency = match &input.scaling_config {
        Some(c) => Some(check_scaling(c)?),
        None => None,
    };
    let filters = match &input.filter_criteria {
        Some(c) => Some(compile_filters(c, &svc.limits)?),
        None => None,
    };
    let function = match &input.function_name {
        Some(raw) => Some(resolve_function(svc, raw)?),
        None => None,
    };
    let mut next = mapping.settings.lock().clone();
    if let Some(n) = input.batch_size {
        next.batch_size = n as u32;
    }
    if let Some(w) = input.maximum_batching_window_in_seconds {
        next.window = w as u32;
    }
    check_batching(
        mapping.event_source_arn.ends_with(".fifo"),
        next.batch_size,
        next.window,
    )?;
    if let Some((target, arn)) = function {
        if arn != next.function_arn {
            let others = svc.mappings.lock();
            if let Some(other) = others.values().find(|m| {
                m.uuid != mapping.uuid
                    && m.event_source_arn == mapping.event_source_arn
                    && m.settings.lock().function_arn == arn
            }) {
                return Err(error::conflict(format!(
                    "An event source mapping with SQS arn (\" {} \") and function (\" {} \") already exists. Please update or delete the existing mapping with UUID {}",
                    mapping.event_source_arn, target.name, other.uuid
                )));
            }
        }
        next.target = target;
        next.function_arn = arn;
    }
    if let Some(types) = input.function_response_types {
        next.response_types = types;
    }
    if let Some(max) = max_concurrency {
        next.max_concurrency = max;
    }
    if let Some(f) = filters {
        next.filters = f;
    }
    let state = match input.enabled {
        Some(true) if !next.enabled => "Enabling",
        Some(false) if next.enabled => "Disabling",
        _ => "Updating",
    };
    if let Some(enabled) = input.enabled {
        next.enabled = enabled;
    }
    next.last_modified_ms = svc.clock.epoch_millis(svc.clock.now());
    *mapping.settings.lock() = next;
    mapping.wake.notify_one();
    Ok(mapping.describe(Some(state)))
}
