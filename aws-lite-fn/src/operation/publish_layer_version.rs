//! PublishLayerVersion: adds a version to a layer, creating the layer on first use.
//!
//! # Semantics
//!
//! - `LayerName` is a name (`[a-zA-Z0-9-_]+`) or a layer ARN of this account and region, at
//!   most 140 characters; each call adds the next version, starting at 1; numbers are never
//!   reused, even after DeleteLayerVersion.
//! - `Content` is required: in process, a [`LayerFiles`] set (not on the wire).
//! - `Description` at most 256 characters, `LicenseInfo` at most 512, `CompatibleRuntimes` at
//!   most 15 of Lambda's runtime identifiers ([`layer::RUNTIMES`](crate::layer::RUNTIMES)),
//!   `CompatibleArchitectures` at most 2 of `x86_64`, `arm64`; otherwise a
//!   `ValidationException` listing every failed constraint.
//! - A layer ARN of another account or region is `ResourceNotFoundException` (aws-lite holds
//!   one account in one region).
//!
//! ```
//! use aws_lite_fn::layer::LayerFiles;
//! use aws_lite_fn::Lambda;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::new();
//! let v1 = lambda.publish_layer_version().layer_name("tools")
//!     .content(LayerFiles::new().with_file("bin/jq", vec![0u8; 10]))
//!     .compatible_runtimes(vec!["provided.al2023".to_owned()])
//!     .license_info("MIT")
//!     .send().await?;
//! assert_eq!(v1.version(), 1);
//! assert!(v1.layer_version_arn().ends_with(":layer:tools:1"));
//! assert_eq!(v1.content().code_size(), 10);
//!
//! let err = lambda.publish_layer_version().layer_name("tools")
//!     .content(LayerFiles::new())
//!     .compatible_architectures(vec!["sparc".to_owned()])
//!     .send().await.unwrap_err();
//! assert_eq!(err.code(), "ValidationException");
//! # Ok(()) }
//! ```

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::Lambda;
use crate::layer::{
    ARCHITECTURES, LayerFiles, LayerVersion, NewLayerVersion, RUNTIMES, check_layer_name,
    runtimes_list, validation_errors,
};

/// The input of PublishLayerVersion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PublishLayerVersionInput {
    /// `LayerName`: a name or a layer ARN.
    #[serde(default)]
    pub layer_name: Option<String>,
    /// `Content`: in process, the layer's files (not on the wire).
    #[serde(skip)]
    pub content: Option<LayerFiles>,
    /// `Description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `CompatibleRuntimes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compatible_runtimes: Option<Vec<String>>,
    /// `CompatibleArchitectures`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compatible_architectures: Option<Vec<String>>,
    /// `LicenseInfo`: an SPDX identifier, a URL or the license's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_info: Option<String>,
}

/// The output of PublishLayerVersion: the new version.
pub type PublishLayerVersionOutput = LayerVersion;

fluent_builder!(
    /// PublishLayerVersion.
    publish_layer_version,
    PublishLayerVersionFluentBuilder,
    PublishLayerVersionInput,
    PublishLayerVersionOutput,
    publish_layer_version
);

setters!(PublishLayerVersionFluentBuilder {
    /// `LayerName`.
    layer_name, set_layer_name: String;
    /// `Content`: the layer's files.
    content, set_content: LayerFiles;
    /// `Description`.
    description, set_description: String;
    /// `CompatibleRuntimes`.
    compatible_runtimes, set_compatible_runtimes: Vec<String>;
    /// `CompatibleArchitectures`.
    compatible_architectures, set_compatible_architectures: Vec<String>;
    /// `LicenseInfo`.
    license_info, set_license_info: String;
});

impl PublishLayerVersionFluentBuilder {
    /// Adds one file to `Content`.
    pub fn file(mut self, path: impl AsRef<str>, contents: impl Into<Vec<u8>>) -> Self {
        self.input
            .content
            .get_or_insert_with(LayerFiles::new)
            .insert(path, contents);
        self
    }
}

fn list_value(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

pub(crate) async fn publish_layer_version(
    lambda: &Lambda,
    input: PublishLayerVersionInput,
) -> Result<PublishLayerVersionOutput, Error> {
    let svc = &lambda.inner;
    let raw = input
        .layer_name
        .ok_or_else(|| super::missing("layerName"))?;
    let _span = tracing::debug_span!("lambda.PublishLayerVersion", layer = %raw).entered();
    let name = check_layer_name(svc, &raw)?;
    let runtimes = input.compatible_runtimes.unwrap_or_default();
    let architectures = input.compatible_architectures.unwrap_or_default();
    let description = input.description.unwrap_or_default();
    let mut errors = Vec::new();
    if runtimes.len() > 15 {
        errors.push(format!(
            "Value '{}' at 'compatibleRuntimes' failed to satisfy constraint: Member must have length less than or equal to 15",
            list_value(&runtimes)
        ));
    } else if runtimes.iter().any(|r| !RUNTIMES.contains(&r.as_str())) {
        errors.push(format!(
            "Value '{}' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy enum value set: {}",
            list_value(&runtimes),
            runtimes_list()
        ));
    }
    if architectures.len() > 2 {
        errors.push(format!(
            "Value '{}' at 'compatibleArchitectures' failed to satisfy constraint: Member must have length less than or equal to 2",
            list_value(&architectures)
        ));
    } else if architectures
        .iter()
        .any(|a| !ARCHITECTURES.contains(&a.as_str()))
    {
        errors.push(format!(
            "Value '{}' at 'compatibleArchitectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]",
            list_value(&architectures)
        ));
    }
    if description.chars().count() > 256 {
        errors.push(format!(
            "Value '{description}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256"
        ));
    }
    if let Some(l) = &input.license_info {
        if l.chars().count() > 512 {
            errors.push(format!(
                "Value '{l}' at 'licenseInfo' failed to satisfy constraint: Member must have length less than or equal to 512"
            ));
        }
    }
    validation_errors(errors)?;
    let files = input.content.ok_or_else(|| super::missing("content"))?;
    let Some(name) = name else {
        return Err(crate::layer::not_found());
    };
    let v = svc.layers.publish(
        svc,
        name,
        NewLayerVersion {
            description,
            compatible_runtimes: runtimes,
            compatible_architectures: architectures,
            license_info: input.license_info,
            files,
        },
    );
    Ok(v.describe())
}
