//! Event source mappings: FIFO order per message group and ScalingConfig MaximumConcurrency.
#![cfg(feature = "queue")]

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::esm::*;

#[tokio::test(start_paused = true)]
async fn fifo_groups_are_processed_in_order_one_batch_per_group_at_a_time() {
    let (sqs, lambda) = setup();
    let clock = lambda.clock().clone();
    let q = queue(
        &sqs,
        "orders.fifo",
        &[
            ("FifoQueue", "true".into()),
            ("ContentBasedDeduplication", "true".into()),
        ],
    )
    .await;
    for i in 0..6 {
        for g in ["a", "b"] {
            q.send_message()
                .message_body(format!("{g}{i}"))
                .message_group_id(g)
                .send()
                .await
                .unwrap();
        }
    }
    let calls = Calls::default();
    // Slow handler (3 s); "a2" fails the first time it is seen, with itself and every later
    // message of its group reported, as Lambda asks FIFO handlers to do.
    let failed_once = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let f = failed_once.clone();
    let code = recorder(
        clock.clone(),
        calls.clone(),
        Duration::from_secs(3),
        move |e: &Value| {
            let records = e["Records"].as_array().cloned().unwrap_or_default();
            let mut failing = false;
            let mut ids = Vec::new();
            for r in &records {
                if r["body"] == "a2" && !f.swap(true, std::sync::atomic::Ordering::SeqCst) {
                    failing = true;
                }
                if failing && r["attributes"]["MessageGroupId"] == "a" {
                    ids.push(json!({ "itemIdentifier": r["messageId"] }));
                }
            }
            Ok(json!({ "batchItemFailures": ids }))
        },
    );
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .timeout(60)
        .send()
        .await
        .unwrap();
    lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .batch_size(2)
        .report_batch_item_failures()
        .maximum_concurrency(10)
        .send()
        .await
        .unwrap();
    clock.sleep(Duration::from_secs(120)).await;
    let calls = calls.lock().unwrap().clone();
    assert!(failed_once.load(std::sync::atomic::Ordering::SeqCst));
    for g in ['a', 'b'] {
        // Each group's successful deliveries, in invocation order, are 0..6 in order.
        let mut seen: Vec<String> = Vec::new();
        let mut spans = Vec::new();
        for c in &calls {
            let mine: Vec<&String> = c.bodies.iter().filter(|b| b.starts_with(g)).collect();
            if mine.is_empty() {
                continue;
            }
            spans.push((c.at, c.ended));
            for b in mine {
                seen.push(b.clone());
            }
        }
        let mut expected: Vec<String> = (0..6).map(|i| format!("{g}{i}")).collect();
        if g == 'a' {
            // a2 (and the rest of its batch) are redelivered after the failure, in order.
            expected = ["a0", "a1", "a2", "a3", "a2", "a3", "a4", "a5"]
                .map(String::from)
                .to_vec();
        }
        assert_eq!(seen, expected, "group {g}");
        for w in spans.windows(2) {
            assert!(
                w[1].0 >= w[0].1,
                "two batches of group {g} overlapped: {spans:?}"
            );
        }
    }
    assert_eq!(q.metrics().approximate_number_of_messages_visible, 0);
}

async fn max_in_flight(max_concurrency: Option<i64>) -> u64 {
    let (sqs, lambda) = setup();
    let clock = lambda.clock().clone();
    let q = queue(&sqs, "jobs", &[("VisibilityTimeout", "120".into())]).await;
    send_all(&q, (0..10).map(|i| format!("m{i}"))).await;
    let calls = Calls::default();
    let code = recorder(
        clock.clone(),
        calls.clone(),
        Duration::from_secs(10),
        |_| Ok(Value::Null),
    );
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .timeout(60)
        .send()
        .await
        .unwrap();
    let mut create = lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .batch_size(1);
    if let Some(n) = max_concurrency {
        create = create.maximum_concurrency(n);
    }
    create.send().await.unwrap();
    clock.sleep(Duration::from_secs(100)).await;
    assert_eq!(
        calls.lock().unwrap().len(),
        10,
        "every message processed once"
    );
    lambda.metrics("f").unwrap().max_concurrent_executions
}

#[tokio::test(start_paused = true)]
async fn maximum_concurrency_caps_concurrent_batches() {
    assert_eq!(max_in_flight(Some(2)).await, 2);
    assert_eq!(max_in_flight(Some(3)).await, 3);
    assert_eq!(
        max_in_flight(None).await,
        10,
        "without ScalingConfig, the scale-up ramp (5 batches at once, then 5 more a second) \
         has all ten 10-second batches running together"
    );
}
