//! Event source mappings: the SQS event's shape, BatchSize and the batching window on the clock.
#![cfg(feature = "queue")]

mod support;

use std::time::Duration;

use aws_lite_core::Clock;

use aws_lite_queue::types::MessageAttributeValue;
use serde_json::{Value, json};
use support::esm::*;

#[tokio::test(start_paused = true)]
async fn the_event_has_lambdas_sqs_record_fields_and_success_deletes() {
    let (sqs, lambda) = setup();
    let clock = lambda.clock().clone();
    let q = queue(&sqs, "orders", &[]).await;
    let calls = Calls::default();
    create_recording_function(&lambda, &calls, Duration::ZERO).await;
    lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .send()
        .await
        .unwrap();
    q.send_message()
        .message_body("hello")
        .message_attributes("colour", MessageAttributeValue::string("red"))
        .send()
        .await
        .unwrap();
    clock.sleep(Duration::from_secs(1)).await;

    let calls = calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 1);
    let record = &calls[0].event["Records"][0];
    let keys: Vec<&str> = record
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "messageId",
        "receiptHandle",
        "body",
        "attributes",
        "messageAttributes",
        "md5OfBody",
        "eventSource",
        "eventSourceARN",
        "awsRegion",
    ];
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(record["body"], "hello");
    assert_eq!(record["md5OfBody"], "5d41402abc4b2a76b9719d911017c592");
    assert_eq!(record["eventSource"], "aws:sqs");
    assert_eq!(record["eventSourceARN"], q.arn());
    assert_eq!(record["awsRegion"], "us-east-1");
    assert_eq!(record["attributes"]["ApproximateReceiveCount"], "1");
    assert!(record["attributes"]["SentTimestamp"].is_string());
    assert_eq!(
        record["messageAttributes"]["colour"],
        json!({"stringValue": "red", "stringListValues": [], "binaryListValues": [], "dataType": "String"})
    );
    let m = q.metrics();
    assert_eq!(m.approximate_number_of_messages_visible, 0);
    assert_eq!(
        m.approximate_number_of_messages_not_visible, 0,
        "success deletes the batch"
    );
}

#[tokio::test(start_paused = true)]
async fn without_a_window_one_receive_is_one_batch_of_at_most_batch_size() {
    let (sqs, lambda) = setup();
    let clock = lambda.clock().clone();
    let q = queue(&sqs, "jobs", &[]).await;
    send_all(&q, (0..25).map(|i| format!("m{i}"))).await;
    let calls = Calls::default();
    create_recording_function(&lambda, &calls, Duration::ZERO).await;
    lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .batch_size(4)
        .send()
        .await
        .unwrap();
    clock.sleep(Duration::from_secs(5)).await;
    let sizes: Vec<usize> = calls
        .lock()
        .unwrap()
        .iter()
        .map(|c| c.bodies.len())
        .collect();
    assert_eq!(sizes.iter().sum::<usize>(), 25);
    assert!(sizes.iter().all(|&n| n <= 4), "{sizes:?}");
    assert_eq!(sizes.iter().filter(|&&n| n == 4).count(), 6, "{sizes:?}");
    assert_eq!(q.metrics().approximate_number_of_messages_visible, 0);
}

#[tokio::test(start_paused = true)]
async fn a_batching_window_gathers_messages_until_it_ends() {
    let (sqs, lambda) = setup();
    let clock = lambda.clock().clone();
    let q = queue(&sqs, "jobs", &[]).await;
    let calls = Calls::default();
    create_recording_function(&lambda, &calls, Duration::ZERO).await;
    lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .batch_size(100)
        .maximum_batching_window_in_seconds(5)
        .send()
        .await
        .unwrap();
    clock.sleep(Duration::from_secs(30)).await;
    let start = clock.now();
    // 25 messages arrive over 2 seconds: one batch, invoked when the window ends.
    for i in 0..25 {
        q.send_message()
            .message_body(format!("m{i}"))
            .send()
            .await
            .unwrap();
        if i % 10 == 9 {
            clock.sleep(Duration::from_secs(1)).await;
        }
    }
    clock.sleep(Duration::from_secs(2)).await;
    assert!(
        calls.lock().unwrap().is_empty(),
        "invoked before the window ended"
    );
    clock.sleep(Duration::from_secs(3)).await;
    let calls = calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].bodies.len(), 25);
    let waited = calls[0].at - start;
    assert!(
        waited >= Duration::from_secs(5) && waited <= Duration::from_secs(6),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_full_batch_does_not_wait_for_the_window() {
    let (sqs, lambda) = setup();
    let clock = lambda.clock().clone();
    let q = queue(&sqs, "jobs", &[]).await;
    send_all(&q, (0..50).map(|i| format!("m{i}"))).await;
    let calls = Calls::default();
    create_recording_function(&lambda, &calls, Duration::ZERO).await;
    let start = clock.now();
    lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .batch_size(20)
        .maximum_batching_window_in_seconds(20)
        .send()
        .await
        .unwrap();
    clock.sleep(Duration::from_secs(1)).await;
    let calls_now = calls.lock().unwrap().clone();
    assert_eq!(calls_now.len(), 2, "two full batches at once");
    assert!(
        calls_now
            .iter()
            .all(|c| c.bodies.len() == 20 && c.at == start)
    );
    clock.sleep(Duration::from_secs(19)).await;
    assert_eq!(
        calls.lock().unwrap().len(),
        2,
        "the last batch waits for the window"
    );
    clock.sleep(Duration::from_secs(2)).await;
    let sizes: Vec<usize> = calls
        .lock()
        .unwrap()
        .iter()
        .map(|c| c.bodies.len())
        .collect();
    assert_eq!(sizes, [20, 20, 10], "the rest after the window");
}

/// The length of a batch's event as the handler received it, as compact JSON.
fn event_len(event: &Value) -> usize {
    serde_json::to_vec(event).unwrap().len()
}

#[tokio::test(start_paused = true)]
async fn a_batch_stops_at_the_6_mb_payload_limit_and_the_rest_follows() {
    let (sqs, lambda) = setup();
    let clock = lambda.clock().clone();
    let q = queue(&sqs, "big", &[]).await;
    // 20 messages of 1,000,000 bytes: about 20 MB, so at least 4 batches of 6 MB at most.
    let bodies: Vec<String> = (0..20)
        .map(|i| format!("{i:02}{}", "x".repeat(999_998)))
        .collect();
    send_all(&q, bodies.clone()).await;
    let calls = Calls::default();
    create_recording_function(&lambda, &calls, Duration::ZERO).await;
    lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .batch_size(100)
        .maximum_batching_window_in_seconds(1)
        .send()
        .await
        .unwrap();
    clock.sleep(Duration::from_secs(10)).await;

    let calls = calls.lock().unwrap().clone();
    let limit = 6 * 1024 * 1024;
    let sizes: Vec<usize> = calls.iter().map(|c| event_len(&c.event)).collect();
    assert!(sizes.iter().all(|&n| n <= limit), "{sizes:?}");
    // Each batch is as full as the limit allows: one more record would not have fitted.
    let counts: Vec<usize> = calls.iter().map(|c| c.bodies.len()).collect();
    assert!(counts.iter().all(|&n| n == 6 || n == 2), "{counts:?}");
    let mut seen: Vec<String> = calls.iter().flat_map(|c| c.bodies.clone()).collect();
    seen.sort();
    assert_eq!(seen, bodies, "every message exactly once");
    // Messages left out of a full batch were kept for the next one, not received again.
    for call in &calls {
        for record in call.event["Records"].as_array().unwrap() {
            assert_eq!(record["attributes"]["ApproximateReceiveCount"], "1");
        }
    }
    assert_eq!(q.metrics().approximate_number_of_messages_visible, 0);
    assert_eq!(q.metrics().approximate_number_of_messages_not_visible, 0);
}

#[tokio::test(start_paused = true)]
async fn a_fifo_batch_stops_at_the_6_mb_payload_limit_in_group_order() {
    let (sqs, lambda) = setup();
    let clock = lambda.clock().clone();
    let q = queue(
        &sqs,
        "big.fifo",
        &[
            ("FifoQueue", "true".into()),
            ("ContentBasedDeduplication", "true".into()),
        ],
    )
    .await;
    let bodies: Vec<String> = (0..10)
        .map(|i| format!("{i:02}{}", "x".repeat(999_998)))
        .collect();
    for b in &bodies {
        q.send_message()
            .message_body(b.clone())
            .message_group_id("g")
            .send()
            .await
            .unwrap();
    }
    let calls = Calls::default();
    create_recording_function(&lambda, &calls, Duration::from_secs(1)).await;
    lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .batch_size(10)
        .send()
        .await
        .unwrap();
    clock.sleep(Duration::from_secs(10)).await;

    let calls = calls.lock().unwrap().clone();
    let counts: Vec<usize> = calls.iter().map(|c| c.bodies.len()).collect();
    assert_eq!(
        counts,
        [6, 4],
        "two batches, the first as full as 6 MB allows"
    );
    assert!(calls.iter().all(|c| event_len(&c.event) <= 6 * 1024 * 1024));
    // The group's order holds across the split: the second batch runs after the first ended.
    let seen: Vec<String> = calls.iter().flat_map(|c| c.bodies.clone()).collect();
    assert_eq!(seen, bodies);
    assert!(calls[1].at >= calls[0].ended);
    assert_eq!(q.metrics().approximate_number_of_messages_visible, 0);
}
