//! StartExecution: starts an execution of a machine with a JSON input.
//!
//! # Semantics
//!
//! - The input defaults to `{}`; it must be JSON of at most 256 KiB (`InvalidExecutionInput`).
//! - The name defaults to a random UUID; names follow state machine naming rules.
//! - Idempotent on name: starting a name again with the same input while it runs returns the
//!   same execution; otherwise `ExecutionAlreadyExists`.
//! - `stateMachineArn` may be a version's ARN (`…:stateMachine:name:7`: that version runs) or
//!   an alias's (`…:stateMachine:name:live`: one of its versions runs, drawn by the routing
//!   weights from the service's seeded randomness). The execution is the machine's (its ARN
//!   and `stateMachineArn` are the unqualified machine's); DescribeExecution reports
//!   `stateMachineVersionArn` and `stateMachineAliasArn`, and so does `ExecutionStarted`.
//! - The execution runs on the service's clock in a spawned task (a tokio runtime is needed);
//!   the machine's `TimeoutSeconds` ends it with `TIMED_OUT`, and so do five minutes
//!   ([`EXPRESS_LIMIT`]) for an Express machine and one year ([`STANDARD_LIMIT`]) for a
//!   Standard one, Step Functions' maximum execution times.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_lite_core::id::Arn;
use aws_lite_core::sync::Mutex;
use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::driver::{Runtime, run_thread};
use crate::engine::{MAX_PAYLOAD_BYTES, Thread};
use crate::history::{HistoryEventType as T, HistorySink, MAX_HISTORY_EVENTS};
use crate::operation::create_state_machine::valid_name;
use crate::service::{
    ExecutionRecord, ExecutionState, ExecutionStatus, Sfn, StateMachineType, epoch,
};

/// The input of StartExecution.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StartExecutionInput {
    /// The machine's ARN.
    #[serde(default)]
    pub state_machine_arn: String,
    /// The execution's name (default: a UUID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The input as JSON text (default `{}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
}

/// The output of StartExecution.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StartExecutionOutput {
    /// The execution's ARN.
    pub execution_arn: String,
    /// When it started.
    #[serde(serialize_with = "epoch")]
    pub start_date: SystemTime,
}

/// Builds and sends a StartExecution request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct StartExecutionFluentBuilder {
    sfn: Sfn,
    /// The request as built so far (the API trait sets it whole).
    pub(crate) input: StartExecutionInput,
}

impl StartExecutionFluentBuilder {
    /// The machine's ARN.
    pub fn state_machine_arn(mut self, arn: impl Into<String>) -> Self {
        self.input.state_machine_arn = arn.into();
        self
    }

    /// The execution's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.input.name = Some(name.into());
        self
    }

    /// The input as JSON text.
    pub fn input(mut self, input: impl Into<String>) -> Self {
        self.input.input = Some(input.into());
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &StartExecutionInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<StartExecutionOutput, Error> {
        start_execution(&self.sfn, self.input)
    }
}

impl Sfn {
    /// StartExecution.
    pub fn start_execution(&self) -> StartExecutionFluentBuilder {
        StartExecutionFluentBuilder {
            sfn: self.clone(),
            input: StartExecutionInput::default(),
        }
    }
}

/// The longest an Express execution runs before it times out.
pub const EXPRESS_LIMIT: Duration = Duration::from_secs(300);

/// The longest a Standard execution runs before it times out: one year (365 days), Step
/// Functions' maximum execution time.
pub const STANDARD_LIMIT: Duration = Duration::from_secs(365 * 86_400);

/// How long an execution of the given type may run: its `TimeoutSeconds` (if any) within
/// the type's maximum ([`EXPRESS_LIMIT`], [`STANDARD_LIMIT`]).
pub(crate) fn execution_limit(express: bool, timeout_seconds: Option<u64>) -> Duration {
    let max = if express {
        EXPRESS_LIMIT
    } else {
        STANDARD_LIMIT
    };
    timeout_seconds.map_or(max, |t| Duration::from_secs(t).min(max))
}

pub(crate) fn start_execution(
    sfn: &Sfn,
    input: StartExecutionInput,
) -> Result<StartExecutionOutput, Error> {
    let inner = &sfn.inner;
    let target = inner.target(&input.state_machine_arn)?;
    let machine = Arc::clone(&target.machine);
    let text = input.input.unwrap_or_else(|| "{}".to_string());
    if text.len() > MAX_PAYLOAD_BYTES {
        return Err(Error::validation(
            "InvalidExecutionInput",
            "The input exceeds the maximum size of 262144 bytes",
        ));
    }
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        Error::validation(
            "InvalidExecutionInput",
            format!("Invalid State Machine Execution Input: '{e}'"),
        )
    })?;
    let name = input.name.unwrap_or_else(|| inner.rand.uuid().to_string());
    if !valid_name(&name) {
        return Err(Error::validation(
            "InvalidName",
            format!("Invalid Name: '{name}'"),
        ));
    }
    let arn = match machine.machine_type {
        StateMachineType::Standard => {
            Arn::execution(&inner.region, &inner.account, &machine.name, &name)?
        }
        StateMachineType::Express => Arn::express_execution(
            &inner.region,
            &inner.account,
            &machine.name,
            &name,
            &inner.rand.uuid().to_string(),
        )?,
    }
    .to_string();
    let mut executions = inner.executions.lock();
    if let Some(existing) = executions.get(&arn) {
        let same = existing.input == text
            && existing.state_machine_arn == machine.arn
            && existing.state.lock().status == ExecutionStatus::Running;
        if same {
            return Ok(StartExecutionOutput {
                execution_arn: arn,
                start_date: existing.start_date,
            });
        }
        return Err(Error::conflict(
            "ExecutionAlreadyExists",
            format!("Execution Already Exists: '{arn}'"),
        ));
    }
    let start = inner.clock.now();
    let start_date = inner.clock.wall(start);
    let history = Arc::new(Mutex::new(match machine.machine_type {
        StateMachineType::Standard => HistorySink::with_limit(MAX_HISTORY_EVENTS),
        StateMachineType::Express => HistorySink::default(),
    }));
    let mut started =
        json!({"input": text, "inputDetails": {"truncated": false}, "roleArn": machine.role_arn});
    for (key, arn) in [
        ("stateMachineAliasArn", &target.alias_arn),
        ("stateMachineVersionArn", &target.version_arn),
    ] {
        if let (Some(arn), Some(details)) = (arn, started.as_object_mut()) {
            details.insert(key.into(), Value::String(arn.clone()));
        }
    }
    history.lock().push(
        start_date,
        T::ExecutionStarted,
        0,
        Some(("executionStartedEventDetails", started)),
    );
    let (status_tx, status_rx) = watch::channel(ExecutionStatus::Running);
    let record = Arc::new(ExecutionRecord {
        arn: arn.clone(),
        name: name.clone(),
        state_machine_arn: machine.arn.clone(),
        machine: Arc::clone(&machine),
        state_machine_version_arn: target.version_arn,
        state_machine_alias_arn: target.alias_arn,
        input: text,
        start_date,
        state: Mutex::new(ExecutionState {
            status: ExecutionStatus::Running,
            stop_date: None,
            output: None,
            error: None,
            cause: None,
        }),
        history: Arc::clone(&history),
        status_tx,
        status_rx,
        abort: Mutex::new(None),
    });
    executions.insert(arn.clone(), Arc::clone(&record));
    drop(executions);

    let mut execution_ctx = json!({
        "Id": arn,
        "Input": value,
        "Name": name,
        "RoleArn": machine.role_arn,
        "StartTime": crate::timestamp::format(start_date),
    });
    // Only Standard executions can be redriven: an Express one's `$$.Execution` has no
    // `RedriveCount` (as recorded against AWS).
    if machine.machine_type == StateMachineType::Standard {
        execution_ctx["RedriveCount"] = json!(0);
    }
    let base_ctx = Arc::new(json!({
        "Execution": execution_ctx,
        "StateMachine": {"Id": machine.arn, "Name": machine.name},
    }));
    let def = Arc::clone(&machine.definition);
    let thread = Thread::new(
        def.start_at.clone(),
        Arc::clone(&machine.states),
        base_ctx,
        BTreeMap::new(),
        inner.rand.fork(&arn),
        inner.region.as_str().to_string(),
    );
    let rt = Arc::new(Runtime {
        clock: inner.clock.clone(),
        handlers: Arc::clone(&inner.handlers),
        tokens: inner.tokens.clone(),
        activities: inner.activities.clone(),
        history,
        region: inner.region.as_str().to_string(),
        account: inner.account.as_str().to_string(),
        service: Arc::downgrade(&sfn.inner),
    });
    let limit = execution_limit(
        machine.machine_type == StateMachineType::Express,
        def.timeout_seconds,
    );
    let rec = Arc::clone(&record);
    let service = Arc::downgrade(&sfn.inner);
    let handle = tokio::spawn(async move {
        let run = run_thread(Arc::clone(&rt), thread, value);
        let outcome = rt.clock.timeout_at(start + limit, run).await.ok();
        record_end(&rt, &rec, outcome.map(|(_, r)| r));
        // A machine being deleted goes once its last execution has ended.
        if let Some(inner) = service.upgrade() {
            inner.reap(&rec.state_machine_arn);
        }
    });
    *record.abort.lock() = Some(handle.abort_handle());
    Ok(StartExecutionOutput {
        execution_arn: arn,
        start_date,
    })
}

/// Records an execution's end (`None`: it timed out) on its record and as the last history
/// event. A halted execution (history limit, deleted machine) fails whatever its threads did.
pub(crate) fn record_end(
    rt: &Runtime,
    rec: &ExecutionRecord,
    outcome: Option<Result<Value, crate::engine::Failure>>,
) {
    let now = rt.now();
    let mut h = rt.history.lock();
    let prev = h.events.last().map_or(0, |e| e.id);
    let outcome = match (&h.halt, outcome) {
        (Some((error, cause)), Some(_)) => Some(Err(crate::engine::Failure::new(
            error.clone(),
            cause.clone(),
        ))),
        (_, outcome) => outcome,
    };
    let (status, output, error, cause, event, details) = match outcome {
        Some(Ok(output)) => {
            let text = output.to_string();
            let details = json!({"output": text, "outputDetails": {"truncated": false}});
            (
                ExecutionStatus::Succeeded,
                Some(text),
                None,
                None,
                T::ExecutionSucceeded,
                ("executionSucceededEventDetails", details),
            )
        }
        Some(Err(f)) => {
            let details = json!({"error": f.error, "cause": f.cause});
            (
                ExecutionStatus::Failed,
                None,
                Some(f.error),
                Some(f.cause),
                T::ExecutionFailed,
                ("executionFailedEventDetails", details),
            )
        }
        None => (
            ExecutionStatus::TimedOut,
            None,
            Some("States.Timeout".to_owned()),
            Some(String::new()),
            T::ExecutionTimedOut,
            (
                "executionTimedOutEventDetails",
                json!({"error": "States.Timeout", "cause": ""}),
            ),
        ),
    };
    if rec.finish(status, now.wall, output, error, cause) {
        h.push(now.wall, event, prev, Some(details));
    }
}
