//! SNS and Lambda together (features `pubsub` and `queue`): a topic triggers a function through
//! a `lambda` subscription, and the function's invocation records go to topics of the same SNS
//! (its `OnSuccess` and `OnFailure` destinations), read here from queues subscribed to them.
//!
//! Run with `cargo run -p aws-lite-fn --example sns_topics --features pubsub,queue`.

#[cfg(all(feature = "pubsub", feature = "queue"))]
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() -> Result<(), aws_lite_core::Error> {
    use std::time::Duration;

    use aws_lite_fn::event_invoke::DestinationConfig;
    use aws_lite_fn::{Code, Diagnostic, Event, Lambda, service_fn};
    use aws_lite_pubsub::Sns;
    use aws_lite_queue::Sqs;
    use serde_json::{Value, json};

    let sqs = Sqs::new();
    let for_sns = sqs.clone();
    // One SNS both invokes the Lambda's functions and receives their topic destinations.
    let lambda = Lambda::builder()
        .build_with_sns(move |functions| Sns::builder().sqs(for_sns).functions(functions).build());
    let sns = lambda.sns().expect("built with an SNS").clone();

    // The function reads the SNS event; an order without items fails.
    let code = Code::from_service(service_fn(|e: Event<Value>| async move {
        let message = e.payload["Records"][0]["Sns"]["Message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let order: Value = serde_json::from_str(&message).unwrap_or(Value::Null);
        match order["items"].as_u64() {
            Some(n) if n > 0 => Ok(json!({ "accepted": order["id"], "items": n })),
            _ => Err(Diagnostic::new(
                "EmptyOrder",
                format!("order {} has no items", order["id"]),
            )),
        }
    }));
    let f = lambda
        .create_function()
        .function_name("place-order")
        .code(code)
        .send()
        .await?;

    let orders = sns.create_topic().name("orders").send().await?.topic();
    let accepted = sns
        .create_topic()
        .name("orders-accepted")
        .send()
        .await?
        .topic();
    let rejected = sns
        .create_topic()
        .name("orders-rejected")
        .send()
        .await?
        .topic();
    lambda
        .put_function_event_invoke_config()
        .function_name("place-order")
        .maximum_retry_attempts(0)
        .destination_config(
            DestinationConfig::new()
                .on_success(accepted.arn())
                .on_failure(rejected.arn()),
        )
        .send()
        .await?;
    orders
        .subscribe()
        .protocol("lambda")
        .endpoint(f.function_arn())
        .send()
        .await?;

    // Queues that read the record topics (raw delivery: the record is the message body).
    let mut inboxes = Vec::new();
    for topic in [&accepted, &rejected] {
        let q = sqs
            .create_queue()
            .queue_name(format!("{}-inbox", topic.name()))
            .send()
            .await?
            .queue();
        topic
            .subscribe()
            .protocol("sqs")
            .endpoint(q.arn())
            .attributes("RawMessageDelivery", "true")
            .send()
            .await?;
        inboxes.push(q);
    }

    orders
        .publish()
        .message(r#"{"id": 1, "items": 3}"#)
        .send()
        .await?;
    orders
        .publish()
        .message(r#"{"id": 2, "items": 0}"#)
        .send()
        .await?;
    lambda.clock().sleep(Duration::from_secs(1)).await;

    for (topic, inbox) in [&accepted, &rejected].into_iter().zip(&inboxes) {
        let got = inbox.receive_message().send().await?;
        for m in got.messages() {
            let record: Value = serde_json::from_str(m.body()).unwrap_or(Value::Null);
            println!(
                "{}: condition {}, response {}",
                topic.name(),
                record["requestContext"]["condition"],
                record["responsePayload"]
            );
        }
    }
    let metrics = lambda.metrics("place-order")?;
    println!(
        "invocations {}, errors {}, records not delivered {}",
        metrics.invocations, metrics.errors, metrics.destination_delivery_failures
    );
    Ok(())
}

#[cfg(not(all(feature = "pubsub", feature = "queue")))]
fn main() {
    eprintln!("this example needs `--features pubsub,queue`");
}
