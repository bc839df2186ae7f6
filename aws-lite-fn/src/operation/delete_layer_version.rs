//! DeleteLayerVersion: deletes one version of a layer.
//!
//! Deleted versions can no longer be read, listed or added to functions; the functions that
//! already use one keep its files (Lambda keeps a copy until no function refers to it). The
//! version number is not reused. Deleting a version that does not exist succeeds (the call is
//! idempotent); a `VersionNumber` below 1 is `InvalidParameterValueException`.
//!
//! ```
//! use aws_lite_fn::layer::LayerFiles;
//! use aws_lite_fn::Lambda;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::new();
//! lambda.publish_layer_version().layer_name("tools").content(LayerFiles::new()).send().await?;
//! lambda.delete_layer_version().layer_name("tools").version_number(1).send().await?;
//! lambda.delete_layer_version().layer_name("tools").version_number(1).send().await?;
//! let next = lambda.publish_layer_version().layer_name("tools").content(LayerFiles::new())
//!     .send().await?;
//! assert_eq!(next.version(), 2);
//! # Ok(()) }
//! ```

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::Lambda;
use crate::layer::{check_layer_name, check_version_number};

/// The input of DeleteLayerVersion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DeleteLayerVersionInput {
    /// `LayerName`: a name or a layer ARN.
    #[serde(default)]
    pub layer_name: Option<String>,
    /// `VersionNumber`.
    #[serde(default)]
    pub version_number: Option<i64>,
}

/// The output of DeleteLayerVersion (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeleteLayerVersionOutput {}

fluent_builder!(
    /// DeleteLayerVersion.
    delete_layer_version,
    DeleteLayerVersionFluentBuilder,
    DeleteLayerVersionInput,
    DeleteLayerVersionOutput,
    delete_layer_version
);

setters!(DeleteLayerVersionFluentBuilder {
    /// `LayerName`.
    layer_name, set_layer_name: String;
    /// `VersionNumber`.
    version_number, set_version_number: i64;
});

pub(crate) async fn delete_layer_version(
    lambda: &Lambda,
    input: DeleteLayerVersionInput,
) -> Result<DeleteLayerVersionOutput, Error> {
    let svc = &lambda.inner;
    let raw = input
        .layer_name
        .ok_or_else(|| super::missing("layerName"))?;
    let name = check_layer_name(svc, &raw)?;
    let version = check_version_number(input.version_number)?;
    if let Some(name) = name {
        svc.layers.delete(name, version);
    }
    Ok(DeleteLayerVersionOutput {})
}
