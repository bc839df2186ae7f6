//! An event source mapping from a queue (feature `queue`): a poller reads batches of up to 10
//! messages and invokes the function with Lambda's SQS event. With `ReportBatchItemFailures`
//! the function names the messages it could not process: the rest are deleted, the failed ones
//! come back after the visibility timeout and, after `maxReceiveCount` receives, the queue's
//! redrive policy moves them to its dead-letter queue.
//!
//! Run with `cargo run -p aws-lite-fn --features queue --example queue_source`.

use std::convert::Infallible;
use std::time::Duration;

use aws_lite_core::SharedClock;
use aws_lite_fn::{Code, Event, Lambda, service_fn};
use aws_lite_queue::Sqs;
use serde_json::{Value, json};

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() -> Result<(), aws_lite_core::Error> {
    let clock = SharedClock::tokio();
    let sqs = Sqs::builder().clock(clock.clone()).build();
    let lambda = Lambda::builder()
        .clock(clock.clone())
        .sqs(sqs.clone())
        .build();

    let dlq = sqs
        .create_queue()
        .queue_name("orders-dlq")
        .send()
        .await?
        .queue();
    let redrive = json!({ "deadLetterTargetArn": dlq.arn(), "maxReceiveCount": 2 }).to_string();
    let orders = sqs
        .create_queue()
        .queue_name("orders")
        .attributes("VisibilityTimeout", "30")
        .attributes("RedrivePolicy", redrive)
        .send()
        .await?
        .queue();

    // Each record's body should be an order; the ids of those that are not are reported back.
    let code = Code::from_service(service_fn(|e: Event<Value>| async move {
        let records = e.payload["Records"].as_array().cloned().unwrap_or_default();
        let mut failures = Vec::new();
        for record in &records {
            let body = record["body"].as_str().unwrap_or_default();
            match serde_json::from_str::<Value>(body) {
                Ok(order) if order["qty"].is_u64() => println!("  processed order {}", order["id"]),
                _ => failures.push(json!({ "itemIdentifier": record["messageId"] })),
            }
        }
        println!("  batch of {}: {} failed", records.len(), failures.len());
        Ok::<_, Infallible>(json!({ "batchItemFailures": failures }))
    }));
    lambda
        .create_function()
        .function_name("process-orders")
        .code(code)
        .send()
        .await?;
    let mapping = lambda
        .create_event_source_mapping()
        .event_source_arn(orders.arn())
        .function_name("process-orders")
        .batch_size(10)
        .report_batch_item_failures()
        .send()
        .await?;
    println!("mapping {} ({})", mapping.uuid(), mapping.state());

    for body in [
        r#"{"id":1,"qty":2}"#,
        r#"{"id":2,"qty":1}"#,
        "not an order",
        r#"{"id":3,"qty":5}"#,
    ] {
        orders.send_message().message_body(body).send().await?;
    }

    // Two minutes on the clock: the first batch, then the failed message twice more.
    clock.sleep(Duration::from_secs(120)).await;
    let m = orders.metrics();
    println!(
        "orders: {} visible, {} in flight",
        m.approximate_number_of_messages_visible, m.approximate_number_of_messages_not_visible
    );
    let dead = dlq.receive_message().send().await?;
    for message in dead.messages() {
        println!("dead-letter queue: {:?}", message.body());
    }
    assert_eq!(dead.messages().len(), 1);
    println!(
        "invocations: {}",
        lambda.metrics("process-orders")?.invocations
    );
    Ok(())
}
