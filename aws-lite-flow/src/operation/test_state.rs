//! TestState: one state evaluated alone, with inspection data.
//!
//! # Semantics
//!
//! - `definition` is one state (`{"Type": "Pass", …}`), or a whole state machine together
//!   with `stateName`, which names any state in it, including states inside Parallel branches
//!   and Map processors. A single state is validated as if it were the only state of a machine,
//!   named `StateName`, whose transition targets exist; a machine is validated whole. Invalid
//!   definitions are `InvalidDefinition` with CreateStateMachine's message.
//! - The state runs once: Pass, Task, Choice, Wait (without waiting), Succeed and Fail.
//!   Parallel and Map need a `mock` (`InvalidDefinition` otherwise): their branches and
//!   iterations are not run, the mocked result (a JSON array) is their result.
//! - A `mock` replaces the Task's call: `result` (JSON text) is the result,
//!   `errorOutput` (`error`, `cause`) a failure. Mocks are rejected (`ValidationException`)
//!   on other state types, with `revealSecrets`, and when both fields are set. Without a mock,
//!   a Task is served by the handler registered for its resource
//!   ([`Sfn::register_task_handler`]); `TimeoutSeconds` applies on the Clock.
//! - A failure (the task's, a mocked one, or a data-flow error such as `States.Runtime`) is
//!   matched against `Retry`, then `Catch`: a retrier with attempts left gives `RETRIABLE`
//!   (`stateConfiguration.retrierRetryCount` is the number of retries already made) and
//!   `errorDetails.retryIndex`/`retryBackoffIntervalSeconds`; a catcher gives `CAUGHT_ERROR`,
//!   its `Next` as `nextState` and the error output placed by its `ResultPath`
//!   (`errorDetails.catchIndex`); otherwise `FAILED`. `error` and `cause` are set in all three.
//! - `inspectionLevel` `INFO` (default) returns no inspection data; `DEBUG` and `TRACE` return
//!   it as AWS does per state type, each value as JSON text: `input`, then `afterInputPath` and
//!   `afterParameters` (Pass without `Result`, Task), `result` (Task, Pass with `Result`),
//!   `afterItemsPath`, `maxConcurrency` and tolerated failures (Map), `afterResultSelector` and
//!   `afterResultPath` (Pass, Task, Parallel, Map), `variables` (a state with `Assign`) and
//!   `errorDetails`. TRACE's HTTP request and response data do not apply (no HTTP Task).
//! - `context` (JSON text) replaces the context object `$$`; by default it is built from the
//!   input as an execution's is. `variables` (a JSON object as text) are the variables in scope.
//!
//! Not modelled: JSONata states (rejected at validation), `fieldValidationMode`, Map Item
//! readers and `stateConfiguration.mapItemReaderData`.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_lite_core::Error;
use aws_lite_core::sync::Mutex;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::asl::{self, Catcher, PathField, Retrier, State};
use crate::choice;
use crate::dataflow::{self, Env, EvalError};
use crate::driver::Runtime;
use crate::engine::{self, Event, Failure, Invocation};
use crate::history::HistorySink;
use crate::service::Sfn;

/// How much TestState reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum InspectionLevel {
    /// Status, output, error and cause only.
    #[default]
    Info,
    /// Also the data after each data-flow step.
    Debug,
    /// DEBUG plus HTTP request and response data (HTTP Tasks only).
    Trace,
}

/// The outcome of a tested state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum TestExecutionStatus {
    /// The state completed.
    Succeeded,
    /// The state failed and no retrier or catcher handled it.
    Failed,
    /// The state failed and a retrier would retry it.
    Retriable,
    /// The state failed and a catcher handled it.
    CaughtError,
}

impl TestExecutionStatus {
    /// The AWS name (`SUCCEEDED` …).
    pub fn as_str(self) -> &'static str {
        match self {
            TestExecutionStatus::Succeeded => "SUCCEEDED",
            TestExecutionStatus::Failed => "FAILED",
            TestExecutionStatus::Retriable => "RETRIABLE",
            TestExecutionStatus::CaughtError => "CAUGHT_ERROR",
        }
    }
}

/// A mocked failure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MockErrorOutput {
    /// The error name.
    #[serde(default)]
    pub error: String,
    /// The cause.
    #[serde(default)]
    pub cause: String,
}

impl MockErrorOutput {
    /// A mocked failure with this error and cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> MockErrorOutput {
        MockErrorOutput {
            error: error.into(),
            cause: cause.into(),
        }
    }
}

/// A mocked result or failure of the tested state's work.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TestStateMock {
    /// The result, as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// A failure instead of a result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_output: Option<MockErrorOutput>,
    /// `STRICT`, `PRESENT` or `NONE` (accepted, not checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_validation_mode: Option<String>,
}

impl TestStateMock {
    /// A mock whose result is `result` (JSON text).
    pub fn result(result: impl Into<String>) -> TestStateMock {
        TestStateMock {
            result: Some(result.into()),
            ..TestStateMock::default()
        }
    }

    /// A mock that fails with `error` and `cause`.
    pub fn error(error: impl Into<String>, cause: impl Into<String>) -> TestStateMock {
        TestStateMock {
            error_output: Some(MockErrorOutput::new(error, cause)),
            ..TestStateMock::default()
        }
    }
}

/// Where in its life the tested state is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TestStateConfiguration {
    /// Retries already made by the matching retrier (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrier_retry_count: Option<u32>,
    /// The state inside a Map or Parallel the mocked error comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_caused_by_state: Option<String>,
    /// Map iterations that failed (accepted, not modelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_iteration_failure_count: Option<u32>,
    /// Item reader data (accepted, not modelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_item_reader_data: Option<String>,
}

impl TestStateConfiguration {
    /// This configuration with `retrierRetryCount` set.
    pub fn with_retrier_retry_count(mut self, count: u32) -> TestStateConfiguration {
        self.retrier_retry_count = Some(count);
        self
    }

    /// This configuration with `errorCausedByState` set.
    pub fn with_error_caused_by_state(
        mut self,
        state: impl Into<String>,
    ) -> TestStateConfiguration {
        self.error_caused_by_state = Some(state.into());
        self
    }
}

/// The input of TestState.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TestStateInput {
    /// One state, or a whole machine (with `state_name`), as JSON text.
    #[serde(default)]
    pub definition: String,
    /// The role (not checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// The state input as JSON text (default `{}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// INFO (default), DEBUG or TRACE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspection_level: Option<InspectionLevel>,
    /// Whether to reveal secrets of HTTP Tasks (not with a mock).
    #[serde(default)]
    pub reveal_secrets: bool,
    /// Variables in scope, a JSON object as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variables: Option<String>,
    /// The state to test when `definition` is a whole machine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_name: Option<String>,
    /// A mocked result or failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mock: Option<TestStateMock>,
    /// The context object `$$` as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Retry counts and error origins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_configuration: Option<TestStateConfiguration>,
}

/// How a failure was handled.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InspectionErrorDetails {
    /// The index of the catcher that handled it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch_index: Option<u32>,
    /// The index of the retrier that would retry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_index: Option<u32>,
    /// The delay before that retry, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_backoff_interval_seconds: Option<u64>,
}

/// The data after each data-flow step, each as JSON text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InspectionData {
    /// The raw state input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// After `InputPath`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_input_path: Option<String>,
    /// After `Parameters`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_parameters: Option<String>,
    /// The result of the work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// After `ResultSelector`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_result_selector: Option<String>,
    /// After `ResultPath` (the output before `OutputPath`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_result_path: Option<String>,
    /// Map: the items after `ItemsPath`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_items_path: Option<String>,
    /// Map: the concurrency limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrency: Option<u64>,
    /// Map: the tolerated failure count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_count: Option<u64>,
    /// Map: the tolerated failure percentage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_percentage: Option<f64>,
    /// The variables after the state's `Assign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variables: Option<String>,
    /// How a failure was handled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_details: Option<InspectionErrorDetails>,
}

/// The output of TestState.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TestStateOutput {
    /// The state's output as JSON text (also the caught error output).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The error, when the state failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause, when the state failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// Inspection data (DEBUG and TRACE).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inspection_data: Option<InspectionData>,
    /// The state to go to next, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_state: Option<String>,
    /// The outcome.
    pub status: TestExecutionStatus,
}

/// Builds and sends a TestState request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct TestStateFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: TestStateInput,
}

impl TestStateFluentBuilder {
    /// One state, or a whole machine with [`state_name`](Self::state_name).
    pub fn definition(mut self, definition: impl Into<String>) -> Self {
        self.input.definition = definition.into();
        self
    }

    /// The role.
    pub fn role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.input.role_arn = Some(role_arn.into());
        self
    }

    /// The state input (JSON text).
    pub fn input(mut self, input: impl Into<String>) -> Self {
        self.input.input = Some(input.into());
        self
    }

    /// INFO, DEBUG or TRACE.
    pub fn inspection_level(mut self, level: InspectionLevel) -> Self {
        self.input.inspection_level = Some(level);
        self
    }

    /// Reveal HTTP Task secrets.
    pub fn reveal_secrets(mut self, reveal: bool) -> Self {
        self.input.reveal_secrets = reveal;
        self
    }

    /// Variables in scope (a JSON object as text).
    pub fn variables(mut self, variables: impl Into<String>) -> Self {
        self.input.variables = Some(variables.into());
        self
    }

    /// The state to test in a whole machine.
    pub fn state_name(mut self, name: impl Into<String>) -> Self {
        self.input.state_name = Some(name.into());
        self
    }

    /// A mocked result or failure.
    pub fn mock(mut self, mock: TestStateMock) -> Self {
        self.input.mock = Some(mock);
        self
    }

    /// The context object (JSON text).
    pub fn context(mut self, context: impl Into<String>) -> Self {
        self.input.context = Some(context.into());
        self
    }

    /// Retry counts and error origins.
    pub fn state_configuration(mut self, config: TestStateConfiguration) -> Self {
        self.input.state_configuration = Some(config);
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &TestStateInput {
        &self.input
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// `InvalidDefinition`, `ValidationException` (mock rules, unknown `stateName`, input that
    /// is not JSON).
    pub async fn send(self) -> Result<TestStateOutput, Error> {
        test_state(&self.sfn, self.input).await
    }
}

impl Sfn {
    /// TestState: evaluates one state alone (see [`crate::operation::test_state`]).
    ///
    /// ```
    /// use aws_lite_flow::operation::test_state::{InspectionLevel, TestExecutionStatus};
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() -> Result<(), aws_lite_core::Error> {
    /// let sfn = aws_lite_flow::Sfn::new();
    /// let out = sfn.test_state()
    ///     .definition(r#"{"Type": "Pass", "ResultPath": "$.r", "Result": 1, "Next": "B"}"#)
    ///     .input(r#"{"a": 0}"#)
    ///     .inspection_level(InspectionLevel::Debug)
    ///     .send().await?;
    /// assert_eq!(out.status, TestExecutionStatus::Succeeded);
    /// assert_eq!(out.output.as_deref(), Some(r#"{"a":0,"r":1}"#));
    /// assert_eq!(out.next_state.as_deref(), Some("B"));
    /// # Ok(()) }
    /// ```
    pub fn test_state(&self) -> TestStateFluentBuilder {
        TestStateFluentBuilder {
            sfn: self.clone(),
            input: TestStateInput::default(),
        }
    }
}

fn validation(message: impl Into<String>) -> Error {
    Error::validation("ValidationException", message)
}

fn json_arg(text: Option<&str>, field: &str, default: Value) -> Result<Value, Error> {
    match text {
        None => Ok(default),
        Some(t) => serde_json::from_str(t)
            .map_err(|e| validation(format!("Invalid JSON in the field '{field}': {e}"))),
    }
}

/// Finds `name` in `states` or in any nested branch or processor.
fn find_state(states: &BTreeMap<String, State>, name: &str) -> Option<State> {
    if let Some(s) = states.get(name) {
        return Some(s.clone());
    }
    states.values().find_map(|s| match s {
        State::Parallel(p) => p.branches.iter().find_map(|b| find_state(&b.states, name)),
        State::Map(m) => m.processor().and_then(|b| find_state(&b.states, name)),
        _ => None,
    })
}

/// The state under test and its name.
fn resolve_state(input: &TestStateInput) -> Result<(String, State), Error> {
    let value: Value = match serde_json::from_str(&input.definition) {
        Ok(v) => v,
        Err(_) => {
            // The same INVALID_JSON_DESCRIPTION diagnostic CreateStateMachine reports.
            asl::validate(&input.definition, false)?;
            return Err(validation("The definition is not valid JSON"));
        }
    };
    if value.get("States").is_some() {
        let def = asl::validate(&input.definition, false)?;
        let Some(name) = input.state_name.clone() else {
            return Err(validation(
                "A stateName is required when the definition is a state machine",
            ));
        };
        let state = find_state(&def.states, &name).ok_or_else(|| {
            validation(format!(
                "State '{name}' does not exist in the state machine definition"
            ))
        })?;
        return Ok((name, state));
    }
    let name = input
        .state_name
        .clone()
        .unwrap_or_else(|| "StateName".to_string());
    let wrapped = json!({"StartAt": name, "States": {name.clone(): value}});
    // Alone, the state's transition targets do not exist: only its own shape is checked.
    let own = format!("/States/{name}/");
    let diags: Vec<asl::Diagnostic> = asl::validate_value(&wrapped, false)
        .into_iter()
        .filter(|d| {
            !(d.code == "MISSING_TRANSITION_TARGET"
                && d.location
                    .as_deref()
                    .and_then(|l| l.strip_prefix(&own))
                    .is_some_and(|rest| !rest.contains("/States/")))
        })
        .collect();
    if !diags.is_empty() {
        return Err(asl::invalid(&diags));
    }
    let mut def: asl::Definition = serde_json::from_value(wrapped).map_err(|e| {
        Error::validation(
            "InvalidDefinition",
            format!("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: {e} at /'"),
        )
    })?;
    let state = def.states.remove(&name).ok_or_else(|| {
        Error::validation("InvalidDefinition", "Invalid State Machine Definition")
    })?;
    Ok((name, state))
}

/// Inspection values gathered while the state runs.
#[derive(Default)]
struct Insp {
    data: InspectionData,
}

impl Insp {
    fn set(slot: &mut Option<String>, v: &Value) {
        *slot = Some(dataflow::compact(v));
    }
}

/// How the evaluation ended before failure handling.
enum Outcome {
    Done {
        output: Value,
        next: Option<String>,
        assigned: Option<Map<String, Value>>,
    },
    Failed(Failure),
}

struct Tester<'a> {
    sfn: &'a Sfn,
    name: String,
    state: State,
    input: Value,
    context: Value,
    vars: BTreeMap<String, Value>,
    mock: Option<TestStateMock>,
    config: TestStateConfiguration,
    insp: Insp,
}

/// TestState.
pub(crate) async fn test_state(sfn: &Sfn, input: TestStateInput) -> Result<TestStateOutput, Error> {
    let (name, state) = resolve_state(&input)?;
    let ty = state.type_name();
    if let Some(m) = &input.mock {
        if m.result.is_some() && m.error_output.is_some() {
            return Err(validation(
                "A test mock should have only one of the following fields: [result, errorOutput].",
            ));
        }
        if input.reveal_secrets {
            return Err(validation(
                "TestState does not support RevealSecrets when a mock is specified.",
            ));
        }
        if !matches!(state, State::Task(_) | State::Map(_) | State::Parallel(_)) {
            return Err(validation(format!(
                "State type '{ty}' is not supported when a mock is specified"
            )));
        }
    }
    let mocked_result = match input.mock.as_ref().and_then(|m| m.result.as_deref()) {
        Some(text) => Some(
            serde_json::from_str::<Value>(text)
                .map_err(|e| validation(format!("Mocked result must be valid JSON: {e}")))?,
        ),
        None => None,
    };
    if matches!(state, State::Map(_) | State::Parallel(_)) {
        if input.mock.is_none() {
            return Err(Error::validation(
                "InvalidDefinition",
                "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]",
            ));
        }
        if mocked_result.as_ref().is_some_and(|r| !r.is_array()) {
            return Err(validation("Mocked result must be an array."));
        }
    }
    let state_input = json_arg(input.input.as_deref(), "input", json!({}))?;
    let vars = match json_arg(input.variables.as_deref(), "variables", json!({}))? {
        Value::Object(m) => m.into_iter().collect(),
        _ => return Err(validation("The variables must be a JSON object")),
    };
    let context = match input.context.as_deref() {
        Some(text) => json_arg(Some(text), "context", Value::Null)?,
        None => default_context(sfn, &name, &state, &state_input, input.role_arn.as_deref()),
    };
    let level = input.inspection_level.unwrap_or_default();
    let mut t = Tester {
        sfn,
        name,
        state,
        input: state_input,
        context,
        vars,
        mock: input.mock.clone(),
        config: input.state_configuration.clone().unwrap_or_default(),
        insp: Insp::default(),
    };
    Insp::set(&mut t.insp.data.input, &t.input);
    let outcome = match t.run(mocked_result).await {
        Ok(o) => o,
        Err(e) => Outcome::Failed(t.runtime(e)),
    };
    let mut out = match outcome {
        Outcome::Done {
            output,
            next,
            assigned,
        } => {
            if let Some(a) = assigned {
                t.record_vars(a);
            }
            TestStateOutput {
                output: Some(dataflow::compact(&output)),
                error: None,
                cause: None,
                inspection_data: None,
                next_state: next,
                status: TestExecutionStatus::Succeeded,
            }
        }
        Outcome::Failed(f) => t.handle_error(f),
    };
    if level != InspectionLevel::Info {
        out.inspection_data = Some(t.insp.data);
    }
    Ok(out)
}

fn default_context(
    sfn: &Sfn,
    name: &str,
    state: &State,
    input: &Value,
    role_arn: Option<&str>,
) -> Value {
    let inner = &sfn.inner;
    let exec = inner.rand.uuid().to_string();
    let now = crate::timestamp::format(sfn.wall_now());
    let machine = format!(
        "arn:aws:states:{}:{}:stateMachine:TestStateStateMachine",
        inner.region.as_str(),
        inner.account.as_str()
    );
    let mut st = json!({"Name": name, "EnteredTime": now});
    if matches!(state, State::Task(_)) {
        st["RetryCount"] = json!(0);
    }
    json!({
        "Execution": {
            "Id": format!(
                "arn:aws:states:{}:{}:execution:TestStateStateMachine:{exec}",
                inner.region.as_str(),
                inner.account.as_str()
            ),
            "Input": input,
            "Name": exec,
            "RoleArn": role_arn.unwrap_or_default(),
            "StartTime": now,
            "RedriveCount": 0,
        },
        "State": st,
        "StateMachine": {"Id": machine, "Name": "TestStateStateMachine"},
    })
}

type R<T> = Result<T, EvalError>;

impl Tester<'_> {
    fn env<'b>(&'b self, input: &'b Value) -> Env<'b> {
        Env {
            input,
            context: &self.context,
            vars: &self.vars,
            rand: &self.sfn.inner.rand,
        }
    }

    fn runtime(&self, e: EvalError) -> Failure {
        let mut f = Failure::new(
            e.error,
            format!(
                "An error occurred while executing the state '{}' (entered at the event id #2). {}",
                self.name, e.message
            ),
        );
        if e.error == "States.Runtime" {
            f.all_matches = false;
        }
        f
    }

    fn mocked_failure(&self) -> Option<Failure> {
        let e = self.mock.as_ref()?.error_output.as_ref()?;
        let mut f = Failure::new(e.error.clone(), e.cause.clone());
        f.from_task = true;
        f.all_matches = true;
        Some(f)
    }

    fn record_vars(&mut self, assigned: Map<String, Value>) {
        for (k, v) in assigned {
            self.vars.insert(k, v);
        }
        let all: Map<String, Value> = self.vars.clone().into_iter().collect();
        Insp::set(&mut self.insp.data.variables, &Value::Object(all));
    }

    /// `Assign`, `ResultSelector`, `ResultPath`, `OutputPath` over `result`.
    fn finish(
        &mut self,
        result: Value,
        assign: Option<&Value>,
        selector: Option<&Value>,
        result_path: Option<&PathField>,
        output_path: Option<&PathField>,
        next: Option<String>,
    ) -> R<Outcome> {
        let env = self.env(&result);
        let assigned = assign.map(|a| assign_vars(&env, a)).transpose()?;
        let selected = match selector {
            Some(s) => env.template(s)?,
            None => result.clone(),
        };
        let placed = dataflow::result_path(result_path, &self.input, selected.clone())?;
        let output = env.with_input(&placed).select(output_path, "OutputPath")?;
        Insp::set(&mut self.insp.data.after_result_selector, &selected);
        Insp::set(&mut self.insp.data.after_result_path, &placed);
        Ok(Outcome::Done {
            output,
            next,
            assigned,
        })
    }

    async fn run(&mut self, mocked: Option<Value>) -> R<Outcome> {
        let state = self.state.clone();
        let raw = self.input.clone();
        match &state {
            State::Pass(s) => {
                let result = if let Some(r) = &s.result {
                    Insp::set(&mut self.insp.data.result, r);
                    r.clone()
                } else {
                    let env = self.env(&raw);
                    let effective = env.select(s.input_path.as_ref(), "InputPath")?;
                    let params = match &s.parameters {
                        Some(p) => env.with_input(&effective).template(p)?,
                        None => effective.clone(),
                    };
                    Insp::set(&mut self.insp.data.after_input_path, &effective);
                    Insp::set(&mut self.insp.data.after_parameters, &params);
                    params
                };
                self.finish(
                    result,
                    s.assign.as_ref(),
                    None,
                    s.result_path.as_ref(),
                    s.output_path.as_ref(),
                    s.next.clone(),
                )
            }
            State::Succeed(s) => {
                let env = self.env(&raw);
                let effective = env.select(s.input_path.as_ref(), "InputPath")?;
                let output = env
                    .with_input(&effective)
                    .select(s.output_path.as_ref(), "OutputPath")?;
                Insp::set(&mut self.insp.data.after_input_path, &effective);
                Ok(Outcome::Done {
                    output,
                    next: None,
                    assigned: None,
                })
            }
            State::Wait(s) => {
                let env = self.env(&raw);
                let effective = env.select(s.input_path.as_ref(), "InputPath")?;
                let eenv = env.with_input(&effective);
                let assigned = s
                    .assign
                    .as_ref()
                    .map(|a| assign_vars(&eenv, a))
                    .transpose()?;
                let output = eenv.select(s.output_path.as_ref(), "OutputPath")?;
                Insp::set(&mut self.insp.data.after_input_path, &effective);
                Ok(Outcome::Done {
                    output,
                    next: s.next.clone(),
                    assigned,
                })
            }
            State::Fail(s) => {
                let env = self.env(&raw);
                let pick = |lit: &Option<String>, path: &Option<String>, field: &str| {
                    if let Some(l) = lit {
                        return Ok(Some(l.clone()));
                    }
                    let Some(p) = path else { return Ok(None) };
                    let v = env.resolve(p, field)?;
                    Ok::<_, EvalError>(Some(match v {
                        Value::String(s) => s,
                        other => dataflow::compact(&other),
                    }))
                };
                let error = pick(&s.error, &s.error_path, "ErrorPath")?;
                let cause = pick(&s.cause, &s.cause_path, "CausePath")?;
                let mut f = Failure::new(error.unwrap_or_default(), cause.unwrap_or_default());
                f.all_matches = true;
                Ok(Outcome::Failed(f))
            }
            State::Choice(s) => {
                let env = self.env(&raw);
                let effective = env.select(s.input_path.as_ref(), "InputPath")?;
                let eenv = env.with_input(&effective);
                let mut chosen: Option<(String, Option<&Value>)> = None;
                for rule in &s.choices {
                    if choice::evaluate(rule, &eenv)? {
                        chosen =
                            Some((rule.next.clone().unwrap_or_default(), rule.assign.as_ref()));
                        break;
                    }
                }
                let (next, rule_assign) = match chosen {
                    Some(c) => c,
                    None => match &s.default {
                        Some(d) => (d.clone(), None),
                        None => {
                            return Err(EvalError {
                                error: "States.NoChoiceMatched",
                                message: "No Choice Rule matched and no Default specified.".into(),
                            });
                        }
                    },
                };
                let mut assigned: Option<Map<String, Value>> = None;
                for a in [s.assign.as_ref(), rule_assign].into_iter().flatten() {
                    let vars = assign_vars(&eenv, a)?;
                    assigned.get_or_insert_with(Map::new).extend(vars);
                }
                let output = eenv.select(s.output_path.as_ref(), "OutputPath")?;
                Insp::set(&mut self.insp.data.after_input_path, &effective);
                Ok(Outcome::Done {
                    output,
                    next: Some(next),
                    assigned,
                })
            }
            State::Task(s) => {
                let env = self.env(&raw);
                let effective = env.select(s.input_path.as_ref(), "InputPath")?;
                let payload = match &s.parameters {
                    Some(p) => env.with_input(&effective).template(p)?,
                    None => effective.clone(),
                };
                Insp::set(&mut self.insp.data.after_input_path, &effective);
                Insp::set(&mut self.insp.data.after_parameters, &payload);
                if let Some(f) = self.mocked_failure() {
                    return Ok(Outcome::Failed(f));
                }
                let result = match mocked {
                    Some(r) => r,
                    None => match self
                        .invoke(
                            &s.resource,
                            &payload,
                            s.timeout_seconds,
                            s.heartbeat_seconds,
                        )
                        .await
                    {
                        Ok(r) => r,
                        Err(f) => return Ok(Outcome::Failed(f)),
                    },
                };
                Insp::set(&mut self.insp.data.result, &result);
                self.finish(
                    result,
                    s.assign.as_ref(),
                    s.result_selector.as_ref(),
                    s.result_path.as_ref(),
                    s.output_path.as_ref(),
                    s.next.clone(),
                )
            }
            State::Parallel(s) => {
                if let Some(f) = self.mocked_failure() {
                    return Ok(Outcome::Failed(f));
                }
                let result = mocked.unwrap_or(Value::Array(Vec::new()));
                self.finish(
                    result,
                    s.assign.as_ref(),
                    s.result_selector.as_ref(),
                    s.result_path.as_ref(),
                    s.output_path.as_ref(),
                    s.next.clone(),
                )
            }
            State::Map(s) => {
                let env = self.env(&raw);
                let effective = env.select(s.input_path.as_ref(), "InputPath")?;
                let eenv = env.with_input(&effective);
                let items = match &s.items_path {
                    Some(p) => eenv.resolve_path(p, "ItemsPath")?,
                    None => effective.clone(),
                };
                let max = match (&s.max_concurrency, &s.max_concurrency_path) {
                    (Some(m), _) => *m,
                    (None, Some(p)) => eenv
                        .resolve_path(p, "MaxConcurrencyPath")?
                        .as_u64()
                        .unwrap_or(0),
                    _ => 0,
                };
                Insp::set(&mut self.insp.data.after_input_path, &effective);
                Insp::set(&mut self.insp.data.after_items_path, &items);
                self.insp.data.max_concurrency = Some(max);
                self.insp.data.tolerated_failure_count = s.tolerated_failure_count;
                self.insp.data.tolerated_failure_percentage = s.tolerated_failure_percentage;
                if !items.is_array() {
                    return Err(EvalError::runtime(format!(
                        "Map state input must be an array but was: {}",
                        dataflow::compact(&items)
                    )));
                }
                if let Some(f) = self.mocked_failure() {
                    return Ok(Outcome::Failed(f));
                }
                let result = mocked.unwrap_or(Value::Array(Vec::new()));
                self.finish(
                    result,
                    s.assign.as_ref(),
                    s.result_selector.as_ref(),
                    s.result_path.as_ref(),
                    s.output_path.as_ref(),
                    s.next.clone(),
                )
            }
        }
    }

    /// Calls the registered handler of `resource`.
    async fn invoke(
        &self,
        resource: &str,
        payload: &Value,
        timeout: Option<u64>,
        heartbeat: Option<u64>,
    ) -> Result<Value, Failure> {
        let inner = &self.sfn.inner;
        let rt = Runtime {
            clock: inner.clock.clone(),
            handlers: Arc::clone(&inner.handlers),
            tokens: inner.tokens.clone(),
            activities: inner.activities.clone(),
            history: Arc::new(Mutex::new(HistorySink::default())),
            region: inner.region.as_str().to_string(),
            account: inner.account.as_str().to_string(),
            service: Arc::downgrade(&self.sfn.inner),
        };
        let kind = engine::classify(resource, payload);
        let inv = Invocation {
            resource: resource.to_string(),
            input: payload.clone(),
            kind,
            timeout: timeout.map(std::time::Duration::from_secs),
            heartbeat: heartbeat.map(std::time::Duration::from_secs),
            started: aws_lite_core::Clock::now(&inner.clock),
            token: None,
            submitted: false,
        };
        let failed = |error: &str, cause: String| {
            let mut f = Failure::new(error, cause);
            f.from_task = true;
            f.all_matches = true;
            f
        };
        // The driver returns the final result (a handler's `lambda:invoke` result wrapped).
        match rt.invoke(inv).await {
            Event::TaskDone(Ok(v)) => Ok(v),
            Event::TaskDone(Err(e)) => Err(failed(&e.error, e.cause)),
            Event::TaskTimedOut { heartbeat } => {
                let mut f = Failure::timeout(heartbeat);
                f.all_matches = true;
                Err(f)
            }
            _ => Err(failed("States.Timeout", String::new())),
        }
    }

    fn retry_catch(&self) -> (Vec<Retrier>, Vec<Catcher>) {
        let (r, c) = match &self.state {
            State::Task(s) => (&s.retry, &s.catch),
            State::Parallel(s) => (&s.retry, &s.catch),
            State::Map(s) => (&s.retry, &s.catch),
            _ => return (Vec::new(), Vec::new()),
        };
        (r.clone().unwrap_or_default(), c.clone().unwrap_or_default())
    }

    fn handle_error(&mut self, f: Failure) -> TestStateOutput {
        let (retry, catch) = self.retry_catch();
        let mut out = TestStateOutput {
            output: None,
            error: Some(f.error.clone()),
            cause: Some(f.cause.clone()),
            inspection_data: None,
            next_state: None,
            status: TestExecutionStatus::Failed,
        };
        if let Some((i, r)) = retry
            .iter()
            .enumerate()
            .find(|(_, r)| f.matches(&r.error_equals))
        {
            let attempt = self.config.retrier_retry_count.unwrap_or(0) + 1;
            if let Some(delay) = r.backoff().delay(attempt, &self.sfn.inner.rand) {
                out.status = TestExecutionStatus::Retriable;
                self.insp.data.error_details = Some(InspectionErrorDetails {
                    catch_index: None,
                    retry_index: u32::try_from(i).ok(),
                    retry_backoff_interval_seconds: Some(delay.as_secs()),
                });
                return out;
            }
        }
        if let Some((i, c)) = catch
            .iter()
            .enumerate()
            .find(|(_, c)| f.matches(&c.error_equals))
        {
            let err_out = json!({"Error": f.error, "Cause": f.cause});
            let env = self.env(&err_out);
            let assigned = c.assign.as_ref().map(|a| assign_vars(&env, a)).transpose();
            let placed =
                dataflow::result_path(c.result_path.as_ref(), &self.input, err_out.clone());
            match (assigned, placed) {
                (Ok(assigned), Ok(placed)) => {
                    if let Some(a) = assigned {
                        self.record_vars(a);
                    }
                    Insp::set(&mut self.insp.data.after_result_path, &placed);
                    out.output = Some(dataflow::compact(&placed));
                    out.next_state = Some(c.next.clone());
                    out.status = TestExecutionStatus::CaughtError;
                    self.insp.data.error_details = Some(InspectionErrorDetails {
                        catch_index: u32::try_from(i).ok(),
                        ..InspectionErrorDetails::default()
                    });
                }
                (Err(e), _) | (_, Err(e)) => {
                    let f = self.runtime(e);
                    out.error = Some(f.error);
                    out.cause = Some(f.cause);
                }
            }
        }
        out
    }
}

fn assign_vars(env: &Env<'_>, assign: &Value) -> R<Map<String, Value>> {
    match env.template(assign)? {
        Value::Object(m) => Ok(m),
        _ => Err(EvalError::runtime("Assign must be an object")),
    }
}
