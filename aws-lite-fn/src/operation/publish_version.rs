//! PublishVersion: freezes `$LATEST`'s code and configuration as version 1, 2, …
//!
//! # Semantics
//!
//! - A version is immutable: later UpdateFunctionCode / UpdateFunctionConfiguration calls
//!   change `$LATEST` only, and a version keeps its own execution environments.
//! - Publishing when `$LATEST` has not changed since the last version returns that version.
//! - `CodeSha256` and `RevisionId`, when given, must match `$LATEST`'s.
//!
//! ```
//! use aws_lite_fn::{service_fn, Code, Event, Lambda};
//! use serde_json::Value;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::new();
//! let code = Code::from_service(service_fn(|e: Event<Value>| async move {
//!     Ok::<_, std::convert::Infallible>(e.payload)
//! }));
//! lambda.create_function().function_name("f").code(code).send().await?;
//! let v1 = lambda.publish_version().function_name("f").send().await?;
//! assert_eq!(v1.version(), "1");
//! assert!(v1.function_arn().ends_with(":function:f:1"));
//! // Nothing changed: the same version again.
//! assert_eq!(lambda.publish_version().function_name("f").send().await?.version(), "1");
//! lambda.update_function_configuration().function_name("f").timeout(9).send().await?;
//! assert_eq!(lambda.publish_version().function_name("f").send().await?.version(), "2");
//! # Ok(()) }
//! ```

use std::sync::Arc;

use aws_lite_core::Error;
use aws_lite_core::sync::Mutex;
use serde::{Deserialize, Serialize};

use crate::names::{NameUse, parse_target};
use crate::service::LambdaInner;
use crate::state::{FunctionShared, VersionShared};
use crate::{FunctionConfiguration, Lambda, error};

/// The input of PublishVersion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PublishVersionInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Description` of the version (default: `$LATEST`'s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `CodeSha256`: publish only if `$LATEST` has this code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_sha256: Option<String>,
    /// `RevisionId`: publish only if `$LATEST` has this revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
}

/// The output of PublishVersion: the version's configuration.
pub type PublishVersionOutput = FunctionConfiguration;

fluent_builder!(
    /// PublishVersion.
    publish_version,
    PublishVersionFluentBuilder,
    PublishVersionInput,
    PublishVersionOutput,
    publish_version
);

setters!(PublishVersionFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Description`.
    description, set_description: String;
    /// `CodeSha256`.
    code_sha256, set_code_sha256: String;
    /// `RevisionId`.
    revision_id, set_revision_id: String;
});

/// Publishes `$LATEST` (or returns the version it already is).
pub(crate) fn publish(
    svc: &LambdaInner,
    f: &FunctionShared,
    description: Option<String>,
) -> Arc<VersionShared> {
    let mut state = f.state.lock();
    if let Some((_, last)) = state.versions.iter().next_back() {
        if last.source_revision == state.latest_revision {
            return last.clone();
        }
    }
    let n = state.next_version;
    state.next_version += 1;
    let mut config = state.latest.config.clone();
    if let Some(d) = description {
        config.description = d;
    }
    config.revision_id = svc.new_revision_id();
    config.last_modified = svc.now_string();
    let v = Arc::new(VersionShared {
        version: Arc::from(n.to_string()),
        qualified_arn: Arc::from(f.qualified_arn(&n.to_string())),
        config,
        source_revision: state.latest_revision,
        pool: Mutex::new(Default::default()),
    });
    state.versions.insert(n, v.clone());
    v
}

pub(crate) async fn publish_version(
    lambda: &Lambda,
    input: PublishVersionInput,
) -> Result<PublishVersionOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let _span = tracing::debug_span!("lambda.PublishVersion", function = %raw).entered();
    let target = parse_target(&raw, None, NameUse::Unqualified)?;
    if let Some(d) = &input.description {
        crate::config::check_description(d)?;
    }
    let f = svc.lookup(&target.name)?;
    {
        let state = f.state.lock();
        let latest = &state.latest.config;
        if let Some(rev) = &input.revision_id {
            if *rev != latest.revision_id {
                return Err(error::precondition_failed("GetFunction/GetAlias"));
            }
        }
        if let Some(sha) = &input.code_sha256 {
            if *sha != latest.code_sha256 {
                return Err(error::invalid_parameter(format!(
                    "CodeSHA256 ({sha}) is different from current CodeSHA256 in $LATEST ({}). Please try again with the CodeSHA256 in $LATEST.",
                    latest.code_sha256
                )));
            }
        }
    }
    let v = publish(svc, &f, input.description);
    Ok(f.configuration(&v))
}
