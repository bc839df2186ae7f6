//! The Lambda integration through aws-lite-fn: `arn:aws:states:::lambda:invoke` (its result,
//! parameters, `.waitForTaskToken`), function ARNs as `Resource`, function and service errors
//! with Retry and Catch, and precedence of registered handlers.
#![cfg(feature = "fn")]

mod support;

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use aws_lite_core::{Clock, Rand, SharedClock};
use aws_lite_flow::{ExecutionStatus, Sfn, TaskError};
use aws_lite_fn::{Code, Diagnostic, Event, Lambda, service_fn};
use serde_json::{Value, json};
use support::{output, run};

const ARN: &str = "arn:aws:lambda:us-east-1:000000000000:function";

/// A Lambda and an Sfn wired to it, on one clock.
fn services() -> (Sfn, Lambda) {
    let clock = SharedClock::tokio();
    let lambda = Lambda::builder()
        .clock(clock.clone())
        .rand(Rand::seeded(2))
        .build();
    let sfn = Sfn::builder()
        .clock(clock)
        .rand(Rand::seeded(1))
        .lambda(lambda.clone())
        .build();
    (sfn, lambda)
}

async fn create(lambda: &Lambda, name: &str, code: Code) {
    lambda
        .create_function()
        .function_name(name)
        .code(code)
        .timeout(30)
        .send()
        .await
        .unwrap();
}

/// A function that returns its event.
fn echo() -> Code {
    Code::from_service(service_fn(|e: Event<Value>| async move {
        Ok::<_, Infallible>(e.payload)
    }))
}

fn invoke_def(params: &str, extra: &str) -> String {
    format!(
        r#"{{"StartAt": "Call", "States": {{"Call": {{"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {params} {extra},
        "End": true}}}}}}"#
    )
}

/// A `lambda:invoke` task with one catcher that moves to a `Caught` Pass state.
fn caught(params: &str, catcher: &str) -> String {
    format!(
        r#"{{"StartAt": "Call", "States": {{"Call": {{"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {params},
        "Catch": [{catcher}], "Next": "Caught"}},
        "Caught": {{"Type": "Pass", "End": true}}}}}}"#
    )
}

#[tokio::test(start_paused = true)]
async fn lambda_invoke_returns_the_invoke_response() {
    let (sfn, lambda) = services();
    create(&lambda, "echo", echo()).await;
    let def = invoke_def(r#"{"FunctionName": "echo", "Payload.$": "$"}"#, "");
    let (done, types) = run(&sfn, &def, json!({"order": 7, "items": ["a"]})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let out = output(&done);
    assert_eq!(out["ExecutedVersion"], "$LATEST");
    assert_eq!(out["StatusCode"], 200);
    assert_eq!(out["Payload"], json!({"order": 7, "items": ["a"]}));
    let headers = &out["SdkHttpMetadata"]["HttpHeaders"];
    let body = serde_json::to_string(&out["Payload"]).unwrap();
    assert_eq!(headers["Content-Length"], json!(body.len().to_string()));
    assert_eq!(headers["Content-Type"], "application/json");
    assert_eq!(headers["X-Amz-Executed-Version"], "$LATEST");
    assert_eq!(
        headers["x-amzn-RequestId"],
        out["SdkResponseMetadata"]["RequestId"]
    );
    assert_eq!(
        out["SdkHttpMetadata"]["AllHttpHeaders"]["Content-Type"],
        json!(["application/json"])
    );
    assert!(headers["Date"].as_str().unwrap().ends_with(" GMT"));
    assert_eq!(out["SdkHttpMetadata"]["HttpStatusCode"], 200);
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
    assert_eq!(lambda.metrics("echo").unwrap().invocations, 1);
}

#[tokio::test(start_paused = true)]
async fn scheduled_event_names_the_resource_and_parameters() {
    let (sfn, lambda) = services();
    create(&lambda, "echo", echo()).await;
    let sm = sfn
        .create_state_machine()
        .name("sched")
        .definition(invoke_def(
            r#"{"FunctionName": "echo", "Payload": {"a.$": "$.a"}}"#,
            r#", "TimeoutSeconds": 10"#,
        ))
        .send()
        .await
        .unwrap();
    let run = sfn
        .start_execution()
        .state_machine_arn(&sm.state_machine_arn)
        .input(r#"{"a": 1}"#)
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
    let scheduled = history.events[2].details().unwrap();
    assert_eq!(scheduled["resourceType"], "lambda");
    assert_eq!(scheduled["resource"], "invoke");
    assert_eq!(scheduled["region"], "us-east-1");
    assert_eq!(scheduled["timeoutInSeconds"], 10);
    let params: Value = serde_json::from_str(scheduled["parameters"].as_str().unwrap()).unwrap();
    assert_eq!(params, json!({"FunctionName": "echo", "Payload": {"a": 1}}));
}

#[tokio::test(start_paused = true)]
async fn function_arn_resource_returns_the_payload() {
    let (sfn, lambda) = services();
    create(&lambda, "echo", echo()).await;
    let def = format!(
        r#"{{"StartAt": "Call", "States": {{"Call": {{"Type": "Task", "Resource": "{ARN}:echo",
        "ResultPath": "$.echoed", "End": true}}}}}}"#
    );
    let (done, types) = run(&sfn, &def, json!({"x": 1})).await;
    assert_eq!(output(&done), json!({"x": 1, "echoed": {"x": 1}}));
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn function_names_qualifiers_and_partial_arns() {
    let (sfn, lambda) = services();
    create(&lambda, "f", echo()).await;
    lambda
        .publish_version()
        .function_name("f")
        .send()
        .await
        .unwrap();
    lambda
        .create_alias()
        .function_name("f")
        .name("live")
        .function_version("1")
        .send()
        .await
        .unwrap();
    for (params, version) in [
        (r#"{"FunctionName": "f:live"}"#, "1"),
        (r#"{"FunctionName": "f", "Qualifier": "1"}"#, "1"),
        (r#"{"FunctionName": "000000000000:function:f"}"#, "$LATEST"),
        (
            r#"{"FunctionName": "arn:aws:lambda:us-east-1:000000000000:function:f:live"}"#,
            "1",
        ),
    ] {
        let (done, _) = run(&sfn, &invoke_def(params, ""), json!({})).await;
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{params}");
        let out = output(&done);
        assert_eq!(out["ExecutedVersion"], version, "{params}");
        // No Payload: Lambda's default event.
        assert_eq!(out["Payload"], json!({}), "{params}");
    }
    // A Function ARN `Resource` with a qualifier runs that version.
    let def = format!(
        r#"{{"StartAt": "Call", "States": {{"Call": {{"Type": "Task", "Resource": "{ARN}:f:1", "End": true}}}}}}"#
    );
    let (done, _) = run(&sfn, &def, json!([1, 2])).await;
    assert_eq!(output(&done), json!([1, 2]));
}

#[tokio::test(start_paused = true)]
async fn string_payload_is_json_text() {
    let (sfn, lambda) = services();
    create(&lambda, "echo", echo()).await;
    let def = invoke_def(r#"{"FunctionName": "echo", "Payload.$": "$.p"}"#, "");
    let (done, _) = run(&sfn, &def, json!({"p": "\"HelloWorld\""})).await;
    let out = output(&done);
    assert_eq!(out["Payload"], "HelloWorld");
    assert_eq!(
        out["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"],
        "12"
    );
    let (done, _) = run(&sfn, &def, json!({"p": "not json"})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(
        done.error.as_deref(),
        Some("Lambda.InvalidRequestContentException")
    );
    let cause = done.cause.unwrap();
    assert!(
        cause.starts_with("Could not parse request body into json"),
        "{cause}"
    );
    assert!(cause.contains(
        "(Service: AWSLambda; Status Code: 400; Error Code: InvalidRequestContentException;"
    ));
}

#[tokio::test(start_paused = true)]
async fn invocation_types() {
    let (sfn, lambda) = services();
    create(&lambda, "echo", echo()).await;
    let def = invoke_def(
        r#"{"FunctionName": "echo", "InvocationType": "Event", "Payload": {"a": 1}}"#,
        "",
    );
    let (done, _) = run(&sfn, &def, json!({})).await;
    let out = output(&done);
    assert_eq!(out["StatusCode"], 202);
    assert_eq!(out["Payload"], "");
    assert!(out.get("ExecutedVersion").is_none());
    let def = invoke_def(
        r#"{"FunctionName": "echo", "InvocationType": "DryRun"}"#,
        "",
    );
    let (done, _) = run(&sfn, &def, json!({})).await;
    assert_eq!(output(&done)["StatusCode"], 204);
    let def = invoke_def(r#"{"FunctionName": "echo", "InvocationType": "Later"}"#, "");
    let (done, _) = run(&sfn, &def, json!({})).await;
    assert_eq!(done.error.as_deref(), Some("Lambda.AWSLambdaException"));
    assert!(
        done.cause
            .unwrap()
            .contains("Member must satisfy enum value set: [Event, RequestResponse, DryRun]")
    );
}

/// A function that fails with `Flaky` `failures` times, then returns `{"ok": true}`.
fn flaky(failures: u32) -> (Code, Arc<AtomicU32>) {
    let calls = Arc::new(AtomicU32::new(0));
    let seen = Arc::clone(&calls);
    let code = Code::from_service(service_fn(move |_: Event<Value>| {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        async move {
            if n < failures {
                Err(Diagnostic::new("Flaky", format!("attempt {n}")))
            } else {
                Ok(json!({"ok": true}))
            }
        }
    }));
    (code, calls)
}

#[tokio::test(start_paused = true)]
async fn function_errors_are_retried_on_the_clock() {
    let (sfn, lambda) = services();
    let (code, calls) = flaky(2);
    create(&lambda, "flaky", code).await;
    let def = invoke_def(
        r#"{"FunctionName": "flaky"}"#,
        r#", "ResultSelector": {"p.$": "$.Payload"},
        "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 60, "BackoffRate": 2, "MaxAttempts": 3}]"#,
    );
    let clock = sfn.clock().clone();
    let start = clock.now();
    let (done, types) = run(&sfn, &def, json!({})).await;
    assert_eq!(output(&done), json!({"p": {"ok": true}}));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    // 60 s, then 120 s of virtual time.
    assert_eq!(clock.now() - start, Duration::from_secs(180));
    assert_eq!(types.iter().filter(|t| *t == "TaskFailed").count(), 2);
}

#[tokio::test(start_paused = true)]
async fn function_error_cause_is_the_error_payload() {
    let (sfn, lambda) = services();
    let (code, _) = flaky(10);
    create(&lambda, "flaky", code).await;
    let def = caught(
        r#"{"FunctionName": "flaky"}"#,
        r#"{"ErrorEquals": ["Flaky"], "ResultPath": "$.error", "Next": "Caught"}"#,
    );
    let (done, types) = run(&sfn, &def, json!({"id": 1})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let out = output(&done);
    assert_eq!(out["id"], 1);
    assert_eq!(out["error"]["Error"], "Flaky");
    let cause: Value = serde_json::from_str(out["error"]["Cause"].as_str().unwrap()).unwrap();
    assert_eq!(
        cause,
        json!({"errorMessage": "attempt 0", "errorType": "Flaky"})
    );
    assert!(types.contains(&"TaskFailed".to_string()));
    // States.TaskFailed and States.ALL match function errors too; without a Catch the
    // execution fails with them.
    let def = invoke_def(r#"{"FunctionName": "flaky"}"#, "");
    let (done, _) = run(&sfn, &def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("Flaky"));
}

#[tokio::test(start_paused = true)]
async fn legacy_resource_failures_are_lambda_function_events() {
    let (sfn, lambda) = services();
    let (code, _) = flaky(10);
    create(&lambda, "flaky", code).await;
    let def = format!(
        r#"{{"StartAt": "Call", "States": {{"Call": {{"Type": "Task", "Resource": "{ARN}:flaky", "End": true}}}}}}"#
    );
    let (done, types) = run(&sfn, &def, json!({})).await;
    assert_eq!(done.error.as_deref(), Some("Flaky"));
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionFailed",
            "ExecutionFailed"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn service_errors_are_lambda_exceptions() {
    let (sfn, lambda) = services();
    // No such function.
    let def = caught(
        r#"{"FunctionName": "missing"}"#,
        r#"{"ErrorEquals": ["Lambda.ResourceNotFoundException"], "Next": "Caught"}"#,
    );
    let (done, _) = run(&sfn, &def, json!({})).await;
    let out = output(&done);
    assert_eq!(out["Error"], "Lambda.ResourceNotFoundException");
    let cause = out["Cause"].as_str().unwrap();
    assert!(
        cause.starts_with(&format!("Function not found: {ARN}:missing")),
        "{cause}"
    );
    assert!(cause.contains(
        "(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: "
    ));
    assert!(cause.ends_with("; Proxy: null)"));

    // Throttled: reserved concurrency 0.
    create(&lambda, "echo", echo()).await;
    lambda
        .put_function_concurrency()
        .function_name("echo")
        .reserved_concurrent_executions(0)
        .send()
        .await
        .unwrap();
    let def = invoke_def(r#"{"FunctionName": "echo"}"#, "");
    let (done, _) = run(&sfn, &def, json!({})).await;
    assert_eq!(
        done.error.as_deref(),
        Some("Lambda.TooManyRequestsException")
    );
    assert!(done.cause.unwrap().starts_with(
        "Rate Exceeded. (Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException;"
    ));
}

#[tokio::test(start_paused = true)]
async fn timeouts_of_the_function_and_of_the_state() {
    let (sfn, lambda) = services();
    let clock = sfn.clock().clone();
    let slow = Code::from_service(service_fn(move |e: Event<Value>| {
        let sleep = clock.sleep(Duration::from_secs(60));
        async move {
            sleep.await;
            Ok::<_, Infallible>(e.payload)
        }
    }));
    lambda
        .create_function()
        .function_name("slow")
        .code(slow.clone())
        .timeout(5)
        .send()
        .await
        .unwrap();
    // The function's own timeout is a function error.
    let (done, _) = run(
        &sfn,
        &invoke_def(r#"{"FunctionName": "slow"}"#, ""),
        json!({}),
    )
    .await;
    assert_eq!(done.error.as_deref(), Some("Sandbox.Timedout"));
    assert!(
        done.cause
            .unwrap()
            .contains("Task timed out after 5.00 seconds")
    );
    // The state's TimeoutSeconds ends the call first.
    lambda
        .create_function()
        .function_name("slower")
        .code(slow)
        .timeout(120)
        .send()
        .await
        .unwrap();
    let def = invoke_def(r#"{"FunctionName": "slower"}"#, r#", "TimeoutSeconds": 10"#);
    let (done, types) = run(&sfn, &def, json!({})).await;
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    assert!(types.contains(&"TaskTimedOut".to_string()));
}

#[tokio::test(start_paused = true)]
async fn wait_for_task_token_sends_the_token_to_the_function() {
    let (sfn, lambda) = services();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let code = Code::from_service(service_fn(move |e: Event<Value>| {
        let tx = tx.clone();
        async move {
            let token = e.payload["token"].as_str().unwrap_or_default().to_string();
            let _ = tx.send(token);
            Ok::<_, Infallible>(json!("queued"))
        }
    }));
    create(&lambda, "review", code).await;
    let def = r#"{"StartAt": "Review", "States": {"Review": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "review", "Payload": {"token.$": "$$.Task.Token"}},
        "End": true}}}"#;
    let sm = sfn
        .create_state_machine()
        .name("review")
        .definition(def)
        .send()
        .await
        .unwrap();
    let run = sfn
        .start_execution()
        .state_machine_arn(&sm.state_machine_arn)
        .send()
        .await
        .unwrap();
    let token = rx.recv().await.unwrap();
    sfn.send_task_success()
        .task_token(token)
        .output(r#"{"approved": true}"#)
        .send()
        .await
        .unwrap();
    let done = sfn.wait_for_execution(&run.execution_arn).await.unwrap();
    assert_eq!(output(&done), json!({"approved": true}));
    let history = sfn
        .get_execution_history()
        .execution_arn(&run.execution_arn)
        .send()
        .await
        .unwrap();
    let submitted = history
        .events
        .iter()
        .find(|e| e.event_type.as_str() == "TaskSubmitted")
        .unwrap();
    let out: Value =
        serde_json::from_str(submitted.details().unwrap()["output"].as_str().unwrap()).unwrap();
    assert_eq!(out["Payload"], "queued");
    assert_eq!(out["StatusCode"], 200);
}

#[tokio::test(start_paused = true)]
async fn a_registered_handler_takes_precedence() {
    let (sfn, lambda) = services();
    create(&lambda, "echo", echo()).await;
    sfn.register_task_handler(format!("{ARN}:echo"), |_| async {
        Ok::<_, TaskError>(json!("from the handler"))
    });
    let def = invoke_def(r#"{"FunctionName": "echo", "Payload": {"a": 1}}"#, "");
    let (done, _) = run(&sfn, &def, json!({})).await;
    let out = output(&done);
    assert_eq!(out["Payload"], "from the handler");
    assert_eq!(lambda.metrics("echo").unwrap().invocations, 0);
}

#[tokio::test(start_paused = true)]
async fn without_a_lambda_the_function_is_not_found() {
    let sfn = support::sfn();
    let (done, _) = run(
        &sfn,
        &invoke_def(r#"{"FunctionName": "echo"}"#, ""),
        json!({}),
    )
    .await;
    assert_eq!(
        done.error.as_deref(),
        Some("Lambda.ResourceNotFoundException")
    );
}
