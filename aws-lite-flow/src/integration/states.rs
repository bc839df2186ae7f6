//! Step Functions itself: `arn:aws:states:::states:startExecution` and its `.sync`, `.sync:2`
//! and `.waitForTaskToken` forms start an execution on the same [`Sfn`].
//!
//! # Parameters
//!
//! `StateMachineArn` (a machine, version or alias ARN), `Input` and `Name`. `Input` is the
//! child's input text: a string is taken as JSON text, any other JSON value is serialized, and
//! absent or null gives `{}`. The child is an ordinary execution with its own context object
//! (`$$.Execution.Id` is its ARN, `$$.Execution.Input` its input); to link it to its parent,
//! pass the parent's id in the input as AWS documents,
//! `"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"` — the child receives it
//! as a field of its input.
//!
//! # Results
//!
//! - Request-response and `.waitForTaskToken`: StartExecution's response, `ExecutionArn` and
//!   `StartDate` (epoch milliseconds), with `SdkHttpMetadata` and `SdkResponseMetadata`. A
//!   `.waitForTaskToken` task then waits for its token (which the child may report).
//! - `.sync` and `.sync:2`: that response is the `TaskSubmitted` output; the task then waits for
//!   the child to stop and returns DescribeExecution's fields in PascalCase (`ExecutionArn`,
//!   `Input`, `InputDetails`, `Name`, `Output`, `OutputDetails`, `RedriveCount`,
//!   `RedriveStatus`, `RedriveStatusReason`, `StartDate`, `StateMachineArn`, `Status`,
//!   `StopDate`, and the version and alias ARNs when set). `.sync` gives `Input` and `Output` as
//!   JSON text, `.sync:2` as JSON. A `.sync` task also has a task token: a report to it ends the
//!   task first, as on AWS.
//!
//! # Errors
//!
//! A child that does not succeed fails the task with `States.TaskFailed` and, as cause, the same
//! description with the child's `Error` and `Cause`. A StartExecution error is
//! `StepFunctions.<Code>Exception` (`StateMachineDoesNotExistException`,
//! `ExecutionAlreadyExistsException`, `InvalidExecutionInputException`, …) with the SDK's
//! message (status 400).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lite_core::Error;
use serde_json::{Map, Value, json};

use super::{Ctx, Pattern, epoch_millis, json_headers, sdk_metadata, service_error, str_param};
use crate::Sfn;
use crate::callback::TokenReport;
use crate::engine::TaskError;
use crate::operation::describe_execution::DescribeExecutionOutput;
use crate::operation::start_execution::{StartExecutionInput, start_execution as start};
use crate::service::ExecutionStatus;

/// `StepFunctions.<Code>Exception` for a Step Functions error.
fn api_error(err: &Error, request_id: &str) -> TaskError {
    let code = err.code();
    let exception = if code.ends_with("Exception") {
        code.to_string()
    } else {
        format!("{code}Exception")
    };
    let status = if err.status() >= 500 {
        err.status()
    } else {
        400
    };
    service_error(
        "StepFunctions",
        &exception,
        "AWSStepFunctions",
        status,
        err,
        request_id,
    )
}

/// The child's input text.
fn input_text(params: &Value) -> Option<String> {
    str_param(params, "Input")
}

/// StartExecution with the task's parameters; for `.sync`/`.sync:2`, arranges for the child's
/// end to be reported to the task's `token` (or, with no token, waits for it here).
pub(crate) async fn start_execution(
    sfn: &Sfn,
    pattern: Pattern,
    params: Value,
    token: Option<String>,
    ctx: &Ctx,
) -> Result<Value, TaskError> {
    let request_id = ctx.request_id();
    let input = StartExecutionInput {
        state_machine_arn: str_param(&params, "StateMachineArn").unwrap_or_default(),
        name: str_param(&params, "Name"),
        input: input_text(&params),
    };
    let started = start(sfn, input).map_err(|e| api_error(&e, &request_id))?;
    let body = json!({
        "executionArn": started.execution_arn,
        "startDate": epoch_seconds(started.start_date),
    });
    let mut result = Map::new();
    result.insert("ExecutionArn".into(), json!(started.execution_arn));
    result.insert("StartDate".into(), json!(epoch_millis(started.start_date)));
    let headers = json_headers(
        "application/x-amz-json-1.0",
        crate::dataflow::compact(&body).len(),
        &request_id,
        ctx.date(),
    );
    sdk_metadata(&mut result, &headers, &request_id);
    let parse = pattern == Pattern::Sync2;
    match (pattern, token) {
        (Pattern::Sync | Pattern::Sync2, Some(token)) => {
            let sfn = sfn.clone();
            let arn = started.execution_arn.clone();
            tokio::spawn(async move {
                if let Ok(done) = sfn.wait_for_execution(&arn).await {
                    let report = match outcome(&done, parse) {
                        Ok(v) => TokenReport::Success(v),
                        Err(e) => TokenReport::Failure {
                            error: Some(e.error),
                            cause: Some(e.cause),
                        },
                    };
                    // A task that has ended already (timed out, stopped) ignores the report.
                    let _ = sfn.inner.tokens.report(&token, report);
                }
            });
            Ok(Value::Object(result))
        }
        (Pattern::Sync | Pattern::Sync2, None) => {
            // No token (TestState): wait for the child here.
            let done = sfn
                .wait_for_execution(&started.execution_arn)
                .await
                .map_err(|e| api_error(&e, &request_id))?;
            outcome(&done, parse)
        }
        _ => Ok(Value::Object(result)),
    }
}

/// The result of a `.sync` task whose child has stopped, or its failure.
pub(crate) fn outcome(done: &DescribeExecutionOutput, parse: bool) -> Result<Value, TaskError> {
    let v = describe(done, parse);
    if done.status == ExecutionStatus::Succeeded {
        Ok(v)
    } else {
        Err(TaskError::new(
            "States.TaskFailed",
            crate::dataflow::compact(&v),
        ))
    }
}

/// DescribeExecution's fields in PascalCase, as a `.sync` result: dates in epoch
/// milliseconds, `Input`/`Output` as text (or, with `parse`, as JSON), `…Details` and the
/// redrive fields.
pub(crate) fn describe(done: &DescribeExecutionOutput, parse: bool) -> Value {
    let raw = serde_json::to_value(done).unwrap_or(Value::Null);
    let mut out = Map::new();
    if let Value::Object(m) = raw {
        for (k, v) in m {
            let key = pascal(&k);
            let v = match key.as_str() {
                "StartDate" | "StopDate" => match v.as_f64() {
                    Some(s) => json!(epoch_millis(
                        UNIX_EPOCH + Duration::from_secs_f64(s.max(0.0))
                    )),
                    None => v,
                },
                "Input" | "Output" if parse => match &v {
                    Value::String(t) => serde_json::from_str(t).unwrap_or(v),
                    _ => v,
                },
                _ => v,
            };
            // A failure without a cause (a timeout) has no `Cause`.
            if key == "Cause" && v.as_str() == Some("") {
                continue;
            }
            out.insert(key, v);
        }
    }
    out.insert("InputDetails".into(), json!({"Included": true}));
    if out.contains_key("Output") {
        out.insert("OutputDetails".into(), json!({"Included": true}));
    }
    out.insert("RedriveCount".into(), json!(0));
    if done.status == ExecutionStatus::Succeeded {
        out.insert("RedriveStatus".into(), json!("NOT_REDRIVABLE"));
        out.insert(
            "RedriveStatusReason".into(),
            json!("Execution is SUCCEEDED and cannot be redriven"),
        );
    } else {
        out.insert("RedriveStatus".into(), json!("REDRIVABLE"));
    }
    Value::Object(out)
}

/// `camelCase` → `PascalCase`.
fn pascal(k: &str) -> String {
    let mut c = k.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Epoch seconds with milliseconds, as the Step Functions JSON protocol sends a date.
fn epoch_seconds(t: SystemTime) -> f64 {
    epoch_millis(t) as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case() {
        assert_eq!(pascal("executionArn"), "ExecutionArn");
        assert_eq!(pascal("stateMachineVersionArn"), "StateMachineVersionArn");
        assert_eq!(pascal(""), "");
    }

    #[test]
    fn error_names() {
        let e = Error::not_found(
            "StateMachineDoesNotExist",
            "State Machine Does Not Exist: 'arn'",
        );
        let t = api_error(&e, "rid");
        assert_eq!(t.error, "StepFunctions.StateMachineDoesNotExistException");
        assert_eq!(
            t.cause,
            "State Machine Does Not Exist: 'arn' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: rid; Proxy: null)"
        );
    }
}
