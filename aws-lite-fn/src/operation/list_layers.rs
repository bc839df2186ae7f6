//! ListLayers: every layer with its latest version, filtered by runtime and architecture.
//!
//! # Semantics
//!
//! - Each layer appears once, by name, with `LatestMatchingVersion`: its newest existing
//!   version that declares `CompatibleRuntime` and `CompatibleArchitecture` (when given). A
//!   layer none of whose versions match, or whose versions were all deleted, is not listed.
//! - Pages of `MaxItems` (1–50, default 50); `NextMarker` continues.
//! - An unknown runtime or architecture is a `ValidationException`.
//!
//! ```
//! use aws_lite_fn::layer::LayerFiles;
//! use aws_lite_fn::Lambda;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::new();
//! for arch in ["arm64", "x86_64"] {
//!     lambda.publish_layer_version().layer_name("tools").content(LayerFiles::new())
//!         .compatible_architectures(vec![arch.to_owned()]).send().await?;
//! }
//! let all = lambda.list_layers().send().await?;
//! assert_eq!(all.layers()[0].latest_matching_version().version(), 2);
//! let arm = lambda.list_layers().compatible_architecture("arm64").send().await?;
//! assert_eq!(arm.layers()[0].latest_matching_version().version(), 1);
//! # Ok(()) }
//! ```

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::Lambda;
use crate::layer::{LayersListItem, check_list_filters, page_size};

/// The input of ListLayers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListLayersInput {
    /// `CompatibleRuntime`: only layers with a version compatible with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compatible_runtime: Option<String>,
    /// `CompatibleArchitecture`: only layers with a version compatible with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compatible_architecture: Option<String>,
    /// `Marker`: the `NextMarker` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// `MaxItems` (1–50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<i32>,
}

/// The output of ListLayers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListLayersOutput {
    layers: Vec<LayersListItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next_marker: Option<String>,
}

impl ListLayersOutput {
    /// `Layers`, by name.
    pub fn layers(&self) -> &[LayersListItem] {
        &self.layers
    }
    /// `NextMarker`, when more remain.
    pub fn next_marker(&self) -> Option<&str> {
        self.next_marker.as_deref()
    }
}

fluent_builder!(
    /// ListLayers.
    list_layers,
    ListLayersFluentBuilder,
    ListLayersInput,
    ListLayersOutput,
    list_layers
);

setters!(ListLayersFluentBuilder {
    /// `CompatibleRuntime`.
    compatible_runtime, set_compatible_runtime: String;
    /// `CompatibleArchitecture`.
    compatible_architecture, set_compatible_architecture: String;
    /// `Marker`.
    marker, set_marker: String;
    /// `MaxItems`.
    max_items, set_max_items: i32;
});

pub(crate) async fn list_layers(
    lambda: &Lambda,
    input: ListLayersInput,
) -> Result<ListLayersOutput, Error> {
    let runtime = input.compatible_runtime.as_deref();
    let architecture = input.compatible_architecture.as_deref();
    check_list_filters(runtime, architecture)?;
    let size = page_size(input.max_items)?;
    let all = lambda.inner.layers.latest_matching(runtime, architecture);
    let (layers, next_marker) = super::paginate(
        all,
        |l| l.layer_name().to_owned(),
        input.marker.as_deref(),
        size,
    );
    Ok(ListLayersOutput {
        layers,
        next_marker,
    })
}
