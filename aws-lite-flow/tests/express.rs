//! Express machines: StartSyncExecution, the five-minute limit, and rejected integrations.

use std::time::Duration;

use aws_lite_core::Clock;
use aws_lite_flow::{ExecutionStatus, Sfn, StateMachineType};
use serde_json::json;

async fn express(sfn: &Sfn, def: &str) -> String {
    sfn.create_state_machine()
        .name("fast")
        .definition(def)
        .r#type(StateMachineType::Express)
        .send()
        .await
        .unwrap()
        .state_machine_arn
}

#[tokio::test(start_paused = true)]
async fn start_sync_execution_returns_the_result() {
    let sfn = Sfn::new();
    let arn = express(
        &sfn,
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"a": 1}, "End": true}}}"#,
    )
    .await;
    let out = sfn
        .start_sync_execution()
        .state_machine_arn(&arn)
        .input("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(out.status, ExecutionStatus::Succeeded);
    assert_eq!(out.output.as_deref(), Some(r#"{"a":1}"#));
    assert!(out.execution_arn.contains(":express:fast:"));
    let described = sfn
        .describe_execution()
        .execution_arn(&out.execution_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(described.status, ExecutionStatus::Succeeded);

    let other = Sfn::new();
    let arn = express(
        &other,
        r#"{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}"#,
    )
    .await;
    let out = other
        .start_sync_execution()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status, ExecutionStatus::Failed);
    assert_eq!(
        (out.error.as_deref(), out.cause.as_deref()),
        (Some("E"), Some("C"))
    );
}

#[tokio::test(start_paused = true)]
async fn standard_machines_cannot_run_synchronously() {
    let sfn = Sfn::new();
    let arn = sfn
        .create_state_machine()
        .name("slow")
        .definition(r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#)
        .send()
        .await
        .unwrap()
        .state_machine_arn;
    let err = sfn
        .start_sync_execution()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "StateMachineTypeNotSupported");
}

#[tokio::test(start_paused = true)]
async fn express_executions_time_out_after_five_minutes() {
    let sfn = Sfn::new();
    let arn = express(
        &sfn,
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}"#,
    )
    .await;
    let start = sfn.clock().now();
    let out = sfn
        .start_sync_execution()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status, ExecutionStatus::TimedOut);
    assert_eq!(out.error.as_deref(), Some("States.Timeout"));
    assert_eq!(sfn.clock().now() - start, Duration::from_secs(300));
}

#[tokio::test(start_paused = true)]
async fn express_rejects_callbacks_sync_and_activities() {
    let sfn = Sfn::new();
    for resource in [
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:us-east-1:000000000000:activity:work",
    ] {
        let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "End": true}}});
        let err = sfn
            .create_state_machine()
            .name("x")
            .definition(def.to_string())
            .r#type(StateMachineType::Express)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), "InvalidDefinition", "{resource}");
    }
}

#[tokio::test(start_paused = true)]
async fn express_context_object_has_no_redrive_count() {
    // Only Standard executions can be redriven: `$$.Execution.RedriveCount` exists in them
    // alone (as recorded against AWS).
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Parameters": {"e.$": "$$.Execution"}, "End": true}}}"#;
    let sfn = Sfn::new();
    let arn = express(&sfn, def).await;
    let out = sfn
        .start_sync_execution()
        .state_machine_arn(&arn)
        .input(r#"{"k": 1}"#)
        .send()
        .await
        .unwrap();
    let e: serde_json::Value = serde_json::from_str(out.output.as_deref().unwrap()).unwrap();
    let keys: Vec<&str> = e["e"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["Id", "Input", "Name", "RoleArn", "StartTime"]);

    let std_arn = sfn
        .create_state_machine()
        .name("slowpoke")
        .definition(def)
        .send()
        .await
        .unwrap()
        .state_machine_arn;
    let run = sfn
        .start_execution()
        .state_machine_arn(&std_arn)
        .send()
        .await
        .unwrap();
    let done = sfn.wait_for_execution(&run.execution_arn).await.unwrap();
    let e: serde_json::Value = serde_json::from_str(done.output.as_deref().unwrap()).unwrap();
    assert_eq!(e["e"]["RedriveCount"], 0);
}
