//! Error paths: Retry (backoff on the clock, MaxAttempts 0, first matching retrier), Catch with
//! ResultPath, `States.ALL` not catching `States.Runtime`, the payload limit, StopExecution,
//! and the timeout names (`States.Timeout` reported for both kinds, `States.HeartbeatTimeout`
//! matching missed heartbeats only).

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use aws_lite_core::Clock;
use aws_lite_flow::{ExecutionStatus, TaskError};
use serde_json::json;
use support::{output, run, sfn};

fn flaky(sfn: &aws_lite_flow::Sfn, failures: u32) -> Arc<AtomicU32> {
    let calls = Arc::new(AtomicU32::new(0));
    let seen = calls.clone();
    sfn.register_task_handler("arn:aws:states:::flaky:op", move |v| {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        async move {
            if n < failures {
                Err(TaskError::new("Flaky", format!("attempt {n}")))
            } else {
                Ok(v)
            }
        }
    });
    calls
}

#[tokio::test(start_paused = true)]
async fn retry_backs_off_on_the_clock() {
    let sfn = sfn();
    let calls = flaky(&sfn, 3);
    let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::flaky:op",
        "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3}],
        "End": true}}}"#;
    let start = sfn.clock().now();
    let (done, types) = run(&sfn, def, json!({"ok": 1})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert_eq!(sfn.clock().now() - start, Duration::from_secs(2 + 6 + 18));
    assert_eq!(types.iter().filter(|t| *t == "TaskFailed").count(), 3);
    assert_eq!(types.iter().filter(|t| *t == "TaskStateEntered").count(), 1);
}

#[tokio::test(start_paused = true)]
async fn max_delay_caps_and_exhaustion_goes_to_catch() {
    let sfn = sfn();
    flaky(&sfn, 10);
    let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::flaky:op",
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxAttempts": 2, "MaxDelaySeconds": 15}],
        "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.err", "Next": "H"}],
        "End": true}, "H": {"Type": "Pass", "End": true}}}"#;
    let start = sfn.clock().now();
    let (done, _) = run(&sfn, def, json!({"a": 1})).await;
    assert_eq!(sfn.clock().now() - start, Duration::from_secs(10 + 15));
    assert_eq!(
        output(&done),
        json!({"a": 1, "err": {"Error": "Flaky", "Cause": "attempt 2"}})
    );
}

#[tokio::test(start_paused = true)]
async fn max_attempts_zero_never_retries() {
    let sfn = sfn();
    let calls = flaky(&sfn, 1);
    let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::flaky:op",
        "Retry": [{"ErrorEquals": ["Flaky"], "MaxAttempts": 0}, {"ErrorEquals": ["States.ALL"]}],
        "End": true}}}"#;
    let (done, _) = run(&sfn, def, json!({})).await;
    assert_eq!(done.error.as_deref(), Some("Flaky"));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn states_all_does_not_catch_runtime() {
    let sfn = sfn();
    sfn.register_task_handler("arn:aws:states:::id:op", |v| async move { Ok(v) });
    let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::id:op",
        "Parameters": {"x.$": "$.missing"},
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}], "End": true},
        "H": {"Type": "Pass", "End": true}}}"#;
    let (done, _) = run(&sfn, def, json!({"a": 1})).await;
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        done.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'T' (entered at the event id #2). The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{\"a\":1}'"
        )
    );
}

#[tokio::test(start_paused = true)]
async fn runtime_errors_are_not_caught_or_retried_even_by_name() {
    // As recorded against AWS: a Catch naming States.Runtime does not take an OutputPath
    // failure; the execution fails after LambdaFunctionSucceeded/TaskSucceeded.
    let sfn = sfn();
    let calls = flaky(&sfn, 0);
    let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::flaky:op",
        "OutputPath": "$.no.such.result.path",
        "Retry": [{"ErrorEquals": ["States.Runtime"], "MaxAttempts": 3}],
        "Catch": [{"ErrorEquals": ["States.Runtime"], "Next": "H"}], "Next": "F"},
        "H": {"Type": "Pass", "End": true}, "F": {"Type": "Pass", "End": true}}}"#;
    let (done, types) = run(&sfn, def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        done.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'T' (entered at the event id #2). Invalid path '$.no.such.result.path' : Missing property in path $['no']"
        )
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "ExecutionFailed"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn oversized_task_result_is_data_limit_exceeded() {
    let sfn = sfn();
    sfn.register_task_handler("arn:aws:states:::big:op", |_| async move {
        Ok(json!("a".repeat(300 * 1024)))
    });
    let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::big:op",
        "End": true}}}"#;
    let (done, _) = run(&sfn, def, json!({})).await;
    assert_eq!(done.error.as_deref(), Some("States.DataLimitExceeded"));
}

#[tokio::test(start_paused = true)]
async fn stop_execution_aborts() {
    let sfn = sfn();
    let sm = sfn
        .create_state_machine()
        .name("waits")
        .definition(
            r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 100, "End": true}}}"#,
        )
        .send()
        .await
        .unwrap();
    let run = sfn
        .start_execution()
        .state_machine_arn(&sm.state_machine_arn)
        .name("one")
        .send()
        .await
        .unwrap();
    // Idempotent on name while running with the same input.
    let again = sfn
        .start_execution()
        .state_machine_arn(&sm.state_machine_arn)
        .name("one")
        .send()
        .await
        .unwrap();
    assert_eq!(again.execution_arn, run.execution_arn);
    tokio::task::yield_now().await;
    sfn.stop_execution()
        .execution_arn(&run.execution_arn)
        .error("Stop")
        .send()
        .await
        .unwrap();
    let d = sfn
        .describe_execution()
        .execution_arn(&run.execution_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(d.status, ExecutionStatus::Aborted);
    let list = sfn
        .list_executions()
        .state_machine_arn(&sm.state_machine_arn)
        .status_filter(ExecutionStatus::Aborted)
        .send()
        .await
        .unwrap();
    assert_eq!(list.executions.len(), 1);
    let err = sfn
        .start_execution()
        .state_machine_arn(&sm.state_machine_arn)
        .name("one")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ExecutionAlreadyExists");
}

/// A handler that takes ten minutes of virtual time.
fn slow(sfn: &aws_lite_flow::Sfn) {
    let clock = sfn.clock().clone();
    sfn.register_task_handler("arn:aws:states:::slow:op", move |v| {
        let sleep = clock.sleep(Duration::from_secs(600));
        async move {
            sleep.await;
            Ok(v)
        }
    });
}

/// A slow task with `timing` fields, one catcher for `names`, and a Retry for `retry` names
/// (`IntervalSeconds` 1, `MaxAttempts` 1).
fn timeout_machine(timing: &str, names: &str, retry: &str) -> String {
    format!(
        r#"{{"StartAt": "T", "States": {{
            "T": {{"Type": "Task", "Resource": "arn:aws:states:::slow:op", {timing},
                "Retry": [{{"ErrorEquals": [{retry}], "IntervalSeconds": 1, "MaxAttempts": 1}}],
                "Catch": [{{"ErrorEquals": [{names}], "ResultPath": "$.err", "Next": "Caught"}}],
                "End": true}},
            "Caught": {{"Type": "Pass", "End": true}}}}}}"#
    )
}

#[tokio::test(start_paused = true)]
async fn heartbeat_timeout_is_reported_as_states_timeout_and_caught_by_either_name() {
    let sfn = sfn();
    slow(&sfn);
    let heartbeat = r#""TimeoutSeconds": 100, "HeartbeatSeconds": 10"#;
    for name in [r#""States.HeartbeatTimeout""#, r#""States.Timeout""#] {
        let (done, types) = run(
            &sfn,
            &timeout_machine(heartbeat, name, r#""None""#),
            json!({}),
        )
        .await;
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{name}");
        // The caught error carries the reported name, not the matcher's.
        assert_eq!(
            output(&done),
            json!({"err": {"Error": "States.Timeout", "Cause": ""}}),
            "{name}"
        );
        assert!(types.contains(&"TaskTimedOut".to_string()));
    }
    // Uncaught: the execution fails with States.Timeout.
    let (done, _) = run(
        &sfn,
        &timeout_machine(heartbeat, r#""None""#, r#""None""#),
        json!({}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
}

#[tokio::test(start_paused = true)]
async fn heartbeat_timeout_name_does_not_match_a_timeout_seconds_timeout() {
    let sfn = sfn();
    slow(&sfn);
    let timeout = r#""TimeoutSeconds": 5"#;
    let start = sfn.clock().now();
    let (done, _) = run(
        &sfn,
        &timeout_machine(
            timeout,
            r#""States.HeartbeatTimeout""#,
            r#""States.HeartbeatTimeout""#,
        ),
        json!({}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    // Not retried either: one 5 s attempt.
    assert_eq!(sfn.clock().now() - start, Duration::from_secs(5));
    // States.Timeout catches it.
    let (done, _) = run(
        &sfn,
        &timeout_machine(timeout, r#""States.Timeout""#, r#""None""#),
        json!({}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
}

#[tokio::test(start_paused = true)]
async fn heartbeat_timeout_name_retries_a_missed_heartbeat_and_task_failed_does_not() {
    let sfn = sfn();
    slow(&sfn);
    let heartbeat = r#""TimeoutSeconds": 100, "HeartbeatSeconds": 10"#;
    let start = sfn.clock().now();
    let (done, types) = run(
        &sfn,
        &timeout_machine(heartbeat, r#""None""#, r#""States.HeartbeatTimeout""#),
        json!({}),
    )
    .await;
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    // Two 10 s attempts and a 1 s interval.
    assert_eq!(sfn.clock().now() - start, Duration::from_secs(21));
    assert_eq!(types.iter().filter(|t| *t == "TaskTimedOut").count(), 2);
    // States.TaskFailed matches no timeout.
    let (done, _) = run(
        &sfn,
        &timeout_machine(heartbeat, r#""States.TaskFailed""#, r#""None""#),
        json!({}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Failed);
}
