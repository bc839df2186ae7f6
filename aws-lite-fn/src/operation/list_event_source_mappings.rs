//! ListEventSourceMappings: the mappings, filtered by `EventSourceArn` and `FunctionName`
//! (feature `queue`), in pages of at most 50 (`MaxItems` 1–10,000, `Marker`).

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::Lambda;
use crate::esm::EventSourceMappingConfiguration;
use crate::names::{NameUse, parse_target};

/// The input of ListEventSourceMappings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListEventSourceMappingsInput {
    /// `EventSourceArn`: only this queue's mappings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source_arn: Option<String>,
    /// `FunctionName`: only this function's mappings (a qualifier narrows to it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_name: Option<String>,
    /// `Marker`: the `NextMarker` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// `MaxItems`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<i32>,
}

/// The output of ListEventSourceMappings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListEventSourceMappingsOutput {
    event_source_mappings: Vec<EventSourceMappingConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_marker: Option<String>,
}

impl ListEventSourceMappingsOutput {
    /// `EventSourceMappings`.
    pub fn event_source_mappings(&self) -> &[EventSourceMappingConfiguration] {
        &self.event_source_mappings
    }
    /// `NextMarker`, when more remain.
    pub fn next_marker(&self) -> Option<&str> {
        self.next_marker.as_deref()
    }
}

fluent_builder!(
    /// ListEventSourceMappings.
    list_event_source_mappings,
    ListEventSourceMappingsFluentBuilder,
    ListEventSourceMappingsInput,
    ListEventSourceMappingsOutput,
    list_event_source_mappings
);

setters!(ListEventSourceMappingsFluentBuilder {
    /// `EventSourceArn`.
    event_source_arn, set_event_source_arn: String;
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Marker`.
    marker, set_marker: String;
    /// `MaxItems`.
    max_items, set_max_items: i32;
});

pub(crate) async fn list_event_source_mappings(
    lambda: &Lambda,
    input: ListEventSourceMappingsInput,
) -> Result<ListEventSourceMappingsOutput, Error> {
    let size = super::page_size(input.max_items)?;
    let target = match input.function_name.as_deref() {
        Some(raw) => Some(parse_target(raw, None, NameUse::Qualified)?),
        None => None,
    };
    let mappings: Vec<_> = lambda.inner.mappings.lock().values().cloned().collect();
    let all: Vec<EventSourceMappingConfiguration> = mappings
        .iter()
        .filter(|m| {
            input
                .event_source_arn
                .as_ref()
                .is_none_or(|arn| *arn == m.event_source_arn)
        })
        .filter(|m| {
            target.as_ref().is_none_or(|t| {
                let s = m.settings.lock();
                s.target.name == t.name
                    && (t.qualifier.is_none() || s.target.qualifier == t.qualifier)
            })
        })
        .map(|m| m.describe(None))
        .collect();
    let (page, next_marker) =
        super::paginate(all, |c| c.uuid().to_owned(), input.marker.as_deref(), size);
    Ok(ListEventSourceMappingsOutput {
        event_source_mappings: page,
        next_marker,
    })
}
