//! GetLayerVersionByArn: one version of a layer, by its version ARN.
//!
//! An `Arn` that is not a layer version ARN (`arn:aws:lambda:{region}:{account}:layer:{name}:
//! {version}`, at most 140 characters) is a `ValidationException`; a missing or deleted
//! version, or one of another account or region, is `ResourceNotFoundException`.
//!
//! ```
//! use aws_lite_fn::layer::LayerFiles;
//! use aws_lite_fn::Lambda;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::new();
//! let v = lambda.publish_layer_version().layer_name("tools")
//!     .content(LayerFiles::new()).send().await?;
//! let same = lambda.get_layer_version_by_arn().arn(v.layer_version_arn()).send().await?;
//! assert_eq!(same, v);
//! let err = lambda.get_layer_version_by_arn().arn(v.layer_arn()).send().await.unwrap_err();
//! assert_eq!(err.code(), "ValidationException");
//! # Ok(()) }
//! ```

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::layer::{LAYER_VERSION_ARN_PATTERN, LayerVersion, not_found, parse_layer_arn};
use crate::{Lambda, error};

/// The input of GetLayerVersionByArn.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetLayerVersionByArnInput {
    /// `Arn`: the layer version's ARN.
    #[serde(default)]
    pub arn: Option<String>,
}

/// The output of GetLayerVersionByArn.
pub type GetLayerVersionByArnOutput = LayerVersion;

fluent_builder!(
    /// GetLayerVersionByArn.
    get_layer_version_by_arn,
    GetLayerVersionByArnFluentBuilder,
    GetLayerVersionByArnInput,
    GetLayerVersionByArnOutput,
    get_layer_version_by_arn
);

setters!(GetLayerVersionByArnFluentBuilder {
    /// `Arn`.
    arn, set_arn: String;
});

pub(crate) async fn get_layer_version_by_arn(
    lambda: &Lambda,
    input: GetLayerVersionByArnInput,
) -> Result<GetLayerVersionByArnOutput, Error> {
    let svc = &lambda.inner;
    let arn = input.arn.ok_or_else(|| super::missing("arn"))?;
    if arn.is_empty() {
        return Err(error::validation(
            &arn,
            "arn",
            "Member must have length greater than or equal to 1",
        ));
    }
    if arn.chars().count() > 140 {
        return Err(error::validation(
            &arn,
            "arn",
            "Member must have length less than or equal to 140",
        ));
    }
    let parsed = parse_layer_arn(&arn)
        .filter(|p| p.version.is_some())
        .ok_or_else(|| {
            error::validation(
                &arn,
                "arn",
                &format!(
                    "Member must satisfy regular expression pattern: {LAYER_VERSION_ARN_PATTERN}"
                ),
            )
        })?;
    if parsed.region != svc.region.as_str() || parsed.account != svc.account.as_str() {
        return Err(not_found());
    }
    parsed
        .version
        .and_then(|n| svc.layers.get(parsed.name, n))
        .map(|v| v.describe())
        .ok_or_else(not_found)
}
