//! GetLayerVersion: one version of a layer, by name (or layer ARN) and number.
//!
//! A `VersionNumber` below 1 is `InvalidParameterValueException` (`Layer Version Cannot be
//! less than 1`); a missing layer or version, or one deleted, is `ResourceNotFoundException`
//! (`The resource you requested does not exist.`).
//!
//! ```
//! use aws_lite_fn::layer::LayerFiles;
//! use aws_lite_fn::Lambda;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::new();
//! lambda.publish_layer_version().layer_name("tools")
//!     .content(LayerFiles::new().with_file("bin/tool", "#!/bin/sh")).send().await?;
//! let v = lambda.get_layer_version().layer_name("tools").version_number(1).send().await?;
//! assert_eq!(v.files().get_str("bin/tool"), Some("#!/bin/sh"));
//! let err = lambda.get_layer_version().layer_name("tools").version_number(2).send().await.unwrap_err();
//! assert_eq!(err.code(), "ResourceNotFoundException");
//! # Ok(()) }
//! ```

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::Lambda;
use crate::layer::{LayerVersion, check_layer_name, check_version_number, not_found};

/// The input of GetLayerVersion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetLayerVersionInput {
    /// `LayerName`: a name or a layer ARN.
    #[serde(default)]
    pub layer_name: Option<String>,
    /// `VersionNumber`.
    #[serde(default)]
    pub version_number: Option<i64>,
}

/// The output of GetLayerVersion.
pub type GetLayerVersionOutput = LayerVersion;

fluent_builder!(
    /// GetLayerVersion.
    get_layer_version,
    GetLayerVersionFluentBuilder,
    GetLayerVersionInput,
    GetLayerVersionOutput,
    get_layer_version
);

setters!(GetLayerVersionFluentBuilder {
    /// `LayerName`.
    layer_name, set_layer_name: String;
    /// `VersionNumber`.
    version_number, set_version_number: i64;
});

pub(crate) async fn get_layer_version(
    lambda: &Lambda,
    input: GetLayerVersionInput,
) -> Result<GetLayerVersionOutput, Error> {
    let svc = &lambda.inner;
    let raw = input
        .layer_name
        .ok_or_else(|| super::missing("layerName"))?;
    let name = check_layer_name(svc, &raw)?;
    let version = check_version_number(input.version_number)?;
    name.and_then(|n| svc.layers.get(n, version))
        .map(|v| v.describe())
        .ok_or_else(not_found)
}
