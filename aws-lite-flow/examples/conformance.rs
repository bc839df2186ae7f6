//! Runs Step Functions conformance cases (`shared/conformance/sfn/cases.jsonl` format) against
//! aws-lite-flow and prints pass counts per category, then per kind and `needs`.
//!
//! ```text
//! cargo run -p aws-lite-flow --all-features --example conformance -- FILE [--verbose] [--list-failures]
//! ```
//!
//! Kinds run: `history` (status, output or error/cause, and the sequence of event types; a
//! case recorded as `NOT_TERMINATED` must still be running after a day of virtual time),
//! `choice_case` and `sync_response` (status and output, through StartSyncExecution for
//! `execution_mode: sync`), `invalid_definition` (the error code) and `test_state`
//! (TestState: status, output, error/cause, next state and inspection data, or the API error's
//! code and message) and `validate_definition` (ValidateStateMachineDefinition's result,
//! diagnostics and truncated). Other kinds, cases that need AWS services aws-lite does not
//! have (S3, DynamoDB, EventBridge, API Gateway, `aws-sdk:*`), Step Functions Local mocks and
//! unknown Lambda test functions count as failures. Exits non-zero when a case fails that
//! `conformance-expected-failures.txt` does not list, or when a listed case passes (so the list
//! only shrinks).
//!
//! # Services and fixtures
//!
//! Each case runs on its own `Sfn` wired to an aws-lite-fn `Lambda` (feature `fn`), an
//! aws-lite-queue `Sqs` (feature `queue`) and an aws-lite-pubsub `Sns` (feature `pubsub`), all on
//! one paused clock. The recorded test Lambda functions (`lambda_functions`) are created as
//! aws-lite-fn functions, one per handler file. For `needs: services` the runner makes what the
//! recorded test made: a queue for a `QueueUrl` placeholder, a topic for a `TopicArn` placeholder
//! (FIFO for the FIFO tests, deleted again for the missing-topic test), the target machine of
//! `states:startExecution` (LocalStack's `BASE_PASS_RESULT` template, or for
//! `test_sync_with_task_token` a machine that sends the parent's token to the queue and waits),
//! the activities a definition names, and the recorded test's worker: the SQS consumer that
//! answers task tokens with SendTaskSuccess or SendTaskFailure (or heartbeats first), the SNS →
//! SQS subscriber of `test_sns_publish_wait_for_task_token`, and the activity workers.
//!
//! # Comparison rules
//!
//! Placeholders follow `shared/conformance/README.md`; a bare token that reads as an error name
//! (`States.Timeout`: dotted segments each starting with a capital) is compared, not taken as a
//! placeholder. Two rules cover what the recordings cannot pin:
//! - The recorded Lambda functions ran on Python; aws-lite-fn hosts them as Rust-runtime
//!   functions. The Python runtime's error body adds `requestId` and `stackTrace` and writes
//!   JSON with `", "`/`": "` separators, so the runner compares error bodies without those two
//!   members, compares JSON text structurally, and checks a Lambda response's `Content-Length`
//!   against the length Python's `json.dumps` gives for the payload we returned.
//! - A StartExecution response's `Content-Length` depends on the execution ARN and date the
//!   recording replaced with placeholders; where the recorded ARN is a placeholder, the length
//!   is compared as any value.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::process::ExitCode;
#[cfg(any(feature = "fn", feature = "queue"))]
use std::time::Duration;

use aws_lite_core::{Rand, SharedClock};
use aws_lite_flow::operation::test_state::{
    InspectionLevel, MockErrorOutput, TestStateConfiguration, TestStateMock,
};
use aws_lite_flow::{ExecutionStatus, Sfn, StateMachineType};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let list = args.iter().any(|a| a == "--list-failures");
    let Some(file) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: conformance FILE [--verbose] [--list-failures]");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::from(2);
        }
    };
    let expected_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/conformance-expected-failures.txt"
    );
    let expected: BTreeMap<String, String> = std::fs::read_to_string(expected_path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("//"))
        .map(|l| match l.split_once("  # ") {
            Some((id, why)) => (id.trim_end().to_string(), why.to_string()),
            None => (l.trim().to_string(), String::new()),
        })
        .collect();

    let mut per_category: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut per_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("line {}: {e}", n + 1);
                return ExitCode::from(2);
            }
        };
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let category = case["category"].as_str().unwrap_or("?").to_string();
        let kind = format!(
            "{}/{}",
            case["kind"].as_str().unwrap_or("?"),
            case["needs"].as_str().unwrap_or("none")
        );
        let outcome = run_case(&case).await;
        let entry = per_category.entry(category).or_default();
        let kind_entry = per_kind.entry(kind).or_default();
        match &outcome {
            Ok(()) => {
                passed += 1;
                entry.0 += 1;
                kind_entry.0 += 1;
                if expected.contains_key(&id) {
                    fixed.push(id.clone());
                }
            }
            Err(why) => {
                failed += 1;
                entry.1 += 1;
                kind_entry.1 += 1;
                let why = why.replace('\n', " ");
                if list {
                    let short: String = why.chars().take(160).collect();
                    println!("{id}  # {short}");
                }
                if verbose {
                    eprintln!("FAIL {id}: {why}");
                }
                if !expected.contains_key(&id) {
                    unexpected.push((id.clone(), why));
                }
            }
        }
    }
    if list {
        return ExitCode::SUCCESS;
    }
    for (cat, (p, f)) in &per_category {
        println!("{cat}: {p} passed, {f} failed");
    }
    for (kind, (p, f)) in &per_kind {
        println!("[{kind}]: {p} passed, {f} failed");
    }
    println!("{passed} passed, {failed} failed");
    for (id, why) in &unexpected {
        let short: String = why.chars().take(300).collect();
        eprintln!("unexpected failure: {id}: {short}");
    }
    for id in &fixed {
        eprintln!("listed as an expected failure but passed (remove it from the list): {id}");
    }
    if unexpected.is_empty() && fixed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The services one case runs against, on one clock.
struct Env {
    sfn: Sfn,
    clock: SharedClock,
    #[cfg(feature = "fn")]
    lambda: aws_lite_fn::Lambda,
    #[cfg(feature = "queue")]
    sqs: aws_lite_queue::Sqs,
    #[cfg(feature = "pubsub")]
    sns: aws_lite_pubsub::Sns,
}

impl Env {
    fn new() -> Env {
        let clock = SharedClock::tokio();
        #[cfg(feature = "queue")]
        let sqs = aws_lite_queue::Sqs::builder()
            .clock(clock.clone())
            .rand(Rand::seeded(11))
            .build();
        #[cfg(feature = "pubsub")]
        let sns = {
            let b = aws_lite_pubsub::Sns::builder()
                .clock(clock.clone())
                .rand(Rand::seeded(13));
            #[cfg(feature = "queue")]
            let b = b.sqs(sqs.clone());
            b.build()
        };
        #[cfg(feature = "fn")]
        let lambda = aws_lite_fn::Lambda::builder()
            .clock(clock.clone())
            .rand(Rand::seeded(17))
            .build();
        let b = Sfn::builder().rand(Rand::seeded(7)).clock(clock.clone());
        #[cfg(feature = "fn")]
        let b = b.lambda(lambda.clone());
        #[cfg(feature = "queue")]
        let b = b.sqs(sqs.clone());
        #[cfg(feature = "pubsub")]
        let b = b.sns(sns.clone());
        Env {
            sfn: b.build(),
            clock,
            #[cfg(feature = "fn")]
            lambda,
            #[cfg(feature = "queue")]
            sqs,
            #[cfg(feature = "pubsub")]
            sns,
        }
    }
}

/// The services `needs: services` cases may use, and whether this build has them.
fn supported(service: &str) -> bool {
    match service {
        "states" | "activity" => true,
        "lambda" => cfg!(feature = "fn"),
        "sqs" => cfg!(feature = "queue"),
        "sns" => cfg!(feature = "pubsub"),
        // A Distributed Map's reader and writer, on the service's object store.
        s if s.starts_with("itemreader:s3:") || s.starts_with("resultwriter:s3:") => true,
        _ => false,
    }
}

/// The recorded test's function name: `…::test_name[params]#snapshot` → `test_name`.
fn test_name(id: &str) -> &str {
    let last = id.rsplit("::").next().unwrap_or(id);
    let end = last.find(['[', '#']).unwrap_or(last.len());
    &last[..end]
}

async fn run_case(case: &Value) -> Result<(), String> {
    let kind = case["kind"].as_str().unwrap_or_default();
    match kind {
        "history"
        | "choice_case"
        | "invalid_definition"
        | "test_state"
        | "sync_response"
        | "validate_definition" => {}
        other => return Err(format!("unsupported kind '{other}'")),
    }
    match case["needs"].as_str() {
        Some("none") | Some("lambda") | None => {}
        Some("services") => {
            let all: Vec<&str> = case["services"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(s) = all.iter().find(|s| !supported(s)) {
                return Err(format!(
                    "needs the service '{s}', which aws-lite does not have"
                ));
            }
        }
        Some(other) => return Err(format!("needs '{other}'")),
    }
    if kind == "test_state" {
        return run_test_state(case).await;
    }
    if kind == "validate_definition" {
        return run_validate(case).await;
    }
    if !case["mock_config"].is_null() || !case["mock_test_case"].is_null() {
        return Err("unsupported field: mock_config (Step Functions Local mocks)".into());
    }
    let env = Env::new();
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    let outcome = run_execution(case, &env, &mut workers).await;
    for w in workers {
        w.abort();
    }
    outcome
}

async fn run_execution(
    case: &Value,
    env: &Env,
    workers: &mut Vec<JoinHandle<()>>,
) -> Result<(), String> {
    let kind = case["kind"].as_str().unwrap_or_default();
    let sfn = &env.sfn;
    let sync = case["execution_mode"].as_str() == Some("sync");
    let definition = case["definition"].as_str().unwrap_or_default();
    let machine_type = match case["state_machine_type"].as_str() {
        Some("EXPRESS") => StateMachineType::Express,
        _ => StateMachineType::Standard,
    };
    let created = sfn
        .create_state_machine()
        .name("conformance")
        .definition(definition)
        .role_arn("arn:aws:iam::000000000000:role/snf_role_arn")
        .r#type(machine_type)
        .send()
        .await;
    let expected = &case["expected"];
    if kind == "invalid_definition" {
        return match created {
            Ok(_) => Err("the definition was accepted".into()),
            Err(e) if Some(e.code()) == expected["error"].as_str() => Ok(()),
            Err(e) => Err(format!("wrong error {}: {}", e.code(), e.message())),
        };
    }
    let created =
        created.map_err(|e| format!("CreateStateMachine: {}: {}", e.code(), e.message()))?;
    if let Some(fns) = case["lambda_functions"].as_object() {
        for (arn, f) in fns {
            let file = f["handler_file"].as_str().unwrap_or_default();
            create_function(env, arn, file.rsplit('/').next().unwrap_or(file)).await?;
        }
    }
    let input = if case["needs"].as_str() == Some("services") {
        fixtures(case, env, workers).await?
    } else {
        case.get("input_as_sent")
            .filter(|v| !v.is_null())
            .unwrap_or(&case["input"])
            .clone()
    };
    s3_objects(case, sfn, &input);
    let execution_arn = if sync {
        sfn.start_sync_execution()
            .state_machine_arn(&created.state_machine_arn)
            .input(input.to_string())
            .send()
            .await
            .map_err(|e| format!("StartSyncExecution: {}: {}", e.code(), e.message()))?
            .execution_arn
    } else {
        sfn.start_execution()
            .state_machine_arn(&created.state_machine_arn)
            .input(input.to_string())
            .send()
            .await
            .map_err(|e| format!("StartExecution: {}: {}", e.code(), e.message()))?
            .execution_arn
    };
    if expected["status"].as_str() == Some("NOT_TERMINATED") {
        // Recorded while still running (a Wait far in the future): the execution must still be
        // running a day of virtual time later, with the recorded events so far.
        env.clock.sleep(NOT_TERMINATED_AFTER).await;
        let described = sfn
            .describe_execution()
            .execution_arn(&execution_arn)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if described.status != ExecutionStatus::Running {
            return Err(format!(
                "status {} after {} s, expected \"NOT_TERMINATED\" (error {:?}, cause {:?})",
                described.status.as_str(),
                NOT_TERMINATED_AFTER.as_secs(),
                described.error,
                described.cause
            ));
        }
        if let Some(recorded) = case["history"].as_array() {
            let events = sfn
                .get_execution_history()
                .execution_arn(&execution_arn)
                .send()
                .await
                .map_err(|e| e.to_string())?
                .events;
            let ours: Vec<String> = events.iter().map(|e| e.event_type.to_string()).collect();
            compare_history(recorded, &ours)?;
        }
        return Ok(());
    }
    let done = sfn
        .wait_for_execution(&execution_arn)
        .await
        .map_err(|e| e.to_string())?;
    let ctx = Tokens {
        known: format!("{definition}{input}"),
    };
    let python = case["lambda_functions"].as_object().is_some_and(|fns| {
        fns.values().any(|f| {
            f["runtime"]
                .as_str()
                .is_some_and(|r| r.starts_with("python"))
        })
    });
    let status = done.status.as_str();
    if expected["status"].as_str() != Some(status) {
        return Err(format!(
            "status {status}, expected {} (error {:?}, cause {:?})",
            expected["status"], done.error, done.cause
        ));
    }
    if done.status == ExecutionStatus::Succeeded {
        let mut out: Value = done
            .output
            .as_deref()
            .and_then(|o| serde_json::from_str(o).ok())
            .unwrap_or(Value::Null);
        if let Some(exp) = expected.get("output") {
            let mut exp = exp.clone();
            loosen_start_execution_lengths(&mut exp);
            if python {
                drop_python_error_members(&mut exp);
                python_content_lengths(&mut out);
            }
            if !ctx.matches(&exp, &out) {
                return Err(format!("output {out}, expected {exp}"));
            }
        }
    } else {
        for (field, got) in [("error", &done.error), ("cause", &done.cause)] {
            if let Some(exp) = expected.get(field) {
                let mut exp = exp.clone();
                if python {
                    drop_python_error_members(&mut exp);
                }
                let got = got.clone().map(Value::String).unwrap_or(Value::Null);
                let ok = ctx.matches(&exp, &got) || (exp.is_null() && got == json!(""));
                if !ok {
                    return Err(format!("{field} {got}, expected {exp}"));
                }
            }
        }
    }
    if kind == "history" {
        if let Some(recorded) = case["history"].as_array() {
            let events = sfn
                .get_execution_history()
                .execution_arn(&execution_arn)
                .send()
                .await
                .map_err(|e| e.to_string())?
                .events;
            let ours: Vec<String> = events.iter().map(|e| e.event_type.to_string()).collect();
            compare_history(recorded, &ours)?;
        }
    }
    Ok(())
}

/// How long (virtual time) an execution recorded as `NOT_TERMINATED` must keep running.
const NOT_TERMINATED_AFTER: Duration = Duration::from_secs(86_400);

/// What answers the task tokens of a recorded test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Worker {
    /// Nothing: the task times out.
    None,
    /// LocalStack's `sqs_send_task_success_state_machine`: each message's `TaskToken` gets
    /// SendTaskSuccess with the JSON text of the message's `Message`.
    SqsSuccess,
    /// `sqs_send_task_failure_state_machine`: SendTaskFailure (`Failure error`, `Failure cause`).
    SqsFailure,
    /// `_handle_sqs_task_token_with_heartbeats_and_success`: ten SendTaskHeartbeat, then
    /// SendTaskSuccess with the whole message body.
    SqsHeartbeatsThenSuccess,
    /// `test_sns_publish_wait_for_task_token`: a queue subscribed to the topic; SendTaskSuccess
    /// `{}` for the token in the notification's message.
    SnsSuccess,
    /// An activity worker polling with this worker name, answering with the task's input, with
    /// `Programmatic Error` (cause: the input), or not at all.
    Activity(Option<&'static str>, ActivityReply),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActivityReply {
    Success,
    Failure,
    Silent,
}

/// The worker the recorded test started.
fn worker_for(test: &str) -> Worker {
    const CONSUMER: Option<&str> = Some("BASE_ID_ACTIVITY_CONSUMER");
    match test {
        "test_sqs_wait_for_task_token"
        | "test_sqs_wait_for_task_token_call_chain"
        | "test_sqs_wait_for_task_tok_with_heartbeat"
        | "test_sync_with_task_token" => Worker::SqsSuccess,
        "test_sqs_failure_in_wait_for_task_token" | "test_sqs_wait_for_task_token_task_failure" => {
            Worker::SqsFailure
        }
        "test_multiple_heartbeat_notifications"
        | "test_multiple_executions_and_heartbeat_notifications" => {
            Worker::SqsHeartbeatsThenSuccess
        }
        "test_sns_publish_wait_for_task_token" => Worker::SnsSuccess,
        "test_activity_task" => Worker::Activity(CONSUMER, ActivityReply::Success),
        "test_activity_task_failure" => Worker::Activity(CONSUMER, ActivityReply::Failure),
        "test_activity_task_no_worker_name" => Worker::Activity(None, ActivityReply::Success),
        "test_activity_task_start_timeout" => Worker::Activity(CONSUMER, ActivityReply::Silent),
        _ => Worker::None,
    }
}

/// LocalStack's `BASE_PASS_RESULT` template: the target of the `startExecution` tests.
const BASE_PASS_RESULT: &str = r#"{"Comment": "BASE_PASS_RESULT", "StartAt": "State_1", "States": {"State_1": {"Type": "Pass", "Result": {"Arg1": "argument1"}, "End": true}}}"#;

/// The child of `test_sync_with_task_token` (LocalStack's `SQS_SEND_MESSAGE_AND_WAIT`, whose
/// text the case does not carry; reconstructed from what its worker answered): it sends the
/// parent's token to the queue and waits.
const SQS_SEND_MESSAGE_AND_WAIT: &str = r#"{"Comment": "SQS_SEND_MESSAGE_AND_WAIT", "StartAt": "SendMessage", "States": {"SendMessage": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {"QueueUrl.$": "$.QueueUrl", "MessageBody": {"Message": "SQS_SEND_MESSAGE_AND_WAIT", "TaskToken.$": "$.TaskToken"}}, "Next": "Wait"}, "Wait": {"Type": "Wait", "Seconds": 3600, "End": true}}}"#;

/// Makes the resources a `needs: services` case uses, starts its worker, and returns its input
/// with the placeholders of those resources replaced.
async fn fixtures(
    case: &Value,
    env: &Env,
    workers: &mut Vec<JoinHandle<()>>,
) -> Result<Value, String> {
    let test = test_name(case["id"].as_str().unwrap_or_default());
    let definition = case["definition"].as_str().unwrap_or_default();
    // `<…>` anywhere; for a URL or ARN field, also a bare token that is neither
    // (`sqs_queue_url`, `topic-arn`).
    let wrapped = |s: &str| s.contains('<') || s.contains('‹');
    let placeholder = |s: &str| wrapped(s) || !(s.starts_with("http") || s.starts_with("arn:"));
    let mut input = case["input"].clone();
    let worker = worker_for(test);

    // Activities named by the definition.
    for arn in activity_arns(definition) {
        let name = arn.rsplit(':').next().unwrap_or_default().to_string();
        env.sfn
            .create_activity()
            .name(name)
            .send()
            .await
            .map_err(|e| format!("CreateActivity: {e}"))?;
        if let Worker::Activity(name, reply) = worker {
            workers.push(tokio::spawn(activity_worker(
                env.sfn.clone(),
                arn,
                name,
                reply,
            )));
        }
    }

    let Some(fields) = input.as_object_mut() else {
        return Ok(input);
    };
    let mut queue_url: Option<String> = None;
    if let Some(v) = fields.get("QueueUrl").and_then(Value::as_str) {
        if placeholder(v) {
            let url = create_queue(env, "queue-1").await?;
            queue_url = Some(url.clone());
            fields.insert("QueueUrl".into(), json!(url));
        }
    }
    if let Some(v) = fields.get("TopicArn").and_then(Value::as_str) {
        if placeholder(v) {
            let arn = create_topic(env, test, workers).await?;
            fields.insert("TopicArn".into(), json!(arn));
        }
    }
    if let Some(v) = fields.get("StateMachineArn").and_then(Value::as_str) {
        let name = v.rsplit(':').next().unwrap_or_default();
        if placeholder(v) || name == "sm0" {
            let definition = if test == "test_sync_with_task_token" {
                SQS_SEND_MESSAGE_AND_WAIT
            } else {
                BASE_PASS_RESULT
            };
            let child = env
                .sfn
                .create_state_machine()
                .name("sm0")
                .definition(definition)
                .role_arn("arn:aws:iam::000000000000:role/snf_role_arn")
                .send()
                .await
                .map_err(|e| format!("CreateStateMachine (target): {e}"))?;
            fields.insert("StateMachineArn".into(), json!(child.state_machine_arn));
        }
    }
    for key in ["Name", "CredentialsRoleArn"] {
        if fields.get(key).and_then(Value::as_str).is_some_and(wrapped) {
            let value = match key {
                "Name" => "TestStartTarget",
                _ => "arn:aws:iam::000000000000:role/trusted",
            };
            fields.insert(key.into(), json!(value));
        }
    }
    if let Some(url) = queue_url {
        if let Some(w) = queue_worker(env, worker, url) {
            workers.push(w);
        }
    }
    Ok(input)
}

/// The activity ARNs a definition's `Resource` fields name.
fn activity_arns(definition: &str) -> BTreeSet<String> {
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("Resource").and_then(Value::as_str) {
                    if r.split(':').nth(5) == Some("activity") {
                        out.insert(r.to_string());
                    }
                }
                m.values().for_each(|v| walk(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    if let Ok(v) = serde_json::from_str::<Value>(definition) {
        walk(&v, &mut out);
    }
    out
}

/// Polls `arn` for a task and answers it as `reply` says.
async fn activity_worker(
    sfn: Sfn,
    arn: String,
    worker: Option<&'static str>,
    reply: ActivityReply,
) {
    loop {
        let mut req = sfn.get_activity_task().activity_arn(&arn);
        if let Some(w) = worker {
            req = req.worker_name(w);
        }
        let Ok(task) = req.send().await else { return };
        let (Some(token), Some(input)) = (task.task_token, task.input) else {
            continue;
        };
        let _ = match reply {
            ActivityReply::Success => sfn
                .send_task_success()
                .task_token(token)
                .output(input)
                .send()
                .await
                .map(|_| ()),
            ActivityReply::Failure => sfn
                .send_task_failure()
                .task_token(token)
                .error("Programmatic Error")
                .cause(input)
                .send()
                .await
                .map(|_| ()),
            ActivityReply::Silent => Ok(()),
        };
        return;
    }
}

#[cfg(feature = "queue")]
async fn create_queue(env: &Env, name: &str) -> Result<String, String> {
    Ok(env
        .sqs
        .create_queue()
        .queue_name(name)
        .send()
        .await
        .map_err(|e| format!("CreateQueue: {e}"))?
        .queue_url()
        .to_string())
}

#[cfg(not(feature = "queue"))]
async fn create_queue(_env: &Env, _name: &str) -> Result<String, String> {
    Err("needs feature queue".into())
}

/// The topic of an SNS test: FIFO for the FIFO tests, deleted again for the missing-topic
/// test, subscribed by a worker's queue for the callback test.
#[cfg(feature = "pubsub")]
async fn create_topic(
    env: &Env,
    test: &str,
    workers: &mut Vec<JoinHandle<()>>,
) -> Result<String, String> {
    let fifo = test.contains("fifo");
    let mut req = env
        .sns
        .create_topic()
        .name(if fifo { "topic-1.fifo" } else { "topic-1" });
    if fifo {
        req = req.attributes("FifoTopic", "true");
    }
    let arn = req
        .send()
        .await
        .map_err(|e| format!("CreateTopic: {e}"))?
        .topic_arn()
        .to_string();
    if test == "test_publish_base_error_topic_arn" {
        env.sns
            .delete_topic()
            .topic_arn(&arn)
            .send()
            .await
            .map_err(|e| format!("DeleteTopic: {e}"))?;
    }
    if worker_for(test) == Worker::SnsSuccess {
        #[cfg(feature = "queue")]
        {
            let url = create_queue(env, "topic-subscriber").await?;
            let queue = env.sqs.queue_by_url(&url).map_err(|e| e.to_string())?;
            env.sns
                .subscribe()
                .topic_arn(&arn)
                .protocol("sqs")
                .endpoint(queue.arn())
                .send()
                .await
                .map_err(|e| format!("Subscribe: {e}"))?;
            if let Some(w) = queue_worker(env, Worker::SnsSuccess, url) {
                workers.push(w);
            }
        }
    }
    Ok(arn)
}

#[cfg(not(feature = "pubsub"))]
async fn create_topic(
    _env: &Env,
    _test: &str,
    _workers: &mut Vec<JoinHandle<()>>,
) -> Result<String, String> {
    Err("needs feature pubsub".into())
}

/// Starts the worker that reads `url` and answers the task tokens in its messages.
#[cfg(feature = "queue")]
fn queue_worker(env: &Env, worker: Worker, url: String) -> Option<JoinHandle<()>> {
    if !matches!(
        worker,
        Worker::SqsSuccess
            | Worker::SqsFailure
            | Worker::SqsHeartbeatsThenSuccess
            | Worker::SnsSuccess
    ) {
        return None;
    }
    let sqs = env.sqs.clone();
    let sfn = env.sfn.clone();
    let clock = env.clock.clone();
    Some(tokio::spawn(async move {
        // LocalStack's workers poll 300 times, a second apart.
        for _ in 0..300 {
            clock.sleep(Duration::from_secs(1)).await;
            let Ok(got) = sqs
                .receive_message()
                .queue_url(&url)
                .max_number_of_messages(10)
                .send()
                .await
            else {
                continue;
            };
            for m in got.messages() {
                let body: Value = serde_json::from_str(m.body()).unwrap_or(Value::Null);
                let body = if worker == Worker::SnsSuccess {
                    body["Message"]
                        .as_str()
                        .and_then(|t| serde_json::from_str(t).ok())
                        .unwrap_or(Value::Null)
                } else {
                    body
                };
                let token = body["TaskToken"].as_str().unwrap_or_default().to_string();
                let _ = match worker {
                    Worker::SqsFailure => sfn
                        .send_task_failure()
                        .task_token(&token)
                        .error("Failure error")
                        .cause("Failure cause")
                        .send()
                        .await
                        .map(|_| ()),
                    Worker::SqsHeartbeatsThenSuccess => {
                        for _ in 0..10 {
                            let _ = sfn.send_task_heartbeat().task_token(&token).send().await;
                        }
                        sfn.send_task_success()
                            .task_token(&token)
                            .output(m.body())
                            .send()
                            .await
                            .map(|_| ())
                    }
                    Worker::SnsSuccess => sfn
                        .send_task_success()
                        .task_token(&token)
                        .output("{}")
                        .send()
                        .await
                        .map(|_| ()),
                    _ => sfn
                        .send_task_success()
                        .task_token(&token)
                        .output(body["Message"].to_string())
                        .send()
                        .await
                        .map(|_| ()),
                };
                let _ = sqs
                    .delete_message()
                    .queue_url(&url)
                    .receipt_handle(m.receipt_handle())
                    .send()
                    .await;
            }
        }
    }))
}

#[cfg(not(feature = "queue"))]
fn queue_worker(_env: &Env, _worker: Worker, _url: String) -> Option<JoinHandle<()>> {
    None
}

/// Creates the recorded test function `file` as the aws-lite-fn function of `arn`.
#[cfg(feature = "fn")]
async fn create_function(env: &Env, arn: &str, file: &str) -> Result<(), String> {
    use aws_lite_fn::{Code, Diagnostic, Event, service_fn};
    use std::convert::Infallible;

    let clock = env.clock.clone();
    let code = match file {
        "id_function.py" => Code::from_service(service_fn(|e: Event<Value>| async move {
            Ok::<_, Infallible>(e.payload)
        })),
        "echo_function.py" => Code::from_service(service_fn(|_: Event<Value>| async {
            Ok::<_, Infallible>(json!({"Return": "HelloWorld"}))
        })),
        "return_decorated_input.py" => {
            Code::from_service(service_fn(|e: Event<Value>| async move {
                Ok::<_, Infallible>(Value::String(format!(
                    "input-event-{}",
                    python_repr(&e.payload)
                )))
            }))
        }
        "raise_exception.py" => Code::from_service(service_fn(|_: Event<Value>| async {
            Err::<Value, _>(Diagnostic::new("Exception", "Some exception was raised."))
        })),
        "raise_custom_exception.py" => Code::from_service(service_fn(|_: Event<Value>| async {
            Err::<Value, _>(Diagnostic::new("CustomException", ""))
        })),
        "wait_60_seconds.py" => Code::from_service(service_fn(move |e: Event<Value>| {
            let sleep = clock.sleep(Duration::from_secs(60));
            async move {
                sleep.await;
                Ok::<_, Infallible>(e.payload)
            }
        })),
        "large_output_string.py" => Code::from_service(service_fn(|_: Event<Value>| async {
            Ok::<_, Infallible>(Value::String("a".repeat(257 * 1024)))
        })),
        other => return Err(format!("unknown Lambda test function '{other}'")),
    };
    let name = arn.rsplit(':').next().unwrap_or(arn);
    env.lambda
        .create_function()
        .function_name(name)
        .code(code)
        .timeout(900)
        .send()
        .await
        .map_err(|e| format!("CreateFunction: {e}"))?;
    Ok(())
}

#[cfg(not(feature = "fn"))]
async fn create_function(_env: &Env, _arn: &str, _file: &str) -> Result<(), String> {
    Err("the Lambda test functions need feature fn".into())
}

/// Expected error bodies without the members only the Python runtime adds (`requestId`,
/// `stackTrace`); JSON text holding such a body becomes the body, compared structurally.
fn drop_python_error_members(v: &mut Value) {
    fn strip(m: &mut serde_json::Map<String, Value>) -> bool {
        let is_error = m.contains_key("errorType")
            && m.contains_key("errorMessage")
            && (m.contains_key("stackTrace") || m.contains_key("requestId"));
        if is_error {
            m.remove("stackTrace");
            m.remove("requestId");
        }
        is_error
    }
    match v {
        Value::Object(m) => {
            let nested = !strip(m);
            m.values_mut()
                .filter(|_| nested)
                .for_each(drop_python_error_members);
        }
        Value::Array(a) => a.iter_mut().for_each(drop_python_error_members),
        Value::String(s) => {
            if let Ok(Value::Object(mut m)) = serde_json::from_str::<Value>(s) {
                if strip(&mut m) {
                    *v = Value::Object(m);
                }
            }
        }
        _ => {}
    }
}

/// Our Lambda responses with the `Content-Length` the Python runtime would have sent for their
/// payload.
fn python_content_lengths(v: &mut Value) {
    match v {
        Value::Object(m) => {
            let lambda = m.contains_key("StatusCode") && m.contains_key("SdkHttpMetadata");
            if let (true, Some(payload)) = (lambda, m.get("Payload")) {
                let len = python_json_len(payload).to_string();
                if let Some(meta) = m.get_mut("SdkHttpMetadata") {
                    if let Some(h) = meta.pointer_mut("/AllHttpHeaders/Content-Length") {
                        *h = json!([len]);
                    }
                    if let Some(h) = meta.pointer_mut("/HttpHeaders/Content-Length") {
                        *h = json!(len);
                    }
                }
            }
            m.values_mut().for_each(python_content_lengths);
        }
        Value::Array(a) => a.iter_mut().for_each(python_content_lengths),
        _ => {}
    }
}

/// Expected StartExecution responses whose execution ARN is a placeholder: their
/// `Content-Length` becomes a placeholder too.
fn loosen_start_execution_lengths(v: &mut Value) {
    match v {
        Value::Object(m) => {
            let masked = m.contains_key("StartDate")
                && m.contains_key("SdkHttpMetadata")
                && m["ExecutionArn"]
                    .as_str()
                    .is_some_and(|a| a.contains('<') || !a.starts_with("arn:"));
            if masked {
                if let Some(meta) = m.get_mut("SdkHttpMetadata") {
                    if let Some(h) = meta.pointer_mut("/AllHttpHeaders/Content-Length") {
                        *h = json!("<content-length>");
                    }
                    if let Some(h) = meta.pointer_mut("/HttpHeaders/Content-Length") {
                        *h = json!("<content-length>");
                    }
                }
            }
            m.values_mut().for_each(loosen_start_execution_lengths);
        }
        Value::Array(a) => a.iter_mut().for_each(loosen_start_execution_lengths),
        _ => {}
    }
}

/// The length of `v` as Python's `json.dumps` writes it (`", "` and `": "` separators, ASCII
/// escapes).
fn python_json_len(v: &Value) -> usize {
    match v {
        Value::Array(a) => {
            2 + a.iter().map(python_json_len).sum::<usize>() + 2 * a.len().saturating_sub(1)
        }
        Value::Object(m) => {
            2 + m
                .iter()
                .map(|(k, v)| python_str_len(k) + 2 + python_json_len(v))
                .sum::<usize>()
                + 2 * m.len().saturating_sub(1)
        }
        Value::String(s) => python_str_len(s),
        other => other.to_string().len(),
    }
}

fn python_str_len(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c if (c as u32) < 0x80 => 1,
            c if (c as u32) > 0xFFFF => 12,
            _ => 6,
        })
        .sum::<usize>()
}

/// Runs a `validate_definition` case through ValidateStateMachineDefinition: result,
/// diagnostics (severity, code, message, location) and truncated.
async fn run_validate(case: &Value) -> Result<(), String> {
    let definition = case["definition"].as_str().unwrap_or_default();
    let machine_type = match case["state_machine_type"].as_str() {
        Some("EXPRESS") => StateMachineType::Express,
        _ => StateMachineType::Standard,
    };
    let out = Sfn::new()
        .validate_state_machine_definition()
        .definition(definition)
        .r#type(machine_type)
        .send()
        .await
        .map_err(|e| {
            format!(
                "ValidateStateMachineDefinition: {}: {}",
                e.code(),
                e.message()
            )
        })?;
    let got = serde_json::to_value(&out).map_err(|e| e.to_string())?;
    let ctx = Tokens {
        known: definition.to_string(),
    };
    if !ctx.matches(&case["expected"], &got) {
        return Err(format!("response {got}, expected {}", case["expected"]));
    }
    Ok(())
}

/// JSON text: a string as is, any other value serialized.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Runs a `test_state` case through `Sfn::test_state`.
async fn run_test_state(case: &Value) -> Result<(), String> {
    let args = &case["test_state_args"];
    let expected = &case["expected"];
    let definition = case["definition"].as_str().unwrap_or_default();
    let sfn = Sfn::builder().rand(Rand::seeded(7)).build();
    let mut req = sfn
        .test_state()
        .definition(definition)
        .role_arn("arn:aws:iam::000000000000:role/snf_role_arn")
        .input(case["input"].to_string());
    if let Some(level) = args["inspectionLevel"].as_str() {
        let level = match level {
            "DEBUG" => InspectionLevel::Debug,
            "TRACE" => InspectionLevel::Trace,
            _ => InspectionLevel::Info,
        };
        req = req.inspection_level(level);
    }
    if let Some(name) = args["stateName"].as_str() {
        req = req.state_name(name);
    }
    if let Some(ctx) = text_of(&args["context"]) {
        req = req.context(ctx);
    }
    if let Some(vars) = text_of(&args["variables"]) {
        req = req.variables(vars);
    }
    if args["revealSecrets"].as_bool() == Some(true) {
        req = req.reveal_secrets(true);
    }
    if let Some(m) = args.get("mock").filter(|m| m.is_object()) {
        let mut mock = match text_of(&m["result"]) {
            Some(r) => TestStateMock::result(r),
            None => TestStateMock::default(),
        };
        if let Some(e) = m.get("errorOutput").filter(|e| e.is_object()) {
            mock.error_output = Some(MockErrorOutput::new(
                e["error"].as_str().unwrap_or_default(),
                e["cause"].as_str().unwrap_or_default(),
            ));
        }
        mock.field_validation_mode = m["fieldValidationMode"].as_str().map(str::to_string);
        req = req.mock(mock);
    }
    if let Some(c) = args.get("stateConfiguration").filter(|c| c.is_object()) {
        let config: TestStateConfiguration =
            serde_json::from_value(c.clone()).map_err(|e| format!("stateConfiguration: {e}"))?;
        req = req.state_configuration(config);
    }
    let ctx = Tokens {
        known: format!("{definition}{}{args}", case["input"]),
    };
    let got = req.send().await;
    if expected["status"] == "API_ERROR" {
        return match got {
            Ok(out) => Err(format!("succeeded with status {}", out.status.as_str())),
            Err(e) => {
                let msg = Value::String(e.message().to_string());
                if Some(e.code()) != expected["error"].as_str() {
                    Err(format!("wrong error {}: {}", e.code(), e.message()))
                } else if !expected["message"].is_null() && !ctx.matches(&expected["message"], &msg)
                {
                    Err(format!("message {msg}, expected {}", expected["message"]))
                } else {
                    Ok(())
                }
            }
        };
    }
    let out = got.map_err(|e| format!("TestState: {}: {}", e.code(), e.message()))?;
    if expected["status"].as_str() != Some(out.status.as_str()) {
        return Err(format!(
            "status {}, expected {} (error {:?}, cause {:?})",
            out.status.as_str(),
            expected["status"],
            out.error,
            out.cause
        ));
    }
    let parse = |s: &Option<String>| {
        s.as_deref()
            .map(|t| serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.to_string())))
            .unwrap_or(Value::Null)
    };
    let fields = [
        ("output", parse(&out.output)),
        (
            "error",
            out.error.clone().map(Value::String).unwrap_or(Value::Null),
        ),
        (
            "cause",
            out.cause.clone().map(Value::String).unwrap_or(Value::Null),
        ),
        (
            "nextState",
            out.next_state
                .clone()
                .map(Value::String)
                .unwrap_or(Value::Null),
        ),
    ];
    for (field, got) in fields {
        let exp = expected.get(field).unwrap_or(&Value::Null);
        if !ctx.matches(exp, &got) {
            return Err(format!("{field} {got}, expected {exp}"));
        }
    }
    // Inspection values are JSON text; the recordings show some parsed, some as text.
    let norm = |v: &Value| -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| {
                        let v = match v {
                            Value::String(s) => {
                                serde_json::from_str(s).unwrap_or_else(|_| v.clone())
                            }
                            other => other.clone(),
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    };
    let ours = match &out.inspection_data {
        Some(d) => norm(&serde_json::to_value(d).map_err(|e| e.to_string())?),
        None => Value::Null,
    };
    let exp = norm(expected.get("inspectionData").unwrap_or(&Value::Null));
    if !ctx.matches(&exp, &ours) {
        return Err(format!("inspectionData {ours}, expected {exp}"));
    }
    Ok(())
}

/// Python's `repr` of a JSON value, as `str(event)` prints it.
fn python_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(python_repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("'{k}': {}", python_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Placeholder-aware comparison (see the conformance README).
struct Tokens {
    /// The definition and input text: a bare word found there is literal, not a placeholder.
    known: String,
}

impl Tokens {
    fn is_placeholder(&self, s: &str) -> bool {
        let wrapped = (s.starts_with('<') || s.starts_with('‹')) && s.ends_with('>');
        let bare = !s.is_empty()
            && s.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.:-".contains(c))
            && !self.known.contains(s)
            && !is_error_name(s);
        wrapped || bare
    }

    fn matches(&self, exp: &Value, got: &Value) -> bool {
        match (exp, got) {
            (Value::String(e), _) if self.is_placeholder(e) => true,
            (Value::String(e), Value::String(g)) => pattern_match(e, g),
            // The recordings show JSON text (causes, outputs) parsed.
            (Value::Object(_) | Value::Array(_), Value::String(g)) => {
                serde_json::from_str::<Value>(g).is_ok_and(|g| self.matches(exp, &g))
            }
            (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| self.matches(x, y))
            }
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.get(k).is_some_and(|w| self.matches(v, w)))
            }
            (a, b) => a == b,
        }
    }
}

/// Whether `s` reads as an error name (`States.Timeout`, `SQS.SdkClientException`): dotted
/// segments that each start with a capital. Those are compared, never taken as placeholders.
fn is_error_name(s: &str) -> bool {
    s.contains('.')
        && s.split('.')
            .all(|seg| seg.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
}

#[derive(PartialEq)]
enum Tok {
    Any,
    Lit(char),
}

/// Matches `got` against `exp` where `<…>`, `‹…>` and `111111111111` stand for any text.
fn pattern_match(exp: &str, got: &str) -> bool {
    if exp == got {
        return true;
    }
    let mut toks = Vec::new();
    let chars: Vec<char> = exp.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '<' || c == '‹' {
            if let Some(end) = chars[i + 1..].iter().position(|x| *x == '>') {
                let inner = &chars[i + 1..i + 1 + end];
                if !inner.is_empty() && !inner.iter().any(|c| *c == '<' || c.is_whitespace()) {
                    toks.push(Tok::Any);
                    i += end + 2;
                    continue;
                }
            }
        }
        if chars[i..].starts_with(&['1'; 12]) {
            toks.push(Tok::Any);
            i += 12;
            continue;
        }
        toks.push(Tok::Lit(c));
        i += 1;
    }
    let text: Vec<char> = got.chars().collect();
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Lit(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            Some(Tok::Any) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    toks[p..].iter().all(|t| *t == Tok::Any)
}

/// Compares event types: in order by id; events of concurrent branches may interleave; a few
/// Parallel/Map recordings lack events between a matching prefix and suffix.
fn compare_history(recorded: &[Value], ours: &[String]) -> Result<(), String> {
    let mut rec: Vec<(Option<i64>, String)> = recorded
        .iter()
        .map(|e| {
            (
                e["id"].as_i64(),
                e["type"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    if rec.iter().all(|(id, _)| id.is_some()) {
        rec.sort_by_key(|(id, _)| *id);
    }
    let rec: Vec<String> = rec.into_iter().map(|(_, t)| t).collect();
    if rec == ours {
        return Ok(());
    }
    let count = |v: &[String]| {
        let mut m: HashMap<String, usize> = HashMap::new();
        for t in v {
            *m.entry(t.clone()).or_default() += 1;
        }
        m
    };
    let concurrent = rec
        .iter()
        .any(|t| t.starts_with("Parallel") || t.starts_with("MapIteration"));
    if concurrent {
        if count(&rec) == count(ours) {
            return Ok(());
        }
        let prefix = rec.iter().zip(ours).take_while(|(a, b)| a == b).count();
        let suffix = rec
            .iter()
            .rev()
            .zip(ours.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        if prefix + suffix <= rec.len().min(ours.len()) {
            let rm = count(&rec[prefix..rec.len() - suffix]);
            let om = count(&ours[prefix..ours.len() - suffix]);
            let missing_only: BTreeSet<&String> = om.keys().collect();
            if rm.iter().all(|(k, n)| om.get(k).is_some_and(|m| m >= n)) && !missing_only.is_empty()
            {
                return Ok(());
            }
        }
    }
    Err(format!("history {ours:?}, expected {rec:?}"))
}

// ---------------------------------------------------------------------------------------------
// Distributed Map fixtures (owned by the Distributed Map work): the S3 objects the recorded
// tests put before running, on the service's in-memory object store.

/// Puts the objects a Distributed Map case's `ItemReader` reads (in the bucket its input
/// names) and creates the bucket its `ResultWriter` writes to. The bodies are those of
/// LocalStack's `test_base_scenarios.py`; cases whose objects are not on record get none.
fn s3_objects(case: &Value, sfn: &Sfn, input: &Value) {
    let services = case["services"].as_array().cloned().unwrap_or_default();
    let s3 = |prefix: &str| {
        services
            .iter()
            .filter_map(Value::as_str)
            .any(|s| s.starts_with(prefix))
    };
    let objects = sfn.objects();
    if s3("resultwriter:s3:") {
        if let Ok(def) = serde_json::from_str::<Value>(case["definition"].as_str().unwrap_or("{}"))
        {
            for state in def["States"]
                .as_object()
                .into_iter()
                .flat_map(|m| m.values())
            {
                if let Some(b) = state["ResultWriter"]["Parameters"]["Bucket"].as_str() {
                    objects.create_bucket(b);
                }
            }
        }
    }
    if !s3("itemreader:s3:") {
        return;
    }
    let bucket = input["Bucket"].as_str().unwrap_or_default();
    let key = input["Key"].as_str().unwrap_or_default();
    let record = |verdict: &str, date: &str, source: &str| json!({"verdict": verdict, "statement_date": date, "statement_source": source});
    let csv_extra = ",,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n";
    let col_csv = "Col1,Col2\nValue1,Value2\nValue3,Value4\nValue5,Value6\nValue7,Value8\n";
    match test_name(case["id"].as_str().unwrap_or_default()) {
        "test_map_item_reader_base_list_objects_v2" => {
            for i in 0..3 {
                objects.put(bucket, format!("file_{i}.txt"), format!("{i}HelloWorld!"));
            }
        }
        "test_map_item_reader_base_json" => {
            let body = json!([
                record("true", "6/11/2008", "speech"),
                record("false", "6/7/2022", "television"),
                record("mostly-true", "5/18/2016", "news"),
            ]);
            objects.put(bucket, key, body.to_string());
        }
        "test_map_item_reader_base_json_max_items" => {
            let one = record("true", "6/11/2008", "speech");
            objects.put(bucket, key, json!([one, one, one]).to_string());
        }
        "test_map_item_reader_json_no_json_list_object" => {
            objects.put(bucket, key, r#"{"Hello": "world"}"#);
        }
        "test_map_item_reader_csv_headers_decl_extra_fields" => {
            let body = format!("Value1,Value2,Value3\nValue4,Value5,Value6\n{csv_extra}");
            objects.put(bucket, key, body);
        }
        "test_map_item_reader_csv_first_row_extra_fields" => {
            objects.put(
                bucket,
                key,
                format!("H1,\nValue4,Value5,Value6\n{csv_extra}"),
            );
        }
        "test_map_item_reader_csv_max_items" | "test_map_item_reader_csv_max_items_paths" => {
            objects.put(bucket, key, col_csv);
        }
        _ => {}
    }
}
