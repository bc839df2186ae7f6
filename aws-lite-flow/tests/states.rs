//! One test per state type: Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map.

mod support;

use std::time::Duration;

use aws_lite_core::Clock;
use aws_lite_flow::{ExecutionStatus, TaskError};
use serde_json::json;
use support::{output, run, sfn};

#[tokio::test(start_paused = true)]
async fn pass_data_flow_in_aws_order() {
    let sfn = sfn();
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass",
        "InputPath": "$.in", "Parameters": {"x.$": "$.a", "ctx.$": "$$.State.Name", "lit": 1},
        "ResultPath": "$.res", "OutputPath": "$.res", "End": true}}}"#;
    let (done, types) = run(&sfn, def, json!({"in": {"a": 5}})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(output(&done), json!({"x": 5, "ctx": "P", "lit": 1}));
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn pass_result_is_literal() {
    let sfn = sfn();
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"k.$": "$.x"}, "End": true}}}"#;
    let (done, _) = run(&sfn, def, json!({"x": 1})).await;
    assert_eq!(output(&done), json!({"k.$": "$.x"}));
}

#[tokio::test(start_paused = true)]
async fn task_handler_and_result_selector() {
    let sfn = sfn();
    sfn.register_task_handler("arn:aws:states:::my:thing", |v| async move {
        Ok(json!({"echo": v, "extra": true}))
    });
    let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::my:thing",
        "Parameters": {"n.$": "$.n"}, "ResultSelector": {"got.$": "$.echo.n"}, "ResultPath": "$.r", "End": true}}}"#;
    let (done, types) = run(&sfn, def, json!({"n": 3})).await;
    assert_eq!(output(&done), json!({"n": 3, "r": {"got": 3}}));
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn task_timeout_is_states_timeout() {
    let sfn = sfn();
    let clock = sfn.clock().clone();
    sfn.register_task_handler("arn:aws:states:::slow:op", move |v| {
        let sleep = clock.sleep(Duration::from_secs(600));
        async move {
            sleep.await;
            Ok(v)
        }
    });
    let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::slow:op",
        "TimeoutSeconds": 5, "End": true}}}"#;
    let start = sfn.clock().now();
    let (done, types) = run(&sfn, def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    assert!(types.contains(&"TaskTimedOut".to_string()));
    assert_eq!(sfn.clock().now() - start, Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn heartbeat_timeout() {
    let sfn = sfn();
    let clock = sfn.clock().clone();
    sfn.register_task_handler("arn:aws:states:::slow:op", move |v| {
        let sleep = clock.sleep(Duration::from_secs(600));
        async move {
            sleep.await;
            Ok(v)
        }
    });
    let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::slow:op",
        "TimeoutSeconds": 100, "HeartbeatSeconds": 10, "End": true}}}"#;
    let (done, _) = run(&sfn, def, json!({})).await;
    // Reported as States.Timeout, as AWS does.
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
}

#[tokio::test(start_paused = true)]
async fn choice_operators_and_logic() {
    let sfn = sfn();
    let def = r#"{"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"And": [{"Variable": "$.n", "NumericGreaterThanEqualsPath": "$.min"},
                     {"Not": {"Variable": "$.s", "StringMatches": "*.tmp"}},
                     {"Variable": "$.t", "TimestampLessThan": "2030-01-01T00:00:00Z"},
                     {"Variable": "$.missing", "IsPresent": false}],
             "Next": "Yes"}],
          "Default": "No"},
        "Yes": {"Type": "Pass", "Result": "yes", "End": true},
        "No": {"Type": "Pass", "Result": "no", "End": true}}}"#;
    let (done, types) = run(
        &sfn,
        def,
        json!({"n": 5, "min": 5, "s": "a.log", "t": "2024-01-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(output(&done), json!("yes"));
    assert_eq!(types[1..3], ["ChoiceStateEntered", "ChoiceStateExited"]);
    let (done, _) = run(&sfn, def, json!({"n": 4, "min": 5, "s": "a", "t": "x"})).await;
    assert_eq!(output(&done), json!("no"));
}

#[tokio::test(start_paused = true)]
async fn choice_without_match_fails() {
    let sfn = sfn();
    let def = r#"{"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "E"}]},
        "E": {"Type": "Succeed"}}}"#;
    let (done, _) = run(&sfn, def, json!({"n": 2})).await;
    assert_eq!(done.error.as_deref(), Some("States.NoChoiceMatched"));
}

#[tokio::test(start_paused = true)]
async fn one_year_wait_completes_at_once() {
    let sfn = sfn();
    let def = r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 31536000, "Next": "T"},
        "T": {"Type": "Wait", "TimestampPath": "$.at", "End": true}}}"#;
    let start = sfn.clock().now();
    let (done, types) = run(&sfn, def, json!({"at": "2000-01-01T00:00:00Z"})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(sfn.clock().now() - start, Duration::from_secs(31_536_000));
    assert_eq!(types.iter().filter(|t| *t == "WaitStateExited").count(), 2);
}

#[tokio::test(start_paused = true)]
async fn standard_executions_time_out_after_one_year() {
    let sfn = sfn();
    // Two years of waiting: the execution ends at Step Functions' one-year maximum.
    let def =
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 63072000, "End": true}}}"#;
    let start = sfn.clock().now();
    let (done, types) = run(&sfn, def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::TimedOut);
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    assert_eq!(sfn.clock().now() - start, Duration::from_secs(365 * 86_400));
    assert_eq!(types.last().map(String::as_str), Some("ExecutionTimedOut"));
    // A machine's longer TimeoutSeconds does not extend it.
    let def = r#"{"TimeoutSeconds": 99999999, "StartAt": "W",
        "States": {"W": {"Type": "Wait", "Seconds": 63072000, "End": true}}}"#;
    let start = sfn.clock().now();
    let (done, _) = run(&sfn, def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::TimedOut);
    assert_eq!(sfn.clock().now() - start, Duration::from_secs(365 * 86_400));
}

#[tokio::test(start_paused = true)]
async fn wait_seconds_path_errors() {
    let sfn = sfn();
    let def =
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}"#;
    let (done, _) = run(&sfn, def, json!({"s": -1})).await;
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        done.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'W' (entered at the event id #2). The SecondsPath parameter references a negative value: $.s == -1"
        )
    );
}

#[tokio::test(start_paused = true)]
async fn succeed_and_fail_paths() {
    let sfn = sfn();
    let def = r#"{"StartAt": "S", "States": {"S": {"Type": "Succeed", "OutputPath": "$.a"}}}"#;
    let (done, _) = run(&sfn, def, json!({"a": [1]})).await;
    assert_eq!(output(&done), json!([1]));
    let def = r#"{"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.e",
        "CausePath": "States.Format('bad {}', $.c)"}}}"#;
    let (done, types) = run(&sfn, def, json!({"e": "Oops", "c": 7})).await;
    assert_eq!(done.error.as_deref(), Some("Oops"));
    assert_eq!(done.cause.as_deref(), Some("bad 7"));
    assert_eq!(
        types,
        ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]
    );
}

#[tokio::test(start_paused = true)]
async fn parallel_outputs_in_branch_order() {
    let sfn = sfn();
    let clock = sfn.clock().clone();
    sfn.register_task_handler("arn:aws:states:::slow:op", move |v| {
        let sleep = clock.sleep(Duration::from_secs(10));
        async move {
            sleep.await;
            Ok(v)
        }
    });
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::slow:op", "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": "b", "End": true}}}]}}}"#;
    let (done, types) = run(&sfn, def, json!("a")).await;
    assert_eq!(output(&done), json!(["a", "b"]));
    assert!(types.contains(&"ParallelStateStarted".to_string()));
    assert!(types.contains(&"ParallelStateSucceeded".to_string()));
}

#[tokio::test(start_paused = true)]
async fn parallel_branch_failure_fails_the_state() {
    let sfn = sfn();
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
        "Catch": [{"ErrorEquals": ["Boom"], "Next": "Caught"}], "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Fail", "Error": "Boom", "Cause": "c"}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]},
        "Caught": {"Type": "Pass", "End": true}}}"#;
    let (done, types) = run(&sfn, def, json!({})).await;
    assert_eq!(output(&done), json!({"Error": "Boom", "Cause": "c"}));
    assert!(types.contains(&"ParallelStateFailed".to_string()));
}

#[tokio::test(start_paused = true)]
async fn map_items_selector_concurrency() {
    let sfn = sfn();
    let def = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.xs", "MaxConcurrency": 2,
        "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index", "k.$": "$.k"},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "I",
            "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}}}"#;
    let (done, types) = run(&sfn, def, json!({"xs": [10, 20, 30], "k": "K"})).await;
    assert_eq!(
        output(&done),
        json!([{"v": 10, "i": 0, "k": "K"}, {"v": 20, "i": 1, "k": "K"}, {"v": 30, "i": 2, "k": "K"}])
    );
    assert_eq!(
        types
            .iter()
            .filter(|t| *t == "MapIterationSucceeded")
            .count(),
        3
    );
}

#[tokio::test(start_paused = true)]
async fn map_tolerated_failures() {
    let sfn = sfn();
    sfn.register_task_handler("arn:aws:states:::odd:check", |v| async move {
        if v.as_i64().unwrap_or(0) % 2 == 1 {
            Err(TaskError::new("Odd", "odd item"))
        } else {
            Ok(v)
        }
    });
    let def = |tolerance: &str| {
        format!(
            r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", {tolerance}
            "ItemProcessor": {{"StartAt": "I", "States": {{"I": {{"Type": "Task", "Resource": "arn:aws:states:::odd:check", "End": true}}}}}},
            "End": true}}}}}}"#
        )
    };
    let (done, _) = run(
        &sfn,
        &def(r#""ToleratedFailureCount": 1,"#),
        json!([1, 2, 4]),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let (done, _) = run(
        &sfn,
        &def(r#""ToleratedFailurePercentage": 10,"#),
        json!([1, 2, 4]),
    )
    .await;
    assert_eq!(
        done.error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    let (done, types) = run(&sfn, &def(""), json!([2, 3])).await;
    assert_eq!(done.error.as_deref(), Some("Odd"));
    assert!(types.contains(&"MapStateFailed".to_string()));
}

#[tokio::test(start_paused = true)]
async fn variables_scope() {
    let sfn = sfn();
    let def = r#"{"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"x": 1, "y.$": "$.in"}, "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$.xs", "ItemProcessor": {"StartAt": "I", "States": {
            "I": {"Type": "Pass", "Assign": {"x": 99}, "Parameters": {"outer.$": "$y"}, "End": true}}},
            "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"x.$": "$x", "inner.$": "$"}, "End": true}}}"#;
    let (done, _) = run(&sfn, def, json!({"in": "v", "xs": [1]})).await;
    assert_eq!(output(&done), json!({"x": 1, "inner": [{"outer": "v"}]}));
}

#[tokio::test(start_paused = true)]
async fn wait_until_a_timestamp_decades_ahead_keeps_running() {
    // AWS accepts a Timestamp 24,855 days ahead (just under 2^31 seconds) and waits.
    let sfn = sfn();
    let sm = sfn
        .create_state_machine()
        .name("far")
        .definition(
            r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "TimestampPath": "$.at", "End": true}}}"#,
        )
        .send()
        .await
        .unwrap();
    let run = sfn
        .start_execution()
        .state_machine_arn(&sm.state_machine_arn)
        .input(r#"{"at": "2094-12-17T13:30:07.000Z"}"#)
        .send()
        .await
        .unwrap();
    sfn.clock().sleep(Duration::from_secs(86_400)).await;
    let described = sfn
        .describe_execution()
        .execution_arn(&run.execution_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(described.status, ExecutionStatus::Running);
    let history = sfn
        .get_execution_history()
        .execution_arn(&run.execution_arn)
        .send()
        .await
        .unwrap();
    let types: Vec<String> = history
        .events
        .iter()
        .map(|e| e.event_type.to_string())
        .collect();
    assert_eq!(types, ["ExecutionStarted", "WaitStateEntered"]);
}

#[tokio::test(start_paused = true)]
async fn map_tasks_timing_out_together_are_all_recorded_then_aborted() {
    // As recorded against AWS: every iteration's TaskTimedOut comes first, then the first
    // iteration fails and the others are aborted, each followed by its TaskStateAborted.
    let sfn = sfn();
    let clock = sfn.clock().clone();
    sfn.register_task_handler("arn:aws:states:::slow:op", move |v| {
        let sleep = clock.sleep(Duration::from_secs(60));
        async move {
            sleep.await;
            Ok(v)
        }
    });
    let def = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::slow:op", "TimeoutSeconds": 5,
                "End": true}}},
        "End": true}}}"#;
    let (done, types) = run(&sfn, def, json!({"items": [1, 2, 3]})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    let tail: Vec<&str> = types
        .iter()
        .skip_while(|t| *t != "TaskTimedOut")
        .map(String::as_str)
        .collect();
    assert_eq!(
        tail,
        [
            "TaskTimedOut",
            "TaskTimedOut",
            "TaskTimedOut",
            "MapIterationFailed",
            "TaskStateAborted",
            "MapIterationAborted",
            "TaskStateAborted",
            "MapIterationAborted",
            "TaskStateAborted",
            "MapStateFailed",
            "ExecutionFailed"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn map_iterations_aborted_mid_task_record_task_state_aborted() {
    // One iteration fails at once; the other is still in its (slow) task: aborted.
    let sfn = sfn();
    let clock = sfn.clock().clone();
    sfn.register_task_handler("arn:aws:states:::maybe:op", move |v: serde_json::Value| {
        let sleep = clock.sleep(Duration::from_secs(60));
        async move {
            if v == json!(0) {
                return Err(TaskError::new("Boom", "bang"));
            }
            sleep.await;
            Ok(v)
        }
    });
    let def = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::maybe:op", "End": true}}},
        "End": true}}}"#;
    let (done, types) = run(&sfn, def, json!({"items": [0, 1]})).await;
    assert_eq!(done.error.as_deref(), Some("Boom"));
    assert_eq!(types.iter().filter(|t| *t == "TaskStarted").count(), 2);
    let tail: Vec<&str> = types
        .iter()
        .skip_while(|t| *t != "MapIterationFailed")
        .map(String::as_str)
        .collect();
    assert_eq!(
        tail,
        [
            "MapIterationFailed",
            "TaskStateAborted",
            "MapIterationAborted",
            "TaskStateAborted",
            "MapStateFailed",
            "ExecutionFailed"
        ]
    );
}
