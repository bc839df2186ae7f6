//! One module per Lambda operation: its input (with the field names of Lambda's restJson1
//! protocol), its output and its fluent builder.
//!
//! Every operation validates its whole input before it changes anything: a rejected call
//! registers and changes nothing.

pub mod create_alias;
#[cfg(feature = "queue")]
pub mod create_event_source_mapping;
pub mod create_function;
pub mod delete_alias;
#[cfg(feature = "queue")]
pub mod delete_event_source_mapping;
pub mod delete_function;
pub mod delete_function_concurrency;
pub mod delete_function_event_invoke_config;
pub mod delete_layer_version;
pub mod delete_provisioned_concurrency_config;
pub mod get_alias;
#[cfg(feature = "queue")]
pub mod get_event_source_mapping;
pub mod get_function;
pub mod get_function_concurrency;
pub mod get_function_event_invoke_config;
pub mod get_layer_version;
pub mod get_layer_version_by_arn;
pub mod get_provisioned_concurrency_config;
pub mod invoke;
pub mod list_aliases;
#[cfg(feature = "queue")]
pub mod list_event_source_mappings;
pub mod list_function_event_invoke_configs;
pub mod list_functions;
pub mod list_layer_versions;
pub mod list_layers;
pub mod list_versions_by_function;
pub mod publish_layer_version;
pub mod publish_version;
pub mod put_function_concurrency;
pub mod put_function_event_invoke_config;
pub mod put_provisioned_concurrency_config;
pub mod update_alias;
#[cfg(feature = "queue")]
pub mod update_event_source_mapping;
pub mod update_function_code;
pub mod update_function_configuration;
pub mod update_function_event_invoke_config;

use aws_lite_core::Error;

use crate::error;

/// Checks `MaxItems` (1–10,000; Lambda's list operations return at most 50 a page).
pub(crate) fn page_size(max_items: Option<i32>) -> Result<usize, Error> {
    match max_items {
        None => Ok(50),
        Some(n) if n < 1 => Err(error::validation(
            n,
            "maxItems",
            "Member must have value greater than or equal to 1",
        )),
        Some(n) if n > 10_000 => Err(error::validation(
            n,
            "maxItems",
            "Member must have value less than or equal to 10000",
        )),
        Some(n) => Ok((n as usize).min(50)),
    }
}

/// One page of `items` (keyed by `key`) after `marker`, with the next marker.
pub(crate) fn paginate<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> String,
    marker: Option<&str>,
    size: usize,
) -> (Vec<T>, Option<String>) {
    let mut rest: Vec<T> = match marker {
        Some(m) => items
            .into_iter()
            .skip_while(|i| key(i).as_str() <= m)
            .collect(),
        None => items,
    };
    if rest.len() > size {
        rest.truncate(size);
        let next = rest.last().map(&key);
        (rest, next)
    } else {
        (rest, None)
    }
}

/// `Value null at '{field}' …: Member must not be null`.
pub(crate) fn missing(field: &str) -> Error {
    Error::validation(
        error::codes::VALIDATION,
        format!(
            "1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null"
        ),
    )
}
