//! `arn:aws:states:::states:startExecution` and its `.sync`, `.sync:2` and `.waitForTaskToken`
//! forms on the same `Sfn`: inputs, results, the child's context, errors with Retry and Catch,
//! and a `.sync` task ended by its token.

mod support;

use std::time::Duration;

use aws_lite_core::Clock;
use aws_lite_flow::{ExecutionStatus, Sfn};
use serde_json::{Value, json};
use support::{output, run, sfn};

/// Creates a machine named `name` from `definition` and returns its ARN.
async fn machine(sfn: &Sfn, name: &str, definition: &str) -> String {
    sfn.create_state_machine()
        .name(name)
        .definition(definition)
        .send()
        .await
        .unwrap()
        .state_machine_arn
}

/// A child that returns its input and its context's execution fields, after a day's wait.
const CHILD: &str = r#"{"StartAt": "Wait", "States": {
    "Wait": {"Type": "Wait", "Seconds": 86400, "Next": "Done"},
    "Done": {"Type": "Pass", "Parameters": {"input.$": "$", "id.$": "$$.Execution.Id",
        "name.$": "$$.Execution.Name", "ctxInput.$": "$$.Execution.Input"}, "End": true}}}"#;

fn parent(resource: &str, params: &str, extra: &str) -> String {
    format!(
        r#"{{"StartAt": "Start", "States": {{"Start": {{"Type": "Task",
        "Resource": "arn:aws:states:::states:{resource}", "Parameters": {params} {extra},
        "End": true}}}}}}"#
    )
}

/// The task token the child execution `arn` was started with (its input's `token`), once
/// the child exists.
async fn child_token(sfn: &aws_lite_flow::Sfn, arn: &str) -> String {
    let child = loop {
        if let Ok(d) = sfn.describe_execution().execution_arn(arn).send().await {
            break d;
        }
        tokio::task::yield_now().await;
    };
    let input: Value = serde_json::from_str(&child.input).unwrap();
    input["token"].as_str().unwrap().to_owned()
}

#[tokio::test(start_paused = true)]
async fn start_execution_returns_at_once() {
    let sfn = sfn();
    let child = machine(&sfn, "child", CHILD).await;
    let def = parent(
        "startExecution",
        r#"{"StateMachineArn.$": "$.sm", "Name": "kid", "Input": {"order.$": "$.order",
            "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"}}"#,
        "",
    );
    let (done, types) = run(&sfn, &def, json!({"sm": child, "order": 7})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let out = output(&done);
    let kid = "arn:aws:states:us-east-1:000000000000:execution:child:kid".to_string();
    assert_eq!(out["ExecutionArn"], json!(kid));
    assert!(out["StartDate"].as_u64().is_some());
    let headers = &out["SdkHttpMetadata"]["HttpHeaders"];
    assert_eq!(headers["Content-Type"], "application/x-amz-json-1.0");
    let start = out["StartDate"].as_u64().unwrap();
    let body = format!(
        r#"{{"executionArn":"{kid}","startDate":{}}}"#,
        start as f64 / 1000.0
    );
    assert_eq!(headers["Content-Length"], json!(body.len().to_string()));
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
    // The child runs on: its input is the object as JSON text, with the parent's id.
    let child_run = sfn
        .describe_execution()
        .execution_arn(&kid)
        .send()
        .await
        .unwrap();
    assert_eq!(child_run.status, ExecutionStatus::Running);
    let child_input: Value = serde_json::from_str(&child_run.input).unwrap();
    assert_eq!(
        child_input,
        json!({"order": 7, "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": done.execution_arn})
    );
    let child_done = sfn.wait_for_execution(&kid).await.unwrap();
    let child_out = output(&child_done);
    assert_eq!(child_out["id"], json!(kid));
    assert_eq!(child_out["name"], "kid");
    assert_eq!(child_out["ctxInput"], child_input);
}

#[tokio::test(start_paused = true)]
async fn sync_waits_for_the_child() {
    let sfn = sfn();
    let child = machine(&sfn, "child", CHILD).await;
    let clock = sfn.clock().clone();
    let before = clock.now();
    let def = parent(
        "startExecution.sync",
        r#"{"StateMachineArn.$": "$.sm", "Input": {"a": 1}}"#,
        "",
    );
    let (done, types) = run(&sfn, &def, json!({"sm": child})).await;
    assert_eq!(clock.now() - before, Duration::from_secs(86_400));
    let out = output(&done);
    assert_eq!(out["Status"], "SUCCEEDED");
    assert_eq!(out["Input"], r#"{"a":1}"#);
    assert_eq!(out["InputDetails"], json!({"Included": true}));
    assert_eq!(out["OutputDetails"], json!({"Included": true}));
    let child_output: Value = serde_json::from_str(out["Output"].as_str().unwrap()).unwrap();
    assert_eq!(child_output["input"], json!({"a": 1}));
    assert_eq!(out["StateMachineArn"], json!(child));
    assert_eq!(out["RedriveCount"], 0);
    assert_eq!(out["RedriveStatus"], "NOT_REDRIVABLE");
    assert!(out["StopDate"].as_u64().unwrap() - out["StartDate"].as_u64().unwrap() == 86_400_000);
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn sync_2_gives_json() {
    let sfn = sfn();
    let child = machine(&sfn, "child", CHILD).await;
    let def = parent(
        "startExecution.sync:2",
        r#"{"StateMachineArn.$": "$.sm", "Input.$": "$.text", "Name": "two"}"#,
        "",
    );
    // A string Input is the child's input text.
    let (done, _) = run(&sfn, &def, json!({"sm": child, "text": "[1,2]"})).await;
    let out = output(&done);
    assert_eq!(out["Input"], json!([1, 2]));
    assert_eq!(out["Output"]["input"], json!([1, 2]));
    assert_eq!(out["Name"], "two");
}

const FAILING: &str = r#"{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Broken", "Cause": "it broke"}}}"#;

#[tokio::test(start_paused = true)]
async fn a_failed_child_fails_the_task() {
    let sfn = sfn();
    let child = machine(&sfn, "failing", FAILING).await;
    let def = r#"{"StartAt": "Start", "States": {"Start": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync",
        "Parameters": {"StateMachineArn.$": "$.sm"},
        "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 5, "MaxAttempts": 1}],
        "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.failure", "Next": "Handled"}],
        "End": true}, "Handled": {"Type": "Pass", "End": true}}}"#;
    let (done, types) = run(&sfn, def, json!({"sm": child})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let out = output(&done);
    assert_eq!(out["failure"]["Error"], "States.TaskFailed");
    let cause: Value = serde_json::from_str(out["failure"]["Cause"].as_str().unwrap()).unwrap();
    assert_eq!(cause["Status"], "FAILED");
    assert_eq!(cause["Error"], "Broken");
    assert_eq!(cause["Cause"], "it broke");
    assert_eq!(cause["Input"], "{}");
    assert_eq!(cause["RedriveStatus"], "REDRIVABLE");
    assert!(cause.get("Output").is_none());
    // Retried once (a second child), then caught.
    assert_eq!(types.iter().filter(|t| *t == "TaskFailed").count(), 2);
    let children = sfn
        .list_executions()
        .state_machine_arn(&child)
        .send()
        .await
        .unwrap();
    assert_eq!(children.executions.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn start_execution_errors() {
    let sfn = sfn();
    let child = machine(&sfn, "child", CHILD).await;
    // No such machine.
    let missing = format!("{child}Gone");
    let def = parent("startExecution", r#"{"StateMachineArn.$": "$.sm"}"#, "");
    let (done, _) = run(&sfn, &def, json!({"sm": missing})).await;
    assert_eq!(
        done.error.as_deref(),
        Some("StepFunctions.StateMachineDoesNotExistException")
    );
    assert_eq!(
        done.cause.as_deref().unwrap().split(" Request ID:").next(),
        Some(
            format!(
                "State Machine Does Not Exist: '{missing}' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist;"
            )
            .as_str()
        )
    );
    // The same name again with another input.
    let def = parent(
        "startExecution",
        r#"{"StateMachineArn.$": "$.sm", "Name": "once", "Input.$": "$.n"}"#,
        "",
    );
    let (done, _) = run(&sfn, &def, json!({"sm": child, "n": 1})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let (done, _) = run(&sfn, &def, json!({"sm": child, "n": 2})).await;
    assert_eq!(
        done.error.as_deref(),
        Some("StepFunctions.ExecutionAlreadyExistsException")
    );
    // Input text that is not JSON.
    let def = parent(
        "startExecution",
        r#"{"StateMachineArn.$": "$.sm", "Input": "{not json"}"#,
        "",
    );
    let (done, _) = run(&sfn, &def, json!({"sm": child})).await;
    assert_eq!(
        done.error.as_deref(),
        Some("StepFunctions.InvalidExecutionInputException")
    );
}

#[tokio::test(start_paused = true)]
async fn wait_for_task_token_gives_the_child_the_token() {
    let sfn = sfn();
    let child = machine(
        &sfn,
        "waiter",
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}"#,
    )
    .await;
    let def = parent(
        "startExecution.waitForTaskToken",
        r#"{"StateMachineArn.$": "$.sm", "Name": "w", "Input": {"token.$": "$$.Task.Token"}}"#,
        "",
    );
    let sm = machine(&sfn, "parent", &def).await;
    let run = sfn
        .start_execution()
        .state_machine_arn(&sm)
        .input(json!({"sm": child}).to_string())
        .send()
        .await
        .unwrap();
    let kid = "arn:aws:states:us-east-1:000000000000:execution:waiter:w";
    // Wait until the child exists, then answer for it.
    sfn.send_task_success()
        .task_token(child_token(&sfn, kid).await)
        .output(r#""done""#)
        .send()
        .await
        .unwrap();
    let done = sfn.wait_for_execution(&run.execution_arn).await.unwrap();
    assert_eq!(output(&done), json!("done"));
}

#[tokio::test(start_paused = true)]
async fn a_report_to_its_token_ends_a_sync_task() {
    let sfn = sfn();
    let child = machine(
        &sfn,
        "slow",
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}"#,
    )
    .await;
    let def = parent(
        "startExecution.sync",
        r#"{"StateMachineArn.$": "$.sm", "Name": "s", "Input": {"token.$": "$$.Task.Token"}}"#,
        "",
    );
    let sm = machine(&sfn, "parent", &def).await;
    let clock = sfn.clock().clone();
    let before = clock.now();
    let run = sfn
        .start_execution()
        .state_machine_arn(&sm)
        .input(json!({"sm": child}).to_string())
        .send()
        .await
        .unwrap();
    let kid = "arn:aws:states:us-east-1:000000000000:execution:slow:s";
    sfn.send_task_success()
        .task_token(child_token(&sfn, kid).await)
        .output(r#""early""#)
        .send()
        .await
        .unwrap();
    let done = sfn.wait_for_execution(&run.execution_arn).await.unwrap();
    assert_eq!(output(&done), json!("early"));
    assert!(clock.now() - before < Duration::from_secs(3600));
    // The child runs on to its own end.
    let child_run = sfn
        .describe_execution()
        .execution_arn(kid)
        .send()
        .await
        .unwrap();
    assert_eq!(child_run.status, ExecutionStatus::Running);
}

#[tokio::test(start_paused = true)]
async fn sync_task_timeout() {
    let sfn = sfn();
    let child = machine(&sfn, "child", CHILD).await;
    let def = parent(
        "startExecution.sync:2",
        r#"{"StateMachineArn.$": "$.sm"}"#,
        r#", "TimeoutSeconds": 60"#,
    );
    let (done, types) = run(&sfn, &def, json!({"sm": child})).await;
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    assert!(types.contains(&"TaskTimedOut".to_string()));
}

#[tokio::test(start_paused = true)]
async fn express_machines_reject_sync() {
    let sfn = sfn();
    let err = sfn
        .create_state_machine()
        .name("x")
        .r#type(aws_lite_flow::StateMachineType::Express)
        .definition(parent(
            "startExecution.sync",
            r#"{"StateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:c"}"#,
            "",
        ))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidDefinition");
}

#[tokio::test(start_paused = true)]
async fn a_sync_handler_gives_the_final_result() {
    let sfn = sfn();
    sfn.register_task_handler("arn:aws:states:::states:startExecution.sync", |_| async {
        Ok(json!({"Status": "SUCCEEDED", "Output": "{}"}))
    });
    let def = parent(
        "startExecution.sync",
        r#"{"StateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:none"}"#,
        "",
    );
    let (done, types) = run(&sfn, &def, json!({})).await;
    assert_eq!(output(&done)["Status"], "SUCCEEDED");
    assert!(types.contains(&"TaskSubmitted".to_string()));
    assert!(types.contains(&"TaskSucceeded".to_string()));
}

#[tokio::test(start_paused = true)]
async fn credentials_are_recorded_on_the_scheduled_task() {
    let sfn = sfn();
    let child = machine(&sfn, "child", CHILD).await;
    let def = parent(
        "startExecution",
        r#"{"StateMachineArn.$": "$.sm"}"#,
        r#", "Credentials": {"RoleArn.$": "States.Format('{}', $.role)"}"#,
    );
    let sm = machine(&sfn, "creds", &def).await;
    let role = "arn:aws:iam::000000000000:role/trusted";
    let run = sfn
        .start_execution()
        .state_machine_arn(&sm)
        .input(json!({"sm": child, "role": role}).to_string())
        .send()
        .await
        .unwrap();
    sfn.wait_for_execution(&run.execution_arn).await.unwrap();
    let history = sfn
        .get_execution_history()
        .execution_arn(&run.execution_arn)
        .send()
        .await
        .unwrap();
    let scheduled = history
        .events
        .iter()
        .find(|e| e.event_type.as_str() == "TaskScheduled")
        .unwrap();
    let details = scheduled.details().unwrap();
    assert_eq!(details["taskCredentials"], json!({"roleArn": role}));
    assert_eq!(details["resource"], "startExecution");
    assert_eq!(details["resourceType"], "states");
}
