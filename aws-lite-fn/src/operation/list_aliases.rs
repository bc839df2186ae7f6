//! ListAliases: a function's aliases by name, optionally only those of one version.

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::names::{NameUse, parse_target};
use crate::{AliasConfiguration, Lambda};

/// The input of ListAliases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListAliasesInput {
    /// `FunctionName`.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `FunctionVersion`: only aliases of this version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_version: Option<String>,
    /// `Marker`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// `MaxItems`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<i32>,
}

/// The output of ListAliases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListAliasesOutput {
    aliases: Vec<AliasConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_marker: Option<String>,
}

impl ListAliasesOutput {
    /// `Aliases`.
    pub fn aliases(&self) -> &[AliasConfiguration] {
        &self.aliases
    }
    /// `NextMarker`.
    pub fn next_marker(&self) -> Option<&str> {
        self.next_marker.as_deref()
    }
}

fluent_builder!(
    /// ListAliases.
    list_aliases,
    ListAliasesFluentBuilder,
    ListAliasesInput,
    ListAliasesOutput,
    list_aliases
);

setters!(ListAliasesFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `FunctionVersion`.
    function_version, set_function_version: String;
    /// `Marker`.
    marker, set_marker: String;
    /// `MaxItems`.
    max_items, set_max_items: i32;
});

pub(crate) async fn list_aliases(
    lambda: &Lambda,
    input: ListAliasesInput,
) -> Result<ListAliasesOutput, Error> {
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, None, NameUse::Unqualified)?;
    let size = super::page_size(input.max_items)?;
    let f = lambda.inner.lookup(&target.name)?;
    let all: Vec<AliasConfiguration> = f
        .state
        .lock()
        .aliases
        .values()
        .filter(|a| {
            input
                .function_version
                .as_ref()
                .is_none_or(|v| *v == a.function_version)
        })
        .map(|a| f.alias_configuration(a))
        .collect();
    let (aliases, next_marker) =
        super::paginate(all, |a| a.name.clone(), input.marker.as_deref(), size);
    Ok(ListAliasesOutput {
        aliases,
        next_marker,
    })
}
