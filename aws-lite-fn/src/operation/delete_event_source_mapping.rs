//! DeleteEventSourceMapping: removes a mapping (feature `queue`). Its poller stops receiving;
//! a batch already running finishes and deletes what succeeded. The answer's `State` is
//! `Deleting`; an unknown `UUID` is `ResourceNotFoundException`.

use aws_lite_core::Error;
use aws_lite_core::sync::Ordering;
use serde::{Deserialize, Serialize};

use crate::esm::EventSourceMappingConfiguration;
use crate::{Lambda, error};

/// The input of DeleteEventSourceMapping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DeleteEventSourceMappingInput {
    /// `UUID`.
    #[serde(default, rename = "UUID")]
    pub uuid: Option<String>,
}

fluent_builder!(
    /// DeleteEventSourceMapping.
    delete_event_source_mapping,
    DeleteEventSourceMappingFluentBuilder,
    DeleteEventSourceMappingInput,
    EventSourceMappingConfiguration,
    delete_event_source_mapping
);

setters!(DeleteEventSourceMappingFluentBuilder {
    /// `UUID`.
    uuid, set_uuid: String;
});

pub(crate) async fn delete_event_source_mapping(
    lambda: &Lambda,
    input: DeleteEventSourceMappingInput,
) -> Result<EventSourceMappingConfiguration, Error> {
    let uuid = input.uuid.ok_or_else(|| super::missing("UUID"))?;
    let mapping = lambda
        .inner
        .mappings
        .lock()
        .remove(&uuid)
        .ok_or_else(error::resource_not_found)?;
    mapping.deleted.store(true, Ordering::Release);
    mapping.wake.notify_one();
    Ok(mapping.describe(Some("Deleting")))
}
