//! GetEventSourceMapping: one mapping by `UUID` (feature `queue`); an unknown one is
//! `ResourceNotFoundException`, `The resource you requested does not exist.`

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::esm::EventSourceMappingConfiguration;
use crate::{Lambda, error};

/// The input of GetEventSourceMapping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetEventSourceMappingInput {
    /// `UUID`.
    #[serde(default, rename = "UUID")]
    pub uuid: Option<String>,
}

fluent_builder!(
    /// GetEventSourceMapping.
    get_event_source_mapping,
    GetEventSourceMappingFluentBuilder,
    GetEventSourceMappingInput,
    EventSourceMappingConfiguration,
    get_event_source_mapping
);

setters!(GetEventSourceMappingFluentBuilder {
    /// `UUID`.
    uuid, set_uuid: String;
});

pub(crate) async fn get_event_source_mapping(
    lambda: &Lambda,
    input: GetEventSourceMappingInput,
) -> Result<EventSourceMappingConfiguration, Error> {
    let uuid = input.uuid.ok_or_else(|| super::missing("UUID"))?;
    let mapping = lambda
        .inner
        .mappings
        .lock()
        .get(&uuid)
        .cloned()
        .ok_or_else(error::resource_not_found)?;
    Ok(mapping.describe(None))
}
