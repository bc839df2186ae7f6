//! Event source mappings: FilterCriteria on SQS sources — EventBridge patterns matched against
//! Lambda's SQS record, the body-format rule, ORed filters, deletion of messages that match no
//! filter, validation, and Create/Update/Get/List reporting.
#![cfg(feature = "queue")]

mod support;

use std::time::Duration;

use aws_lite_core::Rand;
use aws_lite_fn::error::codes;
use aws_lite_fn::esm::{Filter, FilterCriteria};
use aws_lite_fn::{Lambda, Limits};
use aws_lite_queue::{MessageAttributeValue, Queue, Sqs};
use serde_json::{Value, json};
use support::esm::*;

/// A function `f` recording its batches, and a standard queue `jobs` whose messages come back
/// after 30 s and go to `jobs-dlq` after 2 receives.
async fn fixture(lambda: &Lambda, sqs: &Sqs) -> (Queue, Queue, Calls) {
    let clock = lambda.clock().clone();
    let dlq = queue(sqs, "jobs-dlq", &[]).await;
    let q = queue(
        sqs,
        "jobs",
        &[
            ("VisibilityTimeout", "30".into()),
            (
                "RedrivePolicy",
                json!({ "deadLetterTargetArn": dlq.arn(), "maxReceiveCount": 2 }).to_string(),
            ),
        ],
    )
    .await;
    let calls = Calls::default();
    let code = recorder(clock, calls.clone(), Duration::from_millis(10), |_| {
        Ok(Value::Null)
    });
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .timeout(10)
        .send()
        .await
        .unwrap();
    (q, dlq, calls)
}

fn delivered(calls: &Calls) -> Vec<String> {
    let mut all: Vec<String> = calls
        .lock()
        .unwrap()
        .iter()
        .flat_map(|c| c.bodies.clone())
        .collect();
    all.sort();
    all
}

fn sorted(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| (*s).to_owned()).collect();
    v.sort();
    v
}

/// Sends `bodies`, runs the mapping for 10 minutes, and returns what the function received.
async fn run(lambda: &Lambda, q: &Queue, calls: &Calls, bodies: &[&str]) -> Vec<String> {
    send_all(q, bodies.iter().map(|b| (*b).to_owned())).await;
    lambda.clock().sleep(Duration::from_secs(600)).await;
    delivered(calls)
}

async fn assert_drained(q: &Queue, dlq: &Queue) {
    let m = q.metrics();
    assert_eq!(m.approximate_number_of_messages_visible, 0);
    assert_eq!(m.approximate_number_of_messages_not_visible, 0);
    assert_eq!(
        dlq.metrics().approximate_number_of_messages_visible,
        0,
        "filtered messages are deleted, never redriven"
    );
}

#[tokio::test(start_paused = true)]
async fn a_json_body_pattern_delivers_matches_and_deletes_the_rest() {
    let (sqs, lambda) = setup();
    let (q, dlq, calls) = fixture(&lambda, &sqs).await;
    let mapping = lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .filter(
            r#"{"body": {"RequestCode": ["BBBB"], "RecordNumber": [{"numeric": [">", 9999]}]}}"#,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(mapping.filter_criteria().unwrap().filters().len(), 1);
    let got = run(
        &lambda,
        &q,
        &calls,
        &[
            r#"{"RequestCode": "BBBB", "RecordNumber": 10000}"#,
            r#"{"RequestCode": "BBBB", "RecordNumber": 12}"#,
            r#"{"RequestCode": "AAAA", "RecordNumber": 10000}"#,
            r#"{"RequestCode":"BBBB","RecordNumber":99999,"extra":[1,2]}"#,
            "RequestCode BBBB",
            r#""{\"RequestCode\": \"BBBB\"}""#,
        ],
    )
    .await;
    assert_eq!(
        got,
        sorted(&[
            r#"{"RequestCode": "BBBB", "RecordNumber": 10000}"#,
            r#"{"RequestCode":"BBBB","RecordNumber":99999,"extra":[1,2]}"#,
        ])
    );
    assert_drained(&q, &dlq).await;
    // The function saw each matching message once: no redelivery.
    assert_eq!(
        calls
            .lock()
            .unwrap()
            .iter()
            .map(|c| c.bodies.len())
            .sum::<usize>(),
        2
    );
}

#[tokio::test(start_paused = true)]
async fn a_plain_string_body_pattern_matches_only_bodies_that_are_not_json() {
    let (sqs, lambda) = setup();
    let (q, dlq, calls) = fixture(&lambda, &sqs).await;
    lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .filter(r#"{"body": [{"prefix": "Result: "}, "42"]}"#)
        .send()
        .await
        .unwrap();
    let got = run(
        &lambda,
        &q,
        &calls,
        &[
            "Result: ok",
            "Result: also ok",
            "result: lowercase",
            // Valid JSON: a JSON body never matches a plain-string pattern.
            r#""Result: quoted""#,
            "42",
            r#"{"Result": "x"}"#,
        ],
    )
    .await;
    assert_eq!(got, sorted(&["Result: ok", "Result: also ok"]));
    assert_drained(&q, &dlq).await;
}

#[tokio::test(start_paused = true)]
async fn filters_are_ored_and_patterns_may_read_the_records_other_fields() {
    let (sqs, lambda) = setup();
    let (q, dlq, calls) = fixture(&lambda, &sqs).await;
    lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .filter_criteria(FilterCriteria::new([
            r#"{"body": {"kind": ["order"]}}"#,
            r#"{"messageAttributes": {"priority": {"stringValue": ["high"]}}}"#,
            r#"{"eventSource": ["aws:sqs"], "body": {"kind": [{"prefix": "ref"}]}}"#,
        ]))
        .send()
        .await
        .unwrap();
    for (body, priority) in [
        (r#"{"kind": "order"}"#, None),
        (r#"{"kind": "refund"}"#, None),
        (r#"{"kind": "ping"}"#, None),
        ("plain text", Some("high")),
        ("plain text, low", Some("low")),
        (r#"{"kind": "ping", "n": 2}"#, Some("high")),
    ] {
        let mut send = q.send_message().message_body(body);
        if let Some(p) = priority {
            send = send.message_attributes("priority", MessageAttributeValue::string(p));
        }
        send.send().await.unwrap();
    }
    lambda.clock().sleep(Duration::from_secs(600)).await;
    assert_eq!(
        delivered(&calls),
        sorted(&[
            r#"{"kind": "order"}"#,
            r#"{"kind": "refund"}"#,
            "plain text",
            r#"{"kind": "ping", "n": 2}"#,
        ])
    );
    assert_drained(&q, &dlq).await;
}

#[tokio::test(start_paused = true)]
async fn batches_hold_only_matching_messages() {
    let (sqs, lambda) = setup();
    let (q, dlq, calls) = fixture(&lambda, &sqs).await;
    send_all(&q, (0..40).map(|i| json!({ "n": i }).to_string())).await;
    lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .batch_size(100)
        .maximum_batching_window_in_seconds(5)
        .filter(r#"{"body": {"n": [{"numeric": [">=", 30]}]}}"#)
        .send()
        .await
        .unwrap();
    lambda.clock().sleep(Duration::from_secs(60)).await;
    let calls = calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 1, "one batch: {calls:?}");
    let mut ns: Vec<i64> = calls[0].event["Records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            serde_json::from_str::<Value>(r["body"].as_str().unwrap()).unwrap()["n"]
                .as_i64()
                .unwrap()
        })
        .collect();
    ns.sort();
    assert_eq!(ns, (30..40).collect::<Vec<_>>());
    // The record the function gets keeps the body as the string that was sent.
    assert!(calls[0].event["Records"][0]["body"].is_string());
    assert_drained(&q, &dlq).await;
}

#[tokio::test(start_paused = true)]
async fn update_replaces_or_removes_the_filters_and_get_and_list_report_them() {
    let (sqs, lambda) = setup();
    let (q, dlq, calls) = fixture(&lambda, &sqs).await;
    let created = lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .filter(r#"{"body": ["a"]}"#)
        .send()
        .await
        .unwrap();
    let uuid = created.uuid().to_owned();
    let expected = FilterCriteria::new([r#"{"body": ["a"]}"#]);
    assert_eq!(created.filter_criteria(), Some(&expected));
    let got = lambda
        .get_event_source_mapping()
        .uuid(&uuid)
        .send()
        .await
        .unwrap();
    assert_eq!(got.filter_criteria(), Some(&expected));
    assert_eq!(
        serde_json::to_value(&got).unwrap()["FilterCriteria"],
        json!({ "Filters": [{ "Pattern": r#"{"body": ["a"]}"# }] })
    );
    assert_eq!(run(&lambda, &q, &calls, &["a", "b"]).await, sorted(&["a"]));

    let updated = lambda
        .update_event_source_mapping()
        .uuid(&uuid)
        .filter(r#"{"body": ["c"]}"#)
        .send()
        .await
        .unwrap();
    let expected = FilterCriteria::new([r#"{"body": ["c"]}"#]);
    assert_eq!(updated.filter_criteria(), Some(&expected));
    let listed = lambda.list_event_source_mappings().send().await.unwrap();
    assert_eq!(
        listed.event_source_mappings()[0].filter_criteria(),
        Some(&expected)
    );
    assert_eq!(
        run(&lambda, &q, &calls, &["a", "c"]).await,
        sorted(&["a", "c"])
    );

    // An update without FilterCriteria keeps them; `{}` removes them.
    let kept = lambda
        .update_event_source_mapping()
        .uuid(&uuid)
        .batch_size(5)
        .send()
        .await
        .unwrap();
    assert_eq!(kept.filter_criteria(), Some(&expected));
    let removed = lambda
        .update_event_source_mapping()
        .uuid(&uuid)
        .filter_criteria(FilterCriteria::default())
        .send()
        .await
        .unwrap();
    assert_eq!(removed.filter_criteria(), None);
    assert!(
        serde_json::to_value(&removed)
            .unwrap()
            .get("FilterCriteria")
            .is_none()
    );
    assert_eq!(
        run(&lambda, &q, &calls, &["x"]).await,
        sorted(&["a", "c", "x"])
    );
    assert_drained(&q, &dlq).await;
}

#[tokio::test(start_paused = true)]
async fn bad_filter_criteria_are_rejected_and_change_nothing() {
    let (sqs, lambda) = setup();
    let (q, _dlq, _calls) = fixture(&lambda, &sqs).await;
    let create = || {
        lambda
            .create_event_source_mapping()
            .event_source_arn(q.arn())
            .function_name("f")
    };
    let long = format!(r#"{{"body": ["{}"]}}"#, "x".repeat(4096));
    let cases: Vec<(_, &str, String)> = vec![
        (
            create().filter(r#"{"body": "not a list"}"#),
            codes::INVALID_PARAMETER_VALUE,
            "Invalid filter pattern definition.".into(),
        ),
        (
            create().filter("not json"),
            codes::INVALID_PARAMETER_VALUE,
            "Invalid filter pattern definition.".into(),
        ),
        (
            create().filter(r#"{"body": [{"numeric": ["<", "ten"]}]}"#),
            codes::INVALID_PARAMETER_VALUE,
            "Invalid filter pattern definition.".into(),
        ),
        (
            create().filter_criteria({
                let mut no_pattern = FilterCriteria::default();
                no_pattern.filters = Some(vec![Filter::default()]);
                no_pattern
            }),
            codes::INVALID_PARAMETER_VALUE,
            "Invalid filter pattern definition.".into(),
        ),
        (
            create().filter_criteria(FilterCriteria::new((0..6).map(|i| format!(r#"{{"body": ["{i}"]}}"#)))),
            codes::INVALID_PARAMETER_VALUE,
            "The number of filters in FilterCriteria (6) exceeds the limit of 5 filters per event source mapping.".into(),
        ),
        (
            create().filter(r#"{"body": ["a"]}"#).filter(long.clone()),
            codes::VALIDATION,
            format!(
                "1 validation error detected: Value '{long}' at 'filterCriteria.filters.2.member.pattern' failed to satisfy constraint: Member must have length less than or equal to 4096"
            ),
        ),
    ];
    for (builder, code, message) in cases {
        let err = builder.send().await.unwrap_err();
        assert_eq!((err.code(), err.message()), (code, message.as_str()));
    }
    assert!(
        lambda
            .list_event_source_mappings()
            .send()
            .await
            .unwrap()
            .event_source_mappings()
            .is_empty(),
        "nothing registered"
    );

    let uuid = create()
        .filter(r#"{"body": ["a"]}"#)
        .send()
        .await
        .unwrap()
        .uuid()
        .to_owned();
    let err = lambda
        .update_event_source_mapping()
        .uuid(&uuid)
        .batch_size(3)
        .filter("[]")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.message(), "Invalid filter pattern definition.");
    let after = lambda
        .get_event_source_mapping()
        .uuid(&uuid)
        .send()
        .await
        .unwrap();
    assert_eq!(after.batch_size(), 10, "a rejected update changes nothing");
    assert_eq!(
        after.filter_criteria(),
        Some(&FilterCriteria::new([r#"{"body": ["a"]}"#]))
    );
}

#[tokio::test(start_paused = true)]
async fn the_filter_quota_is_a_limit() {
    let sqs = Sqs::builder().rand(Rand::seeded(7)).build();
    let lambda = Lambda::builder()
        .rand(Rand::seeded(42))
        .sqs(sqs.clone())
        .limits(Limits::default().with_event_source_mapping_filters(10))
        .build();
    let (q, _dlq, _calls) = fixture(&lambda, &sqs).await;
    let ten = FilterCriteria::new((0..10).map(|i| format!(r#"{{"body": ["{i}"]}}"#)));
    let m = lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .filter_criteria(ten)
        .send()
        .await
        .unwrap();
    assert_eq!(m.filter_criteria().unwrap().filters().len(), 10);
}
