//! ListLayerVersions: the versions of one layer, newest first, filtered by runtime and
//! architecture.
//!
//! # Semantics
//!
//! - Deleted versions are not listed; a layer that does not exist lists nothing.
//! - `CompatibleRuntime` / `CompatibleArchitecture` keep the versions that declare them; an
//!   unknown value is a `ValidationException`.
//! - Pages of `MaxItems` (1–50, default 50); `NextMarker` continues.
//!
//! ```
//! use aws_lite_fn::layer::LayerFiles;
//! use aws_lite_fn::Lambda;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::new();
//! for _ in 0..3 {
//!     lambda.publish_layer_version().layer_name("tools").content(LayerFiles::new()).send().await?;
//! }
//! let page = lambda.list_layer_versions().layer_name("tools").max_items(2).send().await?;
//! let versions: Vec<u64> = page.layer_versions().iter().map(|v| v.version()).collect();
//! assert_eq!(versions, [3, 2]);
//! let rest = lambda.list_layer_versions().layer_name("tools")
//!     .marker(page.next_marker().unwrap()).send().await?;
//! assert_eq!(rest.layer_versions()[0].version(), 1);
//! assert_eq!(rest.next_marker(), None);
//! # Ok(()) }
//! ```

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::Lambda;
use crate::layer::{LayerVersionsListItem, check_layer_name, check_list_filters, page_size};

/// The input of ListLayerVersions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListLayerVersionsInput {
    /// `LayerName`: a name or a layer ARN.
    #[serde(default)]
    pub layer_name: Option<String>,
    /// `CompatibleRuntime`: only versions compatible with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compatible_runtime: Option<String>,
    /// `CompatibleArchitecture`: only versions compatible with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compatible_architecture: Option<String>,
    /// `Marker`: the `NextMarker` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// `MaxItems` (1–50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<i32>,
}

/// The output of ListLayerVersions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListLayerVersionsOutput {
    layer_versions: Vec<LayerVersionsListItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next_marker: Option<String>,
}

impl ListLayerVersionsOutput {
    /// `LayerVersions`, newest first.
    pub fn layer_versions(&self) -> &[LayerVersionsListItem] {
        &self.layer_versions
    }
    /// `NextMarker`, when more remain.
    pub fn next_marker(&self) -> Option<&str> {
        self.next_marker.as_deref()
    }
}

fluent_builder!(
    /// ListLayerVersions.
    list_layer_versions,
    ListLayerVersionsFluentBuilder,
    ListLayerVersionsInput,
    ListLayerVersionsOutput,
    list_layer_versions
);

setters!(ListLayerVersionsFluentBuilder {
    /// `LayerName`.
    layer_name, set_layer_name: String;
    /// `CompatibleRuntime`.
    compatible_runtime, set_compatible_runtime: String;
    /// `CompatibleArchitecture`.
    compatible_architecture, set_compatible_architecture: String;
    /// `Marker`.
    marker, set_marker: String;
    /// `MaxItems`.
    max_items, set_max_items: i32;
});

/// A marker that sorts newest first: the version counted down from `u64::MAX`.
fn marker_key(version: u64) -> String {
    format!("{:020}", u64::MAX - version)
}

pub(crate) async fn list_layer_versions(
    lambda: &Lambda,
    input: ListLayerVersionsInput,
) -> Result<ListLayerVersionsOutput, Error> {
    let svc = &lambda.inner;
    let raw = input
        .layer_name
        .ok_or_else(|| super::missing("layerName"))?;
    let name = check_layer_name(svc, &raw)?;
    let runtime = input.compatible_runtime.as_deref();
    let architecture = input.compatible_architecture.as_deref();
    check_list_filters(runtime, architecture)?;
    let size = page_size(input.max_items)?;
    let all: Vec<LayerVersionsListItem> = name
        .map(|n| svc.layers.versions(n))
        .unwrap_or_default()
        .iter()
        .filter(|v| v.matches(runtime, architecture))
        .map(|v| v.list_item())
        .collect();
    let (layer_versions, next_marker) = super::paginate(
        all,
        |v| marker_key(v.version()),
        input.marker.as_deref(),
        size,
    );
    Ok(ListLayerVersionsOutput {
        layer_versions,
        next_marker,
    })
}
