//! The SQS (`arn:aws:states:::sqs:sendMessage`) and SNS (`arn:aws:states:::sns:publish`)
//! integrations through aws-lite-queue and aws-lite-pubsub: parameters, results, errors with
//! Retry and Catch, and `.waitForTaskToken` with workers on the queue.
#![cfg(all(feature = "queue", feature = "pubsub"))]

mod support;

use std::time::Duration;

use aws_lite_core::{Clock, Rand, SharedClock};
use aws_lite_flow::{ExecutionStatus, Sfn};
use aws_lite_pubsub::Sns;
use aws_lite_queue::Sqs;
use serde_json::{Value, json};
use support::{output, run};

/// SQS, SNS (delivering to SQS) and an Sfn wired to both, on one clock.
fn services() -> (Sfn, Sqs, Sns) {
    let clock = SharedClock::tokio();
    let sqs = Sqs::builder()
        .clock(clock.clone())
        .rand(Rand::seeded(3))
        .build();
    let sns = Sns::builder()
        .clock(clock.clone())
        .rand(Rand::seeded(4))
        .sqs(sqs.clone())
        .build();
    let sfn = Sfn::builder()
        .clock(clock)
        .rand(Rand::seeded(1))
        .sqs(sqs.clone())
        .sns(sns.clone())
        .build();
    (sfn, sqs, sns)
}

async fn queue(sqs: &Sqs, name: &str) -> String {
    sqs.create_queue()
        .queue_name(name)
        .send()
        .await
        .unwrap()
        .queue_url()
        .to_string()
}

fn task(resource: &str, params: &str, extra: &str) -> String {
    format!(
        r#"{{"StartAt": "Call", "States": {{"Call": {{"Type": "Task", "Resource": "{resource}",
        "Parameters": {params} {extra}, "End": true}}}}}}"#
    )
}

const SEND: &str = "arn:aws:states:::sqs:sendMessage";
const PUBLISH: &str = "arn:aws:states:::sns:publish";

#[tokio::test(start_paused = true)]
async fn send_message_sends_json_bodies_and_attributes() {
    let (sfn, sqs, _) = services();
    let url = queue(&sqs, "orders").await;
    let def = task(
        SEND,
        r#"{"QueueUrl.$": "$.url", "MessageBody.$": "$.order", "DelaySeconds": 10,
           "MessageAttributes": {"kind": {"DataType": "String", "StringValue.$": "$.kind"}}}"#,
        "",
    );
    let input = json!({"url": url, "order": {"id": 7, "total": 42}, "kind": "new"});
    let (done, types) = run(&sfn, &def, input).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{:?}", done.cause);
    let out = output(&done);
    assert_eq!(out["MessageId"].as_str().unwrap().len(), 36);
    // The body was the object's JSON text.
    let body = r#"{"id":7,"total":42}"#;
    assert_eq!(out["MD5OfMessageBody"], md5_hex(body));
    assert!(out["MD5OfMessageAttributes"].is_string());
    let headers = &out["SdkHttpMetadata"]["HttpHeaders"];
    assert_eq!(headers["Content-Type"], "application/x-amz-json-1.0");
    // {"MD5OfMessageAttributes":…,"MD5OfMessageBody":…,"MessageId":…}
    assert_eq!(headers["Content-Length"], "166");
    assert_eq!(headers["connection"], "keep-alive");
    assert_eq!(
        headers["x-amzn-RequestId"],
        out["SdkResponseMetadata"]["RequestId"]
    );
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
    // DelaySeconds: hidden for 10 s of virtual time.
    let got = sqs.receive_message().queue_url(&url).send().await.unwrap();
    assert!(got.messages().is_empty());
    tokio::time::advance(Duration::from_secs(10)).await;
    let got = sqs
        .receive_message()
        .queue_url(&url)
        .message_attribute_names("All")
        .send()
        .await
        .unwrap();
    let m = &got.messages()[0];
    assert_eq!(m.body(), body);
    assert_eq!(m.message_id(), out["MessageId"]);
    assert_eq!(
        m.message_attributes().unwrap()["kind"]
            .string_value
            .as_deref(),
        Some("new")
    );
}

fn md5_hex(s: &str) -> String {
    use md5::{Digest, Md5};
    Md5::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test(start_paused = true)]
async fn fifo_queues_get_group_and_deduplication_ids() {
    let (sfn, sqs, _) = services();
    let url = sqs
        .create_queue()
        .queue_name("jobs.fifo")
        .attributes("FifoQueue", "true")
        .send()
        .await
        .unwrap()
        .queue_url()
        .to_string();
    let def = task(
        SEND,
        r#"{"QueueUrl.$": "$.url", "MessageBody": "job", "MessageGroupId": "g1",
           "MessageDeduplicationId.$": "$.dedup"}"#,
        "",
    );
    let (done, _) = run(&sfn, &def, json!({"url": url, "dedup": "d-1"})).await;
    let out = output(&done);
    let seq = out["SequenceNumber"].as_str().unwrap().to_string();
    // The same deduplication id within five minutes: the first message's id and number.
    let (again, _) = run(&sfn, &def, json!({"url": url, "dedup": "d-1"})).await;
    assert_eq!(output(&again)["MessageId"], out["MessageId"]);
    assert_eq!(output(&again)["SequenceNumber"], json!(seq));
    // No group id on a FIFO queue: SQS's MissingParameter.
    let def = task(SEND, r#"{"QueueUrl.$": "$.url", "MessageBody": "job"}"#, "");
    let (done, _) = run(&sfn, &def, json!({"url": url})).await;
    assert_eq!(done.error.as_deref(), Some("SQS.AmazonSQSException"));
}

#[tokio::test(start_paused = true)]
async fn send_message_errors_are_sqs_exceptions() {
    let (sfn, sqs, _) = services();
    let url = queue(&sqs, "q").await;
    // No body: MissingParameter, not modeled by the SDK for Java.
    let def = r#"{"StartAt": "Send", "States": {"Send": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage",
        "Parameters": {"QueueUrl.$": "$.url", "MessageBody.$": "$.body"},
        "Catch": [{"ErrorEquals": ["SQS.SdkClientException"], "ResultPath": "$.client", "Next": "Done"},
                  {"ErrorEquals": ["SQS.AmazonSQSException"], "ResultPath": "$.aws", "Next": "Done"}],
        "End": true}, "Done": {"Type": "Pass", "End": true}}}"#;
    let (done, _) = run(&sfn, def, json!({"url": url, "body": null})).await;
    let out = output(&done);
    assert_eq!(out["aws"]["Error"], "SQS.AmazonSQSException");
    let cause = out["aws"]["Cause"].as_str().unwrap();
    assert!(
        cause.starts_with(
            "The request must contain the parameter MessageBody. (Service: AmazonSQS; Status Code: 400; Error Code: MissingParameter; Request ID: "
        ),
        "{cause}"
    );
    // A host the SDK cannot reach.
    let (done, _) = run(
        &sfn,
        def,
        json!({"url": "http://no-such-queue-1", "body": "x"}),
    )
    .await;
    assert_eq!(
        output(&done)["client"],
        json!({"Error": "SQS.SdkClientException",
               "Cause": "Unable to execute HTTP request: no-such-queue-1: Name or service not known"})
    );
    // A queue that does not exist.
    let missing = url.replace("/q", "/missing");
    let (done, _) = run(
        &sfn,
        &task(SEND, r#"{"QueueUrl.$": "$.url", "MessageBody": "x"}"#, ""),
        json!({"url": missing}),
    )
    .await;
    assert_eq!(
        done.error.as_deref(),
        Some("SQS.QueueDoesNotExistException")
    );
    assert!(done.cause.unwrap().contains(
        "(Service: AmazonSQS; Status Code: 400; Error Code: AWS.SimpleQueueService.NonExistentQueue;"
    ));
}

#[tokio::test(start_paused = true)]
async fn retry_reaches_a_queue_created_meanwhile() {
    let (sfn, sqs, _) = services();
    let url = "https://sqs.us-east-1.amazonaws.com/000000000000/late";
    let def = task(
        SEND,
        r#"{"QueueUrl.$": "$.url", "MessageBody": "hello"}"#,
        r#", "Retry": [{"ErrorEquals": ["SQS.QueueDoesNotExistException"], "IntervalSeconds": 300}]"#,
    );
    let sm = sfn
        .create_state_machine()
        .name("late")
        .definition(def)
        .send()
        .await
        .unwrap();
    let run = sfn
        .start_execution()
        .state_machine_arn(&sm.state_machine_arn)
        .input(json!({"url": url}).to_string())
        .send()
        .await
        .unwrap();
    // The first attempt fails at once; the queue appears during the 300 s retry delay.
    tokio::time::advance(Duration::from_secs(100)).await;
    queue(&sqs, "late").await;
    let done = sfn.wait_for_execution(&run.execution_arn).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let got = sqs.receive_message().queue_url(url).send().await.unwrap();
    assert_eq!(got.messages()[0].body(), "hello");
}

/// Answers every task token that arrives on `url` as `answer` says, until aborted.
fn worker(
    sfn: &Sfn,
    sqs: &Sqs,
    url: &str,
    answer: fn(&Value) -> Result<String, (String, String)>,
    via_sns: bool,
) -> tokio::task::JoinHandle<()> {
    let (sfn, sqs, url) = (sfn.clone(), sqs.clone(), url.to_string());
    tokio::spawn(async move {
        loop {
            let got = sqs
                .receive_message()
                .queue_url(&url)
                .wait_time_seconds(20)
                .send()
                .await
                .unwrap();
            for m in got.messages() {
                let mut body: Value = serde_json::from_str(m.body()).unwrap();
                if via_sns {
                    body = serde_json::from_str(body["Message"].as_str().unwrap()).unwrap();
                }
                let token = body["TaskToken"].as_str().unwrap().to_string();
                match answer(&body) {
                    Ok(out) => {
                        sfn.send_task_success()
                            .task_token(token)
                            .output(out)
                            .send()
                            .await
                            .unwrap();
                    }
                    Err((error, cause)) => {
                        sfn.send_task_failure()
                            .task_token(token)
                            .error(error)
                            .cause(cause)
                            .send()
                            .await
                            .unwrap();
                    }
                }
                sqs.delete_message()
                    .queue_url(&url)
                    .receipt_handle(m.receipt_handle())
                    .send()
                    .await
                    .unwrap();
            }
        }
    })
}

const CALLBACK: &str = r#"{"StartAt": "Send", "States": {"Send": {"Type": "Task",
    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters": {"QueueUrl.$": "$.url", "MessageBody": {"Message.$": "$.m", "TaskToken.$": "$$.Task.Token"}},
    "HeartbeatSeconds": 600, "End": true}}}"#;

#[tokio::test(start_paused = true)]
async fn send_message_wait_for_task_token() {
    let (sfn, sqs, _) = services();
    let url = queue(&sqs, "approvals").await;
    let w = worker(
        &sfn,
        &sqs,
        &url,
        |body| Ok(json!({"approved": body["Message"]}).to_string()),
        false,
    );
    let (done, types) = run(&sfn, CALLBACK, json!({"url": url, "m": "order-7"})).await;
    w.abort();
    assert_eq!(output(&done), json!({"approved": "order-7"}));
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
async fn callback_failures_and_timeouts() {
    let (sfn, sqs, _) = services();
    let url = queue(&sqs, "reviews").await;
    let w = worker(
        &sfn,
        &sqs,
        &url,
        |_| Err(("Rejected".into(), "too expensive".into())),
        false,
    );
    let (done, types) = run(&sfn, CALLBACK, json!({"url": url, "m": "x"})).await;
    w.abort();
    assert_eq!(done.error.as_deref(), Some("Rejected"));
    assert_eq!(done.cause.as_deref(), Some("too expensive"));
    assert!(types.contains(&"TaskFailed".to_string()));
    // Nobody answers: the heartbeat runs out after 600 s of virtual time.
    let clock = sfn.clock().clone();
    let start = clock.now();
    let (done, types) = run(&sfn, CALLBACK, json!({"url": url, "m": "x"})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    assert_eq!(clock.now() - start, Duration::from_secs(600));
    assert!(types.contains(&"TaskTimedOut".to_string()));
}

#[tokio::test(start_paused = true)]
async fn publish_sends_to_subscribers() {
    let (sfn, sqs, sns) = services();
    let topic = sns.create_topic().name("events").send().await.unwrap();
    let url = queue(&sqs, "subscriber").await;
    let queue_arn = sqs.queue_by_url(&url).unwrap().arn().to_string();
    sns.subscribe()
        .topic_arn(topic.topic_arn())
        .protocol("sqs")
        .endpoint(queue_arn)
        .attributes("RawMessageDelivery", "true")
        .send()
        .await
        .unwrap();
    let def = task(
        PUBLISH,
        r#"{"TopicArn.$": "$.topic", "Message.$": "$.event", "Subject": "order",
           "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "created"}}}"#,
        "",
    );
    let (done, _) = run(
        &sfn,
        &def,
        json!({"topic": topic.topic_arn(), "event": {"id": 1}}),
    )
    .await;
    let out = output(&done);
    assert_eq!(out["MessageId"].as_str().unwrap().len(), 36);
    assert!(out.get("SequenceNumber").is_none());
    let headers = &out["SdkHttpMetadata"]["HttpHeaders"];
    assert_eq!(headers["Content-Type"], "text/xml");
    assert_eq!(headers["Content-Length"], "294");
    let got = sqs.receive_message().queue_url(&url).send().await.unwrap();
    assert_eq!(got.messages()[0].body(), r#"{"id":1}"#);
}

#[tokio::test(start_paused = true)]
async fn publish_to_fifo_topics_and_errors() {
    let (sfn, _, sns) = services();
    let topic = sns
        .create_topic()
        .name("events.fifo")
        .attributes("FifoTopic", "true")
        .send()
        .await
        .unwrap();
    let def = task(
        PUBLISH,
        r#"{"TopicArn.$": "$.topic", "Message": "m", "MessageGroupId": "g", "MessageDeduplicationId": "d"}"#,
        "",
    );
    let (done, _) = run(&sfn, &def, json!({"topic": topic.topic_arn()})).await;
    let out = output(&done);
    assert_eq!(out["SequenceNumber"].as_str().unwrap().len(), 20);
    assert_eq!(
        out["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"],
        "352"
    );
    // No group on a FIFO topic.
    let def = task(PUBLISH, r#"{"TopicArn.$": "$.topic", "Message": "m"}"#, "");
    let (done, _) = run(&sfn, &def, json!({"topic": topic.topic_arn()})).await;
    assert_eq!(done.error.as_deref(), Some("SNS.InvalidParameterException"));
    assert!(done.cause.unwrap().starts_with(
        "Invalid parameter: The MessageGroupId parameter is required for FIFO topics (Service: AmazonSNS; Status Code: 400; Error Code: InvalidParameter; Request ID: "
    ));
    // A deleted topic, caught.
    sns.delete_topic()
        .topic_arn(topic.topic_arn())
        .send()
        .await
        .unwrap();
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
        "Parameters": {"TopicArn.$": "$.topic", "Message": "m", "MessageGroupId": "g"},
        "Catch": [{"ErrorEquals": ["SNS.NotFoundException"], "Next": "Gone"}], "End": true},
        "Gone": {"Type": "Pass", "End": true}}}"#;
    let (done, _) = run(&sfn, def, json!({"topic": topic.topic_arn()})).await;
    let out = output(&done);
    assert_eq!(out["Error"], "SNS.NotFoundException");
    assert!(out["Cause"].as_str().unwrap().starts_with(
        "Topic does not exist (Service: AmazonSNS; Status Code: 404; Error Code: NotFound;"
    ));
}

#[tokio::test(start_paused = true)]
async fn publish_wait_for_task_token_through_a_subscribed_queue() {
    let (sfn, sqs, sns) = services();
    let topic = sns.create_topic().name("asks").send().await.unwrap();
    let url = queue(&sqs, "answers").await;
    let queue_arn = sqs.queue_by_url(&url).unwrap().arn().to_string();
    sns.subscribe()
        .topic_arn(topic.topic_arn())
        .protocol("sqs")
        .endpoint(queue_arn)
        .send()
        .await
        .unwrap();
    let w = worker(
        &sfn,
        &sqs,
        &url,
        |body| Ok(json!({"echo": body["arg"]}).to_string()),
        true,
    );
    let def = r#"{"StartAt": "Ask", "States": {"Ask": {"Type": "Task",
        "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
        "Parameters": {"TopicArn.$": "$.topic", "Message": {"arg.$": "$.arg", "TaskToken.$": "$$.Task.Token"}},
        "End": true}}}"#;
    let (done, types) = run(&sfn, def, json!({"topic": topic.topic_arn(), "arg": 5})).await;
    w.abort();
    assert_eq!(output(&done), json!({"echo": 5}));
    assert!(types.contains(&"TaskSubmitted".to_string()));
}
