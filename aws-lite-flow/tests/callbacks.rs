//! `.waitForTaskToken` callbacks: SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat, the
//! task's TimeoutSeconds and HeartbeatSeconds on the Clock, token errors, and history.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_lite_core::Clock;
use aws_lite_flow::{ExecutionStatus, Sfn, TaskError};
use serde_json::{Value, json};

const RESOURCE: &str = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";

/// A machine with one callback task; extra task fields are spliced in.
fn definition(extra: &str) -> String {
    format!(
        r#"{{"StartAt": "Send", "States": {{"Send": {{"Type": "Task", "Resource": "{RESOURCE}",
        "Parameters": {{"QueueUrl": "q", "MessageBody": {{"Message.$": "$.m", "TaskToken.$": "$$.Task.Token"}}}}
        {extra}, "End": true}}}}}}"#
    )
}

/// Registers a handler that records every token it is sent and returns a SendMessage-like result.
fn capture(sfn: &Sfn, resource: &str) -> Arc<Mutex<Vec<String>>> {
    let tokens = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&tokens);
    sfn.register_task_handler(resource, move |input: Value| {
        let token = input["MessageBody"]["TaskToken"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        seen.lock().unwrap().push(token);
        async move { Ok(json!({"MessageId": "m-1"})) }
    });
    tokens
}

async fn start(sfn: &Sfn, def: &str) -> String {
    let sm = sfn
        .create_state_machine()
        .name("cb")
        .definition(def)
        .send()
        .await
        .unwrap();
    sfn.start_execution()
        .state_machine_arn(&sm.state_machine_arn)
        .input(r#"{"m": "hello"}"#)
        .send()
        .await
        .unwrap()
        .execution_arn
}

/// Sleeps `secs` seconds on the service's Clock.
async fn sleep(sfn: &Sfn, secs: u64) {
    let clock = sfn.clock();
    clock
        .sleep_until(clock.now() + Duration::from_secs(secs))
        .await;
}

/// Lets the execution run up to its wait.
async fn settle() {
    for _ in 0..20 {
        tokio::task::yield_now().await;
    }
}

async fn types(sfn: &Sfn, arn: &str) -> Vec<String> {
    sfn.get_execution_history()
        .execution_arn(arn)
        .send()
        .await
        .unwrap()
        .events
        .iter()
        .map(|e| e.event_type.as_str().to_string())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn send_task_success_completes_the_task() {
    let sfn = Sfn::new();
    let tokens = capture(&sfn, RESOURCE);
    let arn = start(&sfn, &definition("")).await;
    settle().await;
    let token = tokens.lock().unwrap()[0].clone();
    assert!(!token.is_empty());
    assert_eq!(
        sfn.describe_execution()
            .execution_arn(&arn)
            .send()
            .await
            .unwrap()
            .status,
        ExecutionStatus::Running
    );
    sfn.send_task_success()
        .task_token(&token)
        .output(r#"{"done": true}"#)
        .send()
        .await
        .unwrap();
    let done = sfn.wait_for_execution(&arn).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some(r#"{"done":true}"#));
    assert_eq!(
        types(&sfn, &arn).await,
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
    let history = sfn
        .get_execution_history()
        .execution_arn(&arn)
        .send()
        .await
        .unwrap();
    let json = serde_json::to_value(&history).unwrap();
    let submitted = &json["events"][4]["taskSubmittedEventDetails"];
    assert_eq!(submitted["resourceType"], "sqs");
    assert_eq!(submitted["resource"], "sendMessage.waitForTaskToken");
    assert_eq!(submitted["output"], r#"{"MessageId":"m-1"}"#);
    let scheduled = &json["events"][2]["taskScheduledEventDetails"]["parameters"];
    assert!(scheduled.as_str().unwrap().contains(&token));

    // The task has ended: its token is spent.
    let err = sfn
        .send_task_success()
        .task_token(&token)
        .output("{}")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "TaskTimedOut");
}

#[tokio::test(start_paused = true)]
async fn a_handler_may_complete_its_own_token_before_returning() {
    let sfn = Sfn::new();
    let svc = sfn.clone();
    // `lambda:invoke.waitForTaskToken` calls the function's handler with the Payload.
    sfn.register_task_handler(
        "arn:aws:lambda:us-east-1:000000000000:function:f",
        move |payload: Value| {
            let svc = svc.clone();
            async move {
                let token = payload["token"].as_str().unwrap_or_default().to_string();
                svc.send_task_success()
                    .task_token(token)
                    .output(r#""early""#)
                    .send()
                    .await
                    .map_err(|e| TaskError::new("Unexpected", e.to_string()))?;
                Ok(json!(null))
            }
        },
    );
    let def = r#"{"StartAt": "L", "States": {"L": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "f", "Payload": {"token.$": "$$.Task.Token"}}, "End": true}}}"#;
    let arn = start(&sfn, def).await;
    let done = sfn.wait_for_execution(&arn).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some(r#""early""#));
}

#[tokio::test(start_paused = true)]
async fn send_task_failure_is_caught_like_any_task_error() {
    let sfn = Sfn::new();
    // A handler of the plain resource serves its `.waitForTaskToken` form too.
    let tokens = capture(&sfn, "arn:aws:states:::sqs:sendMessage");
    let def = format!(
        r#"{{"StartAt": "Send", "States": {{"Send": {{"Type": "Task", "Resource": "{RESOURCE}",
        "Parameters": {{"TaskToken.$": "$$.Task.Token"}},
        "Catch": [{{"ErrorEquals": ["Rejected"], "ResultPath": "$.err", "Next": "Caught"}}], "End": true}},
        "Caught": {{"Type": "Pass", "End": true}}}}}}"#
    );
    sfn.register_task_handler("arn:aws:states:::sqs:sendMessage", {
        let tokens = Arc::clone(&tokens);
        move |input: Value| {
            tokens
                .lock()
                .unwrap()
                .push(input["TaskToken"].as_str().unwrap_or_default().to_string());
            async { Ok(json!({})) }
        }
    });
    let arn = start(&sfn, &def).await;
    settle().await;
    let token = tokens.lock().unwrap()[0].clone();
    sfn.send_task_failure()
        .task_token(&token)
        .error("Rejected")
        .cause("by a human")
        .send()
        .await
        .unwrap();
    let done = sfn.wait_for_execution(&arn).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let out: Value = serde_json::from_str(done.output.as_deref().unwrap()).unwrap();
    assert_eq!(
        out["err"],
        json!({"Error": "Rejected", "Cause": "by a human"})
    );
    let t = types(&sfn, &arn).await;
    assert_eq!(t[4..6], ["TaskSubmitted", "TaskFailed"]);
}

#[tokio::test(start_paused = true)]
async fn timeout_seconds_fails_a_silent_task() {
    let sfn = Sfn::new();
    let tokens = capture(&sfn, RESOURCE);
    let arn = start(&sfn, &definition(r#", "TimeoutSeconds": 5"#)).await;
    let t0 = sfn.clock().now();
    let done = sfn.wait_for_execution(&arn).await.unwrap();
    assert_eq!(sfn.clock().now() - t0, Duration::from_secs(5));
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    let t = types(&sfn, &arn).await;
    assert_eq!(
        t[2..],
        [
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskTimedOut",
            "ExecutionFailed"
        ]
    );
    let token = tokens.lock().unwrap()[0].clone();
    let err = sfn
        .send_task_success()
        .task_token(token)
        .output("{}")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "TaskTimedOut");
}

#[tokio::test(start_paused = true)]
async fn heartbeats_keep_a_task_alive_until_they_stop() {
    let sfn = Sfn::new();
    let tokens = capture(&sfn, RESOURCE);
    let arn = start(
        &sfn,
        &definition(r#", "TimeoutSeconds": 600, "HeartbeatSeconds": 60"#),
    )
    .await;
    settle().await;
    let token = tokens.lock().unwrap()[0].clone();
    let t0 = sfn.clock().now();
    for _ in 0..3 {
        sleep(&sfn, 50).await;
        sfn.send_task_heartbeat()
            .task_token(&token)
            .send()
            .await
            .unwrap();
    }
    // No more heartbeats: the task fails 60 s after the last one.
    let done = sfn.wait_for_execution(&arn).await.unwrap();
    assert_eq!(sfn.clock().now() - t0, Duration::from_secs(210));
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    let history = sfn
        .get_execution_history()
        .execution_arn(&arn)
        .send()
        .await
        .unwrap();
    let json = serde_json::to_value(&history).unwrap();
    let scheduled = &json["events"][2]["taskScheduledEventDetails"];
    assert_eq!(scheduled["heartbeatInSeconds"], 60);
    assert_eq!(scheduled["timeoutInSeconds"], 600);
}

#[tokio::test(start_paused = true)]
async fn heartbeats_do_not_extend_timeout_seconds() {
    let sfn = Sfn::new();
    let tokens = capture(&sfn, RESOURCE);
    let arn = start(
        &sfn,
        &definition(r#", "TimeoutSeconds": 100, "HeartbeatSeconds": 30"#),
    )
    .await;
    settle().await;
    let token = tokens.lock().unwrap()[0].clone();
    let beater = {
        let sfn = sfn.clone();
        tokio::spawn(async move {
            loop {
                sleep(&sfn, 20).await;
                if sfn
                    .send_task_heartbeat()
                    .task_token(&token)
                    .send()
                    .await
                    .is_err()
                {
                    break;
                }
            }
        })
    };
    let t0 = sfn.clock().now();
    let done = sfn.wait_for_execution(&arn).await.unwrap();
    assert_eq!(sfn.clock().now() - t0, Duration::from_secs(100));
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    beater.await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_retry_issues_a_new_token() {
    let sfn = Sfn::new();
    let tokens = capture(&sfn, RESOURCE);
    let arn = start(
        &sfn,
        &definition(
            r#", "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 1}]"#,
        ),
    )
    .await;
    settle().await;
    let first = tokens.lock().unwrap()[0].clone();
    sfn.send_task_failure()
        .task_token(&first)
        .error("Flaky")
        .send()
        .await
        .unwrap();
    sleep(&sfn, 2).await;
    settle().await;
    let second = tokens.lock().unwrap()[1].clone();
    assert_ne!(first, second);
    let err = sfn
        .send_task_heartbeat()
        .task_token(&first)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "TaskTimedOut");
    sfn.send_task_success()
        .task_token(&second)
        .output("1")
        .send()
        .await
        .unwrap();
    let done = sfn.wait_for_execution(&arn).await.unwrap();
    assert_eq!(done.output.as_deref(), Some("1"));
}

#[tokio::test(start_paused = true)]
async fn bad_tokens_and_outputs_are_rejected() {
    let sfn = Sfn::new();
    let tokens = capture(&sfn, RESOURCE);
    let arn = start(&sfn, &definition("")).await;
    settle().await;
    let token = tokens.lock().unwrap()[0].clone();

    let err = sfn
        .send_task_success()
        .task_token("not-a-token")
        .output("{}")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidToken");
    assert_eq!(err.status(), 400);

    // Well formed, never issued.
    let forged = format!("{}0", &token[..token.len() - 1]);
    let forged = if forged == token {
        format!("{}1", &token[..token.len() - 1])
    } else {
        forged
    };
    let err = sfn
        .send_task_heartbeat()
        .task_token(forged)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "TaskDoesNotExist");

    let err = sfn
        .send_task_success()
        .task_token(&token)
        .output("{not json")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidOutput");

    // Still waiting after the rejected calls.
    sfn.send_task_success()
        .task_token(&token)
        .output("[1]")
        .send()
        .await
        .unwrap();
    let done = sfn.wait_for_execution(&arn).await.unwrap();
    assert_eq!(done.output.as_deref(), Some("[1]"));
}

#[tokio::test(start_paused = true)]
async fn stopping_the_execution_spends_the_token() {
    let sfn = Sfn::new();
    let tokens = capture(&sfn, RESOURCE);
    let arn = start(&sfn, &definition("")).await;
    settle().await;
    let token = tokens.lock().unwrap()[0].clone();
    sfn.stop_execution()
        .execution_arn(&arn)
        .send()
        .await
        .unwrap();
    settle().await;
    let err = sfn
        .send_task_success()
        .task_token(&token)
        .output("{}")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "TaskTimedOut");
}

#[tokio::test(start_paused = true)]
async fn the_token_is_only_in_the_context_of_callback_tasks() {
    let sfn = Sfn::new();
    sfn.register_task_handler("arn:aws:states:::my:plain", |v: Value| async move { Ok(v) });
    let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::my:plain",
        "Parameters": {"ctx.$": "$$"}, "End": true}}}"#;
    let arn = start(&sfn, def).await;
    let done = sfn.wait_for_execution(&arn).await.unwrap();
    let out: Value = serde_json::from_str(done.output.as_deref().unwrap()).unwrap();
    assert!(out["ctx"].get("Task").is_none());
    assert_eq!(out["ctx"]["State"]["Name"], "T");
}
