//! Limits, function configuration and its validation.
//!
//! # Configuration
//!
//! A function's configuration is what CreateFunction and UpdateFunctionConfiguration set:
//! `Timeout` (1–900 s, default 3), `MemorySize` (128–10,240 MB, default 128), `Description`
//! (at most 256 characters) and `Environment.Variables` (at most 4 KB, measured as Lambda does:
//! the variables serialized as compact JSON). Values out of range are rejected with Lambda's
//! `ValidationException` or `InvalidParameterValueException`, and nothing changes.
//!
//! # Limits
//!
//! [`Limits`] holds the account-level figures with today's AWS defaults: 1,000 concurrent
//! executions, 100 of them always unreserved, 6 MB synchronous and 1 MB asynchronous payloads,
//! 6 MB responses, a 10-second INIT, asynchronous retries after 1 and then 2 minutes, a 6-hour maximum event
//! age, 250 MB of unzipped code and layers, 5 filters per event source mapping. Tests shrink
//! them:
//!
//! ```
//! use aws_lite_fn::Limits;
//!
//! let limits = Limits::default().with_concurrent_executions(10).with_minimum_unreserved(2);
//! assert_eq!(limits.concurrent_executions, 10);
//! assert_eq!(Limits::default().sync_payload_bytes, 6 * 1024 * 1024);
//! assert_eq!(Limits::default().async_payload_bytes, 1024 * 1024);
//! assert_eq!(Limits::default().unzipped_code_bytes, 262_144_000);
//! assert_eq!(Limits::default().event_source_mapping_filters, 5);
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::error;

/// Account-level limits, with today's AWS defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The account's concurrency limit (`ConcurrentExecutions`): 1,000.
    pub concurrent_executions: u32,
    /// Concurrency that reserved concurrency may never take from the unreserved pool: 100.
    pub minimum_unreserved: u32,
    /// The largest synchronous (`RequestResponse`, `DryRun`) payload: 6 MB (6,291,456 bytes).
    pub sync_payload_bytes: usize,
    /// The largest asynchronous (`Event`) payload: 1 MB (1,048,576 bytes; 256 KB before
    /// October 2025).
    pub async_payload_bytes: usize,
    /// The largest response a function may return, as compact JSON: 6 MB as Lambda counts it,
    /// 6,291,556 bytes (the figure of its `Function.ResponseSizeTooLarge` message, 100 bytes
    /// more than 6 MiB).
    pub response_bytes: usize,
    /// The INIT phase's limit: 10 s. An INIT that runs longer is retried once within the first
    /// invocation, under the function's timeout.
    pub init_timeout: Duration,
    /// How long an idle on-demand environment lives before it is reclaimed. AWS publishes no
    /// figure (observed lifetimes run from minutes to hours); the default is 10 minutes.
    pub idle_timeout: Duration,
    /// The delays before the retries of a failed asynchronous event: 1 min, then 2 min.
    pub async_retry_delays: Vec<Duration>,
    /// How long an asynchronous event is kept before it is dropped: 6 h (21,600 s).
    pub maximum_event_age: Duration,
    /// The largest environment-variable set, as compact JSON: 4 KB (4,096 bytes).
    pub environment_bytes: usize,
    /// The largest unzipped deployment package, function code and layers together: 250 MB
    /// (262,144,000 bytes). aws-lite's function code is an in-process factory that weighs
    /// nothing, so only the layers' files count.
    pub unzipped_code_bytes: u64,
    /// The most filters an event source mapping's `FilterCriteria` may hold: 5 (a quota AWS
    /// raises to at most 10 on request).
    pub event_source_mapping_filters: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            concurrent_executions: 1000,
            minimum_unreserved: 100,
            sync_payload_bytes: 6 * 1024 * 1024,
            async_payload_bytes: 1024 * 1024,
            response_bytes: 6_291_556,
            init_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(600),
            async_retry_delays: vec![Duration::from_secs(60), Duration::from_secs(120)],
            maximum_event_age: Duration::from_secs(21_600),
            environment_bytes: 4096,
            unzipped_code_bytes: 262_144_000,
            event_source_mapping_filters: 5,
        }
    }
}

impl Limits {
    /// The account concurrency limit.
    pub fn with_concurrent_executions(mut self, n: u32) -> Limits {
        self.concurrent_executions = n;
        self
    }

    /// The unreserved concurrency that reservations must leave.
    pub fn with_minimum_unreserved(mut self, n: u32) -> Limits {
        self.minimum_unreserved = n;
        self
    }

    /// The idle time after which an on-demand environment is reclaimed.
    pub fn with_idle_timeout(mut self, d: Duration) -> Limits {
        self.idle_timeout = d;
        self
    }

    /// The INIT limit.
    pub fn with_init_timeout(mut self, d: Duration) -> Limits {
        self.init_timeout = d;
        self
    }

    /// The unzipped size limit of function code and layers together, in bytes.
    pub fn with_unzipped_code_bytes(mut self, bytes: u64) -> Limits {
        self.unzipped_code_bytes = bytes;
        self
    }

    /// The most filters per event source mapping (AWS's quota: 5 by default, at most 10).
    pub fn with_event_source_mapping_filters(mut self, n: usize) -> Limits {
        self.event_source_mapping_filters = n;
        self
    }
}

/// The default function timeout, in seconds.
pub(crate) const DEFAULT_TIMEOUT: i32 = 3;
/// The default memory size, in MB.
pub(crate) const DEFAULT_MEMORY: i32 = 128;

/// `Environment` as Lambda spells it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Environment {
    /// The variables.
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
}

impl Environment {
    /// An environment with these variables.
    pub fn new(variables: BTreeMap<String, String>) -> Environment {
        Environment { variables }
    }
}

pub(crate) fn check_timeout(t: i32) -> Result<u32, Error> {
    if t < 1 {
        return Err(error::validation(
            t,
            "timeout",
            "Member must have value greater than or equal to 1",
        ));
    }
    if t > 900 {
        return Err(error::validation(
            t,
            "timeout",
            "Member must have value less than or equal to 900",
        ));
    }
    Ok(t.unsigned_abs())
}

pub(crate) fn check_memory(m: i32) -> Result<u32, Error> {
    if m < 128 {
        return Err(error::validation(
            m,
            "memorySize",
            "Member must have value greater than or equal to 128",
        ));
    }
    if m > 10_240 {
        return Err(error::validation(
            m,
            "memorySize",
            "Member must have value less than or equal to 10240",
        ));
    }
    Ok(m.unsigned_abs())
}

pub(crate) fn check_description(d: &str) -> Result<(), Error> {
    if d.chars().count() > 256 {
        return Err(error::validation(
            d,
            "description",
            "Member must have length less than or equal to 256",
        ));
    }
    Ok(())
}

pub(crate) fn check_environment(env: &Environment, limits: &Limits) -> Result<(), Error> {
    for key in env.variables.keys() {
        let mut chars = key.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && key.len() >= 2;
        if !ok {
            return Err(error::validation(
                key,
                "environment.variables",
                "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]",
            ));
        }
    }
    let measured = serde_json::to_string(&env.variables).unwrap_or_default();
    if measured.len() > limits.environment_bytes {
        return Err(error::invalid_parameter(format!(
            "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {measured}"
        )));
    }
    Ok(())
}
