//! UpdateFunctionCode: gives `$LATEST` new code (a new INIT factory).
//!
//! Environments of the old `$LATEST` finish what they run and are not reused: the next
//! invocation of `$LATEST` is a cold start with the new code. Published versions keep theirs.
//! `Publish` also publishes the result; `RevisionId`, when given, must match.

use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::handler::Code;
use crate::names::{NameUse, parse_target};
use crate::service::latest_version;
use crate::{FunctionConfiguration, Lambda, error};

/// The input of UpdateFunctionCode.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UpdateFunctionCodeInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Publish`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish: Option<bool>,
    /// `RevisionId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
    /// The new code (not on the wire).
    #[serde(skip)]
    pub code: Option<Code>,
}

/// The output of UpdateFunctionCode: the configuration of `$LATEST` (or of the version
/// published).
pub type UpdateFunctionCodeOutput = FunctionConfiguration;

fluent_builder!(
    /// UpdateFunctionCode.
    update_function_code,
    UpdateFunctionCodeFluentBuilder,
    UpdateFunctionCodeInput,
    UpdateFunctionCodeOutput,
    update_function_code
);

setters!(UpdateFunctionCodeFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Publish`.
    publish, set_publish: bool;
    /// `RevisionId`.
    revision_id, set_revision_id: String;
    /// The new code.
    code, set_code: Code;
});

pub(crate) async fn update_function_code(
    lambda: &Lambda,
    input: UpdateFunctionCodeInput,
) -> Result<UpdateFunctionCodeOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, None, NameUse::Unqualified)?;
    let code = input.code.ok_or_else(|| super::missing("code"))?;
    let f = svc.lookup(&target.name)?;
    let latest = {
        let mut state = f.state.lock();
        if let Some(rev) = &input.revision_id {
            if *rev != state.latest.config.revision_id {
                return Err(error::precondition_failed("GetFunction/GetAlias"));
            }
        }
        let mut config = state.latest.config.clone();
        config.code = code;
        config.code_sha256 = svc.code_sha256();
        config.revision_id = svc.new_revision_id();
        config.last_modified = svc.now_string();
        state.latest_revision += 1;
        state.latest = Arc::new(latest_version(&f.arn, config, state.latest_revision));
        state.latest.clone()
    };
    if input.publish == Some(true) {
        let v = super::publish_version::publish(svc, &f, None);
        return Ok(f.configuration(&v));
    }
    Ok(f.configuration(&latest))
}
