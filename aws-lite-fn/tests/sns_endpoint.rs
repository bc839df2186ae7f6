//! Functions as SNS subscription endpoints (feature `pubsub`): `Lambda` implements
//! aws-lite-pubsub's `FunctionEndpoint`, so a `lambda` subscription invokes the function
//! asynchronously with the Lambda SNS event.
#![cfg(all(feature = "pubsub", feature = "queue"))]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_lite_core::{Clock, Instant, Rand};
use aws_lite_fn::{Code, Context, Diagnostic, Event, Lambda, service_fn};
use aws_lite_pubsub::{DeliveryError, FunctionEndpoint, MessageAttributeValue, Sns, Topic};
use aws_lite_queue::Sqs;
use serde_json::{Value, json};

const ARN: &str = "arn:aws:lambda:us-east-1:000000000000:function";

/// What a handler saw: when, the event and the context.
type Seen = Arc<Mutex<Vec<(Instant, Value, Context)>>>;

fn recording(lambda: &Lambda, seen: Seen, fail: bool) -> Code {
    let clock = lambda.clock().clone();
    Code::from_service(service_fn(move |e: Event<Value>| {
        let clock = clock.clone();
        let seen = seen.clone();
        async move {
            seen.lock()
                .unwrap()
                .push((clock.now(), e.payload.clone(), e.context.clone()));
            if fail {
                Err(Diagnostic::new("OrderError", "no stock"))
            } else {
                Ok(Value::Null)
            }
        }
    }))
}

struct World {
    sqs: Sqs,
    sns: Sns,
    lambda: Lambda,
}

fn world() -> World {
    let sqs = Sqs::builder().rand(Rand::seeded(1)).build();
    let lambda = Lambda::builder().rand(Rand::seeded(42)).build();
    let sns = Sns::builder()
        .sqs(sqs.clone())
        .rand(Rand::seeded(2))
        .functions(Arc::new(lambda.clone()))
        .build();
    World { sqs, sns, lambda }
}

impl World {
    async fn function(&self, name: &str, seen: &Seen, fail: bool) {
        self.lambda
            .create_function()
            .function_name(name)
            .code(recording(&self.lambda, seen.clone(), fail))
            .send()
            .await
            .unwrap();
    }

    async fn topic(&self, name: &str) -> Topic {
        self.sns
            .create_topic()
            .name(name)
            .send()
            .await
            .unwrap()
            .topic()
    }

    async fn wait(&self, secs: u64) {
        self.lambda.clock().sleep(Duration::from_secs(secs)).await;
    }
}

fn take(seen: &Seen) -> Vec<(Instant, Value, Context)> {
    std::mem::take(&mut *seen.lock().unwrap())
}

#[tokio::test(start_paused = true)]
async fn a_lambda_subscription_invokes_the_function_with_the_sns_event() {
    let w = world();
    let seen: Seen = Arc::default();
    w.function("f", &seen, false).await;
    let topic = w.topic("orders").await;
    let sub = topic
        .subscribe()
        .protocol("lambda")
        .endpoint(format!("{ARN}:f"))
        .send()
        .await
        .unwrap();
    let sub_arn = sub.subscription_arn().to_owned();
    let published = topic
        .publish()
        .message("order 7 placed")
        .subject("new order")
        .message_attributes("kind", MessageAttributeValue::string("order"))
        .message_attributes("qty", MessageAttributeValue::number(3))
        .send()
        .await
        .unwrap();
    w.wait(1).await;
    let got = take(&seen);
    assert_eq!(got.len(), 1);
    let (_, event, context) = &got[0];
    let records = event["Records"].as_array().unwrap();
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r["EventSource"], json!("aws:sns"));
    assert_eq!(r["EventVersion"], json!("1.0"));
    assert_eq!(r["EventSubscriptionArn"], json!(sub_arn));
    let sns = &r["Sns"];
    assert_eq!(sns["Type"], json!("Notification"));
    assert_eq!(sns["MessageId"], json!(published.message_id()));
    assert_eq!(sns["TopicArn"], json!(topic.arn()));
    assert_eq!(sns["Subject"], json!("new order"));
    assert_eq!(sns["Message"], json!("order 7 placed"));
    let ts = sns["Timestamp"].as_str().unwrap();
    assert!(
        ts.len() == 24 && ts.ends_with('Z') && &ts[10..11] == "T",
        "{ts}"
    );
    assert_eq!(sns["SignatureVersion"], json!("1"));
    assert!(!sns["Signature"].as_str().unwrap().is_empty());
    assert!(
        sns["SigningCertUrl"]
            .as_str()
            .unwrap()
            .starts_with("https://sns.us-east-1.amazonaws.com/")
    );
    assert_eq!(
        sns["UnsubscribeUrl"],
        json!(format!(
            "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={sub_arn}"
        ))
    );
    assert_eq!(
        sns["MessageAttributes"],
        json!({
            "kind": {"Type": "String", "Value": "order"},
            "qty": {"Type": "Number", "Value": "3"}
        })
    );
    assert_eq!(&*context.invoked_function_arn, format!("{ARN}:f"));
    assert_eq!(context.function_version(), "$LATEST");
    let m = w.lambda.metrics("f").unwrap();
    assert_eq!((m.async_events_received, m.invocations), (1, 1));
    assert_eq!(topic.metrics().number_of_notifications_delivered, 1);

    // Without a subject or attributes: `Subject` is null and `MessageAttributes` empty.
    topic.publish().message("plain").send().await.unwrap();
    w.wait(1).await;
    let got = take(&seen);
    let sns = &got[0].1["Records"][0]["Sns"];
    assert_eq!(sns["Subject"], Value::Null);
    assert_eq!(sns["MessageAttributes"], json!({}));
}

#[tokio::test(start_paused = true)]
async fn a_qualified_endpoint_invokes_that_alias() {
    let w = world();
    let seen: Seen = Arc::default();
    w.function("f", &seen, false).await;
    w.lambda
        .publish_version()
        .function_name("f")
        .send()
        .await
        .unwrap();
    w.lambda
        .create_alias()
        .function_name("f")
        .name("live")
        .function_version("1")
        .send()
        .await
        .unwrap();
    let topic = w.topic("t").await;
    topic
        .subscribe()
        .protocol("lambda")
        .endpoint(format!("{ARN}:f:live"))
        .send()
        .await
        .unwrap();
    topic.publish().message("m").send().await.unwrap();
    w.wait(1).await;
    let got = take(&seen);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].2.function_version(), "1");
    assert_eq!(&*got[0].2.invoked_function_arn, format!("{ARN}:f:live"));
}

#[tokio::test(start_paused = true)]
async fn endpoints_that_do_not_exist_are_client_errors_sns_does_not_retry() {
    let w = world();
    let seen: Seen = Arc::default();
    w.function("f", &seen, false).await;
    let topic = w.topic("t").await;
    let dlq = w
        .sqs
        .create_queue()
        .queue_name("sub-dlq")
        .send()
        .await
        .unwrap()
        .queue();
    let redrive = format!(r#"{{"deadLetterTargetArn":"{}"}}"#, dlq.arn());
    for endpoint in [
        format!("{ARN}:ghost"),
        format!("{ARN}:f:nope"),
        // Same account, another region: not this Lambda's function.
        "arn:aws:lambda:eu-west-1:000000000000:function:f".to_owned(),
    ] {
        topic
            .subscribe()
            .protocol("lambda")
            .endpoint(endpoint)
            .attributes("RedrivePolicy", redrive.as_str())
            .send()
            .await
            .unwrap();
    }
    topic.publish().message("m").send().await.unwrap();
    // Well within SNS's first retry delays, had these been server errors.
    w.wait(5).await;
    let m = topic.metrics();
    assert_eq!(
        (
            m.number_of_notifications_delivered,
            m.number_of_notifications_failed,
            m.number_of_notifications_redriven_to_dlq
        ),
        (0, 3, 3)
    );
    let got = dlq
        .receive_message()
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages().len(), 3);
    assert!(take(&seen).is_empty());
    assert_eq!(w.lambda.metrics("f").unwrap().async_events_received, 0);
}

#[tokio::test(start_paused = true)]
async fn function_errors_are_retried_by_lambda_not_by_sns() {
    let w = world();
    let seen: Seen = Arc::default();
    w.function("f", &seen, true).await;
    let topic = w.topic("t").await;
    topic
        .subscribe()
        .protocol("lambda")
        .endpoint(format!("{ARN}:f"))
        .send()
        .await
        .unwrap();
    let start = w.lambda.clock().now();
    topic.publish().message("m").send().await.unwrap();
    w.wait(600).await;
    let at: Vec<Duration> = take(&seen).iter().map(|s| s.0 - start).collect();
    assert_eq!(
        at,
        [
            Duration::ZERO,
            Duration::from_secs(60),
            Duration::from_secs(180)
        ]
    );
    let m = topic.metrics();
    assert_eq!(
        (
            m.number_of_notifications_delivered,
            m.number_of_notifications_failed
        ),
        (1, 0)
    );
    let f = w.lambda.metrics("f").unwrap();
    assert_eq!((f.errors, f.async_events_dropped), (3, 1));
}

#[tokio::test(start_paused = true)]
async fn the_endpoint_checks_what_invoke_checks() {
    let lambda = Lambda::builder().rand(Rand::seeded(42)).build();
    let seen: Seen = Arc::default();
    lambda
        .create_function()
        .function_name("f")
        .code(recording(&lambda, seen.clone(), false))
        .send()
        .await
        .unwrap();
    let endpoint: &dyn FunctionEndpoint = &lambda;
    let client = |r: Result<(), DeliveryError>| match r {
        Err(DeliveryError::Client(reason)) => reason,
        other => panic!("expected a client error, got {other:?}"),
    };
    let reason = client(
        endpoint
            .invoke(&format!("{ARN}:f"), "{not json".into())
            .await,
    );
    assert!(reason.contains("not JSON"), "{reason}");
    let big = json!({"blob": "x".repeat(1024 * 1024)}).to_string();
    let reason = client(endpoint.invoke(&format!("{ARN}:f"), big).await);
    assert!(
        reason.contains("Request must be smaller than 1048576 bytes"),
        "{reason}"
    );
    let reason = client(endpoint.invoke("bad name!", "{}".into()).await);
    assert!(reason.starts_with("ValidationException"), "{reason}");
    let foreign = "arn:aws:lambda:us-east-1:111111111111:function:f";
    let reason = client(endpoint.invoke(foreign, "{}".into()).await);
    assert_eq!(
        reason,
        format!("ResourceNotFoundException: Function not found: {foreign}")
    );
    assert!(take(&seen).is_empty());

    endpoint
        .invoke(&format!("{ARN}:f"), r#"{"Records":[]}"#.into())
        .await
        .unwrap();
    endpoint.invoke("f", "{}".into()).await.unwrap();
    lambda.clock().sleep(Duration::from_secs(1)).await;
    let events: Vec<Value> = take(&seen).into_iter().map(|s| s.1).collect();
    assert_eq!(events, [json!({"Records": []}), json!({})]);
}

#[tokio::test(start_paused = true)]
async fn the_endpoint_of_build_with_sns_holds_the_lambda_weakly() {
    let lambda = Lambda::builder()
        .rand(Rand::seeded(42))
        .build_with_sns(|functions| Sns::builder().functions(functions).build());
    let sns = lambda.sns().unwrap().clone();
    let seen: Seen = Arc::default();
    lambda
        .create_function()
        .function_name("f")
        .code(recording(&lambda, seen.clone(), false))
        .send()
        .await
        .unwrap();
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    topic
        .subscribe()
        .protocol("lambda")
        .endpoint(format!("{ARN}:f"))
        .send()
        .await
        .unwrap();
    topic.publish().message("while alive").send().await.unwrap();
    lambda.clock().sleep(Duration::from_secs(1)).await;
    assert_eq!(take(&seen).len(), 1);
    let clock = lambda.clock().clone();
    drop(lambda);
    topic.publish().message("after drop").send().await.unwrap();
    clock.sleep(Duration::from_secs(5)).await;
    assert!(take(&seen).is_empty());
    let m = topic.metrics();
    assert_eq!(
        (
            m.number_of_notifications_delivered,
            m.number_of_notifications_failed
        ),
        (1, 1)
    );
}
