//! Event source mappings: ReportBatchItemFailures, malformed responses, errors and the DLQ.
#![cfg(feature = "queue")]

mod support;

use std::time::Duration;

use aws_lite_fn::Diagnostic;
use serde_json::{Value, json};
use support::esm::*;

/// The ids of the records whose body starts with "bad".
fn failures_of_bad(event: &Value) -> Value {
    let ids: Vec<Value> = event["Records"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["body"].as_str().unwrap_or_default().starts_with("bad"))
        .map(|r| json!({ "itemIdentifier": r["messageId"] }))
        .collect();
    json!({ "batchItemFailures": ids })
}

async fn run(
    respond: impl Fn(&Value) -> Result<Value, Diagnostic> + Send + Sync + 'static,
    report: bool,
) -> (Vec<Call>, aws_lite_queue::Queue) {
    let (sqs, lambda) = setup();
    let clock = lambda.clock().clone();
    let q = queue(&sqs, "jobs", &[("VisibilityTimeout", "30".into())]).await;
    send_all(&q, ["ok1", "bad1", "ok2", "bad2"].map(String::from)).await;
    let calls = Calls::default();
    let code = recorder(clock.clone(), calls.clone(), Duration::ZERO, respond);
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .send()
        .await
        .unwrap();
    let mut create = lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f");
    if report {
        create = create.report_batch_item_failures();
    }
    create.send().await.unwrap();
    clock.sleep(Duration::from_secs(5)).await;
    let calls = calls.lock().unwrap().clone();
    (calls, q)
}

#[tokio::test(start_paused = true)]
async fn reported_failures_stay_and_the_rest_are_deleted() {
    let (calls, q) = run(|e| Ok(failures_of_bad(e)), true).await;
    assert_eq!(calls.len(), 1);
    let m = q.metrics();
    assert_eq!(
        m.approximate_number_of_messages_not_visible, 2,
        "bad1 and bad2 in flight"
    );
    assert_eq!(m.approximate_number_of_messages_visible, 0);
}

#[tokio::test(start_paused = true)]
async fn without_report_batch_item_failures_the_response_is_ignored() {
    let (calls, q) = run(|e| Ok(failures_of_bad(e)), false).await;
    assert_eq!(calls.len(), 1);
    let m = q.metrics();
    assert_eq!(
        m.approximate_number_of_messages_not_visible, 0,
        "all deleted"
    );
    assert_eq!(m.approximate_number_of_messages_visible, 0);
}

#[tokio::test(start_paused = true)]
async fn empty_or_null_failure_lists_mean_full_success() {
    for response in [
        json!({"batchItemFailures": []}),
        json!({"batchItemFailures": null}),
        json!({}),
        Value::Null,
    ] {
        let r = response.clone();
        let (calls, q) = run(move |_| Ok(r.clone()), true).await;
        assert_eq!(calls.len(), 1, "{response}");
        assert_eq!(
            q.metrics().approximate_number_of_messages_not_visible,
            0,
            "{response}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_malformed_response_fails_the_whole_batch() {
    for response in [
        json!({"batchItemFailures": [{"itemIdentifier": "not-a-message-id"}]}),
        json!({"batchItemFailures": [{"itemIdentifier": ""}]}),
        json!({"batchItemFailures": [{"itemIdentifier": null}]}),
        json!({"batchItemFailures": [{"id": "x"}]}),
        json!({"batchItemFailures": "bad1"}),
        json!("ok"),
    ] {
        let r = response.clone();
        let (calls, q) = run(move |_| Ok(r.clone()), true).await;
        assert_eq!(calls.len(), 1, "{response}");
        assert_eq!(
            q.metrics().approximate_number_of_messages_not_visible,
            4,
            "nothing deleted for {response}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_function_error_deletes_nothing() {
    let (calls, q) = run(|_| Err(Diagnostic::new("Boom", "failed")), true).await;
    assert_eq!(calls.len(), 1);
    assert_eq!(q.metrics().approximate_number_of_messages_not_visible, 4);
}

#[tokio::test(start_paused = true)]
async fn failing_messages_reach_the_dlq_after_max_receive_count() {
    let (sqs, lambda) = setup();
    let clock = lambda.clock().clone();
    let dlq = queue(&sqs, "jobs-dlq", &[]).await;
    let policy = format!(
        r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":3}}"#,
        dlq.arn()
    );
    let q = queue(
        &sqs,
        "jobs",
        &[
            ("VisibilityTimeout", "30".into()),
            ("RedrivePolicy", policy),
        ],
    )
    .await;
    send_all(&q, ["ok1", "bad1", "ok2"].map(String::from)).await;
    let calls = Calls::default();
    let code = recorder(clock.clone(), calls.clone(), Duration::ZERO, |e| {
        Ok(failures_of_bad(e))
    });
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .send()
        .await
        .unwrap();
    lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .report_batch_item_failures()
        .send()
        .await
        .unwrap();
    clock.sleep(Duration::from_secs(300)).await;
    let seen_bad = calls
        .lock()
        .unwrap()
        .iter()
        .filter(|c| c.bodies.iter().any(|b| b == "bad1"))
        .count();
    assert_eq!(seen_bad, 3, "bad1 is tried maxReceiveCount times");
    let seen_ok: usize = calls
        .lock()
        .unwrap()
        .iter()
        .map(|c| c.bodies.iter().filter(|b| b.starts_with("ok")).count())
        .sum();
    assert_eq!(seen_ok, 2, "successes are processed once");
    assert_eq!(dlq.metrics().approximate_number_of_messages_visible, 1);
    let m = q.metrics();
    assert_eq!(
        m.approximate_number_of_messages_visible + m.approximate_number_of_messages_not_visible,
        0
    );
    let dead = dlq.receive_message().send().await.unwrap();
    assert_eq!(dead.messages()[0].body(), "bad1");
}
