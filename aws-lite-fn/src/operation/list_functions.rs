//! ListFunctions: every function's `$LATEST` configuration, by name, 50 a page.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::{FunctionConfiguration, Lambda};

/// The input of ListFunctions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListFunctionsInput {
    /// `Marker`: the `NextMarker` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// `MaxItems`: 1–10,000 (at most 50 are returned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<i32>,
}

/// The output of ListFunctions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListFunctionsOutput {
    functions: Vec<FunctionConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_marker: Option<String>,
}

impl ListFunctionsOutput {
    /// `Functions`.
    pub fn functions(&self) -> &[FunctionConfiguration] {
        &self.functions
    }
    /// `NextMarker`.
    pub fn next_marker(&self) -> Option<&str> {
        self.next_marker.as_deref()
    }
}

fluent_builder!(
    /// ListFunctions.
    list_functions,
    ListFunctionsFluentBuilder,
    ListFunctionsInput,
    ListFunctionsOutput,
    list_functions
);

setters!(ListFunctionsFluentBuilder {
    /// `Marker`.
    marker, set_marker: String;
    /// `MaxItems`.
    max_items, set_max_items: i32;
});

pub(crate) async fn list_functions(
    lambda: &Lambda,
    input: ListFunctionsInput,
) -> Result<ListFunctionsOutput, Error> {
    let size = super::page_size(input.max_items)?;
    let all: Vec<FunctionConfiguration> = lambda
        .inner
        .read_functions()
        .values()
        .map(|f| {
            let latest = f.state.lock().latest.clone();
            f.configuration(&latest)
        })
        .collect();
    let (functions, next_marker) = super::paginate(
        all,
        |c| c.function_name.clone(),
        input.marker.as_deref(),
        size,
    );
    Ok(ListFunctionsOutput {
        functions,
        next_marker,
    })
}
