//! Topic destinations and SNS dead-letter targets of asynchronous invocation (feature
//! `pubsub`): the record (or the failed event) is published to an aws-lite-pubsub topic.
#![cfg(all(feature = "pubsub", feature = "queue"))]

mod support;

use std::time::Duration;

use aws_lite_core::Rand;
use aws_lite_fn::event_invoke::{DeadLetterConfig, DestinationConfig};
use aws_lite_fn::operation::invoke::InvocationType;
use aws_lite_fn::{Code, Diagnostic, Event, Lambda, service_fn};
use aws_lite_pubsub::{Sns, Topic};
use aws_lite_queue::{Queue, Sqs};
use serde_json::{Value, json};

const ARN: &str = "arn:aws:lambda:us-east-1:000000000000:function";

struct World {
    sqs: Sqs,
    sns: Sns,
    lambda: Lambda,
}

fn world() -> World {
    let sqs = Sqs::builder().rand(Rand::seeded(1)).build();
    let sns = Sns::builder()
        .sqs(sqs.clone())
        .rand(Rand::seeded(2))
        .build();
    let lambda = Lambda::builder()
        .rand(Rand::seeded(42))
        .sns(sns.clone())
        .build();
    World { sqs, sns, lambda }
}

/// A handler echoing its event, or failing with `OrderError` when the event says `fail`.
fn handler() -> Code {
    Code::from_service(service_fn(|e: Event<Value>| async move {
        if e.payload.get("fail").is_some() {
            Err(Diagnostic::new("OrderError", "no stock"))
        } else {
            Ok(json!({"done": e.payload}))
        }
    }))
}

impl World {
    async fn topic(&self, name: &str) -> Topic {
        let mut create = self.sns.create_topic().name(name);
        if name.ends_with(".fifo") {
            create = create.attributes("FifoTopic", "true");
        }
        create.send().await.unwrap().topic()
    }

    /// A queue subscribed to `topic` with raw delivery: it receives exactly the published
    /// message and its attributes.
    async fn raw_queue(&self, topic: &Topic, name: &str) -> Queue {
        let q = self
            .sqs
            .create_queue()
            .queue_name(name)
            .send()
            .await
            .unwrap()
            .queue();
        topic
            .subscribe()
            .protocol("sqs")
            .endpoint(q.arn())
            .attributes("RawMessageDelivery", "true")
            .send()
            .await
            .unwrap();
        q
    }

    async fn function(&self, name: &str) {
        self.lambda
            .create_function()
            .function_name(name)
            .code(handler())
            .send()
            .await
            .unwrap();
    }

    async fn destinations(&self, name: &str, d: DestinationConfig, retries: i32) {
        self.lambda
            .put_function_event_invoke_config()
            .function_name(name)
            .maximum_retry_attempts(retries)
            .destination_config(d)
            .send()
            .await
            .unwrap();
    }

    async fn invoke_event(&self, name: &str, payload: Value) {
        let out = self
            .lambda
            .invoke()
            .function_name(name)
            .invocation_type(InvocationType::Event)
            .payload(payload)
            .send()
            .await
            .unwrap();
        assert_eq!(out.status_code(), 202);
    }

    async fn wait(&self, secs: u64) {
        self.lambda.clock().sleep(Duration::from_secs(secs)).await;
    }
}

/// Every message in `q` (bodies as JSON, with their attributes).
async fn drain(q: &Queue) -> Vec<(Value, Vec<(String, String, String)>)> {
    let got = q
        .receive_message()
        .max_number_of_messages(10)
        .message_attribute_names("All")
        .send()
        .await
        .unwrap();
    got.messages()
        .iter()
        .map(|m| {
            let attrs = m
                .message_attributes()
                .map(|a| {
                    a.iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                v.data_type.clone(),
                                v.string_value.clone().unwrap_or_default(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            (serde_json::from_str(m.body()).unwrap(), attrs)
        })
        .collect()
}

/// Checks the timestamp's shape and takes it out of the record.
fn without_timestamp(mut record: Value) -> Value {
    let ts = record.as_object_mut().unwrap().remove("timestamp").unwrap();
    let ts = ts.as_str().unwrap();
    assert!(
        ts.len() == 24 && ts.ends_with('Z') && &ts[10..11] == "T",
        "{ts}"
    );
    record
}

#[tokio::test(start_paused = true)]
async fn a_success_record_is_published_to_the_topic() {
    let w = world();
    let topic = w.topic("successes").await;
    let q = w.raw_queue(&topic, "inbox").await;
    w.function("f").await;
    w.destinations("f", DestinationConfig::new().on_success(topic.arn()), 2)
        .await;
    w.invoke_event("f", json!({"order": 7})).await;
    w.wait(1).await;
    let got = drain(&q).await;
    assert_eq!(got.len(), 1);
    let (record, attrs) = &got[0];
    assert!(
        attrs.is_empty(),
        "the record is published without attributes"
    );
    let request_id = record["requestContext"]["requestId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(request_id.len(), 36);
    assert_eq!(
        without_timestamp(record.clone()),
        json!({
            "version": "1.0",
            "requestContext": {
                "requestId": request_id,
                "functionArn": format!("{ARN}:f:$LATEST"),
                "condition": "Success",
                "approximateInvokeCount": 1
            },
            "requestPayload": {"order": 7},
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
            "responsePayload": {"done": {"order": 7}}
        })
    );
    let m = topic.metrics();
    assert_eq!(
        (
            m.number_of_messages_published,
            m.number_of_notifications_delivered
        ),
        (1, 1)
    );
    assert_eq!(
        w.lambda.metrics("f").unwrap().destination_delivery_failures,
        0
    );
}

#[tokio::test(start_paused = true)]
async fn a_failure_record_goes_to_the_on_failure_topic_only() {
    let w = world();
    let ok = w.topic("ok").await;
    let failed = w.topic("failed").await;
    let ok_q = w.raw_queue(&ok, "ok-q").await;
    let failed_q = w.raw_queue(&failed, "failed-q").await;
    w.function("f").await;
    w.destinations(
        "f",
        DestinationConfig::new()
            .on_success(ok.arn())
            .on_failure(failed.arn()),
        1,
    )
    .await;
    w.invoke_event("f", json!({"fail": true})).await;
    w.wait(59).await;
    assert!(drain(&failed_q).await.is_empty(), "the retry is pending");
    w.wait(2).await;
    let got = drain(&failed_q).await;
    assert_eq!(got.len(), 1);
    let record = without_timestamp(got[0].0.clone());
    assert_eq!(
        record["requestContext"]["condition"],
        json!("RetriesExhausted")
    );
    assert_eq!(record["requestContext"]["approximateInvokeCount"], json!(2));
    assert_eq!(
        record["responseContext"],
        json!({"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"})
    );
    assert_eq!(
        record["responsePayload"],
        json!({"errorMessage": "no stock", "errorType": "OrderError"})
    );
    assert!(drain(&ok_q).await.is_empty());
}

#[tokio::test(start_paused = true)]
async fn undeliverable_topic_records_count_as_destination_delivery_failures() {
    let w = world();
    let fifo = w.topic("records.fifo").await;
    w.function("fifo").await;
    w.function("missing").await;
    w.function("big").await;
    w.destinations("fifo", DestinationConfig::new().on_success(fifo.arn()), 2)
        .await;
    w.destinations(
        "missing",
        DestinationConfig::new().on_success("arn:aws:sns:us-east-1:000000000000:nope"),
        2,
    )
    .await;
    let small = w.topic("small").await;
    w.destinations("big", DestinationConfig::new().on_success(small.arn()), 2)
        .await;
    w.invoke_event("fifo", json!({})).await;
    w.invoke_event("missing", json!({})).await;
    // The record holds the event twice (request and response): over SNS's 256 KB.
    w.invoke_event("big", json!({"blob": "x".repeat(200 * 1024)}))
        .await;
    w.wait(1).await;
    for name in ["fifo", "missing", "big"] {
        let m = w.lambda.metrics(name).unwrap();
        assert_eq!(
            (m.invocations, m.destination_delivery_failures),
            (1, 1),
            "{name}"
        );
    }
    assert_eq!(fifo.metrics().number_of_messages_published, 0);
    assert_eq!(small.metrics().number_of_messages_published, 0);

    // A Lambda without an SNS cannot deliver to topics either.
    let alone = support::lambda();
    alone
        .create_function()
        .function_name("f")
        .code(handler())
        .send()
        .await
        .unwrap();
    alone
        .put_function_event_invoke_config()
        .function_name("f")
        .destination_config(DestinationConfig::new().on_success(small.arn()))
        .send()
        .await
        .unwrap();
    alone
        .invoke()
        .function_name("f")
        .invocation_type(InvocationType::Event)
        .send()
        .await
        .unwrap();
    alone.clock().sleep(Duration::from_secs(1)).await;
    assert_eq!(alone.metrics("f").unwrap().destination_delivery_failures, 1);
    assert_eq!(small.metrics().number_of_messages_published, 0);
}

#[tokio::test(start_paused = true)]
async fn a_dead_letter_topic_gets_the_event_with_its_attributes() {
    let w = world();
    let dead = w.topic("dead").await;
    let q = w.raw_queue(&dead, "dead-q").await;
    let out = w
        .lambda
        .create_function()
        .function_name("f")
        .code(handler())
        .dead_letter_config(DeadLetterConfig::new(dead.arn()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.dead_letter_config().unwrap().target_arn.as_deref(),
        Some(dead.arn())
    );
    w.lambda
        .put_function_event_invoke_config()
        .function_name("f")
        .maximum_retry_attempts(0)
        .send()
        .await
        .unwrap();
    w.invoke_event("f", json!({"fail": 9})).await;
    w.wait(1).await;
    let got = drain(&q).await;
    assert_eq!(got.len(), 1);
    let (event, mut attrs) = got[0].clone();
    assert_eq!(event, json!({"fail": 9}));
    attrs.sort();
    let request_id = attrs
        .iter()
        .find(|a| a.0 == "RequestID")
        .map(|a| a.2.clone())
        .unwrap();
    assert_eq!(request_id.len(), 36);
    assert_eq!(
        attrs,
        [
            ("ErrorCode".into(), "Number".into(), "200".into()),
            ("ErrorMessage".into(), "String".into(), "no stock".into()),
            ("RequestID".into(), "String".into(), request_id),
        ]
    );
    let m = w.lambda.metrics("f").unwrap();
    assert_eq!((m.async_events_dropped, m.dead_letter_errors), (1, 0));

    // A missing dead-letter topic counts as a dead-letter error.
    w.lambda
        .update_function_configuration()
        .function_name("f")
        .dead_letter_config(DeadLetterConfig::new(
            "arn:aws:sns:us-east-1:000000000000:gone",
        ))
        .send()
        .await
        .unwrap();
    w.invoke_event("f", json!({"fail": 10})).await;
    w.wait(1).await;
    assert_eq!(w.lambda.metrics("f").unwrap().dead_letter_errors, 1);
}

#[tokio::test(start_paused = true)]
async fn a_topic_triggers_a_function_whose_records_go_to_another_topic() {
    let sqs = Sqs::builder().rand(Rand::seeded(1)).build();
    let sqs2 = sqs.clone();
    let lambda = Lambda::builder()
        .rand(Rand::seeded(42))
        .build_with_sns(move |functions| {
            Sns::builder()
                .sqs(sqs2)
                .rand(Rand::seeded(2))
                .functions(functions)
                .build()
        });
    let w = World {
        sns: lambda.sns().unwrap().clone(),
        sqs,
        lambda,
    };
    let orders = w.topic("orders").await;
    let records = w.topic("records").await;
    let q = w.raw_queue(&records, "records-q").await;
    w.function("on-order").await;
    orders
        .subscribe()
        .protocol("lambda")
        .endpoint(format!("{ARN}:on-order"))
        .send()
        .await
        .unwrap();
    w.destinations(
        "on-order",
        DestinationConfig::new().on_success(records.arn()),
        2,
    )
    .await;
    orders.publish().message("order 1").send().await.unwrap();
    w.wait(1).await;
    let got = drain(&q).await;
    assert_eq!(got.len(), 1);
    let record = &got[0].0;
    assert_eq!(record["requestContext"]["condition"], json!("Success"));
    let sns_event = &record["requestPayload"]["Records"][0];
    assert_eq!(sns_event["EventSource"], json!("aws:sns"));
    assert_eq!(sns_event["Sns"]["Message"], json!("order 1"));
    assert_eq!(sns_event["Sns"]["TopicArn"], json!(orders.arn()));
    assert_eq!(
        record["responsePayload"]["done"]["Records"][0]["Sns"]["Message"],
        json!("order 1")
    );
    assert_eq!(orders.metrics().number_of_notifications_delivered, 1);
}
