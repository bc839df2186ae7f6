//! A function's state: `$LATEST`, its published versions, aliases and concurrency settings.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use aws_lite_core::sync::{AtomicU64, Mutex};
use serde::{Deserialize, Serialize};

use crate::config::Environment;
use crate::env::Pool;
use crate::handler::Code;
use crate::metrics::Counters;

/// `u64::MAX` in [`FunctionShared::reserved`]: no reserved concurrency.
pub(crate) const NO_RESERVATION: u64 = u64::MAX;

pub(crate) struct FunctionShared {
    pub(crate) name: Arc<str>,
    /// The unqualified ARN.
    pub(crate) arn: Arc<str>,
    /// The log group, `/aws/lambda/{name}`.
    pub(crate) log_group: Arc<str>,
    pub(crate) state: Mutex<FunctionState>,
    /// Reserved concurrency, or [`NO_RESERVATION`]; read lock-free when invoking.
    pub(crate) reserved: AtomicU64,
    pub(crate) counters: Counters,
}

pub(crate) struct FunctionState {
    pub(crate) latest: Arc<VersionShared>,
    pub(crate) versions: BTreeMap<u32, Arc<VersionShared>>,
    pub(crate) next_version: u32,
    pub(crate) aliases: BTreeMap<String, AliasState>,
    /// Provisioned concurrency configurations by qualifier (version number or alias name).
    pub(crate) provisioned: BTreeMap<String, ProvisionedState>,
    /// Bumped by every change to `$LATEST`'s code or configuration.
    pub(crate) latest_revision: u64,
    /// Asynchronous invocation configurations by qualifier (`$LATEST`, a version or an alias).
    pub(crate) event_invoke: BTreeMap<String, crate::event_invoke::EventInvokeState>,
}

/// One version's immutable snapshot and its environments.
pub(crate) struct VersionShared {
    /// `$LATEST` or the version number.
    pub(crate) version: Arc<str>,
    /// The function's ARN qualified with [`version`](VersionShared::version): what an invocation
    /// naming this version reports as its invoked ARN.
    pub(crate) qualified_arn: Arc<str>,
    pub(crate) config: VersionConfig,
    /// The `$LATEST` revision this snapshot was taken from.
    pub(crate) source_revision: u64,
    pub(crate) pool: Mutex<Pool>,
}

/// Code and configuration: what PublishVersion freezes.
#[derive(Clone)]
pub(crate) struct VersionConfig {
    pub(crate) description: String,
    pub(crate) timeout: u32,
    pub(crate) memory_size: u32,
    pub(crate) environment: Arc<BTreeMap<String, String>>,
    pub(crate) code: Code,
    pub(crate) code_sha256: String,
    pub(crate) revision_id: String,
    pub(crate) last_modified: String,
    /// `DeadLetterConfig.TargetArn`: version configuration, frozen by PublishVersion.
    pub(crate) dead_letter_target: Option<String>,
    /// `Layers`: the layer versions (held, so deleting one does not break the function) and
    /// their merged files; frozen by PublishVersion.
    pub(crate) layers: crate::layer::FunctionLayers,
}

#[derive(Clone)]
pub(crate) struct AliasState {
    pub(crate) name: String,
    /// The alias ARN: what an invocation through the alias reports as its invoked ARN.
    pub(crate) arn: Arc<str>,
    pub(crate) function_version: String,
    pub(crate) description: String,
    pub(crate) routing: Option<(String, f64)>,
    pub(crate) revision_id: String,
}

pub(crate) struct ProvisionedState {
    pub(crate) requested: u32,
    /// The version whose environments it keeps.
    pub(crate) version: Arc<VersionShared>,
    pub(crate) last_modified: String,
}

/// A function version's configuration, as GetFunction, CreateFunction, PublishVersion and the
/// list operations return it (`FunctionConfiguration`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FunctionConfiguration {
    pub(crate) function_name: String,
    pub(crate) function_arn: String,
    pub(crate) runtime: String,
    pub(crate) description: String,
    pub(crate) timeout: u32,
    pub(crate) memory_size: u32,
    pub(crate) last_modified: String,
    pub(crate) code_sha256: String,
    pub(crate) code_size: u64,
    pub(crate) version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) environment: Option<Environment>,
    pub(crate) revision_id: String,
    pub(crate) state: String,
    pub(crate) last_update_status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) dead_letter_config: Option<crate::event_invoke::DeadLetterConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) layers: Vec<crate::layer::Layer>,
}

impl FunctionConfiguration {
    /// `FunctionName`.
    pub fn function_name(&self) -> &str {
        &self.function_name
    }
    /// `FunctionArn`: qualified with the version for published versions.
    pub fn function_arn(&self) -> &str {
        &self.function_arn
    }
    /// `Runtime`: `provided.al2023`, the OS-only runtime Rust functions deploy on.
    pub fn runtime(&self) -> &str {
        &self.runtime
    }
    /// `Description`.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// `Timeout`, in seconds.
    pub fn timeout(&self) -> u32 {
        self.timeout
    }
    /// `MemorySize`, in MB.
    pub fn memory_size(&self) -> u32 {
        self.memory_size
    }
    /// `LastModified`, as Lambda formats it (`2024-01-01T00:00:00.000+0000`).
    pub fn last_modified(&self) -> &str {
        &self.last_modified
    }
    /// `CodeSha256`: base64 of an id unique to the [`Code`] value.
    pub fn code_sha256(&self) -> &str {
        &self.code_sha256
    }
    /// `Version`: `$LATEST` or the version number.
    pub fn version(&self) -> &str {
        &self.version
    }
    /// `Environment.Variables`.
    pub fn environment_variables(&self) -> Option<&BTreeMap<String, String>> {
        self.environment.as_ref().map(|e| &e.variables)
    }
    /// `RevisionId`.
    pub fn revision_id(&self) -> &str {
        &self.revision_id
    }
    /// `State`: always `Active` (functions are ready as soon as they are created).
    pub fn state(&self) -> &str {
        &self.state
    }
    /// `DeadLetterConfig`: the queue that receives asynchronous events that failed.
    pub fn dead_letter_config(&self) -> Option<&crate::event_invoke::DeadLetterConfig> {
        self.dead_letter_config.as_ref()
    }
    /// `Layers`: the version's layers, in order, as `{Arn, CodeSize}`.
    pub fn layers(&self) -> &[crate::layer::Layer] {
        &self.layers
    }
}

/// An alias, as CreateAlias, GetAlias, UpdateAlias and ListAliases return it
/// (`AliasConfiguration`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AliasConfiguration {
    pub(crate) alias_arn: String,
    pub(crate) name: String,
    pub(crate) function_version: String,
    pub(crate) description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) routing_config: Option<AliasRoutingConfiguration>,
    pub(crate) revision_id: String,
}

impl AliasConfiguration {
    /// `AliasArn`.
    pub fn alias_arn(&self) -> &str {
        &self.alias_arn
    }
    /// `Name`.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// `FunctionVersion`: the version the alias points to.
    pub fn function_version(&self) -> &str {
        &self.function_version
    }
    /// `Description`.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// `RoutingConfig`.
    pub fn routing_config(&self) -> Option<&AliasRoutingConfiguration> {
        self.routing_config.as_ref()
    }
    /// `RevisionId`.
    pub fn revision_id(&self) -> &str {
        &self.revision_id
    }
}

/// `RoutingConfig`: at most one extra version and the share of traffic (0–1) it receives.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AliasRoutingConfiguration {
    /// `AdditionalVersionWeights`: version → weight.
    #[serde(default)]
    pub additional_version_weights: HashMap<String, f64>,
}

impl AliasRoutingConfiguration {
    /// A routing configuration sending `weight` of the traffic to `version`.
    pub fn new(version: impl Into<String>, weight: f64) -> AliasRoutingConfiguration {
        let mut additional_version_weights = HashMap::new();
        additional_version_weights.insert(version.into(), weight);
        AliasRoutingConfiguration {
            additional_version_weights,
        }
    }
}

impl FunctionShared {
    pub(crate) fn qualified_arn(&self, qualifier: &str) -> String {
        format!("{}:{qualifier}", self.arn)
    }

    pub(crate) fn configuration(&self, v: &VersionShared) -> FunctionConfiguration {
        let c = &v.config;
        FunctionConfiguration {
            function_name: self.name.to_string(),
            function_arn: if &*v.version == "$LATEST" {
                self.arn.to_string()
            } else {
                v.qualified_arn.to_string()
            },
            runtime: "provided.al2023".to_owned(),
            description: c.description.clone(),
            timeout: c.timeout,
            memory_size: c.memory_size,
            last_modified: c.last_modified.clone(),
            code_sha256: c.code_sha256.clone(),
            code_size: 0,
            version: v.version.to_string(),
            environment: (!c.environment.is_empty())
                .then(|| Environment::new((*c.environment).clone())),
            revision_id: c.revision_id.clone(),
            state: "Active".to_owned(),
            last_update_status: "Successful".to_owned(),
            dead_letter_config: c
                .dead_letter_target
                .as_ref()
                .map(|t| crate::event_invoke::DeadLetterConfig::new(t.clone())),
            layers: c.layers.describe(),
        }
    }

    pub(crate) fn alias_configuration(&self, a: &AliasState) -> AliasConfiguration {
        AliasConfiguration {
            alias_arn: a.arn.to_string(),
            name: a.name.clone(),
            function_version: a.function_version.clone(),
            description: a.description.clone(),
            routing_config: a
                .routing
                .as_ref()
                .map(|(v, w)| AliasRoutingConfiguration::new(v.clone(), *w)),
            revision_id: a.revision_id.clone(),
        }
    }
}

/// Lambda's `LastModified` format, `2024-01-01T00:00:00.000+0000`, from epoch milliseconds.
pub(crate) fn lambda_date(epoch_ms: u64) -> String {
    let secs = epoch_ms / 1000;
    let ms = epoch_ms % 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (h, m, s) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}.{ms:03}+0000")
}

#[cfg(test)]
mod tests {
    #[test]
    fn lambda_dates() {
        assert_eq!(super::lambda_date(0), "1970-01-01T00:00:00.000+0000");
        assert_eq!(
            super::lambda_date(1_558_803_648_260),
            "2019-05-25T17:00:48.260+0000"
        );
    }
}
