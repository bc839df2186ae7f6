//! The Amazon States Language model: a [`Definition`] and its states, as serde types that read
//! and write the JSON AWS accepts.
//!
//! # What the model holds
//!
//! Every state type (`Pass`, `Task`, `Choice`, `Wait`, `Succeed`, `Fail`, `Parallel`, `Map`) with
//! every field of JSONPath mode, and the JSONata fields (`Arguments`, `Output`, `Items`,
//! `Condition`) so such definitions parse and round-trip; [`validate`] then rejects them, since
//! the interpreter runs JSONPath only. A Distributed Map's `ItemReader`, `ItemBatcher` and
//! `ResultWriter` are typed ([`ItemReader`], [`ItemBatcher`], [`ResultWriter`]).
//!
//! Fields that may be `null` with a meaning of their own (`InputPath`, `OutputPath`,
//! `ResultPath`: `null` discards) are [`PathField`]s, so a missing field and an explicit `null`
//! stay apart and serialize back as they were read. Payload templates (`Parameters`,
//! `ResultSelector`, `ItemSelector`, `Assign`) stay raw JSON values; the interpreter evaluates
//! their `.$` keys.
//!
//! Parse a definition with [`Definition::parse`], which validates it the way
//! CreateStateMachine does:
//!
//! ```
//! use aws_lite_flow::asl::{Definition, State};
//!
//! let def = Definition::parse(r#"{"StartAt": "Hello", "States": {
//!     "Hello": {"Type": "Pass", "Result": "world", "End": true}}}"#)?;
//! assert!(matches!(def.states["Hello"], State::Pass(_)));
//!
//! let err = Definition::parse(r#"{"StartAt": "A", "States": {
//!     "A": {"Type": "Pass", "Next": "B"}}}"#).unwrap_err();
//! assert_eq!(err.code(), "InvalidDefinition");
//! assert!(err.message().contains("MISSING_TRANSITION_TARGET"));
//! # Ok::<(), aws_lite_core::Error>(())
//! ```

mod validate;

use std::collections::BTreeMap;

use aws_lite_core::retry::Jitter;
use serde::de::{Deserializer, Error as _};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) use validate::invalid;
pub use validate::{Diagnostic, diagnose, validate, validate_value};
pub(crate) use validate::{LIST_OBJECTS_V2, MAX_BATCH_BYTES, MAX_ITEMS_LIMIT};

/// A whole state machine definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Definition {
    /// A human-readable description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The state the execution starts in.
    pub start_at: String,
    /// The states by name.
    pub states: BTreeMap<String, State>,
    /// The ASL version (`"1.0"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The longest an execution may run, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
    /// The query language of every state that does not set its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
}

impl Definition {
    /// Parses and validates `text` as CreateStateMachine does.
    ///
    /// # Errors
    ///
    /// `InvalidDefinition` with ValidateStateMachineDefinition's diagnostics in the message.
    pub fn parse(text: &str) -> Result<Definition, aws_lite_core::Error> {
        validate(text, false)
    }

    /// Serializes the definition to JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The query language of a machine or a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum QueryLanguage {
    /// JSONPath (the default): `InputPath`, `Parameters`, `.$` keys.
    #[serde(rename = "JSONPath")]
    JsonPath,
    /// JSONata: `{% … %}` expressions (not supported yet by the interpreter).
    #[serde(rename = "JSONata")]
    Jsonata,
}

/// A path field that may be a path or an explicit `null` (`InputPath`, `OutputPath`,
/// `ResultPath`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathField {
    /// `null`: `{}` for InputPath/OutputPath; keep the input for ResultPath.
    Null,
    /// A path (`$`, `$.a.b`, `$$.Execution.Id`, `$var`).
    Path(String),
}

impl Serialize for PathField {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PathField::Null => s.serialize_none(),
            PathField::Path(p) => s.serialize_str(p),
        }
    }
}

impl<'de> Deserialize<'de> for PathField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PathField, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(PathField::Null),
            Value::String(s) => Ok(PathField::Path(s)),
            other => Err(D::Error::custom(format!(
                "expected a path string or null, got {other}"
            ))),
        }
    }
}

/// Deserializes a present field (even `null`) as `Some`.
fn some_path<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PathField>, D::Error> {
    PathField::deserialize(d).map(Some)
}

/// One state of a machine, tagged by its `Type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "Type")]
#[non_exhaustive]
// A parsed model, held once per machine: boxing the large variants buys nothing.
#[allow(clippy::large_enum_variant)]
pub enum State {
    /// Passes its input (or a fixed `Result`) to its output.
    Pass(PassState),
    /// Runs a task: a Lambda function, a service integration, an activity or a registered
    /// handler.
    Task(TaskState),
    /// Branches on rules over the input.
    Choice(ChoiceState),
    /// Waits for a time or a timestamp.
    Wait(WaitState),
    /// Ends the execution (or branch) successfully.
    Succeed(SucceedState),
    /// Ends the execution (or branch) with an error.
    Fail(FailState),
    /// Runs branches concurrently.
    Parallel(ParallelState),
    /// Runs an iteration per item of an array.
    Map(MapState),
}

impl State {
    /// The `Type` name.
    pub fn type_name(&self) -> &'static str {
        match self {
            State::Pass(_) => "Pass",
            State::Task(_) => "Task",
            State::Choice(_) => "Choice",
            State::Wait(_) => "Wait",
            State::Succeed(_) => "Succeed",
            State::Fail(_) => "Fail",
            State::Parallel(_) => "Parallel",
            State::Map(_) => "Map",
        }
    }

    /// The `Next` state, if this state has one.
    pub fn next(&self) -> Option<&str> {
        match self {
            State::Pass(s) => s.next.as_deref(),
            State::Task(s) => s.next.as_deref(),
            State::Wait(s) => s.next.as_deref(),
            State::Parallel(s) => s.next.as_deref(),
            State::Map(s) => s.next.as_deref(),
            State::Choice(_) | State::Succeed(_) | State::Fail(_) => None,
        }
    }

    /// The state's own `QueryLanguage`.
    pub fn query_language(&self) -> Option<QueryLanguage> {
        match self {
            State::Pass(s) => s.query_language,
            State::Task(s) => s.query_language,
            State::Choice(s) => s.query_language,
            State::Wait(s) => s.query_language,
            State::Succeed(s) => s.query_language,
            State::Fail(s) => s.query_language,
            State::Parallel(s) => s.query_language,
            State::Map(s) => s.query_language,
        }
    }
}

/// A `Pass` state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PassState {
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Query language of this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// Selects the part of the input the state works on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub input_path: Option<PathField>,
    /// A template evaluated against the selected input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// A literal result (its `.$` keys are not evaluated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    /// Where the result goes in the input.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub result_path: Option<PathField>,
    /// Selects the part of the output passed on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub output_path: Option<PathField>,
    /// Variables to assign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Value>,
    /// JSONata output (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// The next state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Whether this state ends the execution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// A `Task` state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct TaskState {
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Query language of this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// The task's ARN.
    pub resource: String,
    /// Selects the part of the input the state works on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub input_path: Option<PathField>,
    /// The task's input template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// JSONata arguments (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Value>,
    /// A template over the task's result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_selector: Option<Value>,
    /// Where the result goes in the input.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub result_path: Option<PathField>,
    /// Selects the part of the output passed on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub output_path: Option<PathField>,
    /// JSONata output (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// Variables to assign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Value>,
    /// Retriers, tried in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<Vec<Retrier>>,
    /// Catchers, tried in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch: Option<Vec<Catcher>>,
    /// How long the task may run (default 99999999 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
    /// A path to the timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds_path: Option<String>,
    /// How long the task may go without a heartbeat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_seconds: Option<u64>,
    /// A path to the heartbeat interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_seconds_path: Option<String>,
    /// Cross-account credentials (`{"RoleArn": …}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<Value>,
    /// The next state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Whether this state ends the execution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// A `Choice` state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ChoiceState {
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Query language of this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// Selects the part of the input the rules see.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub input_path: Option<PathField>,
    /// Selects the part of the output passed on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub output_path: Option<PathField>,
    /// JSONata output (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// Variables to assign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Value>,
    /// The rules, tried in order.
    pub choices: Vec<ChoiceRule>,
    /// The state when no rule matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// One Choice rule: a comparison on `Variable`, or `And`/`Or`/`Not`; top-level rules carry
/// `Next`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ChoiceRule {
    /// The path compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
    /// All of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub and: Option<Vec<ChoiceRule>>,
    /// Any of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub or: Option<Vec<ChoiceRule>>,
    /// Not this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<ChoiceRule>>,
    /// JSONata condition (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Value>,
    /// The next state when the rule matches (top-level rules only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Variables to assign when the rule matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Value>,
    /// JSONata output (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The comparison operator and its operand (`StringEquals`, `NumericLessThanPath`,
    /// `IsPresent` …): exactly one in a valid comparison rule.
    #[serde(flatten)]
    pub comparison: BTreeMap<String, Value>,
}

/// A `Wait` state: exactly one of the four timing fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct WaitState {
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Query language of this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// Selects the part of the input the state works on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub input_path: Option<PathField>,
    /// Selects the part of the output passed on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub output_path: Option<PathField>,
    /// JSONata output (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// Variables to assign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Value>,
    /// Seconds to wait (a number; a JSONata string in JSONata mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<Value>,
    /// An RFC 3339 timestamp to wait until.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// A path to the seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds_path: Option<String>,
    /// A path to the timestamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_path: Option<String>,
    /// The next state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Whether this state ends the execution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// A `Succeed` state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SucceedState {
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Query language of this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// Selects the part of the input the state works on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub input_path: Option<PathField>,
    /// Selects the part of the output passed on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub output_path: Option<PathField>,
    /// JSONata output (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
}

/// A `Fail` state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FailState {
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Query language of this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// The error name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// A path (or intrinsic) giving the error name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_path: Option<String>,
    /// The cause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// A path (or intrinsic) giving the cause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause_path: Option<String>,
}

/// A `Parallel` state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ParallelState {
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Query language of this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// The branches, each a small machine.
    pub branches: Vec<Branch>,
    /// Selects the part of the input the state works on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub input_path: Option<PathField>,
    /// The branches' input template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// JSONata arguments (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Value>,
    /// A template over the array of branch outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_selector: Option<Value>,
    /// Where the result goes in the input.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub result_path: Option<PathField>,
    /// Selects the part of the output passed on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub output_path: Option<PathField>,
    /// JSONata output (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// Variables to assign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Value>,
    /// Retriers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<Vec<Retrier>>,
    /// Catchers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch: Option<Vec<Catcher>>,
    /// The next state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Whether this state ends the execution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// A branch of a Parallel state, or the iteration machine of a Map state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Branch {
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Map only: how iterations run (`Mode` INLINE | DISTRIBUTED).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processor_config: Option<ProcessorConfig>,
    /// The first state.
    pub start_at: String,
    /// The states by name.
    pub states: BTreeMap<String, State>,
}

/// A Map's `ProcessorConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ProcessorConfig {
    /// `INLINE` (default) or `DISTRIBUTED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Distributed mode: `STANDARD` or `EXPRESS` child executions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_type: Option<String>,
}

/// A `Map` state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct MapState {
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Query language of this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// The iteration machine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_processor: Option<Branch>,
    /// The iteration machine (deprecated name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iterator: Option<Branch>,
    /// Selects the part of the input the state works on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub input_path: Option<PathField>,
    /// The path of the items array in the selected input (default `$`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_path: Option<String>,
    /// JSONata items (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Value>,
    /// A template giving each iteration's input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_selector: Option<Value>,
    /// Deprecated name of `ItemSelector`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// At most this many iterations at once (0: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrency: Option<u64>,
    /// A path to the concurrency limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrency_path: Option<String>,
    /// Failed iterations tolerated, as a percentage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_percentage: Option<f64>,
    /// A path to the tolerated percentage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_percentage_path: Option<String>,
    /// Failed iterations tolerated, as a count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_count: Option<u64>,
    /// A path to the tolerated count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_count_path: Option<String>,
    /// Distributed mode: where items come from (an object of the service's object store).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_reader: Option<ItemReader>,
    /// Distributed mode: items grouped into batches, one child execution per batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_batcher: Option<ItemBatcher>,
    /// Distributed mode: how results are formatted and where they are exported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_writer: Option<ResultWriter>,
    /// Distributed mode: the Map Run label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// A template over the array of results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_selector: Option<Value>,
    /// Where the result goes in the input.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub result_path: Option<PathField>,
    /// Selects the part of the output passed on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub output_path: Option<PathField>,
    /// JSONata output (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// Variables to assign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Value>,
    /// Retriers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<Vec<Retrier>>,
    /// Catchers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch: Option<Vec<Catcher>>,
    /// The next state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Whether this state ends the execution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

impl MapState {
    /// The iteration machine: `ItemProcessor`, or the deprecated `Iterator`.
    pub fn processor(&self) -> Option<&Branch> {
        self.item_processor.as_ref().or(self.iterator.as_ref())
    }

    /// Whether the Map runs in `DISTRIBUTED` mode (each item a child workflow execution).
    pub fn is_distributed(&self) -> bool {
        self.processor()
            .and_then(|p| p.processor_config.as_ref())
            .and_then(|c| c.mode.as_deref())
            == Some("DISTRIBUTED")
    }
}

/// A Distributed Map's `ItemReader`: the dataset the items come from.
///
/// `arn:aws:states:::s3:getObject` reads one object (`Parameters` `Bucket`, `Key`) as
/// `ReaderConfig.InputType` `JSON`, `JSONL` or `CSV`; `arn:aws:states:::s3:listObjectsV2`
/// lists a bucket (`Bucket`, `Prefix`) and yields each object's metadata. Objects live in the
/// service's in-memory object store ([`Sfn::objects`](crate::Sfn::objects)).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ItemReader {
    /// `arn:aws:states:::s3:getObject` or `arn:aws:states:::s3:listObjectsV2`.
    pub resource: String,
    /// The request (`Bucket`, `Key`, `Prefix`); `.$` keys are evaluated on the state input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// JSONata arguments (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Value>,
    /// How the object is read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader_config: Option<ReaderConfig>,
}

/// An `ItemReader`'s `ReaderConfig`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ReaderConfig {
    /// `JSON`, `JSONL` or `CSV` (`MANIFEST` and `PARQUET` are not supported by aws-lite).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_type: Option<String>,
    /// CSV: `FIRST_ROW` (default) or `GIVEN`.
    #[serde(
        default,
        rename = "CSVHeaderLocation",
        skip_serializing_if = "Option::is_none"
    )]
    pub csv_header_location: Option<String>,
    /// CSV with `GIVEN` headers: the column names.
    #[serde(
        default,
        rename = "CSVHeaders",
        skip_serializing_if = "Option::is_none"
    )]
    pub csv_headers: Option<Vec<String>>,
    /// CSV: `COMMA` (default), `PIPE`, `SEMICOLON`, `SPACE` or `TAB`.
    #[serde(
        default,
        rename = "CSVDelimiter",
        skip_serializing_if = "Option::is_none"
    )]
    pub csv_delimiter: Option<String>,
    /// At most this many items are read (0: no limit; at most 100,000,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<Value>,
    /// A path to the item limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items_path: Option<String>,
}

/// A Distributed Map's `ItemBatcher`: each child execution gets
/// `{"BatchInput": …, "Items": [...]}` instead of one item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ItemBatcher {
    /// At most this many items per batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items_per_batch: Option<Value>,
    /// A path to the item count per batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items_per_batch_path: Option<String>,
    /// At most this many bytes of batch input (at most 256 KiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_input_bytes_per_batch: Option<Value>,
    /// A path to the byte limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_input_bytes_per_batch_path: Option<String>,
    /// A template giving the `BatchInput` every batch carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_input: Option<Value>,
}

/// A Distributed Map's `ResultWriter`: export the child executions' results to the object
/// store (`Resource` `arn:aws:states:::s3:putObject` with `Bucket` and `Prefix`) and/or
/// reformat them (`WriterConfig`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ResultWriter {
    /// `arn:aws:states:::s3:putObject`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// `Bucket` and `Prefix`; `.$` keys are evaluated on the state input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// JSONata arguments (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Value>,
    /// How results are formatted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writer_config: Option<WriterConfig>,
}

/// A `ResultWriter`'s `WriterConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct WriterConfig {
    /// `NONE` (each child's metadata, the default when exporting), `COMPACT` (outputs only,
    /// the default otherwise) or `FLATTEN` (outputs, arrays flattened).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transformation: Option<String>,
    /// `JSON` (an array) or `JSONL` (JSON Lines) for exported files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_type: Option<String>,
}

/// A retrier of a Task, Parallel or Map state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Retrier {
    /// The error names this retrier handles.
    pub error_equals: Vec<String>,
    /// Seconds before the first retry (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<u64>,
    /// Retries allowed (default 3; 0 never retries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
    /// Multiplier of the interval per retry (default 2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_rate: Option<f64>,
    /// The longest interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay_seconds: Option<u64>,
    /// `FULL` or `NONE` (default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter_strategy: Option<Jitter>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Retrier {
    /// The retrier as a core [`Backoff`](aws_lite_core::Backoff) schedule.
    pub fn backoff(&self) -> aws_lite_core::Backoff {
        let secs = std::time::Duration::from_secs;
        let mut b = aws_lite_core::Backoff::new(
            secs(self.interval_seconds.unwrap_or(1)),
            self.backoff_rate.unwrap_or(2.0),
            self.max_attempts.unwrap_or(3),
        )
        .jitter(self.jitter_strategy.unwrap_or_default());
        if let Some(m) = self.max_delay_seconds {
            b = b.max_delay(secs(m));
        }
        b
    }
}

/// A catcher of a Task, Parallel or Map state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Catcher {
    /// The error names this catcher handles.
    pub error_equals: Vec<String>,
    /// The state to go to.
    pub next: String,
    /// Where `{Error, Cause}` goes in the state input (default `$`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "some_path"
    )]
    pub result_path: Option<PathField>,
    /// Variables to assign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Value>,
    /// JSONata output (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
