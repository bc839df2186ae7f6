//! TestState: one state evaluated alone, with inspection data, mocks, Retry and Catch.

use aws_lite_flow::operation::test_state::{
    InspectionLevel, TestExecutionStatus, TestStateConfiguration, TestStateMock,
};
use aws_lite_flow::{Sfn, TaskError};
use serde_json::{Value, json};

fn parse(s: &Option<String>) -> Value {
    serde_json::from_str(s.as_deref().unwrap_or("null")).unwrap()
}

const TASK: &str = r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    "InputPath": "$.in", "Parameters": {"FunctionName": "f", "Payload.$": "$"},
    "ResultSelector": {"p.$": "$.Payload"}, "ResultPath": "$.out",
    "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "MaxAttempts": 2}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Handle"}],
    "Next": "After"}"#;

#[tokio::test(start_paused = true)]
async fn pass_inspection_data_at_debug_and_none_at_info() {
    let sfn = Sfn::new();
    let def = r#"{"Type": "Pass", "InputPath": "$.a", "Parameters": {"x.$": "$.b"},
        "ResultPath": "$.r", "End": true}"#;
    let out = sfn
        .test_state()
        .definition(def)
        .input(r#"{"a": {"b": 1}}"#)
        .inspection_level(InspectionLevel::Debug)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status, TestExecutionStatus::Succeeded);
    assert_eq!(parse(&out.output), json!({"a": {"b": 1}, "r": {"x": 1}}));
    assert_eq!(out.next_state, None);
    let d = out.inspection_data.unwrap();
    assert_eq!(parse(&d.after_input_path), json!({"b": 1}));
    assert_eq!(parse(&d.after_parameters), json!({"x": 1}));
    assert_eq!(
        parse(&d.after_result_path),
        json!({"a": {"b": 1}, "r": {"x": 1}})
    );
    assert_eq!(d.result, None);

    let info = sfn
        .test_state()
        .definition(def)
        .input(r#"{"a": {"b": 1}}"#)
        .send()
        .await
        .unwrap();
    assert!(info.inspection_data.is_none());
}

#[tokio::test(start_paused = true)]
async fn task_uses_the_registered_handler_or_a_mock() {
    let sfn = Sfn::new();
    sfn.register_task_handler(
        "arn:aws:lambda:us-east-1:000000000000:function:f",
        |v| async move { Ok(json!({"echo": v})) },
    );
    let out = sfn
        .test_state()
        .definition(TASK)
        .input(r#"{"in": {"k": 1}}"#)
        .inspection_level(InspectionLevel::Trace)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status, TestExecutionStatus::Succeeded);
    assert_eq!(out.next_state.as_deref(), Some("After"));
    assert_eq!(parse(&out.output)["out"], json!({"p": {"echo": {"k": 1}}}));
    let d = out.inspection_data.unwrap();
    assert_eq!(
        parse(&d.after_parameters),
        json!({"FunctionName": "f", "Payload": {"k": 1}})
    );
    assert_eq!(parse(&d.result)["StatusCode"], json!(200));

    let mocked = sfn
        .test_state()
        .definition(TASK)
        .input(r#"{"in": {}}"#)
        .mock(TestStateMock::result(r#"{"Payload": 7}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(parse(&mocked.output)["out"], json!({"p": 7}));
}

#[tokio::test(start_paused = true)]
async fn errors_are_retriable_caught_or_failed() {
    let sfn = Sfn::new();
    let retriable = sfn
        .test_state()
        .definition(TASK)
        .input(r#"{"in": {}}"#)
        .inspection_level(InspectionLevel::Debug)
        .mock(TestStateMock::error("Boom", "bang"))
        .state_configuration(TestStateConfiguration::default().with_retrier_retry_count(1))
        .send()
        .await
        .unwrap();
    assert_eq!(retriable.status, TestExecutionStatus::Retriable);
    assert_eq!(retriable.error.as_deref(), Some("Boom"));
    let details = retriable.inspection_data.unwrap().error_details.unwrap();
    assert_eq!(details.retry_index, Some(0));
    assert_eq!(details.retry_backoff_interval_seconds, Some(4));

    // Retries exhausted: the catcher takes it.
    let caught = sfn
        .test_state()
        .definition(TASK)
        .input(r#"{"in": {}}"#)
        .mock(TestStateMock::error("Boom", "bang"))
        .state_configuration(TestStateConfiguration::default().with_retrier_retry_count(2))
        .send()
        .await
        .unwrap();
    assert_eq!(caught.status, TestExecutionStatus::CaughtError);
    assert_eq!(caught.next_state.as_deref(), Some("Handle"));
    assert_eq!(
        parse(&caught.output),
        json!({"in": {}, "err": {"Error": "Boom", "Cause": "bang"}})
    );

    // A handler failure with no retrier or catcher fails the state.
    sfn.register_task_handler("arn:aws:states:::sqs:sendMessage", |_| async {
        Err(TaskError::new("SQS.Oops", "no queue"))
    });
    let failed = sfn
        .test_state()
        .definition(
            r#"{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}"#,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status, TestExecutionStatus::Failed);
    assert_eq!(failed.error.as_deref(), Some("SQS.Oops"));
    assert_eq!(failed.cause.as_deref(), Some("no queue"));

    let fail_state = sfn
        .test_state()
        .definition(r#"{"Type": "Fail", "Error": "E", "Cause": "C"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(fail_state.status, TestExecutionStatus::Failed);
    assert_eq!(fail_state.error.as_deref(), Some("E"));
}

#[tokio::test(start_paused = true)]
async fn choice_gives_the_next_state_and_machines_take_a_state_name() {
    let sfn = Sfn::new();
    let out = sfn
        .test_state()
        .definition(r#"{"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}], "Default": "Small"}"#)
        .input(r#"{"n": 5}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(out.next_state.as_deref(), Some("Big"));

    let machine = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {
        "StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Result": "x", "End": true}}}, "End": true}}}"#;
    let inner = sfn
        .test_state()
        .definition(machine)
        .state_name("Inner")
        .send()
        .await
        .unwrap();
    assert_eq!(inner.output.as_deref(), Some("\"x\""));
    let missing = sfn
        .test_state()
        .definition(machine)
        .state_name("Nope")
        .send()
        .await;
    assert_eq!(missing.unwrap_err().code(), "ValidationException");
}

#[tokio::test(start_paused = true)]
async fn map_and_parallel_need_a_mock_and_mocks_are_validated() {
    let sfn = Sfn::new();
    let par = r#"{"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}], "End": true}"#;
    let err = sfn.test_state().definition(par).send().await.unwrap_err();
    assert_eq!(err.code(), "InvalidDefinition");
    let err = sfn
        .test_state()
        .definition(par)
        .mock(TestStateMock::result("{}"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.message(), "Mocked result must be an array.");
    let ok = sfn
        .test_state()
        .definition(par)
        .mock(TestStateMock::result("[1]"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.output.as_deref(), Some("[1]"));
    let err = sfn
        .test_state()
        .definition(r#"{"Type": "Succeed"}"#)
        .mock(TestStateMock::result("{}"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.message(),
        "State type 'Succeed' is not supported when a mock is specified"
    );
    let map = r#"{"Type": "Map", "ItemsPath": "$$.Execution.Input.xs", "MaxConcurrency": 2,
        "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}"#;
    let out = sfn
        .test_state()
        .definition(map)
        .context(r#"{"Execution": {"Input": {"xs": [1, 2]}}}"#)
        .inspection_level(InspectionLevel::Debug)
        .mock(TestStateMock::result("[10, 20]"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.output.as_deref(), Some("[10,20]"));
    let d = out.inspection_data.unwrap();
    assert_eq!(d.after_items_path.as_deref(), Some("[1,2]"));
    assert_eq!(d.max_concurrency, Some(2));
}

#[tokio::test(start_paused = true)]
async fn heartbeat_timeouts_report_states_timeout_and_match_heartbeat_timeout() {
    let sfn = Sfn::new();
    let clock = sfn.clock().clone();
    sfn.register_task_handler("arn:aws:states:::slow:op", move |v| {
        let sleep = clock.sleep(std::time::Duration::from_secs(600));
        async move {
            sleep.await;
            Ok(v)
        }
    });
    let state = |timing: &str| {
        format!(
            r#"{{"Type": "Task", "Resource": "arn:aws:states:::slow:op", {timing},
            "Catch": [{{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Handle"}}],
            "End": true}}"#
        )
    };
    let caught = sfn
        .test_state()
        .definition(state(r#""TimeoutSeconds": 100, "HeartbeatSeconds": 10"#))
        .send()
        .await
        .unwrap();
    assert_eq!(caught.status, TestExecutionStatus::CaughtError);
    assert_eq!(caught.error.as_deref(), Some("States.Timeout"));
    assert_eq!(caught.next_state.as_deref(), Some("Handle"));
    // A TimeoutSeconds timeout is not a heartbeat timeout.
    let failed = sfn
        .test_state()
        .definition(state(r#""TimeoutSeconds": 5"#))
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status, TestExecutionStatus::Failed);
    assert_eq!(failed.error.as_deref(), Some("States.Timeout"));
}
