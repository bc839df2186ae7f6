//! ListVersionsByFunction: `$LATEST` and every published version, in order.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::names::{NameUse, parse_target};
use crate::{FunctionConfiguration, Lambda};

/// The input of ListVersionsByFunction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListVersionsByFunctionInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Marker`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// `MaxItems`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<i32>,
}

/// The output of ListVersionsByFunction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListVersionsByFunctionOutput {
    versions: Vec<FunctionConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_marker: Option<String>,
}

impl ListVersionsByFunctionOutput {
    /// `Versions`: `$LATEST` first, then 1, 2, …
    pub fn versions(&self) -> &[FunctionConfiguration] {
        &self.versions
    }
    /// `NextMarker`.
    pub fn next_marker(&self) -> Option<&str> {
        self.next_marker.as_deref()
    }
}

fluent_builder!(
    /// ListVersionsByFunction.
    list_versions_by_function,
    ListVersionsByFunctionFluentBuilder,
    ListVersionsByFunctionInput,
    ListVersionsByFunctionOutput,
    list_versions_by_function
);

setters!(ListVersionsByFunctionFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Marker`.
    marker, set_marker: String;
    /// `MaxItems`.
    max_items, set_max_items: i32;
});

pub(crate) async fn list_versions_by_function(
    lambda: &Lambda,
    input: ListVersionsByFunctionInput,
) -> Result<ListVersionsByFunctionOutput, Error> {
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, None, NameUse::Unqualified)?;
    let size = super::page_size(input.max_items)?;
    let f = lambda.inner.lookup(&target.name)?;
    let all: Vec<(String, FunctionConfiguration)> = {
        let state = f.state.lock();
        std::iter::once(("".to_owned(), f.configuration(&state.latest)))
            .chain(
                state
                    .versions
                    .iter()
                    .map(|(n, v)| (format!("{n:010}"), f.configuration(v))),
            )
            .collect()
    };
    let (page, next) = super::paginate(all, |(k, _)| k.clone(), input.marker.as_deref(), size);
    Ok(ListVersionsByFunctionOutput {
        versions: page.into_iter().map(|(_, c)| c).collect(),
        next_marker: next,
    })
}
